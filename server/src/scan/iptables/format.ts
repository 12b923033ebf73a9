import { MentionCollector } from '../collector';
import type { FormatDefinition } from '../format';
import { restrictIptablesSource } from './fixes';
import { portRulesInteract, readSaveFile, saveFileContextLines, saveFileSymbols, scanSaveFile } from './saveFile';

export const IPTABLES = 'iptables';

/**
 * iptables-save / iptables-restore files: a `*table` line, then `:CHAIN POLICY [packets:bytes]` lines or rules.
 * The test looks only at the start of the text (the first match from position 0), so it stays linear.
 */
const SAVE_FILE_CONTENT =
  /^(?=[\s\S]*?(?:^|\n)[ \t]*\*(?:filter|nat|mangle|raw|security)[ \t]*\r?(?:\n|$))(?=[\s\S]*?(?:^|\n)[ \t]*(?::[^\s[]+[ \t]+\S+[ \t]+\[\d+:\d+\]|(?:-A|--append)[ \t]))/;

/** rules.v4 and rules.v6 (Debian), /etc/sysconfig/iptables (RHEL), iptables.rules (Arch). */
export const iptablesFormat: FormatDefinition = {
  languageId: IPTABLES,
  standalone: true,
  fileNames: [/(^|\/)rules\.v[46]$/, /(^|\/)sysconfig\/ip6?tables$/, /(^|\/)ip6?tables\.rules$/],
  content: SAVE_FILE_CONTENT,
  consumers: [
    'iptables-restore',
    'ip6tables-restore',
    'iptables-legacy-restore',
    'ip6tables-legacy-restore',
    'iptables-nft-restore',
    'ip6tables-nft-restore',
  ],
  comment: { line: '#' },
  scanner: {
    scan(text, context) {
      const file = readSaveFile(text);
      const out = new MentionCollector(IPTABLES, context.resolveServiceName);
      scanSaveFile(file, out, { tool: 'iptables' });
      return { ...out.output, contextLines: saveFileContextLines(file) };
    },
  },
  fixes: { restrictSource: restrictIptablesSource },
  rulesInteract: portRulesInteract,
  symbols: (text) => saveFileSymbols(readSaveFile(text)),
};
