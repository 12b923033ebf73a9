import type { Protocol } from '../../catalog/types';
import { classifyAddress } from '../exposure';
import type { Exposure, Role, Span } from '../mention';
import type { Direction } from '../iptables/rule';
import { WHITESPACE } from '../lexing';
import { type Token, words } from '../token';

export const TUPLE_MARK = '### tuple ###';
export const ROUTED_NOTE = 'routed (forwarded) traffic';

/**
 * The comment ufw writes before the iptables lines of each rule in user.rules and user6.rules, and reads back to
 * know its rules: `### tuple ### ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] DIRECTION[_IFACE] [comment=HEX]`,
 * where ACTION may carry `route:` and `_log`/`_log-all`, and a routed DIRECTION reads `in_eth0!out_eth1`.
 */
export interface UfwTuple {
  line: Span;
  action: 'allow' | 'deny' | 'reject' | 'limit';
  routed: boolean;
  protocol: Protocol;
  destinationPort: Token;
  sourcePort: Token;
  /** The SRC field: `0.0.0.0/0` and `::/0` mean any source. */
  source: Token;
  /** The application profile the destination ports come from (`OpenSSH`). */
  application?: string;
  direction: Direction;
  interfaceIn?: string;
  interfaceOut?: string;
}

const ACTION = /^(route:)?(allow|deny|reject|limit)(?:_log(?:-all)?)?$/i;
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'dccp']);

/** Reads the tuple comment on `text[start, end)`; undefined when the line is no (complete) tuple. */
export function parseUfwTuple(text: string, start: number, end: number): UfwTuple | undefined {
  const at = text.indexOf(TUPLE_MARK, start);
  if (at < 0 || at >= end) return undefined;
  const fieldsStart = at + TUPLE_MARK.length;
  const fields = words(text, fieldsStart, end, WHITESPACE);
  if (fields.at(-1)?.text.startsWith('comment=')) fields.pop();
  if (fields.length !== 7 && fields.length !== 9) return undefined;
  const action = ACTION.exec(fields[0].text);
  const directions = readDirections(fields[fields.length - 1].text);
  if (!action || !directions) return undefined;
  const protocol = fields[1].text.toLowerCase();
  const application = fields.length === 9 && fields[6].text !== '-' ? fields[6].text.replace(/%20/g, ' ') : undefined;
  return {
    line: { start, end },
    action: action[2].toLowerCase() as UfwTuple['action'],
    routed: action[1] !== undefined,
    protocol: PROTOCOLS.has(protocol) ? (protocol as Protocol) : 'any',
    destinationPort: fields[2],
    sourcePort: fields[4],
    source: fields[5],
    application,
    ...directions,
  };
}

/** `in`, `out_eth0`, `in_eth0!out_eth1`: the direction comes from the first part. */
function readDirections(text: string): Pick<UfwTuple, 'direction' | 'interfaceIn' | 'interfaceOut'> | undefined {
  let direction: Direction | undefined;
  const interfaces: { in?: string; out?: string } = {};
  for (const part of text.split('!')) {
    const match = /^(in|out)(?:_(.+))?$/.exec(part);
    if (!match) return undefined;
    const side = match[1] as 'in' | 'out';
    direction ??= side === 'in' ? 'inbound' : 'outbound';
    interfaces[side] = match[2];
  }
  return direction && { direction, interfaceIn: interfaces.in, interfaceOut: interfaces.out };
}

/** Whether the tuple's SRC field lets every address in. */
export function fromAnySource(tuple: UfwTuple): boolean {
  return /^(0\.0\.0\.0|::)\/0$/.test(tuple.source.text);
}

/** What a tuple decides for its ports: who may reach them and what the hover should say about the rule. */
export function tupleMeaning(tuple: UfwTuple): { role: Role; exposure: Exposure; source?: string; note?: string } {
  const role: Role = tuple.action === 'allow' || tuple.action === 'limit' ? 'allow' : 'deny';
  const exposure: Exposure =
    role === 'allow' && tuple.direction === 'inbound' ? classifyAddress(tuple.source.text) : 'unknown';
  const notes = [
    tuple.routed ? ROUTED_NOTE : '',
    tuple.action === 'limit' ? 'rate-limited by ufw limit' : '',
    tuple.application ? `ufw application ${tuple.application}` : '',
  ].filter(Boolean);
  return {
    role,
    exposure,
    source: fromAnySource(tuple) ? undefined : tuple.source.text,
    note: notes.join('; ') || undefined,
  };
}
