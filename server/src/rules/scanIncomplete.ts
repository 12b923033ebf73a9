import { lineOf, lineStarts } from '../scan/lines';
import { type Rule, levelOf } from './context';
import { fixedSeverity } from './severity';

/**
 * A file that was not read whole may hold ports that nobody reported: one finding per place where reading stopped,
 * at the error level by default, so that a gate fails closed instead of passing a file it could not judge.
 */
export const scanIncompleteRule: Rule = (context) => {
  const severity = fixedSeverity(levelOf(context, 'scan-incomplete'));
  if (!severity || context.shortfalls.length === 0) return [];
  const starts = lineStarts(context.text);
  return context.shortfalls.map((shortfall) => ({
    ruleId: 'scan-incomplete',
    severity,
    span: shortfall.span,
    port: null,
    endPort: null,
    message: `Port Lens stopped reading this file at line ${lineOf(starts, shortfall.span.start) + 1}: ${shortfall.reason}. Ports from here on may be missing from the findings.`,
    fixes: [],
    related: [],
  }));
};
