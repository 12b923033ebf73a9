/** A stretch of a sed script that is text the edit writes into the file. */
export interface SedText {
  from: number;
  to: number;
}

/**
 * The text a sed script writes: the replacement of each `s/pattern/replacement/flags` command (any delimiter)
 * and the text of `a`, `i` and `c` commands. What the edited file will hold is in there, such as
 * `s/^#Port 22/Port 2222/` or `s/^ :tcp.api=.*:/ :tcp.api=0.0.0.0;1363:/`.
 */
export function sedReplacements(script: string): SedText[] {
  const texts: SedText[] = [];
  let at = 0;
  while (at < script.length) {
    const char = script[at];
    const startsCommand = at === 0 || /[\s;{}!/0-9$]/.test(script[at - 1]);
    if (char === 's' && startsCommand && at + 1 < script.length && /[^\w\s\\]/.test(script[at + 1])) {
      const delimiter = script[at + 1];
      const patternEnd = skipTo(script, at + 2, delimiter);
      const replacementEnd = skipTo(script, patternEnd + 1, delimiter);
      if (replacementEnd > script.length) break;
      texts.push({ from: patternEnd + 1, to: Math.min(replacementEnd, script.length) });
      at = replacementEnd + 1;
      continue;
    }
    if (
      (char === 'a' || char === 'i' || char === 'c') &&
      startsCommand &&
      /^[\\ ]/.test(script.slice(at + 1, at + 2))
    ) {
      let from = at + 1;
      while (from < script.length && (script[from] === '\\' || script[from] === ' ')) from++;
      const lineEnd = script.indexOf('\n', from);
      const to = lineEnd < 0 ? script.length : lineEnd;
      texts.push({ from, to });
      at = to;
      continue;
    }
    at++;
  }
  return texts;
}

/** Index of the next unescaped `delimiter` from `from`, or past the end. */
function skipTo(script: string, from: number, delimiter: string): number {
  for (let at = from; at < script.length; at++) {
    if (script[at] === '\\') at++;
    else if (script[at] === delimiter) return at;
  }
  return script.length + 1;
}
