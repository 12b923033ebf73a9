import type { Protocol } from '../catalog/types';
import {
  type Exposure,
  type MentionContext,
  type PortMention,
  type PortUse,
  type RiskSignal,
  type Role,
  type ScanOutput,
  type Shortfall,
  type SignalKind,
  type Span,
  type UnresolvedPort,
  byPosition,
} from './mention';
import type { Token } from './token';
import { serviceNamedBy } from './variableNames';

/** What a scanner knows about the ports of one token, apart from where they are. */
export interface MentionFacts {
  protocol: Protocol;
  role: Role;
  exposure: Exposure;
  context: MentionContext;
  /** The service the text says runs or is reached at the port (PortMention.service). */
  service?: string;
}

/** The variable a port's text expands, when it is one the scan could not resolve: `$APP_PORT`, `${PORT}`. */
const UNSET_VARIABLE = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

/** Turns a service name (`ssh`) into its port, as the system's services database would. */
export type ServiceNameResolver = (name: string, protocol: Protocol) => number | undefined;

export interface PortSpecOptions {
  /** Characters that join the two ends of a range: `:` for iptables, ufw and pf, `-` for nftables and docker. */
  rangeSeparators?: string;
  /** Whether a service name may stand where a port is written (`--dport ssh`). */
  allowNames?: boolean;
  /** Whether a range may leave out an end (`:1024`, `1024:`), meaning 0 or 65535 there. */
  openRanges?: boolean;
  /** Whether 0 is a meaningful port here (`kubectl port-forward 0:80` picks a free one). */
  allowZero?: boolean;
}

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/i;

/** A port or a range, parsed from text written where the syntax takes one. */
export interface ParsedPort {
  port: number;
  endPort: number | null;
  writtenName?: string;
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;

/** A port written as 1 to 5 digits, as a number; every scanner asks this of most words it meets. */
export function parsePortNumber(text: string, allowZero = false): number | undefined {
  if (text.length === 0 || text.length > 5) return undefined;
  let value = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9) return undefined;
    value = value * 10 + code - DIGIT_0;
  }
  if (value > 65535 || (value === 0 && !allowZero)) return undefined;
  return value;
}

/**
 * Collects the mentions of one scan. Scanners hand it a token and the slice that holds a port (or a range,
 * a list, or a service name); it validates the text and maps the slice back to the document.
 */
export class MentionCollector {
  readonly mentions: PortMention[] = [];
  readonly signals: RiskSignal[] = [];
  readonly shortfalls: Shortfall[] = [];
  readonly unresolved: UnresolvedPort[] = [];
  private readonly unresolvedStarts = new Set<number>();
  private readonly servicesByName = new Map<string, string | undefined>();
  /**
   * The spans already taken, as the end of each start: one number per mention instead of a string key. Two
   * mentions that start alike but end apart are rare and go in `seenOther`.
   */
  private readonly seenEnds = new Map<number, number>();
  private readonly seenOther = new Set<string>();
  /** Definitions (role define) by span, and the mentions that use each, until the output is read. */
  private readonly definitions = new Map<string, PortMention>();
  private readonly usesOf = new Map<PortMention, { use: PortMention; via?: string }[]>();
  /** The shell function whose body is being read, for the uses of values passed to it. */
  caller: string | undefined;

  constructor(
    readonly language: string,
    private readonly resolveName: ServiceNameResolver,
  ) {}

  parsePort(text: string, protocol: Protocol, options: PortSpecOptions = {}): ParsedPort | undefined {
    const separators = options.rangeSeparators ?? '';
    for (const separator of separators) {
      const at = text.indexOf(separator, options.openRanges ? 0 : 1);
      if (at >= 0 && text.length > 1) {
        const firstText = text.slice(0, at);
        const lastText = text.slice(at + 1);
        const first = options.openRanges && firstText === '' ? 0 : parsePortNumber(firstText, options.allowZero);
        const last = options.openRanges && lastText === '' ? 65535 : parsePortNumber(lastText, options.allowZero);
        if (first === undefined || last === undefined || last < first) return undefined;
        return { port: first, endPort: last === first ? null : last };
      }
    }
    const port = parsePortNumber(text, options.allowZero);
    if (port !== undefined) return { port, endPort: null };
    if (options.allowNames && NAME_PATTERN.test(text)) {
      const named = this.resolveName(text, protocol);
      if (named !== undefined) return { port: named, endPort: null, writtenName: text };
    }
    return undefined;
  }

