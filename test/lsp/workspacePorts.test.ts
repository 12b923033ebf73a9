import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceFile, WorkspacePortsPage } from '../../server/src/workspace/workspacePorts';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient';

const OPEN_CD_API = 'iptables -A INPUT -p tcp --dport 1363 -j ACCEPT\n';

/** A small repository: a script, a rule file, prose, and a vendored rule set that .portlensignore leaves out. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), 'portlens-workspace-'));
  const files: Record<string, string> = {
    'deploy/open-cd.sh': `#!/bin/sh\n${OPEN_CD_API}curl -fsS https://api.example.com:8443/health\n`,
    'firewall/rules.v4': '*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT\nCOMMIT\n',
    'README.md': 'Open port 1363 only to partners.\n',
    'vendor/upstream.rules': '*filter\n-A INPUT -p tcp --dport 6379 -j ACCEPT\nCOMMIT\n',
    '.portlensignore': 'vendor/\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Every page of the inventory, once the background scan is complete. */
async function inventory(client: LspClient, limit = 500): Promise<WorkspaceFile[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const files: WorkspaceFile[] = [];
    let page: WorkspacePortsPage | undefined;
    let cursor: number | null = 0;
    while (cursor !== null) {
      page = await client.connection.sendRequest<WorkspacePortsPage>('portLens/workspacePorts', { cursor, limit });
      files.push(...page.files);
      cursor = page.next;
    }
    if (page?.complete) return files;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the workspace scan did not complete');
}

const relativePaths = (root: string, files: WorkspaceFile[]) => files.map((file) => file.path.slice(root.length + 1));

/** A server on a fresh copy of the repository for each test. */
function serveRepository(): { root: string; client: LspClient } {
  const current = {} as { root: string; client: LspClient };
  beforeEach(async () => {
    current.root = repository();
    ({ client: current.client } = await LspClient.start({}, { workspaceFolders: [current.root] }));
  });
  afterEach(async () => {
    await current.client.stop();
    rmSync(current.root, { recursive: true, force: true });
  });
  return current;
}

describe('the workspace inventory (portLens/workspacePorts)', () => {
  const served = serveRepository();

  it('lists the ports of files that were never opened, as the CLI reports them, with progress', async () => {
    const { root, client } = served;
    const files = await inventory(client);
    assert.deepEqual(relativePaths(root, files), ['deploy/open-cd.sh', 'firewall/rules.v4']);
    const script = files[0];
    assert.equal(script.uri, pathToFileURL(join(root, 'deploy/open-cd.sh')).href);
    assert.equal(script.language, 'shellscript');
    const api = script.mentions.find((mention) => mention.port === 1363);
    assert.deepEqual(api && [api.line, api.role, api.exposure, api.service], [2, 'allow', 'any', 'ndm-requester']);
    assert.ok(script.mentions.some((mention) => mention.port === 8443 && mention.role === 'connect'));
    assert.ok(script.findings.some((finding) => finding.ruleId === 'exposed-critical-port' && finding.port === 1363));
    assert.deepEqual(
      files[1].mentions.map((mention) => [mention.port, mention.exposure]),
      [[22, 'private']],
    );
    assert.equal(client.progress[0]?.kind, 'begin');
    await until(() => client.progress.at(-1)?.kind === 'end');
    assert.ok(
      client.progress.some((value) => value.message === '3 of 3 files'),
      JSON.stringify(client.progress),
    );
    assert.ok(client.workspaceChanges > 0);
  });

  it('pages through the inventory in path order', async () => {
    const { root, client } = served;
    const whole = await inventory(client);
    const paged = await inventory(client, 1);
    assert.deepEqual(relativePaths(root, paged), relativePaths(root, whole));
  });

  it('follows files created, changed and deleted on disk', async () => {
    const { root, client } = served;
    await inventory(client);
    const added = join(root, 'deploy', 'expose-ddm.sh');
    writeFileSync(added, 'iptables -A INPUT -p tcp --dport 447 -j ACCEPT\n');
    const changes = client.workspaceChanges;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(added).href, type: 1 }],
    });
    await until(() => client.workspaceChanges > changes);
    let files = await inventory(client);
    assert.deepEqual(
      files.find((file) => file.path === added)?.mentions.map((mention) => [mention.port, mention.exposure]),
      [[447, 'any']],
    );

    // A file the walk passes over (.portlensignore lists vendor/) stays out when it changes.
    const vendored = join(root, 'vendor', 'new.rules');
    writeFileSync(vendored, '*filter\n-A INPUT -p tcp --dport 2375 -j ACCEPT\nCOMMIT\n');
    const beforeVendored = client.workspaceChanges;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(vendored).href, type: 1 }],
    });
    await until(() => client.workspaceChanges > beforeVendored);
    assert.equal(
      (await inventory(client)).some((file) => file.path === vendored),
      false,
    );

    unlinkSync(added);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(added).href, type: 3 }],
    });
    await until(() => client.workspaceChanges > beforeVendored + 1);
    files = await inventory(client);
    assert.equal(
      files.some((file) => file.path === added),
      false,
    );
  });
});

