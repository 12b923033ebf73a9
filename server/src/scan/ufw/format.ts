import type { FormatDefinition } from '../format';
import { collectingScanner } from '../collectingScanner';
import { readSaveFile, saveFileSymbols } from '../iptables/saveFile';
import { profileSymbols, scanUfwProfiles } from './profile';
import { restrictUfwSource, scanUfwRules } from './rulesFile';

export const UFW = 'ufw';
export const UFW_PROFILE = 'ufw-profile';

/** ufw's rule files: user.rules, user6.rules, before(6).rules, after(6).rules, and any *.rules under ufw/. */
export const ufwRulesFormat: FormatDefinition = {
  languageId: UFW,
  standalone: true,
  fileNames: [/(^|\/)(user|before|after)6?\.rules$/, /(^|\/)ufw\/[^/]+\.rules$/],
  // A ufw chain declaration or a tuple comment; no other iptables-save file has either.
  content: /(?:^|\n)(?::ufw6?-[\w-]+[ \t]|### tuple ###)/,
  comment: { line: '#' },
  scanner: collectingScanner(UFW, scanUfwRules),
  fixes: { restrictSource: restrictUfwSource },
  symbols: (text) => saveFileSymbols(readSaveFile(text)),
};

/** Application profiles in /etc/ufw/applications.d/ (INI sections with `ports=`). */
export const ufwProfileFormat: FormatDefinition = {
  languageId: UFW_PROFILE,
  standalone: true,
  fileNames: [/(^|\/)ufw\/applications\.d\/[^/]+$/],
  // A `[Section]` with a `ports=` setting among its next few lines.
  content: /(?:^|\n)[ \t]*\[[^\]\n]{1,100}\][ \t]*\r?\n(?:[^\n[]*\n){0,8}?[ \t]*ports[ \t]*=[ \t]*\d/,
  comment: { line: '#' },
  scanner: collectingScanner(UFW_PROFILE, scanUfwProfiles),
  symbols: profileSymbols,
};
