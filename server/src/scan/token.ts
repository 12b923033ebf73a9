import { type CharacterSet, WHITESPACE } from './lexing';
import type { Span } from './mention';

/** Where part of a token's text came from when it was expanded from a variable. */
export interface VariableOrigin {
  name: string;
  /** Where the value's characters are written: an assignment, a function call's argument, a loop's list. */
  definition: Span;
  /** How the value reached the variable, when not by an assignment: "argument 1 of open_port". */
  note?: string;
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

function isQuote(code: number): boolean {
  return code === DOUBLE_QUOTE || code === SINGLE_QUOTE;
}

/**
 * The words of `text` from `start` to `end`, split at the members of `separators`, each at its offset plus
 * `shift`. Single and double quotes hold separators, and a quoted part joins the parts it touches into one word
 * (`name="web 1"x` is `name=web 1x`); an unclosed quote runs to `end`. Read character by character, in one pass:
 * a word without quotes, as most are, is a slice of the text.
 */
export function words(text: string, start: number, end: number, separators: CharacterSet, shift = 0): Token[] {
  const tokens: Token[] = [];
  for (let at = start; at < end; ) {
    if (separators.has(text, at)) {
      at++;
      continue;
    }
    const from = at;
    // bareEnd's loop, written out: called here for every word, it cost 2-3% of an iptables-save scan.
    let quote = false;
    for (; at < end && !separators.has(text, at); at++) {
      if (isQuote(text.charCodeAt(at))) {
        quote = true;
        break;
      }
    }
    if (quote) at = addQuotedWord(text, from, at, end, separators, shift, tokens);
    else tokens.push(new PlainToken(text.slice(from, at), from + shift));
  }
  return tokens;
}

/**
 * Splits one line of a configuration file into whitespace-separated tokens, honouring single and double quotes.
 * Quoted text keeps its offsets, so a port inside `'--dport 22'` still maps to the right column.
 */
export function splitWords(line: string, lineStart: number): Token[] {
  return words(line, 0, line.length, WHITESPACE, lineStart);
}

/** Where the run of characters from `at` that are neither separators nor quotes ends. */
function bareEnd(text: string, at: number, end: number, separators: CharacterSet): number {
  while (at < end && !separators.has(text, at) && !isQuote(text.charCodeAt(at))) at++;
  return at;
}

/**
 * Adds the word from `from` that has a quote at `at` (after the unquoted run from `from`), as the parts it is
 * made of, each mapped to where it is written. Returns where the word ends.
 */
function addQuotedWord(
  text: string,
  from: number,
  at: number,
  end: number,
  separators: CharacterSet,
  shift: number,
  tokens: Token[],
): number {
  const segments: Segment[] = [];
  let written = '';
  const addPart = (partStart: number, partEnd: number) => {
    segments.push({ offset: written.length, doc: partStart + shift, length: partEnd - partStart });
    written += text.slice(partStart, partEnd);
  };
  if (at > from) addPart(from, at);
  while (at < end && !separators.has(text, at)) {
    if (isQuote(text.charCodeAt(at))) {
      const close = text.indexOf(text[at], at + 1);
      const partEnd = close < 0 || close >= end ? end : close;
      addPart(at + 1, partEnd);
      at = partEnd < end ? partEnd + 1 : end;
    } else {
      const partEnd = bareEnd(text, at, end, separators);
      addPart(at, partEnd);
      at = partEnd;
    }
  }
  tokens.push(new SegmentedToken(written, { start: from + shift, end: at + shift }, segments, true));
  return at;
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
  /**
   * For a variable's value, where its characters are written: a token whose `spanOf` gives their place in the
   * document, and the offset of the stretch in it. Set when the segment is made, so a value passed through many
   * variables costs nothing more to place.
   */
  written?: { token: Token; offset: number };
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

  /**
   * The variable the slice came from, with where its characters are written: through `local port=$1`, a port
   * used as `$port` is written as the call's argument.
   */
  variableOf(from: number, to: number): VariableOrigin | undefined {
    const first = this.segmentAt(from);
    if (!first?.variable || first !== this.segmentAt(Math.max(from, to - 1))) return undefined;
    if (!first.written) return first.variable;
    const start = first.written.offset + from - first.offset;
    return { ...first.variable, definition: first.written.token.spanOf(start, start + to - from) };
  }

  /** Where the character at `offset` is written, and the variable it came through, for a value substituted again. */
  writtenAt(offset: number): { written: { token: Token; offset: number }; variable?: VariableOrigin } {
    const segment = this.segmentAt(offset);
    if (!segment?.written) return { written: { token: this, offset } };
    return {
      written: { token: segment.written.token, offset: segment.written.offset + offset - segment.offset },
      variable: segment.variable,
    };
  }

  private segmentAt(index: number): Segment | undefined {
    return this.segments.find((segment) => index >= segment.offset && index < segment.offset + segment.length);
  }
}
