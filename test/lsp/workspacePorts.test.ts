import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceFile, WorkspacePortsPage } from '../../server/src/workspace/workspacePorts';
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

describe('the workspace inventory (portLens/workspacePorts)', () => {
  let root: string;
  let client: LspClient;

  beforeEach(async () => {
    root = repository();
    ({ client } = await LspClient.start({}, { workspaceFolders: [root] }));
  });
  afterEach(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the ports of files that were never opened, as the CLI reports them, with progress', async () => {
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
    assert.equal(client.progress.at(-1)?.kind, 'end');
    assert.ok(
      client.progress.some((value) => value.message === '3 of 3 files'),
      JSON.stringify(client.progress),
    );
    assert.ok(client.workspaceChanges > 0);
  });

  it('pages through the inventory in path order', async () => {
    const whole = await inventory(client);
    const paged = await inventory(client, 1);
    assert.deepEqual(relativePaths(root, paged), relativePaths(root, whole));
  });

  it('follows files created, changed and deleted on disk', async () => {
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

    unlinkSync(added);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(added).href, type: 3 }],
    });
    await until(() => client.workspaceChanges > changes + 1);
    files = await inventory(client);
    assert.equal(
      files.some((file) => file.path === added),
      false,
    );
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition(), 'the server never said the inventory changed');
}
