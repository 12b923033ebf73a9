import * as assert from 'node:assert/strict';
import { scanAs, scanShell } from './helpers';
import {
  checkAgainstSimulation,
  engineExposure,
  findingLines as findings,
  firewalldExpressible,
  firewalldZone,
} from './rulesetSimulation';

function zone(body: readonly string[], attributes = ''): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<zone${attributes}>`,
    ...body.map((line) => `  ${line}`),
    '</zone>',
    '',
  ].join('\n');
}

describe('firewalld zone evaluation', () => {
  it('gives every accepted port the exposure a packet-by-packet simulation finds', async () => {
    // Rich rules by priority, first match wins; an accept taken by an earlier accept is accepted all the same.
    await checkAgainstSimulation(firewalldZone, 'firewalld', 600, {
      expressible: firewalldExpressible,
      earlierAccepts: true,
    });
  });

  it('reports a port that a rich rule with a negative priority rejects first as shadowed', async () => {
    const text = zone([
      '<short>Public</short>',
      '<port port="447" protocol="tcp"/>',
      '<rule priority="-10"><port port="447" protocol="tcp"/><reject/></rule>',
    ]);
    const scanned = await scanAs('firewalld', text);
    assert.deepEqual(
      findings(scanned).filter((line) => line.includes('shadowed-rule')),
      ['4 shadowed-rule information This rule never matches: another rule drops these packets first'],
    );
    assert.equal(scanned.at('447').shadowedBy?.span.start, text.indexOf('<rule priority="-10">'));
  });

  it('puts deny rich rules before the allows of the same priority, and narrows a service to what they let in', async () => {
    const scanned = await scanAs(
      'firewalld',
      zone([
        '<short>Public</short>',
        '<source address="0.0.0.0/0"/>',
        '<service name="ssh"/>',
        '<rule family="ipv4"><source address="10.0.0.0/8" invert="true"/><service name="ssh"/><drop/></rule>',
      ]),
    );
    const ssh = scanned.at('ssh');
    assert.deepEqual([ssh.port, ssh.exposure, ssh.context.source], [22, 'private', '10.0.0.0/8']);
  });

  it('runs rich rules with a positive priority after the allows, lowest first', async () => {
    const scanned = await scanAs(
      'firewalld',
      zone([
        '<short>Public</short>',
        '<rule family="ipv4" priority="5"><port port="1364" protocol="tcp"/><accept/></rule>',
        '<rule family="ipv4" priority="1"><port port="1364" protocol="tcp"/><drop/></rule>',
        '<rule family="ipv4" priority="1"><port port="1363" protocol="tcp"/><drop><limit value="1/m"/></drop></rule>',
        '<rule family="ipv4" priority="5"><port port="1363" protocol="tcp"/><accept/></rule>',
      ]),
    );
    assert.equal(engineExposure(scanned.at('1364')), 'shadowed');
    assert.equal(engineExposure(scanned.at('1363', 1)), 'any', 'a limited drop takes only some packets');
  });

  it('judges an IPv4-only deny for IPv4 alone: IPv6 packets still reach the port', async () => {
    const scanned = await scanAs(
      'firewalld',
      zone([
        '<short>Public</short>',
        '<port port="6379" protocol="tcp"/>',
        '<rule family="ipv4"><source address="10.0.0.0/8" invert="true"/><port port="6379" protocol="tcp"/><drop/></rule>',
      ]),
    );
    assert.equal(scanned.at('6379').exposure, 'any');
  });

  it('withdraws target ACCEPT when a rule before the target drops all but a private network', async () => {
    const body = ['<short>Public</short>'];
    const open = await scanAs('firewalld', zone(body, ' target="ACCEPT"'));
    assert.deepEqual(findings(open), ['2 all-ports-exposed warning Every port is open: zone Public has target ACCEPT']);
    const narrowed = await scanAs(
      'firewalld',
      zone(
        [
          ...body,
          '<rule family="ipv4" priority="-1"><source address="10.0.0.0/8" invert="true"/><drop/></rule>',
          '<rule family="ipv6" priority="-1"><drop/></rule>',
        ],
        ' target="ACCEPT"',
      ),
    );
    assert.deepEqual(findings(narrowed), []);
  });

  it('keeps what its line says for a zone whose interfaces may not face the internet', async () => {
    const scanned = await scanAs('firewalld', zone(['<short>Internal</short>', '<service name="postgresql"/>']));
    assert.equal(scanned.at('postgresql').exposure, 'unknown');
  });

  it('lets anyone on a public zone interface in, whatever sources the zone also binds', async () => {
    const scanned = await scanAs(
      'firewalld',
      zone([
        '<short>Public</short>',
        '<interface name="eth0"/>',
        '<source address="10.0.0.0/8"/>',
        '<port port="5432" protocol="tcp"/>',
      ]),
    );
    assert.equal(scanned.at('5432').exposure, 'any');
  });

  it('orders the rules of a policy as those of a zone: a reject first shadows, a drop narrows', async () => {
    const text = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<policy target="CONTINUE">',
      '  <ingress-zone name="external"/>',
      '  <egress-zone name="HOST"/>',
      '  <port port="447" protocol="tcp"/>',
      '  <rule priority="-5"><port port="447" protocol="tcp"/><reject/></rule>',
      '  <port port="6379" protocol="tcp"/>',
      '  <rule family="ipv4"><source address="10.0.0.0/8" invert="true"/><port port="6379" protocol="tcp"/><drop/></rule>',
      '  <rule family="ipv6"><port port="6379" protocol="tcp"/><drop/></rule>',
      '</policy>',
      '',
    ].join('\n');
    const scanned = await scanAs('firewalld', text);
    assert.equal(engineExposure(scanned.at('447', 0)), 'shadowed');
    assert.deepEqual([scanned.at('6379', 0).exposure, scanned.at('6379', 0).context.source], ['private', '10.0.0.0/8']);
  });

  it('orders the rich rules, ports and services a script adds to a zone as firewalld would', async () => {
    const scanned = await scanShell(
      [
        '#!/bin/sh',
        'firewall-cmd --permanent --zone=public --add-port=447/tcp',
        `firewall-cmd --permanent --zone=public --add-rich-rule='rule priority="-5" port port="447" protocol="tcp" reject'`,
        'firewall-cmd --permanent --zone=public --add-service=ssh',
        `firewall-cmd --permanent --zone=public --add-rich-rule='rule family="ipv4" source not address="10.0.0.0/8" service name="ssh" drop'`,
        `firewall-cmd --permanent --zone=public --add-rich-rule='rule family="ipv6" service name="ssh" drop'`,
        '',
      ].join('\n'),
    );
    assert.equal(engineExposure(scanned.at('447')), 'shadowed');
    assert.deepEqual([scanned.at('ssh').exposure, scanned.at('ssh').context.source], ['private', '10.0.0.0/8']);
  });
});
