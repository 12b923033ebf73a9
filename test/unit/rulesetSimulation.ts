import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PortMention } from '../../server/src/scan/mention';
import { type ScannedText, scanAs } from './helpers';

/*
 * A deliberately simple packet simulator, written from iptables(8) and iptables-extensions(8) and nothing else:
 * it walks INPUT rule by rule for one packet, follows jumps, gotos and RETURN, and says which rule decides. The
 * property test generates random rulesets and holds the engine's effective exposure of every accepted port to
 * what the simulator finds for representative packets.
 */

export interface SimRule {
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
  /** nftables only: the ports and the verdict written as a verdict map (`tcp dport vmap { 22 : accept }`). */
  mapped: boolean;
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

/**
 * What the simulator says reaches `rule` at `port` and is accepted by it; with `earlierAccepts`, a packet the rule
 * matches that an earlier accept takes counts as accepted too (firewalld orders its allows itself).
 */
function simulatedExposure(
  rules: readonly SimRule[],
  rule: SimRule,
  protocol: 'tcp' | 'udp',
  ports: number[],
  earlierAccepts: boolean,
): string {
  const accepted = (packet: Packet) => {
    const decided = decide(rules, 'INPUT', packet, rule);
    if (decided === rule) return true;
    if (!earlierAccepts || typeof decided !== 'object' || decided.target !== 'ACCEPT') return false;
    return rules.indexOf(decided) < rules.indexOf(rule) && matches(rule, packet, rule);
  };
  const acceptedFrom = (sources: string[], ifaces: string[]) =>
    sources.some((source) =>
      ifaces.some((iface) => ports.some((port) => accepted({ protocol, port, source: ipv4(source), iface }))),
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

/** A ruleset written in one firewall's syntax, and the 1-based line of each rule. */
export interface RenderedRuleset {
  text: string;
  lines: number[];
}

/** An iptables-save file with INPUT (policy DROP) and the user chain USERS. */
export function iptablesRuleset(rules: readonly SimRule[]): RenderedRuleset {
  const head = ['*filter', ':INPUT DROP [0:0]', ':USERS - [0:0]'];
  const text = [...head, ...rules.map(iptablesRuleText), 'COMMIT', ''].join('\n');
  return { text, lines: rules.map((_, index) => head.length + index + 1) };
}

/** An nftables file: a table of family ip (the simulation's packets are IPv4) with INPUT and USERS. */
export function nftablesRuleset(rules: readonly SimRule[]): RenderedRuleset {
  const lines: number[] = [];
  const text = ['table ip filter {'];
  for (const chain of ['INPUT', 'USERS']) {
    text.push(`  chain ${chain} {`);
    if (chain === 'INPUT') text.push('    type filter hook input priority 0; policy drop;');
    rules.forEach((rule, index) => {
      if (rule.chain !== chain) return;
      text.push(`    ${nftablesRuleText(rule)}`);
      lines[index] = text.length;
    });
    text.push('  }');
  }
  text.push('}', '');
  return { text: text.join('\n'), lines };
}

/**
 * What a firewalld zone's rich rules can say of a ruleset: INPUT alone, one source network and one port range per
 * rule, no interface, state, chain, RETURN or negated ports.
 */
export function firewalldExpressible(rules: readonly SimRule[]): SimRule[] {
  return rules
    .filter((rule) => rule.chain === 'INPUT' && rule.target !== 'USERS')
    .map((rule) => ({
      ...rule,
      source: rule.source && { networks: [rule.source.networks[0]], negated: rule.source.negated },
      ports: rule.ports && { ranges: [rule.ports.ranges[0]], negated: false },
      iface: undefined,
      state: undefined,
      goto: false,
      mapped: false,
    }));
}

/** A public zone whose rich rules carry rising negative priorities, so firewalld keeps them in the written order. */
export function firewalldZone(rules: readonly SimRule[]): RenderedRuleset {
  const lines: number[] = [];
  const text = ['<?xml version="1.0" encoding="utf-8"?>', '<zone>', '  <short>Public</short>'];
  rules.forEach((rule, index) => {
    text.push(`  ${firewalldRuleText(rule, index - rules.length)}`);
    lines[index] = text.length;
  });
  text.push('</zone>', '');
  return { text: text.join('\n'), lines };
}

function firewalldRuleText(rule: SimRule, priority: number): string {
  const parts = [`<rule family="ipv4" priority="${priority}">`];
  if (rule.source)
    parts.push(`<source address="${rule.source.networks[0]}"${rule.source.negated ? ' invert="true"' : ''}/>`);
  const protocol = rule.protocol ?? 'tcp';
  if (rule.ports) {
    const [low, high] = rule.ports.ranges[0];
    parts.push(`<port port="${low === high ? low : `${low}-${high}`}" protocol="${protocol}"/>`);
  } else if (rule.protocol) parts.push(`<protocol value="${rule.protocol}"/>`);
  const action = rule.target === 'LOG' ? 'log' : rule.target.toLowerCase();
  parts.push(rule.limited ? `<${action}><limit value="5/m"/></${action}>` : `<${action}/>`);
  parts.push('</rule>');
  return parts.join('');
}

/**
 * What pf can say of a ruleset: INPUT alone (pf has anchors, not chains), no conntrack state, negation of one port
 * only, and a negated source of one network.
 */
export function pfExpressible(rules: readonly SimRule[]): SimRule[] {
  return rules
    .filter((rule) => rule.chain === 'INPUT' && rule.target !== 'USERS')
    .map((rule) => {
      const [first] = rule.ports?.ranges ?? [];
      const onePort = rule.ports?.ranges.length === 1 && first[0] === first[1];
      return {
        ...rule,
        source: rule.source?.negated ? { networks: [rule.source.networks[0]], negated: true } : rule.source,
        ports: rule.ports && { ranges: rule.ports.ranges, negated: rule.ports.negated && onePort },
        state: undefined,
        goto: false,
        mapped: false,
      };
    });
}

/**
 * A pf.conf of IPv4 rules with the first half `quick`, in order, and the rest without, from the last to the first
 * after a `block in inet all`: pf's last match then decides as the simulation's first match does (pf.conf(5)).
 */
export function pfRuleset(rules: readonly SimRule[]): RenderedRuleset {
  const quick = Math.ceil(rules.length / 2);
  const order = [...rules.keys()].slice(0, quick);
  const later = [...rules.keys()].slice(quick).reverse();
  const text = [...order.map((index) => pfRuleText(rules[index], true)), 'block in inet all'];
  const lines: number[] = [];
  order.forEach((index, at) => {
    lines[index] = at + 1;
  });
  for (const index of later) {
    text.push(pfRuleText(rules[index], false));
    lines[index] = text.length;
  }
  return { text: `${text.join('\n')}\n`, lines };
}

function pfRuleText(rule: SimRule, quick: boolean): string {
  const actions: Record<string, string> = { ACCEPT: 'pass', DROP: 'block drop', REJECT: 'block return', LOG: 'match' };
  const words = [actions[rule.target], 'in'];
  if (quick) words.push('quick');
  if (rule.target === 'LOG') words.push('log');
  if (rule.iface)
    words.push('on', `${rule.iface.negated ? '! ' : ''}${rule.iface.name === 'lo' ? 'lo0' : rule.iface.name}`);
  // The simulation's packets are IPv4.
  words.push('inet');
  const protocol = rule.protocol ?? (rule.ports ? 'tcp' : undefined);
  if (protocol) words.push('proto', protocol);
  const networks = rule.source?.networks ?? ['any'];
  const list = networks.length > 1 ? `{ ${networks.join(', ')} }` : networks[0];
  words.push('from', rule.source?.negated ? `! ${list}` : list, 'to', 'any');
  if (rule.ports) {
    const written = rule.ports.ranges.map(([low, high]) => (low === high ? `${low}` : `${low}:${high}`));
    if (rule.ports.negated) words.push('port', `!= ${written[0]}`);
    else words.push('port', written.length > 1 ? `{ ${written.join(', ')} }` : written[0]);
  }
  if (rule.limited) words.push('probability', '50%');
  return words.join(' ');
}

const NFT_VERDICTS: Record<string, string> = {
  ACCEPT: 'accept',
  DROP: 'drop',
  REJECT: 'reject',
  RETURN: 'return',
  LOG: 'log',
};

function nftablesRuleText(rule: SimRule): string {
  const words: string[] = [];
  const set = (items: string[]) => (items.length > 1 ? `{ ${items.join(', ')} }` : items[0]);
  if (rule.iface) words.push(`iifname ${rule.iface.negated ? '!= ' : ''}"${rule.iface.name}"`);
  if (rule.source) words.push(`ip saddr ${rule.source.negated ? '!= ' : ''}${set(rule.source.networks)}`);
  if (rule.state) words.push(`ct state ${rule.state.toLowerCase()}`);
  if (rule.limited) words.push('limit rate 5/minute');
  const verdict = NFT_VERDICTS[rule.target] ?? `${rule.goto ? 'goto' : 'jump'} ${rule.target}`;
  const protocol = rule.protocol ?? 'tcp';
  if (rule.ports) {
    const written = rule.ports.ranges.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`));
    if (rule.mapped)
      return [...words, `${protocol} dport vmap { ${written.map((port) => `${port} : ${verdict}`).join(', ')} }`].join(
        ' ',
      );
    words.push(`${protocol} dport ${rule.ports.negated ? '!= ' : ''}${set(written)}`);
  } else if (rule.protocol) words.push(`meta l4proto ${rule.protocol}`);
  words.push(verdict);
  return words.join(' ');
}

/**
 * Holds the engine's exposure of every port an accept rule opens to what the simulation finds for representative
 * packets. An accept of established packets only opens nothing to new connections, and is judged on its line.
 */
function assertSimulatedExposure(
  rules: readonly SimRule[],
  rendered: RenderedRuleset,
  scanned: ScannedText,
  earlierAccepts: boolean,
): void {
  rules.forEach((rule, index) => {
    const line = rendered.lines[index];
    if (rule.target !== 'ACCEPT' || !rule.ports || rule.ports.negated || rule.state === 'ESTABLISHED,RELATED') return;
    // A chain that no rule reaches is not judged by the ruleset: its rules keep what their line says.
    if (rule.chain === 'USERS' && !rules.some((other) => other.chain === 'INPUT' && other.target === 'USERS')) return;
    for (const mention of scanned.scan.mentions.filter((item) => scanned.lineOf(item) === line)) {
      const protocol = rule.protocol ?? 'tcp';
      const expected = simulatedExposure(rules, rule, protocol, representativePorts(mention), earlierAccepts);
      assert.equal(engineExposure(mention), expected, `line ${line} port ${mention.port} in\n${rendered.text}`);
    }
  });
}

function iptablesRuleText(rule: SimRule): string {
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

/** A verdict map's keys are distinct: nft(8) refuses overlapping intervals in one map. */
function mappable(ports: NonNullable<SimRule['ports']>): boolean {
  const [first, second] = ports.ranges;
  return !ports.negated && (!second || first[1] < second[0] || second[1] < first[0]);
}

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
      mapped: fc.boolean(),
    })
    .map((rule) => ({
      ...rule,
      goto: rule.goto && !['ACCEPT', 'DROP', 'REJECT', 'LOG', 'RETURN'].includes(rule.target),
      mapped: rule.mapped && rule.target !== 'LOG' && rule.ports !== undefined && mappable(rule.ports),
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
export function representativePorts(mention: PortMention): number[] {
  const last = mention.endPort ?? mention.port;
  const named = PORTS.flat().filter((port) => port >= mention.port && port <= last);
  return [...new Set([mention.port, last, ...named])];
}

export function engineExposure(mention: PortMention): string {
  return mention.shadowedBy ? 'shadowed' : mention.exposure;
}

/**
 * A case the simulation once found: USERS returns only eth0's packets (some of them, past the limit), so it
 * accepts every packet of the other interfaces, which are the only ones the INPUT accept after the jump takes.
 */
export const NO_MATCHES = { limited: false, goto: false, mapped: false } as const;
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

/**
 * A counterexample the nftables property found: USERS returns some packets of 10.0.0.0/8 and accepts the rest, so
 * only that network reaches the INPUT accept of 22 after the jump; the RETURN does not hand back every source.
 */
const RETURN_OF_ONE_NETWORK: SimRule[] = [
  { ...NO_MATCHES, chain: 'INPUT', target: 'USERS' },
  { ...NO_MATCHES, chain: 'INPUT', ports: { ranges: [[22, 22]], negated: false }, limited: true, target: 'ACCEPT' },
  {
    ...NO_MATCHES,
    chain: 'USERS',
    source: { networks: ['10.0.0.0/8'], negated: false },
    limited: true,
    target: 'RETURN',
  },
  { ...NO_MATCHES, chain: 'USERS', target: 'ACCEPT' },
];

/**
 * Another: USERS returns some packets to ports 440-450 and accepts the rest, so no packet to 22 comes back to the
 * INPUT accept of 22 after the jump.
 */
const RETURN_OF_OTHER_PORTS: SimRule[] = [
  { ...NO_MATCHES, chain: 'INPUT', target: 'USERS' },
  { ...NO_MATCHES, chain: 'INPUT', ports: { ranges: [[22, 22]], negated: false }, limited: true, target: 'ACCEPT' },
  { ...NO_MATCHES, chain: 'USERS', ports: { ranges: [[440, 450]], negated: false }, limited: true, target: 'RETURN' },
  { ...NO_MATCHES, chain: 'USERS', target: 'ACCEPT' },
];

/** Each finding as `LINE RULE SEVERITY MESSAGE`, in the order the scan reports them. */
export function findingLines(scanned: ScannedText): string[] {
  return scanned.scan.findings.map(
    (finding) => `${scanned.lineOf(finding)} ${finding.ruleId} ${finding.severity} ${finding.message}`,
  );
}

/**
 * The property: for random rulesets (and the counterexamples found so far), written by `render` and scanned as
 * `languageId`, every accepted port has the exposure the simulation finds.
 */
export async function checkAgainstSimulation(
  render: (rules: readonly SimRule[]) => RenderedRuleset,
  languageId: string,
  numRuns: number,
  options: { expressible?: (rules: readonly SimRule[]) => SimRule[]; earlierAccepts?: boolean } = {},
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(rulesetArbitrary, async (drawn) => {
      const rules = options.expressible ? options.expressible(drawn) : drawn;
      const rendered = render(rules);
      const scanned = await scanAs(languageId, rendered.text);
      assertSimulatedExposure(rules, rendered, scanned, options.earlierAccepts ?? false);
    }),
    {
      numRuns,
      examples: [
        [RETURN_FOR_ONE_INTERFACE],
        [RETURN_OF_ESTABLISHED_ONLY],
        [RETURN_OF_ONE_NETWORK],
        [RETURN_OF_OTHER_PORTS],
      ],
    },
  );
}
