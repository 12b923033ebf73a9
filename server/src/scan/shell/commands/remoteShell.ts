import type { MentionCollector } from '../../collector';
import { classifyAddress } from '../../exposure';
import { splitColonFields } from '../../hostPort';
import type { Exposure } from '../../mention';
import type { CommandHandler, ShellCommand } from '../command';
import { type TokenSlice, firstOperandIndex, optionValues, positionals, readArguments, sliceText } from '../options';

// Options that take a value, from the synopses of ssh(1), scp(1) and sftp(1).
export const SSH_OPTIONS = { short: 'BbcDEeFIiJLlmOoPpQRSWw' };
const SCP_OPTIONS = { short: 'cDFiJloPSX' };

function destinationHost(slices: TokenSlice[]): string | undefined {
  const destination = slices[0] && sliceText(slices[0]);
  return destination?.replace(/^[^@]*@/, '').replace(/:.*$/, '');
}

/** `-o Port=2222`, `-oPort=2222` and `-o "Port 2222"`. */
function addPortFromConfigOption(
  value: TokenSlice,
  out: MentionCollector,
  tool: string,
  peer: string | undefined,
): void {
  const match = /^\s*port\s*[= ]\s*(\d+)\s*$/i.exec(sliceText(value));
  if (!match) return;
  const from = value.from + match[0].lastIndexOf(match[1]);
  out.addPort(value.token, from, from + match[1].length, {
    protocol: 'tcp',
    role: 'connect',
    exposure: 'unknown',
    context: { tool, direction: 'outbound', peer },
  });
}

/**
 * Port forwards: `-L [bind:]port:host:hostport`, `-R [bind:]port:host:hostport`, `-D [bind:]port`.
 * The listening side binds to loopback unless an address is given (ssh's GatewayPorts default).
 */
function addForward(value: TokenSlice, kind: 'L' | 'R' | 'D', out: MentionCollector, peer: string | undefined): void {
  const fields = splitColonFields(value.token.text, value.from, value.to);
  const listenIndex = kind === 'D' ? fields.length - 1 : fields.length - 3;
  if (listenIndex < 0 || (kind !== 'D' && fields.length > 4) || (kind === 'D' && fields.length > 2)) return;
  const bind = listenIndex > 0 ? fields[0].text.replace(/^\[|\]$/g, '') : undefined;
  const exposure: Exposure =
    bind === undefined ? 'loopback' : bind === '' || bind === '*' ? 'any' : classifyAddress(bind);
  const where = kind === 'R' ? 'on the remote host' : 'on this host';
  const listen = fields[listenIndex];
  const target = kind === 'D' ? undefined : `${fields[fields.length - 2].text}:${fields[fields.length - 1].text}`;
  out.addPort(value.token, listen.from, listen.to, {
    protocol: 'tcp',
    role: 'listen',
    exposure,
    context: {
      tool: `ssh -${kind}`,
      bindAddress: bind,
      peer,
      mappedTo: target,
      note: kind === 'D' ? `SOCKS proxy ${where}` : `forwarding listener ${where}`,
    },
  });
  if (kind === 'D') return;
  const hostPort = fields[fields.length - 1];
  out.addPort(value.token, hostPort.from, hostPort.to, {
    protocol: 'tcp',
    role: 'forward',
    exposure: 'unknown',
    context: { tool: `ssh -${kind}`, peer: fields[fields.length - 2].text, mappedTo: `port ${listen.text} ${where}` },
  });
}

const ssh: CommandHandler = (command, out) => {
  // Options end at the destination: what follows is the command it runs there (shell/wrapped.ts reads it).
  const items = readArguments(command.args.slice(0, firstOperandIndex(command.args, SSH_OPTIONS) + 1), SSH_OPTIONS);
  const peer = destinationHost(positionals(items));
  for (const value of optionValues(items, '-p')) {
    out.addPort(value.token, value.from, value.to, {
      protocol: 'tcp',
      role: 'connect',
      exposure: 'unknown',
      context: { tool: 'ssh', direction: 'outbound', peer },
      service: 'ssh',
    });
  }
  for (const value of optionValues(items, '-o')) addPortFromConfigOption(value, out, 'ssh', peer);
  for (const kind of ['L', 'R', 'D'] as const) {
    for (const value of optionValues(items, `-${kind}`)) addForward(value, kind, out, peer);
  }
};

/** scp and sftp spell the port `-P`; their `-p` preserves file times. */
function copyClient(tool: string): CommandHandler {
  return (command: ShellCommand, out: MentionCollector) => {
    const items = readArguments(command.args, SCP_OPTIONS);
    const remote = positionals(items).find((slice) => sliceText(slice).includes(':'));
    const peer = remote && destinationHost([remote]);
    for (const value of optionValues(items, '-P')) {
      out.addPort(value.token, value.from, value.to, {
        protocol: 'tcp',
        role: 'connect',
        exposure: 'unknown',
        context: { tool, direction: 'outbound', peer },
        service: 'ssh',
      });
    }
    for (const value of optionValues(items, '-o')) addPortFromConfigOption(value, out, tool, peer);
  };
}

/** rsync's `-e 'ssh -p 2222'` holds a command line of its own; `--port` names an rsync daemon's port. */
const rsync: CommandHandler = (command, out, context) => {
  const items = readArguments(command.args, { short: 'e', long: ['--rsh', '--port'] });
  for (const value of optionValues(items, '-e', '--rsh')) {
    out.addEmbedded(value.token, value.from, context.scanEmbedded('shellscript', sliceText(value)));
  }
  for (const value of optionValues(items, '--port')) {
    out.addPort(value.token, value.from, value.to, {
      protocol: 'tcp',
      role: 'connect',
      exposure: 'unknown',
      context: { tool: 'rsync', direction: 'outbound' },
    });
  }
};

export const remoteShellCommands: Record<string, CommandHandler> = {
  ssh,
  scp: copyClient('scp'),
  sftp: copyClient('sftp'),
  rsync,
};
