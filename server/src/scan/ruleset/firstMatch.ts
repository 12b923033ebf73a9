import { AddressSet } from '../addressSet';
import type { PortMention, RiskSignal, Shortfall, Span } from '../mention';
import type { Token } from '../token';
import {
  type AddressFamily,
  LOOPBACK,
  NO_PACKET,
  type PacketMatch,
  anyPacket,
  conjoin,
  interfacesOf,
  onInterface,
} from './packetMatch';
import { PORTS_ALL, type PortIntervals, WIDE, clipPorts, portCount, splitCell } from './portIntervals';

/**
 * First-match evaluation, as iptables (iptables(8), "TARGETS") and nftables (nft(8), "VERDICT STATEMENT") both do
 * it within a chain: the rules are tried in order and the first whose matches all hold decides. accept and drop
 * (reject too) end the packet's way; a jump runs another chain's rules and comes back after them, or at its
 * return; a goto does not come back, so a packet that falls off that chain meets the entry chain's policy; any
 * other statement (log, counter, mark) lets the packet go on. This file decides, for every port an accept rule
 * names, which packets of new connections reach the rule and are accepted there. The firewall's own reader turns
 * its rules into ChainRules; nothing here knows a rule's syntax.
 */

export type RuleAction = { kind: 'accept' | 'drop' | 'return' | 'pass' } | { kind: 'jump' | 'goto'; chain: string };

/** One rule of a chain, as the evaluation sees it. */
export interface ChainRule {
  /** The whole line or command, for "line N drops these packets first". */
  line: Span;
  /** The rule's destination-port mentions; those with role allow are judged. */
  mentions: PortMention[];
  /** The all-ports signal of an accept-everything rule, if it has one. */
  allPorts?: RiskSignal;
  /** What a packet must be for this rule to decide it, in isolation. */
  match: PacketMatch;
  action: RuleAction;
  /** Where a finding about the whole rule goes: its target or verdict word. */
  verdictToken?: Token;
  /** What this rule does to the packets it takes from a later one, where the firewall words it its own way. */
  takesWords?: string;
}

/** The chains of one address family and the entry chains where inbound packets start. */
export interface ChainSet {
  family: AddressFamily;
  chains: ReadonlyMap<string, readonly ChainRule[]>;
  /** Entry chains (iptables' INPUT, an nftables base chain on the input hook), each with its policy. */
  roots: readonly { key: string; policy?: 'accept' | 'drop' }[];
  /**
   * Who reaches the entry chains is not known (a firewalld zone bound to interfaces that may not face the
   * internet): a port that the rules leave open to every source keeps the exposure its line gives it.
   */
  unknownSources?: boolean;
  /**
   * An accept's packets that an earlier accept takes count as accepted by it (firewalld orders a zone's allows
   * itself, so one allow before another is no shadow).
   */
  earlierAcceptsCount?: boolean;
  /** How a finding says that a rule never takes a packet: "never matches" unless the firewall words it otherwise. */
  neverWords?: string;
}

type Verdict = 'accept' | 'drop' | 'return' | 'pass';

/** A rule as the packet meets it on its way from an entry chain: its matches and those of the jumps before it. */
interface PathEntry {
  rule: ChainRule;
  /** Everything a packet must be to be decided here: the jumps' matches and the rule's own. */
  match: PacketMatch;
  verdict: Verdict;
  /** The jumps on the way here, outermost first. */
  jumps: readonly ChainRule[];
  /**
   * `within[k]`: what a packet must be to be decided here, given that it took the first k jumps already. A rule
   * behind the same inexact jump (`-m limit -j C`) as an accept can still take every packet that accept sees.
   */
  within: readonly PacketMatch[];
  /** As in Way, with this entry's own chain last. */
  returned: readonly (readonly PacketMatch[])[];
}

