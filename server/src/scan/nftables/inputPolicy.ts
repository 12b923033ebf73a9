import type { MentionCollector } from '../collector';
import { PlainToken } from '../token';
import type { RiskSignal } from '../mention';
import type { Analysis, RuleAnalysis } from './analysis';
import type { RuleReading } from './rule';

/**
 * Whether no packet that reaches the rule goes on to the chain's policy: it drops them all (naming a protocol or
 * an interface at most: `meta l4proto tcp drop`, `iif eth0 counter drop`), or it may (a jump or goto to a chain
 * the text does not hold, so the policy is given the benefit of the doubt). The ruleset evaluation follows jumps
 * into chains the text holds. An accept of every port has its own finding.
 */
function endsChain(reading: RuleReading, scope: string, analysis: Analysis): boolean {
  if (reading.jumps.some((jump) => !analysis.ruleset.chains.has(`${scope}/${jump.target}`))) return true;
  if (acceptsEveryPort(reading) && !reading.source && !reading.iface) return true;
  const verdict = reading.verdict?.kind;
  return (verdict === 'drop' || verdict === 'reject' || verdict === 'queue') && !reading.narrowed;
}

/**
 * Every packet to this host passes each filter chain on the input hook: when all of them accept what their rules
 * do not stop (`policy accept;`, or no policy, which is nftables' default) and no rule ends them, every port that
 * no rule denies is open to any source. That is reported once, at the first such chain's policy.
 */
export function addOpenInputSignal(
  text: string,
  analysis: Analysis,
  out: MentionCollector,
): { signal: RiskSignal; chain: string } | undefined {
  const inputs = [...analysis.ruleset.chains.values()].filter(
    (chain) => chain.base?.hook === 'input' && chain.base.type === 'filter',
  );
  if (inputs.length === 0) return undefined;
  const ended = new Set(
    analysis.rules
      .filter((rule) => endsChain(rule.reading, rule.rule.scope, analysis))
      .map((rule) => rule.rule.chain.key),
  );
  if (inputs.some((chain) => ended.has(chain.key) || (chain.policy && chain.policy.text !== 'accept')))
    return undefined;
  const [chain] = inputs;
  const span = chain.policy?.span ?? chain.base!.span;
  const policy = chain.policy ? 'policy accept' : 'no policy, so it accepts';
  const signal = out.addSignal(
    new PlainToken(text.slice(span.start, span.end), span.start),
    0,
    span.end - span.start,
    'all-ports-open',
    `chain ${chain.name} has ${policy}, and no rule drops what its rules do not match`,
  );
  return { signal, chain: chain.key };
}

/**
 * Whether an accept takes every port: it matches nothing but sources, interfaces, the protocol family, or new
 * connections.
 */
function acceptsEveryPort(reading: RuleReading): boolean {
  if (reading.verdict?.kind !== 'accept' || reading.rateLimited || reading.nat) return false;
  return reading.conditions.every(
    (condition) =>
      !condition.branches &&
      (condition.kind === 'iface' ||
        condition.kind === 'saddr' ||
        condition.kind === 'nfproto' ||
        (condition.kind === 'state' && condition.operator !== '!=' && condition.values.includes('new'))),
  );
}

/**
 * An inbound rule that accepts every port from any source (`accept`, `iifname "eth0" ct state new accept`): one
 * signal, not one per port. An input interface other than loopback restricts no source (GUIDE section 2), so the
 * report names it. The ruleset evaluation withdraws the signal when earlier rules leave it only private sources.
 */
export function addAllPortsSignal(rule: RuleAnalysis, out: MentionCollector): RiskSignal | undefined {
  const { reading, chain } = rule;
  const word = reading.verdictWord;
  if (!word || chain.direction !== 'inbound' || !acceptsEveryPort(reading)) return undefined;
  const { source } = reading;
  if (source && !source.negated && source.exposure !== 'any') return undefined;
  const iface = reading.iface ? `${reading.iface.negated ? '!= ' : ''}${reading.iface.text}` : chain.iface;
  if (iface !== undefined && iface.split(', ').every((name) => name === 'lo')) return undefined;
  const on = iface ? ` on ${iface}, which may face the internet,` : '';
  const from = source ? `${source.negated ? '!= ' : ''}${source.text}` : 'any source';
  const detail = `chain ${rule.rule.chain.name} accepts any packet${on} from ${from}`;
  return out.addSignal(word.token, 0, word.text.length, 'all-ports-open', detail);
}
