import type { MentionCollector } from '../collector';
import { type FirewalldState, applyZoneRulesets, newFirewalldState } from '../firewalld/command';
import type { ScanContext } from '../format';
import { applyRemovals, applyRulesetReach } from '../ruleset/applyReach';
import { InputPolicyWatch } from '../iptables/inputPolicy';
import { IptablesRuleset } from '../iptables/ruleset';
import { evaluateNftablesCommands } from '../nftables/nftablesScanner';
import type { Statement } from '../nftables/syntax';
import type { Token } from '../token';

/** What earlier commands of the same script decided, which later commands depend on. */
export interface ScriptState {
  /** iptables chain policies set with `-P`, by `chainKey` (`filter/INPUT`). */
  iptablesPolicies: Map<string, string>;
  /** Whether INPUT's policy opens every port, for iptables and ip6tables apart; reported when the script has been read. */
  inputPolicies: { ipv4: InputPolicyWatch; ipv6: InputPolicyWatch };
  /** The action of the last `ufw default ... incoming`. */
  ufwIncomingDefault?: Token;
  /** What earlier firewall-cmd calls said: zone sources, the default zone, the services the script defines. */
  firewalld: FirewalldState;
  /** The iptables and ip6tables rules the script adds, in kernel order, evaluated when the script has been read. */
  rulesets: { ipv4: IptablesRuleset; ipv6: IptablesRuleset };
  /** The statements of the script's `nft` commands, in script order, evaluated as one ruleset at its end. */
  nftStatements: Statement[];
}

export function newScriptState(): ScriptState {
  return {
    iptablesPolicies: new Map(),
    inputPolicies: { ipv4: new InputPolicyWatch(), ipv6: new InputPolicyWatch('INPUT of ip6tables') },
    firewalld: newFirewalldState(),
    rulesets: { ipv4: new IptablesRuleset('ipv4'), ipv6: new IptablesRuleset('ipv6') },
    nftStatements: [],
  };
}

/** What only the whole script tells: a default policy that lets in every port no rule stops, once, where it is set. */
export function reportScriptEnd(state: ScriptState, out: MentionCollector): void {
  applyZoneRulesets(state.firewalld, out);
  evaluateNftablesCommands(state.nftStatements, out);
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ruleset = state.rulesets[family];
    const openPolicy = state.inputPolicies[family].report(out, (chain) => ruleset.holdsFilterChain(chain));
    applyRulesetReach([ruleset.chainSet(openPolicy)], out);
    applyRemovals(ruleset.removed, out);
  }
  const ufwDefault = state.ufwIncomingDefault;
  if (ufwDefault?.text.toLowerCase() === 'allow') {
    out.addSignal(
      ufwDefault,
      0,
      ufwDefault.text.length,
      'all-ports-open',
      "ufw's default policy for incoming traffic is allow",
    );
  }
}

/** A simple command after wrappers such as `sudo` and `env` are peeled off. */
export interface ShellCommand {
  /** The program's base name: `/usr/sbin/iptables` becomes `iptables`. */
  name: string;
  args: Token[];
  state: ScriptState;
  /**
   * Whether the command may not run every time the script does: it sits in a function, a branch of `if` or
   * `case`, a loop, or after `&&` or `||`. Asked only where it matters, since it walks up the tree.
   */
  conditional?: () => boolean;
}

export type CommandHandler = (command: ShellCommand, out: MentionCollector, context: ScanContext) => void;
