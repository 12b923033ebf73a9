import { AddressSet } from '../addressSet';
import { classifyAddress, widest } from '../exposure';
import type { Exposure, Span } from '../mention';
import type { AddressFamily } from '../ruleset/packetMatch';
import { ShortfallLog } from '../shortfalls';
import { WorkBudget } from '../workBudget';
import { type PfStatement, type PfToken, lexPf } from './syntax';

/** `tcp_services = "{ 22, 113 }"`: a macro, used as `$tcp_services`; its value is lexed where it is written. */
export interface Macro {
  name: string;
  span: Span;
  value: PfToken[];
  used: boolean;
}

/** A token of a rule after macros are replaced by their values; `via` names the macro it came from. */
export interface RuleToken extends PfToken {
  via?: Macro;
}

/** The addresses of `table <name> { ... }` as far as the file says; a table loaded from a file is not known. */
interface Table {
  entries: string[];
  fromFile: boolean;
}

const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MACRO_REFERENCE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
/** Macros may name macros: these bound how deep expansion follows them and how long one rule may grow. */
const MAX_DEPTH = 8;
const MAX_RULE_TOKENS = 20000;
/**
 * The words all rules of a file may grow to once macros are expanded: far more than real files use, and in
 * proportion to the file, so that macros used by every rule cannot make a small file cost without end.
 */
const EXPANDED_TOKENS_FIXED = 200_000;
const EXPANDED_TOKENS_PER_CHARACTER = 8;

/** pf accepts abbreviated IPv4 networks (`10/8`, `172.16/12`, `10.8.0/24`): written out, they classify. */
function expandAbbreviated(address: string): string {
  const match = /^(\d{1,3}(?:\.\d{1,3}){0,2})\/(\d{1,2})$/.exec(address);
  if (!match) return address;
  const parts = match[1].split('.');
  while (parts.length < 4) parts.push('0');
  return `${parts.join('.')}/${match[2]}`;
}

/** The macros and tables of a pf.conf, in the order the file declares them. */
export class PfDefinitions {
  readonly macros = new Map<string, Macro>();
  /** Where expansion stopped short (a macro that names itself, a rule too long): reported as scan-incomplete. */
  readonly shortfalls = new ShortfallLog();
  private readonly tables = new Map<string, Table>();
  /** Each macro's value with the macros it names expanded, worked out once however many rules use it. */
  private readonly expanded = new Map<Macro, RuleToken[]>();
  private readonly expanding = new Set<Macro>();
  private readonly budget: WorkBudget;

  constructor(private readonly text: string) {
    this.budget = new WorkBudget(EXPANDED_TOKENS_FIXED + EXPANDED_TOKENS_PER_CHARACTER * text.length);
  }

  /** Reads `name = value` and `table <name> ...`; returns false for any other statement. */
  declare(statement: PfStatement): boolean {
    const [first, second, third] = statement.tokens;
    if (first?.kind === 'word' && MACRO_NAME.test(first.text) && second?.text === '=' && third) {
      // `all_if = "{" $wired $wifi "}"`: the value is its pieces one after the other, quoted text lexed where it
      // is written and macro references expanded where the macro is used (pf.conf(5), "MACROS").
      const value = statement.tokens
        .slice(2)
        .flatMap((piece) => (piece.kind === 'string' ? this.lexString(piece) : [piece]));
      this.macros.set(first.text, { name: first.text, span: statement.span, value, used: false });
      return true;
    }
    if (first?.text === 'table' && second?.kind === 'table') {
      const tokens = statement.tokens.slice(2);
      const fromFile = tokens.some((token) => token.text === 'file');
      const entries = tokens
        .filter((token) => token.kind === 'word' && !/^(persist|const|counters|file)$/.test(token.text))
        .map((token) => token.text);
      this.tables.set(second.text, { entries, fromFile });
      return true;
    }
    return false;
  }

  private lexString(string: PfToken): PfToken[] {
    const start = string.token.span.start;
    return lexPf(this.text, start, start + string.text.length).filter((token) => !token.newline);
  }

