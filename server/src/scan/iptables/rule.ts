import type { Protocol } from '../../catalog/types';
import type { MentionCollector, MentionFacts, PortSpecOptions } from '../collector';
import { classifyAddress } from '../exposure';
import { splitHostPort } from '../hostPort';
import type { Exposure, MentionContext, Role } from '../mention';
import type { Token } from '../token';

/** Chain policies set so far (`-P INPUT DROP`, `:INPUT DROP [0:0]`), keyed `table/chain`. */
export type ChainPolicies = Map<string, string>;

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'dccp']);
// `:1024` means 0-1024 and `1024:` means 1024-65535 in iptables.
const PORT_SPEC: PortSpecOptions = { rangeSeparators: ':', allowNames: true, openRanges: true };

/** The options of one rule that decide what its ports mean. */
interface RuleWords {
  table: string;
  command?: string;
  chain?: string;
  protocol: Protocol;
  source?: string;
  inInterface?: string;
  target?: string;
  destinationPorts: { token: Token; list: boolean }[];
  sourcePorts: { token: Token; list: boolean }[];
  toDestination?: Token;
  toPorts?: Token;
}

const COMMANDS: Record<string, string> = {
  '-A': 'append', '--append': 'append', '-I': 'insert', '--insert': 'insert', '-R': 'replace', '--replace': 'replace',
  '-D': 'delete', '--delete': 'delete', '-C': 'check', '--check': 'check', '-P': 'policy', '--policy': 'policy',
};

/** Where a rule goes when its words do not say: the table of an iptables-save section, a firewalld direct chain. */
export interface RuleLocation {
  table?: string;
  chain?: string;
}

/** Reads the words of an iptables command line (without the program name) or of an iptables-save rule line. */
function readRuleWords(tokens: readonly Token[], where: RuleLocation): RuleWords {
  const rule: RuleWords = {
    table: where.table ?? 'filter',
    command: where.chain ? 'append' : undefined,
    chain: where.chain,
    protocol: 'any',
    destinationPorts: [],
    sourcePorts: [],
  };
  let negateNext = false;
  for (let index = 0; index < tokens.length; index++) {
    const option = tokens[index].text;
    const next = tokens[index + 1];
    const negated = negateNext;
    negateNext = option === '!';
    if (option === '!' || !next) continue;
    if (COMMANDS[option]) {
      rule.command = COMMANDS[option];
      rule.chain = next.text;
      if (rule.command === 'policy') rule.target = tokens[index + 2]?.text;
      index++;
      continue;
    }
    switch (option) {
      case '-t': case '--table': rule.table = next.text; break;
      case '-p': case '--protocol': {
        const protocol = next.text.toLowerCase();
        rule.protocol = PROTOCOLS.has(protocol) ? (protocol as Protocol) : 'any';
        break;
      }
      case '-s': case '--source': case '--src':
        rule.source = negated ? `! ${next.text}` : next.text;
        break;
      case '-i': case '--in-interface': rule.inInterface = negated ? `! ${next.text}` : next.text; break;
      case '-j': case '--jump': case '-g': case '--goto': rule.target = next.text; break;
      case '--dport': case '--destination-port': rule.destinationPorts.push({ token: next, list: false }); break;
      case '--sport': case '--source-port': rule.sourcePorts.push({ token: next, list: false }); break;
      case '--dports': case '--destination-ports': case '--ports': rule.destinationPorts.push({ token: next, list: true }); break;
      case '--sports': case '--source-ports': rule.sourcePorts.push({ token: next, list: true }); break;
      case '--to-destination': rule.toDestination = next; break;
      case '--to-ports': rule.toPorts = next; break;
      default: continue;
    }
    index++;
  }
  if (rule.protocol === 'any' && (rule.destinationPorts.length > 0 || rule.sourcePorts.length > 0)) rule.protocol = 'tcp';
  return rule;
}

