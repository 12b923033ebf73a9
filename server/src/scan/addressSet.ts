import { type Network, parseIpv4, parseIpv6, parseNetwork } from './address';
import type { Exposure } from './mention';

/**
 * A set of source addresses, as sorted disjoint intervals of one 128-bit space in which IPv4 addresses sit at their
 * IPv4-mapped IPv6 place (`::ffff:10.0.0.1`, RFC 4291 section 2.5.5.2). Rule evaluation takes sources apart and
 * puts them together (an earlier drop of `! -s 10.0.0.0/8` leaves a later accept only 10.0.0.0/8), which CIDR text
 * cannot express.
 */
export class AddressSet {
  /** The complement, once asked for: the same set is subtracted from many others in one evaluation. */
  private complemented?: AddressSet;

  private constructor(private readonly intervals: readonly (readonly [bigint, bigint])[]) {}

  static readonly NOTHING = new AddressSet([]);
  /** Every address of both families. */
  static readonly EVERY = new AddressSet([[0n, (1n << 128n) - 1n]]);

  /** Every address of one family: what a rule without a source matches in iptables or in ip6tables. */
  static universe(family: 'ipv4' | 'ipv6'): AddressSet {
    // Sets never change once made, so every rule of every scan can share these two.
    return family === 'ipv4' ? IPV4 : IPV6;
  }

  /** One network (`10.0.0.0/8`, `::1`), or undefined when the text is not an address (a host name, a variable). */
  static ofNetwork(text: string): AddressSet | undefined {
    const network = parseNetwork(text.trim().toLowerCase());
    return network && new AddressSet([intervalOf(network)]);
  }

  /** A comma-separated list of networks (iptables `-s a,b`), or undefined if any item is not an address. */
  static ofList(text: string): AddressSet | undefined {
    let set = AddressSet.NOTHING;
    for (const item of text.split(',')) {
      const one = AddressSet.ofNetwork(item);
      if (!one) return undefined;
      set = set.union(one);
    }
    return set;
  }

  get isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** The addresses in either, merging the two sorted lists in one pass. */
  union(other: AddressSet): AddressSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    const a = this.intervals;
    const b = other.intervals;
    const merged: [bigint, bigint][] = [];
    for (let i = 0, j = 0; i < a.length || j < b.length; ) {
      appendMerging(merged, j >= b.length || (i < a.length && a[i][0] <= b[j][0]) ? a[i++] : b[j++]);
    }
    return new AddressSet(merged);
  }

  /** All the sets at once: one sort, where a union at a time would copy the growing set each time. */
  static unionAll(sets: readonly AddressSet[]): AddressSet {
    const all: (readonly [bigint, bigint])[] = [];
    for (const set of sets) for (const interval of set.intervals) all.push(interval);
    all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const merged: [bigint, bigint][] = [];
    for (const interval of all) appendMerging(merged, interval);
    return new AddressSet(merged);
  }

  complement(): AddressSet {
    this.complemented ??= this.complementOnce();
    return this.complemented;
  }

  private complementOnce(): AddressSet {
    const result: [bigint, bigint][] = [];
    let next = 0n;
    for (const [low, high] of this.intervals) {
      if (low > next) result.push([next, low - 1n]);
      next = high + 1n;
    }
    if (next <= MAX) result.push([next, MAX]);
    return new AddressSet(result);
  }

  /** The addresses in both, walking the two sorted lists side by side. */
  intersect(other: AddressSet): AddressSet {
    const a = this.intervals;
    const b = other.intervals;
    // Most rules meet a whole family's universe, or a set they already lie in: nothing to compute then.
    if (a.length === 0 || b.length === 0) return AddressSet.NOTHING;
    if (a.length === 1 && a[0][0] <= b[0][0] && a[0][1] >= b[b.length - 1][1]) return other;
    if (b.length === 1 && b[0][0] <= a[0][0] && b[0][1] >= a[a.length - 1][1]) return this;
    const result: [bigint, bigint][] = [];
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      const low = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
      const high = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
      if (low <= high) result.push([low, high]);
      if (a[i][1] < b[j][1]) i++;
      else j++;
    }
    return result.length === 0 ? AddressSet.NOTHING : new AddressSet(result);
  }

  subtract(other: AddressSet): AddressSet {
    if (other.isEmpty || this.isEmpty) return this;
    return this.intersect(other.complement());
  }

  /** True when every address of `other` is in this set. */
  covers(other: AddressSet): boolean {
    return other.subtract(this).isEmpty;
  }

  equals(other: AddressSet): boolean {
    return (
      this.intervals.length === other.intervals.length &&
      this.intervals.every(
        ([low, high], index) => other.intervals[index][0] === low && other.intervals[index][1] === high,
      )
    );
  }

  /**
   * Who the set lets in, in the severity policy's words: any when it holds at least half of IPv4, of IPv6, or of
   * IPv6 global unicast (2000::/3, RFC 4291 section 2.4), so that `0.0.0.0/1` and "everything but 10.0.0.0/8" are
   * any source; loopback or private when all of it lies in such blocks; else public.
   */
  classify(): Exposure {
    if (this.isEmpty) return 'unknown';
    if (HALVES.some((whole) => this.overlapSize(whole.set) * 2n >= whole.size)) return 'any';
    const classes = this.intervals.map(
      ([low, high]) => CLASS_BLOCKS.find(([start, end]) => low >= start && high <= end)?.[2] ?? 'public',
    );
    for (const level of ['public', 'private', 'loopback'] as const) if (classes.includes(level)) return level;
    return 'unknown';
  }

  /** How many addresses this set and `other` share, counted by walking both interval lists once. */
  private overlapSize(other: AddressSet): bigint {
    let total = 0n;
    let mine = 0;
    let theirs = 0;
    while (mine < this.intervals.length && theirs < other.intervals.length) {
      const [lowA, highA] = this.intervals[mine];
      const [lowB, highB] = other.intervals[theirs];
      const low = lowA > lowB ? lowA : lowB;
      const high = highA < highB ? highA : highB;
      if (low <= high) total += high - low + 1n;
      if (highA < highB) mine++;
      else theirs++;
    }
    return total;
  }

  /** How many addresses the set holds. */
  get size(): bigint {
    return this.intervals.reduce((sum, [low, high]) => sum + high - low + 1n, 0n);
  }

  /** The set as at most `limit` CIDRs (`10.0.0.0/8, 192.168.0.0/16`); undefined when it takes more. */
  describe(limit = 3): string | undefined {
    const cidrs: string[] = [];
    for (const [low, high] of this.intervals) {
      for (const cidr of cidrsOf(low, high)) {
        cidrs.push(cidr);
        if (cidrs.length > limit) return undefined;
      }
    }
    return cidrs.join(', ');
  }
}

