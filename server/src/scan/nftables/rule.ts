import type { Protocol } from '../../catalog/types';
import type { AddressFamily } from '../ruleset/packetMatch';
import { classifyAddress, widest } from '../exposure';
import type { Exposure } from '../mention';
import { type Element, type ElementResolver, type Via, splitElement } from './elements';
import { type Item, type Word, isWord } from './syntax';

type FieldKind = 'port' | 'saddr' | 'iface' | 'l4proto' | 'nfproto' | 'state' | 'other';

/** One payload or meta expression of a match: `tcp dport`, `ip saddr`, `iifname`, `ct state`. */
interface Field {
  kind: FieldKind;
  protocol: Protocol;
  sourcePort: boolean;
  /** An `ip` or `ip6` header field matches packets of that family only. */
  family?: AddressFamily;
}

/** A field or a concatenation of fields (`ip saddr . tcp dport`), and the word it starts at. */
interface Selector {
  fields: Field[];
  first: Word;
  next: number;
}

export interface SourceReading {
  text: string;
  exposure: Exposure;
  negated: boolean;
}

export interface Verdict {
  kind: string;
  target?: string;
}

/** What a NAT statement does with the ports it names. */
export type NatKind = 'dnat' | 'redirect' | 'tproxy' | 'snat' | 'masquerade';

/** One port token a rule reaches, with what the rule says about it. */
export interface PortUse {
  word: Word;
  from: number;
  to: number;
  via?: Via;
  protocol: Protocol;
  /**
   * match: the rule matches packets to it; source: it matches their source port; target: a DNAT or redirect sends
   * traffic to it; snat: translated packets leave from it; key: it keys a map that is not a verdict map.
   */
  use: 'match' | 'source' | 'target' | 'snat' | 'key';
  operator?: string;
  /** Set for an element of a concatenation or a map that names its own source, interface, protocol or verdict. */
  source?: SourceReading;
  iface?: string;
  verdict?: Verdict;
  peer?: string;
  mappedTo?: string;
  /** Where a source match can go in front of the port's match. */
  anchor?: Word;
}

/**
 * One match of a rule, as the ruleset evaluation reads it: the field, how it compares, the values it names (defines
 * and sets followed), and for a port its uses. A verdict map (`tcp dport vmap { 22 : accept }`) has a branch per
 * element instead of values.
 */
export interface Condition {
  /** `concat` for a concatenation (`ip saddr . tcp dport`), which the evaluation does not take apart. */
  kind: FieldKind | 'concat';
  protocol: Protocol;
  sourcePort: boolean;
  family?: AddressFamily;
  operator?: string;
  values: string[];
  uses: PortUse[];
  branches?: { values: string[]; uses: PortUse[]; verdict?: Verdict }[];
}

/** Whether a `ct state` match admits packets that open a connection: `new` or `untracked`, or `!=` the others. */
export function admitsNewConnections(condition: Condition): boolean {
  const opens = condition.values.some((state) => state === 'new' || state === 'untracked');
  return opens !== (condition.operator === '!=');
}

/** What one nftables rule says, before its chain tells the direction and policy. */
export interface RuleReading {
  uses: PortUse[];
  source?: SourceReading;
  iface?: { text: string; negated: boolean };
  protocol?: Protocol;
  verdict?: Verdict;
  /** The word of the rule's own verdict (`accept`), where a finding about the whole rule goes. */
  verdictWord?: Word;
  nat?: { kind: NatKind; mappedTo?: string };
  jumps: { target: string; iface?: string }[];
  /** Whether a match narrows the packets beyond their protocol and interface (ports, addresses, state...). */
  narrowed: boolean;
  /** Every match, in the order written. */
  conditions: Condition[];
  /** A statement that lets some packets through and not others (`limit rate`, `quota`, `meter`). */
  rateLimited: boolean;
}

