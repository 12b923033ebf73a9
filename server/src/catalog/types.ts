/** Transport protocols that port numbers belong to. `any` means the text does not narrow it (ufw `allow 53`). */
export type Protocol = 'tcp' | 'udp' | 'sctp' | 'dccp' | 'any';

/** Risk classes of the severity policy (GUIDE section 2). */
export type RiskClass = 'critical' | 'sensitive' | 'standard';

/** A source for a curated fact: a title a reviewer can recognise and a link to check it. */
export interface SourceRef {
  title: string;
  url: string;
}

/** How to make a port safer: move to its TLS partner, or keep the port and narrow who reaches it. */
export type SecureAlternative = { kind: 'tls-port'; port: number; text: string } | { kind: 'restrict'; text: string };

/** One curated entry of `curated-ports.json`. `ports` is a single port (`"1363"`) or an inclusive range (`"2379-2380"`). */
export interface CuratedEntry {
  ports: string;
  protocol: Protocol;
  /** A short name people use for it ("Connect:Direct API"), shown as the card title. */
  title: string;
  /**
   * The service's name where IANA registers the port to another (`as-central` on 8470, which IANA gives to
   * cisco-avp): the name reports print for the port.
   */
  service?: string;
  risk: RiskClass;
  /** What runs there in practice, including uses the IANA registry does not list. */
  uses: string[];
  /** Why exposure matters, in one or two sentences. Empty for ports with nothing to warn about. */
  securityNote: string;
  secureAlternative?: SecureAlternative;
  /** Keys into the `sources` table of the data file; every entry names at least one. */
  sources: string[];
}

export interface CuratedCatalogFile {
  sources: Record<string, SourceRef>;
  entries: CuratedEntry[];
}

/** A user's own note from `portLens.customPorts`; it wins over the catalog. */
export interface CustomPortNote {
  name?: string;
  note?: string;
  risk?: RiskClass;
}

/** One IANA registry row, merged across protocols that share the name. */
export interface IanaEntry {
  port: number;
  protocols: Protocol[];
  name: string;
  description: string;
}

/** Everything the catalog knows about one port and protocol, merged from every layer. */
export interface PortInfo {
  port: number;
  protocol: Protocol;
  iana: IanaEntry[];
  curated?: {
    title: string;
    uses: string[];
    securityNote: string;
    secureAlternative?: SecureAlternative;
    sources: SourceRef[];
  };
  custom?: CustomPortNote;
  risk: RiskClass;
  /**
   * The name to print next to the port: the user's, else the service the text names, else the curated service,
   * else IANA's, else the curated title.
   */
  service: string | null;
}

/** What a range (`8470:8476`) holds, for its hover card. */
export interface RangeSummary {
  first: PortInfo;
  last: PortInfo;
  assignedCount: number;
  /** The highest risk class of any port in the range, so a range that holds 1363 is treated as critical. */
  risk: RiskClass;
  riskiest?: PortInfo;
}
