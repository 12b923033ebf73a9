import { type CharacterSet, WHITESPACE } from './lexing';
import type { Span } from './mention';

/** Where part of a token's text came from when it was expanded from a variable. */
export interface VariableOrigin {
  name: string;
  definition: Span;
}

/**
 * A word of a command line after quoting is removed: what every command-line reader (shell arguments,
 * iptables-save lines, ufw tuples) works on. It maps any slice of its text back to the document.
 */
export interface Token {
  readonly text: string;
  readonly span: Span;
  /** False when part of the word could not be known statically (`$UNSET`, `$(cmd)`). */
  readonly literal: boolean;
  /** The document span of `text.slice(from, to)`. */
  spanOf(from: number, to: number): Span;
  /** The variable that `text.slice(from, to)` came from, if it came from exactly one. */
  variableOf(from: number, to: number): VariableOrigin | undefined;
}

/** A token whose text is written verbatim at `start` in the document. */
export class PlainToken implements Token {
  readonly literal = true;
  readonly span: Span;

  constructor(
    readonly text: string,
    start: number,
  ) {
    this.span = { start, end: start + text.length };
  }

  spanOf(from: number, to: number): Span {
    return { start: this.span.start + from, end: this.span.start + to };
  }

  variableOf(): undefined {
    return undefined;
  }
}

const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

/**
 * The words of `text` from `start` to `end`, split at the members of `separators`, each at its offset plus
 * `shift`. Undefined when the stretch has a quote: quotes need the general tokenizer's bookkeeping, which most
 * lines of a large file can do without.
 */
export function unquotedWords(text: string, start: number, end: number, separators: CharacterSet, shift = 0): Token[] | undefined {
  const words: Token[] = [];
  for (let at = start; at < end; ) {
    if (separators.has(text, at)) {
      at++;
      continue;
    }
    const from = at;
    for (; at < end && !separators.has(text, at); at++) {
      const code = text.charCodeAt(at);
      if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) return undefined;
    }
    words.push(new PlainToken(text.slice(from, at), from + shift));
  }
  return words;
}

/**
 * Splits one line of a configuration file into whitespace-separated tokens, honouring single and double quotes.
 * Quoted text keeps its offsets, so a port inside `'--dport 22'` still maps to the right column.
 */
export function splitWords(line: string, lineStart: number): Token[] {
  return unquotedWords(line, 0, line.length, WHITESPACE, lineStart) ?? quotedWords(line, lineStart);
}

function quotedWords(line: string, lineStart: number): Token[] {
  const tokens: Token[] = [];
  const pattern = /"([^"]*)"?|'([^']*)'?|[^\s"']+/g;
  let current: { text: string; segments: { offset: number; doc: number; length: number }[]; start: number; end: number } | undefined;
  let lastEnd = -1;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    const quoted = match[1] ?? match[2];
    const text = quoted ?? match[0];
    const docStart = lineStart + match.index + (quoted === undefined ? 0 : 1);
    if (!current || match.index !== lastEnd) {
      if (current) tokens.push(segmentedToken(current));
      current = { text: '', segments: [], start: lineStart + match.index, end: 0 };
    }
    current.segments.push({ offset: current.text.length, doc: docStart, length: text.length });
    current.text += text;
    lastEnd = match.index + match[0].length;
    current.end = lineStart + lastEnd;
  }
  if (current) tokens.push(segmentedToken(current));
  return tokens;
}

function segmentedToken(parts: {
  text: string;
  segments: { offset: number; doc: number; length: number }[];
  start: number;
  end: number;
}): Token {
  if (parts.segments.length === 1 && parts.segments[0].doc === parts.start) return new PlainToken(parts.text, parts.start);
  return new SegmentedToken(
    parts.text,
    { start: parts.start, end: parts.end },
    parts.segments.map((segment) => ({ ...segment })),
    true,
  );
}

/** One stretch of a token's text and where it sits in the document. */
export interface Segment {
  /** Offset of the stretch within the token's text. */
  offset: number;
  length: number;
  /** Document offset of the stretch's first character when written verbatim; the whole span otherwise. */
  doc: number;
  /** Set when the stretch is a variable's value: then every character maps to the expansion's span. */
  expansion?: Span;
  variable?: VariableOrigin;
}

/** A token assembled from pieces: quoted parts, escapes, expanded variables. */
export class SegmentedToken implements Token {
  constructor(
    readonly text: string,
    readonly span: Span,
    private readonly segments: Segment[],
    readonly literal: boolean,
  ) {}

  spanOf(from: number, to: number): Span {
    const first = this.segmentAt(from);
    const last = this.segmentAt(Math.max(from, to - 1));
    if (!first || !last) return this.span;
    const start = first.expansion ? first.expansion.start : first.doc + (from - first.offset);
    const end = last.expansion ? last.expansion.end : last.doc + (to - last.offset);
    return { start, end: Math.max(end, start) };
  }

  variableOf(from: number, to: number): VariableOrigin | undefined {
    const first = this.segmentAt(from);
    return first && first === this.segmentAt(Math.max(from, to - 1)) ? first.variable : undefined;
  }

  private segmentAt(index: number): Segment | undefined {
    return this.segments.find((segment) => index >= segment.offset && index < segment.offset + segment.length);
  }
}
