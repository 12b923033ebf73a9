/**
 * Issue 19 in a real VS Code: an ACCEPT that an earlier DROP makes unreachable is reported once as shadowed, with
 * the DROP as related information, and its hover says it never matches; a firewalld zone's `<service name="ssh"/>`
 * opens port 22, with the ssh card and the sensitive-port warning at the service name; an nftables chain is read in
 * order the same way.
 */
import * as assert from 'node:assert/strict';
import { eventually, hoverOn, positionIn, useUiSession } from './session';

const SHADOWED = 'firewall/shadowed/rules.v4';
const ZONE = 'firewall/firewalld/zones/public.xml';
const NFT = 'firewall/shadowed/nftables.conf';

describe('UI: effective exposure (issue 19)', function () {
  const session = useUiSession();

  it('reports an ACCEPT after a DROP of the same port as shadowed, and its hover says why', async () => {
    const { workbench } = session();
    await workbench.openFile(SHADOWED);
    assert.equal(await workbench.languageMode(), 'iptables-save');
    const accept = positionIn(SHADOWED, '--dport 6379 -j ACCEPT', 'ACCEPT', 0);
    const drop = positionIn(SHADOWED, '-A INPUT -p tcp --dport 6379 -j DROP', '-A', 0);
    const row = `This rule never matches: another rule drops these packets first Port Lens shadowed-rule [Ln ${accept.line}, Col ${accept.column}]`;
    const rows = await eventually(
      'the shadowed rule in the Problems panel',
      () => workbench.problems(),
      (found) => found.includes(row),
    );
    assert.ok(
      rows.some((entry) => entry.includes('drops these packets first') && entry.includes(`Ln ${drop.line}`)),
      `the DROP as related information in ${JSON.stringify(rows)}`,
    );
    assert.ok(!rows.some((entry) => entry.includes('Redis')), 'no exposure finding for a port nothing reaches');
    const card = await hoverOn(workbench, SHADOWED, '--dport 6379 -j ACCEPT', '6379');
    assert.match(card, /^6379\/tcp · Redis$/m);
    assert.match(
      card,
      new RegExp(
        `^Here: never matches: line ${drop.line} drops these packets first \\(iptables, chain INPUT, policy DROP\\)$`,
        'm',
      ),
    );
  });

  it('reads an nftables chain in order: an accept after a reject is shadowed, a drop narrows what follows', async () => {
    const { workbench } = session();
    await workbench.openFile(NFT);
    assert.equal(await workbench.languageMode(), 'nftables');
    const accept = positionIn(NFT, 'tcp dport 6379 accept', 'accept', 0);
    const row = `This rule never matches: another rule drops these packets first Port Lens shadowed-rule [Ln ${accept.line}, Col ${accept.column}]`;
    await eventually(
      'the shadowed nftables rule in the Problems panel',
      () => workbench.problems(),
      (found) => found.includes(row),
    );
    const reject = positionIn(NFT, 'tcp dport 6379 reject', 'tcp', 0);
    const card = await hoverOn(workbench, NFT, 'tcp dport 6379 accept', '6379');
    assert.match(card, new RegExp(`^Here: never matches: line ${reject.line} drops these packets first`, 'm'));
    // An IPv6 packet meets no `ip saddr` match: 22 stays open to any source through the inet table.
    const ssh = await hoverOn(workbench, NFT, 'tcp dport 22 accept', '22');
    assert.match(ssh, /^Here: allowed inbound from any source/m);
  });

  it('opens the ports of <service name="ssh"/> in zone public: the ssh card and the warning', async () => {
    const { workbench } = session();
    await workbench.openFile(ZONE);
    const { line, column } = positionIn(ZONE, '<service name="ssh"/>', 'ssh');
    const row = `SSH port 22 is open to any source Port Lens exposed-sensitive-port [Ln ${line}, Col ${column - 1}]`;
    await eventually(
      'the ssh service in the Problems panel',
      () => workbench.problems(),
      (rows) => rows.includes(row),
    );
    const card = await hoverOn(workbench, ZONE, '<service name="ssh"/>', 'ssh');
    assert.match(card, /^22\/tcp · SSH$/m);
    assert.match(card, /^ssh → 22\/tcp \(firewalld service ssh; firewalld 1\.3\.3 stock service\)$/m);
    assert.match(card, /^Here: allowed inbound on eth0 in zone public from any source \(firewalld\)$/m);
  });
});
