import type { Node } from 'web-tree-sitter';
import type { Span } from '../mention';
import { type Segment, SegmentedToken, type Token, type VariableOrigin } from '../token';

/** A shell variable's value as far as the script shows it, and where that value is written. */
export interface VariableValue {
  text: string;
  definition: Span;
}

/** Variables assigned so far in the script, in document order; the last literal assignment wins. */
export class ShellEnvironment {
  private readonly values = new Map<string, VariableValue>();

  get(name: string): VariableValue | undefined {
    return this.values.get(name);
  }

  set(name: string, value: VariableValue | undefined): void {
    if (value) this.values.set(name, value);
    else this.values.delete(name);
  }
}

const QUOTE_TYPES = new Set(['"', "'", '$"', "$'"]);

/**
 * Reads an argument node (`word`, `"string"`, `'raw'`, `a"b"$c` ...) as the text the command receives.
 * Variables assigned earlier in the script are substituted, and every character keeps its place in the document.
 */
export function shellToken(node: Node, environment: ShellEnvironment): Token {
  const segments: Segment[] = [];
  let text = '';
  let literal = true;

  const verbatim = (value: string, docStart: number) => {
    if (!value) return;
    segments.push({ offset: text.length, length: value.length, doc: docStart });
    text += value;
  };
  const substituted = (value: VariableValue, expansion: Span, variable: VariableOrigin) => {
    if (!value.text) return;
    segments.push({ offset: text.length, length: value.text.length, doc: expansion.start, expansion, variable });
    text += value.text;
  };
  const unknown = (part: Node) => {
    literal = false;
    verbatim(part.text, part.startIndex);
  };

  const visit = (part: Node): void => {
    switch (part.type) {
      case 'word':
      case 'number':
      case 'string_content':
        verbatim(part.text, part.startIndex);
        return;
      case 'raw_string':
        verbatim(part.text.slice(1, -1), part.startIndex + 1);
        return;
      case 'ansi_c_string':
        verbatim(part.text.slice(2, -1), part.startIndex + 2);
        return;
      case 'command_name':
      case 'string':
      case 'concatenation':
        for (const child of part.children) {
          if (child && !QUOTE_TYPES.has(child.type)) visit(child);
        }
        return;
      case 'simple_expansion':
      case 'expansion':
        expand(part);
        return;
      default:
        unknown(part);
    }
  };

  const expand = (part: Node): void => {
    const nameNode = part.namedChildren.find((child) => child?.type === 'variable_name');
    const value = nameNode ? environment.get(nameNode.text) : undefined;
    const span = { start: part.startIndex, end: part.endIndex };
    if (nameNode && value && isPlainReference(part)) {
      substituted(value, span, { name: nameNode.text, definition: value.definition });
      return;
    }
    const fallback = defaultOperand(part);
    if (nameNode && fallback) {
      if (value) substituted(value, span, { name: nameNode.text, definition: value.definition });
      else visit(fallback);
      return;
    }
    unknown(part);
  };

  visit(node);
  return new SegmentedToken(text, { start: node.startIndex, end: node.endIndex }, segments, literal);
}

/** `$NAME` or `${NAME}`, with no operator that would change the value. */
function isPlainReference(expansion: Node): boolean {
  return expansion.type === 'simple_expansion' || expansion.namedChildCount === 1;
}

/** The default of `${NAME:-default}` or `${NAME-default}`, which is what the script uses when NAME is unset. */
function defaultOperand(expansion: Node): Node | undefined {
  if (expansion.type !== 'expansion') return undefined;
  const operator = expansion.childForFieldName('operator');
  if (!operator || (operator.text !== ':-' && operator.text !== '-')) return undefined;
  const operand = expansion.namedChildren.find((child) => child !== null && child.type !== 'variable_name');
  return operand ?? undefined;
}
