import type { MentionCollector, MentionFacts } from '../collector';
import { widest } from '../exposure';
import type { OutlineSymbol } from '../format';
import type { PortMention, RelatedSpan, Span } from '../mention';
import { CharacterSet, WHITESPACE } from '../lexing';
import { forEachLine } from '../lines';
import { PlainToken, type Token, words } from '../token';
import { applyRulesetReach } from '../ruleset/applyReach';
import { InputPolicyWatch, endsChain, isFilterInput } from './inputPolicy';
import { IptablesRuleset } from './ruleset';
import {
  type ChainEntry,
  type ChainPolicies,
  type IptablesRule,
  addAllPortsSignal,
  addIptablesRulePorts,
  chainKey,
  chainOfKey,
  directionOf,
  iptablesRuleFacts,
  parseIptablesRule,
  policyChainOf,
  recordPolicy,
  sourceExposure,
} from './rule';

/** `:INPUT DROP [0:0]`: a chain of the current table, its policy (none for `-`) and its counters, which are no ports. */
export interface ChainDeclaration {
  table: string;
  name: Token;
  policy?: Token;
  line: Span;
}

/** One line of an iptables-save file, as read. */
export type SaveFileLine =
  | { kind: 'rule'; rule: IptablesRule; line: Span }
  | { kind: 'chain'; chain: ChainDeclaration; line: Span }
  | { kind: 'table'; name: Token; line: Span }
  | { kind: 'comment'; text: string; line: Span; commentedRule?: IptablesRule }
  | { kind: 'commit' | 'blank'; line: Span };

export interface SaveFile {
  lines: SaveFileLine[];
  /** Chain declarations by `chainKey`. */
  chains: Map<string, ChainDeclaration>;
  /** Every chain of the file by `chainKey`: the declared ones and those that have rules. */
  knownChains: Set<string>;
}

const COUNTERS = /^\[\d+:\d+\]$/;
/** The blanks iptables-restore splits a line at: spaces and tabs only. */
const SPACE_OR_TAB = new CharacterSet(/[ \t]/);

/**
 * The words of a rule line. `iptables-save -c` puts the counters first (`[3:180] -A INPUT ...`), and hand-edited
 * files sometimes split the command (`- A INPUT`, which iptables-restore rejects): both still read as a rule.
 */
export function ruleLineTokens(text: string, start: number, end: number): Token[] {
  const tokens = words(text, start, end, SPACE_OR_TAB);
  if (tokens.length > 0 && COUNTERS.test(tokens[0].text)) tokens.shift();
  if (tokens.length > 1 && tokens[0].text === '-' && /^[AIDR]$/.test(tokens[1].text)) {
    tokens.splice(0, 2, new PlainToken(`-${tokens[1].text}`, tokens[0].span.start));
  }
  return tokens;
}

/** Reads the tables, chain declarations, rules and comments of an iptables-save (iptables-restore) file. */
export function readSaveFile(text: string): SaveFile {
  const lines: SaveFileLine[] = [];
  const chains = new Map<string, ChainDeclaration>();
  const ruleChains = new Set<string>();
  let table = 'filter';
  forEachLine(text, (start, end) => {
    const first = SPACE_OR_TAB.endOfRun(text, start, end);
    const line = { start, end };
    const lead = first < end ? text[first] : '';
    if (lead === '') lines.push({ kind: 'blank', line });
    else if (lead === '#')
      lines.push({
        kind: 'comment',
        text: text.slice(first, end),
        line,
        commentedRule: commentedRule(text, first, end, table),
      });
    else if (lead === '*') {
      const name = words(text, first + 1, end, WHITESPACE)[0] ?? new PlainToken('', first + 1);
      table = name.text || table;
      lines.push({ kind: 'table', name, line });
    } else if (lead === ':') {
      const chain = readChainDeclaration(text, first, end, table);
      if (chain) {
        chains.set(chainKey(table, chain.name.text), chain);
        lines.push({ kind: 'chain', chain, line });
      }
    } else if (/^COMMIT\b/.test(text.slice(first, first + 7))) lines.push({ kind: 'commit', line });
    else {
      const rule = parseIptablesRule(ruleLineTokens(text, first, end), { table });
      // A rule's `-t` may name another table than the section's: the rule says where its chain is.
      if (rule.chain) ruleChains.add(chainKey(rule.table, rule.chain));
      lines.push({ kind: 'rule', rule, line });
    }
  });
  // Declared chains first, then those only rules name: the order in which chainEntries meets the root chains.
  const knownChains = new Set(chains.keys());
  for (const key of ruleChains) knownChains.add(key);
  return { lines, chains, knownChains };
}

