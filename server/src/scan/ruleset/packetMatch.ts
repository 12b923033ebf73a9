import { AddressSet } from '../addressSet';
import { type PortIntervals, intersectPorts } from './portIntervals';

/** The packets a rule (or a rule together with the jumps that lead to it) matches, as far as exposure goes. */
export interface PacketMatch {
  /**
   * `any`, or the protocol's name: tcp, udp, sctp, dccp, or another (icmp, ipv6-icmp, gre) that has no ports;
   * `! tcp` for every protocol but one.
   */
  protocol: string;
  /** Destination port intervals; undefined for every port. */
  ports?: PortIntervals;
  /** Undefined when the source cannot be read (a variable, a host name): such a rule covers nothing. */
  sources?: AddressSet;
  /**
   * Input-interface conditions, all of which must hold: `eth0`, `! lo`, and `eth+` for every name that starts
   * with `eth` (iptables writes it so; nftables writes `eth*`). None for every interface.
   */
  interfaces: string[];
  /** False when a match narrows the packets in a way this model does not read, so the rule covers nothing. */
  exact: boolean;
  /** False when the rule matches no packet that opens a connection (`--state ESTABLISHED,RELATED`). */
  newConnections: boolean;
}

export type AddressFamily = 'ipv4' | 'ipv6';

export function anyPacket(family: AddressFamily): PacketMatch {
  return { protocol: 'any', sources: AddressSet.universe(family), interfaces: [], exact: true, newConnections: true };
}

export const NO_PACKET: PacketMatch = {
  protocol: 'any',
  sources: AddressSet.NOTHING,
  interfaces: [],
  exact: true,
  newConnections: true,
};

/** Both matches at once; undefined when no packet can match both (tcp and udp, eth0 and eth1). */
export function conjoin(first: PacketMatch, second: PacketMatch): PacketMatch | undefined {
  let protocol = first.protocol;
  let exactProtocol = true;
  if (second.protocol !== 'any' && second.protocol !== protocol) {
    const negated = (name: string) => name.startsWith('!');
    if (protocol === 'any') protocol = second.protocol;
    else if (negated(protocol) || negated(second.protocol)) {
      // `! -p tcp` and `-p udp`: the positive one, unless it is the one negated; two negations are not modelled.
      const [positive, other] = negated(protocol) ? [second.protocol, protocol] : [protocol, second.protocol];
      if (!negated(positive) && other === `! ${positive}`) return undefined;
      protocol = positive;
      exactProtocol = false;
    } else return undefined;
  }
  const ports = first.ports && second.ports ? intersectPorts(first.ports, second.ports) : (first.ports ?? second.ports);
  if (ports && ports.length === 0) return undefined;
  const sources = first.sources && second.sources ? first.sources.intersect(second.sources) : undefined;
  if (sources?.isEmpty) return undefined;
  const interfaces = joinInterfaces(first.interfaces, second.interfaces);
  if (interfaces.length > 0 && !interfacesOf([interfaces]).some((name) => onInterface(interfaces, name)))
    return undefined;
  return {
    protocol,
    ports,
    sources,
    interfaces,
    exact: first.exact && second.exact && exactProtocol,
    newConnections: first.newConnections && second.newConnections,
  };
}

/** Both lists of interface conditions; a list is never changed once made, so an empty side shares the other. */
function joinInterfaces(first: string[], second: string[]): string[] {
  if (second.length === 0) return first;
  if (first.length === 0) return second;
  return [...first, ...second];
}

export const LOOPBACK = 'lo';
/** An interface name no rule can write: it stands for every interface the ruleset does not name. */
const OTHER_INTERFACE = '\u0000other';

/** Whether a packet on interface `name` meets every condition (`eth0`, `! eth0`, `eth+` for every eth). */
export function onInterface(conditions: readonly string[], name: string): boolean {
  return conditions.every((condition) => {
    const negated = condition.startsWith('!');
    const pattern = negated ? condition.replace(/^!\s*/, '') : condition;
    const matches = pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
    return matches !== negated;
  });
}

/** One interface for each name the conditions write (a wildcard stands for one it takes), lo, and the rest. */
export function interfacesOf(conditionLists: Iterable<readonly string[]>): string[] {
  const names = new Set<string>([LOOPBACK, OTHER_INTERFACE]);
  for (const conditions of conditionLists) {
    for (const condition of conditions) {
      const pattern = condition.replace(/^!\s*/, '');
      names.add(pattern.endsWith('+') ? `${pattern.slice(0, -1)}\u0000` : pattern);
    }
  }
  return [...names];
}
