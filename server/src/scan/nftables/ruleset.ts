import type { Span } from '../mention';
import { type Group, type Item, type Statement, type Word, isWord } from './syntax';

export const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

/** `define tcp_ports = { ssh, https }`: a name for a value, used as `$tcp_ports`. */
export interface Define {
  name: string;
  nameWord: Word;
  value: Item[];
  span: Span;
  used: boolean;
}

/** `set allowed { type inet_service; elements = { 22, 443 } }`, or a map; elements may come from `add element`. */
export interface NamedSet {
  name: string;
  /** The words after `type` or `typeof`, which tell what the elements are when no rule uses the set. */
  type: Item[];
  typeof: boolean;
  elements: Group[];
  span: Span;
  used: boolean;
}

export interface Chain {
  key: string;
  table: string;
  name: string;
  /** A base chain's `type filter hook input priority 0`: its type (filter, nat, route), its hook, and where it is written. */
  base?: { type: string; hook: string; span: Span };
  policy?: { text: string; span: Span };
  /** The rules in the order the kernel tries them; `ruleset.rules` keeps the order they are written in. */
  rules: Rule[];
}

export interface Rule {
  items: Item[];
  span: Span;
  chain: Chain;
  /** `family/table`, where the rule's `@set` names are looked up. */
  scope: string;
}

/** Everything an nftables text declares, in the order rules need it. */
export interface Ruleset {
  defines: Map<string, Define>;
  /** Keyed `family/table/name`. */
  sets: Map<string, NamedSet>;
  /** Keyed `family/table/name`. */
  chains: Map<string, Chain>;
  rules: Rule[];
}

const WORDS_AFTER_VERB = new Set(['rule', 'chain', 'set', 'map', 'element', 'table']);

/** Reads `[family] table name...` at items[at]: the family (ip when left out), the table and what follows. */
function qualifiedName(
  items: readonly Item[],
  at: number,
  names: number,
): { family: string; table: string; rest: string[]; next: number } | undefined {
  const words: string[] = [];
  for (let index = at; index < items.length && words.length < names + 1; index++) {
    const item = items[index];
    if (item.kind !== 'word') break;
    words.push(item.text);
  }
  const hasFamily = words.length > names && FAMILIES.has(words[0]);
  const family = hasFamily ? words[0] : 'ip';
  const parts = hasFamily ? words.slice(1, names + 1) : words.slice(0, names);
  if (parts.length < names) return undefined;
  return { family, table: parts[0], rest: parts.slice(1), next: at + parts.length + (hasFamily ? 1 : 0) };
}

/** Where a chain or set written without its table is filed: inet takes both address families. */
const INCLUDED_FAMILY = 'inet';
const INCLUDED_TABLE = '(included)';

class RulesetReader {
  readonly ruleset: Ruleset = { defines: new Map(), sets: new Map(), chains: new Map(), rules: [] };
  /** Rules `insert rule` put first, by chain, in the order written: the last one ends up first. */
  private readonly inserted = new Map<Chain, Rule[]>();

  topLevel(statements: readonly Statement[]): void {
    for (const statement of statements) {
      const [first, second] = statement.items;
      if (!isWord(first)) continue;
      if (first.text === 'define' || first.text === 'redefine') this.define(statement);
      else if (first.text === 'table' && statement.body) this.table(statement, 1);
      // A chain or set written without its table is a snippet that a table elsewhere includes.
      else if (statement.body && /^(chain|set|map)$/.test(first.text))
        this.tableObject(statement, INCLUDED_FAMILY, INCLUDED_TABLE);
      else if (isWord(second) && WORDS_AFTER_VERB.has(second.text) && /^(add|create|insert|replace)$/.test(first.text))
        this.command(statement, second.text, first.text === 'insert');
      else if (first.text === 'flush' && isWord(second)) this.flush(statement, second.text);
    }
    for (const [chain, rules] of this.inserted) chain.rules = [...rules.reverse(), ...chain.rules];
    this.inserted.clear();
  }

  private define(statement: Statement): void {
    const [, name, equals, ...value] = statement.items;
    if (!isWord(name) || !isWord(equals, '=')) return;
    this.ruleset.defines.set(name.text, { name: name.text, nameWord: name, value, span: statement.span, used: false });
  }

  private table(statement: Statement, at: number): void {
    const name = qualifiedName(statement.items, at, 1);
    if (!name || !statement.body) return;
    for (const inner of statement.body) this.tableObject(inner, name.family, name.table);
  }

  /** A `chain NAME { ... }`, `set NAME { ... }` or `map NAME { ... }` of a table. */
  private tableObject(inner: Statement, family: string, table: string): void {
    const [kind, objectName] = inner.items;
    if (!isWord(kind) || !inner.body || !isWord(objectName)) return;
    if (kind.text === 'chain') this.chainBody(this.chain(family, table, objectName.text), inner.body);
    else if (kind.text === 'set' || kind.text === 'map')
      this.setBody(this.set(family, table, objectName.text, inner.span), inner.body);
  }

