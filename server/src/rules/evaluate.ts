import type { CommentSyntax } from '../scan/format';
import { byPosition } from '../scan/mention';
import type { RuleContext } from './context';
import { levelOf } from './context';
import { exposureRule } from './exposureRules';
import type { Finding } from './finding';
import { cleartextRule, dockerUfwRule, signalRule } from './otherRules';
import { scanIncompleteRule } from './scanIncomplete';
import { fixedSeverity } from './severity';
import { applySuppressions, findSuppressions } from './suppressions';

/** Rules whose every finding is about one mention or signal, so an edit re-evaluates only what it touched. */
const MENTION_RULES = [exposureRule, cleartextRule, signalRule];
/** Rules that weigh mentions against each other, which run over the whole file every time. */
const FILE_RULES = [dockerUfwRule, scanIncompleteRule];

/** The findings of the rules that read one mention or signal at a time. */
export function mentionFindings(context: RuleContext): Finding[] {
  return MENTION_RULES.flatMap((rule) => rule(context));
}

/**
 * Every finding for one file, sorted by position, from the findings about single mentions: adds the rules over
 * the whole file, then applies the file's suppression comments (in its own comment syntax) with their hints.
 */
export function fileFindings(context: RuleContext, ofMentions: readonly Finding[], comment: CommentSyntax): Finding[] {
  const findings = [...ofMentions, ...FILE_RULES.flatMap((rule) => rule(context))];
  const withSuppressions = applySuppressions(context.text, findings, findSuppressions(context.text, comment), {
    ignoreInline: context.settings.ignoreInlineSuppressions,
    hintSeverity: (ruleId) => fixedSeverity(levelOf(context, ruleId)),
  });
  // Rule ids are lower-case ASCII: plain comparison orders them as a collator would, without building one.
  return withSuppressions.sort((a, b) => byPosition(a, b) || compareText(a.ruleId, b.ruleId));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
