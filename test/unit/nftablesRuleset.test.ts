import * as assert from 'node:assert/strict';
import { scanAs, scanShell, testService } from './helpers';
import { checkAgainstSimulation, engineExposure, findingLines as findings, nftablesRuleset } from './rulesetSimulation';

function inputChain(family: string, policy: string, rules: readonly string[]): string {
  return [
    `table ${family} filter {`,
    '  chain input {',
    `    type filter hook input priority 0; policy ${policy};`,
    ...rules.map((rule) => `    ${rule}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

describe('nftables ruleset evaluation', () => {
  it('gives every accepted port the exposure a packet-by-packet simulation finds', async () => {
    // The same simulator as iptables': within a base chain nft(8) decides by the first verdict, as iptables does.
    await checkAgainstSimulation(nftablesRuleset, 'nftables', 1000);
  });

  it('reports an accept after a reject of the same port as shadowed, with the reject as related information', async () => {
    const text = inputChain('inet', 'drop', [
      'ct state established,related accept',
      'tcp dport 6379 reject',
      'tcp dport 6379 accept',
      'tcp dport 22 accept',
    ]);
    const scanned = await scanAs('nftables', text);
    assert.deepEqual(findings(scanned), [
      '6 shadowed-rule information This rule never matches: another rule drops these packets first',
      '7 exposed-sensitive-port warning SSH port 22 is open to any source',
    ]);
    const redis = scanned.at('6379', 1);
    assert.equal(redis.shadowedBy?.span.start, text.indexOf('tcp dport 6379 reject'));
    const service = await testService();
    const hover = service.hover(scanned.scan, scanned.text, redis.span.start + 1);
    assert.match(hover?.markdown ?? '', /never matches: line 5 drops these packets first/);
  });

  it('narrows an accept to the network an earlier drop lets through, in an ip table', async () => {
    const scanned = await scanAs(
      'nftables',
      inputChain('ip', 'drop', ['ip saddr != 10.0.0.0/8 drop', 'tcp dport mysql accept']),
    );
    const mysql = scanned.at('mysql');
    assert.deepEqual([mysql.port, mysql.exposure, mysql.context.source], [3306, 'private', '10.0.0.0/8']);
    assert.deepEqual(findings(scanned), []);
  });

  it('lets IPv6 packets past a drop that only matches IPv4 in an inet table', async () => {
    const scanned = await scanAs(
      'nftables',
      inputChain('inet', 'drop', ['ip saddr != 10.0.0.0/8 drop', 'tcp dport mysql accept']),
    );
    assert.equal(scanned.at('mysql').exposure, 'any', 'an IPv6 packet from anywhere meets no `ip saddr` match');
  });

  it('reads the verdicts of a verdict map as rules, in the map and after it', async () => {
    const scanned = await scanAs(
      'nftables',
      inputChain('ip', 'drop', [
        'ct state vmap { established : accept, related : accept, invalid : drop }',
        'tcp dport vmap { 22 : accept, 447 : drop }',
        'tcp dport 447 accept',
        'iifname vmap { "lo" : accept, "eth1" : drop }',
        'tcp dport 6379 accept',
      ]),
    );
    assert.equal(engineExposure(scanned.at('22')), 'any');
    assert.equal(engineExposure(scanned.at('447', 1)), 'shadowed', 'the map drops 447 first');
    assert.equal(engineExposure(scanned.at('6379')), 'any', 'eth1 is dropped, other interfaces still reach it');
    assert.deepEqual(
      findings(scanned).filter((line) => line.includes('shadowed-rule')),
      ['6 shadowed-rule information This rule never matches: another rule drops these packets first'],
    );
  });

  it("carries a jump's conditions into the chain it jumps to", async () => {
    const text = [
      'table inet filter {',
      '  chain input {',
      '    type filter hook input priority 0; policy drop;',
      '    tcp dport { 80, 443 } jump web',
      '    ip saddr 192.168.0.0/16 jump admin',
      '  }',
      '  chain web {',
      '    accept',
      '  }',
      '  chain admin {',
      '    tcp dport 447 accept',
      '  }',
      '}',
      '',
    ].join('\n');
    const scanned = await scanAs('nftables', text);
    assert.deepEqual(scanned.scan.signals, [], 'web accepts only what reaches it: ports 80 and 443');
    assert.deepEqual([scanned.at('447').exposure, scanned.at('447').context.source], ['private', '192.168.0.0/16']);
  });

  it('reports an accept of every packet on an interface once, naming the interface', async () => {
    const scanned = await scanAs(
      'nftables',
      inputChain('inet', 'drop', ['iif lo accept', 'iifname "eth0" ct state new accept']),
    );
    assert.deepEqual(findings(scanned), [
      '5 all-ports-exposed warning Every port is open: chain input accepts any packet on eth0, which may face the internet, from any source',
    ]);
  });

  it('withdraws the every-port finding when an earlier drop leaves only a private network', async () => {
    const scanned = await scanAs('nftables', inputChain('ip', 'drop', ['ip saddr != 10.0.0.0/8 drop', 'accept']));
    assert.deepEqual(findings(scanned), []);
  });

  it('lets a drop that only some packets meet (a limit, a count, a dynamic set) take nothing away', async () => {
    const scanned = await scanAs(
      'nftables',
      inputChain('ip', 'drop', [
        'ct state new add @flood { ip saddr limit rate over 600/minute } drop',
        'ct state new update @seen { ip saddr ct count over 20 } drop',
        'ip saddr @blocklist tcp dport 25 drop',
        'tcp dport 25 limit rate 10/second drop',
        'ct state new tcp dport 25 accept',
      ]),
    );
    assert.equal(engineExposure(scanned.at('25', 2)), 'any');
  });

  it('reports an accepting policy behind a jump into a chain that only logs, and not behind one that drops', async () => {
    const file = (logging: string) =>
      [
        'table inet filter {',
        '  chain input {',
        '    type filter hook input priority 0; policy accept;',
        '    jump logging',
        '  }',
        '  chain logging {',
        `    ${logging}`,
        '  }',
        '}',
        '',
      ].join('\n');
    const logged = await scanAs('nftables', file('log prefix "in: "'));
    assert.deepEqual(findings(logged), [
      '3 all-ports-exposed warning Every port is open: chain input has policy accept, and no rule drops what its rules do not match',
    ]);
    assert.deepEqual(findings(await scanAs('nftables', file('log prefix "in: " drop'))), []);
    const privateOnly = await scanAs('nftables', inputChain('ip', 'accept', ['ip saddr != 192.168.0.0/16 drop']));
    assert.deepEqual(findings(privateOnly), [], 'only a private network reaches the policy');
  });

  it('reads the nft commands of a script as one ruleset, in script order: insert goes first, flush empties', async () => {
    const scanned = await scanShell(
      [
        '#!/bin/sh',
        'nft add table inet filter',
        "nft add chain inet filter input '{ type filter hook input priority 0; policy drop; }'",
        'nft add rule inet filter input tcp dport 23 drop',
        'nft flush chain inet filter input',
        'nft add rule inet filter input tcp dport 6379 accept',
        'nft insert rule inet filter input tcp dport 6379 drop',
        'nft add rule inet filter input tcp dport 23 accept',
        '',
      ].join('\n'),
    );
    assert.equal(engineExposure(scanned.at('6379', 0)), 'shadowed', 'the inserted drop comes first');
    assert.equal(engineExposure(scanned.at('23', 1)), 'any', 'the flush took the earlier drop away');
  });

  it('drops what another input base chain with policy drop lets nothing of through, of the families it sees', async () => {
    const text = (guard: string, family = 'inet') =>
      [
        'table inet filter {',
        '  chain input {',
        '    type filter hook input priority 0; policy accept;',
        '    tcp dport 6379 accept',
        '    tcp dport 22 accept',
        '  }',
        '}',
        `table ${family} guard {`,
        '  chain input {',
        '    type filter hook input priority -10; policy drop;',
        '    ct state established,related accept',
        `    ${guard}`,
        '    tcp dport 22 accept',
        '  }',
        '}',
        '',
      ].join('\n');
    const closed = await scanAs('nftables', text('counter'));
    assert.equal(engineExposure(closed.at('6379')), 'shadowed', 'guard accepts no new connection to 6379');
    assert.match(closed.at('6379').shadowedBy?.message ?? '', /chain input of table guard/);
    assert.equal(engineExposure(closed.at('22', 0)), 'any', 'guard accepts 22 too');
    const loopback = await scanAs('nftables', text('iif lo accept'));
    assert.equal(engineExposure(loopback.at('6379')), 'loopback', "only this host's packets pass guard");
    const ipOnly = await scanAs('nftables', text('counter', 'ip'));
    assert.equal(engineExposure(ipOnly.at('6379')), 'any', 'an ip table says nothing of IPv6 packets');
  });

  it('follows jump loops and undefined chains without hanging', async () => {
    const text = [
      'table ip filter {',
      '  chain input {',
      '    type filter hook input priority 0; policy drop;',
      '    jump a',
      '    jump missing',
      '  }',
      '  chain a {',
      '    jump b',
      '  }',
      '  chain b {',
      '    jump a',
      '    tcp dport 22 accept',
      '  }',
      '}',
      '',
    ].join('\n');
    const scanned = await scanAs('nftables', text);
    assert.equal(scanned.at('22').exposure, 'any');
  });
});
