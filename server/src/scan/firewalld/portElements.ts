import type { Protocol } from '../../catalog/types';
import type { MentionCollector, MentionFacts } from '../collector';
import type { MentionContext } from '../mention';
import { PlainToken, type Token } from '../token';

/** Where a port value is written: `token.text.slice(from, to)`, a slice of an XML attribute or of a shell word. */
export interface PortSlice {
  token: Token;
  from: number;
  to: number;
}

/**
 * The port-bearing elements firewalld shares between zones, policies, services, rich rules and firewall-cmd:
 * `port`, `source-port` and `forward-port`, whether written as XML, as rich-rule text or as an option value.
 */
export type PortElement =
  | { kind: 'port' | 'source-port'; port?: PortSlice; protocol: Protocol }
  | { kind: 'forward-port'; port?: PortSlice; toPort?: PortSlice; toAddress?: string; protocol: Protocol };

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'dccp']);
// firewalld writes ranges `5000-5100`; template placeholders (`!!dns.altport!!`) are simply not ports.
const PORT_SPEC = { rangeSeparators: '-' };

export function protocolOf(text: string | undefined, fallback: Protocol = 'any'): Protocol {
  const protocol = text?.toLowerCase();
  return protocol && PROTOCOLS.has(protocol) ? (protocol as Protocol) : fallback;
}

export function sliceText(slice: PortSlice): string {
  return slice.token.text.slice(slice.from, slice.to);
}

/** A slice covering a whole value written verbatim at `start` (an XML attribute). */
export function verbatimSlice(text: string, start: number): PortSlice {
  return { token: new PlainToken(text, start), from: 0, to: text.length };
}

/** Adds a note to a context that may already carry one. */
export function withNote(context: MentionContext, note: string): MentionContext {
  return { ...context, note: context.note ? `${context.note}; ${note}` : note };
}

/**
 * Adds the ports of one element. `facts` says what the element does with a destination port (allow, define, deny);
 * a source port only matches packets, and a forward port is forwarded, with its target port as a second mention.
 */
export function addPortElement(out: MentionCollector, element: PortElement, facts: MentionFacts): void {
  const add = (slice: PortSlice | undefined, elementFacts: MentionFacts) => {
    if (slice)
      out.addPort(slice.token, slice.from, slice.to, { ...elementFacts, protocol: element.protocol }, PORT_SPEC);
  };
  if (element.kind === 'forward-port') {
    addForwardPort(add, element, facts);
    return;
  }
  const sourcePort = element.kind === 'source-port';
  add(
    element.port,
    sourcePort
      ? {
          ...facts,
          role: 'other',
          exposure: 'unknown',
          context: withNote(facts.context, 'source port of the matched packets'),
        }
      : facts,
  );
}

/** The port is forwarded to `to-addr:to-port` (either may be left out: this host, the same port). */
function addForwardPort(
  add: (slice: PortSlice | undefined, facts: MentionFacts) => void,
  element: Extract<PortElement, { kind: 'forward-port' }>,
  facts: MentionFacts,
): void {
  const role = facts.role === 'allow' ? 'forward' : facts.role;
  const target = element.toPort ?? element.port;
  const mappedTo = `${element.toAddress ?? 'this host'}:${target ? sliceText(target) : '?'}`;
  add(element.port, { ...facts, role, context: { ...facts.context, mappedTo } });
  const peerContext = { ...facts.context, peer: element.toAddress };
  add(element.toPort, { ...facts, role, context: withNote(peerContext, 'where the forwarded traffic is sent') });
}
