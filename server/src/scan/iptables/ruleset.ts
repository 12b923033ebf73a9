import { AddressSet } from '../addressSet';
import type { PortMention, RiskSignal, Span } from '../mention';
import type { Removal } from '../ruleset/applyReach';
import type { ChainRule, ChainSet, RuleAction } from '../ruleset/firstMatch';
import { type PacketMatch, anyPacket } from '../ruleset/packetMatch';
import { complementPorts, intersectPorts, normalize } from '../ruleset/portIntervals';
import { type IptablesRule, chainKey, directionOf } from './rule';

/**
 * The rules of iptables and ip6tables as the kernel holds them after the commands or the save file that build
 * them, handed to the first-match evaluation (`ruleset/firstMatch.ts`) with their matches read as iptables(8) and
 * iptables-extensions(8) define them.
 */

/** One rule of a chain, with what it mentions. */
export interface RulesetRule {
  rule: IptablesRule;
  /** The whole line or command, for "line N drops these packets first". */
  line: Span;
  /** The rule's destination-port mentions. */
  mentions: PortMention[];
  /** The all-ports signal of an accept-everything rule, if it has one. */
  allPorts?: RiskSignal;
}

const TERMINAL: Record<string, 'accept' | 'drop'> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'drop' };

/** The rules of one family (iptables or ip6tables), chain by chain, in the order the kernel tries them. */
export class IptablesRuleset {
  private readonly chains = new Map<string, RulesetRule[]>();
  private readonly policies = new Map<string, string>();

  constructor(private readonly family: 'ipv4' | 'ipv6') {}

  /** `-A` appends; `-I CHAIN [N]` inserts before the N-th rule (the first by default). */
  add(entry: RulesetRule): void {
    const { rule } = entry;
    if (!rule.chain) return;
    const key = chainKey(rule.table, rule.chain);
    const rules = this.chains.get(key) ?? [];
    this.chains.set(key, rules);
    if (rule.command === 'insert') {
      const position = rule.head && /^\d+$/.test(rule.head.text) ? Number(rule.head.text) : 1;
      rules.splice(Math.max(0, Math.min(rules.length, position - 1)), 0, entry);
    } else if (rule.command === 'append' || rule.command === 'replace') rules.push(entry);
  }

  /**
   * `-D CHAIN N` removes the N-th rule, `-D CHAIN rule...` the first rule written the same; `-F [CHAIN]` flushes.
   * `by` is the command that does it, which the removed rules' findings point at, unless it may not run
   * (`conditional`): then the rules leave the evaluation, but nothing says they open nothing.
   */
  remove(rule: IptablesRule, written: string, by: Span, conditional = false): void {
    const record = (entry: RulesetRule, flushed: boolean) => {
      if (!conditional) this.removed.push(removal(entry, by, flushed));
    };
    const flushed = (key: string) => {
      for (const entry of this.chains.get(key) ?? []) record(entry, true);
      this.chains.delete(key);
    };
    if (rule.command === 'flush') {
      if (rule.chain) flushed(chainKey(rule.table, rule.chain));
      else for (const key of [...this.chains.keys()]) if (key.startsWith(`${rule.table}/`)) flushed(key);
      return;
    }
    const rules = rule.chain ? this.chains.get(chainKey(rule.table, rule.chain)) : undefined;
    if (!rules) return;
    const index =
      rule.head && /^\d+$/.test(rule.head.text)
        ? Number(rule.head.text) - 1
        : rules.findIndex((item) => item.rule.spec === written);
    if (index >= 0 && index < rules.length) record(rules.splice(index, 1)[0], false);
  }

  /** Rules that a later `-D` or `-F` took out: they decide nothing once the script has run. */
  readonly removed: Removal[] = [];

  declareChain(table: string, chain: string): void {
    const key = chainKey(table, chain);
    if (!this.chains.has(key)) this.chains.set(key, []);
  }

  setPolicy(table: string, chain: string, policy: string): void {
    this.policies.set(chainKey(table, chain), policy.toUpperCase());
  }

  /** Whether the filter table holds `chain`, as the target of a jump. */
  holdsFilterChain(chain: string): boolean {
    return this.chains.has(chainKey('filter', chain));
  }

