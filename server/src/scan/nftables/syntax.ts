import type { Span } from '../mention';
import { BLANKS, CharacterSet, WHITESPACE } from '../lexing';
import { PlainToken, type Token } from '../token';

/** A word of an nftables statement: a keyword, a value, or one of the operators `:` and `.`, or a `,`. */
export interface Word {
  kind: 'word';
  text: string;
  token: Token;
  quoted: boolean;
}

/** A brace group `{ ... }` inside a statement: an anonymous set, a map's elements, a define's value. */
export interface Group {
  kind: 'group';
  items: Item[];
  span: Span;
}

export type Item = Word | Group;

/** One statement; block statements (`table inet filter { ... }`) carry the statements of their body. */
export interface Statement {
  items: Item[];
  span: Span;
  body?: Statement[];
}

/** Makes the token for text[from, to) of what was lexed: a document, or one word of a shell command. */
export type TokenFactory = (from: number, to: number) => Token;

interface Lexeme {
  kind: 'word' | 'open' | 'close' | 'comma' | 'end';
  from: number;
  to: number;
  quoted: boolean;
  /** For `end`: a newline (which a brace group ignores) rather than a `;`. */
  newline: boolean;
}

// Every lexeme is built here, with the same fields in the same order: one object shape keeps the reads fast.
function lexeme(kind: Lexeme['kind'], from: number, to: number, quoted = false, newline = false): Lexeme {
  return { kind, from, to, quoted, newline };
}

const PUNCTUATION = new Map<string, Lexeme['kind']>([
  ['{', 'open'],
  ['}', 'close'],
  [',', 'comma'],
  [';', 'end'],
]);
const WORD = new CharacterSet(/[^\s{},;"#\\]/);

/**
 * Splits nftables text into words, strings, braces, commas and statement ends. Comments run from `#` to the end
 * of the line, a backslash before a newline continues the line, and a word ending in `:` (`22:`) yields the
 * word and the `:` apart, as map elements may be written either way.
 */
function lex(text: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === '\n') {
      lexemes.push(lexeme('end', at, at + 1, false, true));
      at++;
    } else if (char === '#') {
      const end = text.indexOf('\n', at);
      at = end < 0 ? text.length : end;
    } else if (char === '\\') {
      at++;
      while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\r')) at++;
      if (text[at] === '\n') at++;
    } else if (char === '"') {
      let end = at + 1;
      while (end < text.length && text[end] !== '"' && text[end] !== '\n') end++;
      lexemes.push(lexeme('word', at + 1, end, true));
      at = text[end] === '"' ? end + 1 : end;
    } else if (PUNCTUATION.has(char)) {
      lexemes.push(lexeme(PUNCTUATION.get(char)!, at, at + 1));
      at++;
    } else if (WHITESPACE.has(text, at)) {
      at = BLANKS.endOfRun(text, at);
    } else {
      const end = WORD.endOfRun(text, at + 1);
      if (end - at > 1 && text[end - 1] === ':' && text[end - 2] !== ':') {
        lexemes.push(lexeme('word', at, end - 1), lexeme('word', end - 1, end));
      } else {
        lexemes.push(lexeme('word', at, end));
      }
      at = end;
    }
  }
  return lexemes;
}

/** What a block's body holds, which decides which statements open nested blocks. */
type BlockKind = 'top' | 'table' | 'inner';

const TABLE_OBJECTS = new Set([
  'chain',
  'set',
  'map',
  'flowtable',
  'counter',
  'quota',
  'ct',
  'limit',
  'secmark',
  'synproxy',
  'tunnel',
]);
const COMMAND_VERBS = new Set(['add', 'create', 'insert', 'replace']);
/** Words that start a new top-level or table-level statement: a brace group still open there was never closed. */
const RUNAWAY_STOPS = new Set(['table', 'chain', 'define', 'include', 'flush', 'type', 'policy']);

/** The block a `{` opens after `words` in a block of `kind`, or undefined when it opens a brace group. */
function blockOpenedBy(kind: BlockKind, words: readonly Item[]): BlockKind | undefined {
  const first = words[0]?.kind === 'word' ? words[0].text : '';
  if (words.length < 2 || words.some((item) => item.kind !== 'word')) return undefined;
  if (kind === 'table') return TABLE_OBJECTS.has(first) ? 'inner' : undefined;
  if (kind !== 'top') return undefined;
  if (first === 'table') return 'table';
  // A chain or set without its table: a snippet that a table elsewhere includes (`include "nftables.d/*.nft"`).
  if (TABLE_OBJECTS.has(first)) return 'inner';
  const second = (words[1] as Word).text;
  if (COMMAND_VERBS.has(first) && second === 'table') return 'table';
  if (COMMAND_VERBS.has(first) && (second === 'chain' || second === 'set' || second === 'map')) return 'inner';
  return undefined;
}

