import { lastAtOrBefore } from './lines';
import type { PortMention, RelatedSpan, RiskSignal, ScanOutput, Span } from './mention';

/**
 * Some stretches of a text laid end to end, and the way back to the original offsets. Scanning only the
 * stretches that matter is how the shell scanner skips housekeeping statements and how an edit re-scans only
 * the edited lines (service/editRescan.ts).
 */
export class CompactText {
  readonly text: string;
  private readonly compactStarts: number[] = [];
  private readonly originalStarts: number[] = [];

  constructor(original: string, stretches: readonly Span[]) {
    const pieces: string[] = [];
    let length = 0;
    for (const stretch of stretches) {
      this.compactStarts.push(length);
      this.originalStarts.push(stretch.start);
      pieces.push(original.slice(stretch.start, stretch.end));
      length += stretch.end - stretch.start;
    }
    this.text = pieces.join('');
  }

  /** Where a span of the compact text is in the original; a span never crosses two stretches. */
  original(span: Span): Span {
    const startPiece = lastAtOrBefore(this.compactStarts, span.start);
    const endPiece = span.end > span.start ? lastAtOrBefore(this.compactStarts, span.end - 1) : startPiece;
    return {
      start: this.originalStarts[startPiece] + span.start - this.compactStarts[startPiece],
      end: this.originalStarts[endPiece] + span.end - this.compactStarts[endPiece],
    };
  }

  /** Which stretch (by its index in the constructor's list) holds an offset of the compact text. */
  stretchOf(offset: number): number {
    return lastAtOrBefore(this.compactStarts, offset);
  }
}

/** The same related spans, each moved by `place`; the same array when `place` moves none of them. */
export function relocateRelated(items: RelatedSpan[], place: (span: Span) => Span): RelatedSpan[] {
  let moved: RelatedSpan[] | undefined;
  items.forEach((item, index) => {
    const span = place(item.span);
    if (span === item.span && !moved) return;
    moved ??= items.slice(0, index);
    moved.push(span === item.span ? item : { ...item, span });
  });
  return moved ?? items;
}

/** The same mention with its span, its variable's definition and its related spans moved by `place`. */
export function relocateMention(mention: PortMention, place: (span: Span) => Span): PortMention {
  // Written out field by field: an edit moves every mention below it, and with a spread copy the re-scan of a
  // large rule file took twice as long (docs/performance.md).
  const moved: PortMention = {
    span: place(mention.span),
    port: mention.port,
    endPort: mention.endPort,
    protocol: mention.protocol,
    role: mention.role,
    exposure: mention.exposure,
    language: mention.language,
    context: mention.context,
  };
  if (mention.writtenName !== undefined) moved.writtenName = mention.writtenName;
  if (mention.reference !== undefined) moved.reference = mention.reference;
  if (mention.service !== undefined) moved.service = mention.service;
  if (mention.variable) moved.variable = { ...mention.variable, definition: place(mention.variable.definition) };
  if (mention.related) moved.related = relocateRelated(mention.related, place);
  if (mention.shadowedBy) moved.shadowedBy = { ...mention.shadowedBy, span: place(mention.shadowedBy.span) };
  if (mention.uses) {
    moved.uses = mention.uses.map((use) => ({
      ...use,
      span: place(use.span),
      ...(use.shadowedBy ? { shadowedBy: { ...use.shadowedBy, span: place(use.shadowedBy.span) } } : {}),
    }));
  }
  return moved;
}

/** The same signal with its span and related spans moved by `place`. */
export function relocateSignal(signal: RiskSignal, place: (span: Span) => Span): RiskSignal {
  const moved: RiskSignal = { ...signal, span: place(signal.span) };
  if (signal.related) moved.related = relocateRelated(signal.related, place);
  return moved;
}

/** The same scan output with every span moved by `place`. */
export function relocateOutput(output: ScanOutput, place: (span: Span) => Span): ScanOutput {
  return {
    mentions: output.mentions.map((mention) => relocateMention(mention, place)),
    signals: output.signals.map((signal) => relocateSignal(signal, place)),
    ...(output.contextLines ? { contextLines: output.contextLines.map(place) } : {}),
    ...(output.shortfalls
      ? { shortfalls: output.shortfalls.map((shortfall) => ({ ...shortfall, span: place(shortfall.span) })) }
      : {}),
    ...(output.unresolved
      ? { unresolved: output.unresolved.map((unresolved) => ({ ...unresolved, span: place(unresolved.span) })) }
      : {}),
  };
}