  /**
   * The chains for the evaluation: the built-in inbound chains of the filter table that no rule jumps to are
   * entries. `openPolicy`, the signal of INPUT's accepting policy, is judged as an accept of every packet after
   * INPUT's last rule: the packets that reach it are those the policy accepts.
   */
  chainSet(openPolicy?: RiskSignal): ChainSet {
    const chains = new Map<string, ChainRule[]>();
    for (const [key, rules] of this.chains)
      chains.set(
        key,
        rules.map((entry) => this.chainRule(entry)),
      );
    if (openPolicy) {
      const input = chainKey('filter', 'INPUT');
      const policy: ChainRule = {
        line: openPolicy.span,
        mentions: [],
        allPorts: openPolicy,
        match: anyPacket(this.family),
        action: { kind: 'accept' },
      };
      chains.set(input, [...(chains.get(input) ?? []), policy]);
    }
    const jumped = new Set<string>();
    for (const [key, rules] of chains)
      for (const { action } of rules) if ('chain' in action && action.chain !== key) jumped.add(action.chain);
    const roots = [...chains.keys()]
      .filter((key) => key.startsWith('filter/') && !jumped.has(key))
      .filter((key) => directionOf(key.slice(key.indexOf('/') + 1)) === 'inbound')
      .map((key) => ({ key, policy: TERMINAL[this.policies.get(key) ?? ''] }));
    return { family: this.family, chains, roots };
  }

  private chainRule(entry: RulesetRule): ChainRule {
    return {
      line: entry.line,
      mentions: entry.mentions,
      allPorts: entry.allPorts,
      match: matchOf(entry, this.family),
      action: this.actionOf(entry.rule),
      verdictToken: entry.rule.targetToken,
    };
  }

  /** A target: a verdict, RETURN, a jump or goto into a chain of the ruleset, or one that lets the packet go on. */
  private actionOf(rule: IptablesRule): RuleAction {
    const target = (rule.target ?? '').toUpperCase();
    if (TERMINAL[target]) return { kind: TERMINAL[target] };
    if (target === 'RETURN') return { kind: 'return' };
    const key = rule.target && chainKey(rule.table, rule.target);
    if (key && this.chains.has(key)) return { kind: rule.goto ? 'goto' : 'jump', chain: key };
    return { kind: 'pass' };
  }
}

function removal(entry: RulesetRule, by: Span, flushed: boolean): Removal {
  const { mentions, allPorts } = entry;
  return { entry: { mentions, allPorts, verdictToken: entry.rule.targetToken }, by, flushed };
}

/**
 * What a packet must be to match `rule` alone. A negated source or port list is its complement; matches this
 * model does not read (`-m limit`, `-d`, `--sport`, `-m recent`) make it inexact, so it covers nothing; a state
 * match without NEW matches no packet that opens a connection.
 */
function matchOf(entry: RulesetRule, family: 'ipv4' | 'ipv6'): PacketMatch {
  const { rule } = entry;
  let sources: AddressSet | undefined = AddressSet.universe(family);
  if (rule.source) {
    const negated = rule.source.startsWith('!');
    const listed = AddressSet.ofList(rule.source.replace(/^!\s*/, ''));
    sources = listed && (negated ? sources.subtract(listed) : sources.intersect(listed));
  }
  let ports: [number, number][] | undefined;
  let exact = !rule.otherMatches && rule.sourcePorts.length === 0;
  for (const option of rule.destinationPorts) {
    // The port mentions hold the values with service names resolved; a value that is no port leaves none.
    const { start, end } = option.token.span;
    const listed = entry.mentions.filter((mention) => mention.span.start >= start && mention.span.end <= end);
    if (listed.length !== (option.list ? option.token.text.split(',').length : 1)) exact = false;
    const set = normalize(listed.map((mention) => [mention.port, mention.endPort ?? mention.port]));
    const taken = option.negated ? complementPorts(set) : set;
    ports = ports ? intersectPorts(ports, taken) : taken;
  }
  const newConnectionsOnly =
    rule.syn !== false && (!rule.states || rule.states.some((state) => state === 'NEW' || state === 'UNTRACKED'));
  const protocol = rule.protocol === 'any' && rule.protocolName ? rule.protocolName : rule.protocol;
  return {
    protocol,
    ports,
    sources,
    interfaces: rule.inInterface ? [rule.inInterface] : [],
    exact,
    newConnections: newConnectionsOnly,
  };
}
