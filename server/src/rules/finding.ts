import type { Span } from '../scan/mention';

/** LSP's severity names, which the CLI contract uses too. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A risk a rule found in a file: where, how bad, what to tell the user, and which fixes exist. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  span: Span;
  /** The port the finding is about, or null for a setting such as Connect:Direct `netmap.check=n`. */
  port: number | null;
  endPort: number | null;
  message: string;
  fixes: string[];
}
