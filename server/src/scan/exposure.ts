import { FULL_LENGTH, parseIpv4, parseIpv6, parseNetwork } from './address';
import { AddressSet } from './addressSet';
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
    // Rule files repeat a handful of sources thousands of times; the cache is bounded for hostile input, and lets
    // go of its oldest entry rather than of all at once, which made every lookup past the bound a miss.
    if (classified.size >= CLASSIFIED_LIMIT) classified.delete(classified.keys().next().value!);
    exposure = classifyUncached(address);
    classified.set(address, exposure);
  }
  return exposure;
}

const CLASSIFIED_LIMIT = 65536;
const classified = new Map<string, Exposure>();

function classifyUncached(address: string): Exposure {
  let text = address.trim().toLowerCase();
  if (text.startsWith('[') && text.includes(']'))
    text = text.slice(1, text.indexOf(']')) + text.slice(text.indexOf(']') + 1);
  if (ANY_WORDS.has(text)) return 'any';
  if (LOOPBACK_WORDS.has(text)) return 'loopback';
  const network = parseNetwork(text);
  if (!network) return 'unknown';
  // The unspecified address itself is the wildcard a listener binds to (`0.0.0.0/32` as written by some tools),
  // and so is its IPv4-mapped form `::ffff:0.0.0.0`.
  const groups = network.family === 'ipv6' ? parseIpv6(network.address)! : undefined;
  const unspecified = groups
    ? groups.every((group, index) => group === 0 || (index === 5 && group === 0xffff))
    : network.address === '0.0.0.0';
  if (unspecified && network.prefix === FULL_LENGTH[network.family]) return 'any';
  return AddressSet.ofNetwork(text)!.classify();
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

/**
 * Who reaches a server bound to these addresses, each a line that may list several (`bind 127.0.0.1 -::1`,
 * `--bind_ip 127.0.0.1,10.0.0.5`; Redis marks an address it may skip with `-`): the widest of them, or `unbound`,
 * the server's default, when none is given.
 */
export function bindingExposure(addresses: readonly string[], unbound: Exposure): Exposure {
  const listed = addresses.flatMap((line) => line.split(/[\s,]+/)).filter(Boolean);
  return listed.length === 0 ? unbound : widest(listed.map((address) => classifyAddress(address.replace(/^-/, ''))));
}

export { parseIpv4, parseIpv6 } from './address';
