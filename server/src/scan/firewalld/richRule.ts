import type { MentionCollector, MentionFacts } from '../collector';
import { CharacterSet, WHITESPACE } from '../lexing';
import type { Exposure, MentionContext, Role } from '../mention';
import type { Token } from '../token';
import {
  addPortElement,
  type PortElement,
  type PortSlice,
  protocolOf,
  sliceText,
  verbatimSlice,
  withNote,
} from './portElements';
import { type ServiceLookup, addServiceReference } from './services';
import { type XmlElement, attributeValue } from './xml';
import { type AddressMatch, describeMatch, matchExposure } from './zones';

export type RichAction = 'accept' | 'reject' | 'drop' | 'mark';
/** A keyword or attribute name of a rich rule: it runs to a blank or to `=`. */
const CLAUSE_WORD = new CharacterSet(/[^\s=]/);

/** A rich rule (firewalld.richlanguage(5)), read from `rule ...` text or from a `<rule>` element. */
export interface RichRule {
  family?: string;
  source?: AddressMatch;
  destination?: AddressMatch;
  elements: PortElement[];
  /** `service name="ssh"`: where the name is written; its ports are defined elsewhere. */
  services: PortSlice[];
  action?: RichAction;
  /** `priority="-10"`: where firewalld puts the rule among the zone's others (0 when not written). */
  priority: number;
  /** `protocol value="tcp"`: every port of one protocol. */
  protocol?: string;
  /** An element the ruleset evaluation does not follow: icmp-block, icmp-type, masquerade, tcp-mss-clamp. */
  otherElement: boolean;
  /** `limit value="1/m"` on the action: only some matching packets take it. */
  limited: boolean;
}

/** What the zone or policy around a rich rule decided about the ports it holds. */
export interface RuleScope {
  /** Who reaches the ports when the rule names no source. */
  exposure: Exposure;
  context: MentionContext;
  /** False when the rule opens nothing to others whatever it says: outbound traffic, a disabled policy. */
  opens: boolean;
  /** The rule is being taken away (`--remove-rich-rule`). */
  removed?: boolean;
  /** Where service names find their ports: the workspace's definitions, then firewalld's stock ones. */
  services: ServiceLookup;
}

/** A keyword of a rule (`source`, `port`, `accept`, or `rule` itself) with its `key=value` attributes. */
interface Clause {
  keyword: string;
  invert: boolean;
  attributes: Map<string, { value: string; slice: PortSlice }>;
}

const ACTIONS = new Set<string>(['accept', 'reject', 'drop', 'mark']);
const ACTION_ROLES: Record<RichAction, Role> = { accept: 'allow', reject: 'deny', drop: 'deny', mark: 'other' };

const OTHER_ELEMENTS = new Set(['icmp-block', 'icmp-type', 'masquerade', 'tcp-mss-clamp']);

function ruleFromClauses(clauses: readonly Clause[]): RichRule {
  const rule: RichRule = { elements: [], services: [], priority: 0, otherElement: false, limited: false };
  let previous = '';
  for (const clause of clauses) {
    if (clause.keyword !== 'limit') previous = clause.keyword;
    const value = (name: string) => clause.attributes.get(name)?.value;
    const slice = (name: string) => clause.attributes.get(name)?.slice;
    switch (clause.keyword) {
      case 'rule':
        rule.family = value('family');
        rule.priority = Number.parseInt(value('priority') ?? '0', 10) || 0;
        break;
      case 'protocol':
        rule.protocol = value('value')?.toLowerCase();
        break;
      case 'limit':
        // A limit belongs to the clause before it: a log's limit leaves the action whole.
        if (ACTIONS.has(previous)) rule.limited = true;
        break;
      case 'source':
      case 'destination':
        rule[clause.keyword] = addressMatchOf(clause);
        break;
      case 'port':
      case 'source-port':
        rule.elements.push({ kind: clause.keyword, port: slice('port'), protocol: protocolOf(value('protocol')) });
        break;
      case 'forward-port':
        rule.elements.push({
          kind: 'forward-port',
          port: slice('port'),
          toPort: slice('to-port'),
          toAddress: value('to-addr'),
          protocol: protocolOf(value('protocol')),
        });
        break;
      case 'service':
        if (value('name')) rule.services.push(slice('name')!);
        break;
      default:
        if (ACTIONS.has(clause.keyword)) rule.action = clause.keyword as RichAction;
        else if (OTHER_ELEMENTS.has(clause.keyword)) rule.otherElement = true;
    }
  }
  return rule;
}

function addressMatchOf(clause: Clause): AddressMatch | undefined {
  for (const kind of ['address', 'mac', 'ipset'] as const) {
    const value = clause.attributes.get(kind)?.value;
    if (value !== undefined) return { kind, value, invert: clause.invert };
  }
  return undefined;
}

/**
 * Reads rich-rule text from `token.text` at `from`: `rule family="ipv4" source [not] address="10.0.0.0/8" port
 * port="1364" protocol="tcp" accept`. Values may be double-quoted, single-quoted or bare; what is not understood
 * is skipped.
 */