/** The way a packet takes into a chain: what it must be, the jumps it took, and `within` as in PathEntry. */
interface Way {
  match: PacketMatch;
  jumps: readonly ChainRule[];
  within: readonly PacketMatch[];
  /** By depth: what the RETURNs before send back, in the chain entered after that many jumps. */
  returned: readonly (readonly PacketMatch[])[];
}

/** An accept that the jump leading to its chain sends no packet to (`-s 10.0.0.0/8 -j C`, then `-A C -s 192.0.2.1`). */
interface Unreached {
  rule: ChainRule;
  by: ChainRule;
}

/** Who reaches one port of an accept rule, all ways into its chain together. */
export interface PortReach {
  /** The sources that reach the port on interfaces other than loopback and are accepted by this rule. */
  sources: AddressSet;
  /** Whether packets on loopback reach it and are accepted. */
  loopback: boolean;
  /** When nothing reaches it: the rule that took the last of its packets. */
  shadowedBy?: ChainRule;
  /** The rule whose port this is. */
  owner?: ChainRule;
  /** Every source reaches it, from entry chains whose sources are not known: its line says more. */
  unnarrowed?: boolean;
}

/** What an evaluation found: per accepted port mention, and per accept-everything rule. */
export interface RulesetReach {
  ports: Map<PortMention, PortReach>;
  rules: Map<ChainRule, PortReach>;
}

/** Past this many rules on the paths from the entry chains, jumps are not followed further: bounded work. */
const PATH_LIMIT_FACTOR = 8;
/**
 * Jumps are followed this deep. Each rule carries the matches of the jumps around it, so deeper nesting costs its
 * square; real rulesets nest a few chains deep.
 */
const MAX_JUMP_DEPTH = 32;

/** Evaluates one ChainSet; `shortfall` says where following the chains stopped short, if it did. */
export class FirstMatchEvaluation {
  shortfall: Shortfall | undefined;

  constructor(private readonly set: ChainSet) {}

  /** The rules each entry chain puts a packet through, jumps followed, with the jumps' matches. */
  private paths(unreached: Unreached[]): PathEntry[][] {
    const total = [...this.set.chains.values()].reduce((sum, rules) => sum + rules.length, 0);
    const budget = { left: PATH_LIMIT_FACTOR * total + 1000 };
    return this.set.roots.map(({ key, policy }) => {
      const path: PathEntry[] = [];
      const way: Way = { match: anyPacket(this.set.family), jumps: [], within: [], returned: [] };
      this.walk(key, way, path, [key], budget, policy, unreached);
      return path;
    });
  }

  /** Whether a jump to `key` is followed: a chain of the ruleset, not on the way here (a loop), not too deep. */
  private follows(key: string, stack: readonly string[], jump: ChainRule): boolean {
    if (!this.set.chains.has(key) || stack.includes(key)) return false;
    if (stack.length < MAX_JUMP_DEPTH) return true;
    this.shortfall ??= { reason: `its chains jump more than ${MAX_JUMP_DEPTH} deep`, span: jump.line };
    return false;
  }

