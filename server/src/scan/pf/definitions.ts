import { classifyAddress, widest } from '../exposure';
import type { Exposure, Span } from '../mention';
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
/** Macros may name macros; these bound how deep expansion follows them and how long a rule may grow. */
const MAX_DEPTH = 8;
const MAX_RULE_TOKENS = 20000;

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
  private readonly tables = new Map<string, Table>();

  constructor(private readonly text: string) {}

  /** Reads `name = value` and `table <name> ...`; returns false for any other statement. */
  declare(statement: PfStatement): boolean {
    const [first, second, third] = statement.tokens;
    if (first?.kind === 'word' && MACRO_NAME.test(first.text) && second?.text === '=' && third) {
      const value = third.kind === 'string' ? this.lexString(third) : statement.tokens.slice(2);
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

  /** Replaces `$name` with the macro's value, keeping where each value token is written. */
  expand(tokens: readonly PfToken[], depth = 0, via?: Macro, out: RuleToken[] = []): RuleToken[] {
    for (const token of tokens) {
      if (out.length >= MAX_RULE_TOKENS) break;
      const reference = token.kind === 'word' && token.text.startsWith('$') ? MACRO_REFERENCE.exec(token.text) : null;
      const macro = reference ? this.macros.get(reference[1]) : undefined;
      if (macro && depth < MAX_DEPTH) {
        macro.used = true;
        this.expand(macro.value, depth + 1, macro, out);
      } else {
        out.push(via ? { kind: token.kind, text: token.text, token: token.token, via } : token);
      }
    }
    return out;
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