  /**
   * Replaces `$name` with the macro's value, keeping where each value token is written. pfctl expands a macro
   * where it is used, so a macro may name one defined after it; one that names itself cannot be expanded.
   */
  expand(statement: PfStatement): RuleToken[] {
    const out: RuleToken[] = [];
    if (!this.budget.exhausted) this.expandInto(statement.tokens, undefined, 0, out, statement.span);
    return out;
  }

  /** Appends the expansion of `tokens`; false when it was cut short (and recorded why). */
  private expandInto(tokens: readonly PfToken[], via: Macro | undefined, depth: number, out: RuleToken[], at: Span) {
    let whole = true;
    for (const token of tokens) {
      if (!this.budget.spend()) {
        this.shortfalls.note('its macros expand to more words than the file can cost', at);
        return false;
      }
      if (out.length >= MAX_RULE_TOKENS) {
        this.shortfalls.note(`a rule grows past ${MAX_RULE_TOKENS} words once its macros are expanded`, at);
        return false;
      }
      const reference = token.kind === 'word' && token.text.startsWith('$') ? MACRO_REFERENCE.exec(token.text) : null;
      const macro = reference ? this.macros.get(reference[1]) : undefined;
      if (!macro) {
        out.push(via ? { kind: token.kind, text: token.text, token: token.token, via } : token);
        continue;
      }
      macro.used = true;
      const value = this.valueOf(macro, depth + 1, at);
      if (!value) {
        whole = false;
        continue;
      }
      const taken = Math.min(value.length, MAX_RULE_TOKENS - out.length);
      this.budget.spend(taken);
      for (let index = 0; index < taken; index++) out.push(value[index]);
    }
    return whole;
  }

  /** A macro's expanded value; undefined when it cannot be expanded (it names itself, or nests too deep). */
  private valueOf(macro: Macro, depth: number, at: Span): RuleToken[] | undefined {
    const known = this.expanded.get(macro);
    if (known) return known;
    if (this.expanding.has(macro)) {
      this.shortfalls.note(`macro $${macro.name} names itself, so it has no value`, at);
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      this.shortfalls.note(`macros name macros more than ${MAX_DEPTH} deep`, at);
      return undefined;
    }
    this.expanding.add(macro);
    const value: RuleToken[] = [];
    const whole = this.expandInto(macro.value, macro, depth, value, at);
    this.expanding.delete(macro);
    // A value cut short by depth or by a cycle reads differently from elsewhere: only a whole one is kept.
    if (whole) this.expanded.set(macro, value);
    return value;
  }

  /**
   * The addresses an address item stands for: `any`, a literal, a table the file fills whole; undefined for
   * interface names, `self`, tables loaded from files or filled at run time, and what else the file does not
   * spell out.
   */
  addressSetOf(address: string, family: AddressFamily): AddressSet | undefined {
    if (address === 'any') return AddressSet.universe(family);
    const table = this.tables.get(address);
    if (!table) return AddressSet.ofNetwork(expandAbbreviated(address));
    // A table loaded from a file, or declared empty for pfctl or a daemon to fill at run time, is not known.
    if (table.fromFile || table.entries.length === 0) return undefined;
    let all = AddressSet.NOTHING;
    for (const entry of table.entries) {
      const one = this.tables.has(entry) ? undefined : AddressSet.ofNetwork(expandAbbreviated(entry));
      if (!one) return undefined;
      all = all.union(one);
    }
    return all;
  }

  /** Who an address lets in: `any`, a literal, a table the file fills; interface names, `self` and the like are unknown. */
  exposureOf(address: string): Exposure {
    if (address === 'any') return 'any';
    const table = this.tables.get(address);
    if (table) {
      const known = table.entries.map((entry) => this.exposureOf(entry));
      return table.fromFile || known.length === 0 ? widest([...known, 'unknown']) : widest(known);
    }
    return classifyAddress(expandAbbreviated(address));
  }
}