  /** Lays out the rules of `key` for packets that match `way`, following jumps; `stack` stops jump loops. */
  private walk(
    key: string,
    way: Way,
    path: PathEntry[],
    stack: string[],
    budget: { left: number },
    rootPolicy: 'accept' | 'drop' | undefined,
    unreached: Unreached[],
  ): void {
    let returnedHere: readonly PacketMatch[] = [];
    for (const rule of this.set.chains.get(key) ?? []) {
      if (--budget.left < 0) {
        this.shortfall ??= { reason: 'its chains have more paths than can be followed', span: rule.line };
        return;
      }
      const mine = rule.match;
      const returned = [...way.returned, returnedHere];
      const match = conjoin(way.match, mine);
      const { action } = rule;
      const jumpKey = action.kind === 'jump' || action.kind === 'goto' ? action.chain : undefined;
      const lastJump = way.jumps[way.jumps.length - 1];
      // A rule that contradicts a jump around it (`-p udp -j C`, then `-A C -p tcp`) takes no packet that way.
      const within = [...way.within.map((outer) => conjoin(outer, mine) ?? NO_PACKET), mine];
      const entry = (decided: Verdict): PathEntry => ({
        rule,
        match: match!,
        verdict: decided,
        jumps: way.jumps,
        within,
        returned,
      });
      if (match === undefined || (action.kind === 'accept' && !way.match.newConnections)) {
        // No packet of a new connection matches both the way here and the rule: the jump that leads here, or the
        // rule itself, excludes them all. A jump that takes no packet still leads to its chain's accepts.
        if (action.kind === 'accept') unreached.push({ rule, by: lastJump ?? rule });
        else if (jumpKey && this.follows(jumpKey, stack, rule)) {
          this.walk(
            jumpKey,
            { match: NO_PACKET, jumps: [...way.jumps, rule], within, returned },
            [],
            [...stack, jumpKey],
            budget,
            rootPolicy,
            unreached,
          );
        }
        continue;
      }
      if (action.kind === 'accept' || action.kind === 'drop') path.push(entry(action.kind));
      else if (jumpKey && this.follows(jumpKey, stack, rule)) {
        const inner: Way = { match, jumps: [...way.jumps, rule], within, returned };
        this.walk(jumpKey, inner, path, [...stack, jumpKey], budget, rootPolicy, unreached);
        // A packet that a goto sends into a chain and that falls off its end meets the policy, not the next rule.
        if (action.kind === 'goto' && rootPolicy) path.push(entry(rootPolicy));
      } else if (action.kind === 'return') {
        path.push(entry('return'));
        returnedHere = [...returnedHere, match];
      } else path.push(entry('pass'));
    }
  }

  /**
   * Who reaches each destination port of each accept rule. Earlier rules of the path take packets away: an
   * accept or drop whose matches cover the port (all of a range's ports, protocol and interface) removes its
   * sources. Earlier rules are found by port, so the work grows with the rules that share a port.
   */
  evaluate(): RulesetReach {
    const ports = new ReachMerger<PortMention>();
    const rules = new ReachMerger<ChainRule>();
    const unreached: Unreached[] = [];
    const everySource = anyPacket(this.set.family).sources!;
    const merge = <K>(results: ReachMerger<K>, key: K, found: PortReach) => {
      const unnarrowed = this.set.unknownSources && found.sources.equals(everySource);
      results.add(key, unnarrowed ? { ...found, unnarrowed } : found);
    };
    for (const path of this.paths(unreached)) {
      const index = new PathIndex(path);
      const interfaces = interfacesOf(path.map((entry) => entry.match.interfaces));
      path.forEach((entry, position) => {
        if (entry.verdict !== 'accept') return;
        // An accept of established packets only opens nothing to new connections, and one whose sources cannot be
        // read says nothing the evaluation can weigh: their lines alone describe them, also where a port they
        // share with other rules (a define, a macro) is judged.
        if (!entry.match.sources || !entry.match.newConnections) {
          const asWritten: PortReach = { sources: everySource, loopback: false, unnarrowed: true };
          for (const mention of entry.rule.mentions) if (mentionRange(mention)) ports.add(mention, asWritten);
          if (entry.rule.allPorts) rules.add(entry.rule, asWritten);
          return;
        }
        for (const mention of entry.rule.mentions) {
          const range = mentionRange(mention);
          if (!range) continue;
          const taken = clipPorts(entry.match.ports ?? PORTS_ALL, range);
          // A port that the jump here does not let through (`--dport 22 -j C`, then `-A C --dport 6379`) is never reached.
          const found =
            taken.length > 0
              ? remaining(path, index.before(position, taken), entry, taken, interfaces, this.set.earlierAcceptsCount)
              : unreachedBy(entry.jumps[entry.jumps.length - 1] ?? entry.rule);
          merge(ports, mention, { ...found, owner: entry.rule });
        }
        if (entry.rule.allPorts) {
          const taken = entry.match.ports ?? PORTS_ALL;
          const found = remaining(
            path,
            index.before(position, taken),
            entry,
            taken,
            interfaces,
            this.set.earlierAcceptsCount,
          );
          merge(rules, entry.rule, entry.match.ports ? somePortsOnly(found) : found);
        }
      });
    }
    for (const { rule, by } of unreached) {
      const nothing: PortReach = { ...unreachedBy(by), owner: rule };
      for (const mention of rule.mentions) if (mentionRange(mention)) ports.add(mention, nothing);
      if (rule.allPorts) rules.add(rule, nothing);
    }
    return { ports: ports.results(), rules: rules.results() };
  }
}

