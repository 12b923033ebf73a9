import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PortMention } from '../../server/src/scan/mention';
import { type ScannedText, scanAs, scanShell, testService } from './helpers';

/*
 * A deliberately simple packet simulator, written from iptables(8) and iptables-extensions(8) and nothing else:
 * it walks INPUT rule by rule for one packet, follows jumps, gotos and RETURN, and says which rule decides. The
 * property test generates random rulesets and holds the engine's effective exposure of every accepted port to
 * what the simulator finds for representative packets.
 */

interface SimRule {
  chain: string;
  protocol?: 'tcp' | 'udp';
  /** Destination ports, with `!` negating the whole option. */
  ports?: { ranges: [number, number][]; negated: boolean };
  source?: { networks: string[]; negated: boolean };
  iface?: { name: string; negated: boolean };
  /** Whether a conntrack state match lets packets of new connections through. */
  state?: 'NEW' | 'ESTABLISHED,RELATED';
  /** A match the model cannot decide (`-m limit`): true for the rule being judged, false for the others. */
  limited: boolean;
  target: string;
  goto: boolean;
}

interface Packet {
  protocol: 'tcp' | 'udp';
  port: number;
  source: number;
  iface: string;
}

const NETWORKS = [
  '10.0.0.0/8',
  '10.1.0.0/16',
  '192.168.1.0/24',
  '203.0.113.0/24',
  '198.51.100.7',
  '127.0.0.1',
  '0.0.0.0/0',
];
/** Sources that stand for each class: two unnamed public hosts, named public networks, private, loopback. */
const UNNAMED_PUBLIC = ['8.8.8.8', '150.1.1.1'];
const NAMED_PUBLIC = ['203.0.113.5', '198.51.100.7'];
const PRIVATE = ['10.1.2.3', '10.2.0.1', '192.168.1.5'];
const INTERFACES = ['eth0', 'eth1', 'wan9'];

