import { parseIpv4, parseIpv6 } from '../exposure';
import type { TextEdit } from '../format';
import type { PortMention } from '../mention';
import type { TextAnalyses } from '../textAnalyses';
import { type RuleAnalysis, analyseNftablesText, factsOf, sourceOfUse } from './analysis';

type PortUse = RuleAnalysis['reading']['uses'][number];

/** Every port use of the file by where it is written, so each finding looks up its rules instead of all rules. */
function usesByStart(_text: string, analyses: TextAnalyses) {
  const uses = new Map<number, { analysis: RuleAnalysis; use: PortUse; end: number }[]>();
  for (const analysis of analyses.of(analyseNftablesText).rules) {
    for (const use of analysis.reading.uses) {
      const span = use.word.token.spanOf(use.from, use.to);
      // A define's port is used by every rule that names the define: its list grows in place.
      const known = uses.get(span.start);
      if (known) known.push({ analysis, use, end: span.end });
      else uses.set(span.start, [{ analysis, use, end: span.end }]);
    }
  }
  return uses;
}

/** `ip` for IPv4 networks, `ip6` for IPv6 ones; undefined for a mix, which one match cannot hold. */
function addressFamily(networks: readonly string[]): 'ip' | 'ip6' | undefined {
  const hosts = networks.map((network) => network.split('/')[0]);
  if (hosts.length > 0 && hosts.every((host) => parseIpv4(host) !== undefined)) return 'ip';
  if (hosts.length > 0 && hosts.every((host) => parseIpv6(host) !== undefined)) return 'ip6';
  return undefined;
}

/** A rule in an `ip` table cannot match IPv6 sources, nor one in an `ip6` table IPv4 sources. */
function tableTakes(analysis: RuleAnalysis, family: 'ip' | 'ip6'): boolean {
  const tableFamily = analysis.rule.scope.split('/')[0];
  return !((tableFamily === 'ip' && family === 'ip6') || (tableFamily === 'ip6' && family === 'ip'));
}

/**
 * Puts `ip saddr { NETS } ` (or `ip6 saddr`) in front of the port match of every rule that lets any source reach
 * the mention's port; a port written in a define or set is restricted in each rule that uses it that way.
 */
export function restrictNftablesSource(
  _text: string,
  mention: PortMention,
  networks: readonly string[],
  analyses: TextAnalyses,
): TextEdit[] | undefined {
  const family = addressFamily(networks);
  if (!family) return undefined;
  const edits = new Map<number, TextEdit>();
  for (const { analysis, use, end } of analyses.of(usesByStart).get(mention.span.start) ?? []) {
    if (end !== mention.span.end) continue;
    const facts = factsOf(analysis, use, '');
    const opensToAny = (facts.role === 'allow' || facts.role === 'forward') && facts.exposure === 'any';
    if (!opensToAny || sourceOfUse(use, analysis.reading) || !tableTakes(analysis, family)) continue;
    const anchor = use.anchor ?? analysis.reading.uses.find((other) => other.anchor)?.anchor;
    const at = anchor ? anchor.token.span.start : analysis.rule.span.start;
    edits.set(at, { span: { start: at, end: at }, newText: `${family} saddr { ${networks.join(', ')} } ` });
  }
  return edits.size > 0 ? [...edits.values()] : undefined;
}
