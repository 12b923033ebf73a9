import type { MentionCollector } from '../../collector';
import { classifyAddress } from '../../exposure';
import { splitHostPort } from '../../hostPort';
import type { CommandHandler } from '../command';
import { optionValues, positionals, readArguments, sliceText } from '../options';
import type { Token } from '../../token';

function addListener(
  out: MentionCollector,
  token: Token,
  from: number,
  to: number,
  tool: string,
  bindAddress?: string,
) {
  out.addPort(token, from, to, {
    protocol: 'tcp',
    role: 'listen',
    exposure: bindAddress ? classifyAddress(bindAddress) : 'any',
    context: { tool, direction: 'inbound', bindAddress },
  });
}

/**
 * `python3 -m http.server 8000 --bind 127.0.0.1` and Python 2's `-m SimpleHTTPServer 8000`.
 * Both bind every interface unless told otherwise.
 */
const python: CommandHandler = (command, out) => {
  const moduleIndex = command.args.findIndex((token, index) => token.text === '-m' && index + 1 < command.args.length);
  if (moduleIndex < 0) return;
  const moduleName = command.args[moduleIndex + 1].text;
  if (moduleName !== 'http.server' && moduleName !== 'SimpleHTTPServer') return;
  const items = readArguments(command.args.slice(moduleIndex + 2), {
    short: 'bdp',
    long: ['--bind', '--directory', '--protocol'],
  });
  const bindAddress = optionValues(items, '-b', '--bind').map(sliceText)[0];
  const port = positionals(items)[0];
  if (port) addListener(out, port.token, port.from, port.to, `python -m ${moduleName}`, bindAddress);
};

/** PHP's built-in server, `php -S 0.0.0.0:8080`. */
const php: CommandHandler = (command, out) => {
  for (const value of optionValues(readArguments(command.args, { short: 'Sdtcf' }), '-S')) {
    const address = splitHostPort(value.token.text, value.from, value.to);
    if (address) addListener(out, value.token, address.portFrom, address.portTo, 'php -S', address.host);
  }
};

/** `sshd -p 2222`: the daemon listens on every address unless its configuration says otherwise. */
const sshd: CommandHandler = (command, out) => {
  for (const value of optionValues(readArguments(command.args, { short: 'CcEfgHhkoOp' }), '-p')) {
    addListener(out, value.token, value.from, value.to, 'sshd');
  }
};

export const serverCommands: Record<string, CommandHandler> = { python, php, sshd };
