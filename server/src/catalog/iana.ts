import { IANA_TABLE } from './generated/ianaTable';
import type { IanaEntry, Protocol } from './types';

const PROTOCOL_LETTERS: Record<string, Protocol> = { t: 'tcp', u: 'udp', s: 'sctp', d: 'dccp' };

/**
 * The IANA registry, parsed once from the compact table that the build generates.
 * Ports are kept in a sorted array so a range query is two binary searches.
 */
export class IanaRegistry {
  private readonly byPort = new Map<number, IanaEntry[]>();
  /** Ports that have at least one named assignment, ascending. */
  private readonly assignedPorts: number[] = [];
  private byName?: Map<string, IanaEntry>;

  constructor(table: string = IANA_TABLE) {
    for (const line of table.split('\n')) {
      const [portText, letters, name, description] = line.split('\t');
      const entry: IanaEntry = {
        port: Number(portText),
        protocols: [...letters].map((letter) => PROTOCOL_LETTERS[letter]),
        name,
        description,
      };
      const list = this.byPort.get(entry.port);
      if (list) list.push(entry);
      else this.byPort.set(entry.port, [entry]);
      if (name && this.assignedPorts[this.assignedPorts.length - 1] !== entry.port) this.assignedPorts.push(entry.port);
    }
  }

  /** The registry rows for a port, narrowed to the protocol unless it is `any`. */
  entries(port: number, protocol: Protocol): IanaEntry[] {
    const all = this.byPort.get(port) ?? [];
    if (protocol === 'any') return all;
    return all.filter((entry) => entry.protocols.includes(protocol));
  }

  /** How many distinct ports in [first, last] carry a named assignment. */
  assignedCount(first: number, last: number): number {
    return lowerBound(this.assignedPorts, last + 1) - lowerBound(this.assignedPorts, first);
  }

  /** The port a service name stands for (`ssh` -> 22), as /etc/services would resolve it. */
  portForName(name: string, protocol: Protocol = 'any'): number | undefined {
    if (!this.byName) {
      this.byName = new Map();
      for (const list of this.byPort.values()) {
        for (const entry of list) {
          const key = entry.name.toLowerCase();
          if (key && !this.byName.has(key)) this.byName.set(key, entry);
        }
      }
    }
    const entry = this.byName.get(name.toLowerCase());
    if (!entry || (protocol !== 'any' && !entry.protocols.includes(protocol))) return undefined;
    return entry.port;
  }
}

function lowerBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
