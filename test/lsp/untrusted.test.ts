import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CancellationTokenSource, type Diagnostic, ResponseError } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient';

const URI = 'file:///workspace/firewall.sh';
const RULES = Array.from(
  { length: 200 },
  (_, index) => `iptables -A INPUT -p tcp --dport ${6000 + index} -j ACCEPT`,
).join('\n');
const SCRIPT = `#!/bin/sh\n${RULES}\niptables -A INPUT -p tcp --dport 6379 -j ACCEPT\n`;

/** A diagnostic as a comparable line: where, what and why. */
const shape = (diagnostic: Diagnostic) => JSON.stringify([diagnostic.range.start, diagnostic.code, diagnostic.message]);

/** The error code a request was refused with, or undefined when it was answered. */
async function refusal(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));
    return error.code;
  }
}

describe('the language server under hostile use', () => {
  let client: LspClient;

  beforeEach(async () => {
    ({ client } = await LspClient.start());
  });
  afterEach(() => client.stop());

  it('answers -32602 to params that name no document or no position', async () => {
    await client.open(URI, SCRIPT);
    const connection = client.connection;
    assert.equal(await refusal(connection.sendRequest('textDocument/hover', {})), -32602);
    assert.equal(
      await refusal(
        connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: -1 } }),
      ),
      -32602,
    );
    assert.equal(await refusal(connection.sendRequest('textDocument/diagnostic', { textDocument: 7 })), -32602);
    assert.equal(await refusal(connection.sendRequest('textDocument/codeAction', { range: {} })), -32602);
    assert.ok((await client.diagnostics(URI)).length > 0, 'the server still works');
  });

  it('takes the text of a second didOpen, even with the same version', async () => {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'shellscript', version: 1, text: 'ufw allow 447/tcp\n' },
    });
    assert.match(shape((await client.diagnostics(URI))[0]), /447/);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'shellscript', version: 1, text: 'ufw allow 6379/tcp\n' },
    });
    const diagnostics = (await client.diagnostics(URI)).map(shape);
    assert.ok(diagnostics.length > 0);
    for (const diagnostic of diagnostics) assert.match(diagnostic, /6379/);
  });

  it('honours $/cancelRequest: a cancelled request is refused before any work', async () => {
    await client.open(URI, SCRIPT);
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => {
        const source = new CancellationTokenSource();
        const request = client.connection.sendRequest(
          'textDocument/diagnostic',
          { textDocument: { uri: URI } },
          source.token,
        );
        source.cancel();
        return refusal(request);
      }),
    );
    // Refused before any work. A request whose cancellation is still in the pipe when its turn comes (on a busy
    // machine, a few of the 300) is answered: the server cannot refuse what it has not read. The old server
    // answered all 300.
    const refused = answers.filter((code) => code === -32800).length;
    assert.ok(refused >= 240, `${refused} of 300 cancelled requests were refused`);
    assert.ok(answers.every((code) => code === -32800 || code === undefined));
    assert.ok((await client.diagnostics(URI)).length > 0, 'an uncancelled request is answered');
  });

  it('scans only the latest version in a storm of 2,000 unawaited edits, and stays small', async function () {
    this.timeout(120_000);
    await client.open(URI, SCRIPT);
    const requests: Promise<unknown>[] = [];
    for (let edit = 0; edit < 2000; edit++) {
      void client.change(URI, `${SCRIPT}# edit ${edit}\nnc -l ${10000 + edit}\n`);
      requests.push(refusal(client.diagnostics(URI)));
    }
    const codes = await Promise.all(requests);
    const answered = codes.filter((code) => code === undefined).length;
    assert.ok(answered >= 1, 'the last version is answered');
    assert.ok(
      codes.every((code) => code === undefined || code === -32802),
      'stale requests are refused with ServerCancelled',
    );
    // A request is refused before any work: only the answered ones cost a scan.
    assert.ok(answered < 2000 / 4, `${answered} of 2,000 versions were judged: stale ones must not be`);
    const status = readFileSync(`/proc/${client.pid}/status`, 'utf8');
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    assert.ok(rssMb < 400, `the server holds ${rssMb.toFixed(0)} MB`);

    const finalText = `${SCRIPT}# edit 1999\nnc -l 11999\n`;
    const final = (await client.diagnostics(URI)).map(shape);
    const { client: fresh } = await LspClient.start();
    try {
      await fresh.open(URI, finalText);
      assert.deepEqual(final, (await fresh.diagnostics(URI)).map(shape));
    } finally {
      await fresh.stop();
    }
  });
});
