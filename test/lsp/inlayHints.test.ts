import * as assert from 'node:assert/strict';
import type { InlayHint } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient';

const URI = 'file:///workspace/open-cd.sh';
const TEXT = 'iptables -A INPUT -p tcp --dport 1363 -j ACCEPT\nssh -p 22 admin@host\n';

describe('inlay hints (portLens.inlayHints)', () => {
  let client: LspClient;

  beforeEach(async () => {
    ({ client } = await LspClient.start());
    await client.open(URI, TEXT);
  });
  afterEach(() => client.stop());

  const hints = () =>
    client.connection.sendRequest<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } },
    });

  it('shows none until the setting asks for them, then the service after each bare port', async () => {
    assert.deepEqual(await hints(), []);
    await client.changeSettings({ inlayHints: true });
    // The server reads the new settings after the notification: ask until they hold.
    let shown: InlayHint[] = [];
    for (let attempt = 0; attempt < 100 && shown.length === 0; attempt++) {
      shown = await hints();
      if (shown.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(shown, [{ position: { line: 0, character: 37 }, label: 'ndm-requester', paddingLeft: true }]);
  });
});
