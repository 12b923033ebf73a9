import type { FormatDefinition } from '../format';
import { restrictNftablesSource } from './fixes';
import { NFTABLES, nftablesScanner } from './nftablesScanner';

/** nftables rulesets: `*.nft`, `nftables.conf`, files under `nftables.d/`, and text fed to `nft -f`. */
export const nftablesFormat: FormatDefinition = {
  languageId: NFTABLES,
  standalone: true,
  fileNames: [/\.nft$/i, /(^|[/-])nftables\.conf$/, /(^|\/)nftables\.d\/[^/]+\.conf$/],
  // A `#!/usr/sbin/nft -f` line, or a first statement (after comments) that only nftables writes.
  content:
    /^(?:#![ \t]*(?:\S*\/)?(?:env[ \t]+)?nft\b|(?:[ \t]*(?:#[^\n]*)?\r?\n){0,50}[ \t]*(?:table[ \t]+(?:(?:ip6?|inet|arp|bridge|netdev)[ \t]+)?[\w.-]+[ \t]*\{|flush[ \t]+ruleset\b|define[ \t]+\w+[ \t]*=))/,
  consumers: ['nft'],
  comment: { line: '#' },
  scanner: nftablesScanner,
  fixes: { restrictSource: restrictNftablesSource },
};
