import type { OutlineSymbol, OutlineSymbolKind } from '../format';
import { readAddressMatch, readPortElement, readRichRuleElement, summarizeRule } from './richRule';
import { type XmlElement, attributeValue, textOf } from './xml';
import { readFirewalldXml, shortName } from './xmlScanner';
import { describeMatch } from './zones';

const ROOT_KINDS = new Map<string, OutlineSymbolKind>([
  ['zone', 'zone'],
  ['policy', 'section'],
  ['service', 'section'],
  ['direct', 'section'],
]);
/** Elements that name what they refer to in one attribute. */
const NAMING_ATTRIBUTES = new Map([
  ['service', 'name'],
  ['interface', 'name'],
  ['ingress-zone', 'name'],
  ['egress-zone', 'name'],
  ['helper', 'name'],
  ['include', 'service'],
]);

function rootDetail(root: XmlElement): string | undefined {
  if (root.name !== 'policy') return attributeValue(root, 'target');
  const zones = (name: string) =>
    root.children
      .filter((child) => child.name === name)
      .map((child) => attributeValue(child, 'name'))
      .join(', ');
  return `${zones('ingress-zone')} -> ${zones('egress-zone')}`;
}

/** What one child of a root is called in the outline; undefined for metadata (`<short>`, `<description>`). */
function childName(text: string, root: XmlElement, child: XmlElement): { name: string; detail?: string } | undefined {
  if (child.name === 'rule' && root.name === 'direct') {
    const where = ['ipv', 'table', 'chain']
      .map((name) => attributeValue(child, name))
      .filter(Boolean)
      .join(' ');
    return { name: `rule ${where}`, detail: textOf(text, child).trim() };
  }
  if (child.name === 'passthrough') return { name: 'passthrough', detail: textOf(text, child).trim() };
  if (child.name === 'rule') return { name: `rule ${summarizeRule(readRichRuleElement(child))}` };
  if (child.name === 'source') {
    const match = readAddressMatch(child);
    return match && { name: `source ${describeMatch(match)}` };
  }
  const element = readPortElement(child);
  if (element) return { name: summarizeRule({ elements: [element], services: [] }) };
  const attribute = NAMING_ATTRIBUTES.get(child.name);
  const named = attribute && attributeValue(child, attribute);
  return named ? { name: `${child.name} ${named}` } : undefined;
}

/** The outline of a zone, policy, service or direct.xml: the root element, and its ports, rules and bindings. */
export function firewalldSymbols(text: string): OutlineSymbol[] {
  const symbols: OutlineSymbol[] = [];
  for (const root of readFirewalldXml(text)) {
    const kind = ROOT_KINDS.get(root.name);
    if (!kind) continue;
    const children: OutlineSymbol[] = [];
    for (const child of root.children) {
      const named = childName(text, root, child);
      if (named) children.push({ ...named, kind: 'record', span: child.span, selection: child.startTag });
    }
    const name = [root.name, shortName(text, root)].filter(Boolean).join(' ');
    symbols.push({ name, detail: rootDetail(root), kind, span: root.span, selection: root.startTag, children });
  }
  return symbols;
}
