import type { Parser } from 'web-tree-sitter';
import type { FormatDefinition } from '../format';
import { shellFixes } from './fixes';
import { type EmbeddedFormats, SHELL } from './scriptWalk';
import { ShellScanner } from './shellScanner';

/**
 * Shell scripts: by extension, dotfiles and a shell shebang. The scanner needs the parser, which loads
 * asynchronously (it is given once loaded), and the other formats, to which it hands heredocs and quoted strings.
 */
export function shellFormat(parser: () => Parser, embedded: EmbeddedFormats): FormatDefinition {
  return {
    languageId: SHELL,
    standalone: true,
    fileNames: [/\.(sh|bash|ksh|zsh|dash|command)$/i, /(^|\/)\.(bashrc|bash_profile|profile|zshrc)$/],
    content: /^#!\s*\S*(\/|\benv\s+)(ba|da|k|z)?sh\b/,
    consumers: ['sh', 'bash', 'dash', 'ksh', 'zsh'],
    comment: { line: '#' },
    fixes: shellFixes,
    scanner: new ShellScanner(parser, embedded),
    // Heredocs, quoted strings and files a script writes may be in any format.
    embeds: 'any',
  };
}
