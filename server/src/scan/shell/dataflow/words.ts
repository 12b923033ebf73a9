import type { Node } from 'web-tree-sitter';
import type { Span } from '../../mention';
import { PlainToken, type Segment, SegmentedToken, type Token, type VariableOrigin } from '../../token';
import type { ShellEnvironment, VariableValue } from './environment';

const QUOTE_TYPES = new Set(['"', "'", '$"', "$'"]);
const FIELD_SEPARATORS = /[ \t\n]+/g;

/**
 * Builds the words a command receives from one argument node: quotes removed, variables assigned earlier
 * substituted, every character mapped to where it is written. With `split`, an unquoted expansion is split into
 * several words at blanks, as the shell splits it (`$ipi` holding `iptables -I INPUT` is three words), and
 * `"$@"` or `"${list[@]}"` gives one word per element.
 */
class WordBuilder {
  readonly words: Token[] = [];
  private segments: Segment[] = [];
  private text = '';
  private literal = true;
  /** Whether the current word exists even if empty (`""`), or holds anything at all. */
  private started = false;
  /** Blanks from an unquoted expansion ended the current word: the next text starts a new one. */
  private pendingBreak = false;

  constructor(
    private readonly node: Node,
    private readonly environment: ShellEnvironment,
    private readonly split: boolean,
  ) {}

  build(): Token[] {
    this.visit(this.node, false);
    this.endWord();
    if (!this.split && this.words.length === 0) this.words.push(this.token());
    return this.words;
  }

  private token(): Token {
    return new SegmentedToken(
      this.text,
      { start: this.node.startIndex, end: this.node.endIndex },
      this.segments,
      this.literal,
    );
  }

  private endWord(): void {
    if (this.started) this.words.push(this.token());
    this.segments = [];
    this.text = '';
    this.literal = true;
    this.started = false;
    this.pendingBreak = false;
  }

  /** Adds `text`, written at `doc` or, for a variable's value, substituted at `expansion`. */
  private append(
    text: string,
    doc: number,
    expansion?: Span,
    variable?: VariableOrigin,
    written?: Segment['written'],
  ): void {
    if (this.pendingBreak) this.endWord();
    this.started = true;
    if (!text) return;
    this.segments.push({ offset: this.text.length, length: text.length, doc, expansion, variable, written });
    this.text += text;
  }

  private verbatim(text: string, docStart: number): void {
    this.append(text, docStart);
  }

  private unknown(part: Node): void {
    this.verbatim(part.text, part.startIndex);
    this.literal = false;
  }

  /** A variable's value at an expansion: its characters map to the expansion here, and to where they are written. */
  private substitute(value: Token, expansion: Span, variable: VariableOrigin, splits: boolean): void {
    const piece = (from: number, to: number) => {
      // A value that came through other variables is placed where it is first written, with that one's note.
      const earlier =
        value instanceof SegmentedToken ? value.writtenAt(from) : { written: { token: value, offset: from } };
      const origin = earlier.variable?.note ? { ...variable, note: earlier.variable.note } : variable;
      this.append(value.text.slice(from, to), expansion.start, expansion, origin, earlier.written);
    };
    if (!value.literal) this.literal = false;
    if (!splits) {
      piece(0, value.text.length);
      return;
    }
    let at = 0;
    for (const blank of value.text.matchAll(FIELD_SEPARATORS)) {
      if (blank.index > at) piece(at, blank.index);
      if (this.started) this.pendingBreak = true;
      at = blank.index + blank[0].length;
    }
    if (at < value.text.length) piece(at, value.text.length);
  }

  private visit(part: Node, quoted: boolean): void {
    switch (part.type) {
      case 'word':
      case 'number':
      case 'string_content':
        this.verbatim(part.text, part.startIndex);
        return;
      case 'raw_string':
        this.append(part.text.slice(1, -1), part.startIndex + 1);
        return;
      case 'ansi_c_string':
        this.append(part.text.slice(2, -1), part.startIndex + 2);
        return;
      case 'string':
        this.append('', part.startIndex);
        for (const child of part.children) if (child && !QUOTE_TYPES.has(child.type)) this.visit(child, true);
        return;
      case 'command_name':
      case 'concatenation':
        for (const child of part.children) if (child && !QUOTE_TYPES.has(child.type)) this.visit(child, quoted);
        return;
      case 'simple_expansion':
      case 'expansion':
        this.expand(part, quoted);
        return;
      case 'heredoc_body':
        this.heredocBody(part);
        return;
      default:
        this.unknown(part);
    }
  }

