import type { Exposure } from './mention';

const ANY_WORDS = new Set(['*', 'any', 'anywhere', 'all', 'anyaddr', 'anyaddr6', '0.0.0.0', '::', '[::]', '0/0']);
const LOOPBACK_WORDS = new Set(['localhost', 'ip6-localhost', 'lo', 'loopback']);

/**
 * Who can reach something bound to or allowed from `address`, per the severity policy (GUIDE section 2):
 * wildcards and /0 are `any`, RFC 1918, ULA, CGNAT and link-local are `private`, 127/8 and ::1 are `loopback`,
 * other literal addresses are `public`, and names or variables that cannot be resolved are `unknown`.
 */
export function classifyAddress(address: string): Exposure {
  let exposure = classified.get(address);
  if (exposure === undefined) {
    // Rule files repeat a handful of sources thousands of times; the cache is bounded for hostile input.
    if (classified.size >= CLASSIFIED_LIMIT) classified.clear();
    exposure = classifyUncached(address);
    classified.set(address, exposure);
  }
  return exposure;
}

const CLASSIFIED_LIMIT = 4096;
const classified = new Map<string, Exposure>();

function classifyUncached(address: string): Exposure {
  let text = address.trim().toLowerCase();
  if (text.startsWith('[') && text.includes(']')) text = text.slice(1, text.indexOf(']')) + text.slice(text.indexOf(']') + 1);
  if (ANY_WORDS.has(text)) return 'any';
  if (LOOPBACK_WORDS.has(text)) return 'loopback';

  const [host, prefixText] = text.split('/', 2);
  const prefix = prefixText === undefined ? undefined : Number(prefixText);
  if (prefix === 0) return 'any';

  const ipv4 = parseIpv4(host);
  if (ipv4 !== undefined) {
    if (ipv4 === 0 && (prefix === undefined || prefix === 32)) return 'any';
    return classifyIpv4(ipv4);
  }
  const ipv6 = parseIpv6(host);
  if (ipv6 !== undefined) return classifyIpv6(ipv6);
  return 'unknown';
}

function classifyIpv4(value: number): Exposure {
  const inBlock = (base: string, bits: number) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return ((value & mask) >>> 0) === ((parseIpv4(base)! & mask) >>> 0);
  };
  if (inBlock('127.0.0.0', 8)) return 'loopback';
  if (
    inBlock('10.0.0.0', 8) ||
    inBlock('172.16.0.0', 12) ||
    inBlock('192.168.0.0', 16) ||
    inBlock('100.64.0.0', 10) ||
    inBlock('169.254.0.0', 16)
  ) {
    return 'private';
  }
  return 'public';
}

function classifyIpv6(groups: number[]): Exposure {
  if (groups.every((group) => group === 0)) return 'any';
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return 'loopback';
  const first = groups[0];
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) return 'private';
  const mappedV4 = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mappedV4) return classifyIpv4(((groups[6] << 16) | groups[7]) >>> 0);
  return 'public';
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

/** True for the literal forms an address takes (IPv4, IPv6, CIDR, wildcards), as opposed to host names. */
export function looksLikeAddress(text: string): boolean {
  const host = text.replace(/^\[|\](?=\/|$)/g, '').split('/')[0];
  return ANY_WORDS.has(host.toLowerCase()) || parseIpv4(host) !== undefined || parseIpv6(host) !== undefined;
}

const EXPOSURE_ORDER: readonly Exposure[] = ['any', 'public', 'unknown', 'private', 'loopback'];

/** The exposure of something reachable through every one of several addresses: the widest of them. */
export function widest(exposures: readonly Exposure[]): Exposure {
  return EXPOSURE_ORDER.find((level) => exposures.includes(level)) ?? 'unknown';
}