const TRANSPORT = new Map<string, Protocol>([
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['udplite', 'udp'],
  ['sctp', 'sctp'],
  ['dccp', 'dccp'],
  ['th', 'any'],
]);
const TRANSPORT_KEYS = new Set([
  'dport',
  'sport',
  'flags',
  'checksum',
  'sequence',
  'ackseq',
  'doff',
  'window',
  'urgptr',
  'option',
  'length',
  'vtag',
  'type',
  'chunk',
]);
const HEADERS = new Set([
  'ip',
  'ip6',
  'ether',
  'vlan',
  'arp',
  'icmp',
  'icmpv6',
  'igmp',
  'ah',
  'esp',
  'comp',
  'dst',
  'frag',
  'hbh',
  'mh',
  'rt',
  'srh',
  'gre',
  'vxlan',
  'geneve',
  'ct',
  'meta',
  'fib',
  'ipsec',
  'osf',
  'socket',
  'exthdr',
]);
const BARE_META = new Set([
  'iif',
  'iifname',
  'oif',
  'oifname',
  'iiftype',
  'oiftype',
  'iifgroup',
  'oifgroup',
  'l4proto',
  'nfproto',
  'mark',
  'skuid',
  'skgid',
  'pkttype',
  'cgroup',
]);
const VERDICTS = new Set(['accept', 'drop', 'reject', 'queue', 'continue', 'return', 'jump', 'goto']);
const STATEMENTS = new Set([
  ...VERDICTS,
  'counter',
  'log',
  'limit',
  'dnat',
  'snat',
  'masquerade',
  'redirect',
  'tproxy',
  'notrack',
  'comment',
  'meter',
  'add',
  'update',
  'delete',
  'set',
  'map',
  'vmap',
  'mod',
  'and',
  'or',
  'xor',
  'flow',
  'dup',
  'fwd',
  'synproxy',
  'quota',
  'numgen',
  'jhash',
  'symhash',
  'to',
  'with',
  'over',
  'until',
  'fully-random',
  'random',
  'persistent',
]);
const OPERATORS = new Map([
  ['==', '=='],
  ['eq', '=='],
  ['!=', '!='],
  ['ne', '!='],
  ['<', '<'],
  ['lt', '<'],
  ['>', '>'],
  ['gt', '>'],
  ['<=', '<='],
  ['le', '<='],
  ['>=', '>='],
  ['ge', '>='],
]);
const SEPARATORS = new Set([',', '.', ':']);
/** Statements that let some matching packets through and stop others, by rate or count. */
const RATE_STATEMENTS = new Set(['limit', 'quota', 'meter', 'synproxy']);
const IDENTIFIER = /^[a-z][a-z0-9-]*$/;

function fieldKind(header: string, key: string): FieldKind {
  if ((header === 'ip' || header === 'ip6') && key === 'saddr') return 'saddr';
  if (header === 'ct' && key === 'state') return 'state';
  if (key === 'nfproto') return 'nfproto';
  if ((header === 'ip' && key === 'protocol') || (header === 'ip6' && key === 'nexthdr') || key === 'l4proto')
    return 'l4proto';
  if (key === 'iif' || key === 'iifname') return 'iface';
  return 'other';
}

/** The field written at items[at] (`tcp dport`, `ip saddr`, `meta iifname`, `iif`), or undefined if none starts there. */
function readField(items: readonly Item[], at: number): { field: Field; next: number } | undefined {
  const word = items[at];
  if (!isWord(word) || word.quoted) return undefined;
  const key = items[at + 1];
  const keyText = isWord(key) && !key.quoted ? key.text : '';
  const plain = (kind: FieldKind, next: number, family?: AddressFamily) => ({
    field: { kind, protocol: 'any' as Protocol, sourcePort: false, family },
    next,
  });
  const transport = TRANSPORT.get(word.text);
  if (transport) {
    if (!TRANSPORT_KEYS.has(keyText)) return undefined;
    const isPort = keyText === 'dport' || keyText === 'sport';
    return {
      field: { kind: isPort ? 'port' : 'other', protocol: transport, sourcePort: keyText === 'sport' },
      next: at + 2,
    };
  }
  if (BARE_META.has(word.text)) return plain(fieldKind('meta', word.text), at + 1);
  if (
    HEADERS.has(word.text) &&
    IDENTIFIER.test(keyText) &&
    !STATEMENTS.has(keyText) &&
    !HEADERS.has(keyText) &&
    !TRANSPORT.has(keyText)
  ) {
    const family = word.text === 'ip' ? 'ipv4' : word.text === 'ip6' ? 'ipv6' : undefined;
    return plain(fieldKind(word.text, keyText), at + 2, family);
  }
  return undefined;
}