  /**
   * The body of a heredoc as the command reads it: with an unquoted delimiter the shell expands its variables, as in
   * double quotes; the parser gives no children for the body of a quoted one, which is read as written.
   */
  private heredocBody(body: Node): void {
    const text = body.text;
    let at = 0;
    for (const child of body.namedChildren) {
      if (child?.type !== 'simple_expansion' && child?.type !== 'expansion') continue;
      const from = child.startIndex - body.startIndex;
      if (from > at) this.verbatim(text.slice(at, from), body.startIndex + at);
      this.expand(child, true);
      at = child.endIndex - body.startIndex;
    }
    if (at < text.length) this.verbatim(text.slice(at), body.startIndex + at);
  }

  private expand(part: Node, quoted: boolean): void {
    const span = { start: part.startIndex, end: part.endIndex };
    const splits = this.split && !quoted;
    const subscript = part.namedChildren.find((child) => child?.type === 'subscript');
    const nameNode = subscript
      ? subscript.childForFieldName('name')
      : part.namedChildren.find((child) => child?.type === 'variable_name' || child?.type === 'special_variable_name');
    if (!nameNode) return this.unknown(part);
    const name = nameNode.text;
    if (nameNode.type === 'special_variable_name') {
      const parameters = name === '@' || name === '*' ? this.environment.parameters() : undefined;
      if (!parameters || part.namedChildCount !== 1) return this.unknown(part);
      return this.list(parameters, part, name, quoted && name === '*', splits);
    }
    const value = this.environment.get(name);
    if (subscript) {
      const index = subscript.childForFieldName('index')?.text;
      const elements = value ? (value.elements ?? [value.token]) : undefined;
      if (!elements || !value || part.namedChildCount !== 1) return this.unknown(part);
      if (index === '@' || index === '*') {
        const values = elements.map((token) => ({ token, note: value.note }));
        return this.list(values, part, name, quoted && index === '*', splits);
      }
      const element = index !== undefined && /^\d+$/.test(index) ? elements[Number(index)] : undefined;
      if (!element) return this.unknown(part);
      return this.substitute(element, span, origin(name, value), splits);
    }
    if (value && part.namedChildCount === 1) {
      return this.substitute(value.elements?.[0] ?? value.token, span, origin(name, value), splits);
    }
    const fallback = defaultOperand(part);
    if (!fallback) return this.unknown(part);
    if (value) return this.substitute(value.token, span, origin(name, value), splits);
    if (fallback.assigns) {
      this.environment.set(name, { token: shellToken(fallback.node, this.environment), note: `assigned to ${name}` });
    }
    this.visit(fallback.node, quoted);
  }

  /** `"$@"`, `"${list[@]}"`: a word per element; `"$*"`, and any list read as one word, joins them with blanks. */
  private list(
    values: readonly (VariableValue | undefined)[],
    part: Node,
    name: string,
    quotedStar: boolean,
    splits: boolean,
  ): void {
    const span = { start: part.startIndex, end: part.endIndex };
    const joined = quotedStar || !this.split;
    values.forEach((value, index) => {
      if (index > 0) {
        if (joined) this.append(' ', span.start, span);
        else this.pendingBreak = true;
      }
      if (value) this.substitute(value.token, span, origin(name, value), splits);
      else this.unknown(part);
    });
  }
}

function origin(name: string, value: VariableValue): VariableOrigin {
  return { name, definition: value.token.span, note: value.note };
}

/**
 * The default of `${NAME:-default}` or `${NAME-default}`, which is what the script uses when NAME is unset;
 * `${NAME:=default}` also assigns it.
 */
function defaultOperand(expansion: Node): { node: Node; assigns: boolean } | undefined {
  if (expansion.type !== 'expansion') return undefined;
  const operator = expansion.childForFieldName('operator')?.text;
  if (operator !== ':-' && operator !== '-' && operator !== ':=' && operator !== '=') return undefined;
  const operand = expansion.namedChildren.find((child) => child !== null && child.type !== 'variable_name');
  return operand ? { node: operand, assigns: operator.endsWith('=') } : undefined;
}

/**
 * Reads an argument node (`word`, `"string"`, `'raw'`, `a"b"$c` ...) as one word, without splitting: an
 * assignment's value, a redirection's target. Variables assigned earlier are substituted.
 */
export function shellToken(node: Node, environment: ShellEnvironment): Token {
  return new WordBuilder(node, environment, false).build()[0];
}

/** Reads an argument node as the words the command receives: unquoted expansions split, lists spread. */
export function shellWords(node: Node, environment: ShellEnvironment): Token[] {
  // Most arguments are a plain word, which is its own text.
  if (node.type === 'word' || node.type === 'number') return [new PlainToken(node.text, node.startIndex)];
  return new WordBuilder(node, environment, true).build();
}
