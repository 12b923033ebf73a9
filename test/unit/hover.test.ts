import * as assert from 'node:assert/strict';
import { readSettings } from '../../server/src/settings/settings';
import { cleanScan, testService } from './helpers';

async function hoverOn(text: string, written: string, occurrence = 0): Promise<string> {
  const service = await testService();
  const scan = cleanScan(service, { text, languageId: 'shellscript' });
  let offset = -1;
  for (let seen = 0; seen <= occurrence; seen++) offset = text.indexOf(written, offset + 1);
  const hover = service.hover(scan, text, offset + 1);
  assert.ok(hover, `no hover on ${written}`);
  assert.equal(text.slice(hover.span.start, hover.span.end), written);
  return hover.markdown;
}

describe('hover card', () => {
  it('explains a port: protocol, IANA service, practical use, what the line does, the risk and the sources', async () => {
    const card = await hoverOn('iptables -A INPUT -p tcp --dport 1363 -j ACCEPT', '1363');
    assert.match(card, /\*\*1363\/tcp\*\* · Connect:Direct API/);
    assert.match(card, /IANA: `ndm-requester`: Network DataMover Requester/);
    assert.match(card, /In practice: .*Connect:Direct/);
    assert.match(card, /\*\*Here:\*\* allowed inbound from any source \(iptables, chain INPUT\)/);
    assert.match(card, /critical/);
    assert.match(card, /\*\*Safer:\*\*/);
    assert.match(
      card,
      /\[IANA registry\]\(https:\/\/www\.iana\.org\/assignments\/service-names-port-numbers\/service-names-port-numbers\.xhtml\?search=1363\)/,
    );
    assert.match(card, /\]\(https:\/\/www\.ibm\.com\//);
    const linkLine = card.split('\n\n').at(-1)!;
    assert.equal(linkLine.split(' · ').length, 4, 'the registry and three sources, so the card stays compact');
    assert.doesNotMatch(
      card,
      /\.;|IANA name: ndm-requester/,
      'practical uses read as sentences, without repeating the IANA line',
    );
  });

  it('offers the TLS partner port for clear-text IBM i ports', async () => {
    const card = await hoverOn('ufw allow 447/tcp', '447');
    assert.match(card, /IANA: `ddm-dfm`/);
    assert.match(card, /\*\*Safer:\*\* use 448 \(TLS\)/);
  });

  it('shows the first and last service of a range, and how many assigned services it holds', async () => {
    const card = await hoverOn('ufw allow from any to any port 8470:8476 proto tcp', '8470:8476');
    assert.match(card, /\*\*8470-8476\/tcp\*\* · 7 ports, \d+ with an IANA service/);
    assert.match(card, /From 8470 `as-central` to 8476 `as-signon`/);
    assert.match(card, /⚠️ Holds 84\d\d IBM i/);
  });

  it('names the service a port name stands for, and the variable a value came from', async () => {
    const named = await hoverOn('iptables -A INPUT -p tcp --dport ssh -j DROP', 'ssh');
    assert.match(named, /\*\*22\/tcp\*\*.*\(written `ssh`\)/);
    assert.match(named, /denied inbound/);
    const viaVariable = await hoverOn('CD_PORT=1364\nnc -l -p $CD_PORT', '$CD_PORT');
    assert.match(viaVariable, /Value of `\$CD_PORT`/);
    assert.match(viaVariable, /listening on every interface/);
  });

  it("puts the user's own note first", async () => {
    const service = await testService();
    service.configure(
      readSettings({ customPorts: { '9443/tcp': { name: 'payroll-api', note: 'In-house payroll API' } } }),
    );
    try {
      const card = await hoverOn('curl https://payroll.internal:9443/run', '9443');
      assert.match(card, /\*\*9443\/tcp\*\* · payroll-api/);
      assert.match(card, /\*\*Your note:\*\* In-house payroll API/);
    } finally {
      service.configure(readSettings({}));
    }
  });

  it('has nothing to say between ports', async () => {
    const service = await testService();
    const scan = cleanScan(service, { text: 'ssh -p 2222 host', languageId: 'shellscript' });
    assert.equal(service.hover(scan, 'ssh -p 2222 host', 1), undefined);
  });
});
