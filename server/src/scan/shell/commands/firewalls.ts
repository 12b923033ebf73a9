import { readFirewallCmd } from '../../firewalld/command';
import { readIptablesRule } from '../../iptables/rule';
import { incomingDefault, readUfwCommand } from '../../ufw/command';
import type { CommandHandler } from '../command';

const iptables: CommandHandler = (command, out) => {
  const family = command.name.startsWith('ip6') ? 'ipv6' : 'ipv4';
  command.state.inputPolicies[family].see(readIptablesRule(command.args, out, command.state.iptablesPolicies, command.name));
};

const ufw: CommandHandler = (command, out) => {
  command.state.ufwIncomingDefault = incomingDefault(command.args) ?? command.state.ufwIncomingDefault;
  readUfwCommand(command.args, out);
};

const firewallCmd: CommandHandler = (command, out) => {
  const direct = readFirewallCmd(command.args, out, command.state.firewalld);
  if (direct) {
    const rule = readIptablesRule(direct.rule, out, command.state.iptablesPolicies, 'firewall-cmd --direct', {
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
