import curatedData from './curated-ports.json';
import { IanaRegistry } from './iana';
import type {
  CuratedCatalogFile,
  CuratedEntry,
  CustomPortNote,
  PortInfo,
  Protocol,
  RangeSummary,
  RiskClass,
} from './types';

export const IANA_REGISTRY_URL =
  'https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml';

const RISK_ORDER: Record<RiskClass, number> = { standard: 0, sensitive: 1, critical: 2 };
const PROTOCOL_KEYS: readonly Protocol[] = ['tcp', 'udp', 'sctp', 'dccp', 'any'];

/** A port (or inclusive range) and protocol that a curated entry or a user's note applies to. */
interface PortKey {
  first: number;
  last: number;
  protocol: Protocol;
}

/** Parses `"1363"`, `"2379-2380"`, `"9443/tcp"` or `"9000-9010/udp"`; undefined when it is none of these. */
export function parsePortKey(key: string, protocol: Protocol = 'any'): PortKey | undefined {
  const match = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?(?:\s*\/\s*(tcp|udp|sctp|dccp|any))?\s*$/i.exec(key);
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first > 65535 || last > 65535 || last < first) return undefined;
  return { first, last, protocol: (match[3]?.toLowerCase() as Protocol | undefined) ?? protocol };
}

function protocolsMeet(a: Protocol, b: Protocol): boolean {
  return a === 'any' || b === 'any' || a === b;
}

/** Entries keyed by port, so a lookup never scans the whole list. */
class PortIndex<T> {
  private readonly byPort = new Map<number, { key: PortKey; value: T }[]>();

  add(key: PortKey, value: T): void {
    for (let port = key.first; port <= key.last; port++) {
      const list = this.byPort.get(port);
      if (list) list.push({ key, value });
      else this.byPort.set(port, [{ key, value }]);
    }
  }

  find(port: number, protocol: Protocol): T | undefined {
    return this.byPort.get(port)?.find((item) => protocolsMeet(item.key.protocol, protocol))?.value;
  }

  ports(): IterableIterator<number> {
    return this.byPort.keys();
  }
}

/**
 * Port knowledge in three layers: the IANA registry, the reviewed curated notes, and the user's own notes
 * (`portLens.customPorts`), each winning over the one before.
 */
export class PortCatalog {
  private readonly curated = new PortIndex<CuratedEntry>();
  private readonly custom = new PortIndex<CustomPortNote>();

  constructor(
    readonly iana: IanaRegistry = new IanaRegistry(),
    private readonly curatedFile: CuratedCatalogFile = curatedData as CuratedCatalogFile,
    customPorts: Record<string, CustomPortNote> = {},
  ) {
    for (const entry of curatedFile.entries) {
      const key = parsePortKey(entry.ports, entry.protocol);
      if (key) this.curated.add(key, entry);
    }
    for (const [keyText, note] of Object.entries(customPorts)) {
      const key = parsePortKey(keyText);
      if (key) this.custom.add(key, note);
    }
  }

  /** The same registry and curated notes with other user notes: cheap, so settings changes rebuild it. */
  withCustomPorts(customPorts: Record<string, CustomPortNote>): PortCatalog {
    return new PortCatalog(this.iana, this.curatedFile, customPorts);
  }

  /** Lookups are pure, and rules ask the same few ports thousands of times in a large file. */
  private readonly lookups = new Map<number, PortInfo>();

  lookup(port: number, protocol: Protocol): PortInfo {
    const key = port * PROTOCOL_KEYS.length + PROTOCOL_KEYS.indexOf(protocol);
    let info = this.lookups.get(key);
    if (!info) {
      info = this.compose(port, protocol);
      this.lookups.set(key, info);
    }
    return info;
  }

