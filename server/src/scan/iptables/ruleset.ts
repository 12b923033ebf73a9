import { AddressSet } from '../addressSet';
import type { PortMention, RiskSignal, Shortfall, Span } from '../mention';
import { type IptablesRule, chainKey, directionOf } from './rule';

/**
 * The iptables evaluation model (iptables(8), "TARGETS"; iptables-extensions(8)): the rules of a chain are tried in
 * order and the first whose matches all hold decides with its target. ACCEPT, DROP and REJECT end the packet's
 * way; a jump (`-j CHAIN`) runs another chain's rules and comes back after them, or at its RETURN; a goto
 * (`-g CHAIN`) does not come back, so a packet that falls off that chain meets the calling built-in chain's
 * policy; any other target (LOG, MARK) lets the packet go on. This file decides, for every port an ACCEPT rule
 * names, which packets of new connections reach the rule and are accepted there.
 */

/** One rule of a chain, with what it mentions. */
export interface RulesetRule {
  rule: IptablesRule;
  /** The whole line or command, for "line N drops these packets first". */
  line: Span;
  /** The rule's destination-port mentions. */
  mentions: PortMention[];
  /** The all-ports signal of an accept-everything rule, if it has one. */
  allPorts?: RiskSignal;
}

/** The packets a rule (or a rule together with the jumps that lead to it) matches, as far as exposure goes. */
interface PacketMatch {
  /** `any`, or the protocol's name: tcp, udp, sctp, dccp, or another (icmp, ipv6-icmp, gre) that has no ports. */
  protocol: string;
  /** Destination port intervals; undefined for every port. */
  ports?: [number, number][];
  /** Undefined when the source cannot be read (a variable, a host name): such a rule covers nothing. */
  sources?: AddressSet;
  /** Input-interface conditions as written (`eth0`, `! lo`, `eth+`), all of which must hold; none for every one. */
  interfaces: string[];
  /** False when a match narrows the packets in a way this model does not read, so the rule covers nothing. */
  exact: boolean;
  /** False when the rule matches no packet that opens a connection (`--state ESTABLISHED,RELATED`). */
  newConnections: boolean;
}

type Verdict = 'accept' | 'drop' | 'return' | 'pass';

/** A rule as the packet meets it on its way from a built-in chain: its matches and those of the jumps before it. */
interface PathEntry {
  rule: RulesetRule;
  /** Everything a packet must be to be decided here: the jumps' matches and the rule's own. */
  match: PacketMatch;
  verdict: Verdict;
  /** The jumps on the way here, outermost first. */
  jumps: readonly RulesetRule[];
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
  jumps: readonly RulesetRule[];
  within: readonly PacketMatch[];
  /** By depth: what the RETURNs before send back, in the chain entered after that many jumps. */
  returned: readonly (readonly PacketMatch[])[];
}

/** An accept that the jump leading to its chain sends no packet to (`-s 10.0.0.0/8 -j C`, then `-A C -s 192.0.2.1`). */
interface Unreached {
  rule: RulesetRule;
  by: RulesetRule;
}

/** Who reaches one port of an accept rule, all ways into its chain together. */
export interface PortReach {
  /** The sources that reach the port on interfaces other than loopback and are accepted by this rule. */
  sources: AddressSet;
  /** Whether packets on loopback reach it and are accepted. */
  loopback: boolean;
  /** When nothing reaches it: the rule that took the last of its packets. */
  shadowedBy?: RulesetRule;
  /** The rule whose port this is. */
  owner?: RulesetRule;
}

const TERMINAL: Record<string, Verdict> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'drop' };
const PORTS_ALL: [number, number][] = [[0, 65535]];
/** Past this many rules on the paths from the built-in chains, jumps are not followed further: bounded work. */
const PATH_LIMIT_FACTOR = 8;
/**
 * Jumps are followed this deep. Each rule carries the matches of the jumps around it, so deeper nesting costs its
 * square; real rulesets nest a few chains deep.
 */
