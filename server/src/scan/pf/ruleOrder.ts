import type { ParsedPort } from '../collector';
import type { RelatedSpan } from '../mention';
import type { PfRuleAnalysis } from './analysis';
import type { PfRuleReading } from './rule';

/**
 * pf decides a packet by the last rule that matches it, unless a matching rule says `quick`, which decides at once
 * (pf.conf(5), "Packet filtering"). So a `pass` opens nothing to the packets that a later `block` also matches,
 * unless the pass is quick, nor to those an earlier `block quick` matches. This finds, for a port a pass rule
 * lets in, a block rule that takes all of its inbound packets that way; partial overlaps are left alone.
 */
export function shadowingBlock(
  rules: readonly PfRuleAnalysis[],
  index: number,
  port: { port: number; endPort: number | null },
  parsePort: (text: string) => ParsedPort | undefined,
): RelatedSpan | undefined {
  const pass = rules[index].reading;
  for (let other = 0; other < rules.length; other++) {
    if (other === index) continue;
    const block = rules[other].reading;
    const later = other > index;
    if (later ? pass.quick : !block.quick) continue;
    if (!takesAll(block, pass, port, parsePort)) continue;
    const message = later
      ? 'blocks these packets, and pf obeys the last rule that matches'
      : 'blocks these packets first (quick)';
    return { span: rules[other].statement.span, message };
  }
  return undefined;
}

/** Whether `block` matches every inbound packet that `pass` matches for the port. */
function takesAll(
  block: PfRuleReading,
  pass: PfRuleReading,
  port: { port: number; endPort: number | null },
  parsePort: (text: string) => ParsedPort | undefined,
): boolean {
  if (block.action !== 'block' || block.narrowed || block.direction === 'out') return false;
  if (
    block.iface &&
    !(pass.iface && pass.iface.text === block.iface.text && pass.iface.negated === block.iface.negated)
  )
    return false;
  if (block.protocolsNamed.length > 0) {
    if (pass.protocolsNamed.length === 0) return false;
    if (!pass.protocolsNamed.every((protocol) => block.protocolsNamed.includes(protocol))) return false;
  }
  if (!sameOrAny(block.source, pass.source) || !sameOrAny(block.destination, pass.destination)) return false;
  if (block.uses.some((use) => use.side === 'source')) return false;
  const ports = block.uses.filter((use) => use.side === 'destination');
  if (ports.length === 0) return true;
  const last = port.endPort ?? port.port;
  return ports.some((use) => {
    if (use.operator || use.rangeEnd) return false;
    const parsed = parsePort(use.token.text.slice(0, use.to));
    return parsed !== undefined && parsed.port <= port.port && (parsed.endPort ?? parsed.port) >= last;
  });
}

/** A block's address condition takes all of a pass's when it has none, or the very same one. */
function sameOrAny(
  block: { addresses: { text: string }[]; negated: boolean } | undefined,
  pass: { addresses: { text: string }[]; negated: boolean } | undefined,
): boolean {
  if (!block || (block.addresses.length === 0 && !block.negated)) return true;
  if (!pass || pass.negated !== block.negated || pass.addresses.length !== block.addresses.length) return false;
  return pass.addresses.every((address, index) => address.text === block.addresses[index].text);
}
