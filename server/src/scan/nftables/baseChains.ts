import type { MentionCollector } from '../collector';
import { addShadowedRule } from '../ruleset/applyReach';
import type { PortMention } from '../mention';
import type { Analysis, RuleAnalysis } from './analysis';
import { type NftablesFindings, familiesOfChain } from './chainSet';
import { admitsNewConnections } from './rule';
import { type PortIntervals, clipPorts, normalize } from '../ruleset/portIntervals';
import type { Chain } from './ruleset';

/**
 * Every base chain on a hook sees every packet of its families: an accept ends one base chain, not the hook
 * (nft(8), "CHAINS": base chains are called in priority order, and a packet must be accepted by each). So a port
 * that an input chain accepts is still dropped when another input chain with `policy drop` has no rule that could
 * accept it. This marks such ports: only where the other chain sees all of the accepting chain's families, has
 * no rule that may accept the port (an accept, jump or goto naming the port or no port at all, or one whose ports
 * cannot be read), and so drops it for certain.
 */
export function applyOtherBaseChains(analysis: Analysis, findings: NftablesFindings, out: MentionCollector): void {
  const inputs = [...analysis.ruleset.chains.values()].filter(
    (chain) => chain.base?.type === 'filter' && chain.base.hook === 'input',
  );
  const dropping = inputs.filter((chain) => chain.policy?.text === 'drop');
  if (inputs.length < 2 || dropping.length === 0) return;
  const byRule = new Map(analysis.rules.map((rule) => [rule.rule, rule]));
  const through = new Map(dropping.map((chain) => [chain, letThrough(chain, byRule, findings)]));
  const reported = new Set<RuleAnalysis>();
  for (const chain of inputs) {
    const others = dropping.filter((candidate) => candidate !== chain && covers(candidate, chain));
    if (others.length === 0) continue;
    for (const rule of chain.rules) {
      const analysed = byRule.get(rule)!;
      for (const use of analysed.reading.uses) {
        const mention = findings.mentionOf.get(use);
        if (!mention || mention.role !== 'allow' || mention.shadowedBy) continue;
        const verdicts = others.map((candidate) => ({
          chain: candidate,
          lets: letsOn(through.get(candidate)!, mention),
        }));
        const other = verdicts.find(({ lets }) => lets === 'nothing')?.chain;
        if (!other) {
          // Only this host's own packets get through the other chain: the port is open to loopback alone.
          if (verdicts.some(({ lets }) => lets === 'loopback')) mention.exposure = 'loopback';
          continue;
        }
        const by = {
          span: other.policy!.span,
          message: `drops them in chain ${other.name} of table ${other.table}, which every packet to this host also passes (policy drop)`,
        };
        mention.shadowedBy = by;
        const token = analysed.reading.verdictWord?.token;
        if (!token || reported.has(analysed)) continue;
        reported.add(analysed);
        addShadowedRule(out, token, 'this rule never matches', by);
      }
    }
  }
}

/** Whether `other` sees every packet `chain` sees: all of its address families. */
function covers(other: Chain, chain: Chain): boolean {
  const seen = familiesOfChain(other.key);
  const needed = familiesOfChain(chain.key);
  return needed.length > 0 && needed.every((family) => seen.includes(family));
}

const LETS_ON = new Set(['accept', 'jump', 'goto']);

/** The ports a chain's rules may let on from packets that open a connection, from others and from loopback. */
interface LetThrough {
  /** Every port, or these sorted, merged ranges. */
  others: true | PortIntervals;
  loopback: true | PortIntervals;
}

/**
 * Reads once what the rules of `chain` may let on: a rule whose verdict lets packets on counts for the ports it
 * names, every port when it names none or ports it cannot read; one for established packets only does not count,
 * and one on `iif lo` counts for loopback alone.
 */
function letThrough(chain: Chain, byRule: ReadonlyMap<unknown, RuleAnalysis>, findings: NftablesFindings): LetThrough {
  const others: PortIntervals = [];
  const loopback: PortIntervals = [];
  let allOthers = false;
  let allLoopback = false;
  for (const rule of chain.rules) {
    const { reading } = byRule.get(rule)!;
    const verdicts = [reading.verdict, ...reading.uses.map((use) => use.verdict)];
    if (!verdicts.some((verdict) => verdict && LETS_ON.has(verdict.kind)) && reading.jumps.length === 0) continue;
    const established = reading.conditions.some(
      (condition) => condition.kind === 'state' && condition.operator !== '!=' && !admitsNewConnections(condition),
    );
    if (established) continue;
    const onLoopback = reading.iface !== undefined && !reading.iface.negated && reading.iface.text === 'lo';
    const ranges = onLoopback ? loopback : others;
    let every = false;
    const ports = reading.uses.filter((use) => use.use === 'match');
    if (ports.length === 0) every = true;
    for (const use of ports) {
      const written = findings.mentionOf.get(use);
      if (!written || use.operator) every = true;
      else ranges.push([written.port, written.endPort ?? written.port]);
    }
    if (every && onLoopback) allLoopback = true;
    else if (every) allOthers = true;
  }
  return { others: allOthers || normalize(others), loopback: allLoopback || normalize(loopback) };
}

/** What the chain lets on to the mention's port: from anyone, from this host alone, or nothing. */
function letsOn(through: LetThrough, mention: PortMention): 'others' | 'loopback' | 'nothing' {
  const range: [number, number] = [mention.port, mention.endPort ?? mention.port];
  const meets = (ports: true | PortIntervals) => ports === true || clipPorts(ports, range).length > 0;
  if (meets(through.others)) return 'others';
  return meets(through.loopback) ? 'loopback' : 'nothing';
}
