import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Exposure } from './mention';

const ANY_WORDS = new Set(['*', 'any', 'anywhere', 'all', 'anyaddr', 'anyaddr6', '0.0.0.0', '::', '[::]', '0/0']);
const LOOPBACK_WORDS = new Set(['localhost', 'ip6-localhost', 'lo', 'loopback']);

/**
 * Who can reach something bound to or allowed from `address`, per the severity policy (GUIDE section 2):
 * wildcards and /0 are `any`, networks wholly inside RFC 1918, ULA, CGNAT and link-local are `private`, inside
 * 127/8 or ::1 `loopback`, other literal addresses and networks `public`, and names or variables that cannot be
 * resolved `unknown`.
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
  const network = parseNetwork(text);
  return network ? classifyNetwork(network) : 'unknown';
}

/** An address with the length of its prefix: `10.0.0.0/8`, or a single address with the family's full length. */
export interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

const FULL_LENGTH = { ipv4: 32, ipv6: 128 } as const;

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
  const prefix = /^\d{1,3}$/.test(lengthText) ? Number(lengthText) : family === 'ipv4' ? maskLength(lengthText) : undefined;
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

/** True when every address of `inner` lies in `outer`. */
export function networkContains(outer: Network, inner: Network): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  return blockListOf(outer).check(inner.address, inner.family);
}

/** The class blocks are asked again and again; a network's list is built once. */
const blockLists = new WeakMap<Network, BlockList>();

function blockListOf(network: Network): BlockList {
  let list = blockLists.get(network);
  if (!list) {
    list = new BlockList();
    list.addSubnet(network.address, network.prefix, network.family);
    blockLists.set(network, list);
  }
  return list;
}

function block(text: string, exposure: Exposure): { network: Network; exposure: Exposure } {
  return { network: parseNetwork(text)!, exposure };
}

/**
 * The address classes of the severity policy. A network takes a block's class only when all of it lies inside
 * the block: `10.0.0.0/1` reaches far more than 10/8. Documentation ranges are public on purpose (examples are
 * written with them, and a rule that names them is treated as naming real hosts).
 */
const CLASS_BLOCKS = [
  block('127.0.0.0/8', 'loopback'),
  block('::1/128', 'loopback'),
  block('10.0.0.0/8', 'private'), // RFC 1918
  block('172.16.0.0/12', 'private'),
  block('192.168.0.0/16', 'private'),
  block('100.64.0.0/10', 'private'), // RFC 6598 shared address space (carrier-grade NAT)
  block('169.254.0.0/16', 'private'), // RFC 3927 link-local
  block('fc00::/7', 'private'), // RFC 4193 unique local
  block('fe80::/10', 'private'), // RFC 4291 link-local
];

/**
 * Networks that stand for the whole internet: half of either family (OpenVPN's `0.0.0.0/1` and `128.0.0.0/1`
 * pair, `::/1`), or all of IPv6 global unicast (`2000::/3`, RFC 4291 section 2.4).
 */
const INTERNET = [parseNetwork('2000::/3')!];
const IPV4_MAPPED = parseNetwork('::ffff:0.0.0.0/96')!;

function classifyNetwork(network: Network): Exposure {
  if (network.prefix <= 1) return 'any';
  if (network.prefix === FULL_LENGTH[network.family] && (network.address === '0.0.0.0' || parseIpv6(network.address)?.every((group) => group === 0))) {
    return 'any'; // the wildcard address a listener binds to
  }
  if (INTERNET.some((internet) => networkContains(network, internet))) return 'any';
  if (networkContains(IPV4_MAPPED, network)) {
    const groups = parseIpv6(network.address)!;
    const v4 = [groups[6] >>> 8, groups[6] & 0xff, groups[7] >>> 8, groups[7] & 0xff].join('.');
    return classifyNetwork({ address: v4, prefix: network.prefix - 96, family: 'ipv4' });
  }
  return CLASS_BLOCKS.find((candidate) => networkContains(candidate.network, network))?.exposure ?? 'public';
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
