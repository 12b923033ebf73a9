import { readFirewallCmd } from '../../firewalld/command';
import { readIptablesRule } from '../../iptables/rule';
import type { IptablesRuleset, RulesetRule } from '../../iptables/ruleset';
import { incomingDefault, readUfwCommand } from '../../ufw/command';
import type { CommandHandler, ShellCommand } from '../command';

const iptables: CommandHandler = (command, out) => {
  const family = command.name.startsWith('ip6') ? 'ipv6' : 'ipv4';
  const read = readIptablesRule(command.args, out, command.state.iptablesPolicies, command.name);
  command.state.inputPolicies[family].see(read.rule);
  addToRuleset(command.state.rulesets[family], read, command);
};

/**
 * Keeps the script's rules in the order the kernel would hold them, for the evaluation at the script's end. A rule
 * that a later command deletes or flushes is reported as opening nothing only where that command surely runs: a
 * `stop` branch of `case` that deletes what `start` added says nothing of a run that starts.
 */
function addToRuleset(ruleset: IptablesRuleset, read: Omit<RulesetRule, 'line'>, command: ShellCommand): void {
  const { rule } = read;
  const { args } = command;
  if (args.length === 0) return;
  const line = { start: args[0].span.start, end: args[args.length - 1].span.end };
  if (rule.command === 'policy' && rule.chain && rule.target) ruleset.setPolicy(rule.table, rule.chain, rule.target);
  else if (rule.command === 'delete' || rule.command === 'flush')
    ruleset.remove(rule, rule.spec, line, command.conditional?.() ?? false);
  else ruleset.add({ ...read, line });
}

const ufw: CommandHandler = (command, out) => {
  command.state.ufwIncomingDefault = incomingDefault(command.args) ?? command.state.ufwIncomingDefault;
  const read = readUfwCommand(command.args, out);
  // ufw's own rules go in its user chains; an IPv6 source is ip6tables' alone, which this model leaves out.
  if (read && !read.rule.source?.includes(':')) addToRuleset(command.state.rulesets.ipv4, read, command);
};

const firewallCmd: CommandHandler = (command, out) => {
  const direct = readFirewallCmd(command.args, out, command.state.firewalld);
  if (direct) {
    const { rule } = readIptablesRule(direct.rule, out, command.state.iptablesPolicies, 'firewall-cmd --direct', {
      table: direct.table,
      chain: direct.chain,
    });
    if (direct.family === 'ipv4' || direct.family === 'ipv6') command.state.inputPolicies[direct.family].see(rule);
  }
};

export const firewallCommands: Record<string, CommandHandler> = {
  iptables,
  ip6tables: iptables,
  'iptables-legacy': iptables,
  'ip6tables-legacy': iptables,
  'iptables-nft': iptables,
  'ip6tables-nft': iptables,
  ufw,
  'firewall-cmd': firewallCmd,
  'firewall-offline-cmd': firewallCmd,
};
