import { MentionCollector, type MentionFacts, parsePortNumber } from '../collector';
import type { FormatScanner, ScanContext } from '../format';
import type { PortMention, RelatedSpan, RiskSignal } from '../mention';
import { applyRulesetReach } from '../ruleset/applyReach';
import { applyComparison } from '../nftables/comparison';
import { withSystemAliases } from '../nftables/serviceNames';
import { DefinitionUses, definitionFacts, namesPorts } from '../nftables/definitionUses';
import { PF_TOOL, type PfAnalysis, type PfRuleAnalysis, analysePf, exposes, pfFacts } from './analysis';
import { type PfFindings, pfChainSets } from './chainSet';
import type { Macro } from './definitions';
import { addOpenPassSignals } from './openPass';
import type { PfPortUse } from './rule';

export const PF = 'pf';

const PORT_SPEC = { rangeSeparators: ':', allowNames: true };

/** Adds the mentions of a pf.conf; ports written in macros carry the widest exposure of the rules that use them. */
class PfMentions implements PfFindings {
  private readonly shared = new DefinitionUses<PfPortUse>();
  readonly mentionOf = new Map<PfPortUse, PortMention>();
  allPorts = new Map<PfRuleAnalysis, RiskSignal>();

  constructor(private readonly out: MentionCollector) {}

  add(analysis: PfAnalysis): void {
    for (const rule of analysis.rules) {
      for (const use of rule.reading.uses) {
        const facts = pfFacts(rule, use, analysis.definitions);
        const macro = use.token.via;
        if (!macro) {
          this.emit([use], facts, []);
          continue;
        }
        const span = use.token.token.span;
        const opens = exposes(rule.reading, facts.role);
        this.shared.add(`${span.start}:${span.end}`, use, facts, opens, {
          span: rule.statement.span,
          message: `rule that uses $${macro.name}`,
        });
      }
    }
    for (const { written, uses, facts, related } of this.shared.values())
      this.emit([written, ...uses.filter((use) => use !== written)], facts, related);
    for (const macro of analysis.definitions.macros.values())
      if (!macro.used && namesPorts(macro.name)) this.unusedMacro(macro);
  }

  /** One mention for `uses`, which all write the same port token; the first decides how it is read. */
  private emit(uses: readonly PfPortUse[], facts: MentionFacts, related: RelatedSpan[]): void {
    const mention = this.mentionFor(uses[0], facts, related);
    if (mention) for (const use of uses) this.mentionOf.set(use, mention);
  }

  private mentionFor(use: PfPortUse, facts: MentionFacts, related: RelatedSpan[]): PortMention | undefined {
    const { token, rangeEnd } = use;
    const mention = this.out.addPort(token.token, 0, use.to, facts, PORT_SPEC);
    if (!mention) return undefined;
    if (related.length > 0) mention.related = related;
    if (token.via) this.out.nameDefinition(mention, token.via.name, token.via.span);
    applyComparison(mention, use.operator);
    if (rangeEnd?.operator === '<>') {
      applyComparison(mention, '<');
      const upper = this.out.addPort(rangeEnd.token.token, 0, rangeEnd.token.text.length, facts, PORT_SPEC);
      if (upper) applyComparison(upper, '>');
    } else if (rangeEnd) {
      // `a >< b` is one range, the ports strictly between the two numbers, written across three words.
      const end = parsePortNumber(rangeEnd.token.text);
      if (end === undefined || end - 1 < mention.port + 1 || rangeEnd.token.via !== token.via) return mention;
      mention.span = { start: mention.span.start, end: rangeEnd.token.token.span.end };
      mention.port += 1;
      mention.endPort = end - 1 === mention.port ? null : end - 1;
    }
    return mention;
  }

  private unusedMacro(macro: Macro): void {
    const facts = definitionFacts(PF_TOOL, `value of macro ${macro.name}`);
    for (const token of macro.value)
      if (token.kind === 'word') this.out.addPort(token.token, 0, token.text.length, facts, PORT_SPEC);
  }
}

export const pfScanner: FormatScanner = {
  scan(_text: string, context: ScanContext) {
    const out = new MentionCollector(PF, withSystemAliases(context.resolveServiceName));
    const analysis = context.analyses.of(analysePf);
    const mentions = new PfMentions(out);
    mentions.add(analysis);
    mentions.allPorts = addOpenPassSignals(analysis, out);
    applyRulesetReach(pfChainSets(analysis, mentions), out);
    for (const shortfall of analysis.definitions.shortfalls.list) out.shortfalls.push(shortfall);
    return out.output;
  },
};