describe("a listener's hover names the workspace's rules about its port", () => {
  const served = serveRepository();

  it('says which rule of another file opens or blocks the port a script listens on', async () => {
    const { root, client } = served;
    mkdirSync(join(root, 'firewall'), { recursive: true });
    writeFileSync(
      join(root, 'firewall', 'rules.v4'),
      '*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -p tcp --dport 1363 -j ACCEPT\n-A INPUT -p tcp --dport 1364 -j DROP\nCOMMIT\n',
    );
    const script = 'nc -l -p 1363\nsocat TCP-LISTEN:1364,fork TCP:10.0.0.5:1364\nnc -l -p 9999\n';
    writeFileSync(join(root, 'deploy', 'listen.sh'), script);
    await inventory(client);
    const uri = pathToFileURL(join(root, 'deploy', 'listen.sh')).href;
    await client.open(uri, script);
    const card = async (line: number, character: number) => {
      const hover = await client.hover(uri, line, character);
      assert.ok(hover, `no hover at ${line}:${character}`);
      return (hover.contents as { value: string }).value;
    };
    assert.match(
      await card(0, 10),
      /\*\*Firewall:\*\* Opened in `firewall\/rules\.v4` line 3: allowed inbound from 10\.0\.0\.0\/8 \(a private network\)/,
    );
    assert.match(await card(1, 18), /\*\*Firewall:\*\* Blocked in `firewall\/rules\.v4` line 4: denied inbound/);
    // No rule of the workspace names 9999, and the script's own lines are not "another file's rule".
    assert.doesNotMatch(await card(2, 10), /Firewall:/);
  });
});

/** Runs `work` on a server of its own over `root`, started with these `initializationOptions`, then stops it. */
async function onServer<T>(
  root: string,
  initializationOptions: Record<string, unknown> | undefined,
  work: (client: LspClient) => Promise<T>,
): Promise<T> {
  const { client } = await LspClient.start({}, { workspaceFolders: [root], initializationOptions });
  try {
    return await work(client);
  } finally {
    await client.stop();
  }
}