class StatementReader {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly lexemes: Lexeme[],
    private readonly makeToken: TokenFactory,
  ) {}

  body(kind: BlockKind): Statement[] {
    const statements: Statement[] = [];
    while (this.at < this.lexemes.length) {
      const lexeme = this.lexemes[this.at];
      if (lexeme.kind === 'end') {
        this.at++;
      } else if (lexeme.kind === 'close') {
        this.at++;
        if (kind !== 'top') break;
      } else if (kind !== 'top' && this.reopens(kind)) {
        break;
      } else {
        statements.push(this.statement(kind));
      }
    }
    return statements;
  }

  private statement(kind: BlockKind): Statement {
    const items: Item[] = [];
    const start = this.lexemes[this.at].from;
    let end = start;
    while (this.at < this.lexemes.length) {
      const lexeme = this.lexemes[this.at];
      if (lexeme.kind === 'end' || lexeme.kind === 'close') break;
      if (lexeme.kind === 'open') {
        const inner = blockOpenedBy(kind, items);
        if (inner) {
          this.at++;
          const body = this.body(inner);
          const closed = this.lexemes[this.at - 1]?.to ?? end;
          return { items, body, span: this.spanOf(start, Math.max(closed, start)) };
        }
        const group = this.group();
        items.push(group);
        end = this.lexemes[this.at - 1].to;
        continue;
      }
      items.push(this.word(lexeme));
      end = lexeme.to;
      this.at++;
    }
    return { items, span: this.spanOf(start, end) };
  }

  /** `chain b {` inside chain a, or `table` inside a table: the block before it lacks its `}`, so it ends here. */
  private reopens(kind: BlockKind): boolean {
    const [first, name, open] = this.lexemes.slice(this.at, this.at + 3);
    const keyword = first.kind === 'word' ? this.text.slice(first.from, first.to) : '';
    const opensBlock = name?.kind === 'word' && open?.kind === 'open';
    return (
      opensBlock &&
      (keyword === 'table' ||
        (kind === 'inner' &&
          TABLE_OBJECTS.has(keyword) &&
          keyword !== 'counter' &&
          keyword !== 'limit' &&
          keyword !== 'ct'))
    );
  }

  private word(lexeme: Lexeme): Word {
    return {
      kind: 'word',
      text: this.text.slice(lexeme.from, lexeme.to),
      token: this.makeToken(lexeme.from, lexeme.to),
      quoted: lexeme.quoted,
    };
  }

  /** A brace group and the groups inside it, read with a stack so that deep nesting cannot exhaust the call stack. */
  private group(): Group {
    const first = this.lexemes[this.at];
    const root: Group = { kind: 'group', items: [], span: this.spanOf(first.from, first.to) };
    const open: Group[] = [root];
    let lastEnd = first.to;
    this.at++;
    while (this.at < this.lexemes.length && open.length > 0) {
      const lexeme = this.lexemes[this.at];
      if (lexeme.kind === 'end' && lexeme.newline && this.runawayAfter(this.at)) break;
      this.at++;
      const current = open[open.length - 1];
      if (lexeme.kind === 'open') {
        const inner: Group = { kind: 'group', items: [], span: this.spanOf(lexeme.from, lexeme.to) };
        current.items.push(inner);
        open.push(inner);
      } else if (lexeme.kind === 'close') {
        (open.pop() as Group).span.end = this.spanOf(lexeme.from, lexeme.to).end;
      } else if (lexeme.kind === 'word' || lexeme.kind === 'comma') {
        current.items.push(this.word(lexeme));
      }
      if (lexeme.kind !== 'end') lastEnd = lexeme.to;
    }
    for (const unclosed of open) unclosed.span.end = this.spanOf(lastEnd, lastEnd).end;
    return root;
  }

  private spanOf(from: number, to: number): Span {
    return this.makeToken(from, to).span;
  }

  /** True when the line after the newline at `index` starts a statement that cannot sit inside a brace group. */
  private runawayAfter(index: number): boolean {
    const next = this.lexemes[index + 1];
    return next?.kind === 'word' && RUNAWAY_STOPS.has(this.text.slice(next.from, next.to));
  }
}

/** Reads nftables text into statements and blocks; `makeToken` maps offsets into `text` to the document. */
export function readStatements(
  text: string,
  makeToken: TokenFactory = (from, to) => new PlainToken(text.slice(from, to), from),
): Statement[] {
  return new StatementReader(text, lex(text), makeToken).body('top');
}

export function isWord(item: Item | undefined, text?: string): item is Word {
  return item?.kind === 'word' && (text === undefined || item.text === text);
}

/** Splits the items of a group at its commas. */
export function splitAtCommas(items: readonly Item[]): Item[][] {
  const parts: Item[][] = [[]];
  for (const item of items) {
    if (isWord(item, ',')) parts.push([]);
    else parts[parts.length - 1].push(item);
  }
  return parts.filter((part) => part.length > 0);
}

/** The span from the first to the last item. */
export function spanOfItems(items: readonly Item[]): Span | undefined {
  if (items.length === 0) return undefined;
  const first = items[0];
  const last = items[items.length - 1];
  return {
    start: first.kind === 'word' ? first.token.span.start : first.span.start,
    end: last.kind === 'word' ? last.token.span.end : last.span.end,
  };
}
