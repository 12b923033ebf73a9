import type { Protocol } from '../catalog/types';

/** What the text does with a port: the `role` field of the CLI contract. */
export type Role = 'listen' | 'allow' | 'deny' | 'forward' | 'publish' | 'connect' | 'define' | 'other';

/** The roles by which a text lets others reach a port: what can expose it. */
export const OPENING_ROLES: ReadonlySet<Role> = new Set<Role>(['allow', 'listen', 'publish', 'forward']);

/** Who can reach the port, as far as the text says: the `exposure` field of the CLI contract. */
export type Exposure = 'any' | 'public' | 'private' | 'loopback' | 'unknown';

/** A half-open range of UTF-16 offsets into the scanned document, the unit LSP positions use. */
export interface Span {
  start: number;
  end: number;
}

/** Orders things by where they are in the text: by start, then by end. */
export function byPosition(a: { span: Span }, b: { span: Span }): number {
  return a.span.start - b.span.start || a.span.end - b.span.end;
}

/** How many of `items`, in text order, start before `offset`: a binary search. */
export function countStartingBefore(items: readonly { span: Span }[], offset: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (items[middle].span.start < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The circumstances a scanner read around a port, which the hover puts into words and the rules weigh. */
export interface MentionContext {
  /** The program or statement that holds the port: `iptables`, `docker run`, `ssh`, `sshd_config`. */
  tool: string;
  direction?: 'inbound' | 'outbound';
  /** Who may connect, as written (`10.0.0.0/8`, `! 192.168.0.0/16`); absent when the rule names no source. */
  source?: string;
  /** The address a listener binds to, as written; absent when the tool picks its default. */
  bindAddress?: string;
  interface?: string;
  zone?: string;
  table?: string;
  chain?: string;
  policy?: string;
  /** Where traffic goes next: the remote host of a connection, the target of a forward or publish. */
  peer?: string;
  /** For the two ports of a mapping (`-p 8080:80`, `--to-destination h:443`), the other side. */
  mappedTo?: string;
  /** The port on the other side of a mapping, when the service behind a published port is what matters. */
  mappedPort?: number;
  /** A free note a scanner adds when the words above do not cover the case. */
  note?: string;
}

/** One port token in the text. Every scanner produces these; the hover, the rules and the CLI read them. */
export interface PortMention {
  span: Span;
  port: number;
  /** Last port of a range written as one token (`6000:6007`), else null. */
  endPort: number | null;
  protocol: Protocol;
  role: Role;
  exposure: Exposure;
  /** The format whose scanner read it: `shellscript`, or the format of a heredoc or quoted string inside it. */
  language: string;
  context: MentionContext;
  /** The service name as written where the syntax takes a port (`--dport ssh`). */
  writtenName?: string;
  /**
   * The service the text says runs or is reached here, whatever the port's number (`ssh` for `ssh -p 2222`,
   * `redis` for `redis-server --port 7000`, `ndm-requester` for a Connect:Direct API listener): its knowledge and
   * risk class apply, not the registry's entry for the number.
   */
  service?: string;
  /**
   * For a port that a name opens without writing it (firewalld `<service name="ssh"/>`), how the name reaches the
   * port: "ssh → 22/tcp (firewalld service ssh; firewalld 1.3.3 stock service)". Several mentions share the name.
   */
  reference?: string;
  /**
   * When the port came through a variable (`--dport $CD_PORT`), the variable and where its value is written; the
   * note says how it got there when not by an assignment ("argument 1 of open_port").
   */
  variable?: { name: string; definition: Span; note?: string };
  /**
   * For a value written here and used elsewhere through the script's data flow (`P=447`, `open_port 8471`, a loop's
   * list), what each command that uses it does with it.
   */
  uses?: PortUse[];
  /** Other places that explain this one: the chain policy, the `define`, the partner's node record. */
  related?: RelatedSpan[];
  /** For an accept that earlier rules take every packet of: the rule that does, and what it does with them. */
  shadowedBy?: RelatedSpan;
}

/** What a command does with a port whose value is written elsewhere; `via` names the function it runs in. */
export interface PortUse {
  span: Span;
  role: Role;
  exposure: Exposure;
  context: MentionContext;
  shadowedBy?: RelatedSpan;
  via?: string;
}

export interface RelatedSpan {
  span: Span;
  message: string;
}

/** Settings that weaken security without naming a port; the rules turn them into findings. */
export type SignalKind =
  | 'all-ports-open'
  | 'netmap-check-off'
  | 'alternate-comminfo-any'
  | 'secure-off'
  | 'weak-protocol'
  | 'secure-connection-not-enforced'
  | 'password-in-text'
  | 'shadowed-rule';

export interface RiskSignal {
  kind: SignalKind;
  /** The setting as written (`netmap.check=n`); for a password, the span of the password only. */
  span: Span;
  language: string;
  /** What was read, in words, never echoing a secret: "netmap.check=n in record local.node". */
  detail: string;
  related?: RelatedSpan[];
}

/**
 * Where and why a scanner stopped reading before the end of its text (its work budget was spent, a definition
 * grew past what can be expanded, a parser gave up): what follows may hold ports that were not reported.
 */
export interface Shortfall {
  reason: string;
  /** Where reading stopped: the construct that could not be read whole. */
  span: Span;
}

/**
 * Where the syntax takes a port and the text gives a variable whose value it never sets (from the environment,
 * the script's arguments, or a file pulled in with `source`): the hover says why no port is read there.
 */
export interface UnresolvedPort {
  span: Span;
  variable: string;
}

/** What one scanner read in one text. */
export interface ScanOutput {
  mentions: PortMention[];
  signals: RiskSignal[];
  /** Ports given by variables the text never sets. */
  unresolved?: UnresolvedPort[];
  /** Present when the text was not read whole; each becomes a `scan-incomplete` finding. */
  shortfalls?: Shortfall[];
  /**
   * The lines whose text other lines' readings depend on (table and chain declarations, jumps), for a format
   * where every other line is read on its own. A scanner that lists them lets an edit of the other lines
   * re-scan only those lines (service/editRescan.ts); one that does not is re-scanned whole.
   */
  contextLines?: Span[];
}
