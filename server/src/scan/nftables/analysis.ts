import type { MentionFacts } from '../collector';
import type { Exposure, Role, Span } from '../mention';
import { ElementResolver } from './elements';
import { type Chain, type Rule, type Ruleset, readRuleset } from './ruleset';
import { type PortUse, type RuleReading, readRule } from './rule';
import { type Statement, type TokenFactory, readStatements } from './syntax';

type Direction = 'inbound' | 'outbound';

/** What a rule's chain adds: the direction of its hook, the policy, and the interface a jump into it was made for. */
export interface ChainContext {
  direction?: Direction;
  policy?: { text: string; span: Span };
  iface?: string;
}

export interface RuleAnalysis {
  rule: Rule;
  reading: RuleReading;
  chain: ChainContext;
}

export interface Analysis {
  ruleset: Ruleset;
  resolver: ElementResolver;
  rules: RuleAnalysis[];
}

const HOOK_DIRECTIONS = new Map<string, Direction>([
  ['input', 'inbound'],
  ['prerouting', 'inbound'],
  ['forward', 'inbound'],
  ['ingress', 'inbound'],
  ['output', 'outbound'],
  ['postrouting', 'outbound'],
  ['egress', 'outbound'],
]);

/** A chain no base chain jumps to says its direction only through its name, as iptables users name theirs. */
function directionFromName(name: string): Direction | undefined {
  if (/input|prerouting|forward|ingress|^in[_-]/i.test(name)) return 'inbound';
  if (/output|postrouting|egress|^out[_-]/i.test(name)) return 'outbound';
  return undefined;
}

/**
 * Base chains take the direction and policy of their hook; regular chains take those of the base chain that
 * jumps to them (`iifname vmap { br0 : jump in_wired }` also gives in_wired the interface br0).
 */
function chainContexts(
  ruleset: Ruleset,
  readings: readonly { rule: Rule; reading: RuleReading }[],
): Map<string, ChainContext> {
  const edges = new Map<string, { target: string; iface?: string }[]>();
  for (const { rule, reading } of readings) {
    for (const jump of reading.jumps) {
      const list = edges.get(rule.chain.key) ?? [];
      list.push({ target: `${rule.scope}/${jump.target}`, iface: jump.iface });
      edges.set(rule.chain.key, list);
    }
  }
  const contexts = new Map<string, ChainContext>();
  const queue: Chain[] = [];
  for (const chain of ruleset.chains.values()) {
    if (!chain.base) continue;
    contexts.set(chain.key, { direction: HOOK_DIRECTIONS.get(chain.base.hook), policy: chain.policy });
    queue.push(chain);
  }
  for (let index = 0; index < queue.length; index++) {
    const from = contexts.get(queue[index].key)!;
    for (const edge of edges.get(queue[index].key) ?? []) {
      const target = ruleset.chains.get(edge.target);
      if (!target || contexts.has(target.key)) continue;
      contexts.set(target.key, { direction: from.direction, policy: from.policy, iface: edge.iface ?? from.iface });
      queue.push(target);
    }
  }
  for (const chain of ruleset.chains.values()) {
    if (!contexts.has(chain.key)) contexts.set(chain.key, { direction: directionFromName(chain.name) });
  }
  return contexts;
}

/** Reads nftables text: its statements, declarations and rules, each rule with what its chain adds. */
export function analyseNftables(text: string, makeToken?: TokenFactory): Analysis {
  return analyseStatements(readStatements(text, makeToken));
}

/** Reads statements already lexed: those of one text, or of every `nft` command of a script in turn. */
export function analyseStatements(statements: readonly Statement[]): Analysis {
  const ruleset = readRuleset(statements);
  const resolver = new ElementResolver(ruleset);
  const readings = ruleset.rules.map((rule) => ({ rule, reading: readRule(rule.items, resolver, rule.scope) }));
  const contexts = chainContexts(ruleset, readings);
  return {
    ruleset,
    resolver,
    rules: readings.map(({ rule, reading }) => ({ rule, reading, chain: contexts.get(rule.chain.key) ?? {} })),
  };
}

/** The analysis of a whole text, as the scanner and then the fix builders share it (`TextAnalyses`). */
export function analyseNftablesText(text: string): Analysis {
  return analyseNftables(text);
}

const FORWARDING_NAT = new Set(['dnat', 'redirect', 'tproxy']);

export function roleOf(use: PortUse, reading: RuleReading): Role {
  if (use.use === 'target') return 'forward';
  if (use.use !== 'match' || use.operator === '!=') return 'other';
  if (reading.nat && FORWARDING_NAT.has(reading.nat.kind)) return 'forward';
  const verdict = (use.verdict ?? reading.verdict)?.kind;
  if (verdict === 'accept') return 'allow';
  if (verdict === 'drop' || verdict === 'reject') return 'deny';
  return 'other';
}

function noteOf(use: PortUse, reading: RuleReading, role: Role): string | undefined {
  const verdict = use.verdict ?? reading.verdict;
  if (use.use === 'source') return 'source port of the matched packets';
  if (use.use === 'snat') return 'source port that translated packets leave from';
  if (use.use === 'key') return 'key of a map';
  if (use.use === 'target') return 'where the matched traffic is sent';
  if (use.operator === '!=') return 'every port except this one';
  if (role !== 'other') return undefined;
  if (verdict?.target !== undefined) return `handed to chain ${verdict.target}`;
  return verdict ? `verdict ${verdict.kind}` : 'matched without a verdict (counted, logged or marked)';
}

/** The interface a use is bound to, written as in the rule (`!= lo` when negated). */
function interfaceOf(use: PortUse, reading: RuleReading, chain: ChainContext): string | undefined {
  if (use.iface) return use.iface;
  if (reading.iface) return reading.iface.negated ? `!= ${reading.iface.text}` : reading.iface.text;
  return chain.iface;
}

/** The source a use is reached from; absent when the rule names none. */
export function sourceOfUse(use: PortUse, reading: RuleReading) {
  return use.source ?? reading.source;
}

/** Who reaches the port: only allow and forward rules on inbound chains expose it (GUIDE section 2). */
function exposureOf(
  use: PortUse,
  reading: RuleReading,
  role: Role,
  chain: ChainContext,
  iface: string | undefined,
): Exposure {
  if ((role !== 'allow' && role !== 'forward') || chain.direction !== 'inbound') return 'unknown';
  if (iface !== undefined && iface.split(', ').every((name) => name === 'lo')) return 'loopback';
  const source = sourceOfUse(use, reading);
  if (!source || source.negated) return 'any';
  return source.exposure;
}

/** The facts of one port use in its rule and chain. */
export function factsOf(analysis: RuleAnalysis, use: PortUse, tool: string): MentionFacts {
  const { rule, reading, chain } = analysis;
  const role = roleOf(use, reading);
  const iface = interfaceOf(use, reading, chain);
  const source = sourceOfUse(use, reading);
  return {
    protocol: use.protocol,
    role,
    exposure: exposureOf(use, reading, role, chain, iface),
    context: {
      tool,
      direction: chain.direction,
      source: source ? `${source.negated ? '!= ' : ''}${source.text}` : undefined,
      interface: iface,
      table: rule.chain.table,
      chain: rule.chain.name,
      policy: chain.policy?.text,
      peer: use.peer,
      mappedTo: use.mappedTo,
      note: noteOf(use, reading, role),
    },
  };
}
