import type { Protocol } from '../../../catalog/types';
import type { MentionCollector } from '../../collector';
import { splitColonFields } from '../../hostPort';
import type { Token } from '../../token';
import type { CommandHandler } from '../command';
import { optionValues, positionals, readArguments, sliceText, type TokenSlice } from '../options';

/**
 * Programs that look at ports rather than open them: scanners and socket queries. What they name is reached from
 * here (a scan is outbound) or only asked about; neither opens anything on this host.
 */

/** `nmap -p 22,80,1000-2000`, `-p T:1363,U:161`, `-p-`: each port or range the scan probes. */
const nmap: CommandHandler = (command, out) => {
  const items = readArguments(command.args, {
    short: 'piIoOsDeSgT',
    long: ['--top-ports', '--exclude-ports', '--source-port', '--script', '--exclude'],
  });
  const peer = positionals(items).map(sliceText)[0];
  // `-sU` asks for a UDP scan; `T:`, `U:` and `S:` in the list choose the protocol from there on.
  const udpScan = optionValues(items, '-s').some((value) => sliceText(value).includes('U'));
  for (const value of optionValues(items, '-p')) {
    let protocol: Protocol = udpScan ? 'udp' : 'tcp';
    let from = value.from;
    for (const item of sliceText(value).split(',')) {
      const to = from + item.length;
      const prefixed = /^([TUS]):/.exec(item);
      if (prefixed) protocol = prefixed[1] === 'U' ? 'udp' : prefixed[1] === 'S' ? 'sctp' : 'tcp';
      const start = from + (prefixed ? 2 : 0);
      out.addPort(
        value.token,
        start,
        to,
        {
          protocol,
          role: 'connect',
          exposure: 'unknown',
          context: { tool: 'nmap', direction: 'outbound', ...(peer ? { peer } : {}), note: 'probed by a port scan' },
        },
        { rangeSeparators: '-' },
      );
      from = to + 1;
    }
  }
};

/** `sport = :1363`, `dport == :ssh`, `( dport = :22 or sport = :22 )`: the ports an ss filter asks about. */
const SS_FILTER = /\b([sd]port)\s*(?:=|==|eq|!=|ne|>=|<=|gt|lt|ge|le|>|<)\s*:([A-Za-z0-9-]+)/g;

/** `ss -ltn 'sport = :1363'`: the filter names ports to look for; it opens none. */
const ss: CommandHandler = (command, out) => {
  const protocol: Protocol = command.args.some((arg) => /^-[a-zA-Z]*u/.test(arg.text)) ? 'udp' : 'tcp';
  for (const arg of command.args) {
    if (arg.text.startsWith('-')) continue;
    addQueried(arg, 0, arg.text.length, out, protocol);
  }
};

function addQueried(token: Token, from: number, to: number, out: MentionCollector, protocol: Protocol): void {
  const text = token.text.slice(from, to);
  for (const match of text.matchAll(SS_FILTER)) {
    const portFrom = from + match.index + match[0].length - match[2].length;
    out.addPort(
      token,
      portFrom,
      portFrom + match[2].length,
      {
        protocol,
        role: 'other',
        exposure: 'unknown',
        context: { tool: 'ss', note: `socket filter on the ${match[1] === 'sport' ? 'local' : 'remote'} port` },
      },
      { allowNames: true },
    );
  }
}

/**
 * `curl --connect-to api.example.com:443:10.0.0.5:8443 URL` and `--resolve host:port:address`: curl connects to
 * the port the option names (the URL's own port is read with every URL).
 */
const curl: CommandHandler = (command, out) => {
  const items = readArguments(command.args, {
    short: 'oOuUxXHdeErAbcKT',
    long: ['--connect-to', '--resolve', '--output', '--user', '--proxy', '--header', '--data', '--request'],
  });
  for (const value of optionValues(items, '--connect-to')) {
    const fields = splitColonFields(value.token.text, value.from, value.to);
    const target = fields[3];
    if (target) addConnect(out, value, target, 'curl --connect-to', fields[2]?.text);
  }
  for (const value of optionValues(items, '--resolve')) {
    const fields = splitColonFields(value.token.text, value.from, value.to);
    if (fields[1])
      addConnect(
        out,
        value,
        fields[1],
        'curl --resolve',
        fields
          .slice(2)
          .map((field) => field.text)
          .join(':'),
      );
  }
};

