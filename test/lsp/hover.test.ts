import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const URI = 'file:///workspace/deploy/open-ports.sh';
const SCRIPT = [
  '#!/bin/bash',
  'CD_API_PORT=1363',
  'iptables -P INPUT DROP',
  'iptables -A INPUT -i eth0 -p tcp --dport "$CD_API_PORT" -j ACCEPT',
  'ufw allow from 10.0.0.0/8 to any port 8470:8476 proto tcp',
  'sleep 447',
].join('\n');

function markdown(hover: Awaited<ReturnType<LspClient['hover']>>): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
}

describe('language server over stdio', function () {
  let client: LspClient;

  beforeEach(async () => {
    const started = await LspClient.start();
    client = started.client;
    assert.equal(started.initialize.capabilities.hoverProvider, true);
  });
  afterEach(() => client.stop());

  it('answers a hover on a port with the card and the token range', async () => {
    await client.open(URI, SCRIPT);
    const hover = await client.hover(URI, 3, 50);
    const card = markdown(hover);
    assert.match(card, /\*\*1363\/tcp\*\* · Connect:Direct API/);
    assert.match(card, /IANA: `ndm-requester`/);
    assert.match(card, /allowed inbound on eth0 from any source \(iptables, chain INPUT, policy DROP\)/);
    assert.match(card, /Value of `\$CD_API_PORT`/);
    assert.deepEqual(hover!.range, { start: { line: 3, character: 42 }, end: { line: 3, character: 54 } });
  });

  it('shows a range card, and nothing on numbers that are not ports', async () => {
    await client.open(URI, SCRIPT);
    assert.match(markdown(await client.hover(URI, 4, 40)), /8470-8476\/tcp\*\* · 7 ports/);
    assert.equal(await client.hover(URI, 5, 7), null);
  });

  it('follows edits: the hover reads the new text', async () => {
    await client.open(URI, SCRIPT);
    await client.change(URI, 'ssh -p 2222 host');
    assert.match(markdown(await client.hover(URI, 0, 8)), /\*\*2222\/tcp\*\*/);
    assert.equal(await client.hover(URI, 3, 50), null);
  });

  it("applies the user's custom port notes from workspace/configuration", async () => {
    await client.open(URI, 'curl https://payroll.internal:9443/run');
    assert.doesNotMatch(markdown(await client.hover(URI, 0, 32)), /payroll-api/);
    await client.changeSettings({ customPorts: { '9443/tcp': { name: 'payroll-api', note: 'In-house payroll API' } } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const card = markdown(await client.hover(URI, 0, 32));
    assert.match(card, /payroll-api/);
    assert.match(card, /\*\*Your note:\*\* In-house payroll API/);
  });

  it('says why a file is skipped instead of crashing, and keeps serving other files', async () => {
    await client.changeSettings({ maxFileSizeMB: 0.01 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const big = 'file:///workspace/big.sh';
    await client.open(big, `ssh -p 2222 host\n${'# padding line\n'.repeat(2000)}`);
    const [diagnostic] = await client.diagnostics(big);
    assert.match(diagnostic.message as string, /Port Lens skipped this file: larger than the 0.01 MB limit/);
    assert.equal(diagnostic.source, 'Port Lens');
    const binary = 'file:///workspace/blob.sh';
    await client.open(binary, 'ssh -p 2222 host\u0000\u0001');
    assert.match((await client.diagnostics(binary))[0].message as string, /binary file/);
    await client.open(URI, SCRIPT);
    assert.match(markdown(await client.hover(URI, 3, 50)), /1363/);
  });

  it('survives half-typed and hostile text', async () => {
    const hostile = `iptables -A INPUT -p tcp --dport\necho "${'$('.repeat(20_000)}\ncat <<EOF\n${'a.'.repeat(200_000)}://\nssh -p 2201 h`;
    await client.open(URI, hostile);
    await client.hover(URI, 0, 10);
    await client.change(URI, 'ssh -p 2202 host');
    assert.match(markdown(await client.hover(URI, 0, 8)), /2202/);
  });
});