function readSelector(items: readonly Item[], at: number): Selector | undefined {
  const first = readField(items, at);
  if (!first) return undefined;
  const fields = [first.field];
  let next = first.next;
  while (isWord(items[next], '.')) {
    const field = readField(items, next + 1);
    if (!field) break;
    fields.push(field.field);
    next = field.next;
  }
  return { fields, first: items[at] as Word, next };
}

/** Which components of a set's elements are ports, from its `type ipv4_addr . inet_service` or `typeof ip saddr . tcp dport`. */
export function portComponents(type: readonly Item[], isTypeof: boolean): number[] {
  const colon = type.findIndex((item) => isWord(item, ':'));
  const key = colon >= 0 ? type.slice(0, colon) : type;
  if (isTypeof) {
    const selector = readSelector(key, 0);
    return selector ? selector.fields.flatMap((field, index) => (field.kind === 'port' ? [index] : [])) : [];
  }
  return key
    .filter((item) => !isWord(item, '.'))
    .flatMap((item, index) => (isWord(item, 'inet_service') ? [index] : []));
}

/** True when items[at] is a value (`22`, `$ports`, `@set`, `{ ... }`) rather than the next keyword or field. */
function isValue(items: readonly Item[], at: number): boolean {
  const item = items[at];
  if (!item) return false;
  if (item.kind === 'group') return true;
  if (item.quoted) return true;
  return !SEPARATORS.has(item.text) && !OPERATORS.has(item.text) && !STATEMENTS.has(item.text) && !readField(items, at);
}

function wordText(item: Item | undefined): string {
  return isWord(item) ? item.text : '';
}

function verdictOf(items: readonly Item[]): Verdict | undefined {
  const [first, second] = items;
  if (!isWord(first) || !VERDICTS.has(first.text)) return undefined;
  return first.text === 'jump' || first.text === 'goto'
    ? { kind: first.text, target: wordText(second) }
    : { kind: first.text };
}

/** `10.0.0.2:8080`, `[fd00::2]:8080`, `:8080`: where the port part starts, and the host before it. */
function splitTarget(text: string): { host: string; portFrom: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  const host = text.slice(0, colon);
  if (host.includes(':') && !(host.startsWith('[') && host.endsWith(']'))) return undefined;
  return { host: host.replace(/^\[|\]$/g, ''), portFrom: colon + 1 };
}

/**
 * `add @flood { ip saddr limit rate over 10/second }` and `update @seen { ip saddr ct count over 20 }`: a set
 * statement whose element carries a limit, a quota or a count lets the rule go on for some packets only.
 */
function limitsThroughSet(items: readonly Item[], at: number): boolean {
  const [verb, set, element] = items.slice(at, at + 3);
  if (!isWord(verb) || !/^(add|update)$/.test(verb.text) || !isWord(set) || element?.kind !== 'group') return false;
  return element.items.some((item) => isWord(item) && (RATE_STATEMENTS.has(item.text) || item.text === 'count'));
}

/** Reads one rule's matches, verdict, NAT statement and jumps. */
class RuleReader {
  readonly reading: RuleReading = { uses: [], jumps: [], narrowed: false, conditions: [], rateLimited: false };

  constructor(
    private readonly items: readonly Item[],
    private readonly resolver: ElementResolver,
    private readonly scope: string,
  ) {}

