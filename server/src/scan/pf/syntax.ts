import type { Span } from '../mention';
import { BLANKS, CharacterSet, WHITESPACE } from '../lexing';
import { PlainToken } from '../token';

/**
 * One lexeme of pf.conf: a word, a quoted string (its text without the quotes), a table name `<name>`, a
 * parenthesised run `(egress:0)` or `(max-src-conn 40, ...)` kept whole, an operator, a brace or a comma.
 */
export interface PfToken {
  kind: 'word' | 'string' | 'table' | 'paren' | 'operator' | 'open' | 'close' | 'comma';
  text: string;
  token: PlainToken;
}

export interface PfStatement {
  tokens: PfToken[];
  span: Span;
}

const OPERATORS = ['!=', '<=', '>=', '><', '<>', '->', '<', '>', '=', '!'];
const WORD = new CharacterSet(/[^\s{}(),<>=!"#\\]/);
const OPERATOR_STARTS = new Set(OPERATORS.map((operator) => operator[0]));
const TABLE_NAME = /^<[\w.-]+>/;
/** Statements that cannot sit inside an open `{ ... }` list: a list still open there was never closed. */
const STATEMENT_WORDS = new Set([
  'pass',
  'block',
  'match',
  'table',
  'set',
  'scrub',
  'antispoof',
  'anchor',
  'load',
  'rdr',
  'nat',
  'binat',
  'no',
  'include',
  'queue',
  'altq',
]);

interface Lexeme extends PfToken {
  /** True for the newline that ends a statement (one not escaped with `\`). */
  newline: boolean;
}

// Every lexeme is built here, with the same fields in the same order: one object shape keeps V8's property
// reads fast in the statement reader and the macro expansion.
function token(text: string, kind: PfToken['kind'], from: number, to: number, newline = false): Lexeme {
  const written = text.slice(from, to);
  return { kind, text: written, token: new PlainToken(written, from), newline };
}

/** The end of a string or parenthesised run that starts at `from`: it may continue over `\`-escaped newlines only. */
function closingIndex(text: string, from: number, to: number, close: string): number {
  let at = from + 1;
  while (at < to && text[at] !== close) {
    if (text[at] === '\n' && text[at - 1] !== '\\' && !(text[at - 1] === '\r' && text[at - 2] === '\\')) return at;
    at++;
  }
  return at;
}

/** Lexes text[from, to): the whole file, or the inside of a macro's quoted value. */
export function lexPf(text: string, from = 0, to = text.length): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let at = from;
  while (at < to) {
    const char = text[at];
    if (char === '\n') {
      lexemes.push(token(text, 'comma', at, at, true));
      at++;
    } else if (char === '#') {
      const end = text.indexOf('\n', at);
      at = end < 0 || end > to ? to : end;
    } else if (char === '\\') {
      at++;
      while (at < to && (text[at] === ' ' || text[at] === '\t' || text[at] === '\r')) at++;
      if (text[at] === '\n') at++;
    } else if (WHITESPACE.has(text, at)) {
      at = BLANKS.endOfRun(text, at, to);
    } else if (char === '"') {
      const end = closingIndex(text, at, to, '"');
      lexemes.push(token(text, 'string', at + 1, end));
      at = text[end] === '"' ? end + 1 : end;
    } else if (char === '(') {
      const end = closingIndex(text, at, to, ')');
      const close = text[end] === ')' ? end + 1 : end;
      lexemes.push(token(text, 'paren', at, close));
      at = close;
    } else if (char === '{' || char === '}' || char === ',') {
      lexemes.push(token(text, char === '{' ? 'open' : char === '}' ? 'close' : 'comma', at, at + 1));
      at++;
    } else if (char === '<' && TABLE_NAME.test(text.slice(at, Math.min(to, at + 256)))) {
      const length = TABLE_NAME.exec(text.slice(at, Math.min(to, at + 256)))![0].length;
      lexemes.push(token(text, 'table', at, at + length));
      at += length;
    } else {
      const operator = OPERATOR_STARTS.has(char)
        ? OPERATORS.find((candidate) => text.startsWith(candidate, at) && at + candidate.length <= to)
        : undefined;
      if (operator) {
        lexemes.push(token(text, 'operator', at, at + operator.length));
        at += operator.length;
        continue;
      }
      const end = WORD.endOfRun(text, at + 1, to);
      lexemes.push(token(text, 'word', at, end));
      at = end;
    }
  }
  return lexemes;
}

/**
 * Splits pf.conf into statements. A statement ends at a newline, except inside a `{ ... }` list (pf lets lists
 * span lines); `anchor "name" {` opens a block whose lines are statements of their own.
 */
export function readPfStatements(text: string): PfStatement[] {
  const lexemes = lexPf(text);
  const statements: PfStatement[] = [];
  let current: PfToken[] = [];
  let depth = 0;
  const finish = () => {
    if (current.length > 0) {
      const first = current[0].token.span;
      const last = current[current.length - 1].token.span;
      statements.push({ tokens: current, span: { start: first.start, end: last.end } });
    }
    current = [];
    depth = 0;
  };
  for (let index = 0; index < lexemes.length; index++) {
    const lexeme = lexemes[index];
    if (lexeme.newline) {
      const next = lexemes[index + 1];
      if (
        depth === 0 ||
        (next?.kind === 'word' && (STATEMENT_WORDS.has(next.text) || lexemes[index + 2]?.text === '='))
      )
        finish();
      continue;
    }
    if (lexeme.kind === 'open' && current[0]?.text === 'anchor') {
      finish();
      continue;
    }
    if (lexeme.kind === 'close' && depth === 0) {
      finish();
      continue;
    }
    if (lexeme.kind === 'open') depth++;
    if (lexeme.kind === 'close') depth--;
    current.push(lexeme);
  }
  finish();
  return statements;
}
