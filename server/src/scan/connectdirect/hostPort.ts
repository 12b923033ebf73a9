import { WHITESPACE } from '../lexing';

/** Where the two halves of a Connect:Direct `host;port` value lie in a text. */
export interface SemicolonHostPort {
  host: string;
  hostFrom: number;
  portFrom: number;
  portTo: number;
}

/**
 * Splits Connect:Direct's `host;port` (`cd.example.com;1364`, `10.0.0.5;ndm-server`, `fd00::5;1364`) found at
 * text[from, to). Connect:Direct writes `;` because `:` delimits netmap fields and IPv6 groups. A trailing `;`
 * (the CLI's command terminator) is not part of the value. Undefined when there is no `;` or no port after it.
 */
export function splitSemicolonHostPort(text: string, from = 0, to = text.length): SemicolonHostPort | undefined {
  let end = to;
  if (end > from && text[end - 1] === ';') end--;
  const semicolon = text.lastIndexOf(';', end - 1);
  if (semicolon < from) return undefined;
  let portFrom = semicolon + 1;
  let portTo = end;
  while (portFrom < portTo && text[portFrom] === ' ') portFrom++;
  while (portTo > portFrom && text[portTo - 1] === ' ') portTo--;
  if (portFrom === portTo) return undefined;
  let hostFrom = from;
  while (hostFrom < semicolon && text[hostFrom] === ' ') hostFrom++;
  return { host: text.slice(hostFrom, semicolon).trim(), hostFrom, portFrom, portTo };
}

/** The comma-separated elements of text[from, to), trimmed, with their offsets: `a;1364, b;1364`. */
export function listItems(text: string, from = 0, to = text.length): { from: number; to: number }[] {
  const items: { from: number; to: number }[] = [];
  let start = from;
  while (start <= to) {
    let end = text.indexOf(',', start);
    if (end < 0 || end > to) end = to;
    let itemFrom = start;
    let itemTo = end;
    while (itemFrom < itemTo && WHITESPACE.has(text, itemFrom)) itemFrom++;
    while (itemTo > itemFrom && WHITESPACE.has(text, itemTo - 1)) itemTo--;
    if (itemTo > itemFrom) items.push({ from: itemFrom, to: itemTo });
    start = end + 1;
  }
  return items;
}