  read(): RuleReading {
    const items = this.items;
    for (let at = 0; at < items.length; ) {
      const selector = readSelector(items, at);
      if (selector) {
        at = this.match(selector);
        continue;
      }
      const word = items[at];
      if (!isWord(word) || word.quoted) {
        at++;
        continue;
      }
      const verdict = verdictOf(items.slice(at, at + 2));
      if (verdict) {
        this.reading.verdict = verdict;
        this.reading.verdictWord = word;
        if (verdict.target !== undefined)
          this.reading.jumps.push({ target: verdict.target, iface: this.reading.iface?.text });
        at += verdict.target !== undefined ? 2 : 1;
      } else if (/^(dnat|snat|redirect|masquerade|tproxy)$/.test(word.text)) {
        at = this.nat(word.text as NatKind, at + 1);
      } else {
        if (RATE_STATEMENTS.has(word.text) || limitsThroughSet(items, at)) this.reading.rateLimited = true;
        at += word.text === 'comment' ? 2 : 1;
      }
    }
    this.finish();
    return this.reading;
  }

  /** `SELECTOR [op] VALUE` or `SELECTOR vmap|map VALUE`; returns where the next expression starts. */
  private match(selector: Selector): number {
    if (selector.fields.some((field) => field.kind !== 'l4proto' && field.kind !== 'iface'))
      this.reading.narrowed = true;
    let at = selector.next;
    const mapWord = wordText(this.items[at]);
    if ((mapWord === 'vmap' || mapWord === 'map') && this.items[at + 1]) {
      const elements = this.resolver.elements(this.items[at + 1], this.scope);
      if (mapWord === 'map') {
        this.keyedElements(selector, elements, 'key', undefined);
        return at + 2;
      }
      const condition = this.condition(selector, undefined, []);
      condition.branches = elements.map((element) => {
        const before = this.reading.uses.length;
        this.keyedElements(selector, [element], 'match', undefined);
        this.elementJump(selector, element);
        const values = selector.fields.length === 1 ? this.componentTexts(element, 0) : [];
        return { values, uses: this.reading.uses.slice(before), verdict: verdictOf(element.value) };
      });
      return at + 2;
    }
    const operator = OPERATORS.get(mapWord);
    if (operator) at++;
    if (!isValue(this.items, at)) return at;
    const value = this.items[at];
    at++;
    let elements: Element[];
    if (selector.fields.length > 1 && isWord(this.items[at], '.')) {
      const inline = [value];
      while (isWord(this.items[at], '.') && this.items[at + 1]) {
        inline.push(this.items[at], this.items[at + 1]);
        at += 2;
      }
      elements = [splitElement(inline)];
    } else {
      elements = this.resolver.elements(value, this.scope);
    }
    if (selector.fields.length === 1) this.ruleLevel(selector.fields[0], elements, operator === '!=', value);
    const before = this.reading.uses.length;
    this.keyedElements(selector, elements, 'match', operator);
    const values = selector.fields.length === 1 ? elements.flatMap((element) => this.componentTexts(element, 0)) : [];
    this.condition(selector, operator, values).uses = this.reading.uses.slice(before);
    return at;
  }

  private condition(selector: Selector, operator: string | undefined, values: string[]): Condition {
    const [field] = selector.fields;
    const single = selector.fields.length === 1;
    const condition: Condition = {
      kind: single ? field.kind : 'concat',
      protocol: field.protocol,
      sourcePort: field.sourcePort,
      family: single ? field.family : undefined,
      operator,
      values,
      uses: [],
    };
    this.reading.conditions.push(condition);
    return condition;
  }

  /** A single field's value applies to the whole rule: its source, interface or protocol. */
  private ruleLevel(field: Field, elements: readonly Element[], negated: boolean, written: Item): void {
    const texts: string[] = [];
    for (const element of elements) for (const text of this.componentTexts(element, 0)) texts.push(text);
    if (field.kind === 'saddr')
      this.reading.source = sourceOf(texts, negated, isWord(written) ? written.text : undefined);
    else if (field.kind === 'iface') this.reading.iface = { text: texts.join(', '), negated };
    else if (field.kind === 'l4proto' && texts.length === 1 && TRANSPORT.has(texts[0]) && !negated)
      this.reading.protocol = TRANSPORT.get(texts[0]);
  }