const MAX_JUMP_DEPTH = 32;

/** The rules of one family (iptables or ip6tables), chain by chain, in the order the kernel tries them. */
export class IptablesRuleset {
  private readonly chains = new Map<string, RulesetRule[]>();
  private readonly policies = new Map<string, string>();
  /** Where following the chains stopped short, if it did: reported as scan-incomplete. */
  shortfall: Shortfall | undefined;

  constructor(private readonly family: 'ipv4' | 'ipv6') {}

  /** `-A` appends; `-I CHAIN [N]` inserts before the N-th rule (the first by default). */
  add(entry: RulesetRule): void {
    const { rule } = entry;
    if (!rule.chain) return;
    const key = chainKey(rule.table, rule.chain);
    const rules = this.chains.get(key) ?? [];
    this.chains.set(key, rules);
    if (rule.command === 'insert') {
      const position = rule.head && /^\d+$/.test(rule.head.text) ? Number(rule.head.text) : 1;
      rules.splice(Math.max(0, Math.min(rules.length, position - 1)), 0, entry);
    } else if (rule.command === 'append' || rule.command === 'replace') rules.push(entry);
  }

  /** `-D CHAIN N` removes the N-th rule, `-D CHAIN rule...` the first rule written the same; `-F [CHAIN]` flushes. */
  remove(rule: IptablesRule, written: string): void {
    if (rule.command === 'flush') {
      if (rule.chain) this.chains.delete(chainKey(rule.table, rule.chain));
      else for (const key of [...this.chains.keys()]) if (key.startsWith(`${rule.table}/`)) this.chains.delete(key);
      return;
    }
    const rules = rule.chain ? this.chains.get(chainKey(rule.table, rule.chain)) : undefined;
    if (!rules) return;
    const index =
      rule.head && /^\d+$/.test(rule.head.text)
        ? Number(rule.head.text) - 1
        : rules.findIndex((item) => item.rule.spec === written);
    if (index >= 0 && index < rules.length) rules.splice(index, 1);
  }

  declareChain(table: string, chain: string): void {
    const key = chainKey(table, chain);
    if (!this.chains.has(key)) this.chains.set(key, []);
  }

  setPolicy(table: string, chain: string, policy: string): void {
    this.policies.set(chainKey(table, chain), policy.toUpperCase());
  }

  /** The rules each built-in inbound chain puts a packet through, jumps followed, with the jumps' matches. */
  private paths(unreached: Unreached[]): PathEntry[][] {
    const jumped = new Set<string>();
    for (const [key, rules] of this.chains) {
      for (const { rule } of rules) {
        const target = rule.target && chainKey(rule.table, rule.target);
        if (target && target !== key && this.chains.has(target)) jumped.add(target);
      }
    }
    const total = [...this.chains.values()].reduce((sum, rules) => sum + rules.length, 0);
    const budget = { left: PATH_LIMIT_FACTOR * total + 1000 };
    const paths: PathEntry[][] = [];
    for (const key of this.chains.keys()) {
      const chain = key.slice(key.indexOf('/') + 1);
      if (!key.startsWith('filter/') || jumped.has(key) || directionOf(chain) !== 'inbound') continue;
      const path: PathEntry[] = [];
      this.walk(
        key,
        { match: ANY_PACKET(this.family), jumps: [], within: [], returned: [] },
        path,
        [key],
        budget,
        this.policies.get(key),
        unreached,
      );
      paths.push(path);
    }
    return paths;
  }

  /** Whether a jump to `key` is followed: a chain of the ruleset, not on the way here (a loop), not too deep. */
  private follows(key: string, stack: readonly string[], jump: RulesetRule): boolean {
    if (!this.chains.has(key) || stack.includes(key)) return false;
    if (stack.length < MAX_JUMP_DEPTH) return true;
    this.shortfall ??= { reason: `its chains jump more than ${MAX_JUMP_DEPTH} deep`, span: jump.line };
    return false;
  }

