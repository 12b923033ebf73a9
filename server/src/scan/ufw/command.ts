import type { Protocol } from '../../catalog/types';
import type { MentionCollector, MentionFacts } from '../collector';
import { classifyAddress } from '../exposure';
import { type IptablesRule, blankIptablesRule } from '../iptables/rule';
import type { Exposure, PortMention, Role } from '../mention';
import { PlainToken, type Token } from '../token';
import { ROUTED_NOTE } from './tuple';

const ACTION_ROLES = new Map<string, Role>([
  ['allow', 'allow'],
  ['limit', 'allow'],
  ['deny', 'deny'],
  ['reject', 'deny'],
]);
const PORT_SPEC = { rangeSeparators: ':', allowNames: true };

/** Splits `80,443/tcp` into the port list and the protocol. */
function splitProtocol(text: string): { ports: string; protocol?: Protocol } {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return { ports: text };
  return { ports: text.slice(0, slash), protocol: text.slice(slash + 1).toLowerCase() as Protocol };
}

/**
 * `default allow|deny|reject [incoming|outgoing|routed]` (incoming when no direction is named): the policy for
 * the traffic no rule matches. Returns the action's word when the command sets the incoming policy.
 */
export function incomingDefault(tokens: readonly Token[]): Token | undefined {
  const [command, action, direction] = tokens.map((token) => token.text.toLowerCase());
  if (command !== 'default' || !/^(allow|deny|reject)$/.test(action ?? '')) return undefined;
  return direction === undefined || direction === 'incoming' ? tokens[1] : undefined;
}

/**
 * Reads a ufw command line (without `ufw`): the full syntax
 * `[insert N|prepend|route|delete] allow|deny|reject|limit [in|out] [on IF] [log] [proto P] [from SRC [port P]] [to DST [port P]]`
 * and the short one `allow 447/tcp`, `allow 80,443/tcp`, `allow 6000:6007/tcp`, `allow ssh`.
 */
export function readUfwCommand(tokens: readonly Token[], out: MentionCollector): UfwRule | undefined {
  const words = tokens.map((token) => token.text.toLowerCase());
  let at = 0;
  let deleting = false;
  let routed = false;
  let position: Token | undefined;
  while (at < words.length && !ACTION_ROLES.has(words[at])) {
    if (words[at] === 'delete') deleting = true;
    else if (words[at] === 'route') routed = true;
    else if (words[at] === 'prepend') position = new PlainToken('1', tokens[at].span.start);
    else if (/^\d+$/.test(words[at]) && words[at - 1] === 'insert') position = tokens[at];
    else if (!/^(insert|--dry-run|--force)$/.test(words[at])) return undefined;
    at++;
  }
  if (at >= words.length) return undefined;
  const actionToken = tokens[at];
  const spec = words.slice(at).join(' ');
  const action = words[at];
  const role: Role = deleting ? 'other' : ACTION_ROLES.get(action)!;
  at++;

  let direction: 'inbound' | 'outbound' = 'inbound';
  let iface: string | undefined;
  let protocol: Protocol = 'any';
  let source: string | undefined;
  const destinationPorts: Token[] = [];
  const sourcePorts: Token[] = [];
  let shortForm: Token | undefined;
  let side: 'from' | 'to' | undefined;
  for (; at < tokens.length; at++) {
    const word = words[at];
    const next = tokens[at + 1];
    if (word === 'in' || word === 'out') direction = word === 'in' ? 'inbound' : 'outbound';
    else if (word === 'on' && next) {
      iface = next.text;
      at++;
    } else if (word === 'proto' && next) {
      protocol = next.text.toLowerCase() as Protocol;
      at++;
    } else if (word === 'from' && next) {
      side = 'from';
      source = next.text;
      at++;
    } else if (word === 'to' && next) {
      side = 'to';
      at++;
    } else if (word === 'port' && next) {
      (side === 'from' ? sourcePorts : destinationPorts).push(next);
      at++;
    } else if ((word === 'app' || word === 'comment') && next) at++;
    else if (!side && !shortForm && !/^(log|log-all)$/.test(word)) shortForm = tokens[at];
  }

  const exposure: Exposure =
    role !== 'allow' || direction === 'outbound' ? 'unknown' : source === undefined ? 'any' : classifyAddress(source);
  const facts = (portProtocol: Protocol | undefined): MentionFacts => ({
    protocol: portProtocol ?? protocol,
    role,
    exposure,
    context: { tool: 'ufw', direction, source, interface: iface, note: routed ? ROUTED_NOTE : undefined },
  });
  const mentions: PortMention[] = [];
  const portWords = shortForm ? [shortForm, ...destinationPorts] : destinationPorts;
  for (const token of portWords) {
    const { ports, protocol: written } = splitProtocol(token.text);
    for (const mention of out.addPortList(token, 0, ports.length, facts(written), PORT_SPEC)) mentions.push(mention);
  }
  for (const token of sourcePorts) {
    const { ports, protocol: written } = splitProtocol(token.text);
    out.addPortList(
      token,
      0,
      ports.length,
      {
        ...facts(written),
        role: 'other',
        exposure: 'unknown',
        context: { tool: 'ufw', direction, note: 'source port of the matched packets' },
      },
      PORT_SPEC,
    );
  }
  const shortProtocol = shortForm ? splitProtocol(shortForm.text).protocol : undefined;
  const ports = portWords.length > 0 || sourcePorts.length > 0;
  // ufw keeps the rules it is given in these chains, in order (ufw(8), "RULE ORDERING": first match wins).
  const chain = routed ? 'ufw-user-forward' : direction === 'inbound' ? 'ufw-user-input' : 'ufw-user-output';
  const rule: IptablesRule = {
    ...blankIptablesRule('filter', chain),
    command: deleting ? 'delete' : position ? 'insert' : 'append',
    head: position,
    protocolWritten: protocol !== 'any' || shortProtocol !== undefined,
    protocol: shortProtocol ?? protocol,
    source: source === undefined || source.toLowerCase() === 'any' ? undefined : source,
    inInterface: iface,
    target: UFW_TARGETS[action],
    targetToken: actionToken,
    spec,
    narrowed: ports,
    narrowedBeyondProtocol: ports,
    destinationPorts: portWords.map((token) => ({ token, list: true, negated: false })),
    sourcePorts: sourcePorts.map((token) => ({ token, list: true, negated: false })),
  };
  return { rule, mentions };
}

/** A ufw rule as the ruleset model reads iptables rules (ufw writes it as such into its user chains). */
export interface UfwRule {
  rule: IptablesRule;
  mentions: PortMention[];
}

/** `limit` accepts what stays under the rate and rejects the rest: every packet is decided either way. */
const UFW_TARGETS: Record<string, string> = { allow: 'ACCEPT', limit: 'ACCEPT', deny: 'DROP', reject: 'REJECT' };
