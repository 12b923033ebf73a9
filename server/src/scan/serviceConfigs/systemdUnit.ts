import { MentionCollector } from '../collector';
import { classifyAddress } from '../exposure';
import type { FormatScanner, ScanContext } from '../format';
import { splitHostPort } from '../hostPort';
import { keyValueLines } from './lines';

export const SYSTEMD_UNIT = 'systemd-unit';

/** The settings whose value is a command line (systemd.service(5)). */
const COMMAND_KEYS = new Set(['ExecStart', 'ExecStartPre', 'ExecStartPost', 'ExecReload', 'ExecStop']);
/** Prefixes that change how systemd runs a command: `-` ignores its failure, `@`, `:`, `+`, `!`, `!!`. */
const COMMAND_PREFIX = /^[-@:+!]+/;

/**
 * systemd unit files a script writes: each ExecStart (and Pre, Post, Reload, Stop) line is a command, read as
 * shell; a socket unit's `ListenStream=[address:]port` listens on TCP and `ListenDatagram=` on UDP, on every
 * address when none is given (systemd.socket(5)). A path there is a UNIX socket, which has no port.
 */
export const systemdUnitScanner: FormatScanner = {
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(SYSTEMD_UNIT, context.resolveServiceName);
    for (const { key, value } of keyValueLines(text, /^\s*([A-Za-z]+)\s*=\s*(.*)$/)) {
      if (COMMAND_KEYS.has(key)) {
        const prefix = COMMAND_PREFIX.exec(value.text)?.[0].length ?? 0;
        out.addEmbedded(value, prefix, context.scanEmbedded('shellscript', value.text.slice(prefix)));
        continue;
      }
      if (key !== 'ListenStream' && key !== 'ListenDatagram') continue;
      const hostPort = splitHostPort(value.text);
      const host = hostPort?.host || undefined;
      const [from, to] = hostPort ? [hostPort.portFrom, hostPort.portTo] : [0, value.text.length];
      out.addPort(value, from, to, {
        protocol: key === 'ListenStream' ? 'tcp' : 'udp',
        role: 'listen',
        exposure: host ? classifyAddress(host) : 'any',
        context: { tool: `systemd ${key}`, direction: 'inbound', bindAddress: host },
      });
    }
    return out.output;
  },
};
