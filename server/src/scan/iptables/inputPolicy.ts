import type { MentionCollector } from '../collector';
import type { RiskSignal } from '../mention';
import type { Token } from '../token';
import { type IptablesRule, takesEveryPort } from './rule';

// Targets after which the packet goes on to the next rule, or (RETURN from a built-in chain) to the policy.
const PASSING_TARGETS = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'RETURN',
  'MARK',
  'CONNMARK',
  'CT',
  'NOTRACK',
  'TRACE',
  'TCPMSS',
  'DSCP',
  'TOS',
  'TTL',
  'HL',
  'CLASSIFY',
  'SET',
  'AUDIT',
  'CHECKSUM',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
  'RATEEST',
  'TEE',
]);

const TERMINAL_TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT']);

/**
 * Whether no packet that reaches the rule goes on to the chain's policy: it accepts or drops them all (a drop
 * may name a protocol or an interface, as `-p tcp --syn -j DROP` does), or it may (a jump to another chain,
 * which is not followed here, so the policy is given the benefit of the doubt).
 */
export function endsChain(rule: IptablesRule): boolean {
  if (rule.command !== 'append' && rule.command !== 'insert') return false;
  const target = rule.target?.toUpperCase();
  if (!target || PASSING_TARGETS.has(target)) return false;
  // An accept on one named interface lets the other interfaces' packets on to the policy.
  if (target === 'ACCEPT')
    return !rule.source && takesEveryPort(rule) && (!rule.inInterface || rule.inInterface.startsWith('!'));
  if (target === 'DROP' || target === 'REJECT') return !rule.source && !rule.narrowedBeyondProtocol;
  return true;
}

/** The filter table's INPUT chain, which every packet to this host passes: other chains are not about exposure. */
export function isFilterInput(table: string, chain: string | undefined): boolean {
  return table === 'filter' && chain === 'INPUT';
}

/**
 * Watches the filter table's INPUT chain: when its policy is ACCEPT and no rule ends the chain, every port that
 * no rule denies is open to any source. That is reported once, at the policy, as one all-ports exposure (an
 * accept-everything rule is reported at the rule instead, and ends the chain here).
 */
export class InputPolicyWatch {
  private policy: Token | undefined;
  private ended = false;
  /** The chains INPUT jumps to: whether packets come back from them is for the ruleset evaluation to say. */
  private readonly jumpTargets = new Set<string>();

  /** @param chain how the report names the chain: `INPUT`, or `INPUT of ip6tables` where a script sets both. */
  constructor(private readonly chain = 'INPUT') {}

  /** The policy an iptables-save file declares for the chain (`:INPUT ACCEPT`). */
  declare(policy: Token | undefined): void {
    this.policy = policy;
  }

  /** A rule, in any order: `-P INPUT ACCEPT` sets the policy (the last one counts); a rule may end the chain. */
  see(rule: IptablesRule): void {
    if (!isFilterInput(rule.table, rule.chain)) return;
    if (rule.command === 'policy') this.policy = rule.targetToken;
    else if (!endsChain(rule)) return;
    else if (rule.target && !TERMINAL_TARGETS.has(rule.target.toUpperCase())) this.jumpTargets.add(rule.target);
    else this.ended = true;
  }

  /**
   * Adds the signal when the policy accepts and no rule ends INPUT. A jump into a chain that `holds` does not know
   * (one the file never defines, or QUEUE) is given the benefit of the doubt; the ruleset evaluation withdraws the
   * signal when the chains that INPUT jumps to take every packet.
   */
  report(out: MentionCollector, holds: (chain: string) => boolean): RiskSignal | undefined {
    if (!this.policy || this.ended || this.policy.text.toUpperCase() !== 'ACCEPT') return undefined;
    if ([...this.jumpTargets].some((chain) => !holds(chain))) return undefined;
    return out.addSignal(
      this.policy,
      0,
      this.policy.text.length,
      'all-ports-open',
      `chain ${this.chain} has policy ACCEPT and no rule drops what its rules do not match`,
    );
  }
}
