import type { FormatFixes, TextEdit } from '../format';
import { type Span, countStartingBefore } from '../mention';
import { readRichRuleElement } from './richRule';
import { type XmlElement, attributeValue } from './xml';
import { readFirewalldXml } from './xmlScanner';

/** The rich-rule family a network belongs to. */
export function familyOf(network: string): 'ipv4' | 'ipv6' {
  return network.includes(':') ? 'ipv6' : 'ipv4';
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** `rule family="ipv4" source address="NET" port port="P" protocol="tcp" accept`: a port let in from one network. */
export function richRuleText(network: string, port: string, protocol: string): string {
  return `rule family="${familyOf(network)}" source address="${network}" port port="${port}" protocol="${protocol}" accept`;
}

/**
 * `--add-rich-rule='...'` options, one per network, that let `port/protocol` in from those networks only: what
 * `firewall-cmd --add-port=port/protocol` becomes when its source is restricted.
 */
export function richRuleOptions(port: string, protocol: string, networks: readonly string[]): string {
  return networks.map((network) => `--add-rich-rule='${richRuleText(network, port, protocol)}'`).join(' ');
}

/** The element of `elements` (in document order) whose span holds `span`, by binary search. */
function elementAt(elements: readonly XmlElement[], span: Span): XmlElement | undefined {
  const element = elements[countStartingBefore(elements, span.start + 1) - 1];
  return element && span.end <= element.span.end ? element : undefined;
}

/** The white space that starts the line `offset` is on, if only white space stands before it. */
function indentBefore(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/**
 * `<port .../>` or `<service .../>` becomes one `<rule>` per network holding it, with a source and `<accept/>`;
 * the same for `<forward-port>`, which needs no action.
 */
function wrapInRichRules(text: string, element: XmlElement, networks: readonly string[]): TextEdit[] {
  const written = text.slice(element.span.start, element.span.end);
  const action = element.name === 'forward-port' ? '' : '<accept/>';
  const rules = networks.map(
    (network) =>
      `<rule family="${familyOf(network)}"><source address="${escapeAttribute(network)}"/>${written}${action}</rule>`,
  );
  const indent = indentBefore(text, element.span.start);
  return [{ span: element.span, newText: rules.join(indent === undefined ? '' : `\n${indent}`) }];
}

/** A rich rule without a source gets one (a single network: a rule has one source), and a family if it had none. */
function addRuleSource(text: string, rule: XmlElement, networks: readonly string[]): TextEdit[] | undefined {
  if (networks.length !== 1 || readRichRuleElement(rule).source) return undefined;
  const [network] = networks;
  const family = attributeValue(rule, 'family');
  if (family !== undefined && family.toLowerCase() !== familyOf(network)) return undefined;
  const edits: TextEdit[] = [];
  if (family === undefined) {
    const afterName = rule.startTag.start + '<rule'.length;
    edits.push({ span: { start: afterName, end: afterName }, newText: ` family="${familyOf(network)}"` });
  }
  const source = `<source address="${escapeAttribute(network)}"/>`;
  const first = rule.children[0];
  const indent = first && indentBefore(text, first.span.start);
  const at = first ? first.span.start : rule.startTag.end;
  edits.push({ span: { start: at, end: at }, newText: indent === undefined ? source : `${source}\n${indent}` });
  return edits;
}

const WRAPPED_IN_RULES = new Set(['port', 'service', 'forward-port']);

/**
 * firewalld XML: a `<port>`, `<service>` or `<forward-port>` directly in a zone or policy becomes rich rules with a
 * source; a rich rule gets a `<source>`. Undefined for anything else (a service file defines ports; a denied port
 * needs nothing).
 */
export const firewalldFixes: FormatFixes = {
  restrictSource(text, mention, networks, analyses) {
    if (networks.length === 0 || (mention.role !== 'allow' && mention.role !== 'forward')) return undefined;
    const root = elementAt(analyses.of(readFirewalldXml), mention.span);
    if (!root || (root.name !== 'zone' && root.name !== 'policy')) return undefined;
    const holder = elementAt(root.children, mention.span);
    if (holder && WRAPPED_IN_RULES.has(holder.name)) return wrapInRichRules(text, holder, networks);
    if (holder?.name === 'rule') return addRuleSource(text, holder, networks);
    return undefined;
  },
};
