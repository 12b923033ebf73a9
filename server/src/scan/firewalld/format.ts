import type { FormatDefinition } from '../format';
import { firewalldFixes } from './fixes';
import { firewalldHover } from './hover';
import { firewalldSymbols } from './symbols';
import { FIREWALLD, firewalldScanner } from './xmlScanner';

/**
 * firewalld XML: zones, services and policies under `firewalld/` (in `/etc` or `/usr/lib`), direct.xml, and any XML
 * file whose root element is one of theirs (checked after the declaration and comments).
 */
export const firewalldFormat: FormatDefinition = {
  languageId: FIREWALLD,
  standalone: true,
  fileNames: [
    /(^|\/)firewalld\/(zones|services|policies)\/[^/]+\.xml$/,
    /(^|\/)firewalld\/direct\.xml$/,
    /(^|\/)etc\/firewalld\/[^/]+\.xml$/,
  ],
  content: /^\uFEFF?\s*(<\?xml[^>]{0,200}\?>\s*)?(<!--(?:[^-]|-(?!->))*-->\s*)*<(zone|service|policy|direct)[\s>/]/,
  comment: { block: ['<!--', '-->'] },
  scanner: firewalldScanner,
  fixes: firewalldFixes,
  hover: firewalldHover,
  symbols: firewalldSymbols,
};
