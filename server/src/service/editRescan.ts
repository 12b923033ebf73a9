import type { Finding } from '../rules/finding';
import { CompactText, relocateMention, relocateOutput, relocateRelated, relocateSignal } from '../scan/compactText';
import { lineAround } from '../scan/lines';
import {
  type PortMention,
  type RelatedSpan,
  type RiskSignal,
  type ScanOutput,
  type Shortfall,
  type Span,
  byPosition,
  countStartingBefore,
} from '../scan/mention';
import type { FileScan } from './portLensService';

/** A scan, with what an edit of the same document needs to reuse it. */
export interface ScanRecord {
  text: string;
  scan: FileScan;
  /** Present when the format lists its context lines (`ScanOutput.contextLines`) and the scan finished. */
  reusable?: {
    contextLines: Span[];
    /** The findings about single mentions and signals, before suppressions: the part an edit can splice. */
    mentionFindings: Finding[];
  };
}

/** What a re-scan needs from the service: the format's scanner and the two halves of the rules. */
export interface EditScanner {
  read(text: string): ScanOutput;
  mentionFindings(text: string, mentions: readonly PortMention[], signals: readonly RiskSignal[]): Finding[];
  /** The format's `rulesInteract`, for formats whose rules are evaluated in order. */
  interacts?: (a: PortMention, b: PortMention) => boolean;
  fileFindings(
    text: string,
    mentions: readonly PortMention[],
    signals: readonly RiskSignal[],
    ofMentions: readonly Finding[],
    shortfalls: readonly Shortfall[],
  ): Finding[];
}

/** Past this share of the file, scanning it whole is as cheap as splicing. */
const MAX_WINDOW_SHARE = 0.25;
const SUPPRESSION_MARKER = 'portlens-ignore-';
const COMPARE_BLOCK = 4096;
const LINE_FEED = 10;

/** The lines an edit replaced: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
export interface EditedLines {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * The whole lines that differ between two versions of a text, from their common start and common end. The common
 * end may reach back to the first differing line, so that a line inserted or deleted whole is the only line in
 * the window even when its neighbours start alike.
 */
export function editedLines(oldText: string, newText: string): EditedLines {
  const shorter = Math.min(oldText.length, newText.length);
  // Whole blocks first: comparing substrings runs in the engine, far faster than a loop over characters.
  let prefix = 0;
  while (
    prefix + COMPARE_BLOCK <= shorter &&
    oldText.slice(prefix, prefix + COMPARE_BLOCK) === newText.slice(prefix, prefix + COMPARE_BLOCK)
  )
    prefix += COMPARE_BLOCK;
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  // lastIndexOf reads a negative position as 0, which would find a line break at the very start.
  const start = prefix === 0 ? 0 : oldText.lastIndexOf('\n', prefix - 1) + 1;
  const room = shorter - start;
  const tail = (text: string, suffix: number, length: number) =>
    text.slice(text.length - suffix - length, text.length - suffix);
  let suffix = 0;
  while (
    suffix + COMPARE_BLOCK <= room &&
    tail(oldText, suffix, COMPARE_BLOCK) === tail(newText, suffix, COMPARE_BLOCK)
  )
    suffix += COMPARE_BLOCK;
  while (
    suffix < room &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
  )
    suffix++;
  const oldDiffEnd = oldText.length - suffix;
  const newDiffEnd = newText.length - suffix;
  const atLineStart = (text: string, offset: number) => offset === 0 || text.charCodeAt(offset - 1) === LINE_FEED;
  let oldEnd = oldDiffEnd;
  if (!atLineStart(oldText, oldDiffEnd) || !atLineStart(newText, newDiffEnd)) {
    const lineBreak = oldText.indexOf('\n', oldDiffEnd);
    oldEnd = lineBreak < 0 ? oldText.length : lineBreak + 1;
  }
  return { start, oldEnd, newEnd: newText.length - (oldText.length - oldEnd) };
}

