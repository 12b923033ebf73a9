import type { Protocol } from '../../../catalog/types';
import type { MentionFacts } from '../../collector';
import { classifyAddress, looksLikeAddress } from '../../exposure';
import { splitHostPort } from '../../hostPort';
import type { CommandHandler } from '../command';
import { hasOption, optionValues, positionals, readArguments, sliceText } from '../options';

// Value-taking options of the common netcats (OpenBSD nc, traditional/GNU netcat, nmap's ncat).
const NETCAT_OPTIONS = {
  short: 'cegGiImMOpPqsTVwxX',
  long: ['--source-port', '--source', '--wait', '--idle-timeout', '--proxy', '--proxy-type', '--exec', '--sh-exec'],
};

/**
 * `nc -l -p 1364`, `nc -l 1364` (OpenBSD), `ncat --listen 0.0.0.0 1364`, and the client form `nc host 1364`
 * or `nc -z host 1360-1370`. A listener with no `-s` address binds every interface.
 */
const netcat: CommandHandler = (command, out) => {
  const items = readArguments(command.args, NETCAT_OPTIONS);
  const protocol: Protocol = hasOption(items, '-u', '--udp') ? 'udp' : 'tcp';
  const args = positionals(items);
  const tool = command.name;
  if (hasOption(items, '-l', '--listen')) {
    const bindSlice =
      optionValues(items, '-s', '--source')[0] ?? args.find((slice) => looksLikeAddress(sliceText(slice)));
    const bindAddress = bindSlice && sliceText(bindSlice);
    const facts: MentionFacts = {
      protocol,
      role: 'listen',
      exposure: bindAddress ? classifyAddress(bindAddress) : 'any',
      context: { tool, direction: 'inbound', bindAddress },
    };
    for (const value of [
      ...optionValues(items, '-p', '--source-port'),
      ...args.filter((slice) => slice !== bindSlice),
    ]) {
      out.addPort(value.token, value.from, value.to, facts);
    }
    return;
  }
  const [host, ...ports] = args;
  const peer = host && sliceText(host);
  for (const value of ports) {
    out.addPort(
      value.token,
      value.from,
      value.to,
      {
        protocol,
        role: 'connect',
        exposure: 'unknown',
        context: { tool, direction: 'outbound', peer },
      },
      { rangeSeparators: '-' },
    );
  }
  for (const value of optionValues(items, '-p', '--source-port')) {
    out.addPort(value.token, value.from, value.to, {
      protocol,
      role: 'other',
      exposure: 'unknown',
      context: { tool, direction: 'outbound', peer, note: 'local source port of the connection' },
    });
  }
};

const SOCAT_PROTOCOLS: Record<string, Protocol> = {
  TCP: 'tcp',
  UDP: 'udp',
  SCTP: 'sctp',
  DCCP: 'dccp',
  OPENSSL: 'tcp',
  SSL: 'tcp',
};

/**
 * socat address specifications: `TCP-LISTEN:1364,fork,bind=127.0.0.1`, `UDP4-LISTEN:161`, `OPENSSL-LISTEN:443`,
 * and the client forms `TCP:host:1364`, `TCP4:192.0.2.1:80`. A listener without `bind=` takes every interface.
 */
const socat: CommandHandler = (command, out) => {
  for (const slice of positionals(readArguments(command.args, {}))) {
    const text = sliceText(slice);
    const match = /^(TCP|UDP|SCTP|DCCP|OPENSSL|SSL)[46]?(-LISTEN|-L|-RECVFROM|-RECV)?:/i.exec(text);
    if (!match) continue;
    const protocol = SOCAT_PROTOCOLS[match[1].toUpperCase()];
    const bodyFrom = slice.from + match[0].length;
    const comma = text.indexOf(',', match[0].length);
    const bodyTo = comma < 0 ? slice.to : slice.from + comma;
    const options = comma < 0 ? '' : text.slice(comma + 1);
    if (match[2]) {
      const bindAddress = /(?:^|,)bind=([^,]+)/i.exec(options)?.[1];
      const range = /(?:^|,)range=([^,]+)/i.exec(options)?.[1];
      const source = range ?? bindAddress;
      out.addPort(slice.token, bodyFrom, bodyTo, {
        protocol,
        role: 'listen',
        exposure: source ? classifyAddress(source) : 'any',
        context: { tool: 'socat', direction: 'inbound', bindAddress, source: range },
      });
      continue;
    }
    const target = splitHostPort(slice.token.text, bodyFrom, bodyTo);
    if (!target) continue;
    out.addPort(slice.token, target.portFrom, target.portTo, {
      protocol,
      role: 'connect',
      exposure: 'unknown',
      context: { tool: 'socat', direction: 'outbound', peer: target.host },
    });
  }
};

/** `telnet host 23`: the second operand is the port. */
const telnet: CommandHandler = (command, out) => {
  const [host, port] = positionals(readArguments(command.args, { short: 'bleLnSX' }));
  if (!port) return;
  out.addPort(
    port.token,
    port.from,
    port.to,
    {
      protocol: 'tcp',
      role: 'connect',
      exposure: 'unknown',
      context: { tool: 'telnet', direction: 'outbound', peer: sliceText(host) },
    },
    { allowNames: true },
  );
};

/** `openssl s_client -connect host:443` and `openssl s_server -accept 4433`. */
const openssl: CommandHandler = (command, out) => {
  // openssl spells its long options with one dash, so getopt-style reading does not apply.
  const valueAfter = (name: string) => {
    const index = command.args.findIndex((token) => token.text === name);
    const token = index >= 0 ? command.args[index + 1] : undefined;
    return token && { token, from: 0, to: token.text.length };
  };
  const connect = valueAfter('-connect');
  const target = connect && splitHostPort(connect.token.text, connect.from, connect.to);
  if (connect && target) {
    out.addPort(connect.token, target.portFrom, target.portTo, {
      protocol: 'tcp',
      role: 'connect',
      exposure: 'unknown',
      context: { tool: 'openssl s_client', direction: 'outbound', peer: target.host },
    });
  }
  const accept = valueAfter('-accept') ?? valueAfter('-port');
  if (accept) {
    const bound = splitHostPort(accept.token.text, accept.from, accept.to);
    out.addPort(accept.token, bound ? bound.portFrom : accept.from, bound ? bound.portTo : accept.to, {
      protocol: 'tcp',
      role: 'listen',
      exposure: bound && bound.host ? classifyAddress(bound.host) : 'any',
      context: { tool: 'openssl s_server', direction: 'inbound', bindAddress: bound?.host || undefined },
    });
  }
};

export const socketCommands: Record<string, CommandHandler> = {
  nc: netcat,
  netcat,
  ncat: netcat,
  socat,
  telnet,
  openssl,
};