/**
 * An accept-everything rule reached through a jump that names ports (`--dport 80 -j web`, then `-A web -j ACCEPT`)
 * accepts only those ports: it counts as reached, but opens no "every port" to anyone.
 */
function somePortsOnly(found: PortReach): PortReach {
  return { sources: AddressSet.NOTHING, loopback: found.loopback || !found.sources.isEmpty };
}

function unreachedBy(rule: ChainRule): PortReach {
  return { sources: AddressSet.NOTHING, loopback: false, shadowedBy: rule };
}

/**
 * Puts together what each way to a key (another entry chain, another rule that shares a define's port, another
 * address family) finds. The sources are joined once at the end: a port that thousands of rules share would
 * otherwise copy its growing set at every rule.
 */
export class ReachMerger<K> {
  private readonly found = new Map<K, PortReach[]>();

  add(key: K, reach: PortReach): void {
    const list = this.found.get(key);
    if (list) list.push(reach);
    else this.found.set(key, [reach]);
  }

  /** The sources of all ways; shadowed (by the first way's rule) only when no way lets anything in. */
  results(): Map<K, PortReach> {
    const merged = new Map<K, PortReach>();
    for (const [key, all] of this.found) {
      const [first] = all;
      if (all.length === 1) {
        merged.set(key, first);
        continue;
      }
      const sources = AddressSet.unionAll(all.map((reach) => reach.sources));
      const loopback = all.some((reach) => reach.loopback);
      const shadowedBy = sources.isEmpty && !loopback ? first.shadowedBy : undefined;
      const unnarrowed = all.some((reach) => reach.unnarrowed) || undefined;
      merged.set(key, { sources, loopback, shadowedBy, owner: first.owner, unnarrowed });
    }
    return merged;
  }
}

function mentionRange(mention: PortMention): [number, number] | undefined {
  if (mention.role !== 'allow') return undefined;
  return [mention.port, mention.endPort ?? mention.port];
}

/**
 * Who reaches `ports` of the accept `accept` through the earlier entries `earlier`, interface by interface (each
 * interface the path names, loopback, and any other): a packet on loopback comes from this host, whatever its
 * source address says.
 */
function remaining(
  path: PathEntry[],
  earlier: number[],
  acceptEntry: PathEntry,
  ports: PortIntervals,
  interfaces: readonly string[],
  earlierAcceptsCount = false,
): PortReach {
  const accept = acceptEntry.match;
  if (earlier.length === 0) {
    // Nothing before it takes a packet: whoever the accept admits reaches it (a define of many ports is read here).
    const names = interfaces.filter((name) => onInterface(accept.interfaces, name));
    const others = names.some((name) => name !== LOOPBACK);
    return { sources: others ? accept.sources! : AddressSet.NOTHING, loopback: names.includes(LOOPBACK) };
  }
  let sources = AddressSet.NOTHING;
  let loopback = false;
  let loopbackShadow: ChainRule | undefined;
  let otherShadow: ChainRule | undefined;
  for (const name of interfaces) {
    if (!onInterface(accept.interfaces, name)) continue;
    const left = remainingOn(path, earlier, acceptEntry, ports, name, earlierAcceptsCount);
    if (left.sources.isEmpty && name === LOOPBACK) loopbackShadow ??= left.shadowedBy;
    else if (left.sources.isEmpty) otherShadow ??= left.shadowedBy;
    else if (name === LOOPBACK) loopback = true;
    else sources = sources.union(left.sources);
  }
  // The rule that takes the packets of the other interfaces explains more than the one for loopback.
  return sources.isEmpty && !loopback
    ? { sources, loopback, shadowedBy: otherShadow ?? loopbackShadow }
    : { sources, loopback };
}

