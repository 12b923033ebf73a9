import type { ParsedPort } from '../collector';
import type { RelatedSpan } from '../mention';
import type { PfRuleAnalysis } from './analysis';
import type { PfRuleReading } from './rule';

/** Port ranges wider than this are kept with the blocks of every port rather than port by port. */
const WIDE = 64;
/** How many blocks one port is compared with at most: past that, the port is left as its line says. */
const MAX_CANDIDATES = 64;

/**
 * pf decides a packet by the last rule that matches it, unless a matching rule says `quick`, which decides at once
 * (pf.conf(5), "Packet filtering"). So a `pass` opens nothing to the packets that a later `block` also matches,
 * unless the pass is quick, nor to those an earlier `block quick` matches. This finds, for a port a pass rule
 * lets in, a block rule that takes all of its inbound packets that way; partial overlaps are left alone.
 *
 * The blocks that could take a pass's packets are indexed by port once, so that a file of many rules costs time in
 * proportion to its rules, not to their square.
 */
export class PfRuleOrder {
  private readonly everyPort: number[] = [];
  private readonly byPort = new Map<number, number[]>();

  constructor(
    private readonly rules: readonly PfRuleAnalysis[],
    private readonly parsePort: (text: string) => ParsedPort | undefined,
  ) {
    rules.forEach((rule, index) => {
      const block = rule.reading;
      if (block.action !== 'block' || block.narrowed || block.direction === 'out') return;
      if (block.uses.some((use) => use.side === 'source')) return;
      const ports = block.uses.filter((use) => use.side === 'destination');
      if (ports.length === 0) this.everyPort.push(index);
      const wide = () => {
        if (this.everyPort[this.everyPort.length - 1] !== index) this.everyPort.push(index);
      };
      for (const use of ports) {
        const parsed = use.operator || use.rangeEnd ? undefined : parsePort(use.token.text.slice(0, use.to));
        if (!parsed) continue;
        const last = parsed.endPort ?? parsed.port;
        if (last - parsed.port > WIDE) wide();
        else for (let port = parsed.port; port <= last; port++) this.add(port, index);
      }
    });
  }

  private add(port: number, index: number): void {
    const list = this.byPort.get(port);
    if (!list) this.byPort.set(port, [index]);
    else if (list[list.length - 1] !== index) list.push(index);
  }

  /** The block that decides the inbound packets that the pass rule at `index` lets in to `port`, if one does. */
  shadowing(index: number, port: { port: number; endPort: number | null }): RelatedSpan | undefined {
    const pass = this.rules[index].reading;
    // In rule order: an earlier `block quick` decides before any later block is reached.
    for (const other of firstInOrder(this.everyPort, this.byPort.get(port.port) ?? [], MAX_CANDIDATES)) {
      const block = this.rules[other].reading;
      const later = other > index;
      if (later ? pass.quick : !block.quick) continue;
      if (!takesAll(block, pass, port, this.parsePort)) continue;
      const message = later
        ? 'blocks these packets, and pf obeys the last rule that matches'
        : 'blocks these packets first (quick)';
      return { span: this.rules[other].statement.span, message };
    }
    return undefined;
  }
}

/** The first `count` of two ascending lists of rule indexes, merged in ascending order. */
function firstInOrder(a: readonly number[], b: readonly number[], count: number): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < count && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) merged.push(a[i++]);
    else merged.push(b[j++]);
  }
  return merged;
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
