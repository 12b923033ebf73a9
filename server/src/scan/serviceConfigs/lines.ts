import { forEachLine } from '../lines';
import { PlainToken } from '../token';

/** One `key<separator>value` line of a configuration file, the value as a token at its place in the text. */
export interface KeyValueLine {
  key: string;
  value: PlainToken;
  /** The `[section]` the line is in, lower-cased, for INI-style files. */
  section?: string;
}

/**
 * The `key value` or `key = value` lines of a configuration file, skipping `#` and `;` comments, with the
 * section each is in. The value runs to the end of the line, trailing blanks and quotes removed.
 */
export function keyValueLines(text: string, separator: RegExp): KeyValueLine[] {
  const lines: KeyValueLine[] = [];
  let section: string | undefined;
  forEachLine(text, (start, end) => {
    const line = text.slice(start, end);
    const sectionMatch = /^\s*\[([^\]]+)\]/.exec(line);
    if (sectionMatch) {
      section = sectionMatch[1].trim().toLowerCase();
      return;
    }
    const match = separator.exec(line);
    if (!match || /^\s*[#;]/.test(line)) return;
    let value = match[2].replace(/\s+$/, '');
    let valueStart = start + match.index + match[0].length - match[2].length;
    if (/^(["']).*\1$/.test(value)) {
      value = value.slice(1, -1);
      valueStart++;
    }
    lines.push({ key: match[1], value: new PlainToken(value, valueStart), ...(section ? { section } : {}) });
  });
  return lines;
}
