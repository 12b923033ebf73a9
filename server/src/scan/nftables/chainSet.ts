import { AddressSet } from '../addressSet';
import type { PortMention, RiskSignal } from '../mention';
import type { ChainRule, ChainSet, RuleAction } from '../ruleset/firstMatch';
import { type AddressFamily, type PacketMatch, anyPacket, conjoin } from '../ruleset/packetMatch';
import { type PortIntervals, complementPorts, normalize } from '../ruleset/portIntervals';
import type { Analysis, RuleAnalysis } from './analysis';
import { type Condition, type PortUse, type Verdict, admitsNewConnections } from './rule';

/**
 * nftables' rules handed to the first-match evaluation (`ruleset/firstMatch.ts`). nft(8) decides a packet in a
 * base chain the way iptables does in a built-in one: the first rule whose matches hold and that has a verdict
 * decides ("VERDICT STATEMENT": accept and drop end the base chain, jump comes back, goto does not, return goes
 * back to the caller or to the policy); a rule without a verdict (counter, log) lets the packet go on. A table of
 * family ip sees IPv4 packets, ip6 IPv6 and inet both, so each address family is evaluated on its own.
 *
 * What the model leaves out, so that a rule it cannot read never takes packets away from a later accept: matches
 * on other fields (destination address, flags, marks), concatenations, rate limits and quotas. That a packet
 * accepted by one base chain on a hook still meets the others there is weighed apart (`baseChains.ts`).
 */

/** The hooks whose filter chains decide which packets reach this host or pass through it. */
const ENTRY_HOOKS = new Set(['input', 'forward']);
const TABLE_FAMILIES: Record<string, readonly AddressFamily[]> = {
  ip: ['ipv4'],
  ip6: ['ipv6'],
  inet: ['ipv4', 'ipv6'],
};

/** The address families whose packets a chain sees, by its `family/table/name` key: none for arp, bridge, netdev. */
export function familiesOfChain(key: string): readonly AddressFamily[] {
  return TABLE_FAMILIES[key.slice(0, key.indexOf('/'))] ?? [];
}

/** What the scanner made of a rule: the mention of each port use, and the all-ports signal of an open rule. */
export interface NftablesFindings {
  mentionOf: ReadonlyMap<PortUse, PortMention>;
  allPorts: ReadonlyMap<RuleAnalysis, RiskSignal>;
}

/**
 * One chain set per address family, of the tables that hold packets of that family. `openPolicy`, the signal of an
 * input chain's accepting policy, is judged as an accept of every packet after that chain's last rule.
 */
export function nftablesChainSets(
  analysis: Analysis,
  findings: NftablesFindings,
  openPolicy?: { signal: RiskSignal; chain: string },
): ChainSet[] {
  const analysed = new Map(analysis.rules.map((rule) => [rule.rule, rule]));
  const entries = [...analysis.ruleset.chains.values()].filter(
    (chain) => chain.base?.type === 'filter' && ENTRY_HOOKS.has(chain.base.hook),
  );
  // Only the chains a packet can reach from an entry chain are read as first-match rules: output and NAT
  // chains, and chains nothing jumps to, decide nothing here.
  const reached = new Set(entries.map((chain) => chain.key));
  for (const key of reached) {
    const chain = analysis.ruleset.chains.get(key)!;
    const scope = key.slice(0, key.lastIndexOf('/'));
    for (const rule of chain.rules)
      for (const jump of analysed.get(rule)!.reading.jumps) {
        const target = `${scope}/${jump.target}`;
        if (analysis.ruleset.chains.has(target)) reached.add(target);
      }
  }
  const shapes = new Map<RuleAnalysis, RuleShape>();
  const shapeOf = (rule: RuleAnalysis) => {
    let shape = shapes.get(rule);
    if (!shape) shapes.set(rule, (shape = ruleShape(rule, findings)));
    return shape;
  };
  return (['ipv4', 'ipv6'] as const).flatMap((family) => {
    const chains = new Map<string, ChainRule[]>();
    for (const key of reached) {
      if (!familiesOfChain(key).includes(family)) continue;
      const chain = analysis.ruleset.chains.get(key)!;
      const rules = chain.rules.flatMap((rule) => chainRules(analysed.get(rule)!, shapeOf, family, findings));
      if (openPolicy?.chain === key) rules.push(policyRule(openPolicy.signal, family));
      chains.set(key, rules);
    }
    const roots = entries
      .filter((chain) => chains.has(chain.key))
      .map((chain) => ({
        key: chain.key,
        policy: chain.policy?.text === 'drop' ? ('drop' as const) : ('accept' as const),
      }));
    return roots.length > 0 ? [{ family, chains, roots }] : [];
  });
}

/** What a rule decides, the same for both families: its matches but for the family's own addresses. */
interface RuleShape {
  /** One per rule, or one per element of a verdict map. */
  parts: { match: PacketMatch | undefined; verdict: Verdict | undefined; mentions: PortMention[] }[];
  branching: boolean;
}

