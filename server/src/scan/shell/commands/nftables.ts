import type { Span } from '../../mention';
import { readNftablesCommand } from '../../nftables/nftablesScanner';
import { readStatements } from '../../nftables/syntax';
import type { Token, VariableOrigin } from '../../token';
import { lastAtOrBefore } from '../../lines';
import type { CommandHandler } from '../command';

/** Options of nft that take a value (`-I dir`, `-D name=value`). */
const VALUED_OPTIONS = new Set(['-I', '--includepath', '-D', '--define']);
/** With these, nft reads a file or a terminal, not its arguments: a heredoc reaches the nftables scanner instead. */
const INPUT_OPTIONS = new Set(['-f', '--file', '-i', '--interactive']);

/** Part of a shell word, so that the nftables reader's words map back through the shell's quoting and variables. */
class WordSlice implements Token {
  readonly text: string;

  constructor(
    private readonly word: Token,
    private readonly from: number,
    to: number,
  ) {
    this.text = word.text.slice(from, to);
  }

  get span(): Span {
    return this.word.spanOf(this.from, this.from + this.text.length);
  }

  get literal(): boolean {
    return this.word.literal;
  }

  spanOf(from: number, to: number): Span {
    return this.word.spanOf(this.from + from, this.from + to);
  }

  variableOf(from: number, to: number): VariableOrigin | undefined {
    return this.word.variableOf(this.from + from, this.from + to);
  }
}

/** The words of the nft command after its options: `add rule inet filter input tcp dport 22 accept`. */
function commandWords(args: readonly Token[]): Token[] | undefined {
  let at = 0;
  while (at < args.length && args[at].text.startsWith('-')) {
    const option = args[at].text;
    if (INPUT_OPTIONS.has(option)) return undefined;
    at += VALUED_OPTIONS.has(option) ? 2 : 1;
    if (option === '--') break;
  }
  return args.slice(at);
}

/**
 * `nft add rule inet filter input tcp dport 22 accept` and the other nft commands given as arguments
 * (quoted whole or word by word): the words are joined as nft joins them and read as nftables text.
 */
const nft: CommandHandler = (command, out) => {
  const words = commandWords(command.args);
  if (!words || words.length === 0) return;
  const starts: number[] = [];
  let text = '';
  for (const word of words) {
    starts.push(text.length);
    text += `${word.text} `;
  }
  const statements = readStatements(text, (from, to) => {
    const index = lastAtOrBefore(starts, from);
    const word = words[index];
    return new WordSlice(word, from - starts[index], Math.min(to - starts[index], word.text.length));
  });
  readNftablesCommand(statements, out, 'nft');
  // Appended one by one: a command may hold many statements, and spreading a long list overflows the stack.
  for (const statement of statements) command.state.nftStatements.push(statement);
};

export const nftablesCommands: Record<string, CommandHandler> = { nft };