  /** Lays out the rules of `key` for packets that match `entry`, following jumps; `stack` stops jump loops. */
  private walk(
    key: string,
    way: Way,
    path: PathEntry[],
    stack: string[],
    budget: { left: number },
    rootPolicy: string | undefined,
    unreached: Unreached[],
  ): void {
    let returnedHere: readonly PacketMatch[] = [];
    for (const item of this.chains.get(key) ?? []) {
      if (--budget.left < 0) {
        this.shortfall ??= { reason: 'its chains have more paths than can be followed', span: item.line };
        return;
      }
      const { rule } = item;
      const mine = matchOf(item, this.family);
      const returned = [...way.returned, returnedHere];
      const match = conjoin(way.match, mine);
      const target = (rule.target ?? '').toUpperCase();
      const verdict = TERMINAL[target];
      const jumpKey = rule.target ? chainKey(rule.table, rule.target) : undefined;
      const lastJump = way.jumps[way.jumps.length - 1];
      // A rule that contradicts a jump around it (`-p udp -j C`, then `-A C -p tcp`) takes no packet that way.
      const within = [...way.within.map((outer) => conjoin(outer, mine) ?? NO_PACKET), mine];
      const entry = (decided: Verdict): PathEntry => ({
        rule: item,
        match: match!,
        verdict: decided,
        jumps: way.jumps,
        within,
        returned,
      });
      if (match === undefined || (verdict === 'accept' && !way.match.newConnections)) {
        // No packet of a new connection matches both the way here and the rule: the jump that leads here, or the
        // rule itself, excludes them all. A jump that takes no packet still leads to its chain's accepts.
        if (verdict === 'accept') unreached.push({ rule: item, by: lastJump ?? item });
        else if (jumpKey && this.follows(jumpKey, stack, item)) {
          this.walk(
            jumpKey,
            { match: NO_PACKET, jumps: [...way.jumps, item], within, returned },
            [],
            [...stack, jumpKey],
            budget,
            rootPolicy,
            unreached,
          );
        }
        continue;
      }
      if (verdict) path.push(entry(verdict));
      else if (jumpKey && this.follows(jumpKey, stack, item)) {
        const inner: Way = { match, jumps: [...way.jumps, item], within, returned };
        this.walk(jumpKey, inner, path, [...stack, jumpKey], budget, rootPolicy, unreached);
        // A packet that a goto sends into a chain and that falls off its end meets the policy, not the next rule.
        if (rule.goto && rootPolicy && TERMINAL[rootPolicy]) path.push(entry(TERMINAL[rootPolicy]));
      } else if (target === 'RETURN') {
        path.push(entry('return'));
        returnedHere = [...returnedHere, match];
      } else path.push(entry('pass'));
    }
  }

  /**
   * Who reaches each destination port of each accept rule. Earlier rules of the path take packets away: an
   * ACCEPT, DROP or REJECT whose matches cover the port (all of a range's ports, protocol and interface) removes
   * its sources. Earlier rules are found by port, so the work grows with the rules that share a port.
   */
  evaluate(): RulesetReach {
    const ports = new Map<PortMention, PortReach>();
    const rules = new Map<RulesetRule, PortReach>();
    const unreached: Unreached[] = [];
    for (const path of this.paths(unreached)) {
      const index = new PathIndex(path);
      const interfaces = interfacesOf(path.map((entry) => entry.match.interfaces));
      path.forEach((entry, position) => {
        // An accept of established packets only opens nothing to new connections: its line alone describes it.
        if (entry.verdict !== 'accept' || !entry.match.sources || !entry.match.newConnections) return;
        for (const mention of entry.rule.mentions) {
          const range = mentionRange(mention);
          if (!range) continue;
          const taken = intersectPorts(entry.match.ports ?? PORTS_ALL, [range]);
          // A port that the jump here does not let through (`--dport 22 -j C`, then `-A C --dport 6379`) is never reached.
          const found =
            taken.length > 0
              ? remaining(path, index.before(position, taken), entry, taken, interfaces)
              : unreachedBy(entry.jumps[entry.jumps.length - 1] ?? entry.rule);
          merge(ports, mention, { ...found, owner: entry.rule });
        }
        if (entry.rule.allPorts) {
          const taken = entry.match.ports ?? PORTS_ALL;
          const found = remaining(path, index.before(position, taken), entry, taken, interfaces);
          merge(rules, entry.rule, entry.match.ports ? somePortsOnly(found) : found);
        }
      });
    }
    for (const { rule, by } of unreached) {
      const nothing: PortReach = { ...unreachedBy(by), owner: rule };
      for (const mention of rule.mentions) if (mentionRange(mention)) merge(ports, mention, nothing);
      if (rule.allPorts) merge(rules, rule, nothing);
    }
    return { ports, rules };
  }
}