  /** Adds the port components of each element; other components of a concatenation qualify that element. */
  private keyedElements(
    selector: Selector,
    elements: readonly Element[],
    use: 'match' | 'key',
    operator: string | undefined,
  ): void {
    const multi = selector.fields.length > 1;
    for (const element of elements) {
      const component = (kind: FieldKind) =>
        this.componentTexts(
          element,
          selector.fields.findIndex((field) => field.kind === kind),
        );
      const sources = multi ? component('saddr') : [];
      const ifaces = multi ? component('iface') : [];
      const protocols = multi ? component('l4proto') : [];
      selector.fields.forEach((field, index) => {
        if (field.kind !== 'port') return;
        const protocol = (field.protocol === 'any' && TRANSPORT.get(protocols[0])) || field.protocol;
        for (const value of this.componentValues(element.components[index], element.via)) {
          if (!isWord(value.item)) continue;
          this.reading.uses.push({
            word: value.item,
            from: 0,
            to: value.item.text.length,
            via: value.via,
            protocol,
            use: field.sourcePort ? 'source' : use,
            operator,
            source: sources.length > 0 ? sourceOf(sources, false) : undefined,
            iface: ifaces[0],
            verdict: verdictOf(element.value),
            anchor: selector.first,
          });
        }
      });
    }
  }

  /** `iifname vmap { br0 : jump in_wired }`: the jump happens for that interface. */
  private elementJump(selector: Selector, element: Element): void {
    const verdict = verdictOf(element.value);
    if (verdict?.target === undefined) return;
    const ifaces = this.componentTexts(
      element,
      selector.fields.findIndex((field) => field.kind === 'iface'),
    );
    this.reading.jumps.push({ target: verdict.target, iface: ifaces[0] ?? this.reading.iface?.text });
  }

  /** The values of one component of an element, following `$name` to its define. */
  private componentValues(component: Item[] | undefined, via?: Via): { item: Item; via?: Via }[] {
    const first = component?.[0];
    if (!first) return [];
    if (isWord(first) && first.text.startsWith('$')) return this.resolver.values(first, this.scope);
    return [{ item: first, via }];
  }

  private componentTexts(element: Element, index: number): string[] {
    return index >= 0 ? this.componentValues(element.components[index]).map((value) => wordText(value.item)) : [];
  }

  /**
   * `dnat [ip] to ADDRESS[:PORT]`, `dnat to ADDRESS : PORT`, `redirect to :PORT`, and both halves as maps
   * (`dnat tcp dport map { 1000 : 1.1.1.1 } : tcp dport map { 1000 : 1234 }`, `dnat to numgen inc mod 2 map { 0 : 4040 }`).
   */
  private nat(kind: NatKind, start: number): number {
    let at = start;
    if (/^(ip|ip6|inet)$/.test(wordText(this.items[at])) && wordText(this.items[at + 1]) === 'to') at++;
    if (wordText(this.items[at]) === 'to') at++;
    const address = this.natPart(kind, at, 'address');
    let target = address.target;
    at = address.next;
    if (wordText(this.items[at]) === ':') {
      const before = this.reading.uses.length;
      const port = this.natPart(kind, at + 1, 'port');
      for (const use of this.reading.uses.slice(before)) if (use.use !== 'match') use.peer ??= address.target.host;
      target = { host: address.target.host, port: port.target.port };
      at = port.next;
    }
    this.reading.nat = { kind, mappedTo: describeTarget(kind, target) };
    return at;
  }

  private natPart(kind: NatKind, at: number, part: 'address' | 'port'): { next: number; target: NatTarget } {
    const item = this.items[at];
    const selector = readSelector(this.items, at);
    if (selector && wordText(this.items[selector.next]) === 'map' && this.items[selector.next + 1]) {
      for (const element of this.resolver.elements(this.items[selector.next + 1], this.scope)) {
        const mappedTo = describeTarget(kind, this.natValue(kind, element.value, part));
        const before = this.reading.uses.length;
        this.keyedElements(selector, [element], 'match', undefined);
        for (const use of this.reading.uses.slice(before)) use.mappedTo = mappedTo;
      }
      return { next: selector.next + 2, target: {} };
    }
    if (/^(numgen|jhash|symhash)$/.test(wordText(item))) {
      let mapAt = at + 1;
      while (mapAt < this.items.length && mapAt < at + 16 && wordText(this.items[mapAt]) !== 'map') mapAt++;
      const group = this.items[mapAt + 1];
      if (!group) return { next: mapAt, target: {} };
      for (const element of this.resolver.elements(group, this.scope)) this.natValue(kind, element.value, part);
      return { next: mapAt + 2, target: {} };
    }
    if (!isWord(item) || !isValue(this.items, at)) return { next: at, target: {} };
    return { next: at + 1, target: this.natValue(kind, [item], part) };
  }

