import type { PortCatalog } from '../catalog/catalog';
import type { FormatFixes } from '../scan/format';
import type { PortMention, RiskSignal, Shortfall } from '../scan/mention';
import type { TextAnalyses } from '../scan/textAnalyses';
import type { PortLensSettings } from '../settings/settings';
import type { RuleLevel } from './catalog';
import type { Finding } from './finding';

/** What every rule reads: the scan of one file, the port knowledge, the user's settings, and the fix builders. */
export interface RuleContext {
  text: string;
  mentions: readonly PortMention[];
  signals: readonly RiskSignal[];
  /** Where the scan stopped short of the end of the text, if it did. */
  shortfalls: readonly Shortfall[];
  catalog: PortCatalog;
  settings: PortLensSettings;
  /** The fix builders of the format that read a mention or signal (an sshd heredoc inside a script has its own). */
  fixesFor(language: string): FormatFixes | undefined;
  /** What the scan already read from `text`, which the fix builders use again. */
  analyses: TextAnalyses;
}

/** A rule: reads the context, returns its findings. */
export type Rule = (context: RuleContext) => Finding[];

export function levelOf(context: RuleContext, ruleId: string): RuleLevel {
  return context.settings.rules[ruleId] ?? 'off';
}