export function readRichRuleText(token: Token, from: number): RichRule {
  const { text } = token;
  const clauses: Clause[] = [];
  let current: Clause = { keyword: '', invert: false, attributes: new Map() };
  let at = from;
  while (at < text.length) {
    at = WHITESPACE.endOfRun(text, at);
    const wordStart = at;
    at = CLAUSE_WORD.endOfRun(text, at);
    const word = text.slice(wordStart, at);
    if (text[at] !== '=') {
      if (word.toLowerCase() === 'not') current.invert = true;
      else if (word) clauses.push((current = { keyword: word.toLowerCase(), invert: false, attributes: new Map() }));
      continue;
    }
    at++;
    const quote = text[at] === '"' || text[at] === "'" ? text[at] : undefined;
    if (quote) at++;
    const valueStart = at;
    while (at < text.length && (quote ? text[at] !== quote : !WHITESPACE.has(text, at))) at++;
    current.attributes.set(word.toLowerCase(), {
      value: text.slice(valueStart, at),
      slice: { token, from: valueStart, to: at },
    });
    if (quote && at < text.length) at++;
  }
  return ruleFromClauses(clauses);
}

const TRUE_WORDS = new Set(['true', 'yes', '1']);

/** An element as a clause: its attributes are the keyword's `key=value` pairs; `invert="true"` is `not`. */
function xmlClause(element: XmlElement, keyword = element.name): Clause {
  return {
    keyword,
    invert: TRUE_WORDS.has((attributeValue(element, 'invert') ?? '').toLowerCase()),
    attributes: new Map(
      element.attributes.map((item) => [
        item.name,
        { value: item.value, slice: verbatimSlice(item.raw, item.valueStart) },
      ]),
    ),
  };
}

/**
 * Reads a `<rule>` element: its attributes and child elements are the same keywords as the text form; a limit is
 * written inside the action or log element (`<accept><limit value="1/m"/></accept>`).
 */
export function readRichRuleElement(element: XmlElement): RichRule {
  const clauses = [xmlClause(element, 'rule')];
  for (const child of element.children) {
    clauses.push(xmlClause(child));
    for (const inner of child.children) if (inner.name === 'limit') clauses.push(xmlClause(inner));
  }
  return ruleFromClauses(clauses);
}

/** Reads a `<source>` or `<destination>` element: `address=`, `mac=` or `ipset=`, `invert="true"`. */
export function readAddressMatch(element: XmlElement): AddressMatch | undefined {
  return addressMatchOf(xmlClause(element));
}

/** Reads a `<port>`, `<source-port>` or `<forward-port>` element; undefined for any other. */
export function readPortElement(element: XmlElement): PortElement | undefined {
  return ruleFromClauses([xmlClause(element)]).elements[0];
}

/**
 * Adds the ports of a rich rule. Its own source decides who reaches an accepted port, else the zone's; reject and
 * drop deny; a forward port is forwarded whatever the action.
 */
export function addRichRulePorts(rule: RichRule, out: MentionCollector, scope: RuleScope): void {
  let context: MentionContext = { ...scope.context };
  if (rule.source) context.source = describeMatch(rule.source);
  if (rule.destination) context = withNote(context, `to destination ${describeMatch(rule.destination)}`);
  if (rule.action === 'mark') context = withNote(context, 'marks the matched packets');
  if (scope.removed) context = withNote(context, 'rule removed');
  const facts = (forwarded: boolean): MentionFacts => {
    const role: Role = scope.removed
      ? 'other'
      : forwarded
        ? 'forward'
        : rule.action
          ? ACTION_ROLES[rule.action]
          : 'other';
    const opens = scope.opens && (role === 'allow' || role === 'forward');
    const exposure = !opens ? 'unknown' : rule.source ? matchExposure(rule.source) : scope.exposure;
    return {
      protocol: 'any',
      role,
      exposure,
      context: forwarded || rule.action ? context : withNote(context, 'no action: the rule only logs'),
    };
  };
  for (const element of rule.elements) {
    addPortElement(out, element, { ...facts(element.kind === 'forward-port'), protocol: element.protocol });
  }
  for (const service of rule.services)
    addServiceReference(out, service.token, service.from, service.to, facts(false), scope.services);
}

/** A rule in a few words, for the outline: `source 10.0.0.0/8 port 1364/tcp accept`. */
export function summarizeRule(
  rule: Pick<RichRule, 'source' | 'destination' | 'services' | 'elements'> & Partial<RichRule>,
): string {
  const parts: string[] = [];
  if (rule.source) parts.push(`source ${describeMatch(rule.source)}`);
  if (rule.destination) parts.push(`destination ${describeMatch(rule.destination)}`);
  for (const service of rule.services) parts.push(`service ${sliceText(service)}`);
  for (const element of rule.elements) {
    const port = element.port ? sliceText(element.port) : '?';
    parts.push(`${element.kind} ${port}${element.protocol === 'any' ? '' : `/${element.protocol}`}`);
  }
  if (rule.action) parts.push(rule.action);
  return parts.join(' ') || 'rule';
}