describe('cancelling the workspace scan', () => {
  it('stops the scan where the user cancels its progress, and leaves the inventory incomplete', async () => {
    const root = repository();
    // Enough scripts that the scan is still going when the cancel arrives.
    for (let index = 0; index < 400; index++)
      writeFileSync(join(root, 'deploy', `step-${index}.sh`), `#!/bin/sh\n${OPEN_CD_API.repeat(40)}`);
    try {
      await onServer(root, undefined, async (client) => {
        await client.connection.sendRequest<WorkspacePortsPage>('portLens/workspacePorts', {});
        await until(() => client.progress.some((value) => value.kind === 'begin'));
        await client.connection.sendNotification('window/workDoneProgress/cancel', { token: client.progressTokens[0] });
        await until(() => client.progress.at(-1)?.kind === 'end');
        const page = await client.connection.sendRequest<WorkspacePortsPage>('portLens/workspacePorts', {});
        assert.equal(page.complete, false);
        assert.ok(page.total < 401, `${page.total} files listed`);
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the workspace scan and the files the editor hides', () => {
  it("passes over what the client's exclude globs match", async () => {
    const root = repository();
    try {
      const exclude = ['**/.git', '{deploy,docs}/**'];
      const files = await onServer(root, { clientCommands: [], exclude }, (client) => inventory(client));
      assert.deepEqual(relativePaths(root, files), ['firewall/rules.v4']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the workspace scan cache across sessions', () => {
  it('reopens an unchanged workspace from the cache, with the same inventory', async () => {
    const root = repository();
    const cacheFolder = mkdtempSync(join(tmpdir(), 'portlens-storage-'));
    const session = () =>
      onServer(root, { clientCommands: [], cacheFolder }, async (client) => {
        const files = await inventory(client);
        await until(() => client.logs.some((log) => log.message.startsWith('Workspace scan: ')));
        return { files, log: client.logs.find((log) => log.message.startsWith('Workspace scan: '))!.message };
      });
    try {
      const first = await session();
      assert.match(first.log, /^Workspace scan: 3 files, 0 unchanged since the cache was written; 2 with ports\.$/);
      const second = await session();
      assert.match(second.log, /^Workspace scan: 3 files, 3 unchanged since the cache was written; 2 with ports\.$/);
      assert.deepEqual(second.files, first.files);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(cacheFolder, { recursive: true, force: true });
    }
  });
});

interface WorkspaceReport {
  items: { kind: 'full' | 'unchanged'; uri: string; resultId?: string; items?: Diagnostic[] }[];
}

describe('workspace diagnostics (workspace/diagnostic)', () => {
  const served = serveRepository();

  const pull = (previousResultIds: { uri: string; value: string }[]) =>
    served.client.connection.sendRequest<WorkspaceReport>('workspace/diagnostic', { previousResultIds });

  it('reports the findings of files that were never opened, then only what changed', async () => {
    const { root, client } = served;
    await inventory(client);
    const first = await pull([]);
    const script = pathToFileURL(join(root, 'deploy/open-cd.sh')).href;
    const report = first.items.find((item) => item.uri === script);
    assert.equal(report?.kind, 'full');
    assert.deepEqual(
      report?.items?.map((diagnostic) => [diagnostic.code, diagnostic.range.start, diagnostic.message]),
      [['exposed-critical-port', { line: 1, character: 33 }, 'Connect:Direct API port 1363 is open to any source']],
    );
    // rules.v4 opens 22 to a private network only: no finding, so no report.
    assert.equal(first.items.length, 1, JSON.stringify(first.items.map((item) => item.uri)));

    // Nothing changed: the request waits, and answers when a file appears on disk.
    const held = first.items.map((item) => ({ uri: item.uri, value: item.resultId! }));
    const second = pull(held);
    const added = join(root, 'deploy', 'expose-ddm.sh');
    writeFileSync(added, 'iptables -A INPUT -p tcp --dport 447 -j ACCEPT\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(added).href, type: 1 }],
    });
    const answer = await second;
    const byUri = (a: { uri: string }, b: { uri: string }) => (a.uri < b.uri ? -1 : 1);
    assert.deepEqual(
      [...answer.items]
        .sort(byUri)
        .map((item) => [item.uri, item.kind, item.items?.map((diagnostic) => diagnostic.code)]),
      [
        [pathToFileURL(added).href, 'full', ['cleartext-protocol', 'exposed-critical-port']],
        [script, 'unchanged', undefined],
      ],
    );

    // Turned off, the files reported so far are cleared.
    await client.changeSettings({ workspaceDiagnostics: false });
    const cleared = await pull(answer.items.map((item) => ({ uri: item.uri, value: item.resultId! })));
    assert.deepEqual(
      cleared.items.map((item) => [item.kind, item.items]),
      [
        ['full', []],
        ['full', []],
      ],
    );
  });
});

/** Waits for what the server sends without being asked: a change notice, the end of the progress. */
async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition(), 'the server never sent what the test waits for');
}

describe('workspace diagnostics pushed to a client that cannot pull them', () => {
  it('pushes the findings of files nobody opened, re-pushes them on close, and clears them when turned off', async () => {
    const root = repository();
    const script = pathToFileURL(join(root, 'deploy/open-cd.sh')).href;
    const ignored = pathToFileURL(join(root, 'vendor/upstream.rules')).href;
    const { client } = await LspClient.start({}, { workspaceFolders: [root], capabilities: {} });
    try {
      // Nothing is opened and nothing asks: a push-only client never would.
      const found = await client.pushedUntil(script, (items) => items.length > 0);
      assert.deepEqual(
        found.map((diagnostic) => [diagnostic.range.start.line, diagnostic.code]),
        [[1, 'exposed-critical-port']],
      );
      assert.equal(client.pushed.get(ignored), undefined, '.portlensignore leaves the vendored rules out');

      await client.open(script, '#!/bin/sh\necho no ports here\n');
      await client.pushedUntil(script, (items) => items.length === 0);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: script } });
      await client.pushedUntil(script, (items) => items.length === 1);

      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { portLens: { workspaceDiagnostics: false } },
      });
      await client.pushedUntil(script, (items) => items.length === 0);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('clears a deleted file, and pushes a changed one again', async () => {
    const root = repository();
    const script = join(root, 'deploy/open-cd.sh');
    const uri = pathToFileURL(script).href;
    const { client } = await LspClient.start({}, { workspaceFolders: [root], capabilities: {} });
    try {
      await client.pushedUntil(uri, (items) => items.length === 1);
      writeFileSync(script, `#!/bin/sh\n${OPEN_CD_API}ufw allow 447/tcp\n`);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      await client.pushedUntil(uri, (items) => items.length > 1);
      unlinkSync(script);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
      await client.pushedUntil(uri, (items) => items.length === 0);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