const COMMENTED_RULE = /^#[ \t#]*(?=(?:-A|--append|-I|--insert)[ \t])/;

/** `# -A INPUT -p tcp --dport 22 -j ACCEPT`: a rule switched off, whose ports the reader still explains. */
function commentedRule(text: string, first: number, end: number, table: string): IptablesRule | undefined {
  const mark = COMMENTED_RULE.exec(text.slice(first, end));
  return mark ? parseIptablesRule(ruleLineTokens(text, first + mark[0].length, end), { table }) : undefined;
}

function readChainDeclaration(text: string, first: number, end: number, table: string): ChainDeclaration | undefined {
  const [nameWord, policyWord] = words(text, first + 1, end, WHITESPACE);
  // `:` and the name touch in the format; the declaration of a nameless chain is half-typed.
  if (!nameWord || nameWord.span.start !== first + 1) return undefined;
  const policy = policyWord && policyWord.text !== '-' && !COUNTERS.test(policyWord.text) ? policyWord : undefined;
  return { table, name: nameWord, policy, line: { start: first, end } };
}

/** The policies the file declares, by `chainKey`. */
function declaredPolicies(file: SaveFile): ChainPolicies {
  const policies: ChainPolicies = new Map();
  for (const [key, chain] of file.chains) if (chain.policy) policies.set(key, chain.policy.text.toUpperCase());
  return policies;
}

/**
 * How each user-defined chain is reached: follows the jumps (`-A INPUT -s 10.0.0.0/8 -j Allowed`) from the
 * chains whose names tell a direction, widening the exposure along the way. Each chain's entry only ever
 * widens (or turns inbound once), so this stays linear in the number of jumps.
 */
export function chainEntries(file: SaveFile): Map<string, ChainEntry> {
  const known = file.knownChains;
  const jumps = new Map<string, IptablesRule[]>();
  for (const line of file.lines) {
    if (line.kind !== 'rule' || !line.rule.chain) continue;
    const from = chainKey(line.rule.table, line.rule.chain);
    const rules = jumps.get(from);
    if (rules) rules.push(line.rule);
    else jumps.set(from, [line.rule]);
  }
  const entries = new Map<string, ChainEntry>();
  const queue: { key: string; entry: ChainEntry }[] = [];
  for (const key of known) {
    const root = chainOfKey(key);
    const direction = directionOf(root);
    if (direction) queue.push({ key, entry: { root, direction, exposure: 'any' } });
  }
  for (let next = 0; next < queue.length; next++) {
    const { key, entry } = queue[next];
    for (const rule of jumps.get(key) ?? []) {
      if (!rule.target || directionOf(rule.target)) continue;
      const target = chainKey(rule.table, rule.target);
      if (!known.has(target)) continue;
      const sources = rule.source ? [rule.source] : entry.sources;
      const reached: ChainEntry = { ...entry, exposure: sourceExposure(rule, entry.exposure), sources };
      const merged = mergeEntries(entries.get(target), reached);
      if (merged) {
        entries.set(target, merged);
        queue.push({ key: target, entry: merged });
      }
    }
  }
  return entries;
}

/**
 * The lines other lines' readings depend on: tables, chain declarations, COMMIT, policy commands, jumps into
 * other chains, the rules of chains that are never declared (a first rule makes such a chain known), and the
 * rules that end INPUT (whether its policy opens every port depends on them). Every other line (a rule with a
 * verdict, a comment, a blank) is read from its own text and these lines alone.
 */
