import { AddressSet } from '../addressSet';
import type { PortMention, RiskSignal } from '../mention';
import type { ChainRule, ChainSet } from '../ruleset/firstMatch';
import { type AddressFamily, type PacketMatch, anyPacket } from '../ruleset/packetMatch';
import { type PortIntervals, complementPorts, intersectPorts, normalize } from '../ruleset/portIntervals';
import { type PfAnalysis, type PfRuleAnalysis, isLoopbackName } from './analysis';
import type { PfPortUse, PfRuleReading } from './rule';

/**
 * pf's filter rules handed to the first-match evaluation (`ruleset/firstMatch.ts`). pf decides a packet by the
 * last rule that matches it, unless a matching rule says `quick`, which decides at once; a packet no rule matches
 * passes (pf.conf(5), "PACKET FILTERING"). That is first match over the quick rules in the order written, then
 * the other rules from the last to the first, then pass. Only inbound filter rules are read: `rdr pass` lets its
 * packets by without the filter rules, and `match` rules decide nothing.
 */

/** What the scanner made of the rules: the mention of each port use, and the all-ports signal of an open rule. */
export interface PfFindings {
  mentionOf: ReadonlyMap<PfPortUse, PortMention>;
  allPorts: ReadonlyMap<PfRuleAnalysis, RiskSignal>;
}

const FILTER = 'filter';
const FAMILIES: Record<AddressFamily, string> = { ipv4: 'inet', ipv6: 'inet6' };

export function pfChainSets(analysis: PfAnalysis, findings: PfFindings): ChainSet[] {
  const filters = analysis.rules.filter(({ reading }) => isInboundFilter(reading));
  const ordered = [
    ...filters.filter(({ reading }) => reading.quick),
    ...filters.filter(({ reading }) => !reading.quick).reverse(),
  ];
  return (['ipv4', 'ipv6'] as const).map((family) => {
    const rules = ordered
      .filter(({ reading }) => (familyOf(reading) ?? FAMILIES[family]) === FAMILIES[family])
      .map((rule) => chainRule(rule, family, analysis, findings));
    return {
      family,
      chains: new Map([[FILTER, rules]]),
      roots: [{ key: FILTER, policy: 'accept' as const }],
      // A pass taken by another pass lets the packets in all the same.
      earlierAcceptsCount: true,
      neverWords: 'never decides a packet',
    };
  });
}

/**
 * `inet` or `inet6` as written, or as the rule's addresses imply: pfctl loads a rule that names only IPv4
 * addresses for IPv4 alone, so `from ! 10.0.0.0/8` matches no IPv6 packet.
 */
function familyOf(reading: PfRuleReading): string | undefined {
  if (reading.family) return reading.family;
  const literals = [...(reading.source?.addresses ?? []), ...(reading.destination?.addresses ?? [])]
    .filter((address) => address.kind === 'word' && address.text !== 'any')
    .map((address) => address.text);
  const v4 = literals.some((text) => /^\d+(\.\d+)*(\/\d+)?$/.test(text));
  const v6 = literals.some((text) => text.includes(':'));
  return v4 && !v6 ? 'inet' : v6 && !v4 ? 'inet6' : undefined;
}

function isInboundFilter(reading: PfRuleReading): boolean {
  return (reading.action === 'pass' || reading.action === 'block') && reading.direction !== 'out';
}

function chainRule(rule: PfRuleAnalysis, family: AddressFamily, analysis: PfAnalysis, findings: PfFindings): ChainRule {
  const { reading, statement } = rule;
  const pass = reading.action === 'pass';
  const destinationUses = reading.uses.filter((use) => use.side === 'destination');
  const mentions = destinationUses.map((use) => findings.mentionOf.get(use)).filter((mention) => mention !== undefined);
  const later = reading.quick ? 'first (quick)' : ', and pf obeys the last rule that matches';
  return {
    line: statement.span,
    mentions: pass ? mentions : [],
    allPorts: findings.allPorts.get(rule),
    match: matchOf(reading, family, analysis, destinationUses, findings),
    action: { kind: pass ? 'accept' : 'drop' },
    verdictToken: statement.tokens[0].token,
    takesWords: `${pass ? 'passes' : 'blocks'} these packets${reading.quick ? ' ' : ''}${later}`,
  };
}

function matchOf(
  reading: PfRuleReading,
  family: AddressFamily,
  analysis: PfAnalysis,
  destinationUses: readonly PfPortUse[],
  findings: PfFindings,
): PacketMatch {
  const every = anyPacket(family).sources!;
  const protocols = reading.protocolsNamed.map((protocol) => protocol.toLowerCase());
  let exact =
    !reading.narrowed &&
    protocols.length <= 1 &&
    !reading.uses.some((use) => use.side === 'source') &&
    !reading.destination?.addresses.some((address) => address.text !== 'any');
  let sources: AddressSet | undefined = every;
  const source = reading.source;
  if (source && source.addresses.length > 0) {
    let listed: AddressSet | undefined = AddressSet.NOTHING;
    for (const address of source.addresses) {
      const one = address.kind === 'paren' ? undefined : analysis.definitions.addressSetOf(address.text, family);
      listed = one && listed?.union(one);
    }
    sources = listed && (source.negated ? every.subtract(listed) : every.intersect(listed));
  }
  let ports: PortIntervals | undefined;
  if (destinationUses.length > 0) {
    const listed: PortIntervals = [];
    let negatedAll: PortIntervals | undefined;
    for (const use of destinationUses) {
      const mention = findings.mentionOf.get(use);
      if (!mention || use.rangeEnd?.operator === '<>') {
        exact = false;
        continue;
      }
      const range: [number, number] = [mention.port, mention.endPort ?? mention.port];
      // `port != 22` matches every other port; several such items all hold at once.
      if (use.operator === '!=') {
        const others = complementPorts([range]);
        negatedAll = negatedAll ? intersectPorts(negatedAll, others) : others;
      } else listed.push(range);
    }
    ports = normalize(negatedAll ? [...listed, ...negatedAll] : listed);
  }
  const iface = reading.iface;
  // pf's loopback interfaces are lo0, lo1...; the evaluation knows loopback as lo.
  const names = iface?.text.split(', ').map((name) => (isLoopbackName(name) ? 'lo' : name)) ?? [];
  const interfaces = !iface ? [] : iface.negated ? names.map((name) => `! ${name}`) : names.length === 1 ? names : [];
  if (iface && !iface.negated && names.length !== 1) exact = false;
  return {
    protocol: protocols.length === 1 ? protocols[0] : 'any',
    ports,
    sources,
    interfaces,
    exact,
    newConnections: true,
  };
}