/** What `evaluate` found: per accepted port mention, and per accept-everything rule. */
export interface RulesetReach {
  ports: Map<PortMention, PortReach>;
  rules: Map<RulesetRule, PortReach>;
}

/**
 * An accept-everything rule reached through a jump that names ports (`--dport 80 -j web`, then `-A web -j ACCEPT`)
 * accepts only those ports: it counts as reached, but opens no "every port" to anyone.
 */
function somePortsOnly(found: PortReach): PortReach {
  return { sources: AddressSet.NOTHING, loopback: found.loopback || !found.sources.isEmpty };
}

function unreachedBy(rule: RulesetRule): PortReach {
  return { sources: AddressSet.NOTHING, loopback: false, shadowedBy: rule };
}

function merge<K>(results: Map<K, PortReach>, key: K, found: PortReach): void {
  const known = results.get(key);
  if (!known) {
    results.set(key, found);
    return;
  }
  const sources = known.sources.union(found.sources);
  const loopback = known.loopback || found.loopback;
  const shadowedBy = sources.isEmpty && !loopback ? known.shadowedBy : undefined;
  results.set(key, { sources, loopback, shadowedBy, owner: known.owner });
}

const ANY_PACKET = (family: 'ipv4' | 'ipv6'): PacketMatch => ({
  protocol: 'any',
  sources: AddressSet.universe(family),
  interfaces: [],
  exact: true,
  newConnections: true,
});
const NO_PACKET: PacketMatch = {
  protocol: 'any',
  sources: AddressSet.NOTHING,
  interfaces: [],
  exact: true,
  newConnections: true,
};

function mentionRange(mention: PortMention): [number, number] | undefined {
  if (mention.role !== 'allow') return undefined;
  return [mention.port, mention.endPort ?? mention.port];
}

/**
 * What a packet must be to match `rule` alone. A negated source or port list is its complement; matches this
 * model does not read (`-m limit`, `-d`, `--sport`, `-m recent`) make it inexact, so it covers nothing; a state
 * match without NEW matches no packet that opens a connection.
 */
function matchOf(entry: RulesetRule, family: 'ipv4' | 'ipv6'): PacketMatch {
  const { rule } = entry;
  let sources: AddressSet | undefined = AddressSet.universe(family);
  if (rule.source) {
    const negated = rule.source.startsWith('!');
    const listed = AddressSet.ofList(rule.source.replace(/^!\s*/, ''));
    sources = listed && (negated ? sources.subtract(listed) : sources.intersect(listed));
  }
  let ports: [number, number][] | undefined;
  let exact = !rule.otherMatches && rule.sourcePorts.length === 0;
  for (const option of rule.destinationPorts) {
    // The port mentions hold the values with service names resolved; a value that is no port leaves none.
    const { start, end } = option.token.span;
    const listed = entry.mentions.filter((mention) => mention.span.start >= start && mention.span.end <= end);
    if (listed.length !== (option.list ? option.token.text.split(',').length : 1)) exact = false;
    const set = normalize(listed.map((mention) => [mention.port, mention.endPort ?? mention.port]));
    const taken = option.negated ? complementPorts(set) : set;
    ports = ports ? intersectPorts(ports, taken) : taken;
  }
  const newConnectionsOnly =
    rule.syn !== false && (!rule.states || rule.states.some((state) => state === 'NEW' || state === 'UNTRACKED'));
  const protocol = rule.protocol === 'any' && rule.protocolName ? rule.protocolName : rule.protocol;
  return {
    protocol,
    ports,
    sources,
    interfaces: rule.inInterface ? [rule.inInterface] : [],
    exact,
    newConnections: newConnectionsOnly,
  };
}

