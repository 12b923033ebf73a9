import type { Protocol } from '../../catalog/types';
import { MentionCollector } from '../collector';
import { forEachLine } from '../lines';
import type { FormatScanner, ScanContext } from '../format';
import { addPublish, addPublishFields } from '../shell/commands/containers';
import { PlainToken } from '../token';

export const COMPOSE = 'docker-compose';
const TOOL = 'docker compose';

interface Line {
  text: string;
  start: number;
  indent: number;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  forEachLine(text, (start, end) => {
    const line = text.slice(start, end);
    lines.push({ text: line, start, indent: /^ */.exec(line)![0].length });
  });
  return lines;
}

/** A YAML scalar at `from` in `line`, unquoted, as a token at its place; undefined when empty or a comment. */
function scalarAt(line: Line, from: number, to = line.text.length): PlainToken | undefined {
  const written = line.text.slice(from, to);
  let text = written.replace(/\s+#.*$/, '').trim();
  let start = from + written.length - written.trimStart().length;
  if (/^(["']).*\1$/.test(text)) {
    text = text.slice(1, -1);
    start++;
  }
  return text && !text.startsWith('#') ? new PlainToken(text, line.start + start) : undefined;
}

/**
 * docker-compose files a script writes: `ports:` publishes on the host, in the short syntax (`"8080:80"` on every
 * interface, `"127.0.0.1:6379:6379"` on loopback only, `"6379"` on a random host port) and the long one (`target`,
 * `published`, `host_ip`, `protocol`); `expose:` makes a port reachable from the project's other services only,
 * and opens nothing on the host (Compose file reference). Read line by line, as scripts write these files.
 */
export const composeScanner: FormatScanner = {
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(COMPOSE, context.resolveServiceName);
    const lines = linesOf(text);
    for (let index = 0; index < lines.length; index++) {
      const key = /^(\s*)(ports|expose):\s*/.exec(lines[index].text);
      if (!key) continue;
      const read =
        key[2] === 'ports' ? (token: PlainToken) => publish(token, out) : (token: PlainToken) => expose(token, out);
      const owner = lines[index];
      const rest = owner.text.slice(key[0].length);
      if (rest.startsWith('[')) {
        const close = rest.indexOf(']');
        let from = key[0].length + 1;
        for (const item of rest.slice(1, close < 0 ? rest.length : close).split(',')) {
          const token = scalarAt(owner, from, from + item.length);
          if (token) read(token);
          from += item.length + 1;
        }
        continue;
      }
      let at = index + 1;
      while (at < lines.length && (lines[at].indent > owner.indent || !lines[at].text.trim())) {
        const line = lines[at];
        const item = /^(\s*)-\s*/.exec(line.text);
        if (!item) {
          at++;
          continue;
        }
        const field = /^([a-z_]+):\s*/.exec(line.text.slice(item[0].length));
        if (!field) {
          const token = scalarAt(line, item[0].length);
          if (token) read(token);
          at++;
          continue;
        }
        // The long syntax: a mapping that starts on the dash's line and goes on below it, further in.
        const mapping = [{ line, from: item[0].length }];
        for (at++; at < lines.length && lines[at].indent > item[1].length && !/^\s*-/.test(lines[at].text); at++) {
          mapping.push({ line: lines[at], from: lines[at].indent });
        }
        if (key[2] === 'ports') publishLong(mapping, out);
      }
      index = at - 1;
    }
    return out.output;
  },
};

function publish(token: PlainToken, out: MentionCollector): void {
  addPublish({ token, from: 0, to: token.text.length }, out, TOOL);
}

function expose(token: PlainToken, out: MentionCollector): void {
  const slash = token.text.indexOf('/');
  out.addPort(
    token,
    0,
    slash < 0 ? token.text.length : slash,
    {
      protocol: slash < 0 ? 'tcp' : (token.text.slice(slash + 1).toLowerCase() as Protocol),
      role: 'other',
      exposure: 'unknown',
      context: {
        tool: `${TOOL} expose`,
        note: "reachable from the project's other services only; opens nothing on the host",
      },
    },
    { rangeSeparators: '-' },
  );
}

function publishLong(mapping: { line: Line; from: number }[], out: MentionCollector): void {
  const fields = new Map<string, PlainToken>();
  for (const { line, from } of mapping) {
    const field = /^([a-z_]+):\s*/.exec(line.text.slice(from));
    const value = field && scalarAt(line, from + field[0].length);
    if (field && value) fields.set(field[1], value);
  }
  const slice = (token: PlainToken | undefined) => token && { token, from: 0, to: token.text.length };
  addPublishFields(out, TOOL, {
    published: slice(fields.get('published')),
    target: slice(fields.get('target')),
    protocol: (fields.get('protocol')?.text.toLowerCase() as Protocol | undefined) ?? 'tcp',
    hostIp: fields.get('host_ip')?.text,
  });
}