function addConnect(
  out: MentionCollector,
  value: TokenSlice,
  field: { from: number; to: number },
  tool: string,
  peer: string | undefined,
): void {
  out.addPort(value.token, field.from, field.to, {
    protocol: 'tcp',
    role: 'connect',
    exposure: 'unknown',
    context: { tool, direction: 'outbound', ...(peer ? { peer } : {}) },
  });
}

/** A port a socket query asks about: it lists what uses the port, and opens nothing. */
function addQueriedPort(
  out: MentionCollector,
  token: Token,
  from: number,
  to: number,
  protocol: Protocol,
  tool: string,
): void {
  out.addPort(
    token,
    from,
    to,
    { protocol, role: 'other', exposure: 'unknown', context: { tool, note: 'asks which process uses this port' } },
    // A name may hold a dash (`http-alt`): only a number starts a range.
    /^\d/.test(token.text.slice(from, to)) ? { rangeSeparators: '-' } : { allowNames: true },
  );
}

/**
 * `lsof -i :1363`, `lsof -iTCP:1363-1364`, `lsof -i tcp@10.0.0.5:22,80`: lsof(8)'s `-i
 * [46][protocol][@hostname|hostaddr][:service|port]`, whose ports follow the last colon, a list or a range.
 */
const lsof: CommandHandler = (command, out) => {
  command.args.forEach((arg, index) => {
    const attached = arg.text.startsWith('-i') && arg.text.length > 2;
    const value = attached
      ? { token: arg, from: 2 }
      : arg.text === '-i'
        ? { token: command.args[index + 1], from: 0 }
        : undefined;
    if (!value?.token || (!attached && value.token.text.startsWith('-'))) return;
    const text = value.token.text;
    const colon = text.lastIndexOf(':');
    if (colon < value.from || text.slice(colon - 1, colon) === ':' || text.endsWith(']')) return;
    const protocol: Protocol = /udp/i.test(text.slice(value.from, colon)) ? 'udp' : 'tcp';
    let from = colon + 1;
    for (const item of text.slice(colon + 1).split(',')) {
      if (item) addQueriedPort(out, value.token, from, from + item.length, protocol, 'lsof');
      from += item.length + 1;
    }
  });
};

/** `fuser 1363/tcp`, `fuser -k -n tcp 8080`: fuser(1) names a port as PORT/PROTOCOL, or with `-n`. */
const fuser: CommandHandler = (command, out) => {
  const space = command.args.findIndex((arg) => arg.text === '-n');
  const named = space >= 0 ? command.args[space + 1]?.text : undefined;
  command.args.forEach((arg, index) => {
    if (arg.text.startsWith('-') || (space >= 0 && index === space + 1)) return;
    const written = /^([^/,]+)(?:,[^/]*)?\/(tcp|udp)$/.exec(arg.text);
    if (written) addQueriedPort(out, arg, 0, written[1].length, written[2] as Protocol, 'fuser');
    else if (named === 'tcp' || named === 'udp') {
      if (/^\d+$/.test(arg.text)) addQueriedPort(out, arg, 0, arg.text.length, named, 'fuser');
    }
  });
};

/** Programs whose output lists sockets, which a `grep` after them in a pipeline filters by port. */
export const SOCKET_LISTERS = new Set(['netstat', 'ss', 'lsof', 'sockstat']);

/**
 * `netstat -tlnp | grep :1363`, `ss -ltn | grep -E ':(1363|1364)\b'`: netstat has no filter of its own, so the
 * port it is asked about is the one grep looks for after a colon (or a dot, as BSD's netstat writes `*.22`).
 */
export function readSocketGrep(args: readonly Token[], lister: string, out: MentionCollector): void {
  for (const arg of args) {
    if (arg.text.startsWith('-') || !arg.literal) continue;
    // After a colon, BSD's `*.`, or an alternation; at the start only where the whole word is the number.
    for (const match of arg.text.matchAll(/(?:^|:|\*\.|[(|])(\d{1,5})(?=$|[\s)|$'"\\]|\\b)/g)) {
      const from = match.index + match[0].length - match[1].length;
      const port = Number(match[1]);
      if (port === 0 || port > 65535) continue;
      out.addPort(arg, from, from + match[1].length, {
        protocol: 'any',
        role: 'other',
        exposure: 'unknown',
        context: { tool: `${lister} | grep`, note: `looks for this port in the sockets ${lister} lists` },
      });
    }
  }
}

export const probeCommands: Record<string, CommandHandler> = { nmap, ss, curl, lsof, fuser };
