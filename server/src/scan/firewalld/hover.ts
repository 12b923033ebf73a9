import type { Span } from '../mention';
import { STOCK_SOURCE, stockService } from './services';
import { type XmlElement, attribute } from './xml';
import { readFirewalldXml } from './xmlScanner';

/** The `name` value of the `<service>` element under `offset`, zone child or rich-rule child alike. */
function serviceNameAt(roots: readonly XmlElement[], offset: number): { name: string; span: Span } | undefined {
  const pending = [...roots];
  while (pending.length > 0) {
    const element = pending.pop()!;
    if (offset < element.span.start || offset > element.span.end) continue;
    const name = element.name === 'service' ? attribute(element, 'name') : undefined;
    if (name && offset >= name.valueStart && offset <= name.valueStart + name.raw.length) {
      return { name: name.value, span: { start: name.valueStart, end: name.valueStart + name.raw.length } };
    }
    for (const child of element.children) pending.push(child);
  }
  return undefined;
}

/**
 * The card for a service name that opened no port: the scan gives every port a service defines a mention at the
 * name, so this shows only where the name resolved to none, and says why.
 */
export function firewalldHover(text: string, offset: number): { markdown: string; span: Span } | undefined {
  const found = serviceNameAt(readFirewalldXml(text), offset);
  if (!found) return undefined;
  const title = `**firewalld service \`${found.name}\`**`;
  const why = stockService(found.name)
    ? `It opens no TCP, UDP, SCTP or DCCP port: its stock definition names only protocols, helpers or includes (${STOCK_SOURCE}).`
    : `Its ports are unknown: it is not a stock service of ${STOCK_SOURCE}, and no \`services/${found.name}.xml\` beside the zones folder ` +
      'gave it a port. Port Lens cannot judge what it exposes.';
  return { markdown: `${title}\n\n${why}`, span: found.span };
}
