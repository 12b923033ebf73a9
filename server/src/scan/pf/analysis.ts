import type { MentionFacts } from '../collector';
import { widest } from '../exposure';
import type { Exposure, Role } from '../mention';
import { PfDefinitions, type RuleToken } from './definitions';
import { type PfPortUse, type PfRuleReading, RULE_ACTIONS, readPfRule } from './rule';
import { type PfStatement, readPfStatements } from './syntax';

export const PF_TOOL = 'pf';

export interface PfRuleAnalysis {
  statement: PfStatement;
  reading: PfRuleReading;
}

export interface PfAnalysis {
  definitions: PfDefinitions;
  rules: PfRuleAnalysis[];
}

/**
 * Reads pf.conf: its macros and tables, and every rule with its macros expanded. The scanner and then the fix
 * builder share one reading of a text (`TextAnalyses`).
 */
export function analysePf(text: string): PfAnalysis {
  const definitions = new PfDefinitions(text);
  const rules: PfRuleAnalysis[] = [];
  for (const statement of readPfStatements(text)) {
    if (definitions.declare(statement)) continue;
    // Expanding marks the macros a statement uses, rules or not (`set loginterface $ext_if`).
    const tokens = definitions.expand(statement);
    if (tokens.length > 0 && RULE_ACTIONS.has(statement.tokens[0].text))
      rules.push({ statement, reading: readPfRule(tokens) });
  }
  return { definitions, rules };
}

const NOTES: Record<string, string> = {
  source: 'source port of the matched packets',
  snat: 'source port that translated packets leave from',
  target: 'where the matched traffic is sent',
  excluded: 'excluded from translation',
  negated: 'every port except this one',
  match: 'match rule: sets options on the traffic, passes nothing by itself',
  nat: 'traffic matched for address translation',
};

function roleAndNote(use: PfPortUse, reading: PfRuleReading): { role: Role; note?: string } {
  if (use.side === 'source' || use.side === 'snat') return { role: 'other', note: NOTES[use.side] };
  if (reading.action.startsWith('no ')) return { role: 'other', note: NOTES.excluded };
  if (use.operator === '!=') return { role: 'other', note: NOTES.negated };
  if (use.side === 'target') return { role: 'forward', note: NOTES.target };
  switch (reading.action) {
    case 'block':
      return { role: 'deny' };
    case 'pass':
      return { role: reading.redirects ? 'forward' : 'allow' };
    case 'rdr':
      return { role: 'forward' };
    case 'match':
      return reading.redirects ? { role: 'forward', note: NOTES.match } : { role: 'other', note: NOTES.match };
    default:
      return { role: 'other', note: NOTES.nat };
  }
}

/** pf's loopback interfaces: `lo0`, `lo1`, ... */
export function isLoopbackName(name: string): boolean {
  return /^lo\d*$/.test(name);
}

/** `lo0`, or a list of loopback interfaces as the rule reader joins them (`lo0, lo1`). */
function isLoopback(iface: PfRuleReading['iface']): boolean {
  return iface !== undefined && !iface.negated && iface.text.split(', ').every(isLoopbackName);
}

/** Who a pass rule lets in: its `from` addresses, or any source when it has none (GUIDE section 2). */
export function sourceExposure(reading: PfRuleReading, definitions: PfDefinitions): Exposure {
  const source = reading.source;
  if (!source || source.addresses.length === 0 || source.negated) return 'any';
  return widest(
    source.addresses.map((address: RuleToken) =>
      address.kind === 'paren' ? 'unknown' : definitions.exposureOf(address.text),
    ),
  );
}

/** Whether a rule lets traffic to its ports in: `pass`, `rdr pass`, in either direction or inbound. */
export function exposes(reading: PfRuleReading, role: Role): boolean {
  return reading.passes && reading.direction !== 'out' && (role === 'allow' || role === 'forward');
}

export function pfFacts(analysis: PfRuleAnalysis, use: PfPortUse, definitions: PfDefinitions): MentionFacts {
  const { reading } = analysis;
  const { role, note } = roleAndNote(use, reading);
  let exposure: Exposure = 'unknown';
  if (exposes(reading, role)) exposure = isLoopback(reading.iface) ? 'loopback' : sourceExposure(reading, definitions);
  const direction =
    reading.direction === 'in' || /rdr$/.test(reading.action)
      ? 'inbound'
      : reading.direction === 'out'
        ? 'outbound'
        : undefined;
  const target = reading.target;
  const mappedTo =
    use.side === 'destination' && target?.host
      ? target.port
        ? `${target.host}:${target.port}`
        : target.host
      : undefined;
  const source = reading.source;
  return {
    protocol: reading.protocol,
    role,
    exposure,
    context: {
      tool: PF_TOOL,
      direction,
      source:
        source && source.addresses.length > 0
          ? `${source.negated ? '! ' : ''}${source.addresses.map((address) => address.text).join(', ')}`
          : undefined,
      interface: reading.iface ? `${reading.iface.negated ? '! ' : ''}${reading.iface.text}` : undefined,
      peer: use.side === 'target' ? target?.host : undefined,
      mappedTo,
      note,
    },
  };
}
