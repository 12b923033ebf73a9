import { lastAtOrBefore } from '../lines';
import type { Span } from '../mention';

/** A stretch of the script, with the row and column of both ends as tree-sitter wants them. */
export interface TextRange {
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
}

/**
 * Splits a script into logical lines: a physical line, plus the lines it continues onto (a trailing `\`, `|`,
 * `&&` or `||`, an open quote or `$(`), plus the bodies of the heredocs it opens. Each logical line holds whole
 * statements, so a parser given only some of them reads those statements exactly as in the full script.
 *
 * A single linear pass: quotes, escapes, comments, `$(...)`, backticks and heredoc delimiters are tracked just
 * enough to find where logical lines end.
 */
export function logicalLines(text: string): TextRange[] {
  const lines: TextRange[] = [];
  const closers: string[] = [];
  const pendingHeredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let lineStart = 0;
  let lineStartRow = 0;
  let row = 0;
  let rowStart = 0;
  let at = 0;

  const atWordStart = (index: number) => index === 0 || /[\s;&|()<>]/.test(text[index - 1]);
  const top = () => closers[closers.length - 1];

  while (at < text.length) {
    const context = top();
    at = nextSpecial(text, at, context);
    if (at >= text.length) break;
    const char = text[at];
    if (char === '\n') {
      row++;
      rowStart = at + 1;
      if (context === undefined || context === ')' || context === '`') {
        if (pendingHeredocs.length > 0) {
          at = skipHeredocBodies(text, at + 1, pendingHeredocs, (newRows, newRowStart) => {
            row += newRows;
            rowStart = newRowStart;
          });
          pendingHeredocs.length = 0;
          if (context !== undefined) continue;
          at = endLine(at);
          continue;
        }
        if (context === undefined && !continuesOnNextLine(text, lineStart, at)) {
          at = endLine(at + 1);
          continue;
        }
      }
      at++;
      continue;
    }
    if (context === "'" || context === "$'") {
      if (char === '\\' && context === "$'") at++;
      else if (char === "'") closers.pop();
      at++;
      continue;
    }
    if (char === '\\') {
      if (text[at + 1] === '\n') {
        row++;
        rowStart = at + 2;
      }
      at += 2;
      continue;
    }
    if (context === '"') {
      if (char === '"') closers.pop();
      else if (char === '$' && text[at + 1] === '(') {
        closers.push(')');
        at++;
      } else if (char === '`') closers.push('`');
      at++;
      continue;
    }
    // Outside quotes, or inside $(...) and backticks, which read like the top level.
    if (char === '#' && atWordStart(at)) {
      const end = text.indexOf('\n', at);
      at = end < 0 ? text.length : end;
      continue;
    }
    if (char === "'") closers.push(text[at - 1] === '$' ? "$'" : "'");
    else if (char === '"') closers.push('"');
    else if (char === '`') {
      if (context === '`') closers.pop();
      else closers.push('`');
    } else if (char === '(') closers.push(')');
    else if (char === ')' && context === ')') closers.pop();
    else if (char === '<' && text[at + 1] === '<' && text[at + 2] !== '<') {
      const heredoc = readHeredocStart(text, at + 2);
      if (heredoc) {
        pendingHeredocs.push(heredoc.start);
        at = heredoc.next;
        continue;
      }
    }
    at++;
  }
  if (lineStart < text.length) endLine(text.length);
  return lines;

  function endLine(end: number): number {
    if (end > lineStart) {
      lines.push({
        startIndex: lineStart,
        endIndex: end,
        startPosition: { row: lineStartRow, column: 0 },
        endPosition: { row, column: end - rowStart },
      });
    }
    lineStart = end;
    lineStartRow = row;
    return end;
  }
}

// The only characters that can change the lexer's state, per context; everything between them is skipped at once.
const SPECIAL_AT_TOP = /[\n'"\\`#()<]/g;
const SPECIAL_IN_DOUBLE_QUOTES = /[\n"\\`$]/g;
const SPECIAL_IN_SINGLE_QUOTES = /[\n']/g;
const SPECIAL_IN_ANSI_C_QUOTES = /[\n'\\]/g;

function nextSpecial(text: string, from: number, context: string | undefined): number {
  const pattern =
    context === '"' ? SPECIAL_IN_DOUBLE_QUOTES : context === "'" ? SPECIAL_IN_SINGLE_QUOTES : context === "$'" ? SPECIAL_IN_ANSI_C_QUOTES : SPECIAL_AT_TOP;
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  return match ? match.index : text.length;
}

/** `cmd |`, `cmd &&`, `cmd ||` at the end of a line carry the statement onto the next one. */
function continuesOnNextLine(text: string, lineStart: number, newline: number): boolean {
  let end = newline;
  while (end > lineStart && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\r')) end--;
  const last = text[end - 1];
  return last === '|' || (last === '&' && text[end - 2] === '&');
}

/** Reads the delimiter after `<<` or `<<-`: `EOF`, `'EOF'`, `"EOF"` or `\EOF`. */
function readHeredocStart(text: string, from: number): { start: { delimiter: string; stripTabs: boolean }; next: number } | undefined {
  let at = from;
  const stripTabs = text[at] === '-';
  if (stripTabs) at++;
  while (text[at] === ' ' || text[at] === '\t') at++;
  const match = /^(?:'([^'\n]*)'|"([^"\n]*)"|\\?([A-Za-z0-9_.-]+))/.exec(text.slice(at, at + 256));
  if (!match) return undefined;
  return { start: { delimiter: match[1] ?? match[2] ?? match[3], stripTabs }, next: at + match[0].length };
}

/** Skips the bodies of the heredocs opened on the line that just ended; returns the index after the last one. */
function skipHeredocBodies(
  text: string,
  from: number,
  heredocs: readonly { delimiter: string; stripTabs: boolean }[],
  advanceRows: (rows: number, rowStart: number) => void,
): number {
  let at = from;
  let rows = 0;
  for (const { delimiter, stripTabs } of heredocs) {
    while (at < text.length) {
      const end = text.indexOf('\n', at);
      const lineEnd = end < 0 ? text.length : end;
      let line = text.slice(at, lineEnd);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (stripTabs) line = line.replace(/^\t+/, '');
      at = end < 0 ? text.length : end + 1;
      if (end >= 0) rows++;
      if (line === delimiter) break;
    }
  }
  advanceRows(rows, at);
  return at;
}

/**
 * Some statements of a text laid end to end, and the way back to the original offsets. tree-sitter parses this
 * far faster than the original with thousands of included ranges, which it handles one boundary at a time.
 */
export class CompactText {
  readonly text: string;
  private readonly compactStarts: number[] = [];
  private readonly originalStarts: number[] = [];

  constructor(original: string, ranges: readonly TextRange[]) {
    const pieces: string[] = [];
    let length = 0;
    for (const range of ranges) {
      this.compactStarts.push(length);
      this.originalStarts.push(range.startIndex);
      pieces.push(original.slice(range.startIndex, range.endIndex));
      length += range.endIndex - range.startIndex;
    }
    this.text = pieces.join('');
  }

  /** Where a span of the compact text is in the original; a span never crosses two statements. */
  original(span: Span): Span {
    const startPiece = lastAtOrBefore(this.compactStarts, span.start);
    const endPiece = span.end > span.start ? lastAtOrBefore(this.compactStarts, span.end - 1) : startPiece;
    return {
      start: this.originalStarts[startPiece] + span.start - this.compactStarts[startPiece],
      end: this.originalStarts[endPiece] + span.end - this.compactStarts[endPiece],
    };
  }
}