function ipv4(text: string): number {
  return text.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

function inNetwork(address: number, network: string): boolean {
  const [base, bits = '32'] = network.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(address / size) === Math.floor(ipv4(base) / size);
}

function matches(rule: SimRule, packet: Packet, judged: SimRule): boolean {
  const protocol = rule.protocol ?? (rule.ports ? 'tcp' : undefined);
  if (protocol && protocol !== packet.protocol) return false;
  if (rule.ports) {
    const inside = rule.ports.ranges.some(([low, high]) => packet.port >= low && packet.port <= high);
    if (inside === rule.ports.negated) return false;
  }
  if (rule.source) {
    const inside = rule.source.networks.some((network) => inNetwork(packet.source, network));
    if (inside === rule.source.negated) return false;
  }
  if (rule.iface && (packet.iface === rule.iface.name) === rule.iface.negated) return false;
  if (rule.state === 'ESTABLISHED,RELATED') return false;
  // Some packets pass a limit and some do not: each rule takes them or not as lets them reach the judged rule
  // (the judged rule and a jump toward it take them; a RETURN out of a chain the judged rule is not in takes them).
  const toward =
    rule === judged || rule.target === judged.chain || (rule.target === 'RETURN' && rule.chain !== judged.chain);
  if (rule.limited && !toward) return false;
  return true;
}

/** The rule that decides the packet, or the policy (undefined); RETURN gives back 'return'. */
function decide(
  rules: readonly SimRule[],
  chain: string,
  packet: Packet,
  judged: SimRule,
  depth = 0,
): SimRule | 'return' | 'drop' | undefined {
  for (const rule of rules.filter((item) => item.chain === chain)) {
    if (!matches(rule, packet, judged)) continue;
    if (rule.target === 'ACCEPT' || rule.target === 'DROP' || rule.target === 'REJECT') return rule;
    if (rule.target === 'RETURN') return 'return';
    if (rule.target === 'LOG') continue;
    if (depth > 4) continue;
    const inner = decide(rules, rule.target, packet, judged, depth + 1);
    if (inner !== 'return' && inner !== undefined) return inner;
    // A goto does not come back: the packet meets the built-in chain's policy.
    if (rule.goto) return 'drop';
  }
  return chain === 'INPUT' ? 'drop' : 'return';
}

/** What the simulator says reaches `rule` at `port` and is accepted by it. */
function simulatedExposure(rules: readonly SimRule[], rule: SimRule, protocol: 'tcp' | 'udp', ports: number[]): string {
  const acceptedFrom = (sources: string[], ifaces: string[]) =>
    sources.some((source) =>
      ifaces.some((iface) =>
        ports.some((port) => decide(rules, 'INPUT', { protocol, port, source: ipv4(source), iface }, rule) === rule),
      ),
    );
  if (acceptedFrom(UNNAMED_PUBLIC, INTERFACES)) return 'any';
  if (acceptedFrom(NAMED_PUBLIC, INTERFACES)) return 'public';
  if (acceptedFrom(PRIVATE, INTERFACES)) return 'private';
  if (
    acceptedFrom(['127.0.0.1', ...UNNAMED_PUBLIC, ...NAMED_PUBLIC, ...PRIVATE], ['lo']) ||
    acceptedFrom(['127.0.0.1'], INTERFACES)
  )
    return 'loopback';
  return 'shadowed';
}

function ruleText(rule: SimRule): string {
  const words = [`-A ${rule.chain}`];
  if (rule.iface) words.push(`${rule.iface.negated ? '! ' : ''}-i ${rule.iface.name}`);
  if (rule.source) words.push(`${rule.source.negated ? '! ' : ''}-s ${rule.source.networks.join(',')}`);
  if (rule.protocol) words.push(`-p ${rule.protocol}`);
  if (rule.ports) {
    const written = rule.ports.ranges.map(([low, high]) => (low === high ? `${low}` : `${low}:${high}`));
    const negation = rule.ports.negated ? '! ' : '';
    words.push(
      written.length > 1 ? `-m multiport ${negation}--dports ${written.join(',')}` : `${negation}--dport ${written[0]}`,
    );
  }
  if (rule.state) words.push(`-m conntrack --ctstate ${rule.state}`);
  if (rule.limited) words.push('-m limit --limit 5/min');
  words.push(`${rule.goto ? '-g' : '-j'} ${rule.target}`);
  return words.join(' ');
}

const PORTS: [number, number][] = [
  [22, 22],
  [80, 80],
  [443, 443],
  [447, 447],
  [6379, 6379],
  [440, 450],
  [6000, 7000],
];

function ruleArbitrary(chain: string, targets: string[]): fc.Arbitrary<SimRule> {
  const option = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined, freq: 2 });
  return fc
    .record({
      chain: fc.constant(chain),
      protocol: option(fc.constantFrom('tcp' as const, 'udp' as const)),
      ports: option(
        fc.record({
          ranges: fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 2 }),
          negated: fc.boolean(),
        }),
      ),
      source: option(
        fc.record({
          networks: fc.uniqueArray(fc.constantFrom(...NETWORKS), { minLength: 1, maxLength: 2 }),
          negated: fc.boolean(),
        }),
      ),
      iface: option(fc.record({ name: fc.constantFrom('eth0', 'eth1', 'lo'), negated: fc.boolean() })),
      state: option(fc.constantFrom('NEW' as const, 'ESTABLISHED,RELATED' as const)),
      limited: fc.integer({ min: 0, max: 5 }).map((value) => value === 0),
      target: fc.constantFrom(...targets),
      goto: fc.boolean(),
    })
    .map((rule) => ({
      ...rule,
      goto: rule.goto && !['ACCEPT', 'DROP', 'REJECT', 'LOG', 'RETURN'].includes(rule.target),
    }));
}

const rulesetArbitrary = fc
  .tuple(
    fc.array(ruleArbitrary('INPUT', ['ACCEPT', 'ACCEPT', 'DROP', 'REJECT', 'LOG', 'USERS']), {
      minLength: 1,
      maxLength: 7,
    }),
    fc.array(ruleArbitrary('USERS', ['ACCEPT', 'DROP', 'RETURN', 'LOG']), { maxLength: 4 }),
  )
  .map(([input, users]) => [...input, ...users]);

