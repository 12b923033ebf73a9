import type { Shortfall, Span } from './mention';

/**
 * The shortfalls of one reading, keeping the first place of each reason only: enough to fail the gate and to show
 * where to look, without one finding for every rule that meets the same cut.
 */
export class ShortfallLog {
  readonly list: Shortfall[] = [];
  private readonly reasons = new Set<string>();

  note(reason: string, span: Span): void {
    if (this.reasons.has(reason)) return;
    this.reasons.add(reason);
    this.list.push({ reason, span });
  }
}
