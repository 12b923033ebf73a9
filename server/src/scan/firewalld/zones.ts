import { classifyAddress, widest } from '../exposure';
import type { Exposure } from '../mention';

/** Zones firewalld ships for interfaces that face the internet (GUIDE section 2). */
const INTERNET_FACING_ZONES = new Set(['public', 'external', 'dmz']);

/** firewalld's default zone, which takes every interface no other zone claims. */
export const DEFAULT_ZONE = 'public';

/** True for `public`, `external`, `dmz`, and for a zone whose name says it is one of them (`Public zone`). */
export function isInternetFacing(zone: string): boolean {
  return zone
    .toLowerCase()
    .split(/[^a-z]+/)
    .some((word) => INTERNET_FACING_ZONES.has(word));
}

/** Who a zone, policy or rich rule admits: a `source address=`, `mac=` or `ipset=`, possibly inverted. */
export interface AddressMatch {
  kind: 'address' | 'mac' | 'ipset';
  value: string;
  invert: boolean;
}

/** The source as the hover shows it: `10.0.0.0/8`, `not 10.0.0.0/8`, `ipset trusted`. */
export function describeMatch(match: AddressMatch): string {
  const value = match.kind === 'address' ? match.value : `${match.kind} ${match.value}`;
  return match.invert ? `not ${value}` : value;
}

/** Everything but one network is any source; a MAC address is a neighbour on the local link; an ipset is unknown. */
export function matchExposure(match: AddressMatch): Exposure {
  if (match.invert) return 'any';
  if (match.kind === 'mac') return 'private';
  if (match.kind === 'ipset') return 'unknown';
  return classifyAddress(match.value);
}

/** Who reaches a port opened in `zone`: its sources if any are bound, else any for internet-facing zones. */
export function zoneExposure(zone: string, sources: readonly string[]): Exposure {
  if (sources.length > 0) return widest(sources.map(classifyAddress));
  return isInternetFacing(zone) ? 'any' : 'unknown';
}
