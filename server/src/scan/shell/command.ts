import type { MentionCollector } from '../collector';
import type { ScanContext } from '../format';
import { InputPolicyWatch } from '../iptables/inputPolicy';
import type { Token } from '../token';

/** What earlier commands of the same script decided, which later commands depend on. */
export interface ScriptState {
  /** iptables chain policies set with `-P`, by table and chain (`filter/INPUT`). */
  iptablesPolicies: Map<string, string>;
  /** Whether INPUT's policy opens every port, reported when the script has been read. */
  inputPolicy: InputPolicyWatch;
  /** Sources added to firewalld zones with `--add-source`, by zone. */
  firewalldZoneSources: Map<string, string[]>;
  /** The zone `firewall-cmd --set-default-zone` chose; firewalld's own default is `public`. */
  firewalldDefaultZone: string;
}

export function newScriptState(): ScriptState {
  return { iptablesPolicies: new Map(), inputPolicy: new InputPolicyWatch(), firewalldZoneSources: new Map(), firewalldDefaultZone: 'public' };
}

/** A simple command after wrappers such as `sudo` and `env` are peeled off. */
export interface ShellCommand {
  /** The program's base name: `/usr/sbin/iptables` becomes `iptables`. */
  name: string;
  args: Token[];
  state: ScriptState;
}

export type CommandHandler = (command: ShellCommand, out: MentionCollector, context: ScanContext) => void;
