import type { CommentSyntax } from '../scan/format';
import { lineOf, lineStarts } from '../scan/lines';
import type { Span } from '../scan/mention';
import { RULES_BY_ID } from './catalog';
import type { Finding, Severity } from './finding';

export const IGNORE_NEXT_LINE = 'portlens-ignore-next-line';
export const IGNORE_FILE = 'portlens-ignore-file';

/** One `portlens-ignore-next-line <rule>[,<rule>] -- reason` or `portlens-ignore-file <rule> -- reason` comment. */
export interface Suppression {
  scope: 'next-line' | 'file';
  ruleIds: string[];
  reason: string;
  /** The directive's text, from the marker to the end of the comment, for the hints. */
  span: Span;
  /** The line it silences (0-based), for next-line directives. */
  targetLine?: number;
}

const DIRECTIVE =
  /portlens-ignore-(next-line|file)[ \t]+([A-Za-z0-9_,\t -]+?)(?:[ \t]+--[ \t]*(.*?))?[ \t]*(?:\*\/|-->)?[ \t]*$/;

/** True when the text before the marker on its line opens a comment of the format (`#`, `/*`, `<!--`, `;`). */
function startsComment(before: string, syntax: CommentSyntax): boolean {
  const opener = before.trimEnd();
  const candidates = [syntax.line, syntax.block?.[0]].filter((token): token is string => token !== undefined);
  return candidates.some((token) => {
    if (!opener.endsWith(token)) return false;
    const lead = opener.slice(0, -token.length);
    return syntax.firstColumnOnly ? lead === '' : lead.trim() === '';
  });
}

function isCommentOrBlank(content: string, syntax: CommentSyntax): boolean {
  const trimmed = content.trimStart();
  if (trimmed === '') return true;
  if (syntax.line && (syntax.firstColumnOnly ? content.startsWith(syntax.line) : trimmed.startsWith(syntax.line)))
    return true;
  return syntax.block !== undefined && trimmed.startsWith(syntax.block[0]);
}

/**
 * The suppression comments of a file, in its own comment syntax. A next-line directive silences the next line
 * that is not itself a comment, so several directives can stack above one rule.
 */
export function findSuppressions(text: string, syntax: CommentSyntax): Suppression[] {
  if (!text.includes('portlens-ignore-')) return [];
  const starts = lineStarts(text);
  const suppressions: Suppression[] = [];
  const pendingNextLine: Suppression[] = [];
  for (let line = 0; line < starts.length; line++) {
    const lineStart = starts[line];
    const lineEnd = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
    const content = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const marker = content.indexOf('portlens-ignore-');
    const match =
      marker >= 0 && startsComment(content.slice(0, marker), syntax) ? DIRECTIVE.exec(content.slice(marker)) : null;
    if (match) {
      const suppression: Suppression = {
        scope: match[1] === 'file' ? 'file' : 'next-line',
        ruleIds: match[2].split(/[\s,]+/).filter(Boolean),
        reason: (match[3] ?? '').trim(),
        span: { start: lineStart + marker, end: lineStart + content.trimEnd().length },
      };
      suppressions.push(suppression);
      if (suppression.scope === 'next-line') pendingNextLine.push(suppression);
      continue;
    }
    if (!isCommentOrBlank(content, syntax) && pendingNextLine.length > 0) {
      for (const suppression of pendingNextLine) suppression.targetLine = line;
      pendingNextLine.length = 0;
    }
  }
  return suppressions;
}

/**
 * Marks the findings that a suppression covers, and adds a hint for each suppression that gives no reason or
 * silences nothing. With `ignoreInline`, suppressions are reported but silence nothing (for CI).
 */
export function applySuppressions(
  text: string,
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  options: { ignoreInline: boolean; hintSeverity: (ruleId: string) => Severity | undefined },
): Finding[] {
  if (suppressions.length === 0) return [...findings];
  const starts = lineStarts(text);
  const used = new Set<Suppression>();
  const result = findings.map((finding) => {
    if (options.ignoreInline) return finding;
    const line = lineOf(starts, finding.span.start);
    const suppression = suppressions.find(
      (candidate) =>
        candidate.ruleIds.includes(finding.ruleId) && (candidate.scope === 'file' || candidate.targetLine === line),
    );
    if (!suppression) return finding;
    used.add(suppression);
    return { ...finding, suppressed: { justification: suppression.reason } };
  });
  for (const suppression of suppressions) {
    const unknown = suppression.ruleIds.filter((id) => !RULES_BY_ID.has(id));
    const hint = (ruleId: string, message: string) => {
      const severity = options.hintSeverity(ruleId);
      if (severity)
        result.push({
          ruleId,
          severity,
          span: suppression.span,
          port: null,
          endPort: null,
          message,
          fixes: [],
          related: [],
        });
    };
    if (!suppression.reason)
      hint('suppression-without-reason', 'Say why this is safe after "--", so the next reviewer knows');
    if (unknown.length > 0)
      hint('unused-suppression', `Unknown rule id ${unknown.join(', ')}: this comment suppresses nothing`);
    else if (!used.has(suppression) && !options.ignoreInline)
      hint('unused-suppression', 'This comment suppresses nothing: no finding of that rule is on the line it covers');
  }
  return result;
}
