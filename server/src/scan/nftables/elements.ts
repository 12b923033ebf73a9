import type { Span } from '../mention';
import { ShortfallLog } from '../shortfalls';
import type { Define, NamedSet, Ruleset } from './ruleset';
import { type Item, type Word, isWord, splitAtCommas } from './syntax';

/** The define or named set an element was written in, when a rule reaches it through `$name` or `@name`. */
export interface Via {
  kind: 'define' | 'set';
  name: string;
  span: Span;
  /** For a define: the word that names it, which the hover shows as the variable. */
  nameWord?: Word;
}

/** One element of a set or map: `22`, `tcp . 22 : accept`, `10.0.0.1 . 22`, with the components of its key. */
export interface Element {
  /** The key's components (split at `.`); each keeps its annotations (`22 timeout 1h`) after the first item. */
  components: Item[][];
  /** What follows `:` in a map element. */
  value: Item[];
  via?: Via;
}

/**
 * Defines and sets may refer to each other; these bound how deep a lookup follows them and what it yields. The
 * kernel's sets hold at most 65,536 elements by default (nft(8), "size"), so a longer value is no real ruleset.
 */
const MAX_DEPTH = 8;
const MAX_ELEMENTS = 65536;

/**
 * Turns the value a rule or a define writes (a literal, `$name`, `@name`, `{ ... }`) into its elements,
 * following defines and named sets declared in the same text and marking them used.
 */
export class ElementResolver {
  /** Each define and set is expanded once, however many rules use it. */
  private readonly expanded = new Map<string, Element[]>();
  /** Where a value could not be read whole (a cycle, nesting too deep, too many elements): scan-incomplete. */
  readonly shortfalls = new ShortfallLog();

  constructor(private readonly ruleset: Ruleset) {}

  /** `scope` is the `family/table` whose named sets `@name` refers to. */
  elements(item: Item, scope: string, depth = 0, via?: Via): Element[] {
    if (depth > MAX_DEPTH) {
      this.stop(item, `defines and sets nest more than ${MAX_DEPTH} deep`);
      return [];
    }
    if (item.kind !== 'group') return this.elementOf([item], scope, depth, via);
    const elements: Element[] = [];
    for (const part of splitAtCommas(item.items)) {
      // Appended one by one: spreading a long list into push() overflows the stack.
      for (const element of this.elementOf(part, scope, depth, via)) {
        if (elements.length === MAX_ELEMENTS) {
          this.stop(item, `a value has more than ${MAX_ELEMENTS} elements`);
          return elements;
        }
        elements.push(element);
      }
    }
    return elements;
  }

  /** The first item of each element's first component, following `$name` inside elements: a flat list of values. */
  values(item: Item, scope: string): { item: Item; via?: Via }[] {
    return this.elements(item, scope).flatMap((element) =>
      element.components.length > 0 ? [{ item: element.components[0][0], via: element.via }] : [],
    );
  }

  define(name: string): Define | undefined {
    return this.ruleset.defines.get(name);
  }

  set(scope: string, name: string): NamedSet | undefined {
    return this.ruleset.sets.get(`${scope}/${name}`);
  }

  private elementOf(items: Item[], scope: string, depth: number, via: Via | undefined): Element[] {
    const [first] = items;
    if (items.length === 1 && isWord(first) && !first.quoted) {
      const found = first.text.startsWith('$')
        ? this.fromDefine(first, scope, depth)
        : first.text.startsWith('@')
          ? this.fromSet(first, scope, depth)
          : undefined;
      // A name declared elsewhere (an included file) stays as written, so that readers know it is unresolved.
      if (found) return found;
    }
    if (items.length === 1 && first.kind === 'group') return this.elements(first, scope, depth + 1, via);
    return [splitElement(items, via)];
  }

  private fromDefine(first: Word, scope: string, depth: number): Element[] | undefined {
    const name = first.text.slice(1);
    const define = this.ruleset.defines.get(name);
    if (!define) return undefined;
    define.used = true;
    return this.expand(`$${name}/${scope}`, first, () => {
      const via: Via = { kind: 'define', name, span: define.span, nameWord: define.nameWord };
      if (define.value.length === 1) return this.elements(define.value[0], scope, depth + 1, via);
      return define.value.length === 0 ? [] : [splitElement(define.value, via)];
    });
  }

  private fromSet(first: Word, scope: string, depth: number): Element[] | undefined {
    const name = first.text.slice(1);
    const set = this.set(scope, name);
    if (!set) return undefined;
    set.used = true;
    return this.expand(`@${name}/${scope}`, first, () => {
      const via: Via = { kind: 'set', name, span: set.span };
      return set.elements.flatMap((group) => this.elements(group, scope, depth + 1, via));
    });
  }

  /** A cycle (`define a = $a`, which nft rejects) expands to nothing. */
  private expand(key: string, at: Item, compute: () => Element[]): Element[] {
    const known = this.expanded.get(key);
    if (known === CYCLE) this.stop(at, `${key.split('/')[0]} refers to itself`);
    if (known) return known;
    this.expanded.set(key, CYCLE);
    const elements = compute();
    this.expanded.set(key, elements);
    return elements;
  }

  private stop(at: Item, reason: string): void {
    this.shortfalls.note(reason, at.kind === 'word' ? at.token.span : at.span);
  }
}

/** What a define or set expands to while it is being expanded: met again, it is a cycle. */
const CYCLE: Element[] = [];

/** Splits `tcp . 22 : accept` into key components and value; `:` may also close a word (`22:`), which the lexer splits. */
export function splitElement(items: readonly Item[], via?: Via): Element {
  const colon = items.findIndex((item) => isWord(item, ':'));
  const key = colon >= 0 ? items.slice(0, colon) : items;
  const components: Item[][] = [[]];
  for (const item of key) {
    if (isWord(item, '.')) components.push([]);
    else components[components.length - 1].push(item);
  }
  return {
    components: components.filter((component) => component.length > 0),
    value: colon >= 0 ? items.slice(colon + 1) : [],
    via,
  };
}