/**
 * The scan of `text`, an edited version of `previous.text`, made by re-reading only the edited lines: the format's
 * context lines (which decide how every other line reads) are laid out with the edited lines and scanned, and
 * the mentions and findings of the untouched lines are kept, moved by the length the edit added. Undefined when
 * the edit touches a context line or a suppression comment, or is too large to be worth it: then the caller
 * scans the whole text.
 */
export function rescanEdit(previous: ScanRecord, text: string, scanner: EditScanner): ScanRecord | undefined {
  const { reusable, scan } = previous;
  if (!reusable) return undefined;
  const edit = editedLines(previous.text, text);
  const { start, oldEnd, newEnd } = edit;
  if (Math.max(oldEnd, newEnd) - start > MAX_WINDOW_SHARE * text.length) return undefined;
  if (
    previous.text.slice(start, oldEnd).includes(SUPPRESSION_MARKER) ||
    text.slice(start, newEnd).includes(SUPPRESSION_MARKER)
  )
    return undefined;
  if (reusable.contextLines.some((line) => line.end >= start && line.start < oldEnd)) return undefined;

  const move = shifter(edit);
  const contextLines = reusable.contextLines.map(move.span);
  const kept = move.outside(scan.mentions, (mention) => move.mention(mention));
  const signals = move.outside(scan.signals, (signal) => move.signal(signal));
  const ofMentions = move.outside(reusable.mentionFindings, (finding) => move.finding(finding));
  if (!kept || !signals || !ofMentions) return undefined;
  const window = { start, end: newEnd };
  let read = readWindow(text, window, contextLines, scanner);
  if (!read) return undefined;
  if (scanner.interacts) {
    // Rules of untouched lines that share ports with the edited ones are read with them: their order decides.
    const edited = scan.mentions
      .filter((mention) => mention.span.start >= start && mention.span.end <= oldEnd)
      .concat(read.fresh.mentions);
    const neighbours = kept.filter((mention) => edited.some((other) => scanner.interacts!(mention, other)));
    if (neighbours.length > 0) {
      read = readWindow(
        text,
        window,
        contextLines.concat(neighbours.map((mention) => lineAround(text, mention.span.start))),
        scanner,
      );
      // When the edit changes how an untouched rule reads, its kept findings no longer hold.
      if (!read || !neighbours.every((mention) => sameReading(mention, read!.outside.get(spanKey(mention.span)))))
        return undefined;
    }
  }
  const { fresh } = read;

  // A binary search, not a callback per kept mention: on the first edit of a file this code still runs
  // unoptimised, and a callback for each kept mention made that edit noticeably slower.
  const firstAfter = countStartingBefore(kept, newEnd);
  const mentions = kept.slice(0, firstAfter).concat(fresh.mentions, kept.slice(firstAfter));
  const allSignals = signals.concat(fresh.signals).sort(byPosition);
  const mentionFindings = ofMentions.concat(scanner.mentionFindings(text, fresh.mentions, fresh.signals));
  const findings = scanner.fileFindings(text, mentions, allSignals, mentionFindings, []);
  return {
    text,
    scan: { languageId: scan.languageId, mentions, signals: allSignals, findings, notices: [] },
    reusable: { contextLines, mentionFindings },
  };
}

/**
 * Scans the edited lines laid out with `lines` (the context lines, and any others the reading needs), and returns
 * the mentions and signals of the edited lines, and the mentions of the other lines by place, in the document's
 * offsets; undefined when the window itself holds a context line, so that the whole text must be read.
 */
