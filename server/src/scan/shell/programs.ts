import type { Token } from '../token';
import type { CommandHandler } from './command';
import { containerCommands } from './commands/containers';
import { databaseClientCommands } from './commands/databaseClients';
import { firewallCommands } from './commands/firewalls';
import { nftablesCommands } from './commands/nftables';
import { probeCommands } from './commands/probes';
import { remoteShellCommands } from './commands/remoteShell';
import { serverCommands } from './commands/servers';
import { socketCommands } from './commands/sockets';

/** The programs whose arguments the scanner reads, by base name. */
export const COMMAND_HANDLERS = new Map<string, CommandHandler>(
  Object.entries({
    ...remoteShellCommands,
    ...socketCommands,
    ...serverCommands,
    ...containerCommands,
    ...databaseClientCommands,
    ...firewallCommands,
    ...nftablesCommands,
    ...probeCommands,
  }),
);

/** Programs that run the command after them; the value lists their options that take an argument. */
const WRAPPERS = new Map<string, { valued: string; operands?: number }>([
  ['sudo', { valued: 'ugpChDrtTUR' }],
  ['doas', { valued: 'uC' }],
  ['env', { valued: 'uCS' }],
  ['nohup', { valued: '' }],
  ['exec', { valued: 'a' }],
  ['time', { valued: 'fo' }],
  ['command', { valued: '' }],
  ['builtin', { valued: '' }],
  ['nice', { valued: 'n' }],
  ['ionice', { valued: 'cnp' }],
  ['stdbuf', { valued: 'ioe' }],
  ['setsid', { valued: '' }],
  ['timeout', { valued: 'ks', operands: 1 }],
  ['chroot', { valued: '', operands: 1 }],
]);

/** Commands whose quoted arguments are the text they write, and so may be another format's lines. */
export const TEXT_WRITERS = new Set(['echo', 'printf']);
export const SHELLS = new Set(['sh', 'bash', 'dash', 'ksh', 'zsh', 'su']);

/** A program's base name: `/usr/sbin/iptables` is `iptables`, and every `python3.11` is `python`. */
export function programName(text: string): string {
  const base = text.slice(text.lastIndexOf('/') + 1);
  return /^python[\d.]*$/.test(base) ? 'python' : base;
}

/** Drops `sudo -u app`, `env A=1`, `timeout 5`, ... until the real program. */
export function unwrap(words: Token[]): Token[] {
  let rest = words;
  for (;;) {
    const wrapper = rest.length > 1 ? WRAPPERS.get(programName(rest[0].text)) : undefined;
    if (!wrapper) return rest;
    let at = 1;
    while (at < rest.length && rest[at].text.startsWith('-') && rest[at].text !== '--') {
      const flag = rest[at].text;
      const takesValue = flag.length === 2 && wrapper.valued.includes(flag[1]);
      at += takesValue ? 2 : 1;
    }
    if (rest[at]?.text === '--') at++;
    while (at < rest.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[at].text)) at++;
    at += wrapper.operands ?? 0;
    rest = rest.slice(at);
  }
}
