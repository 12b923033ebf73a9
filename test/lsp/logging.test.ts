import * as assert from 'node:assert/strict';
import { LspClient } from './lspClient';

const URI = 'file:///workspace/open-ports.sh';
const SCRIPT = '#!/bin/sh\niptables -A INPUT -p tcp --dport 6379 -j ACCEPT\n';
const INFO = 3;
const LOG = 4;

describe('the server log over window/logMessage', () => {
  it('says when it starts, and logs each diagnostics pull only at the debug level', async () => {
    const { client } = await LspClient.start({ logLevel: 'info' });
    try {
      await client.open(URI, SCRIPT);
      assert.equal((await client.diagnostics(URI)).length, 1);
      assert.ok(
        client.logs.some(
          (entry) =>
            entry.type === INFO &&
            /^Port Lens language server started: \d+ languages \(shellscript,/.test(entry.message),
        ),
        JSON.stringify(client.logs),
      );
      assert.deepEqual(
        client.logs.filter((entry) => entry.type === LOG),
        [],
        'nothing below info',
      );

      client.settings = { logLevel: 'debug' };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      for (let edit = 1; edit <= 20 && !client.logs.some((entry) => entry.type === LOG); edit++) {
        await client.change(URI, `${SCRIPT}# edit ${edit}\n`);
        await client.diagnostics(URI);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(
        client.logs.some(
          (entry) =>
            entry.type === LOG &&
            /^Diagnostics for file:\/\/\/workspace\/open-ports\.sh \(version \d+\): 1\.$/.test(entry.message),
        ),
        JSON.stringify(client.logs),
      );
    } finally {
      await client.stop();
    }
  });

  it('turns to debug when the client traces the protocol verbosely', async () => {
    const { client } = await LspClient.start({ logLevel: 'error', trace: { server: 'verbose' } });
    try {
      await client.open(URI, SCRIPT);
      // The server asks for its settings once initialized: a pull may come before the answer, so pull until one is logged.
      for (let edit = 1; edit <= 20 && !client.logs.some((entry) => entry.type === LOG); edit++) {
        await client.change(URI, `${SCRIPT}# edit ${edit}\n`);
        await client.diagnostics(URI);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(
        client.logs.some((entry) => entry.type === LOG && entry.message.startsWith('Diagnostics for ')),
        JSON.stringify(client.logs),
      );
    } finally {
      await client.stop();
    }
  });
});
