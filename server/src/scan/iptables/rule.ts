import type { Protocol } from '../../catalog/types';
import type { MentionCollector, MentionFacts, PortSpecOptions } from '../collector';
import { classifyAddress, widest } from '../exposure';
import type { TextEdit } from '../format';
import type { Exposure, MentionContext, PortMention, RiskSignal, Role } from '../mention';
import type { Token } from '../token';

/** Chain policies set so far (`-P INPUT DROP`, `:INPUT DROP [0:0]`), keyed by `chainKey`. */
export type ChainPolicies = Map<string, string>;

/** How a chain is keyed wherever a file's chains are looked up: chains of different tables share names. */
export function chainKey(table: string, chain: string): string {
  return `${table}/${chain}`;
}

/** The chain a `chainKey` names: what follows the first `/`, as no iptables table's name holds one. */
export function chainOfKey(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

export type Direction = 'inbound' | 'outbound';

const PROTOCOLS = new Map<string, Protocol>([
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['sctp', 'sctp'],
  ['dccp', 'dccp'],
  ['6', 'tcp'],
  ['17', 'udp'],
  ['132', 'sctp'],
  ['33', 'dccp'],
]);
// `:1024` means 0-1024 and `1024:` means 1024-65535 in iptables.
const PORT_SPEC: PortSpecOptions = { rangeSeparators: ':', allowNames: true, openRanges: true };
// NAT targets write their port ranges with a hyphen: `--to-ports 8000-8010`, `--to-destination h:1000-2000`.
const NAT_PORT_SPEC: PortSpecOptions = { rangeSeparators: '-' };
const SOURCE_PORT_NOTE = 'source port of the matched packets';

/** A `--dport`-like option: the token that holds the port, a list (`--dports`) or one port, and a `!` before it. */
export interface PortOption {
  token: Token;
  list: boolean;
  negated: boolean;
}

/** The options of one rule that decide what its ports mean. */
export interface IptablesRule {
  table: string;
  command?: string;
  chain?: string;
  /** The word after which new matches may go: the chain name, or the rule number after it (`-I INPUT 3`). */
  head?: Token;
  /** Whether `-p` was written; a port match without it implies tcp. */
  protocolWritten: boolean;
  protocol: Protocol;
  source?: string;
  inInterface?: string;
  target?: string;
  /** The verdict as written (`ACCEPT`), where a rule that accepts everything is reported. */
  targetToken?: Token;
  /** `-g CHAIN` rather than `-j CHAIN`: the packet does not come back to this chain. */
  goto: boolean;
  /** The states a `--state` or `--ctstate` match takes, upper case. */
  states?: string[];
  /** `--syn` (true: the first packet of a TCP connection) or `! --syn` (false: any other TCP packet). */
  syn?: boolean;
  /** A protocol written that has no ports and no place in `protocol` (`icmp`, `ipv6-icmp`, `gre`), lower case. */
  protocolName?: string;
  /** Whether a match narrows the packets in a way the ruleset model does not read (`-m limit`, `-d`, `-m recent`). */
  otherMatches: boolean;
  /** The words after the chain (and rule number), which `-D CHAIN rule...` repeats to name the rule it removes. */
  spec: string;
  /** Whether any match narrows the packets beyond their source and interface (ports, protocol, state...). */
  narrowed: boolean;
  /** Whether a match narrows them beyond their protocol too (ports, state, addresses...): `-p tcp --syn` does not. */
  narrowedBeyondProtocol: boolean;
  destinationPorts: PortOption[];
  sourcePorts: PortOption[];
  /** The address a DNAT or SNAT rewrites to (`--to-destination 10.0.0.5:443`, `--to-source`, `--to`). */
  natAddress?: Token;
  /** The ports REDIRECT or MASQUERADE rewrite to. */
  toPorts?: Token;
}

const COMMANDS = new Map([
  ['-A', 'append'],
  ['--append', 'append'],
  ['-I', 'insert'],
  ['--insert', 'insert'],
  ['-R', 'replace'],
  ['--replace', 'replace'],
  ['-D', 'delete'],
  ['--delete', 'delete'],
  ['-C', 'check'],
  ['--check', 'check'],
  ['-P', 'policy'],
  ['--policy', 'policy'],
  ['-F', 'flush'],
  ['--flush', 'flush'],
]);

/** How a user-defined chain is reached: from which chain that has a direction, and who can get there. */
export interface ChainEntry {
  /** The first chain on the way whose name tells the direction (`INPUT`, `ufw-before-input`). */
  root: string;
  direction: Direction;
  /** The widest exposure of the jumps that lead here. */
  exposure: Exposure;
  /** The sources those jumps let in, as written; undefined when one of them lets everyone in. */
  sources?: string[];
}

/** Where a rule goes when its words do not say: the table of an iptables-save section, a firewalld direct chain. */
export interface RuleLocation {
  table?: string;
  chain?: string;
  /** For a user-defined chain, how it is reached, which decides the direction and exposure of its rules. */
  entry?: ChainEntry;
}

/**
 * A rule that matches every packet and does nothing, for a reader to fill in: every field is set, the optional
 * ones to undefined, so that all rules share one object shape. ufw's reader fills one from ufw's own syntax.
 */
export function blankIptablesRule(table: string, chain: string | undefined): IptablesRule {
  return {
    table,
    command: chain ? 'append' : undefined,
    chain,
    head: undefined,
    protocolWritten: false,
    protocol: 'any',
    source: undefined,
    inInterface: undefined,
    target: undefined,
    targetToken: undefined,
    goto: false,
    states: undefined,
    syn: undefined,
    protocolName: undefined,
    otherMatches: false,
    spec: '',
    narrowed: false,
    narrowedBeyondProtocol: false,
    destinationPorts: [],
    sourcePorts: [],
    natAddress: undefined,
    toPorts: undefined,
  };
}

/** Reads the words of an iptables command line (without the program name) or of an iptables-save rule line. */
export function parseIptablesRule(tokens: readonly Token[], where: RuleLocation = {}): IptablesRule {
  const rule = blankIptablesRule(where.table ?? 'filter', where.chain);
  let negateNext = false;
  let specFrom = 0;
  for (let index = 0; index < tokens.length; index++) {
    const option = tokens[index].text;
    let negated = negateNext;
    negateNext = option === '!';
    if (option === '!') continue;
    let valueAt = index + 1;
    // Old iptables wrote the `!` after the option: `--dport ! 22`.
    if (tokens[valueAt]?.text === '!') {
      negated = true;
      valueAt++;
    }
    const value = tokens[valueAt];
    if (narrowsPackets(option, value)) {
      rule.narrowed = true;
      if (
        !PROTOCOL_OPTIONS.has(option) &&
        !((option === '-m' || option === '--match') && PROTOCOLS.has(value?.text.toLowerCase() ?? ''))
      ) {
        rule.narrowedBeyondProtocol = true;
      }
      if (!MODELLED_MATCHES.has(option)) rule.otherMatches = true;
    }
    const command = COMMANDS.get(option);
    if (command && !value) rule.command = command;
    if (!value) continue;
    if (command) {
      index = readCommand(rule, tokens, index, command);
      specFrom = index + 1;
      continue;
    }
    if (!readOption(rule, option, value, negated)) continue;
    index = valueAt;
  }
  if (!rule.protocolWritten && (rule.destinationPorts.length > 0 || rule.sourcePorts.length > 0)) rule.protocol = 'tcp';
  rule.spec = tokens
    .slice(specFrom)
    .map((token) => token.text)
    .join(' ');
  return rule;
}

/**
 * The matches the ruleset model reads (ruleset.ts); any other narrowing match (`-d`, `-m limit`, `--tcp-flags`)
 * makes a rule's matches inexact. `-m NAME` itself narrows nothing: its options do.
 */
const MODELLED_MATCHES = new Set([
  '-p',
  '--protocol',
  '-s',
  '--source',
  '--src',
  '-i',
  '--in-interface',
  '--dport',
  '--destination-port',
  '--dports',
  '--destination-ports',
  '--state',
  '--ctstate',
  '--syn',
  '-m',
  '--match',
  '--sport',
  '--source-port',
  '--sports',
  '--source-ports',
]);

/** `-A CHAIN`, `-I CHAIN [N]`, `-P CHAIN POLICY`: returns the index of the command's last word. */
function readCommand(rule: IptablesRule, tokens: readonly Token[], at: number, command: string): number {
  rule.command = command;
  // `-F` alone flushes every chain of the table; what follows it is then another option.
  if (command === 'flush' && tokens[at + 1].text.startsWith('-')) return at;
  rule.chain = tokens[at + 1].text;
  rule.head = tokens[at + 1];
  const next = tokens[at + 2];
  if (command === 'policy') {
    rule.target = next?.text;
    rule.targetToken = next;
    return next ? at + 2 : at + 1;
  }
  if (next && /^\d{1,6}$/.test(next.text)) {
    rule.head = next;
    return at + 2;
  }
  return at + 1;
}

// Options that leave a rule matching every port: where packets come from, comments, the verdict and its options.
const WHOLE_TRAFFIC_OPTIONS = new Set([
  '-s',
  '--source',
  '--src',
  '-i',
  '--in-interface',
  '-j',
  '--jump',
  '-g',
  '--goto',
  '-t',
  '--table',
  '--comment',
  '--reject-with',
  '--log-prefix',
  '--log-level',
]);

// What names a protocol alone: `-p tcp`, and `--syn`, which takes the new TCP connections (all of them).
const PROTOCOL_OPTIONS = new Set(['-p', '--protocol', '--syn']);

function narrowsPackets(option: string, value: Token | undefined): boolean {
  if (!option.startsWith('-') || COMMANDS.has(option) || WHOLE_TRAFFIC_OPTIONS.has(option)) return false;
  if (option === '-m' || option === '--match') return value?.text !== 'comment';
  if (option === '-p' || option === '--protocol') return !/^(all|0)$/i.test(value?.text ?? '');
  return true;
}

/** Records one option and its value; false for options that do not matter here (their value is left alone). */
function readOption(rule: IptablesRule, option: string, value: Token, negated: boolean): boolean {
  if (!option.startsWith('-')) return false;
  const written = () => (negated ? `! ${value.text}` : value.text);
  switch (option) {
    case '-t':
    case '--table':
      rule.table = value.text;
      break;
    case '-p':
    case '--protocol': {
      const name = value.text.toLowerCase();
      rule.protocolWritten = true;
      // `! -p tcp` matches every protocol but tcp: the ports of such a rule are not tcp's.
      rule.protocol = negated ? 'any' : (PROTOCOLS.get(name) ?? 'any');
      if ((negated || !PROTOCOLS.has(name)) && name !== 'all' && name !== '0')
        rule.protocolName = negated ? `! ${name}` : name;
      break;
    }
    case '--syn':
      // A flag without a value: what follows is the next option.
      rule.syn = !negated;
      return false;
    case '-s':
    case '--source':
    case '--src':
      rule.source = written();
      break;
    case '-i':
    case '--in-interface':
      rule.inInterface = written();
      break;
    case '-j':
    case '--jump':
    case '-g':
    case '--goto':
      rule.target = value.text;
      rule.targetToken = value;
      rule.goto = option === '-g' || option === '--goto';
      break;
    case '--state':
    case '--ctstate':
      rule.states = value.text.toUpperCase().split(',');
      break;
    case '--dport':
    case '--destination-port':
    // conntrack's original destination port: the port a client asked for before DNAT rewrote it.
    case '--ctorigdstport':
      rule.destinationPorts.push({ token: value, list: false, negated });
      break;
    case '--sport':
    case '--source-port':
      rule.sourcePorts.push({ token: value, list: false, negated });
      break;
    case '--dports':
    case '--destination-ports':
    case '--ports':
      rule.destinationPorts.push({ token: value, list: true, negated });
      break;
    case '--sports':
    case '--source-ports':
      rule.sourcePorts.push({ token: value, list: true, negated });
      break;
    case '--to-destination':
    case '--to-source':
    case '--to':
      rule.natAddress = value;
      break;
    // iptables takes an unambiguous prefix of a long option, so `--to-port` is `--to-ports`.
    case '--to-ports':
    case '--to-port':
      rule.toPorts = value;
      break;
    default:
      return false;
  }
  return true;
}

// ufw's limit chains end in an ACCEPT for the connections under the rate, so a rule that jumps there allows.
const ALLOW_TARGETS = /ACCEPT|^UFW6?-USER-LIMIT$/;

function roleOf(rule: IptablesRule): Role {
  if (rule.command === 'delete' || rule.command === 'check') return 'other';
  const target = (rule.target ?? '').toUpperCase();
  if (target === 'DNAT' || target === 'REDIRECT') return 'forward';
  if (ALLOW_TARGETS.test(target)) return 'allow';
  if (/DROP|REJECT/.test(target)) return 'deny';
  return 'other';
}

/** What a rule that neither allows nor denies does with its packets, for the hover. */
function otherNote(rule: IptablesRule): string | undefined {
  if (rule.command === 'delete') return 'removes this rule';
  if (rule.command === 'check') return 'checks whether this rule exists';
  const target = rule.target;
  if (!target) return undefined;
  if (/^(N?F?LOG|ULOG)$/i.test(target)) return 'logged, then passed on to the next rule';
  if (/^RETURN$/i.test(target)) return 'returned to the calling chain';
  if (/^[A-Z]+$/.test(target)) return `handled by the ${target} target`;
  return `handed to chain ${target}`;
}

/** The direction a chain's name tells: INPUT, PREROUTING and FORWARD (and ufw's `*-input`) face inbound traffic. */
export function directionOf(chain: string | undefined): Direction | undefined {
  if (!chain) return undefined;
  if (/input|prerouting|forward/i.test(chain)) return 'inbound';
  if (/output|postrouting/i.test(chain)) return 'outbound';
  return undefined;
}

/**
 * Who gets through a rule's own address matches: its source (the widest of a list), this host for `-i lo`,
 * and otherwise whoever reaches its chain (`inherited`). A negated source lets nearly everyone in.
 */
export function sourceExposure(rule: IptablesRule, inherited: Exposure): Exposure {
  if (rule.inInterface === 'lo') return 'loopback';
  if (!rule.source) return inherited;
  if (rule.source.startsWith('!')) return inherited === 'loopback' ? inherited : 'any';
  return widest(rule.source.split(',').map(classifyAddress));
}

/** Who reaches an allowed or forwarded inbound port; everything else exposes nothing. */
function exposureOf(
  rule: IptablesRule,
  role: Role,
  direction: Direction | undefined,
  entry: ChainEntry | undefined,
): Exposure {
  if ((role !== 'allow' && role !== 'forward') || direction !== 'inbound') return 'unknown';
  return sourceExposure(rule, entry?.exposure ?? 'any');
}

/** The chain whose policy applies to a rule: its own, or for a user-defined chain the chain it is reached from. */
export function policyChainOf(rule: IptablesRule, policies: ChainPolicies, entry?: ChainEntry): string | undefined {
  if (rule.chain && policies.has(chainKey(rule.table, rule.chain))) return rule.chain;
  if (entry && policies.has(chainKey(rule.table, entry.root))) return entry.root;
  return undefined;
}

/** The address and the port of a NAT rewrite (`10.0.0.5:443`, `[2001:db8::5]:443`, `1.2.3.4:1000-2000`, `:8080`). */
function splitNatAddress(text: string): { host: string; portFrom: number; portTo: number } | undefined {
  const close = text.startsWith('[') ? text.indexOf(']') : -1;
  const colon = close >= 0 ? (text[close + 1] === ':' ? close + 1 : -1) : text.indexOf(':');
  // An unbracketed IPv6 address has several colons and no port.
  if (colon < 0 || (close < 0 && text.indexOf(':', colon + 1) >= 0)) return undefined;
  const host = close >= 0 ? text.slice(1, close) : text.slice(0, colon);
  const slash = text.indexOf('/', colon);
  return { host, portFrom: colon + 1, portTo: slash >= 0 ? slash : text.length };
}

/** Where a DNAT or REDIRECT sends the matched traffic, in words for `mappedTo`. */
function forwardTargetOf(rule: IptablesRule, role: Role): string | undefined {
  if (role !== 'forward') return undefined;
  if (rule.natAddress) return rule.natAddress.text;
  return rule.toPorts ? `local port ${rule.toPorts.text}` : undefined;
}

/** The single port a DNAT or REDIRECT sends to, when the service behind the matched port is what matters. */
function mappedPortOf(rule: IptablesRule, role: Role): number | undefined {
  if (role !== 'forward') return undefined;
  const nat = rule.natAddress && splitNatAddress(rule.natAddress.text);
  const text = nat ? rule.natAddress!.text.slice(nat.portFrom, nat.portTo) : rule.toPorts?.text;
  return text && /^\d{1,5}$/.test(text) ? Number(text) : undefined;
}

/** What a rule does with its destination ports: role, exposure and the context the hover puts into words. */
export function iptablesRuleFacts(
  rule: IptablesRule,
  policies: ChainPolicies,
  tool: string,
  entry?: ChainEntry,
): MentionFacts {
  const role = roleOf(rule);
  const direction = directionOf(rule.chain) ?? entry?.direction;
  const policyChain = policyChainOf(rule, policies, entry);
  const context: MentionContext = {
    tool,
    direction,
    source: rule.source ?? entry?.sources?.join(', '),
    interface: rule.inInterface,
    table: rule.table,
    chain: rule.chain,
    policy: policyChain ? policies.get(chainKey(rule.table, policyChain)) : undefined,
    mappedTo: forwardTargetOf(rule, role),
    mappedPort: mappedPortOf(rule, role),
    note: role === 'other' ? otherNote(rule) : undefined,
  };
  return { protocol: rule.protocol, role, exposure: exposureOf(rule, role, direction, entry), context };
}

/** `-P CHAIN POLICY` (and `:CHAIN POLICY` declarations) set the policy that the rules after them report. */
export function recordPolicy(rule: IptablesRule, policies: ChainPolicies): boolean {
  if (rule.command !== 'policy') return false;
  if (rule.chain && rule.target) policies.set(chainKey(rule.table, rule.chain), rule.target.toUpperCase());
  return true;
}

/**
 * Adds a rule's ports with `facts` for its destination ports: `--dport`/`--sport` (ranges `a:b`, `:b`, `a:`,
 * service names), `-m multiport --dports a,b:c`, and the ports a DNAT `--to-destination`, an SNAT `--to-source`
 * or a REDIRECT/MASQUERADE `--to-ports` rewrites to. Returns the mentions it added.
 */
export function addIptablesRulePorts(rule: IptablesRule, facts: MentionFacts, out: MentionCollector): PortMention[] {
  // The ports beside the destination ports describe the packets, not the mapping or the verdict's note.
  const context = () => ({ ...facts.context, mappedTo: undefined, mappedPort: undefined, note: undefined });
  const aside = (note: string): MentionFacts => ({
    ...facts,
    role: 'other',
    exposure: 'unknown',
    context: { ...context(), note },
  });
  const added: PortMention[] = [];
  for (const option of rule.destinationPorts) {
    for (const mention of addPorts(out, option, option.negated ? aside('every port but this one matches') : facts))
      added.push(mention);
  }
  for (const option of rule.sourcePorts)
    for (const mention of addPorts(out, option, aside(SOURCE_PORT_NOTE))) added.push(mention);

  if (!rule.natAddress && !rule.toPorts) return added;
  const target = (rule.target ?? '').toUpperCase();
  const rewrite: MentionFacts =
    facts.role === 'forward'
      ? { ...facts, context: { ...context(), note: 'where the matched traffic is sent' } }
      : aside(
          target === 'DNAT' ? 'where the matched traffic is sent' : 'source port the traffic leaves with after NAT',
        );
  const nat = rule.natAddress && splitNatAddress(rule.natAddress.text);
  if (rule.natAddress && nat) {
    const mention = out.addPort(
      rule.natAddress,
      nat.portFrom,
      nat.portTo,
      { ...rewrite, context: { ...rewrite.context, peer: nat.host || undefined } },
      NAT_PORT_SPEC,
    );
    if (mention) added.push(mention);
  }
  if (rule.toPorts) {
    const mention = out.addPort(rule.toPorts, 0, rule.toPorts.text.length, rewrite, NAT_PORT_SPEC);
    if (mention) added.push(mention);
  }
  return added;
}

/** Whether a rule's matches take every packet, its source and input interface aside. */
export function takesEveryPort(rule: IptablesRule): boolean {
  return !rule.narrowed;
}

/**
 * An inbound rule that accepts every port from any source (`-A INPUT -j ACCEPT`): one signal, not one per port.
 * An input interface other than loopback restricts no source (GUIDE section 2): `-i eth0 -j ACCEPT` opens every
 * port to whoever reaches eth0, and the report names the interface.
 */
export function addAllPortsSignal(
  rule: IptablesRule,
  facts: MentionFacts,
  out: MentionCollector,
): RiskSignal | undefined {
  if (facts.role !== 'allow' || facts.exposure !== 'any' || facts.context.direction !== 'inbound') return undefined;
  if (!rule.targetToken || !takesEveryPort(rule)) return undefined;
  const on = rule.inInterface ? ` on ${rule.inInterface}, which may face the internet,` : '';
  const detail = `chain ${rule.chain} accepts any packet${on} from ${facts.context.source ?? 'any source'}`;
  return out.addSignal(rule.targetToken, 0, rule.targetToken.text.length, 'all-ports-open', detail);
}

function addPorts(out: MentionCollector, option: PortOption, facts: MentionFacts): PortMention[] {
  const { token } = option;
  if (option.list) return out.addPortList(token, 0, token.text.length, facts, PORT_SPEC);
  const mention = out.addPort(token, 0, token.text.length, facts, PORT_SPEC);
  return mention ? [mention] : [];
}

/**
 * Reads one iptables rule and adds its ports (see addIptablesRulePorts). `-P CHAIN POLICY` rules update
 * `policies` for the rules after them. Returns the rule as read, its port mentions and its all-ports signal.
 */
export function readIptablesRule(
  tokens: readonly Token[],
  out: MentionCollector,
  policies: ChainPolicies,
  tool: string,
  where: RuleLocation = {},
): { rule: IptablesRule; mentions: PortMention[]; allPorts?: RiskSignal } {
  const rule = parseIptablesRule(tokens, where);
  if (recordPolicy(rule, policies)) return { rule, mentions: [] };
  const facts = iptablesRuleFacts(rule, policies, tool, where.entry);
  const allPorts = addAllPortsSignal(rule, facts, out);
  return { rule, mentions: addIptablesRulePorts(rule, facts, out), allPorts };
}

/**
 * The edit that lets only `networks` match an iptables rule: `-s NET[,NET...]` (iptables expands the list)
 * right after the chain name, or after the rule number of `-I CHAIN N`. Undefined when the rule already names a
 * source, adds no rule (`-D`, `-P`), has no chain in its words, or there is no network to write.
 */
export function sourceRestrictionEdit(tokens: readonly Token[], networks: readonly string[]): TextEdit | undefined {
  const rule = parseIptablesRule(tokens);
  if (rule.source !== undefined || !rule.head || networks.length === 0) return undefined;
  if (rule.command !== 'append' && rule.command !== 'insert' && rule.command !== 'replace') return undefined;
  const at = rule.head.span.end;
  return { span: { start: at, end: at }, newText: ` -s ${networks.join(',')}` };
}