export function saveFileContextLines(file: SaveFile): Span[] {
  const known = file.knownChains;
  const context: Span[] = [];
  for (const line of file.lines) {
    if (line.kind === 'table' || line.kind === 'chain' || line.kind === 'commit') context.push(line.line);
    else if (line.kind === 'rule') {
      const { rule } = line;
      const jumps = rule.target !== undefined && known.has(chainKey(rule.table, rule.target));
      const undeclared = rule.chain !== undefined && !file.chains.has(chainKey(rule.table, rule.chain));
      const endsInput = isFilterInput(rule.table, rule.chain) && endsChain(rule);
      if (rule.command === 'policy' || jumps || undeclared || endsInput || shapesOthers(rule)) context.push(line.line);
    }
  }
  return context;
}

/**
 * A rule whose verdict may decide what rules of any port see (ruleset.ts): a verdict without a port match, or
 * with a negated one, and a RETURN. A rule with ports shapes only the rules that share a port, which the re-scan
 * finds by their mentions (see `portRulesInteract`).
 */
function shapesOthers(rule: IptablesRule): boolean {
  const target = (rule.target ?? '').toUpperCase();
  if (target === 'RETURN') return true;
  if (target !== 'ACCEPT' && target !== 'DROP' && target !== 'REJECT') return false;
  return rule.destinationPorts.length === 0 || rule.destinationPorts.some((option) => option.negated);
}

/**
 * Whether two ports' rules may decide each other's reading: ports of the same table that overlap, for the same
 * protocol, in rules that accept or deny. A re-scan that edits one reads the other with it.
 */
export function portRulesInteract(a: PortMention, b: PortMention): boolean {
  if ((a.role !== 'allow' && a.role !== 'deny') || (b.role !== 'allow' && b.role !== 'deny')) return false;
  if (a.context.table !== b.context.table) return false;
  if (a.protocol !== b.protocol && a.protocol !== 'any' && b.protocol !== 'any') return false;
  return a.port <= (b.endPort ?? b.port) && b.port <= (a.endPort ?? a.port);
}

/** The entry that covers both ways into a chain (inbound wins), or undefined when `reached` adds nothing. */
function mergeEntries(known: ChainEntry | undefined, reached: ChainEntry): ChainEntry | undefined {
  if (!known || (known.direction === 'outbound' && reached.direction === 'inbound')) return reached;
  if (known.direction !== reached.direction) return undefined;
  const exposure = widest([known.exposure, reached.exposure]);
  const sources = known.sources && reached.sources ? [...new Set([...known.sources, ...reached.sources])] : undefined;
  if (exposure === known.exposure && sources?.length === known.sources?.length) return undefined;
  return { ...known, exposure, sources };
}

/** What a rule's ports mean and which lines explain them; a dialect (ufw) may restate both. */
export interface RuleReading {
  facts: MentionFacts;
  related: RelatedSpan[];
}

/** How a format built on iptables-save syntax reads it. */
export interface SaveFileDialect {
  tool: string;
  /** Sees every line in order; for a rule, may return another reading (ufw's tuple comments). */
  visit?(line: SaveFileLine, reading?: RuleReading): RuleReading | undefined;
}

/**
 * Adds the ports of every rule of `file`, each with its chain's policy and direction: a user-defined chain takes
 * them from the chain that jumps to it. Allow and deny rules point at the policy line they override.
 */
