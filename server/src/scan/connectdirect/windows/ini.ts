import type { Span } from '../../mention';
import { forEachLine } from '../lines';
import type { KeyValue } from '../setting';

/** `key=value` in an INI file, as written; the value is trimmed. */
export interface IniEntry extends KeyValue {
  key: string;
}

/** `[Node:CD.NODE1]`: `kind` is the part before the colon in lower case (`node`), `title` the part after it. */
export interface IniSection {
  kind: string;
  title: string;
  /** The text between the brackets. */
  nameSpan?: Span;
  span: Span;
  entries: IniEntry[];
}

/**
 * Reads the INI files of Connect:Direct for Windows (the netmap export and the cd_srvr.ini response file):
 * `[section]` headers, `key=value` entries, `;` and `#` comment lines, CRLF line ends. Entries before the first
 * header belong to a section without a name.
 */
export function readIni(text: string): IniSection[] {
  let current: IniSection = { kind: '', title: '', span: { start: 0, end: 0 }, entries: [] };
  const sections = [current];
  forEachLine(text, (rawLine, lineStart, first) => {
    const line = rawLine.replace(/\r$/, '');
    if (first < 0 || /[;#]/.test(line[first])) return;
    const header = line[first] === '[' ? /^\[([^\]]*)\]?/.exec(line.slice(first)) : null;
    const lineEnd = lineStart + line.trimEnd().length;
    if (header) {
      const name = header[1];
      const colon = name.indexOf(':');
      const nameStart = lineStart + first + 1;
      current = {
        kind: (colon < 0 ? name : name.slice(0, colon)).trim().toLowerCase(),
        title: colon < 0 ? name.trim() : name.slice(colon + 1).trim(),
        nameSpan: { start: nameStart, end: nameStart + name.length },
        span: { start: lineStart + first, end: lineEnd },
        entries: [],
      };
      sections.push(current);
      return;
    }
    const entry = readEntry(line, first, lineStart);
    if (!entry) return;
    current.entries.push(entry);
    current.span = { start: current.span.start, end: lineEnd };
  });
  return sections;
}

function readEntry(line: string, first: number, lineStart: number): IniEntry | undefined {
  const equals = line.indexOf('=', first);
  if (equals < 0) return undefined;
  const key = line.slice(first, equals).trimEnd();
  const rawValue = line.slice(equals + 1);
  const leading = rawValue.length - rawValue.trimStart().length;
  return {
    key,
    keySpan: { start: lineStart + first, end: lineStart + first + key.length },
    value: rawValue.trim(),
    valueStart: lineStart + equals + 1 + leading,
  };
}

/** The entry `key` of a section, case-insensitively. */
export function entryOf(section: IniSection, key: string): IniEntry | undefined {
  const wanted = key.toLowerCase();
  return section.entries.find((entry) => entry.key.toLowerCase() === wanted);
}
