import type { TextEdit } from '../format';
import type { PortMention } from '../mention';
import type { TextAnalyses } from '../textAnalyses';
import { type PfAnalysis, analysePf, pfFacts } from './analysis';

type PfRule = PfAnalysis['rules'][number];
type PfUse = PfRule['reading']['uses'][number];

/** The file's rules, and the uses of each port token by where it is written, for one lookup per finding. */
function indexed(_text: string, analyses: TextAnalyses) {
  const analysis = analyses.of(analysePf);
  const usesAt = new Map<number, { rule: PfRule; use: PfUse }[]>();
  for (const rule of analysis.rules) {
    for (const use of rule.reading.uses) {
      const start = use.token.token.span.start;
      // A macro's port is used by every rule that names the macro: its list grows in place.
      const uses = usesAt.get(start);
      if (uses) uses.push({ rule, use });
      else usesAt.set(start, [{ rule, use }]);
    }
  }
  return { definitions: analysis.definitions, usesAt };
}

/**
 * Lets only `networks` reach the mention's port in every pass rule that opens it to any source: `from any`
 * becomes `from { NETS }`, and a rule without `from` gets `from { NETS } ` before its `to`.
 */
export function restrictPfSource(
  _text: string,
  mention: PortMention,
  networks: readonly string[],
  analyses: TextAnalyses,
): TextEdit[] | undefined {
  if (networks.length === 0) return undefined;
  const list = `{ ${networks.join(', ')} }`;
  const { definitions, usesAt } = analyses.of(indexed);
  const edits = new Map<number, TextEdit>();
  for (const { rule, use } of usesAt.get(mention.span.start) ?? []) {
    const { reading } = rule;
    if (use.token.token.span.end !== mention.span.end) continue;
    const facts = pfFacts(rule, use, definitions);
    if ((facts.role !== 'allow' && facts.role !== 'forward') || facts.exposure !== 'any') continue;
    const [address, ...more] = reading.source?.addresses ?? [];
    if (reading.source?.negated || more.length > 0 || (address && (address.text !== 'any' || address.via))) continue;
    const insertAt = (at: number, newText: string) => edits.set(at, { span: { start: at, end: at }, newText });
    if (address) edits.set(address.token.span.start, { span: address.token.span, newText: list });
    else if (reading.fromWord) insertAt(reading.fromWord.token.span.end, ` ${list}`);
    else if (reading.toWord) insertAt(reading.toWord.token.span.start, `from ${list} `);
  }
  return edits.size > 0 ? [...edits.values()] : undefined;
}