  /** Adds the port written in `token.text.slice(from, to)`; returns it, or undefined if that text is no port. */
  addPort(
    token: Token,
    from: number,
    to: number,
    facts: MentionFacts,
    options: PortSpecOptions = {},
  ): PortMention | undefined {
    const text = token.text.slice(from, to);
    const parsed = this.parsePort(text, facts.protocol, options);
    if (!parsed) {
      if (!token.literal) this.addUnresolved(token, from, to, text);
      return undefined;
    }
    const variable = token.variableOf(from, to);
    const mention: PortMention = {
      span: token.spanOf(from, to),
      port: parsed.port,
      endPort: parsed.endPort,
      protocol: facts.protocol,
      role: facts.role,
      exposure: facts.exposure,
      language: this.language,
      context: facts.context,
      ...(parsed.writtenName ? { writtenName: parsed.writtenName } : {}),
      ...(variable ? { variable } : {}),
    };
    const service = facts.service ?? (variable ? serviceNamedBy(variable.name) : undefined);
    if (service) mention.service = service;
    // A value passed through a loop or a function reaches one place with several ports: one mention each.
    if (variable ? !this.pushOnce(mention) : !this.push(mention)) return undefined;
    if (variable && mention.role !== 'define')
      this.addUse(mention, variable.definition, variable.note ?? `assigned to ${variable.name}`);
    return mention;
  }

  /** A port the syntax takes but a variable the text never sets gives (`--dport "$APP_PORT"`), once per place. */
  private addUnresolved(token: Token, from: number, to: number, text: string): void {
    const variable = UNSET_VARIABLE.exec(text)?.[1];
    if (!variable) return;
    const span = token.spanOf(from, to);
    if (this.unresolvedStarts.has(span.start)) return;
    this.unresolvedStarts.add(span.start);
    this.unresolved.push({ span, variable });
  }

  /**
   * Records that `use` reads a value written at `definition`: the definition becomes a mention of its own (role
   * define: it opens nothing by itself), which lists what its uses do.
   */
  private addUse(use: PortMention, definition: Span, note: string): void {
    if (definition.start === use.span.start && definition.end === use.span.end) return;
    let defined = this.definitions.get(`${definition.start}:${definition.end}`);
    if (defined && this.usesOf.has(defined) && defined.protocol !== use.protocol) defined.protocol = 'any';
    if (!defined) {
      // Written for its uses: the protocol they use it with, or any once they differ.
      defined = {
        span: definition,
        port: use.port,
        endPort: use.endPort,
        protocol: use.protocol,
        role: 'define',
        exposure: 'unknown',
        language: this.language,
        context: { tool: 'shell variable', note },
      };
      if (!this.push(defined)) return;
    }
    const uses = this.usesOf.get(defined);
    const entry = this.caller === undefined ? { use } : { use, via: this.caller };
    if (uses) uses.push(entry);
    else this.usesOf.set(defined, [entry]);
  }

  /**
   * Adds a port that the name at `token.text.slice(from, to)` stands for without writing it (a firewalld service
   * opens the ports its definition lists): `portText` is the port or `first-last` range from the definition, and
   * `reference` says how the name reaches it. One name may open several ports, each a mention at the name.
   */
  addReferencedPort(
    token: Token,
    from: number,
    to: number,
    portText: string,
    facts: MentionFacts,
    reference: string,
  ): PortMention | undefined {
    const parsed = this.parsePort(portText, facts.protocol, { rangeSeparators: '-' });
    if (!parsed) return undefined;
    const span = token.spanOf(from, to);
    const key = `${span.start}:${span.end}:${parsed.port}:${parsed.endPort}:${facts.protocol}`;
    if (this.seenOther.has(key)) return undefined;
    this.seenOther.add(key);
    const { protocol, role, exposure, context } = facts;
    const mention: PortMention = {
      span,
      port: parsed.port,
      endPort: parsed.endPort,
      protocol,
      role,
      exposure,
      language: this.language,
      context,
    };
    mention.writtenName = token.text.slice(from, to);
    mention.reference = reference;
    this.mentions.push(mention);
    return mention;
  }

  /**
   * Says that `mention`'s port is the value of a definition named `name` (an nftables define, a pf macro), written
   * at `definition`: the hover shows where, and a name such as `SSH_PORT` says the service.
   */
  nameDefinition(mention: PortMention, name: string, definition: Span): void {
    mention.variable = { name, definition };
    // A define of many ports names each of them: its name is read once.
    if (!this.servicesByName.has(name)) this.servicesByName.set(name, serviceNamedBy(name));
    const service = this.servicesByName.get(name);
    if (service && !mention.service) mention.service = service;
  }

  /**
   * Reports each port that the value of variable `name` lists (`PORTS="22 8000:8010"`) where it is written, with
   * the service the name says: a definition opens nothing by itself. Text the value took from another variable
   * (`local port=$1`) is reported where that one is written, once a command uses it.
   */
  addDefinedPorts(value: Token, name: string, context: MentionContext): void {
    const service = serviceNamedBy(name);
    for (const match of value.text.matchAll(/[^\s,]+/g)) {
      if (value.variableOf(match.index, match.index + match[0].length)) continue;
      this.addPort(
        value,
        match.index,
        match.index + match[0].length,
        { protocol: 'any', role: 'define', exposure: 'unknown', context, ...(service ? { service } : {}) },
        { rangeSeparators: '-:' },
      );
    }
  }