function ruleShape(analysis: RuleAnalysis, findings: NftablesFindings): RuleShape {
  const { reading } = analysis;
  let match: PacketMatch | undefined = reading.rateLimited ? UNREAD : EVERY;
  let branching: Condition | undefined;
  for (const condition of reading.conditions) {
    if (condition.branches) branching = condition;
    else match = match && conjoin(match, conditionMatch(condition, condition.values, condition.uses, findings));
  }
  const accepted = (verdict: Verdict | undefined, uses: readonly PortUse[]) =>
    actionOf(verdict, analysis.rule.scope).kind === 'accept' ? mentionsOf(uses, findings) : [];
  if (!branching) {
    const direct = reading.conditions.filter((condition) => condition.kind === 'port' && !condition.branches);
    const uses = direct.flatMap((condition) => condition.uses);
    return {
      parts: [{ match, verdict: reading.verdict, mentions: accepted(reading.verdict, uses) }],
      branching: false,
    };
  }
  const map = branching;
  const parts = map.branches!.map((branch) => {
    const own = conditionMatch(map, branch.values, branch.uses, findings);
    const verdict = branch.verdict ?? reading.verdict;
    // An element of a concatenation names its own source or interface, which its mention already judges.
    return {
      match: match && conjoin(match, own),
      verdict,
      mentions: accepted(verdict, map.kind === 'concat' ? [] : branch.uses),
    };
  });
  return { parts, branching: true };
}

/** A rule as first-match rules: one, or one per element of a verdict map; none when it cannot see the family. */
function chainRules(
  analysis: RuleAnalysis,
  shapeOf: (rule: RuleAnalysis) => RuleShape,
  family: AddressFamily,
  findings: NftablesFindings,
): ChainRule[] {
  const { reading, rule } = analysis;
  for (const condition of reading.conditions) if (!appliesTo(condition, family)) return [];
  const shape = shapeOf(analysis);
  const everyPacket = anyPacket(family);
  return shape.parts.map(({ match, verdict, mentions }) => ({
    line: rule.span,
    mentions,
    allPorts: shape.branching ? undefined : findings.allPorts.get(analysis),
    // A packet no match admits (tcp and udp at once) is matched by no rule: a rule that takes nothing.
    match: (match && conjoin(everyPacket, match)) ?? { ...everyPacket, sources: AddressSet.NOTHING },
    action: actionOf(verdict, rule.scope),
    verdictToken: reading.verdictWord?.token,
  }));
}

function policyRule(signal: RiskSignal, family: AddressFamily): ChainRule {
  return { line: signal.span, mentions: [], allPorts: signal, match: anyPacket(family), action: { kind: 'accept' } };
}

/** A match on an `ip` or `ip6` field, or `meta nfproto`, holds for packets of that family only. */
function appliesTo(condition: Condition, family: AddressFamily): boolean {
  if (condition.family && condition.family !== family) return false;
  if (condition.kind !== 'nfproto' || condition.branches) return true;
  return condition.values.includes(family) !== (condition.operator === '!=');
}

function actionOf(verdict: Verdict | undefined, scope: string): RuleAction {
  switch (verdict?.kind) {
    case 'accept':
      return { kind: 'accept' };
    case 'drop':
    case 'reject':
      return { kind: 'drop' };
    case 'return':
      return { kind: 'return' };
    case 'jump':
    case 'goto':
      return { kind: verdict.kind, chain: `${scope}/${verdict.target}` };
    default:
      // continue, queue (userspace decides) and no verdict at all: the packet is not decided here.
      return { kind: 'pass' };
  }
}

function mentionsOf(uses: readonly PortUse[], findings: NftablesFindings): PortMention[] {
  const mentions = new Set<PortMention>();
  for (const use of uses) {
    const mention = findings.mentionOf.get(use);
    if (mention) mentions.add(mention);
  }
  return [...mentions];
}

/**
 * What a match admits apart from its sources. Matches other than a source hold for both families alike, so their
 * sources are every address, which the family's own universe narrows when they are joined to a rule.
 */
const EVERY: PacketMatch = {
  protocol: 'any',
  sources: AddressSet.EVERY,
  interfaces: [],
  exact: true,
  newConnections: true,
};
const UNREAD: PacketMatch = { ...EVERY, exact: false };

/** What one match admits, for `values` (the match's own, or one branch's of a verdict map). */
function conditionMatch(
  condition: Condition,
  values: readonly string[],
  uses: readonly PortUse[],
  findings: NftablesFindings,
): PacketMatch {
  const negated = condition.operator === '!=';
  switch (condition.kind) {
    case 'port': {
      const protocol = condition.protocol === 'any' ? 'any' : condition.protocol;
      // A source port is not read: the rule is inexact.
      if (condition.sourcePort) return { ...UNREAD, protocol };
      const listed: PortIntervals = [];
      for (const use of uses) {
        const mention = findings.mentionOf.get(use);
        if (mention) listed.push([mention.port, mention.endPort ?? mention.port]);
      }
      // A value that is no port (an unknown service name) is not read either.
      const exact = listed.length === uses.length && uses.length > 0;
      const ports = normalize(listed);
      return { ...EVERY, protocol, ports: negated ? complementPorts(ports) : ports, exact };
    }
    case 'saddr': {
      const listed = AddressSet.ofList(values.join(','));
      return { ...EVERY, sources: listed && (negated ? AddressSet.EVERY.subtract(listed) : listed) };
    }
    case 'iface': {
      const names = values.map((name) => name.replace(/\*$/, '+'));
      if (negated) return { ...EVERY, interfaces: names.map((name) => `! ${name}`) };
      // Any one of several interfaces is more than the model's conditions (all of which hold) can say.
      if (names.length !== 1) return UNREAD;
      return { ...EVERY, interfaces: names };
    }
    case 'l4proto': {
      if (values.length !== 1) return UNREAD;
      return { ...EVERY, protocol: negated ? `! ${values[0]}` : values[0] };
    }
    case 'state':
      return { ...EVERY, newConnections: admitsNewConnections(condition) };
    case 'nfproto':
      return EVERY;
    default:
      return UNREAD;
  }
}
