import type { Span } from '../../mention';
import { PlainToken } from '../../token';
import { type Lexeme, lexStatements } from './lexer';

interface ItemBase {
  span: Span;
  /** Written after a comma rather than a blank: `TCPNAME=host, 1364` keeps the port with its host. */
  commaBefore: boolean;
}

/** A word or a quoted string. */
export interface Atom extends ItemBase {
  kind: 'atom';
  text: string;
  textStart: number;
  quoted: boolean;
  lineHead: boolean;
}

/** `( ... )`: positional slots, where `,,` leaves an empty one (`SNODEID=(ID,,NEWPSWD)`). */
export interface Group extends ItemBase {
  kind: 'group';
  slots: (Item | undefined)[];
}

/** `KEY=value`; the value may itself be one (`SNODE=TCPNAME=host;1364`) or be missing in half-typed text. */
export interface Assignment extends ItemBase {
  kind: 'assign';
  key: Atom;
  value?: Item;
}

export type Item = Atom | Group | Assignment;

/** Nesting deeper than this is not Connect:Direct; it is read flat so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 24;

/** Parses statement text into items: the shared reading of process text and z/OS parameter members. */
export function parseItems(text: string): Item[] {
  return new ItemParser(lexStatements(text)).parseAll();
}

class ItemParser {
  private at = 0;

  constructor(private readonly lexemes: readonly Lexeme[]) {}

  parseAll(): Item[] {
    const items: Item[] = [];
    let commaBefore = false;
    while (this.at < this.lexemes.length) {
      const lexeme = this.lexemes[this.at];
      if (lexeme.kind === 'comma' || lexeme.kind === 'close' || lexeme.kind === 'equals') {
        commaBefore = lexeme.kind === 'comma';
        this.at++;
        continue;
      }
      items.push(this.item(0, commaBefore));
      commaBefore = false;
    }
    return items;
  }

  /** An atom or a group at the current lexeme, and the assignment it starts when `=` follows. */
  private item(depth: number, commaBefore: boolean): Item {
    const lexeme = this.lexemes[this.at];
    const first: Item = lexeme.kind === 'open' ? this.group(depth, commaBefore) : this.atom(commaBefore);
    if (first.kind !== 'atom' || this.peek()?.kind !== 'equals' || depth >= MAX_DEPTH) return first;
    const equals = this.lexemes[this.at++];
    const next = this.peek();
    const hasValue = next && !next.lineHead && (next.kind === 'word' || next.kind === 'string' || next.kind === 'open');
    const value = hasValue ? this.item(depth + 1, false) : undefined;
    return {
      kind: 'assign',
      key: first,
      value,
      commaBefore,
      span: { start: first.span.start, end: value ? value.span.end : equals.span.end },
    };
  }

  private atom(commaBefore: boolean): Atom {
    const lexeme = this.lexemes[this.at++];
    return {
      kind: 'atom',
      text: lexeme.text,
      textStart: lexeme.textStart,
      quoted: lexeme.kind === 'string',
      lineHead: lexeme.lineHead,
      commaBefore,
      span: lexeme.span,
    };
  }

  /**
   * `(` ... `)`. A line that starts a new statement (column 1, no continuation before it) closes whatever is
   * still open, so a half-typed `COPY FROM (` does not swallow the rest of the file.
   */
  private group(depth: number, commaBefore: boolean): Group {
    const open = this.lexemes[this.at++];
    const slots: (Item | undefined)[] = [];
    let expecting = true;
    let end = open.span.end;
    let afterComma = false;
    while (this.at < this.lexemes.length) {
      const lexeme = this.lexemes[this.at];
      if (lexeme.lineHead) break;
      if (lexeme.kind === 'close') {
        if (afterComma) slots.push(undefined);
        end = lexeme.span.end;
        this.at++;
        break;
      }
      if (lexeme.kind === 'comma') {
        if (expecting) slots.push(undefined);
        expecting = true;
        afterComma = true;
        end = lexeme.span.end;
        this.at++;
        continue;
      }
      if (lexeme.kind === 'equals' || (lexeme.kind === 'open' && depth >= MAX_DEPTH)) {
        this.at++;
        continue;
      }
      const item = this.item(depth + 1, afterComma);
      slots.push(item);
      end = item.span.end;
      expecting = false;
      afterComma = false;
    }
    return { kind: 'group', slots, commaBefore, span: { start: open.span.start, end } };
  }

  private peek(): Lexeme | undefined {
    return this.lexemes[this.at];
  }
}

/** The atom's text as a token that maps back to the document. */
export function atomToken(atom: Atom): PlainToken {
  return new PlainToken(atom.text, atom.textStart);
}

/** The items of a group, or the item itself: `TCP.LISTEN=(a,1364)` and `TCP.LISTEN=a` read alike. */
export function slotsOf(item: Item | undefined): (Item | undefined)[] {
  if (!item) return [];
  return item.kind === 'group' ? item.slots : [item];
}

export function isAtom(item: Item | undefined): item is Atom {
  return item?.kind === 'atom';
}

/** The key of an assignment in upper case, for the case-insensitive keywords of the language. */
export function keyOf(item: Item | undefined): string | undefined {
  return item?.kind === 'assign' ? item.key.text.toUpperCase() : undefined;
}

/**
 * Every assignment inside `items` whose key passes `test`, at any depth (bounded), in document order: what
 * the readers of SYSOPTS, ALTERNATE.COMMINFO and symbolics look for.
 */
export function findAssignments(
  items: readonly (Item | undefined)[],
  test: (key: string) => boolean,
  depth = 0,
): Assignment[] {
  const found: Assignment[] = [];
  if (depth > MAX_DEPTH) return found;
  for (const item of items) {
    if (!item) continue;
    if (item.kind === 'assign') {
      if (test(item.key.text.toUpperCase())) found.push(item);
      for (const assignment of findAssignments([item.value], test, depth + 1)) found.push(assignment);
    } else if (item.kind === 'group') {
      for (const assignment of findAssignments(item.slots, test, depth + 1)) found.push(assignment);
    }
  }
  return found;
}

/** Where an atom sits: the key of `owner`, or a value inside it (`owner` is the innermost enclosing assignment). */
export interface AtomPlace {
  atom: Atom;
  owner?: Assignment;
  isKey: boolean;
}

/** The atom at `offset` anywhere in `items` (keys included), with the assignment it belongs to, for hovers. */
export function locateAtom(
  items: readonly (Item | undefined)[],
  offset: number,
  owner?: Assignment,
  depth = 0,
): AtomPlace | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const item of items) {
    if (!item || offset < item.span.start || offset > item.span.end) continue;
    if (item.kind === 'atom') return { atom: item, owner, isKey: false };
    if (item.kind === 'group') return locateAtom(item.slots, offset, owner, depth + 1);
    if (offset <= item.key.span.end) return { atom: item.key, owner: item, isKey: true };
    return locateAtom([item.value], offset, item, depth + 1);
  }
  return undefined;
}