function remainingOn(
  path: PathEntry[],
  earlier: number[],
  acceptEntry: PathEntry,
  ports: PortIntervals,
  name: string,
  earlierAcceptsCount: boolean,
): { sources: AddressSet; shadowedBy?: ChainRule } {
  const accept = acceptEntry.match;
  // Cells of ports that every earlier entry either covers whole or leaves alone, each with the sources left.
  let cells = ports.map(([low, high]) => ({ low, high, sources: accept.sources! }));
  // The sources an earlier accept took, when those count as accepted all the same.
  let acceptedBefore = AddressSet.NOTHING;
  for (const at of earlier) {
    const { rule, verdict, jumps } = path[at];
    // A RETURN takes packets away only from the rules of its own chain and of the chains it calls after it.
    if (verdict === 'return' && !jumps.every((jump, depth) => acceptEntry.jumps[depth] === jump)) continue;
    const shared = sharedJumps(path[at], acceptEntry);
    // Packets that a RETURN before it sends back out of a chain the accept is not in may still reach the accept.
    const returned = returnedSources(path[at].returned.slice(shared + 1), accept, name);
    const match = path[at].within[shared];
    if (!returned || !match.exact || !match.newConnections || !match.sources) continue;
    if (!onInterface(match.interfaces, name)) continue;
    if (match.protocol !== 'any' && match.protocol !== accept.protocol) continue;
    const taken = match.ports ?? PORTS_ALL;
    const next: typeof cells = [];
    for (const cell of cells) {
      for (const piece of splitCell(cell.low, cell.high, taken)) {
        if (!piece.inside) {
          next.push({ low: piece.low, high: piece.high, sources: cell.sources });
          continue;
        }
        for (const part of splitByReturns(piece.low, piece.high, returned)) {
          const taken = match.sources.subtract(part.returned);
          const left = cell.sources.subtract(taken);
          if (earlierAcceptsCount && verdict === 'accept')
            acceptedBefore = acceptedBefore.union(cell.sources.intersect(taken));
          if (!left.isEmpty) next.push({ low: part.low, high: part.high, sources: left });
        }
      }
    }
    cells = next;
    if (cells.length === 0) return { sources: acceptedBefore, shadowedBy: acceptedBefore.isEmpty ? rule : undefined };
  }
  // Cells cut from one cell share its sources: each distinct set is joined once.
  const distinct = new Set<AddressSet>([acceptedBefore]);
  for (const cell of cells) distinct.add(cell.sources);
  return { sources: distinct.size === 1 ? acceptedBefore : AddressSet.unionAll([...distinct]) };
}

/** Packets a RETURN may send back: to these ports (all when undefined), from these sources. */
interface Returned {
  ports?: PortIntervals;
  sources: AddressSet;
}

/**
 * What the RETURNs of the chains between an earlier rule and the accept may send back past that rule; undefined
 * when a RETURN's sources cannot be read. A RETURN sends back only packets that its source and port matches admit,
 * whatever its other matches say.
 */
function returnedSources(
  returns: readonly (readonly PacketMatch[])[],
  accept: PacketMatch,
  name: string,
): Returned[] | undefined {
  const returned: Returned[] = [];
  for (const matches of returns) {
    for (const returning of matches) {
      if (!mayReturn(returning, accept, name)) continue;
      if (!returning.sources) return undefined;
      returned.push({ ports: returning.ports, sources: returning.sources });
    }
  }
  return returned;
}