const MAX = (1n << 128n) - 1n;
const MAPPED_BASE = 0xffffn << 32n;

function intervalOf(network: Network): [bigint, bigint] {
  const bits = network.family === 'ipv4' ? 32 : 128;
  let value: bigint;
  if (network.family === 'ipv4') value = MAPPED_BASE + BigInt(parseIpv4(network.address)!);
  else value = parseIpv6(network.address)!.reduce((sum, group) => (sum << 16n) | BigInt(group), 0n);
  const hostBits = BigInt(bits - network.prefix);
  const low = (value >> hostBits) << hostBits;
  return [low, low + (1n << hostBits) - 1n];
}

const block = (text: string) => intervalOf(parseNetwork(text)!);

const CLASS_BLOCKS: [bigint, bigint, Exposure][] = [
  ...['127.0.0.0/8', '::1/128'].map((text) => [...block(text), 'loopback'] as [bigint, bigint, Exposure]),
  ...['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'].map(
    (text) => [...block(text), 'private'] as [bigint, bigint, Exposure],
  ),
];

/** The fewest CIDRs that make up `[low, high]`, written as IPv4 where they lie in the IPv4-mapped range. */
function cidrsOf(low: bigint, high: bigint): string[] {
  const result: string[] = [];
  let start = low;
  while (start <= high) {
    let size = 0n;
    while (size < 128n && (start & ((1n << (size + 1n)) - 1n)) === 0n && start + (1n << (size + 1n)) - 1n <= high)
      size++;
    result.push(cidrText(start, 128 - Number(size)));
    start += 1n << size;
  }
  return result;
}

function cidrText(start: bigint, prefix: number): string {
  if (prefix >= 96 && start >> 32n === 0xffffn) {
    const v4 = Number(start & 0xffffffffn);
    const address = [24, 16, 8, 0].map((shift) => (v4 >>> shift) & 255).join('.');
    return prefix === 128 ? address : `${address}/${prefix - 96}`;
  }
  const groups = Array.from({ length: 8 }, (_, index) => ((start >> BigInt(112 - 16 * index)) & 0xffffn).toString(16));
  const address = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  return prefix === 128 ? address : `${address}/${prefix}`;
}

/** Adds an interval that starts at or after the last one's start, joined to it where they touch or overlap. */
function appendMerging(merged: [bigint, bigint][], [low, high]: readonly [bigint, bigint]): void {
  const last = merged[merged.length - 1];
  if (last && low <= last[1] + 1n) last[1] = high > last[1] ? high : last[1];
  else merged.push([low, high]);
}

const IPV4 = AddressSet.ofNetwork('0.0.0.0/0')!;
const IPV6 = IPV4.complement();

/** The address spaces of which holding half is holding "any source": IPv4, IPv6, IPv6 global unicast. */
const HALVES = [AddressSet.universe('ipv4'), AddressSet.universe('ipv6'), AddressSet.ofNetwork('2000::/3')!].map(
  (set) => ({ set, size: set.size }),
);
