/**
 * Issue 3 in a real VS Code: firewall configurations get their own language, and hovers on an nftables set
 * element and on an iptables-save --dport say what the rule does with the port.
 */
import * as assert from 'node:assert/strict';
import { hoverOn, useUiSession } from './session';

const NFTABLES = 'firewall/nftables.conf';
const RULES_V4 = 'firewall/rules.v4';

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
    assert.match(card, /^Here: allowed inbound from 192\.168\.10\.0\/24 \(a private network\) \(nftables, chain input, policy drop\)$/m);
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
    assert.match(server, /^Here: allowed inbound from 10\.20\.0\.0\/16 \(a private network\) \(iptables, chain INPUT, policy DROP\)$/m);
  });
});
