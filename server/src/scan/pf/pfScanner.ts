import { MentionCollector, type MentionFacts, parsePortNumber } from '../collector';
import type { FormatScanner, ScanContext } from '../format';
import type { PortMention, RelatedSpan } from '../mention';
import type { Token } from '../token';
import { applyComparison } from '../nftables/comparison';
import { withSystemAliases } from '../nftables/serviceNames';
import { DefinitionUses, definitionFacts, namesPorts } from '../nftables/definitionUses';
import { PF_TOOL, type PfAnalysis, analysePf, exposes, pfFacts } from './analysis';
import type { Macro } from './definitions';
import { addOpenPassSignals } from './openPass';
import type { PfPortUse } from './rule';
import { PfRuleOrder } from './ruleOrder';

export const PF = 'pf';

const PORT_SPEC = { rangeSeparators: ':', allowNames: true };

/** Adds the mentions of a pf.conf; ports written in macros carry the widest exposure of the rules that use them. */
class PfMentions {
  private readonly shared = new DefinitionUses<PfPortUse>();

  constructor(private readonly out: MentionCollector) {}

  add(analysis: PfAnalysis): void {
    analysis.rules.forEach((rule, index) => {
      for (const use of rule.reading.uses) {
        const facts = pfFacts(rule, use, analysis.definitions);
        const macro = use.token.via;
        if (!macro) {
          const mention = this.emit(use, facts, []);
          // Only filter rules meet the rule order: `rdr pass` lets its packets by without the filter rules.
          if (mention && rule.reading.action === 'pass' && exposes(rule.reading, facts.role))
            this.judgeOrder(analysis, index, mention);
          continue;
        }
        const span = use.token.token.span;
        const opens = exposes(rule.reading, facts.role);
        this.shared.add(`${span.start}:${span.end}`, use, facts, opens, {
          span: rule.statement.span,
          message: `rule that uses $${macro.name}`,
        });
      }
    });
    for (const { written, facts, related } of this.shared.values()) this.emit(written, facts, related);
    for (const macro of analysis.definitions.macros.values())
      if (!macro.used && namesPorts(macro.name)) this.unusedMacro(macro);
  }

  /**
   * A port that a later block (or an earlier `block quick`) takes every packet of is never let in by this rule:
   * the mention says which rule decides instead, and the rule is reported once as never deciding a packet.
   */
  private judgeOrder(analysis: PfAnalysis, index: number, mention: PortMention): void {
    this.order ??= new PfRuleOrder(analysis.rules, (text) => this.out.parsePort(text, 'tcp', PORT_SPEC));
    const by = this.order.shadowing(index, mention);
    if (!by) return;
    mention.shadowedBy = by;
    const action = analysis.rules[index].statement.tokens[0].token;
    if (this.shadowed.has(action)) return;
    this.shadowed.add(action);
    const signal = this.out.addSignal(
      action,
      0,
      action.text.length,
      'shadowed-rule',
      'this rule never decides a packet',
    );
    signal.related = [by];
  }

  private order: PfRuleOrder | undefined;

  /** The rules already reported as never deciding a packet, by their first word. */
  private readonly shadowed = new Set<Token>();

  private emit(use: PfPortUse, facts: MentionFacts, related: RelatedSpan[]): PortMention | undefined {
    const { token, rangeEnd } = use;
    const mention = this.out.addPort(token.token, 0, use.to, facts, PORT_SPEC);
    if (!mention) return undefined;
    if (related.length > 0) mention.related = related;
    if (token.via) mention.variable = { name: token.via.name, definition: token.via.span };
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
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(PF, withSystemAliases(context.resolveServiceName));
    const analysis = analysePf(text);
    new PfMentions(out).add(analysis);
    addOpenPassSignals(analysis, out);
    for (const shortfall of analysis.definitions.shortfalls.list) out.shortfalls.push(shortfall);
    return out.output;
  },
};
