import { MentionCollector, type MentionFacts, type PortSpecOptions } from '../collector';
import type { FormatScanner, ScanContext } from '../format';
import type { PortMention, RelatedSpan, RiskSignal, Span } from '../mention';
import { applyRulesetReach } from '../ruleset/applyReach';
import { applyComparison } from './comparison';
import { DefinitionUses, definitionFacts, namesPorts } from './definitionUses';
import type { Via } from './elements';
import { type Analysis, type RuleAnalysis, analyseNftablesText, analyseStatements, factsOf } from './analysis';
import { applyOtherBaseChains } from './baseChains';
import { type NftablesFindings, nftablesChainSets } from './chainSet';
import { addAllPortsSignal, addOpenInputSignal } from './inputPolicy';
import { type PortUse, portComponents } from './rule';
import type { Define, NamedSet } from './ruleset';
import { withSystemAliases } from './serviceNames';
import { type Item, type Statement, isWord } from './syntax';

export const NFTABLES = 'nftables';

/** nftables writes ranges with `-`; a name such as `http-alt` is no range, so it is read as a service name. */
export function nftablesPortSpec(text: string): PortSpecOptions {
  return /^\d/.test(text) ? { rangeSeparators: '-' } : { allowNames: true };
}

function policyRelated(analysis: RuleAnalysis): RelatedSpan[] {
  const policy = analysis.chain.policy;
  return policy ? [{ span: policy.span, message: `chain policy ${policy.text}` }] : [];
}

function usedBy(analysis: RuleAnalysis, via: Via): RelatedSpan {
  const written = via.kind === 'define' ? `$${via.name}` : `@${via.name}`;
  return { span: analysis.rule.span, message: `rule in chain ${analysis.rule.chain.name} that uses ${written}` };
}

/** Adds the mentions of analysed nftables text; ports in defines and sets carry the widest exposure of their uses. */
export class NftablesMentions implements NftablesFindings {
  private readonly shared = new DefinitionUses<{ use: PortUse; via: Via }>();
  readonly mentionOf = new Map<PortUse, PortMention>();
  readonly allPorts = new Map<RuleAnalysis, RiskSignal>();

  constructor(
    private readonly out: MentionCollector,
    private readonly tool: string,
  ) {}

  add(analysis: Analysis): void {
    for (const rule of analysis.rules) {
      for (const use of rule.reading.uses) {
        const facts = factsOf(rule, use, this.tool);
        if (use.via) this.share(use, use.via, facts, rule);
        else this.emit([use], facts, policyRelated(rule));
      }
      const signal = addAllPortsSignal(rule, this.out);
      if (signal) this.allPorts.set(rule, signal);
    }
    for (const { written, uses, facts, related } of this.shared.values())
      this.emit(
        uses.map((each) => each.use),
        facts,
        related,
        written.via,
      );
    this.unused(analysis);
    for (const shortfall of analysis.resolver.shortfalls.list) this.out.shortfalls.push(shortfall);
  }

  private share(use: PortUse, via: Via, facts: MentionFacts, rule: RuleAnalysis): void {
    const span = use.word.token.spanOf(use.from, use.to);
    const opens = (facts.role === 'allow' || facts.role === 'forward') && rule.chain.direction === 'inbound';
    this.shared.add(`${span.start}:${span.end}`, { use, via }, facts, opens, usedBy(rule, via), policyRelated(rule));
  }

  /** One mention for `uses`, which all write the same port token, judged by `facts`. */
  private emit(uses: readonly PortUse[], facts: MentionFacts, related: RelatedSpan[], via?: Via): void {
    const [use] = uses;
    const text = use.word.text.slice(use.from, use.to);
    const mention = this.out.addPort(use.word.token, use.from, use.to, facts, nftablesPortSpec(text));
    if (!mention) return;
    for (const each of uses) this.mentionOf.set(each, mention);
    applyComparison(mention, use.operator);
    if (related.length > 0) mention.related = related;
    if (via?.nameWord && !mention.variable) this.out.nameDefinition(mention, via.name, via.span);
  }

  /** Sets of ports and port defines that no rule uses still define ports, which expose nothing by themselves. */
  private unused(analysis: Analysis): void {
    for (const set of analysis.ruleset.sets.values()) if (!set.used) this.unusedSet(analysis, set);
    for (const define of analysis.ruleset.defines.values())
      if (!define.used && namesPorts(define.name)) this.unusedDefine(analysis, define);
  }

  private unusedSet(analysis: Analysis, set: NamedSet): void {
    const indexes = portComponents(set.type, set.typeof);
    if (indexes.length === 0) return;
    const facts = definitionFacts(this.tool, `element of set ${set.name}`);
    for (const group of set.elements) {
      for (const element of analysis.resolver.elements(group, '')) {
        for (const index of indexes) this.emitWord(element.components[index]?.[0], facts);
      }
    }
  }

  private unusedDefine(analysis: Analysis, define: Define): void {
    const facts = definitionFacts(this.tool, `value of define ${define.name}`);
    const [value] = define.value;
    if (value) for (const { item } of analysis.resolver.values(value, '')) this.emitWord(item, facts);
  }

  private emitWord(word: Item | undefined, facts: MentionFacts): void {
    if (!isWord(word)) return;
    this.out.addPort(word.token, 0, word.text.length, facts, nftablesPortSpec(word.text));
  }
}

/** Reads the statements of one `nft` command into `out`, each word's token made where the command writes it. */
export function readNftablesCommand(statements: readonly Statement[], out: MentionCollector, tool: string): void {
  new NftablesMentions(out, tool).add(analyseStatements(statements));
}

/**
 * The `nft` commands of a script, read in script order, make one ruleset: a rule one command adds meets the
 * chains, policies and earlier rules of the others. Its mentions are those each command added.
 */
export function evaluateNftablesCommands(statements: readonly Statement[], out: MentionCollector): void {
  if (statements.length === 0) return;
  const analysis = analyseStatements(statements);
  const key = (span: Span) => `${span.start}:${span.end}`;
  const mentions = new Map(out.mentions.map((mention) => [key(mention.span), mention]));
  const signals = new Map(
    out.signals.filter((signal) => signal.kind === 'all-ports-open').map((signal) => [key(signal.span), signal]),
  );
  const findings = { mentionOf: new Map<PortUse, PortMention>(), allPorts: new Map<RuleAnalysis, RiskSignal>() };
  for (const rule of analysis.rules) {
    for (const use of rule.reading.uses) {
      const mention = mentions.get(key(use.word.token.spanOf(use.from, use.to)));
      if (mention) findings.mentionOf.set(use, mention);
    }
    const verdict = rule.reading.verdictWord;
    const signal = verdict && signals.get(key(verdict.token.span));
    if (signal) findings.allPorts.set(rule, signal);
  }
  applyRulesetReach(nftablesChainSets(analysis, findings), out);
}

export const nftablesScanner: FormatScanner = {
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(NFTABLES, withSystemAliases(context.resolveServiceName));
    const analysis = context.analyses.of(analyseNftablesText);
    const mentions = new NftablesMentions(out, NFTABLES);
    mentions.add(analysis);
    // Only a whole ruleset says whether its input chains are open: one `nft` command of a script does not.
    const openPolicy = addOpenInputSignal(text, analysis, out);
    applyRulesetReach(nftablesChainSets(analysis, mentions, openPolicy), out);
    applyOtherBaseChains(analysis, mentions, out);
    return out.output;
  },
};
