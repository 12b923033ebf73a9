import type { MentionCollector } from '../../collector';
import { bindingExposure } from '../../exposure';
import { splitHostPort } from '../../hostPort';
import type { CommandHandler } from '../command';
import { hasOption, optionValues, positionals, readArguments, sliceText } from '../options';
import type { Token } from '../../token';
import type { Exposure } from '../../mention';

/**
 * A listener at `token.text.slice(from, to)`: on `bindAddress`, else on the program's default, which is every
 * interface unless `defaultExposure` says otherwise.
 */
function addListener(
  out: MentionCollector,
  token: Token,
  from: number,
  to: number,
  tool: string,
  bindAddress?: string,
  service?: string,
  defaultExposure: Exposure = 'any',
) {
  out.addPort(token, from, to, {
    protocol: 'tcp',
    role: 'listen',
    exposure: bindingExposure(bindAddress ? [bindAddress] : [], defaultExposure),
    context: { tool, direction: 'inbound', bindAddress },
    ...(service ? { service } : {}),
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
    addListener(out, value.token, value.from, value.to, 'sshd', undefined, 'ssh');
  }
};

/**
 * `dockerd -H tcp://0.0.0.0:2375` opens the Docker Engine API on that address: plain text, and so root on the
 * host to anyone who reaches it, unless `--tlsverify` makes clients show a certificate (dockerd(8)).
 */
const dockerd: CommandHandler = (command, out) => {
  const items = readArguments(command.args, { short: 'GgHp', long: ['--host', '--group', '--data-root', '--pidfile'] });
  const tls = hasOption(items, '--tlsverify', '--tls');
  for (const value of optionValues(items, '-H', '--host')) {
    const text = sliceText(value);
    const scheme = /^tcp:\/\//i.exec(text);
    if (!scheme) continue;
    const address = splitHostPort(value.token.text, value.from + scheme[0].length, value.to);
    if (!address) continue;
    const bind = address.host || '0.0.0.0';
    addListener(out, value.token, address.portFrom, address.portTo, 'dockerd', bind, tls ? 'docker-s' : 'docker');
  }
};

/** `mongod --port 27018`: since MongoDB 3.6 it binds localhost only, unless `--bind_ip_all` or `--bind_ip` says more. */
const mongod: CommandHandler = (command, out) => {
  const items = readArguments(command.args, { short: 'f', long: ['--port', '--bind_ip', '--config', '--dbpath'] });
  const bindAddress = hasOption(items, '--bind_ip_all')
    ? '0.0.0.0'
    : optionValues(items, '--bind_ip').map(sliceText)[0];
  for (const value of optionValues(items, '--port')) {
    addListener(out, value.token, value.from, value.to, command.name, bindAddress, 'mongodb', 'loopback');
  }
};

/**
 * `redis-server [config] --port 7000 --bind 10.0.0.5 ::1`: with no `bind` Redis listens on every interface
 * (redis.conf), and `--bind` takes every address up to the next option.
 */
const redisServer: CommandHandler = (command, out) => {
  const binds: string[] = [];
  command.args.forEach((arg, index) => {
    if (arg.text !== '--bind') return;
    for (const next of command.args.slice(index + 1)) {
      if (next.text.startsWith('--')) break;
      binds.push(next.text);
    }
  });
  const bindAddress = binds.length > 0 ? binds.join(' ') : undefined;
  for (const value of optionValues(readArguments(command.args, { long: ['--port', '--bind'] }), '--port')) {
    addListener(out, value.token, value.from, value.to, 'redis-server', bindAddress, 'redis');
  }
};

export const serverCommands: Record<string, CommandHandler> = {
  python,
  php,
  sshd,
  dockerd,
  mongod,
  mongos: mongod,
  'redis-server': redisServer,
};
