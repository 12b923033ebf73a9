import * as assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const URI = 'file:///workspace/open-ports.sh';
const SCRIPT = [
  '#!/bin/bash',
  'CD_API_PORT=1363',
  'iptables -A INPUT -p tcp --dport $CD_API_PORT -j ACCEPT',
  'ufw allow 447/tcp',
  'ssh -p 22 admin@bastion',
].join('\n');

function applyEdit(text: string, action: CodeAction): string {
  const [change] = action.edit!.documentChanges as TextDocumentEdit[];
  const lines = text.split('\n');
  const offset = (position: { line: number; character: number }) =>
    lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return [...change.edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce(
      (result, edit) =>
        result.slice(0, offset(edit.range.start)) +
        (edit as { newText: string }).newText +
        result.slice(offset(edit.range.end)),
      text,
    );
}

describe('diagnostics and code actions over stdio', () => {
  let client: LspClient;

  beforeEach(async () => {
    ({ client } = await LspClient.start());
    await client.open(URI, SCRIPT);
  });
  afterEach(() => client.stop());

  it('reports findings with a precise range, the rule id and its page, the source and related lines', async () => {
    const diagnostics = await client.diagnostics(URI);
    const summary = diagnostics.map(
      (d: Diagnostic) =>
        `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`,
    );
    assert.deepEqual(summary, [
      'exposed-critical-port 1 2:33-45',
      'cleartext-protocol 3 3:10-13',
      'exposed-critical-port 1 3:10-13',
    ]);
    const [api] = diagnostics;
    assert.equal(api.source, 'Port Lens');
    assert.equal(api.message, 'Connect:Direct API port 1363 is open to any source');
    assert.match(api.codeDescription!.href, /docs\/rules\/exposed-critical-port\.md$/);
    assert.deepEqual(api.relatedInformation![0].location.range, {
      start: { line: 1, character: 12 },
      end: { line: 1, character: 16 },
    });
    assert.ok(api.data);
  });

  it('offers the preferred fix, the ignore actions and the docs, and the fix clears the finding', async () => {
    const diagnostics = await client.diagnostics(URI);
    const target = diagnostics[0];
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: target.range,
      context: { diagnostics: [target] },
    });
    assert.deepEqual(
      actions.map((action) => action.title),
      [
        'Restrict the source to trusted networks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
        'Ignore exposed-critical-port on this line (with a reason)',
        'Ignore exposed-critical-port in this file (with a reason)',
        'Show documentation for exposed-critical-port',
      ],
    );
    assert.equal(actions[0].isPreferred, true);
    assert.equal(actions[0].kind, 'quickfix');
    const fixedText = applyEdit(SCRIPT, actions[0]);
    assert.equal(
      fixedText.split('\n')[2],
      'iptables -A INPUT -s 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 -p tcp --dport $CD_API_PORT -j ACCEPT',
    );
    const ignored = applyEdit(SCRIPT, actions[1]);
    assert.equal(ignored.split('\n')[2], '# portlens-ignore-next-line exposed-critical-port -- ');
    assert.deepEqual(actions[1].command?.arguments, [URI, 2, 53]);
    assert.equal(
      applyEdit(SCRIPT, actions[2]).split('\n')[1],
      '# portlens-ignore-file exposed-critical-port -- ',
      'after the shebang',
    );

    await client.change(URI, fixedText);
    const after = await client.diagnostics(URI);
    assert.ok(!after.some((d) => d.code === 'exposed-critical-port' && d.severity === 1 && d.range.start.line === 2));
  });

  it('fixes all safe findings at once as source.fixAll', async () => {
    const [action] = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(action.title, 'Fix all Port Lens findings in this file');
    assert.equal(action.kind, 'source.fixAll.portLens');
    const fixedText = applyEdit(SCRIPT, action);
    await client.change(URI, fixedText);
    const after = await client.diagnostics(URI);
    assert.deepEqual(
      after.filter((d) => d.severity! <= 2),
      [],
      'no error or warning is left',
    );
    assert.match(fixedText, /ufw allow from 10\.0\.0\.0\/8 to any port 447 proto tcp/);
  });

  it('drops a finding once the user writes a suppression with a reason', async () => {
    await client.change(
      URI,
      SCRIPT.replace(
        'ufw allow 447/tcp',
        '# portlens-ignore-next-line exposed-critical-port -- DR partner via IPsec\nufw allow 447/tcp',
      ),
    );
    const codes = (await client.diagnostics(URI)).map((d) => `${d.code}@${d.range.start.line}`);
    assert.deepEqual(codes, ['exposed-critical-port@2', 'cleartext-protocol@4']);
  });
});

describe('the CLI settings file, open in an editor', () => {
  it('warns where a .portlens.json holds what the CLI would not use, and again after each edit', async () => {
    const { client } = await LspClient.start();
    try {
      const uri = 'file:///workspace/.portlens.json';
      const text =
        '{\n  "trustedNetworks": ["10.0.0.0/8", "0.0.0.0/0"],\n  "rules": { "cleartext-protocol": "off" }\n}\n';
      await client.open(uri, text, 'json');
      const [warning, ...more] = await client.diagnostics(uri);
      assert.deepEqual(more, []);
      assert.equal(warning.severity, 2);
      assert.match(warning.message as string, /^trustedNetworks\[1\]: counts as any source/);
      const column = text.split('\n')[1].indexOf('"0.0.0.0/0"');
      assert.deepEqual(warning.range, {
        start: { line: 1, character: column },
        end: { line: 1, character: column + '"0.0.0.0/0"'.length },
      });
      await client.change(uri, text.replace('"0.0.0.0/0"', '"192.168.0.0/16"'));
      assert.deepEqual(await client.diagnostics(uri), []);
      // A client without the schema (a bare one) is told what the schema would have said too.
      const bare = (await LspClient.start({}, { capabilities: {}, initializationOptions: {} })).client;
      try {
        await bare.open(uri, '{ "rules": { "no-such-rule": "off" } }', 'json');
        const [unknown] = await bare.pushedUntil(uri, (items) => items.length > 0);
        assert.match(unknown.message as string, /^rules\.no-such-rule: unknown rule id/);
      } finally {
        await bare.stop();
      }
      // Any other JSON file is none of Port Lens's business.
      await client.open('file:///workspace/package.json', '{ "trustedNetworks": ["0.0.0.0/0"] }', 'json');
      assert.deepEqual(await client.diagnostics('file:///workspace/package.json'), []);
    } finally {
      await client.stop();
    }
  });
});
