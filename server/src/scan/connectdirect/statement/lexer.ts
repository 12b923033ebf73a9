import { CharacterSet, WHITESPACE } from '../../lexing';
import type { Span } from '../../mention';

export type LexemeKind = 'word' | 'string' | 'open' | 'close' | 'comma' | 'equals';

/** One lexical unit of Connect:Direct statement text (processes, CLI commands, z/OS parameter members). */
export interface Lexeme {
  kind: LexemeKind;
  /** The word, or a string's content without its quotes, verbatim (the language has no escapes). */
  text: string;
  /** Document offset of `text`. */
  textStart: number;
  /** The whole lexeme, quotes included. */
  span: Span;
  /** In column 1 of a line that does not continue the line before: a label, or the start of a new statement. */
  lineHead: boolean;
}

const PUNCTUATION = new Map<string, LexemeKind>([
  ['(', 'open'],
  [')', 'close'],
  [',', 'comma'],
  ['=', 'equals'],
]);
const WORD = new CharacterSet(/[^\s()'",=]/);

/**
 * Splits statement text into lexemes, dropping what the language ignores: `/* ... *\/` comments (opened at the
 * start of a word), lines with `*` in column 1, lines that start with `//` (Requester files use them to comment
 * out statements), and the ` -` that continues a statement on the next line. One linear pass.
 */
export function lexStatements(text: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let at = 0;
  let lineStart = 0;
  let lineContinues = false;
  let nextLineContinues = false;
  let lineHasContent = false;
  // Computed once per line: strings and comments ask for it, and a line may hold thousands of them.
  let lineEnd = -1;
  while (at < text.length) {
    const char = text[at];
    if (char === '\n') {
      at++;
      lineStart = at;
      lineContinues = nextLineContinues;
      nextLineContinues = false;
      lineHasContent = false;
      continue;
    }
    if (lineEnd < at) lineEnd = endOfLine(text, at);
    if (WHITESPACE.has(text, at)) {
      at++;
      continue;
    }
    const firstOnLine = !lineHasContent;
    lineHasContent = true;
    if ((char === '*' && at === lineStart) || (firstOnLine && char === '/' && text[at + 1] === '/')) {
      at = lineEnd;
      continue;
    }
    if (char === '/' && text[at + 1] === '*') {
      const close = text.indexOf('*/', at + 2);
      at = close < 0 ? text.length : close + 2;
      continue;
    }
    const lineHead = at === lineStart && !lineContinues;
    if (char === "'" || char === '"') {
      const string = readString(text, at, lineEnd);
      lexemes.push({
        kind: 'string',
        text: text.slice(at + 1, string.contentEnd),
        textStart: at + 1,
        span: { start: at, end: string.end },
        lineHead,
      });
      at = string.end;
      continue;
    }
    const punctuation = PUNCTUATION.get(char);
    if (punctuation) {
      lexemes.push({ kind: punctuation, text: char, textStart: at, span: { start: at, end: at + 1 }, lineHead });
      at++;
      continue;
    }
    const end = WORD.endOfRun(text, at + 1);
    if (end === at + 1 && char === '-' && endsLine(text, end)) {
      nextLineContinues = true;
      at = end;
      continue;
    }
    lexemes.push({ kind: 'word', text: text.slice(at, end), textStart: at, span: { start: at, end }, lineHead });
    at = end;
  }
  return lexemes;
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** True when only blanks or a comment follow `from` on its line: a lone `-` there continues the statement. */
function endsLine(text: string, from: number): boolean {
  let at = from;
  while (at < text.length && text[at] !== '\n' && WHITESPACE.has(text, at)) at++;
  return at >= text.length || text[at] === '\n' || (text[at] === '/' && text[at + 1] === '*');
}

/**
 * A quoted string from the quote at `start`: it ends at the same quote on its line, runs on to the next line
 * only after a continuation ` -`, and an unterminated one ends with its line, so half-typed text stays local.
 */
function readString(text: string, start: number, lineEnd: number): { contentEnd: number; end: number } {
  const quote = text[start];
  let from = start + 1;
  let end = lineEnd;
  for (;;) {
    const close = text.indexOf(quote, from);
    if (close >= 0 && close < end) return { contentEnd: close, end: close + 1 };
    if (end >= text.length || !continuedAt(text, end)) return { contentEnd: end, end };
    from = end + 1;
    end = endOfLine(text, from);
  }
}

/** True when the line ending at `lineEnd` ends with a blank and a hyphen. */
function continuedAt(text: string, lineEnd: number): boolean {
  let at = lineEnd;
  while (at > 0 && /[ \t\r]/.test(text[at - 1])) at--;
  return text[at - 1] === '-' && /\s/.test(text[at - 2] ?? '');
}
