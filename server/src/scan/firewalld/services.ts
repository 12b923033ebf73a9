import type { Protocol } from '../../catalog/types';
import type { MentionCollector, MentionFacts } from '../collector';
import type { Token } from '../token';
import { protocolOf, withNote } from './portElements';
import stockTable from './stockServices.json';

/** What a firewalld service opens: its ports (`22/tcp`, `5000-5100/udp`) and the services it includes. */
export interface ServiceDefinition {
  ports: string[];
  includes?: string[];
  /** Where the definition comes from, for the hover: "firewalld 1.3.3 stock service", "services/myapp.xml". */
  origin: string;
}

/** Finds a service's definition by name: the workspace's own first, then firewalld's stock services. */
export type ServiceLookup = (name: string) => ServiceDefinition | undefined;

const STOCK_RELEASE = stockTable.source.split(' (')[0];
const STOCK: ReadonlyMap<string, { ports: string[]; includes?: string[] }> = new Map(
  Object.entries(stockTable.services),
);

/** firewalld's stock service `name` (firewalld.service(5)), as shipped in /usr/lib/firewalld/services. */
export function stockService(name: string): ServiceDefinition | undefined {
  const entry = STOCK.get(name);
  return entry && { ...entry, origin: `${STOCK_RELEASE} stock service` };
}

/** Where stock service definitions come from, for notes about a name that is not one of them. */
export const STOCK_SOURCE = stockTable.source;

/** A service name as firewalld accepts it; anything else (a path, a variable) names no definition. */
export const SERVICE_NAME = /^[A-Za-z0-9][\w.+-]*$/;

/** One port a service reference opens, and which service, reached through includes, defines it. */
interface ServicePort {
  port: string;
  protocol: Protocol;
  /** The service whose definition names the port: the one referenced, or one it includes. */
  definedIn: string;
  origin: string;
}

/**
 * A service's ports with those of the services it includes (firewalld.service(5), `<include service=""/>`).
 * Each service is expanded once, so an include cycle ends; names that resolve to nothing are returned apart.
 */
export function servicePorts(name: string, lookup: ServiceLookup): { ports: ServicePort[]; unresolved: string[] } {
  const ports: ServicePort[] = [];
  const unresolved: string[] = [];
  const seen = new Set<string>();
  const pending = [name];
  while (pending.length > 0) {
    const current = pending.shift()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const definition = lookup(current);
    if (!definition) {
      unresolved.push(current);
      continue;
    }
    for (const written of definition.ports) {
      const slash = written.lastIndexOf('/');
      const port = slash < 0 ? written : written.slice(0, slash);
      ports.push({
        port,
        protocol: protocolOf(slash < 0 ? undefined : written.slice(slash + 1)),
        definedIn: current,
        origin: definition.origin,
      });
    }
    for (const include of definition.includes ?? []) pending.push(include);
  }
  return { ports, unresolved };
}

/**
 * Adds one mention per port that the service named at `token.text.slice(from, to)` opens, all at the reference,
 * judged as `facts` says (the zone's `<port>` would be). Returns the names that resolved to nothing, for a note.
 */
export function addServiceReference(
  out: MentionCollector,
  token: Token,
  from: number,
  to: number,
  facts: MentionFacts,
  lookup: ServiceLookup,
): string[] {
  const name = token.text.slice(from, to);
  if (!SERVICE_NAME.test(name)) return [name];
  const { ports, unresolved } = servicePorts(name, lookup);
  for (const item of ports) {
    const through = item.definedIn === name ? '' : `, through ${item.definedIn}`;
    const reference = `${name} → ${item.port}/${item.protocol} (firewalld service ${name}${through}; ${item.origin})`;
    out.addReferencedPort(
      token,
      from,
      to,
      item.port,
      { ...facts, protocol: item.protocol, context: withNote(facts.context, `firewalld service ${name}`) },
      reference,
    );
  }
  return unresolved;
}
