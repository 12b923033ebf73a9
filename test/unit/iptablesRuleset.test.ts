import * as assert from 'node:assert/strict';
import { scanAs, scanShell, testService } from './helpers';
import { checkAgainstSimulation, engineExposure, findingLines as findings, iptablesRuleset } from './rulesetSimulation';

describe('iptables ruleset evaluation', () => {
  it('gives every accepted port the exposure a packet-by-packet simulation finds', async () => {
    await checkAgainstSimulation(iptablesRuleset, 'iptables', 1500);
  });
});

describe('iptables rule order', () => {
  it('reports an accept appended after a final REJECT as shadowed, with the REJECT as related information', async () => {
    // The loopback accept takes this host's own packets first, but the REJECT is what closes the port to others.
    const rules = [
      '-A INPUT -i lo -j ACCEPT',
      '-A INPUT -p tcp --dport 22 -j ACCEPT',
      '-A INPUT -j REJECT',
      '-A INPUT -p tcp --dport 6379 -j ACCEPT',
    ];
    const scanned = await scanAs('iptables', ['*filter', ':INPUT DROP [0:0]', ...rules, 'COMMIT', ''].join('\n'));
    assert.deepEqual(findings(scanned), [
      '4 exposed-sensitive-port warning SSH port 22 is open to any source',
      '6 shadowed-rule information This rule never matches: another rule drops these packets first',
    ]);
    const redis = scanned.at('6379');
    assert.deepEqual(redis.shadowedBy, {
      span: { start: scanned.text.indexOf('-A INPUT -j REJECT'), end: scanned.text.indexOf('-A INPUT -j REJECT') + 18 },
      message: 'drops these packets first',
    });
    assert.equal(scanned.scan.findings[1].related[0].span.start, scanned.text.indexOf('-A INPUT -j REJECT'));
    const service = await testService();
    const hover = service.hover(scanned.scan, scanned.text, redis.span.start + 1);
    assert.match(
      hover?.markdown ?? '',
      /\*\*Here:\*\* never matches: line 5 drops these packets first \(iptables, chain INPUT, policy DROP\)/,
    );
  });

  it('narrows an accept to what earlier drops let through, and says so in the hover', async () => {
    const text = [
      '*filter',
      ':INPUT DROP [0:0]',
      '-A INPUT ! -s 10.0.0.0/8 -j DROP',
      '-A INPUT -p tcp --dport 3306 -j ACCEPT',
      'COMMIT',
      '',
    ].join('\n');
    const scanned = await scanAs('iptables', text);
    const mysql = scanned.at('3306');
    assert.deepEqual([mysql.exposure, mysql.context.source], ['private', '10.0.0.0/8']);
    assert.deepEqual(findings(scanned), []);
  });

  it("carries a jump's conditions into the chain it jumps to", async () => {
    const text = [
      '*filter',
      ':INPUT DROP [0:0]',
      ':ufw-http - [0:0]',
      ':admin - [0:0]',
      '-A INPUT -p tcp --dport 80 -j ufw-http',
      '-A INPUT -p tcp --dport 443 -j ufw-http',
      '-A ufw-http -j ACCEPT',
      '-A INPUT -j admin',
      '-A admin -p tcp --dport 447 -j ACCEPT',
      'COMMIT',
      '',
    ].join('\n');
    const scanned = await scanAs('iptables', text);
    assert.deepEqual(scanned.scan.signals, [], 'ufw-http accepts only what reaches it: ports 80 and 443');
    assert.deepEqual(findings(scanned), [
      '9 cleartext-protocol information IBM i DDM port 447 is clear text; port 448 (IBM i DDM/DRDA over TLS) is its secure counterpart',
      '9 exposed-critical-port error IBM i DDM port 447 is open to any source',
    ]);
  });

  it('reads the rules a script adds in script order: -I before -A, -D removes', async () => {
    const scanned = await scanShell(
      [
        '#!/bin/sh',
        'iptables -P INPUT DROP',
        'iptables -A INPUT -p tcp --dport 6379 -j ACCEPT',
        'iptables -I INPUT -p tcp --dport 6379 -j DROP',
        'iptables -A INPUT -p tcp --dport 23 -j DROP',
        'iptables -A INPUT -p tcp --dport 23 -j ACCEPT',
        'iptables -D INPUT -p tcp --dport 23 -j DROP',
        '',
      ].join('\n'),
    );
    assert.equal(engineExposure(scanned.at('6379')), 'shadowed', 'inserted at the top, the DROP comes first');
    assert.equal(engineExposure(scanned.at('23', 1)), 'any', 'the DROP before it was deleted');
  });

  it('takes a rule that a later -D, -F or ufw delete removes for one that opens nothing, and says which line', async () => {
    const scanned = await scanShell(
      [
        '#!/bin/sh',
        'iptables -A INPUT -p tcp --dport 6379 -j ACCEPT',
        'iptables -A INPUT -j ACCEPT',
        'ufw allow 80/tcp',
        'iptables -F INPUT',
        'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
        'ufw delete allow 80/tcp',
        '',
      ].join('\n'),
    );
    assert.equal(engineExposure(scanned.at('6379')), 'shadowed');
    assert.equal(engineExposure(scanned.at('80', 0)), 'shadowed');
    assert.equal(engineExposure(scanned.at('22')), 'any', 'added after the flush');
    assert.deepEqual(findings(scanned), [
      '2 shadowed-rule information This rule never matches: another rule flushes its chain later in the script',
      '3 shadowed-rule information This rule never matches: another rule flushes its chain later in the script',
      '4 shadowed-rule information This rule never matches: another rule deletes it later in the script',
      '6 exposed-sensitive-port warning SSH port 22 is open to any source',
    ]);
    const service = await testService();
    const hover = service.hover(scanned.scan, scanned.text, scanned.at('6379').span.start + 1);
    assert.match(hover?.markdown ?? '', /never matches: line 5 flushes its chain later in the script/);
  });

  it("keeps what a rule opens where the command that deletes it may not run (an init script's stop)", async () => {
    const scanned = await scanShell(
      [
        '#!/bin/sh',
        'start() { iptables -A INPUT -p tcp --dport 1363 -j ACCEPT; }',
        'stop() { iptables -D INPUT -p tcp --dport 1363 -j ACCEPT; }',
        'case "$1" in start) start ;; stop) stop ;; esac',
        'iptables -A INPUT -p tcp --dport 6379 -j ACCEPT',
        '[ -n "$CLOSE" ] && iptables -D INPUT -p tcp --dport 6379 -j ACCEPT',
        '',
      ].join('\n'),
    );
    assert.equal(engineExposure(scanned.at('1363', 0)), 'any');
    assert.equal(engineExposure(scanned.at('6379', 0)), 'any', 'the delete runs only when CLOSE is set');
  });

  it('reads ufw commands in the order ufw keeps them: deny then allow, and insert before the rest', async () => {
    const scanned = await scanShell(
      [
        '#!/bin/sh',
        'ufw deny 6379/tcp',
        'ufw allow 6379/tcp',
        'ufw allow from 203.0.113.0/24 to any port 22 proto tcp',
        'ufw insert 1 deny from 203.0.113.0/24',
        'ufw allow 6379/udp',
        '',
      ].join('\n'),
    );
    assert.equal(engineExposure(scanned.at('6379', 1)), 'shadowed', 'the deny of 6379/tcp comes first');
    assert.equal(
      engineExposure(scanned.at('22')),
      'shadowed',
      'inserted at the top, the deny of that network comes first',
    );
    assert.equal(engineExposure(scanned.at('6379', 2)), 'any', 'udp is not the denied tcp');
    assert.deepEqual(findings(scanned).filter((line) => line.includes('shadowed-rule')).length, 2);
  });

  it('reports an accepting policy behind a jump into a chain that only logs, and not behind one that drops', async () => {
    const file = (logging: string[]) =>
      ['*filter', ':INPUT ACCEPT [0:0]', ':LOGGING - [0:0]', '-A INPUT -j LOGGING', ...logging, 'COMMIT', ''].join(
        '\n',
      );
    const logged = await scanAs('iptables', file(['-A LOGGING -j LOG --log-prefix "in: "']));
    assert.deepEqual(findings(logged), [
      '2 all-ports-exposed warning Every port is open: chain INPUT has policy ACCEPT and no rule drops what its rules do not match',
    ]);
    const dropped = await scanAs('iptables', file(['-A LOGGING -j LOG --log-prefix "in: "', '-A LOGGING -j DROP']));
    assert.deepEqual(findings(dropped), []);
  });

  it('leaves an accepting policy unreported when earlier drops let only a private network reach it', async () => {
    const scanned = await scanShell(
      ['#!/bin/sh', 'iptables -P INPUT ACCEPT', 'iptables -A INPUT ! -s 10.0.0.0/8 -j DROP', ''].join('\n'),
    );
    assert.deepEqual(findings(scanned), []);
  });

  it('follows jump loops and undefined chains without hanging', async () => {
    const text = [
      '*filter',
      ':INPUT DROP [0:0]',
      ':A - [0:0]',
      ':B - [0:0]',
      '-A INPUT -j A',
      '-A A -j B',
      '-A B -j A',
      '-A B -p tcp --dport 22 -j ACCEPT',
      '-A INPUT -j MISSING',
      'COMMIT',
      '',
    ].join('\n');
    const scanned = await scanAs('iptables', text);
    assert.equal(scanned.at('22').exposure, 'any');
  });
});
