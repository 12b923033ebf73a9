import type { Protocol } from '../../catalog/types';
import type { RuleToken } from './definitions';

/**
 * Which `port` a port follows: `from ... port` (source), `to ... port` (destination), `rdr-to ... port` or
 * `-> host port` of a redirection (target), `nat-to ... port` or `-> ... port` of a nat (snat).
 */
export type PortSide = 'source' | 'destination' | 'target' | 'snat';

/** One port written in a rule: a number, a name, a range `a:b`, or `a >< b` / `a <> b` with its second end. */
export interface PfPortUse {
  token: RuleToken;
  to: number;
  side: PortSide;
  operator?: string;
  /** The second number of `a >< b` (ports strictly between) or `a <> b` (ports outside). */
  rangeEnd?: { token: RuleToken; operator: '><' | '<>' };
}

/** What a pf rule says, with the words a fix needs: `from`, the `any` after it, and `to`. */
export interface PfRuleReading {
  action: string;
  /** `rdr pass` and `nat pass` also pass what they translate. */
  passes: boolean;
  direction?: 'in' | 'out';
  /** `quick`: the first matching rule decides, not the last. */
  quick: boolean;
  /** `inet` or `inet6`: the rule matches packets of that address family only. */
  family?: 'inet' | 'inet6';
  iface?: { text: string; negated: boolean };
  protocol: Protocol;
  /** The protocols `proto` names, as written (`icmp`, `{ tcp udp }`); none when the rule names none. */
  protocolsNamed: string[];
  source?: { addresses: RuleToken[]; negated: boolean };
  /** The addresses after `to`; none for `to any` or `to port ...`. */
  destination?: { addresses: RuleToken[]; negated: boolean };
  /**
   * Whether options this model does not evaluate narrow the packets the rule matches (`user`, `flags`, `tagged`,
   * ...): such a rule cannot be said to take every packet of another.
   */
  narrowed: boolean;
  fromWord?: RuleToken;
  toWord?: RuleToken;
  uses: PfPortUse[];
  /** Where `rdr-to`, `divert-to` or `->` send the traffic. */
  target?: { host?: string; port?: string };
  redirects: boolean;
}

export const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const REDIRECTIONS = new Set(['rdr-to', 'divert-to']);
const TRANSLATIONS = new Set(['nat-to', 'binat-to', 'af-to']);
/** Words after which a `port` is not a TCP or UDP port of this rule (`divert-packet port 700` is a divert socket). */
const OTHER_PORTS = new Set(['divert-packet', 'route-to', 'reply-to', 'dup-to']);
export const RULE_ACTIONS = new Set(['pass', 'block', 'match', 'rdr', 'nat', 'binat', 'no']);
/** Options that make a rule match fewer packets in ways this model does not follow (pf.conf(5), "Parameters"). */
const NARROWING_OPTIONS = new Set([
  'user',
  'group',
  'flags',
  'icmp-type',
  'icmp6-type',
  'tos',
  'tagged',
  'os',
  'probability',
  'received-on',
  'rtable',
  'prio',
  'once',
  'unicast',
]);

class PfRuleReader {
  private at = 1;
  private side: PortSide | 'other' | undefined;
  readonly reading: PfRuleReading;

  constructor(private readonly tokens: readonly RuleToken[]) {
    const action = tokens[0].text === 'no' ? `no ${tokens[1]?.text ?? ''}` : tokens[0].text;
    if (tokens[0].text === 'no') this.at = 2;
    const passes = tokens[this.at]?.text === 'pass' && /^(rdr|nat|binat)$/.test(action);
    if (passes) this.at++;
    this.reading = {
      action,
      passes: action === 'pass' || passes,
      quick: false,
      protocol: 'any',
      protocolsNamed: [],
      uses: [],
      redirects: false,
      narrowed: false,
    };
  }

  read(): PfRuleReading {
    const tokens = this.tokens;
    while (this.at < tokens.length) {
      const token = tokens[this.at++];
      const word = token.kind === 'word' || token.kind === 'operator' ? token.text : '';
      if ((word === 'in' || word === 'out') && !this.side) this.reading.direction = word;
      else if (word === 'quick' && !this.side) this.reading.quick = true;
      else if ((word === 'inet' || word === 'inet6') && !this.side) this.reading.family = word;
      else if (word === 'on' && !this.side) {
        const iface = this.readInterface();
        // `on any` names every interface, as leaving `on` out does.
        this.reading.iface = iface.text === 'any' && !iface.negated ? undefined : iface;
      } else if (word === 'proto') this.readProtocol();
      else if (word === 'all') this.side = 'destination';
      else if (word === 'from') this.readAddress('source', token);
      else if (word === 'to') this.readAddress('destination', token);
      else if (word === 'port' && this.side && this.side !== 'other') this.readPorts(this.side);
      else if (REDIRECTIONS.has(word) || (word === '->' && /rdr$/.test(this.reading.action))) this.readTarget('target');
      else if (TRANSLATIONS.has(word) || word === '->') this.readTarget('snat');
      else if (OTHER_PORTS.has(word)) this.side = 'other';
      if (NARROWING_OPTIONS.has(word)) this.reading.narrowed = true;
    }
    return this.reading;
  }

