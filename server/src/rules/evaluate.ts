import type { CommentSyntax } from '../scan/format';
import type { RuleContext } from './context';
import { levelOf } from './context';
import { exposureRule } from './exposureRules';
import type { Finding } from './finding';
import { cleartextRule, dockerUfwRule, signalRule } from './otherRules';
import { fixedSeverity } from './severity';
import { applySuppressions, findSuppressions } from './suppressions';

const RULE_SET = [exposureRule, cleartextRule, dockerUfwRule, signalRule];

/**
 * Every finding for one file, sorted by position: the rules over its mentions and signals, then the file's
 * suppression comments (in the file's own comment syntax) and the hints about them.
 */
export function evaluateRules(context: RuleContext, comment: CommentSyntax): Finding[] {
  const findings = RULE_SET.flatMap((rule) => rule(context));
  const withSuppressions = applySuppressions(context.text, findings, findSuppressions(context.text, comment), {
    ignoreInline: context.settings.ignoreInlineSuppressions,
    hintSeverity: (ruleId) => fixedSeverity(levelOf(context, ruleId)),
  });
  return withSuppressions.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
}