export function scanSaveFile(file: SaveFile, out: MentionCollector, dialect: SaveFileDialect): void {
  const policies = declaredPolicies(file);
  const entries = chainEntries(file);
  const inputPolicy = new InputPolicyWatch();
  inputPolicy.declare(file.chains.get(chainKey('filter', 'INPUT'))?.policy);
  const ruleset = new IptablesRuleset(familyOf(file));
  for (const [key, chain] of file.chains) {
    ruleset.declareChain(chain.table, chainOfKey(key));
    if (chain.policy) ruleset.setPolicy(chain.table, chainOfKey(key), chain.policy.text);
  }
  for (const line of file.lines) {
    if (line.kind === 'comment' && line.commentedRule)
      addCommentedRule(line.commentedRule, policies, entries, out, dialect.tool);
    if (line.kind !== 'rule') {
      dialect.visit?.(line);
      continue;
    }
    const { rule } = line;
    inputPolicy.see(rule);
    if (recordPolicy(rule, policies)) continue;
    const entry = entryOf(rule, entries);
    const facts = iptablesRuleFacts(rule, policies, dialect.tool, entry);
    const reading = { facts, related: policyRelated(file, rule, policies, facts, entry) };
    const final = dialect.visit?.(line, reading) ?? reading;
    const allPorts = addAllPortsSignal(rule, final.facts, out);
    const mentions = addIptablesRulePorts(rule, final.facts, out);
    if (final.related.length > 0) for (const mention of mentions) mention.related = final.related;
    ruleset.add({ rule, line: line.line, mentions, allPorts });
  }
  const openPolicy = inputPolicy.report(out, (chain) => ruleset.holdsFilterChain(chain));
  applyRulesetReach([ruleset.chainSet(openPolicy)], out);
}

/** ip6tables-save files name IPv6 sources; a file that names none is read as iptables'. */
function familyOf(file: SaveFile): 'ipv4' | 'ipv6' {
  return file.lines.some((line) => line.kind === 'rule' && line.rule.source?.includes(':')) ? 'ipv6' : 'ipv4';
}

/** How the chain of a rule is reached, for a rule in a user-defined chain. */
function entryOf(rule: IptablesRule, entries: Map<string, ChainEntry>): ChainEntry | undefined {
  return rule.chain ? entries.get(chainKey(rule.table, rule.chain)) : undefined;
}

function addCommentedRule(
  rule: IptablesRule,
  policies: ChainPolicies,
  entries: Map<string, ChainEntry>,
  out: MentionCollector,
  tool: string,
): void {
  const facts = iptablesRuleFacts(rule, policies, tool, entryOf(rule, entries));
  for (const mention of addIptablesRulePorts(rule, facts, out)) {
    mention.role = 'other';
    mention.exposure = 'unknown';
    mention.context = { ...mention.context, note: 'commented out, so not in force' };
  }
}

/** The policy declaration an allow or deny rule makes an exception to. */
function policyRelated(
  file: SaveFile,
  rule: IptablesRule,
  policies: ChainPolicies,
  facts: MentionFacts,
  entry?: ChainEntry,
): RelatedSpan[] {
  if (facts.role !== 'allow' && facts.role !== 'deny') return [];
  const chain = policyChainOf(rule, policies, entry);
  const declaration = chain ? file.chains.get(chainKey(rule.table, chain)) : undefined;
  if (!declaration?.policy) return [];
  const via = chain === rule.chain ? '' : ` (${rule.chain} is reached from ${chain})`;
  return [
    {
      span: { start: declaration.line.start, end: declaration.policy.span.end },
      message: `chain ${chain} policy ${declaration.policy.text}${via}`,
    },
  ];
}

/** Tables and their chains, for the outline: a table runs from its `*name` line to its COMMIT. */
export function saveFileSymbols(file: SaveFile): OutlineSymbol[] {
  const tables: OutlineSymbol[] = [];
  let open: OutlineSymbol | undefined;
  for (const line of file.lines) {
    if (line.kind === 'table') {
      open = { name: line.name.text, kind: 'table', span: { ...line.line }, selection: line.name.span, children: [] };
      tables.push(open);
    } else if (line.kind === 'chain' && open) {
      const { name, policy } = line.chain;
      open.children!.push({
        name: name.text,
        detail: policy?.text,
        kind: 'chain',
        span: line.chain.line,
        selection: name.span,
      });
      open.span.end = line.line.end;
    } else if (open) {
      open.span.end = line.line.end;
      if (line.kind === 'commit') open = undefined;
    }
  }
  return tables;
}