  /** Adds the port a NAT value sends to (`10.0.0.2:8080`, `192.168.1.2 . 8080`, `4040`) and returns the value's parts. */
  private natValue(kind: NatKind, value: readonly Item[], part: 'address' | 'port'): NatTarget {
    const element = splitElement(value);
    const first = element.components[0]?.[0];
    if (!isWord(first)) return {};
    let host: string | undefined;
    let port: { word: Word; from: number } | undefined;
    const localOnly = kind === 'redirect' || kind === 'masquerade';
    if (part === 'port' || (localOnly && !first.text.includes(':'))) {
      port = { word: first, from: 0 };
    } else {
      const split = splitTarget(first.text);
      host = split ? split.host : first.text;
      const portComponent = element.components[1]?.[0];
      if (split) port = { word: first, from: split.portFrom };
      else if (isWord(portComponent)) port = { word: portComponent, from: 0 };
    }
    if (!port) return { host };
    const values =
      port.from === 0 && port.word.text.startsWith('$')
        ? this.resolver.values(port.word, this.scope)
        : [{ item: port.word as Item, via: undefined }];
    for (const { item, via } of values) {
      if (!isWord(item)) continue;
      this.reading.uses.push({
        word: item,
        from: item === port.word ? port.from : 0,
        to: item.text.length,
        via,
        protocol: 'any',
        use: kind === 'snat' || kind === 'masquerade' ? 'snat' : 'target',
        peer: host || undefined,
      });
    }
    return { host, port: port.word.text.slice(port.from) };
  }

  /** Protocols and NAT targets known only once the whole rule is read. */
  private finish(): void {
    const { nat, protocol } = this.reading;
    for (const use of this.reading.uses) {
      if (use.protocol === 'any' && protocol) use.protocol = protocol;
      if (use.use === 'match' && nat && nat.kind !== 'snat' && nat.kind !== 'masquerade') use.mappedTo ??= nat.mappedTo;
    }
    const matched = this.reading.uses.find((use) => use.use === 'match' || use.use === 'source');
    if (matched)
      for (const use of this.reading.uses)
        if (use.use === 'target' || use.use === 'snat')
          use.protocol = use.protocol === 'any' ? matched.protocol : use.protocol;
  }
}

interface NatTarget {
  host?: string;
  port?: string;
}

/** Where a NAT statement sends traffic, in words: `10.0.0.2:8080`, `local port 8080`. */
function describeTarget(kind: NatKind, target: NatTarget): string | undefined {
  const { host, port } = target;
  if (host) return port ? `${host}:${port}` : host;
  if (!port) return undefined;
  return kind === 'dnat' ? `port ${port}` : `local port ${port}`;
}

/** The unspecified address as a source (`::/128`) is no wildcard: no remote host sends from it. */
const UNSPECIFIED_SOURCE = /^(0\.0\.0\.0(\/32)?|::(\/128)?)$/;

function sourceExposure(text: string): Exposure {
  if (/^[$@]/.test(text) || UNSPECIFIED_SOURCE.test(text)) return 'unknown';
  return classifyAddress(text.split('-')[0]);
}

/**
 * Who a source match lets in: the widest of its addresses; names, variables and sets left unresolved, and sets
 * filled at run time (`@blackhole`, written as `written`), are unknown.
 */
function sourceOf(texts: readonly string[], negated: boolean, written?: string): SourceReading {
  const exposures = texts.map(sourceExposure);
  return {
    text: texts.length > 0 ? texts.join(', ') : (written ?? ''),
    exposure: exposures.length > 0 ? widest(exposures) : 'unknown',
    negated,
  };
}

export function readRule(items: readonly Item[], resolver: ElementResolver, scope: string): RuleReading {
  return new RuleReader(items, resolver, scope).read();
}
