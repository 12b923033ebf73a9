/**
 * Issue 3 in a real VS Code: firewall configurations get their own language, hovers on an nftables set
 * element and on an iptables-save --dport say what the rule does with the port, and a rule or a policy typed
 * into an iptables-save file is judged as it is typed; a firewalld zone's open port becomes rich rules by quick fix.
 */
import * as assert from 'node:assert/strict';
import { eventually, hoverOn, positionIn, useUiSession } from './session';

const NFTABLES = 'firewall/nftables.conf';
const RULES_V4 = 'firewall/rules.v4';
const ZONE = 'firewall/firewalld/zones/public.xml';

describe('UI: firewall configurations (issue 3)', function () {
  const session = useUiSession();

  it('opens nftables.conf as nftables and explains an element of a named set', async () => {
    const { workbench } = session();
    await workbench.openFile(NFTABLES);
    assert.equal(await workbench.languageMode(), 'nftables');
    // `set web_ports { ... elements = { 80, 443 } }`, used by `iifname "wan0" tcp dport @web_ports accept`
    const card = await hoverOn(workbench, NFTABLES, 'elements = { 80, 443 }', '443');
    assert.match(card, /^443\/tcp · HTTPS$/m);
    assert.match(card, /^IANA: https: http protocol over TLS\/SSL$/m);
    assert.match(card, /^Here: allowed inbound on wan0 from any source \(nftables, chain input, policy drop\)$/m);
  });

  it('explains an element of an anonymous nftables set with its source', async () => {
    const { workbench } = session();
    await workbench.openFile(NFTABLES);
    // `ip saddr $lan_net udp dport { 53, 123 } accept`
    const card = await hoverOn(workbench, NFTABLES, 'udp dport { 53, 123 }', '123');
    assert.match(card, /^123\/udp · /m);
    assert.match(card, /^IANA: ntp: Network Time Protocol$/m);
    assert.match(
      card,
      /^Here: allowed inbound from 192\.168\.10\.0\/24 \(a private network\) \(nftables, chain input, policy drop\)$/m,
    );
  });

  it('opens rules.v4 as iptables-save and explains a --dport with its chain policy', async () => {
    const { workbench } = session();
    await workbench.openFile(RULES_V4);
    assert.equal(await workbench.languageMode(), 'iptables-save');
    // `-A INPUT -i eth0 -p tcp -m tcp --dport 443 -j ACCEPT` under `:INPUT DROP`
    const https = await hoverOn(workbench, RULES_V4, '-i eth0 -p tcp -m tcp --dport 443', '443');
    assert.match(https, /^443\/tcp · HTTPS$/m);
    assert.match(https, /^Here: allowed inbound on eth0 from any source \(iptables, chain INPUT, policy DROP\)$/m);
    // `-m multiport --dports 1364,446:448` from 10.20.0.0/16
    const server = await hoverOn(workbench, RULES_V4, '--dports 1364,446:448', '1364');
    assert.match(server, /^1364\/tcp · Connect:Direct server$/m);
    assert.match(server, /^IANA: ndm-server: Network DataMover Server$/m);
    assert.match(
      server,
      /^Here: allowed inbound from 10\.20\.0\.0\/16 \(a private network\) \(iptables, chain INPUT, policy DROP\)$/m,
    );
  });

  it('flags a rule typed into rules.v4 in the Problems panel, and drops it again on undo', async () => {
    const { workbench } = session();
    await workbench.openFile(RULES_V4);
    const original = await workbench.editorText();
    const { line } = positionIn(RULES_V4, '-A INPUT -i lo -j ACCEPT', '-A');
    await workbench.gotoPosition(line + 1, 1);
    await workbench.page.keyboard.type('-A INPUT -p tcp --dport 1363 -j ACCEPT\n');
    const row = `Connect:Direct API port 1363 is open to any source Port Lens exposed-critical-port [Ln ${line + 1}, Col 25]`;
    await eventually(
      'the typed rule in the Problems panel',
      () => workbench.problems(),
      (rows) => rows.includes(row),
    );
    assert.equal(await workbench.squiggleCount('error'), 1);
    // The rule below the new line moved down one line, and so did its finding.
    const range = positionIn(RULES_V4, '--dports 1364,446:448', '446', 0);
    const moved = `Port range 446-448 (includes IBM i DDM/DRDA 446) is open to a private network (10.20.0.0/16) Port Lens exposed-critical-port [Ln ${range.line + 1}, Col ${range.column}]`;
    // Typing reaches the server a key at a time: the row above can show before the newline has moved this one.
    await eventually(
      'the finding below the new line, one line down',
      () => workbench.problems(),
      (rows) => rows.includes(moved),
    );
    for (let undo = 0; undo < 10 && (await workbench.editorText()) !== original; undo++)
      await workbench.page.keyboard.press('Control+Z');
    assert.equal(await workbench.editorText(), original);
    await eventually(
      'no row for the undone rule',
      () => workbench.problems(),
      (rows) => !rows.some((entry) => entry.includes('port 1363')),
    );
  });

  it('warns once in the Problems panel when the INPUT policy is switched to ACCEPT with no rule to drop the rest', async () => {
    const { workbench } = session();
    await workbench.openFile(RULES_V4);
    const original = await workbench.editorText();
    const { line, column } = positionIn(RULES_V4, ':INPUT DROP', 'DROP', 0);
    await workbench.gotoPosition(line, column);
    await workbench.page.keyboard.press('Control+Shift+ArrowRight');
    await workbench.page.keyboard.type('ACCEPT');
    const row = `Every port is open: chain INPUT has policy ACCEPT and no rule drops what its rules do not match Port Lens all-ports-exposed [Ln ${line}, Col ${column}]`;
    await eventually(
      'the open policy in the Problems panel',
      () => workbench.problems(),
      (rows) => rows.includes(row),
    );
    assert.equal(
      (await workbench.problems()).filter((entry) => entry.includes('all-ports-exposed')).length,
      1,
      'one row for the policy, not one per port',
    );
    for (let undo = 0; undo < 10 && (await workbench.editorText()) !== original; undo++)
      await workbench.page.keyboard.press('Control+Z');
    assert.equal(await workbench.editorText(), original);
    await eventually(
      'no row once the policy is DROP again',
      () => workbench.problems(),
      (rows) => !rows.some((entry) => entry.includes('all-ports-exposed')),
    );
  });

  // Last in the suite: the zone's own 1363 finding would stay in the Problems panel the tests above read.
  it('turns a <port> open to any source in a public zone into one rich rule per trusted network, in its place', async () => {
    const { workbench } = session();
    await workbench.openFile(ZONE);
    assert.equal(await workbench.languageMode(), 'firewalld');
    const original = await workbench.editorText();
    const { line, column } = positionIn(ZONE, '<port protocol="tcp" port="1364"/>', '1364');
    await workbench.gotoPosition(line, column);
    const row = `Connect:Direct server port 1364 is open to any source Port Lens exposed-sensitive-port [Ln ${line}, Col ${column - 1}]`;
    await eventually(
      'the open port in the Problems panel',
      () => workbench.problems(),
      (rows) => rows.includes(row),
    );
    await workbench.applyQuickFix(
      'Restrict the source to trusted networks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
    );
    const rules = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
      (network) =>
        `  <rule family="ipv4"><source address="${network}"/><port protocol="tcp" port="1364"/><accept/></rule>`,
    );
    const lines = original.split('\n');
    const expected = [...lines.slice(0, line - 1), ...rules, ...lines.slice(line)].join('\n');
    // The whole text: the three rules stand where the port was, in order, and no other line changed.
    await eventually(
      'the rich rules in place of the port',
      () => workbench.editorText(),
      (text) => text === expected,
    );
    await eventually(
      'no row for the port open to any source',
      () => workbench.problems(),
      (rows) => !rows.some((entry) => entry.includes('1364 is open to any source')),
    );
  });
});
