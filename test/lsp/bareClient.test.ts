import * as assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const URI = 'file:///workspace/ibm-i.sh';
const SCRIPT = ['#!/bin/sh', 'ufw allow 447/tcp', 'ufw allow 1363/tcp', ''].join('\n');

const codes = (diagnostics: Diagnostic[]) => [...new Set(diagnostics.map((diagnostic) => diagnostic.code))].sort();

describe('a bare client: no pull diagnostics, no configuration requests, no refresh', () => {
  let client: LspClient;
  let capabilities: Record<string, unknown>;

  beforeEach(async () => {
    const started = await LspClient.start(
      {},
      { capabilities: {}, initializationOptions: { portLens: { rules: { 'cleartext-protocol': 'off' } } } },
    );
    client = started.client;
    capabilities = started.initialize.capabilities as Record<string, unknown>;
  });
  afterEach(() => client.stop());

  it('gets diagnostics pushed, with the settings of initializationOptions', async () => {
    assert.equal(capabilities.diagnosticProvider, undefined, 'no pull diagnostics offered to a client without them');
    await client.open(URI, SCRIPT);
    const diagnostics = await client.pushedUntil(URI, (items) => items.length > 0);
    assert.deepEqual(codes(diagnostics), ['exposed-critical-port'], 'cleartext-protocol is off');
    assert.equal(diagnostics.length, 2);
  });

  it('takes settings from didChangeConfiguration, pushes again and survives', async () => {
    await client.open(URI, SCRIPT);
    await client.pushedUntil(URI, (items) => items.length > 0);
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { portLens: { rules: { 'exposed-critical-port': 'off', 'cleartext-protocol': 'information' } } },
    });
    const diagnostics = await client.pushedUntil(URI, (items) => !codes(items).includes('exposed-critical-port'));
    assert.deepEqual(codes(diagnostics), ['cleartext-protocol']);
    assert.ok(await client.hover(URI, 1, 11), 'the server still answers');
  });

  it('pushes again after an edit, and an empty list when the document closes', async () => {
    await client.open(URI, SCRIPT);
    await client.pushedUntil(URI, (items) => items.length === 2);
    await client.change(URI, `${SCRIPT}ufw allow 6379/tcp\n`);
    await client.pushedUntil(URI, (items) => items.length === 3);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await client.pushedUntil(URI, (items) => items.length === 0);
  });

  it('offers ignore actions as plain edits and the docs through its own command', async () => {
    await client.open(URI, SCRIPT);
    const [diagnostic] = await client.pushedUntil(URI, (items) => items.length > 0);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const ignore = actions.filter((action) => action.title.startsWith('Ignore'));
    assert.equal(ignore.length, 2);
    for (const action of ignore) {
      assert.equal(action.command, undefined, 'no command this client lacks');
      assert.ok(action.edit, 'the comment is an edit');
    }
    const docs = actions.find((action) => action.title.startsWith('Show documentation'))!;
    assert.equal(docs.command?.command, 'portLens.server.showRuleDocs');
    assert.deepEqual(capabilities.executeCommandProvider, { commands: ['portLens.server.showRuleDocs'] });
    await client.connection.sendRequest('workspace/executeCommand', {
      command: docs.command.command,
      arguments: docs.command.arguments,
    });
    assert.match(client.messages.join('\n'), /^Port Lens rule documentation: \S+exposed-critical-port\.md$/m);
  });
});

describe('a client that asks for nothing to be set: workspace/configuration answers null, as Emacs eglot does', () => {
  it('keeps the settings of initializationOptions', async () => {
    const { client } = await LspClient.start(null, {
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { portLens: { rules: { 'cleartext-protocol': 'off' } } },
    });
    try {
      await client.open(URI, SCRIPT);
      const diagnostics = await client.pushedUntil(URI, (items) => items.length > 0);
      assert.deepEqual(codes(diagnostics), ['exposed-critical-port'], 'cleartext-protocol stays off');
    } finally {
      await client.stop();
    }
  });
});
