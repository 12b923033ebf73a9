import type { TextEdit } from '../scan/format';
import type { RelatedSpan, Span } from '../scan/mention';

/** LSP's severity names, which the CLI contract uses too. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type FixKind = 'restrict-source' | 'bind-loopback' | 'tls-port' | 'resolve-signal';

/** A quick fix: the smallest edits that remove the finding, in the format's own syntax. */
export interface FixAction {
  title: string;
  kind: FixKind;
  edits: TextEdit[];
  /** The fix a reviewer would pick for this finding; the editor marks it preferred. */
  preferred: boolean;
  /** Whether "Fix all Port Lens findings" may apply it without the user looking at each one. */
  safeInBulk: boolean;
}

/** A risk a rule found in a file: where, how bad, what to tell the user, and how to fix it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  span: Span;
  /** The port the finding is about, or null for a setting such as Connect:Direct `netmap.check=n`. */
  port: number | null;
  endPort: number | null;
  message: string;
  fixes: FixAction[];
  /** Other lines that explain the finding: the `define` a value came from, the chain policy, the node record. */
  related: RelatedSpan[];
  /** Set when an inline `portlens-ignore` comment covers the finding; the reason the comment gives. */
  suppressed?: { justification: string };
}

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
