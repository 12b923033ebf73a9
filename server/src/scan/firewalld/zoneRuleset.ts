import { AddressSet } from '../addressSet';
import type { PortMention, RiskSignal, Span } from '../mention';
import type { ChainRule, ChainSet, RuleAction } from '../ruleset/firstMatch';
import { type AddressFamily, type PacketMatch, anyPacket } from '../ruleset/packetMatch';
import type { Token } from '../token';
import type { RichRule } from './richRule';
import type { AddressMatch } from './zones';

/**
 * A zone's rules in the order firewalld installs them (firewalld.richlanguage(5), "Rule Ordering"; Red Hat's
 * "Prioritizing rich rules"): rich rules with a priority below 0, by priority; then those of priority 0 in the
 * `_log`, `_deny` and `_allow` chains by action, the zone's ports and services among the allows; then rich rules
 * with a priority above 0, by priority; then the zone's target. Within one priority, log comes before deny and
 * deny before allow. The first rule that decides a packet wins, as in any nftables or iptables chain, so the
 * first-match evaluation (`ruleset/firstMatch.ts`) says what each port is open to.
 *
 * An accept before another is no shadow here: the order of the allows is firewalld's, not the author's, and the
 * packets it takes are accepted all the same.
 */

/** Within one priority, by action. */
const ACTION_RANKS = { log: 0, deny: 1, allow: 2 } as const;
const ZONE_CHAIN = 'zone';
const ENTRY_CHAIN = 'entry';

interface ZoneEntry {
  rank: number;
  priority: number;
  written: number;
  family?: AddressFamily;
  rules: (family: AddressFamily) => ChainRule[];
}

/** Who reaches a zone: its sources, loopback alone, or whoever reaches its interfaces. */
export interface ZoneReach {
  sources: AddressMatch[];
  loopback: boolean;
  /** True when the zone faces the internet (`public`, `external`, `dmz`), false when nobody says. */
  internetFacing: boolean;
  /** Where the zone's binding is written, for "sends none of these packets to this zone". */
  line: Span;
}

export class ZoneRuleset {
  private readonly entries: ZoneEntry[] = [];
  private targetSignal: RiskSignal | undefined;

  /** A `<port>` or `<service>` of the zone: an allow, one rule per port the element opens. */
  addAllow(mentions: readonly PortMention[], line: Span, token: Token): void {
    this.entries.push({
      rank: ACTION_RANKS.allow,
      priority: 0,
      written: this.entries.length,
      rules: (family) =>
        mentions.map((mention) => ({
          line,
          mentions: [mention],
          match: portMatch(family, mention),
          action: { kind: 'accept' },
          verdictToken: token,
        })),
    });
  }

  /** A rich rule and the mentions its ports were given; one that forwards or handles ICMP is not a filter rule. */
  addRichRule(rule: RichRule, mentions: readonly PortMention[], line: Span, token: Token | undefined): void {
    if (rule.otherElement || rule.elements.some((element) => element.kind === 'forward-port')) return;
    const action: RuleAction =
      rule.action === 'accept'
        ? { kind: 'accept' }
        : rule.action === 'reject' || rule.action === 'drop'
          ? { kind: 'drop' }
          : { kind: 'pass' };
    const rank =
      action.kind === 'accept' ? ACTION_RANKS.allow : action.kind === 'drop' ? ACTION_RANKS.deny : ACTION_RANKS.log;
    const exact =
      !rule.limited && !rule.destination && !rule.elements.some((element) => element.kind === 'source-port');
    const ported = rule.elements.length > 0 || rule.services.length > 0;
    const build = (family: AddressFamily, mention?: PortMention): ChainRule => {
      const match = mention ? portMatch(family, mention) : anyPacket(family);
      const protocol = mention ? match.protocol : (rule.protocol ?? 'any');
      return {
        line,
        mentions: mention && action.kind === 'accept' ? [mention] : [],
        match: { ...match, protocol, sources: sourcesOf(family, rule.source), exact },
        action,
        verdictToken: token,
      };
    };
    this.entries.push({
      rank,
      priority: rule.priority,
      written: this.entries.length,
      family: familyOf(rule),
      // A rule whose port is no port (a template placeholder) matches nothing the model can name.
      rules: (family) => (ported ? mentions.map((mention) => build(family, mention)) : [build(family)]),
    });
  }

  /** The zone's target ACCEPT: what no rule decides is accepted, which opens every port. */
  acceptsByTarget(signal: RiskSignal): void {
    this.targetSignal = signal;
  }

  /** The zone's rules for the evaluation, once `reach` (the sources a script binds may come last) is known. */
  chainSets(reach: ZoneReach): ChainSet[] {
    const ordered = [...this.entries].sort(
      (a, b) => a.priority - b.priority || a.rank - b.rank || a.written - b.written,
    );
    const unknownSources = reach.sources.length === 0 && !reach.loopback && !reach.internetFacing;
    return (['ipv4', 'ipv6'] as const).flatMap((family) => {
      const rules = ordered
        .filter((entry) => !entry.family || entry.family === family)
        .flatMap((entry) => entry.rules(family));
      if (this.targetSignal)
        rules.push({
          line: this.targetSignal.span,
          mentions: [],
          allPorts: this.targetSignal,
          match: anyPacket(family),
          action: { kind: 'accept' },
        });
      const binding: PacketMatch = {
        ...anyPacket(family),
        sources: reach.sources.length > 0 ? zoneSources(family, reach.sources) : anyPacket(family).sources,
        interfaces: reach.loopback ? ['lo'] : [],
      };
      // A zone bound to sources of the other family only sees no packet of this one.
      if (binding.sources?.isEmpty) return [];
      const entry: ChainRule = {
        line: reach.line,
        mentions: [],
        match: binding,
        action: { kind: 'jump', chain: ZONE_CHAIN },
      };
      const chains = new Map([
        [ENTRY_CHAIN, [entry]],
        [ZONE_CHAIN, rules],
      ]);
      const roots = [{ key: ENTRY_CHAIN, policy: 'drop' as const }];
      return [{ family, chains, roots, unknownSources, earlierAcceptsCount: true }];
    });
  }
}

/** Packets to the mention's port or range, of its protocol. */
function portMatch(family: AddressFamily, mention: PortMention): PacketMatch {
  return {
    ...anyPacket(family),
    protocol: mention.protocol,
    ports: [[mention.port, mention.endPort ?? mention.port]],
  };
}

/** `family="ipv4"`, or the family of the source address a rule names. */
function familyOf(rule: RichRule): AddressFamily | undefined {
  if (rule.family === 'ipv4' || rule.family === 'ipv6') return rule.family;
  if (rule.source?.kind === 'address') return rule.source.value.includes(':') ? 'ipv6' : 'ipv4';
  return undefined;
}

/** The addresses a source match admits; undefined for a MAC address or an ipset, which the model cannot read. */
function sourcesOf(family: AddressFamily, match: AddressMatch | undefined): AddressSet | undefined {
  const every = anyPacket(family).sources!;
  if (!match) return every;
  if (match.kind !== 'address') return undefined;
  const listed = AddressSet.ofNetwork(match.value);
  return listed && (match.invert ? every.subtract(listed) : every.intersect(listed));
}

function zoneSources(family: AddressFamily, matches: readonly AddressMatch[]): AddressSet | undefined {
  let all = AddressSet.NOTHING;
  for (const match of matches) {
    const one = sourcesOf(family, match);
    if (!one) return undefined;
    all = all.union(one);
  }
  return all;
}
