import type { MentionCollector } from '../collector';
import { PlainToken } from '../token';
import type { Analysis } from './analysis';
import type { RuleReading } from './rule';

/**
 * Whether no packet that reaches the rule goes on to the chain's policy: it drops them all (naming a protocol or
 * an interface at most: `meta l4proto tcp drop`, `iif eth0 counter drop`), or it may (a jump or goto, which is not
 * followed here, so the policy is given the benefit of the doubt).
 */
function endsChain(reading: RuleReading): boolean {
  if (reading.jumps.length > 0) return true;
  const verdict = reading.verdict?.kind;
  return (verdict === 'drop' || verdict === 'reject' || verdict === 'queue') && !reading.narrowed;
}

/**
 * Every packet to this host passes each filter chain on the input hook: when all of them accept what their rules
 * do not stop (`policy accept;`, or no policy, which is nftables' default) and no rule ends them, every port that
 * no rule denies is open to any source. That is reported once, at the first such chain's policy.
 */
export function addOpenInputSignal(text: string, analysis: Analysis, out: MentionCollector): void {
  const inputs = [...analysis.ruleset.chains.values()].filter(
    (chain) => chain.base?.hook === 'input' && chain.base.type === 'filter',
  );
  if (inputs.length === 0) return;
  const ended = new Set(analysis.rules.filter((rule) => endsChain(rule.reading)).map((rule) => rule.rule.chain.key));
  if (inputs.some((chain) => ended.has(chain.key) || (chain.policy && chain.policy.text !== 'accept'))) return;
  const [chain] = inputs;
  const span = chain.policy?.span ?? chain.base!.span;
  const policy = chain.policy ? 'policy accept' : 'no policy, so it accepts';
  out.addSignal(
    new PlainToken(text.slice(span.start, span.end), span.start),
    0,
    span.end - span.start,
    'all-ports-open',
    `chain ${chain.name} has ${policy}, and no rule drops what its rules do not match`,
  );
}
