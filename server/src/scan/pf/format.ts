import type { FormatDefinition } from '../format';
import { restrictPfSource } from './fixes';
import { PF, pfScanner } from './pfScanner';

/** pf.conf, `*.pf` and anchor files, and text fed to `pfctl -f`. */
export const pfFormat: FormatDefinition = {
  languageId: PF,
  standalone: true,
  fileNames: [/(^|[/-])pf\.conf$/, /\.pf$/i, /(^|\/)pf\.anchors\/[^/]+$/],
  // Statements only pf writes: `set skip on`, `scrub in`, `table <name>`, filter rules with pf's keywords.
  content:
    /^[ \t]*(?:set[ \t]+skip[ \t]+on\b|scrub[ \t]+in\b|table[ \t]+<[\w.-]+>|(?:pass|block)[ \t]+(?:(?:in|out|log|quick|drop|return)[ \t]+)*(?:on[ \t]+\S+[ \t]+)?(?:inet6?[ \t]+)?(?:proto|from|all)\b|rdr[ \t]+(?:pass[ \t]+)?on\b)/m,
  consumers: ['pfctl'],
  comment: { line: '#' },
  scanner: pfScanner,
  fixes: { restrictSource: restrictPfSource },
};
