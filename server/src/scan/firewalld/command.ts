import type { MentionCollector, MentionFacts } from '../collector';
import type { Role, Span } from '../mention';
import { applyRulesetReach } from '../ruleset/applyReach';
import type { Token } from '../token';
import { type PortElement, type PortSlice, addPortElement, protocolOf } from './portElements';
import { type RuleScope, addRichRulePorts, readRichRuleText } from './richRule';
import { type ServiceDefinition, type ServiceLookup, addServiceReference, stockService } from './services';
import { ZoneRuleset } from './zoneRuleset';
import { DEFAULT_ZONE, isInternetFacing, zoneExposure } from './zones';

export { zoneExposure } from './zones';

/** What earlier firewall-cmd calls in the same script said. */
export interface FirewalldState {
  /** Sources added to zones with `--add-source`, by zone. */
  sources: Map<string, string[]>;
  /** The zone `--set-default-zone` chose; firewalld's own default is `public`. */
  defaultZone: string;
  /** Services made with `--new-service` and given ports with `--service=NAME --add-port`. */
  services: Map<string, ServiceDefinition>;
  /** The ports, services and rich rules the script adds to each zone, in firewalld's order when it ends. */
  zones: Map<string, { rules: ZoneRuleset; line: Span }>;
}

export function newFirewalldState(): FirewalldState {
  return { sources: new Map(), defaultZone: DEFAULT_ZONE, services: new Map(), zones: new Map() };
}

/** Evaluates each zone the script filled, with the sources bound to it by the end of the script. */
export function applyZoneRulesets(state: FirewalldState, out: MentionCollector): void {
  for (const [zone, { rules, line }] of state.zones) {
    const sources = (state.sources.get(zone) ?? []).map((value) => ({
      kind: 'address' as const,
      value,
      invert: false,
    }));
    const reach = { sources, loopback: false, internetFacing: sources.length === 0 && isInternetFacing(zone), line };
    applyRulesetReach(rules.chainSets(reach), out);
  }
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
    else if (tokens[index + 1] && !tokens[index + 1].text.startsWith('--'))
      options.push({ name: text, value: tokens[++index], valueFrom: 0 });
    else options.push({ name: text, valueFrom: 0 });
  }
  return options;
}

/**
 * Reads a firewall-cmd command line (without the program name): `--add-port=P[-Q]/proto`, `--add-source-port`,
 * `--add-forward-port=port=P:proto=tcp:toport=Q:toaddr=A`, `--add-rich-rule='rule ...'` and their removals, with
 * `--zone`; `--add-source` and `--set-default-zone` update `state` for the commands after it. Returns the words
 * after `--direct --add-rule <family> <table> <chain> <priority>`, which are an iptables rule of that chain
 * (`ipv4`, `ipv6` or `eb`), for the caller to read.
 */
export function readFirewallCmd(
  tokens: readonly Token[],
  out: MentionCollector,
  state: FirewalldState,
): { family: string; table: string; chain: string; rule: Token[] } | undefined {
  const directAt = tokens.findIndex((token) => token.text === '--add-rule');
  if (directAt >= 0 && tokens.some((token) => token.text === '--direct')) {
    const [family, table, chain] = tokens.slice(directAt + 1, directAt + 4).map((token) => token.text);
    return table && chain ? { family, table, chain, rule: tokens.slice(directAt + 5) } : undefined;
  }

  const options = readOptions(tokens);
  const { scope, portRole, zone } = commandScope(options, state);
  const zoneRules = zone !== undefined ? zoneRulesOf(state, zone, tokens) : undefined;
  const definedService = serviceBeingDefined(options, state);
  const facts = (role: Role, note?: string): MentionFacts => ({
    protocol: 'any',
    role,
    exposure: role === 'allow' ? scope.exposure : 'unknown',
    context: note ? { ...scope.context, note } : scope.context,
  });
  for (const option of options) {
    if (!option.value) continue;
    const value = option.value;
    const before = out.mentions.length;
    const added = () => out.mentions.slice(before);
    switch (option.name) {
      case '--add-port':
        addPortElement(out, portOption(value, option.valueFrom, 'port'), facts(portRole));
        definedService?.ports.push(value.text.slice(option.valueFrom));
        zoneRules?.addAllow(added(), value.span, value);
        break;
      case '--remove-port':
        addPortElement(out, portOption(value, option.valueFrom, 'port'), facts('other', 'port removed from the zone'));
        break;
      case '--add-source-port':
        addPortElement(out, portOption(value, option.valueFrom, 'source-port'), facts('allow'));
        break;
      case '--add-service':
      case '--remove-service': {
        const removed = option.name === '--remove-service';
        const serviceFacts = removed ? facts('other', 'service removed from the zone') : facts(portRole);
        addServiceReference(out, value, option.valueFrom, value.text.length, serviceFacts, scope.services);
        if (!removed) zoneRules?.addAllow(added(), value.span, value);
        break;
      }
      case '--add-forward-port':
        addPortElement(out, forwardPortOption(value, option.valueFrom), {
          ...facts('allow'),
          exposure: scope.exposure,
        });
        break;
      case '--add-rich-rule':
      case '--remove-rich-rule': {
        const rule = readRichRuleText(value, option.valueFrom);
        const removed = option.name === '--remove-rich-rule';
        addRichRulePorts(rule, out, { ...scope, removed });
        if (!removed) zoneRules?.addRichRule(rule, added(), value.span, value);
        break;
      }
    }
  }
  return undefined;
}

