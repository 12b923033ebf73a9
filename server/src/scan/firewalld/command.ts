import type { Protocol } from '../../catalog/types';
import type { MentionCollector, MentionFacts } from '../collector';
import { classifyAddress, widest } from '../exposure';
import type { Exposure } from '../mention';
import type { Token } from '../token';

/** Zones firewalld ships for interfaces that face the internet (GUIDE section 2). */
const INTERNET_FACING_ZONES = new Set(['public', 'external', 'dmz']);

/** What earlier firewall-cmd calls in the same script said about zones. */
export interface FirewalldZones {
  sources: Map<string, string[]>;
  defaultZone: string;
}

/** Who reaches a port opened in `zone`: its sources if the script bound any, else any for internet-facing zones. */
export function zoneExposure(zone: string, sources: readonly string[]): Exposure {
  if (sources.length > 0) {
    return widest(sources.map(classifyAddress));
  }
  return INTERNET_FACING_ZONES.has(zone) ? 'any' : 'unknown';
}

interface OptionWord {
  name: string;
  value?: Token;
  valueFrom: number;
}

/** `--add-port=1364/tcp` and `--add-port 1364/tcp` both become { name, value }. */
function readOptions(tokens: readonly Token[]): OptionWord[] {
  const options: OptionWord[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const text = tokens[index].text;
    if (!text.startsWith('--')) continue;
    const equals = text.indexOf('=');
    if (equals >= 0) options.push({ name: text.slice(0, equals), value: tokens[index], valueFrom: equals + 1 });
    else if (tokens[index + 1] && !tokens[index + 1].text.startsWith('--')) options.push({ name: text, value: tokens[++index], valueFrom: 0 });
    else options.push({ name: text, valueFrom: 0 });
  }
  return options;
}

/**
 * Reads a firewall-cmd command line (without the program name): `--add-port=P[-Q]/proto`, `--add-source-port`,
 * `--add-forward-port=port=P:proto=tcp:toport=Q:toaddr=A`, with `--zone`; `--add-source` and
 * `--set-default-zone` update `zones` for the commands after it. Returns the words after `--direct --add-rule
 * <family> <table> <chain> <priority>`, which are an iptables rule of that chain, for the caller to read.
 */
export function readFirewallCmd(
  tokens: readonly Token[],
  out: MentionCollector,
  zones: FirewalldZones,
): { table: string; chain: string; rule: Token[] } | undefined {
  const directAt = tokens.findIndex((token) => token.text === '--add-rule');
  if (directAt >= 0 && tokens.some((token) => token.text === '--direct')) {
    const [, table, chain] = tokens.slice(directAt + 1, directAt + 4).map((token) => token.text);
    return table && chain ? { table, chain, rule: tokens.slice(directAt + 5) } : undefined;
  }

  const options = readOptions(tokens);
  const valueOf = (name: string) => {
    const option = options.find((item) => item.name === name && item.value);
    return option?.value?.text.slice(option.valueFrom);
  };
  const zone = valueOf('--zone') ?? zones.defaultZone;
  const newDefault = valueOf('--set-default-zone');
  if (newDefault) zones.defaultZone = newDefault;
  for (const option of options) {
    if (option.name === '--add-source' && option.value) {
      zones.sources.set(zone, [...(zones.sources.get(zone) ?? []), option.value.text.slice(option.valueFrom)]);
    }
  }
  const service = valueOf('--service') ?? valueOf('--new-service');
  const exposure = service ? 'unknown' : zoneExposure(zone, zones.sources.get(zone) ?? []);
  const context = { tool: 'firewall-cmd', direction: 'inbound' as const, zone: service ? undefined : zone, source: zones.sources.get(zone)?.join(', '), note: service ? `defines the ports of service ${service}` : undefined };

  for (const option of options) {
    if (!option.value) continue;
    const value = option.value;
    const text = value.text.slice(option.valueFrom);
    const slash = text.lastIndexOf('/');
    const protocol = (slash >= 0 ? text.slice(slash + 1).toLowerCase() : 'any') as Protocol;
    const portTo = option.valueFrom + (slash >= 0 ? slash : text.length);
    const facts = (role: MentionFacts['role'], note?: string): MentionFacts => ({
      protocol,
      role,
      exposure: role === 'allow' ? exposure : 'unknown',
      context: note ? { ...context, note } : context,
    });
    switch (option.name) {
      case '--add-port':
        out.addPort(value, option.valueFrom, portTo, facts(service ? 'define' : 'allow'), { rangeSeparators: '-' });
        break;
      case '--remove-port':
        out.addPort(value, option.valueFrom, portTo, facts('other', 'port removed from the zone'), { rangeSeparators: '-' });
        break;
      case '--add-source-port':
        out.addPort(value, option.valueFrom, portTo, facts('other', 'source port of the matched packets'), { rangeSeparators: '-' });
        break;
      case '--add-forward-port':
        readForwardPort(value, option.valueFrom, out, { protocol: 'tcp', role: 'forward', exposure, context });
        break;
    }
  }
  return undefined;
}

/** `port=80:proto=tcp:toport=8080:toaddr=10.0.0.2`: both ports, the second sent on to `toaddr`. */
function readForwardPort(token: Token, from: number, out: MentionCollector, facts: MentionFacts): void {
  const fields = new Map<string, { from: number; to: number }>();
  const fieldPattern = /([a-z]+)=([^:]*)/g;
  const text = token.text.slice(from);
  for (let match = fieldPattern.exec(text); match; match = fieldPattern.exec(text)) {
    const valueStart = from + match.index + match[1].length + 1;
    fields.set(match[1], { from: valueStart, to: valueStart + match[2].length });
  }
  const field = (name: string) => fields.get(name);
  const protocolField = field('proto');
  const protocol = (protocolField ? token.text.slice(protocolField.from, protocolField.to) : 'tcp') as Protocol;
  const toAddress = field('toaddr');
  const peer = toAddress && token.text.slice(toAddress.from, toAddress.to);
  const port = field('port');
  const toPort = field('toport');
  if (port) {
    out.addPort(token, port.from, port.to, { ...facts, protocol, role: 'forward', context: { ...facts.context, mappedTo: `${peer ?? 'this host'}:${toPort ? token.text.slice(toPort.from, toPort.to) : token.text.slice(port.from, port.to)}` } }, { rangeSeparators: '-' });
  }
  if (toPort) {
    out.addPort(token, toPort.from, toPort.to, { ...facts, protocol, role: 'forward', context: { ...facts.context, peer, note: 'where the forwarded traffic is sent' } }, { rangeSeparators: '-' });
  }
}
