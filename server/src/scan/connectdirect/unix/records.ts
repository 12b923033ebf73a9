import type { Span } from '../../mention';
import { forEachLine } from '../lines';
import type { KeyValue } from '../setting';

/** One `:key=value:` field of a UNIX configuration record. */
export interface RecordField extends KeyValue {
  /** Lower case: record and parameter names are not case-sensitive (values are). */
  key: string;
}

/** `name:\` and its fields, up to the next record. A fragment without a name line has `name` undefined. */
export interface UnixRecord {
  name?: string;
  nameSpan?: Span;
  fields: RecordField[];
  span: Span;
}

/** A field start: `:key=` (keys are dotted words such as `tcp.api.bufsize`, `sess.pnode.max`). */
const FIELD_START = /:([A-Za-z][\w.+-]*)=/g;

/**
 * Reads the records of a UNIX configuration file (netmap.cfg, initparm.cfg, ndmapi.cfg, userfile.cfg): a
 * record starts with its name in column 1 (`local.node:\`), its fields follow as `:key=value:` on lines joined
 * by `\`. `#` starts a comment only in column 1. Lone fields (what `sed` writes into these files) form a record
 * without a name. Tolerant of the damage seen in generated files (`:/\` at line ends, missing `\`).
 */
export function readRecords(text: string): UnixRecord[] {
  const records: UnixRecord[] = [];
  let current: UnixRecord | undefined;
  forEachLine(text, (line, lineStart, first) => {
    if (first < 0 || line[0] === '#') return;
    const lineEnd = lineStart + line.length;
    let fieldsFrom = first;
    if (first === 0 && line[0] !== ':') {
      const nameEnd = line.indexOf(':') < 0 ? line.search(/\s|\\|$/) : line.indexOf(':');
      current = {
        name: line.slice(0, nameEnd).trim(),
        nameSpan: { start: lineStart, end: lineStart + nameEnd },
        fields: [],
        span: { start: lineStart, end: lineEnd },
      };
      records.push(current);
      fieldsFrom = nameEnd;
    } else if (!current) {
      current = { fields: [], span: { start: lineStart + first, end: lineEnd } };
      records.push(current);
    }
    const fields = readFields(line, fieldsFrom, lineStart);
    for (const field of fields) current.fields.push(field);
    if (fields.length > 0 || current.name !== undefined)
      current.span = { start: current.span.start, end: lineStart + line.trimEnd().length };
  });
  return records;
}

/**
 * The `:key=value:` fields of one line. A value runs to the next field's `:`; the last one to the line's last
 * `:`, which drops what damaged lines carry after it (`\`, `/\`) and keeps IPv6 colons (`fd00::5;1364`).
 */
function readFields(line: string, from: number, lineStart: number): RecordField[] {
  const starts: { key: string; keyFrom: number; valueFrom: number }[] = [];
  FIELD_START.lastIndex = from;
  for (let match = FIELD_START.exec(line); match; match = FIELD_START.exec(line)) {
    starts.push({ key: match[1], keyFrom: match.index + 1, valueFrom: match.index + match[0].length });
  }
  return starts.map((start, index) => {
    const isLast = index + 1 === starts.length;
    const lastColon = isLast ? line.lastIndexOf(':') : -1;
    let valueEnd = !isLast ? starts[index + 1].keyFrom - 1 : lastColon >= start.valueFrom ? lastColon : line.length;
    while (valueEnd > start.valueFrom && /[\s\\]/.test(line[valueEnd - 1])) valueEnd--;
    return {
      key: start.key.toLowerCase(),
      keySpan: { start: lineStart + start.keyFrom, end: lineStart + start.keyFrom + start.key.length },
      value: line.slice(start.valueFrom, valueEnd),
      valueStart: lineStart + start.valueFrom,
    };
  });
}

export function fieldOf(record: UnixRecord, key: string): RecordField | undefined {
  return record.fields.find((field) => field.key === key);
}
