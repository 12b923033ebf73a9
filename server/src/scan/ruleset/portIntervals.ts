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

/** `[low, high]` cut where `taken` starts and ends, each piece marked inside or outside `taken`. */
export function splitCell(
  low: number,
  high: number,
  taken: PortIntervals,
): { low: number; high: number; inside: boolean }[] {
  const pieces: { low: number; high: number; inside: boolean }[] = [];
  let at = low;
  for (const [start, end] of taken) {
    if (end < at || start > high) continue;
    if (start > at) pieces.push({ low: at, high: start - 1, inside: false });
    const from = Math.max(start, at);
    const to = Math.min(end, high);
    pieces.push({ low: from, high: to, inside: true });
    at = to + 1;
  }
  if (at <= high) pieces.push({ low: at, high, inside: false });
  return pieces;
}