  private compose(port: number, protocol: Protocol): PortInfo {
    const iana = this.iana.entries(port, protocol);
    const curatedEntry = this.curated.find(port, protocol);
    const custom = this.custom.find(port, protocol);
    const curated = curatedEntry && this.knowledgeOf(curatedEntry);
    const ianaName = iana.find((entry) => entry.name)?.name;
    return {
      port,
      protocol,
      iana,
      curated,
      custom,
      risk: custom?.risk ?? curatedEntry?.risk ?? 'standard',
      service: custom?.name ?? curatedEntry?.service ?? ianaName ?? curated?.title ?? null,
    };
  }

  /** What a curated entry says about its service, with its sources resolved. */
  private knowledgeOf(entry: CuratedEntry): NonNullable<PortInfo['curated']> {
    return {
      title: entry.title,
      uses: entry.uses,
      securityNote: entry.securityNote,
      secureAlternative: entry.secureAlternative,
      sources: entry.sources.map((key) => this.curatedFile.sources[key]).filter((source) => source !== undefined),
    };
  }

  /** Curated entries by the names of their service: their own, and IANA's for their first port. */
  private servicesByName?: Map<string, CuratedEntry>;

  /**
   * What the catalog knows about `port` when the text says which service runs there (`ssh -p 2222`,
   * `redis-server --port 7000`): that service's title, risk and security note, with the registry's entries for the
   * port itself. Notes about the service's usual port (its uses, a TLS port to move to) are left out. Undefined
   * for a service the curated notes do not know.
   */
  lookupService(service: string, port: number, protocol: Protocol): PortInfo | undefined {
    if (!this.servicesByName) {
      this.servicesByName = new Map();
      for (const entry of this.curatedFile.entries) {
        const key = parsePortKey(entry.ports, entry.protocol);
        const names = [
          entry.service,
          ...(key ? this.iana.entries(key.first, key.protocol) : []).map((item) => item.name),
        ];
        for (const name of names) if (name && !this.servicesByName.has(name)) this.servicesByName.set(name, entry);
      }
    }
    const entry = this.servicesByName.get(service);
    if (!entry) return undefined;
    const own = this.lookup(port, protocol);
    if (parsePortKey(entry.ports, entry.protocol)?.first === port) return own;
    const { secureAlternative, ...knowledge } = this.knowledgeOf(entry);
    return {
      ...own,
      curated: {
        ...knowledge,
        uses: [],
        ...(secureAlternative?.kind === 'tls-port' ? {} : { secureAlternative }),
      },
      risk: own.custom?.risk ?? entry.risk,
      service: own.custom?.name ?? service,
    };
  }

  /** The knowledge that applies to a mention: of the service its text names, else of its port. */
  describe(mention: { port: number; protocol: Protocol; service?: string }): PortInfo {
    const named = mention.service ? this.lookupService(mention.service, mention.port, mention.protocol) : undefined;
    return named ?? this.lookup(mention.port, mention.protocol);
  }

  /** A range's first and last service, how many assigned services it holds, and its riskiest port. */
  summarizeRange(first: number, last: number, protocol: Protocol): RangeSummary {
    let riskiest: PortInfo | undefined;
    for (const port of this.notedPortsWithin(first, last)) {
      const info = this.lookup(port, protocol);
      if (!riskiest || RISK_ORDER[info.risk] > RISK_ORDER[riskiest.risk]) riskiest = info;
    }
    return {
      first: this.lookup(first, protocol),
      last: this.lookup(last, protocol),
      assignedCount: this.iana.assignedCount(first, last),
      risk: riskiest?.risk ?? 'standard',
      riskiest: riskiest && riskiest.risk !== 'standard' ? riskiest : undefined,
    };
  }

  private *notedPortsWithin(first: number, last: number): Iterable<number> {
    for (const index of [this.curated, this.custom]) {
      for (const port of index.ports()) if (port >= first && port <= last) yield port;
    }
  }
}

export function ianaRegistryLink(port: number): string {
  return `${IANA_REGISTRY_URL}?search=${port}`;
}