function roleOf(rule: RuleWords): Role {
  if (rule.command === 'delete' || rule.command === 'check') return 'other';
  const target = (rule.target ?? '').toUpperCase();
  if (target === 'DNAT' || target === 'REDIRECT') return 'forward';
  if (/ACCEPT/.test(target)) return 'allow';
  if (/DROP|REJECT/.test(target)) return 'deny';
  return 'other';
}

function directionOf(chain: string | undefined): 'inbound' | 'outbound' | undefined {
  if (!chain) return undefined;
  if (/input|prerouting|forward/i.test(chain)) return 'inbound';
  if (/output|postrouting/i.test(chain)) return 'outbound';
  return undefined;
}

/** Who reaches an allowed or forwarded port: the source, or anyone when the rule names none; loopback for `-i lo`. */
function exposureOf(rule: RuleWords, role: Role, direction: 'inbound' | 'outbound' | undefined): Exposure {
  if ((role !== 'allow' && role !== 'forward') || direction !== 'inbound') return 'unknown';
  if (rule.inInterface === 'lo') return 'loopback';
  if (!rule.source) return 'any';
  if (rule.source.startsWith('!')) return 'any';
  return classifyAddress(rule.source);
}

function describeRule(rule: RuleWords, policies: ChainPolicies, tool: string): MentionContext {
  return {
    tool,
    direction: directionOf(rule.chain),
    source: rule.source,
    interface: rule.inInterface,
    table: rule.table,
    chain: rule.chain,
    policy: rule.chain ? policies.get(`${rule.table}/${rule.chain}`) : undefined,
  };
}

/**
 * Reads one iptables rule and adds its ports: `--dport`/`--sport` (ranges `a:b`, service names),
 * `-m multiport --dports a,b:c`, and the ports a DNAT `--to-destination` or a REDIRECT `--to-ports` sends to.
 * `-P CHAIN POLICY` rules update `policies` for the rules after them.
 */
export function readIptablesRule(
  tokens: readonly Token[],
  out: MentionCollector,
  policies: ChainPolicies,
  tool: string,
  where: RuleLocation = {},
): void {
  const rule = readRuleWords(tokens, where);
  if (rule.command === 'policy') {
    if (rule.chain && rule.target) policies.set(`${rule.table}/${rule.chain}`, rule.target.toUpperCase());
    return;
  }
  const role = roleOf(rule);
  const context = describeRule(rule, policies, tool);
  const exposure = exposureOf(rule, role, context.direction);
  const forwardTarget = rule.toDestination?.text ?? (rule.toPorts ? `local port ${rule.toPorts.text}` : undefined);
  const facts: MentionFacts = { protocol: rule.protocol, role, exposure, context: { ...context, mappedTo: forwardTarget } };
  for (const { token, list } of rule.destinationPorts) addPorts(out, token, list, facts);
  const sourceFacts: MentionFacts = { ...facts, role: 'other', exposure: 'unknown', context: { ...context, note: 'source port of the matched packets' } };
  for (const { token, list } of rule.sourcePorts) addPorts(out, token, list, sourceFacts);

  const forwardFacts: MentionFacts = { ...facts, role: 'forward', context: { ...context, note: 'where the matched traffic is sent' } };
  if (rule.toDestination) {
    const target = splitHostPort(rule.toDestination.text);
    if (target) {
      out.addPort(rule.toDestination, target.portFrom, target.portTo, { ...forwardFacts, context: { ...forwardFacts.context, peer: target.host } }, { rangeSeparators: '-' });
    }
  }
  if (rule.toPorts) out.addPort(rule.toPorts, 0, rule.toPorts.text.length, forwardFacts, { rangeSeparators: '-' });
}

function addPorts(out: MentionCollector, token: Token, list: boolean, facts: MentionFacts): void {
  if (list) out.addPortList(token, 0, token.text.length, facts, PORT_SPEC);
  else out.addPort(token, 0, token.text.length, facts, PORT_SPEC);
}
