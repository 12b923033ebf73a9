/**
 * A set of characters, given as a pattern that matches one of them (`/[^\s{}]/`), with its ASCII members in a
 * table. Lexers ask about nearly every character of a file: a table read costs far less than running a pattern,
 * which is kept for the characters beyond ASCII.
 */
export class CharacterSet {
  private readonly ascii = new Uint8Array(128);

  constructor(private readonly pattern: RegExp) {
    for (let code = 0; code < 128; code++) this.ascii[code] = pattern.test(String.fromCharCode(code)) ? 1 : 0;
  }

  /** Whether the character at `at` belongs to the set. */
  has(text: string, at: number): boolean {
    const code = text.charCodeAt(at);
    return code < 128 ? this.ascii[code] === 1 : this.pattern.test(text[at]);
  }

  /** Where the run of members that starts at `from` ends, at most `to`; `from` when there is none. */
  endOfRun(text: string, from: number, to = text.length): number {
    let at = from;
    while (at < to && this.has(text, at)) at++;
    return at;
  }
}

/** Whitespace as `\s` means it; lexers skip it. */
export const WHITESPACE = new CharacterSet(/\s/);
/** Whitespace other than a newline, which ends statements in most of the formats. */
export const BLANKS = new CharacterSet(/[^\S\n]/);

/** `text` as a pattern that matches it literally, for a pattern built from names (programs, functions). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
