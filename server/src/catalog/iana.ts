import { IANA_TABLE } from './generated/ianaTable';
import type { IanaEntry, Protocol } from './types';

const PROTOCOL_LETTERS: Record<string, Protocol> = { t: 'tcp', u: 'udp', s: 'sctp', d: 'dccp' };
const TAB = 9;
const NEWLINE = '\n';

/**
 * The IANA registry, read from the compact table that the build generates: a line per assignment, sorted by port
 * (`port\tletters\tname\tdescription`). Building every entry up front was a large part of a one-file run's start,
 * which looks up a handful of ports, so only each line's start and port are indexed, and a port's lines are read
 * when it is first asked for.
 */
export class IanaRegistry {
  private readonly lineStarts: number[] = [];
  private readonly linePorts: number[] = [];
  private readonly read = new Map<number, IanaEntry[]>();
  /** Ports that have at least one named assignment, ascending. */
  private assignedPorts?: number[];
  private byName?: Map<string, IanaEntry>;

  constructor(private readonly table: string = IANA_TABLE) {
    for (let start = 0; start < table.length; ) {
      const tab = table.indexOf('\t', start);
      this.lineStarts.push(start);
      this.linePorts.push(Number(table.slice(start, tab)));
      const end = table.indexOf(NEWLINE, tab);
      start = end < 0 ? table.length : end + 1;
    }
  }

  /** The registry rows for a port, narrowed to the protocol unless it is `any`. */
  entries(port: number, protocol: Protocol): IanaEntry[] {
    const all = this.entriesOf(port);
    if (protocol === 'any') return all;
    return all.filter((entry) => entry.protocols.includes(protocol));
  }

  /** How many distinct ports in [first, last] carry a named assignment. */
  assignedCount(first: number, last: number): number {
    this.assignedPorts ??= this.findAssignedPorts();
    return lowerBound(this.assignedPorts, last + 1) - lowerBound(this.assignedPorts, first);
  }

  /** The port a service name stands for (`ssh` -> 22), as /etc/services would resolve it. */
  portForName(name: string, protocol: Protocol = 'any'): number | undefined {
    this.byName ??= this.indexNames();
    const entry = this.byName.get(name.toLowerCase());
    if (!entry || (protocol !== 'any' && !entry.protocols.includes(protocol))) return undefined;
    return entry.port;
  }

  private entriesOf(port: number): IanaEntry[] {
    let entries = this.read.get(port);
    if (!entries) {
      entries = [];
      for (let line = lowerBound(this.linePorts, port); this.linePorts[line] === port; line++)
        entries.push(this.entryAt(line));
      this.read.set(port, entries);
    }
    return entries;
  }

  private entryAt(line: number): IanaEntry {
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.table.length;
    const [portText, letters, name, description] = this.table.slice(this.lineStarts[line], end).split('\t');
    return {
      port: Number(portText),
      protocols: [...letters].map((letter) => PROTOCOL_LETTERS[letter]),
      name,
      description,
    };
  }

  private findAssignedPorts(): number[] {
    const ports: number[] = [];
    this.lineStarts.forEach((start, line) => {
      const port = this.linePorts[line];
      // A line's name is empty when its third field starts right after the second tab.
      const named = this.table.charCodeAt(this.table.indexOf('\t', this.table.indexOf('\t', start) + 1) + 1) !== TAB;
      if (named && ports[ports.length - 1] !== port) ports.push(port);
    });
    return ports;
  }

  /** The first entry of each name, in port order. */
  private indexNames(): Map<string, IanaEntry> {
    const byName = new Map<string, IanaEntry>();
    for (let line = 0; line < this.lineStarts.length; line++) {
      if (this.linePorts[line] === this.linePorts[line - 1]) continue;
      for (const entry of this.entriesOf(this.linePorts[line])) {
        const key = entry.name.toLowerCase();
        if (key && !byName.has(key)) byName.set(key, entry);
      }
    }
    return byName;
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
