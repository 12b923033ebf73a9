import type { Span } from '../mention';
import { PlainToken } from '../token';

/** A `key=value` setting of a line-based file (UNIX records, Windows INI), with where its parts are written. */
export interface KeyValue {
  keySpan: Span;
  value: string;
  valueStart: number;
}

/** The value as a token that maps back to the document. */
export function valueToken(setting: KeyValue): PlainToken {
  return new PlainToken(setting.value, setting.valueStart);
}

/** The whole setting as written, `key=value`, for the signals that name a setting. */
export function settingToken(text: string, setting: KeyValue): PlainToken {
  return new PlainToken(
    text.slice(setting.keySpan.start, setting.valueStart + setting.value.length),
    setting.keySpan.start,
  );
}