  /** A single item, a `{ ... }` list or `!` and an item: the tokens written and the index after them. */
  private readItem(): { items: RuleToken[]; negated: boolean } {
    const negated = this.tokens[this.at]?.text === '!';
    if (negated) this.at++;
    const first = this.tokens[this.at];
    if (!first) return { items: [], negated };
    if (first.kind !== 'open') {
      this.at++;
      return { items: [first], negated };
    }
    const items: RuleToken[] = [];
    for (let depth = 0; this.at < this.tokens.length; this.at++) {
      const token = this.tokens[this.at];
      if (token.kind === 'open') depth++;
      else if (token.kind === 'close' && --depth === 0) break;
      else if (token.kind !== 'comma' && token.text !== '!') items.push(token);
    }
    this.at++;
    return { items, negated };
  }

  private readInterface(): { text: string; negated: boolean } {
    const { items, negated } = this.readItem();
    return { text: items.map((item) => item.text).join(', '), negated };
  }

  private readProtocol(): void {
    const { items } = this.readItem();
    const protocols = items.map((item) => item.text.toLowerCase());
    this.reading.protocolsNamed = protocols;
    this.reading.protocol =
      protocols.length === 1 && PORT_PROTOCOLS.has(protocols[0]) ? (protocols[0] as Protocol) : 'any';
  }

  /** `from SRC`, `to DST`: the address is optional before `port` (`from port bootps`). */
  private readAddress(side: 'source' | 'destination', word: RuleToken): void {
    this.side = side;
    if (side === 'destination') this.reading.toWord = word;
    else this.reading.fromWord = word;
    if (this.tokens[this.at]?.text === 'port') return;
    const { items, negated } = this.readItem();
    if (this.tokens[this.at]?.text === '-') this.at += 2;
    const addresses = items.filter((item) => item.text !== 'any');
    if (side === 'source') this.reading.source = { addresses: items, negated };
    else if (addresses.length > 0 || negated) this.reading.destination = { addresses, negated };
  }

  /** `rdr-to 10.0.0.2 port 8080`, `-> 127.0.0.1 port 8021`, `nat-to (egress:0) port 1024:65535`. */
  private readTarget(side: 'target' | 'snat'): void {
    this.side = side;
    if (side === 'target') this.reading.redirects = true;
    const { items } = this.readItem();
    if (side === 'target' && items.length > 0)
      this.reading.target = { host: items.map((item) => item.text).join(', ') };
  }

  /** `port 22`, `port ssh`, `port 6000:6010`, `port > 1023`, `port 33433 >< 33626`, `port { 22 443 }`. */
  private readPorts(side: PortSide): void {
    const items = this.tokens[this.at]?.kind === 'open' ? this.readItem().items : this.unbracedPort();
    for (let index = 0; index < items.length; index++) {
      const operator = COMPARISONS.has(items[index].text) ? items[index++].text : undefined;
      const token = items[index];
      if (!token || token.kind === 'operator') continue;
      const next = items[index + 1]?.text;
      const rangeOperator: '><' | '<>' | undefined = next === '><' || next === '<>' ? next : undefined;
      const rangeEnd =
        !operator && rangeOperator && items[index + 2]
          ? { token: items[index + 2], operator: rangeOperator }
          : undefined;
      if (rangeEnd) index += 2;
      const to = token.text.endsWith(':*') ? token.text.length - 2 : token.text.length;
      this.reading.uses.push({ token, to, side, operator, rangeEnd });
      if (side === 'target' && this.reading.target) this.reading.target.port ??= token.text.slice(0, to);
    }
  }

  /** `22`, `= 23`, `33433 >< 33626`: the tokens of one port written without braces. */
  private unbracedPort(): RuleToken[] {
    const next = this.tokens[this.at + 1]?.text;
    const length = COMPARISONS.has(this.tokens[this.at]?.text ?? '') ? 2 : next === '><' || next === '<>' ? 3 : 1;
    const items = this.tokens.slice(this.at, this.at + length);
    this.at += length;
    return items;
  }
}

/** Reads one pf rule (`pass`, `block`, `match`, `rdr`, `nat`, `binat`, `no rdr`) after macro expansion. */
export function readPfRule(tokens: readonly RuleToken[]): PfRuleReading {
  return new PfRuleReader(tokens).read();
}