/** Both matches at once; undefined when no packet can match both (tcp and udp, eth0 and eth1). */
function conjoin(first: PacketMatch, second: PacketMatch): PacketMatch | undefined {
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
  const interfaces = [...first.interfaces, ...second.interfaces];
  if (!interfacesOf([interfaces]).some((name) => onInterface(interfaces, name))) return undefined;
  return {
    protocol,
    ports,
    sources,
    interfaces,
    exact: first.exact && second.exact && exactProtocol,
    newConnections: first.newConnections && second.newConnections,
  };
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
  ports: [number, number][],
  interfaces: readonly string[],
): PortReach {
  const accept = acceptEntry.match;
  let sources = AddressSet.NOTHING;
  let loopback = false;
  let loopbackShadow: RulesetRule | undefined;
  let otherShadow: RulesetRule | undefined;
  for (const name of interfaces) {
    if (!onInterface(accept.interfaces, name)) continue;
    const left = remainingOn(path, earlier, acceptEntry, ports, name);
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
  ports: [number, number][],
  name: string,
): { sources: AddressSet; shadowedBy?: RulesetRule } {
  const accept = acceptEntry.match;
  // Cells of ports that every earlier entry either covers whole or leaves alone, each with the sources left.
  let cells = ports.map(([low, high]) => ({ low, high, sources: accept.sources! }));
  for (const at of earlier) {
    const { rule, verdict, jumps } = path[at];
    // A RETURN takes packets away only from the rules of its own chain and of the chains it calls after it.
    if (verdict === 'return' && !jumps.every((jump, depth) => acceptEntry.jumps[depth] === jump)) continue;
    const shared = sharedJumps(path[at], acceptEntry);
    // Packets that a RETURN before it sends back out of a chain the accept is not in may still reach the accept.
    const returns = path[at].returned.slice(shared + 1);
    if (returns.some((matches) => matches.some((returning) => mayReturn(returning, accept, name)))) continue;
    const match = path[at].within[shared];
    if (!match.exact || !match.newConnections || !match.sources || !onInterface(match.interfaces, name)) continue;
    if (match.protocol !== 'any' && match.protocol !== accept.protocol) continue;
    const taken = match.ports ?? PORTS_ALL;
    const next: typeof cells = [];
    for (const cell of cells) {
      for (const piece of splitCell(cell.low, cell.high, taken)) {
        const left = piece.inside ? cell.sources.subtract(match.sources) : cell.sources;
        if (!left.isEmpty) next.push({ low: piece.low, high: piece.high, sources: left });
      }
    }
    cells = next;
    if (cells.length === 0) return { sources: AddressSet.NOTHING, shadowedBy: rule };
  }
  return { sources: cells.reduce((all, cell) => all.union(cell.sources), AddressSet.NOTHING) };
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

const LOOPBACK = 'lo';
/** An interface name no rule can write: it stands for every interface the ruleset does not name. */
const OTHER_INTERFACE = '\u0000other';

/** Whether a packet on interface `name` meets every condition (`eth0`, `! eth0`, `eth+` for every eth). */
function onInterface(conditions: readonly string[], name: string): boolean {
  return conditions.every((condition) => {
    const negated = condition.startsWith('!');
    const pattern = negated ? condition.replace(/^!\s*/, '') : condition;
    const matches = pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
    return matches !== negated;
  });
}

/** One interface for each name the conditions write (a wildcard stands for one it takes), lo, and the rest. */
function interfacesOf(conditionLists: Iterable<readonly string[]>): string[] {
  const names = new Set<string>([LOOPBACK, OTHER_INTERFACE]);
  for (const conditions of conditionLists) {
    for (const condition of conditions) {
      const pattern = condition.replace(/^!\s*/, '');
      names.add(pattern.endsWith('+') ? `${pattern.slice(0, -1)}\u0000` : pattern);
    }
  }
  return [...names];
}

/** `[low, high]` cut where `taken` starts and ends, each piece marked inside or outside `taken`. */
function splitCell(
  low: number,
  high: number,
  taken: [number, number][],
): { low: number; high: number; inside: boolean }[] {
  const pieces: { low: number; high: number; inside: boolean }[] = [];
  let at = low;
  for (const [start, end] of taken) {
    if (end < at || start > high) continue;
    if (start > at) pieces.push({ low: at, high: start - 1, inside: false });
    const from = Math.max(start, at);
    const to = Math.min(end, high);
    pieces.push({ low: from, high: to, inside: true });
    at = to + 1;
  }
  if (at <= high) pieces.push({ low: at, high, inside: false });
  return pieces;
}

function normalize(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

function complementPorts(set: [number, number][]): [number, number][] {
  const result: [number, number][] = [];
  let next = 0;
  for (const [low, high] of set) {
    if (low > next) result.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= 65535) result.push([next, 65535]);
  return result;
}

function intersectPorts(first: [number, number][], second: [number, number][]): [number, number][] {
  const result: [number, number][] = [];
  for (const [a, b] of first)
    for (const [c, d] of second) if (Math.max(a, c) <= Math.min(b, d)) result.push([Math.max(a, c), Math.min(b, d)]);
  return normalize(result);
}

/**
 * The entries of one path by the ports they match, so that an accept meets only the earlier entries that can
 * take its packets: those for every port, those for wide ranges, and those for its own ports.
 */
class PathIndex {
  private readonly everyPort: number[] = [];
  private readonly wide: number[] = [];
  private readonly byPort = new Map<number, number[]>();

  constructor(path: PathEntry[]) {
    path.forEach((entry, position) => {
      if (entry.verdict === 'pass') return;
      const ports = entry.match.ports;
      if (!ports) this.everyPort.push(position);
      else if (ports.reduce((sum, [low, high]) => sum + high - low + 1, 0) > WIDE) this.wide.push(position);
      else
        for (const [low, high] of ports)
          for (let port = low; port <= high; port++) {
            const list = this.byPort.get(port);
            if (list) list.push(position);
            else this.byPort.set(port, [position]);
          }
    });
  }

  /** The positions before `position` of entries that may match a packet to `ports`, in path order. */
  before(position: number, ports: [number, number][]): number[] {
    const found = new Set<number>();
    const add = (list: readonly number[] | undefined) => {
      for (const at of list ?? []) if (at < position) found.add(at);
    };
    add(this.everyPort);
    add(this.wide);
    const count = ports.reduce((sum, [low, high]) => sum + high - low + 1, 0);
    if (count > WIDE) for (const list of this.byPort.values()) add(list);
    else for (const [low, high] of ports) for (let port = low; port <= high; port++) add(this.byPort.get(port));
    return [...found].sort((a, b) => a - b);
  }
}

/** Port sets larger than this are kept in one list rather than port by port. */
const WIDE = 64;

/** What the shadowing rule does to the packets, for the related information: "drops these packets first". */
export function shadowWords(shadowing: RulesetRule, owner: RulesetRule | undefined): string {
  if (shadowing === owner) return 'takes no packet: its own matches exclude each other';
  const verdict = TERMINAL[(shadowing.rule.target ?? '').toUpperCase()];
  if (verdict === 'accept') return 'accepts these packets first';
  if (verdict === 'drop') return 'drops these packets first';
  if (shadowing.rule.target?.toUpperCase() === 'RETURN') return 'returns these packets to the calling chain first';
  return shadowing.rule.goto ? 'sends these packets to the policy first' : 'sends none of these packets to this chain';
}
