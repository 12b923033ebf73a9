import type { Span } from '../mention';

/** A logical line, and how deep it nests quotes, `$(...)`, backticks and parentheses at most. */
export interface LogicalLine extends Span {
  depth: number;
}

/**
 * Splits a script into logical lines: a physical line, plus the lines it continues onto (a trailing `\`, `|`,
 * `&&` or `||`, an open quote or `$(`), plus the bodies of the heredocs it opens. Each logical line holds whole
 * statements, so a parser given only some of them reads those statements exactly as in the full script.
 *
 * A single linear pass: quotes, escapes, comments, `$(...)`, backticks and heredoc delimiters are tracked just
 * enough to find where logical lines end.
 */
export function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const closers: string[] = [];
  // The deepest the closers went since the line began.
  let depth = 0;
  const open = (closer: string) => {
    closers.push(closer);
    if (closers.length > depth) depth = closers.length;
  };
  const pendingHeredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let lineStart = 0;
  let at = 0;

  const atWordStart = (index: number) => index === 0 || /[\s;&|()<>]/.test(text[index - 1]);
  const top = () => closers[closers.length - 1];

  while (at < text.length) {
    const context = top();
    at = nextSpecial(text, at, context);
    if (at >= text.length) break;
    const char = text[at];
    if (char === '\n') {
      if (context === undefined || context === ')' || context === '`') {
        if (pendingHeredocs.length > 0) {
          at = skipHeredocBodies(text, at + 1, pendingHeredocs);
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
      at += 2;
      continue;
    }
    if (context === '"') {
      if (char === '"') closers.pop();
      else if (char === '$' && text[at + 1] === '(') {
        open(')');
        at++;
      } else if (char === '`') open('`');
      at++;
      continue;
    }
    // Outside quotes, or inside $(...) and backticks, which read like the top level.
    if (char === '#' && atWordStart(at)) {
      const end = text.indexOf('\n', at);
      at = end < 0 ? text.length : end;
      continue;
    }
    if (char === "'") open(text[at - 1] === '$' ? "$'" : "'");
    else if (char === '"') open('"');
    else if (char === '`') {
      if (context === '`') closers.pop();
      else open('`');
    } else if (char === '(') open(')');
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
      lines.push({ start: lineStart, end, depth });
    }
    lineStart = end;
    depth = closers.length;
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
    context === '"'
      ? SPECIAL_IN_DOUBLE_QUOTES
      : context === "'"
        ? SPECIAL_IN_SINGLE_QUOTES
        : context === "$'"
          ? SPECIAL_IN_ANSI_C_QUOTES
          : SPECIAL_AT_TOP;
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
function readHeredocStart(
  text: string,
  from: number,
): { start: { delimiter: string; stripTabs: boolean }; next: number } | undefined {
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
): number {
  let at = from;
  for (const { delimiter, stripTabs } of heredocs) {
    while (at < text.length) {
      const end = text.indexOf('\n', at);
      const lineEnd = end < 0 ? text.length : end;
      let line = text.slice(at, lineEnd);
      line = line.replace(/\r+$/, '');
      if (stripTabs) line = line.replace(/^\t+/, '');
      at = end < 0 ? text.length : end + 1;
      if (line === delimiter) break;
    }
  }
  return at;
}