/** The ports the file names inside a mention's range, and its ends: the representative ports of the range. */
function representativePorts(mention: PortMention): number[] {
  const last = mention.endPort ?? mention.port;
  const named = PORTS.flat().filter((port) => port >= mention.port && port <= last);
  return [...new Set([mention.port, last, ...named])];
}

function engineExposure(mention: PortMention): string {
  return mention.shadowedBy ? 'shadowed' : mention.exposure;
}

/**
 * A case the simulation once found: USERS returns only eth0's packets (some of them, past the limit), so it
 * accepts every packet of the other interfaces, which are the only ones the INPUT accept after the jump takes.
 */
const NO_MATCHES = { limited: false, goto: false } as const;
const RETURN_FOR_ONE_INTERFACE: SimRule[] = [
  { ...NO_MATCHES, chain: 'INPUT', target: 'USERS' },
  {
    ...NO_MATCHES,
    chain: 'INPUT',
    ports: { ranges: [[22, 22]], negated: false },
    iface: { name: 'eth0', negated: true },
    limited: true,
    target: 'ACCEPT',
  },
  { ...NO_MATCHES, chain: 'USERS', iface: { name: 'eth0', negated: false }, limited: true, target: 'RETURN' },
  { ...NO_MATCHES, chain: 'USERS', target: 'ACCEPT' },
];

/**
 * A counterexample the property found: USERS returns established packets only, then accepts every new one, so the
 * INPUT accept of 22 after the jump never sees a new connection.
 */
const RETURN_OF_ESTABLISHED_ONLY: SimRule[] = [
  { ...NO_MATCHES, chain: 'INPUT', target: 'USERS' },
  { ...NO_MATCHES, chain: 'INPUT', ports: { ranges: [[22, 22]], negated: false }, limited: true, target: 'ACCEPT' },
  { ...NO_MATCHES, chain: 'INPUT', limited: true, target: 'ACCEPT' },
  { ...NO_MATCHES, chain: 'USERS', state: 'ESTABLISHED,RELATED', limited: true, target: 'RETURN' },
  { ...NO_MATCHES, chain: 'USERS', target: 'ACCEPT' },
];

describe('iptables ruleset evaluation', () => {
  it('gives every accepted port the exposure a packet-by-packet simulation finds', async () => {
    await fc.assert(
      fc.asyncProperty(rulesetArbitrary, async (rules) => {
        const text = ['*filter', ':INPUT DROP [0:0]', ':USERS - [0:0]', ...rules.map(ruleText), 'COMMIT', ''].join(
          '\n',
        );
        const scanned = await scanAs('iptables', text);
        rules.forEach((rule, index) => {
          const line = index + 4;
          // An accept of established packets only opens nothing to new connections, and is judged on its line alone.
          if (rule.target !== 'ACCEPT' || !rule.ports || rule.ports.negated || rule.state === 'ESTABLISHED,RELATED')
            return;
          for (const mention of scanned.scan.mentions.filter((item) => scanned.lineOf(item) === line)) {
            const protocol = rule.protocol ?? 'tcp';
            const expected = simulatedExposure(rules, rule, protocol, representativePorts(mention));
            // A chain that no rule reaches is not judged by the ruleset: its rules keep what their line says.
            if (rule.chain === 'USERS' && !rules.some((other) => other.chain === 'INPUT' && other.target === 'USERS'))
              continue;
            assert.equal(engineExposure(mention), expected, `line ${line} port ${mention.port} in\n${text}`);
          }
        });
      }),
      { numRuns: 1500, examples: [[RETURN_FOR_ONE_INTERFACE], [RETURN_OF_ESTABLISHED_ONLY]] },
    );
  });
});

describe('iptables rule order', () => {
  const findings = (scanned: ScannedText) =>
    scanned.scan.findings.map(
      (finding) => `${scanned.lineOf(finding)} ${finding.ruleId} ${finding.severity} ${finding.message}`,
    );

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