  /**
   * `flush ruleset` empties every table and `flush chain [family] table name` one chain (nft(8), "RULESET",
   * "CHAINS"): the rules before it no longer decide anything, though they stay in the text.
   */
  private flush(statement: Statement, object: string): void {
    if (object === 'ruleset') {
      for (const chain of this.ruleset.chains.values()) chain.rules = [];
      this.inserted.clear();
      return;
    }
    const name = qualifiedName(statement.items, 2, object === 'chain' ? 2 : 1);
    if (!name || (object !== 'chain' && object !== 'table')) return;
    const prefix =
      object === 'chain' ? `${name.family}/${name.table}/${name.rest[0]}` : `${name.family}/${name.table}/`;
    for (const [key, chain] of this.ruleset.chains) {
      if (object === 'chain' ? key !== prefix : !key.startsWith(prefix)) continue;
      chain.rules = [];
      this.inserted.delete(chain);
    }
  }

  /**
   * `add rule ...`, `add chain ... { ... }`, `add set ... { ... }`, `add element ... { ... }`; `insert rule` puts
   * the rule first in its chain (nft(8), "RULES").
   */
  private command(statement: Statement, object: string, inserts = false): void {
    const items = statement.items;
    if (object === 'table') {
      if (statement.body) this.table(statement, 2);
      return;
    }
    const name = qualifiedName(items, 2, 2);
    if (!name) return;
    const [objectName] = name.rest;
    if (object === 'rule') {
      let at = name.next;
      while (isWord(items[at]) && /^(handle|position|index)$/.test((items[at] as Word).text)) at += 2;
      this.rule(this.chain(name.family, name.table, objectName), items.slice(at), statement.span, inserts);
    } else if (object === 'chain') {
      this.chainBody(this.chain(name.family, name.table, objectName), statement.body ?? []);
    } else if (object === 'set' || object === 'map') {
      this.setBody(this.set(name.family, name.table, objectName, statement.span), statement.body ?? []);
    } else {
      const elements = items[name.next];
      if (elements?.kind === 'group')
        this.set(name.family, name.table, objectName, statement.span).elements.push(elements);
    }
  }

  private chain(family: string, table: string, name: string): Chain {
    const key = `${family}/${table}/${name}`;
    let chain = this.ruleset.chains.get(key);
    if (!chain) {
      chain = { key, table, name, rules: [] };
      this.ruleset.chains.set(key, chain);
    }
    return chain;
  }

  private set(family: string, table: string, name: string, span: Span): NamedSet {
    const key = `${family}/${table}/${name}`;
    let set = this.ruleset.sets.get(key);
    if (!set) {
      set = { name, type: [], typeof: false, elements: [], span, used: false };
      this.ruleset.sets.set(key, set);
    }
    return set;
  }

  /** `type filter hook input priority 0;`, `policy drop;` and the rules of a chain. */
  private chainBody(chain: Chain, statements: readonly Statement[]): void {
    for (const statement of statements) {
      const [first, second] = statement.items;
      if (isWord(first, 'type')) {
        const hook = statement.items.findIndex((item) => isWord(item, 'hook'));
        const hookName = statement.items[hook + 1];
        if (hook >= 0 && isWord(hookName))
          chain.base = { type: isWord(second) ? second.text : '', hook: hookName.text, span: statement.span };
      } else if (isWord(first, 'policy') && isWord(second)) {
        chain.policy = { text: second.text, span: statement.span };
      } else if (!isWord(first, 'comment') && !isWord(first, 'devices') && !isWord(first, 'device')) {
        this.rule(chain, statement.items, statement.span);
      }
    }
  }

  private rule(chain: Chain, items: Item[], span: Span, first = false): void {
    if (items.length === 0) return;
    const scope = chain.key.slice(0, chain.key.lastIndexOf('/'));
    const rule: Rule = { items, span, chain, scope };
    if (!first) chain.rules.push(rule);
    else {
      const inserted = this.inserted.get(chain);
      if (inserted) inserted.push(rule);
      else this.inserted.set(chain, [rule]);
    }
    this.ruleset.rules.push(rule);
  }

  /** `type ipv4_addr . inet_service`, `typeof tcp dport`, `elements = { ... }` of a set or map. */
  private setBody(set: NamedSet, statements: readonly Statement[]): void {
    for (const statement of statements) {
      const [first, second, third] = statement.items;
      if (isWord(first, 'type') || isWord(first, 'typeof')) {
        set.type = statement.items.slice(1);
        set.typeof = first.text === 'typeof';
      } else if (isWord(first, 'elements') && isWord(second, '=') && third?.kind === 'group') {
        set.elements.push(third);
      }
    }
  }
}

/** Collects the defines, sets, chains and rules of nftables statements. */
export function readRuleset(statements: readonly Statement[]): Ruleset {
  const reader = new RulesetReader();
  reader.topLevel(statements);
  return reader.ruleset;
}
