/** Sets of destination ports as sorted, disjoint, inclusive intervals. */
export type PortIntervals = [number, number][];

export const PORTS_ALL: PortIntervals = [[0, 65535]];

/** Port sets larger than this are kept in one list rather than port by port. */
export const WIDE = 64;

export function portCount(ports: PortIntervals): number {
  return ports.reduce((sum, [low, high]) => sum + high - low + 1, 0);
}

export function normalize(ranges: PortIntervals): PortIntervals {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: PortIntervals = [];
  for (const [low, high] of sorted) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

export function complementPorts(set: PortIntervals): PortIntervals {
  const result: PortIntervals = [];
  let next = 0;
  for (const [low, high] of set) {
    if (low > next) result.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= 65535) result.push([next, 65535]);
  return result;
}

export function intersectPorts(first: PortIntervals, second: PortIntervals): PortIntervals {
  const result: PortIntervals = [];
  for (const [a, b] of first)
    for (const [c, d] of second) if (Math.max(a, c) <= Math.min(b, d)) result.push([Math.max(a, c), Math.min(b, d)]);
  return normalize(result);
}

/** The index of the first interval of sorted, disjoint `ports` that ends at or after `port`. */
function firstEndingFrom(ports: PortIntervals, port: number): number {
  let low = 0;
  let high = ports.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ports[middle][1] < port) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The ports of sorted, disjoint `ports` within `[low, high]`; a binary search finds where they start. */
export function clipPorts(ports: PortIntervals, [low, high]: [number, number]): PortIntervals {
  const clipped: PortIntervals = [];
  for (let index = firstEndingFrom(ports, low); index < ports.length && ports[index][0] <= high; index++)
    clipped.push([Math.max(ports[index][0], low), Math.min(ports[index][1], high)]);
  return clipped;
}

/**
 * `[low, high]` cut where sorted, disjoint `taken` starts and ends, each piece marked inside or outside `taken`;
 * a binary search skips the intervals before it, so a cell costs what it overlaps.
 */
export function splitCell(
  low: number,
  high: number,
  taken: PortIntervals,
): { low: number; high: number; inside: boolean }[] {
  const pieces: { low: number; high: number; inside: boolean }[] = [];
  let at = low;
  for (let index = firstEndingFrom(taken, low); index < taken.length && taken[index][0] <= high; index++) {
    const [start, end] = taken[index];
    if (start > at) pieces.push({ low: at, high: start - 1, inside: false });
    const from = Math.max(start, at);
    const to = Math.min(end, high);
    pieces.push({ low: from, high: to, inside: true });
    at = to + 1;
  }
  if (at <= high) pieces.push({ low: at, high, inside: false });
  return pieces;
}
