import { isIPv4, isIPv6 } from 'node:net';

/** An address with the length of its prefix: `10.0.0.0/8`, or a single address with the family's full length. */
export interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export const FULL_LENGTH = { ipv4: 32, ipv6: 128 } as const;

/**
 * Reads `address`, `address/length` and iptables' `address/dotted-mask`; undefined for anything else (a host
 * name, a variable, a malformed address or prefix).
 */
export function parseNetwork(text: string): Network | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return undefined;
  if (slash < 0) return { address, prefix: FULL_LENGTH[family], family };
  const lengthText = text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(lengthText)
    ? Number(lengthText)
    : family === 'ipv4'
      ? maskLength(lengthText)
      : undefined;
  if (prefix === undefined || prefix > FULL_LENGTH[family]) return undefined;
  return { address, prefix, family };
}

/** The prefix length of a contiguous dotted netmask (`255.255.0.0` is 16); undefined for any other text. */
function maskLength(mask: string): number | undefined {
  const value = parseIpv4(mask);
  if (value === undefined) return undefined;
  const length = 32 - Math.log2(2 ** 32 - value);
  return Number.isInteger(length) ? length : undefined;
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number; undefined if `text` is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** An IPv6 address as eight 16-bit groups; undefined if `text` is not one. */
export function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = toGroups(halves[0]);
  const tail = halves.length === 2 ? toGroups(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
