/** A `host:port` pair inside a larger text, with the offsets of both parts. */
export interface HostPort {
  host: string;
  hostFrom: number;
  port: string;
  portFrom: number;
  portTo: number;
}

/**
 * Splits `host:port`, `[v6]:port` or `:port` found at text[from, to). IPv6 hosts must be bracketed,
 * since `fe80::1` is otherwise ambiguous; undefined when there is no port after the last colon.
 */
export function splitHostPort(text: string, from = 0, to = text.length): HostPort | undefined {
  const colon = text.lastIndexOf(':', to - 1);
  if (colon < from) return undefined;
  const host = text.slice(from, colon);
  if (host.includes(':') && !(host.startsWith('[') && host.endsWith(']'))) return undefined;
  const port = text.slice(colon + 1, to);
  if (!/^\d{1,5}$/.test(port)) return undefined;
  return { host: host.replace(/^\[|\]$/g, ''), hostFrom: from, port, portFrom: colon + 1, portTo: to };
}

/**
 * Splits a colon-separated mapping such as docker's `127.0.0.1:8080:80` or ssh's `[::1]:8080:db:5432`
 * into its fields, keeping bracketed IPv6 addresses whole. Each field carries its offsets.
 */
export function splitColonFields(
  text: string,
  from = 0,
  to = text.length,
): { text: string; from: number; to: number }[] {
  const fields: { text: string; from: number; to: number }[] = [];
  let start = from;
  let inBrackets = false;
  for (let at = from; at <= to; at++) {
    const char = at < to ? text[at] : ':';
    if (char === '[') inBrackets = true;
    else if (char === ']') inBrackets = false;
    else if (char === ':' && !inBrackets) {
      fields.push({ text: text.slice(start, at), from: start, to: at });
      start = at + 1;
    }
  }
  return fields;
}
