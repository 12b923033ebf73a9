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

export const probeCommands: Record<string, CommandHandler> = { nmap, ss, curl };