  /** Adds every element of a list such as `80,443` or `22,8000:8010`, one mention each. */
  addPortList(
    token: Token,
    from: number,
    to: number,
    facts: MentionFacts,
    options: PortSpecOptions & { listSeparator?: string } = {},
  ): PortMention[] {
    const separator = options.listSeparator ?? ',';
    const added: PortMention[] = [];
    let start = from;
    while (start <= to) {
      let end = token.text.indexOf(separator, start);
      if (end < 0 || end > to) end = to;
      let itemStart = start;
      let itemEnd = end;
      while (itemStart < itemEnd && token.text[itemStart] === ' ') itemStart++;
      while (itemEnd > itemStart && token.text[itemEnd - 1] === ' ') itemEnd--;
      const mention = this.addPort(token, itemStart, itemEnd, facts, options);
      if (mention) added.push(mention);
      start = end + separator.length;
    }
    return added;
  }

  /**
   * Adds the mentions another format's scanner found in `token.text` from offset `from` on (a heredoc body,
   * a quoted rule), placing them in this document.
   */
  addEmbedded(token: Token, from: number, embedded: ScanOutput): void {
    const place = (span: Span) => token.spanOf(from + span.start, from + span.end);
    const placeRelated = (related: PortMention['related']) =>
      related?.map((item) => ({ ...item, span: place(item.span) }));
    for (const mention of embedded.mentions) {
      const variable = mention.variable ?? token.variableOf(from + mention.span.start, from + mention.span.end);
      const related = placeRelated(mention.related);
      const uses = mention.uses?.map((use) => ({ ...use, span: place(use.span) }));
      this.push({
        ...mention,
        span: place(mention.span),
        ...(variable ? { variable } : {}),
        ...(related ? { related } : {}),
        ...(uses ? { uses } : {}),
      });
    }
    for (const signal of embedded.signals) {
      const related = placeRelated(signal.related);
      this.signals.push({ ...signal, span: place(signal.span), ...(related ? { related } : {}) });
    }
    for (const shortfall of embedded.shortfalls ?? [])
      this.shortfalls.push({ ...shortfall, span: place(shortfall.span) });
    for (const unresolved of embedded.unresolved ?? [])
      this.unresolved.push({ ...unresolved, span: place(unresolved.span) });
  }

  /** Records a setting that weakens security at `token.text.slice(from, to)`. */
  addSignal(token: Token, from: number, to: number, kind: SignalKind, detail: string): RiskSignal {
    const signal: RiskSignal = { kind, span: token.spanOf(from, to), language: this.language, detail };
    this.signals.push(signal);
    return signal;
  }

  /** The mentions, signals and shortfalls found; read once the scan is over, as it settles what each use does. */
  get output(): ScanOutput {
    for (const [defined, uses] of this.usesOf) {
      defined.uses = uses.map(({ use, via }) => {
        const settled: PortUse = { span: use.span, role: use.role, exposure: use.exposure, context: use.context };
        if (use.shadowedBy) settled.shadowedBy = use.shadowedBy;
        if (via !== undefined) settled.via = via;
        return settled;
      });
    }
    return {
      mentions: this.mentions,
      signals: this.signals,
      ...(this.shortfalls.length > 0 ? { shortfalls: this.shortfalls } : {}),
      ...(this.unresolved.length > 0 ? { unresolved: this.unresolved.sort(byPosition) } : {}),
    };
  }

  /** Keeps one mention per span and port, for the ports a variable brings to one place. */
  private pushOnce(mention: PortMention): boolean {
    const key = `${mention.span.start}:${mention.span.end}:${mention.port}:${mention.endPort}`;
    if (this.seenOther.has(key)) return false;
    this.seenOther.add(key);
    if (!this.seenEnds.has(mention.span.start)) this.seenEnds.set(mention.span.start, mention.span.end);
    this.mentions.push(mention);
    return true;
  }

  /** Keeps one mention per span: two readers of the same words (a URL inside an option) must not double it. */
  private push(mention: PortMention): boolean {
    const { start, end } = mention.span;
    const seenEnd = this.seenEnds.get(start);
    if (seenEnd === undefined) this.seenEnds.set(start, end);
    else if (seenEnd === end) return false;
    else {
      const key = `${start}:${end}`;
      if (this.seenOther.has(key)) return false;
      this.seenOther.add(key);
    }
    this.mentions.push(mention);
    if (mention.role === 'define') this.definitions.set(`${start}:${end}`, mention);
    return true;
  }
}