/**
 * The zone a command works on, and who reaches it: `--zone` or the default zone, with the sources earlier commands
 * bound to it. `--service`/`--new-service` define a service's ports; `--policy` works on a policy, whose zones the
 * command does not name.
 */
function zoneRulesOf(state: FirewalldState, zone: string, tokens: readonly Token[]): ZoneRuleset {
  let known = state.zones.get(zone);
  if (!known) {
    const line = { start: tokens[0].span.start, end: tokens[tokens.length - 1].span.end };
    known = { rules: new ZoneRuleset(), line };
    state.zones.set(zone, known);
  }
  return known.rules;
}

function commandScope(
  options: readonly OptionWord[],
  state: FirewalldState,
): { scope: RuleScope; portRole: Role; zone?: string } {
  const valueOf = (name: string) => {
    const option = options.find((item) => item.name === name && item.value);
    return option?.value?.text.slice(option.valueFrom);
  };
  const zone = valueOf('--zone') ?? state.defaultZone;
  const newDefault = valueOf('--set-default-zone');
  if (newDefault) state.defaultZone = newDefault;
  for (const option of options) {
    if (option.name === '--add-source' && option.value) {
      state.sources.set(zone, [...(state.sources.get(zone) ?? []), option.value.text.slice(option.valueFrom)]);
    }
  }
  const service = valueOf('--service') ?? valueOf('--new-service');
  const policy = valueOf('--policy');
  const base = { tool: 'firewall-cmd', direction: 'inbound' as const };
  const services: ServiceLookup = (name) => state.services.get(name) ?? stockService(name);
  if (service) {
    return {
      scope: {
        exposure: 'unknown',
        opens: false,
        context: { ...base, note: `defines the ports of service ${service}` },
        services,
      },
      portRole: 'define',
    };
  }
  if (policy)
    return {
      scope: { exposure: 'unknown', opens: true, context: { ...base, note: `in policy ${policy}` }, services },
      portRole: 'allow',
    };
  const sources = state.sources.get(zone) ?? [];
  const context = { ...base, zone, source: sources.join(', ') || undefined };
  const scope = { exposure: zoneExposure(zone, sources), opens: true, context, services };
  return { scope, portRole: 'allow', zone };
}

/**
 * The script's own service that `--new-service=NAME` creates, or `--service=NAME --add-port` adds to; it wins
 * over a stock service of the same name for the commands after it, as the permanent configuration would.
 */
function serviceBeingDefined(options: readonly OptionWord[], state: FirewalldState): ServiceDefinition | undefined {
  const option = options.find((item) => (item.name === '--new-service' || item.name === '--service') && item.value);
  const name = option?.value?.text.slice(option.valueFrom);
  if (!option?.value || !name) return undefined;
  let definition = state.services.get(name);
  if (!definition) {
    definition = { ports: [], origin: `defined by this script (firewall-cmd ${option.name}=${name})` };
    state.services.set(name, definition);
  }
  return definition;
}

/** `1364/tcp`, `5000-5100/udp`: the port slice and the protocol after the last slash. */
function portOption(token: Token, from: number, kind: 'port' | 'source-port'): PortElement {
  const text = token.text.slice(from);
  const slash = text.lastIndexOf('/');
  const port: PortSlice = { token, from, to: from + (slash >= 0 ? slash : text.length) };
  return { kind, port, protocol: protocolOf(slash >= 0 ? text.slice(slash + 1) : undefined) };
}

/** `port=80:proto=tcp:toport=8080:toaddr=10.0.0.2`; a field runs to the next `:name=`, so an IPv6 toaddr stays whole. */
function forwardPortOption(token: Token, from: number): PortElement {
  const fields = new Map<string, PortSlice>();
  const fieldPattern = /([a-z]{1,8})=(.*?)(?=:[a-z]{1,8}=|$)/g;
  const text = token.text.slice(from);
  for (let match = fieldPattern.exec(text); match; match = fieldPattern.exec(text)) {
    const valueStart = from + match.index + match[1].length + 1;
    fields.set(match[1], { token, from: valueStart, to: valueStart + match[2].length });
  }
  const valueOf = (name: string) => {
    const field = fields.get(name);
    return field && token.text.slice(field.from, field.to);
  };
  return {
    kind: 'forward-port',
    port: fields.get('port'),
    toPort: fields.get('toport'),
    toAddress: valueOf('toaddr'),
    protocol: protocolOf(valueOf('proto'), 'tcp'),
  };
}
