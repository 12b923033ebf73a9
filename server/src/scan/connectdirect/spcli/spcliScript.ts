import type { Span } from '../../mention';
import { forEachLine } from '../lines';
import type { KeyValue } from '../setting';

/** `key=value` in an spcli command; `items` holds the elements of a `(a,b)` list value with their offsets. */
export interface SpcliSetting extends KeyValue {
  key: string;
  items: { text: string; start: number }[];
}

/** One command (`update localnode ...;`), which may run over several lines until its `;`. */
export interface SpcliCommand {
  /** The first two words in lower case: `update localnode`, `import keycert`. */
  name: string;
  nameSpan: Span;
  settings: SpcliSetting[];
  span: Span;
}

const SETTING = /(?<![\w.])([A-Za-z][\w.]*)[ \t]*=[ \t]*("[^"\n]*"?|\([^)\n]*\)?|[^\s;]*)/g;
const COMMAND_VERB = /^(import|update|display|validate|sync|create|delete|remove|help|quit)\b/i;

/**
 * Reads a Secure+ spcli script: commands end with `;`, a line that starts with `;` is a comment, and
 * parameters are `key=value`, `key="text"` or `key=(a,b)`. A line that starts with a verb starts a new command.
 */
export function readSpcliScript(text: string): SpcliCommand[] {
  const commands: SpcliCommand[] = [];
  let current: SpcliCommand | undefined;
  forEachLine(text, (line, lineStart, first) => {
    if (first < 0 || line[first] === ';') return;
    if (COMMAND_VERB.test(line.slice(first))) {
      const words = /^[A-Za-z]+([ \t]+[A-Za-z]\w*)?/.exec(line.slice(first))![0];
      const nameSpan = { start: lineStart + first, end: lineStart + first + words.length };
      current = {
        name: words.toLowerCase().replace(/[ \t]+/, ' '),
        nameSpan,
        settings: [],
        span: { start: nameSpan.start, end: lineStart + line.length },
      };
      commands.push(current);
    }
    if (!current) return;
    for (const setting of readSettings(line, lineStart)) current.settings.push(setting);
    current.span = { start: current.span.start, end: lineStart + line.trimEnd().length };
    if (/;\s*$/.test(line)) current = undefined;
  });
  return commands;
}

function readSettings(line: string, lineStart: number): SpcliSetting[] {
  const settings: SpcliSetting[] = [];
  for (const match of line.matchAll(SETTING)) {
    const rawValue = match[2];
    const valueFrom = match.index + match[0].length - rawValue.length;
    const unwrapped = /^["(]/.test(rawValue) ? rawValue.slice(1).replace(/[")]$/, '') : rawValue;
    const valueStart = lineStart + valueFrom + (unwrapped === rawValue ? 0 : 1);
    settings.push({
      key: match[1].toLowerCase(),
      keySpan: { start: lineStart + match.index, end: lineStart + match.index + match[1].length },
      value: unwrapped,
      valueStart,
      items: rawValue.startsWith('(') ? listOf(unwrapped, valueStart) : [{ text: unwrapped, start: valueStart }],
    });
  }
  return settings;
}

function listOf(value: string, start: number): { text: string; start: number }[] {
  const items: { text: string; start: number }[] = [];
  for (const match of value.matchAll(/[^,\s]+/g)) items.push({ text: match[0], start: start + match.index });
  return items;
}