function readWindow(text: string, window: Span, lines: readonly Span[], scanner: EditScanner) {
  const around = [...new Map(lines.map((line) => [line.start, wholeLine(text, line)])).values()].sort(
    (a, b) => a.start - b.start,
  );
  const stretches = [
    ...around.filter((line) => line.end <= window.start),
    window,
    ...around.filter((line) => line.start >= window.end),
  ];
  const compact = new CompactText(text, stretches);
  const windowIndex = stretches.indexOf(window);
  const read = scanner.read(compact.text);
  const inWindow = (span: Span) => compact.stretchOf(span.start) === windowIndex;
  // A window that could not be read whole is read again with the whole text, which says where reading stopped.
  if (read.shortfalls || read.contextLines?.some(inWindow)) return undefined;
  const fresh = relocateOutput(
    {
      mentions: read.mentions.filter((mention) => inWindow(mention.span)),
      signals: read.signals.filter((signal) => inWindow(signal.span)),
    },
    (span) => compact.original(span),
  );
  fresh.mentions.sort(byPosition);
  const outside = new Map<string, PortMention>();
  for (const mention of read.mentions) {
    if (!inWindow(mention.span))
      outside.set(
        spanKey(compact.original(mention.span)),
        relocateMention(mention, (span) => compact.original(span)),
      );
  }
  return { fresh, outside };
}

function spanKey(span: Span): string {
  return `${span.start}:${span.end}`;
}

/** Whether a port reads the same in two scans: who reaches it, and what shadows it. */
function sameReading(kept: PortMention, again: PortMention | undefined): boolean {
  if (!again) return false;
  const shadow = (mention: PortMention) =>
    mention.shadowedBy && `${spanKey(mention.shadowedBy.span)} ${mention.shadowedBy.message}`;
  return (
    kept.exposure === again.exposure && kept.context.source === again.context.source && shadow(kept) === shadow(again)
  );
}

/** A line span with its line break, so the lines laid end to end stay lines. */
function wholeLine(text: string, line: Span): Span {
  const lineBreak = text.indexOf('\n', line.end);
  return { start: line.start, end: lineBreak < 0 ? text.length : lineBreak + 1 };
}

/**
 * Moves what lies after the edited lines by the length the edit added. Whatever points into the edited lines
 * from outside them (which a format's context lines promise never happens) makes the splice give up.
 */
function shifter({ start, oldEnd, newEnd }: EditedLines) {
  const delta = newEnd - oldEnd;
  const touchesEdit = (span: Span) => span.end > start && span.start < oldEnd;
  const span = (value: Span): Span => {
    if (touchesEdit(value)) throw new EditReachesOutside();
    return value.start >= oldEnd ? { start: value.start + delta, end: value.end + delta } : value;
  };
  return {
    span,
    mention: (mention: PortMention): PortMention => relocateMention(mention, span),
    signal: (signal: RiskSignal): RiskSignal => relocateSignal(signal, span),
    finding: (finding: Finding): Finding => ({
      ...finding,
      span: span(finding.span),
      related: relocateRelated(finding.related, span),
      fixes: finding.fixes.map((fix) => ({
        ...fix,
        edits: fix.edits.map((edit) => ({ ...edit, span: span(edit.span) })),
      })),
    }),
    /** The items outside the edited lines, moved; undefined when one of them reaches into the edit. */
    outside<T extends { span: Span }>(items: readonly T[], moveItem: (item: T) => T): T[] | undefined {
      const kept: T[] = [];
      try {
        // Indexed loops rather than filter and map, or for-of: a large rule file has as many items to go through
        // on every edit, and on the first edit this code still runs unoptimised, where indexed loops are the faster.
        for (let index = 0; index < items.length; index++) {
          const item = items[index];
          if (touchesEdit(item.span)) {
            if (item.span.start < start || item.span.end > oldEnd) return undefined;
          } else kept.push(needsMove(item) ? moveItem(item) : item);
        }
      } catch (error) {
        if (error instanceof EditReachesOutside) return undefined;
        throw error;
      }
      return kept;
    },
  };

  /** Items wholly before the edit, with nothing that points past it, stay the same objects. */
  function needsMove(item: {
    span: Span;
    related?: RelatedSpan[];
    variable?: { definition: Span };
    fixes?: { edits: { span: Span }[] }[];
  }): boolean {
    if (item.span.end > start) return true;
    const related = item.related ?? [];
    for (let index = 0; index < related.length; index++) if (related[index].span.end > start) return true;
    if (item.variable !== undefined && item.variable.definition.end > start) return true;
    return item.fixes?.some((fix) => fix.edits.some((edit) => edit.span.end > start)) ?? false;
  }
}

class EditReachesOutside extends Error {}