/** `[low, high]` cut where the returns' ports start and end, each piece with the sources returned to its ports. */
function splitByReturns(
  low: number,
  high: number,
  returns: readonly Returned[],
): { low: number; high: number; returned: AddressSet }[] {
  let pieces = [{ low, high, returned: AddressSet.NOTHING }];
  for (const { ports, sources } of returns) {
    pieces = pieces.flatMap((piece) =>
      splitCell(piece.low, piece.high, ports ?? PORTS_ALL).map((part) => ({
        low: part.low,
        high: part.high,
        returned: part.inside ? piece.returned.union(sources) : piece.returned,
      })),
    );
  }
  return pieces;
}

/**
 * Whether a RETURN may send back packets the accept could take on interface `name`. A RETURN of established
 * packets only sends back none that open a connection, the only packets the accept's reach counts.
 */
function mayReturn(returning: PacketMatch, accept: PacketMatch, name: string): boolean {
  if (!returning.newConnections) return false;
  const protocols = returning.protocol === 'any' || accept.protocol === 'any' || returning.protocol === accept.protocol;
  return protocols && onInterface(returning.interfaces, name);
}

/** How many jumps, from the outermost, an earlier entry and an accept share: the packet took those already. */
function sharedJumps(earlier: PathEntry, accept: PathEntry): number {
  let shared = 0;
  while (
    shared < earlier.jumps.length &&
    shared < accept.jumps.length &&
    earlier.jumps[shared] === accept.jumps[shared]
  )
    shared++;
  return shared;
}

/**
 * How many earlier rules one accept's port is compared with at most, the first in path order. Leaving out a later
 * one can only widen what the accept is found to expose, never hide it; it keeps a file where many rules share a
 * port (a define used by every rule) linear.
 */
const MAX_EARLIER = 128;

/**
 * The entries of one path by the ports they match, so that an accept meets only the earlier entries that can
 * take its packets: those for every port, those for wide ranges, and those for its own ports.
 */
class PathIndex {
  private readonly everyPort: number[] = [];
  private readonly wide: number[] = [];
  /** Every entry for a few ports, for an accept of a wide range. */
  private readonly ported: number[] = [];
  private readonly byPort = new Map<number, number[]>();

  constructor(path: PathEntry[]) {
    path.forEach((entry, position) => {
      if (entry.verdict === 'pass') return;
      const ports = entry.match.ports;
      if (!ports) this.everyPort.push(position);
      else if (portCount(ports) > WIDE) this.wide.push(position);
      else {
        this.ported.push(position);
        for (const [low, high] of ports)
          for (let port = low; port <= high; port++) {
            const list = this.byPort.get(port);
            if (list) list.push(position);
            else this.byPort.set(port, [position]);
          }
      }
    });
  }

  /** The first positions before `position` of entries that may match a packet to `ports`, in path order. */
  before(position: number, ports: PortIntervals): number[] {
    const lists = [this.everyPort, this.wide];
    if (portCount(ports) > WIDE) lists.push(this.ported);
    else
      for (const [low, high] of ports)
        for (let port = low; port <= high; port++) lists.push(this.byPort.get(port) ?? []);
    // Each list ascends, so the first of all are among the first of each.
    const found = new Set<number>();
    for (const list of lists) {
      for (let index = 0; index < list.length && index < MAX_EARLIER && list[index] < position; index++)
        found.add(list[index]);
    }
    return [...found].sort((a, b) => a - b).slice(0, MAX_EARLIER);
  }
}

/** What the shadowing rule does to the packets, for the related information: "drops these packets first". */
export function shadowWords(shadowing: ChainRule, owner: ChainRule | undefined): string {
  if (shadowing === owner) return 'takes no packet: its own matches exclude each other';
  if (shadowing.takesWords) return shadowing.takesWords;
  switch (shadowing.action.kind) {
    case 'accept':
      return 'accepts these packets first';
    case 'drop':
      return 'drops these packets first';
    case 'return':
      return 'returns these packets to the calling chain first';
    case 'goto':
      return 'sends these packets to the policy first';
    default:
      return 'sends none of these packets to this chain';
  }
}
