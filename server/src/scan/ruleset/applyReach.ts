import type { MentionCollector } from '../collector';
import type { Exposure, PortMention, RelatedSpan, RiskSignal, Shortfall, Span } from '../mention';
import type { Token } from '../token';
import {
  type ChainRule,
  type ChainSet,
  FirstMatchEvaluation,
  type PortReach,
  ReachMerger,
  type RulesetReach,
  shadowWords,
} from './firstMatch';

/** Evaluates each chain set (one per address family) and puts together what each accept rule exposes. */
export function evaluateChainSets(sets: readonly ChainSet[]): RulesetReach & { shortfall?: Shortfall } {
  const ports = new ReachMerger<PortMention>();
  const rules = new ReachMerger<ChainRule>();
  let shortfall: Shortfall | undefined;
  // A rule that both families see is a ChainRule in each set; its all-ports signal tells that it is one rule.
  const ruleOfSignal = new Map<RiskSignal, ChainRule>();
  for (const set of sets) {
    const evaluation = new FirstMatchEvaluation(set);
    const found = evaluation.evaluate();
    for (const [mention, reach] of found.ports) ports.add(mention, reach);
    for (const [rule, reach] of found.rules) {
      const signal = rule.allPorts!;
      if (!ruleOfSignal.has(signal)) ruleOfSignal.set(signal, rule);
      rules.add(ruleOfSignal.get(signal)!, reach);
    }
    shortfall ??= evaluation.shortfall;
  }
  return { ports: ports.results(), rules: rules.results(), shortfall };
}

/**
 * Rewrites what each accept rule exposes from the whole ruleset's evaluation: a port that earlier rules take
 * whole is marked shadowed (and reported once per rule), a port that they narrow takes the narrowed sources, and
 * an accept-everything rule that nothing reaches, or only private networks reach, is no longer all ports open.
 */
export function applyRulesetReach(sets: readonly ChainSet[], out: MentionCollector): void {
  const { ports, rules, shortfall } = evaluateChainSets(sets);
  const never = sets[0]?.neverWords ?? 'never matches';
  if (shortfall) out.shortfalls.push(shortfall);
  const shadowedRules = new Map<ChainRule, { ports: PortMention[]; by: RelatedSpan }>();
  for (const [mention, reach] of ports) {
    if (reach.shadowedBy) {
      const by = { span: reach.shadowedBy.line, message: shadowWords(reach.shadowedBy, reach.owner) };
      mention.shadowedBy = by;
      const rule = reach.owner!;
      const known = shadowedRules.get(rule);
      if (known) known.ports.push(mention);
      else shadowedRules.set(rule, { ports: [mention], by });
      continue;
    }
    const exposure = exposureOf(reach);
    if (reach.unnarrowed || exposure === mention.exposure) continue;
    mention.exposure = exposure;
    const narrowed = reach.sources.describe();
    if (narrowed) mention.context = { ...mention.context, source: narrowed };
  }
  for (const [rule, reach] of rules) {
    const signal = rule.allPorts;
    if (!signal || reach.unnarrowed || exposureOf(reach) === 'any') continue;
    out.signals.splice(out.signals.indexOf(signal), 1);
    if (reach.shadowedBy)
      shadowedRules.set(rule, {
        ports: [],
        by: { span: reach.shadowedBy.line, message: shadowWords(reach.shadowedBy, rule) },
      });
  }
  for (const [rule, shadowed] of shadowedRules) {
    const token = rule.verdictToken;
    if (!token) continue;
    const accepted = rule.mentions.filter((mention) => mention.role === 'allow');
    const which =
      shadowed.ports.length === 0 || shadowed.ports.length === accepted.length
        ? 'this rule'
        : `port ${shadowed.ports.map(portText).join(', ')} of this rule`;
    addShadowedRule(out, token, `${which} ${never}`, shadowed.by);
  }
}

/** A rule a later command took out of its chain (`iptables -D`, `-F`, `ufw delete`), and the command. */
export interface Removal {
  entry: Pick<ChainRule, 'mentions' | 'allPorts' | 'verdictToken'>;
  by: Span;
  /** Taken out with its whole chain, rather than by itself. */
  flushed: boolean;
}

/**
 * Accept rules that a later command of the script deletes or flushes open nothing once it has run: their ports
 * say which command took them out, each is reported once as never matching, and an accept-everything rule among
 * them no longer opens every port.
 */
export function applyRemovals(removed: readonly Removal[], out: MentionCollector): void {
  for (const { entry, by, flushed } of removed) {
    const related = {
      span: by,
      message: flushed ? 'flushes its chain later in the script' : 'deletes it later in the script',
    };
    const accepted = entry.mentions.filter((mention) => mention.role === 'allow');
    for (const mention of accepted) mention.shadowedBy = related;
    if (entry.allPorts) out.signals.splice(out.signals.indexOf(entry.allPorts), 1);
    const token = entry.verdictToken;
    if (!token || (accepted.length === 0 && !entry.allPorts)) continue;
    addShadowedRule(out, token, 'this rule never matches', related);
  }
}

/** Reports a rule that lets no packet in, at its verdict word, with the rule or command that takes them. */
export function addShadowedRule(out: MentionCollector, token: Token, detail: string, by: RelatedSpan): void {
  out.addSignal(token, 0, token.text.length, 'shadowed-rule', detail).related = [by];
}

/** Packets on loopback come from this host; the sources that reach the other interfaces decide the rest. */
function exposureOf(reach: PortReach): Exposure {
  return reach.sources.isEmpty ? 'loopback' : reach.sources.classify();
}

function portText(mention: PortMention): string {
  return mention.endPort === null ? String(mention.port) : `${mention.port}-${mention.endPort}`;
}
