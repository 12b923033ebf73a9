import type { PortMention } from '../mention';

/**
 * A comparison (`tcp dport < 1024`, pf's `port >= 1024`) stands for the ports on one side of the number written:
 * the mention on that number becomes the range it allows.
 */
export function applyComparison(mention: PortMention, operator: string | undefined): void {
  const port = mention.port;
  const ranges: Record<string, [number, number]> = {
    '<': [1, port - 1],
    '<=': [1, port],
    '>': [port + 1, 65535],
    '>=': [port, 65535],
  };
  const bounds = operator ? ranges[operator] : undefined;
  if (!bounds || mention.endPort !== null || bounds[0] > bounds[1]) return;
  mention.port = bounds[0];
  mention.endPort = bounds[1] === bounds[0] ? null : bounds[1];
}
