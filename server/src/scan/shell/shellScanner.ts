import { type Node, type Parser, Query } from 'web-tree-sitter';
import type { FormatScanner, ScanContext } from '../format';
import type { ScanOutput } from '../mention';
import { CompactText, relocateOutput } from '../compactText';
import { escapeRegExp } from '../lexing';
import { relevantStatements } from './dataflow/relevance';
import { SOCKET_LISTERS } from './commands/probes';
import { COMMAND_HANDLERS, SHELLS } from './programs';
import { type EmbeddedFormats, ScriptWalk, type WalkItem } from './scriptWalk';

/** Captures of the statement query: what the walk reads, and the nodes around statements it asks about. */
const STATEMENT = 'statement';
const FUNCTION = 'function';
const LOOP = 'loop';
const ENCLOSING = 'enclosing';

/** Parsing reads the text in slices of this size; larger slices cost fewer calls into the parser. */
const PARSE_CHUNK = 64 * 1024;

/**
 * What a statement must contain to hold a port: a program the scanner reads, a URL or /dev/tcp path, a heredoc,
 * or text written to a file. Anything else is skipped before parsing, which is most of a typical script.
 */
const STATEMENT_TRIGGER = new RegExp(
  [
    `(?:^|[\\s;&|(\`'"/=])(?:${[...COMMAND_HANDLERS.keys(), ...SHELLS, ...SOCKET_LISTERS, 'sed', 'tee']
      .map((name) => (name === 'python' ? 'python[\\d.]*' : escapeRegExp(name)))
      .join('|')})(?=$|[\\s;&|)\`'"])`,
    '://',
    '/dev/(?:tcp|udp)/',
    '<<',
  ].join('|'),
);
/** `echo` or `printf` with a `>` after it writes text to a file (matched apart: `.*>` from each echo is quadratic). */
const TEXT_WRITER_WORD = /\b(?:echo|printf)\b/;

function triggers(statement: string): boolean {
  if (STATEMENT_TRIGGER.test(statement)) return true;
  const writer = TEXT_WRITER_WORD.exec(statement);
  return writer !== null && statement.includes('>', writer.index);
}

/**
 * Reads shell scripts with tree-sitter-bash and finds the ports of the commands it knows (see `commands/`),
 * of variables named for ports, and of URLs in any argument. Heredocs and quoted strings that hold another
 * format go to that format's scanner.
 */
export class ShellScanner implements FormatScanner {
  /** Matching in the parser is far cheaper than visiting every node from JavaScript. */
  private statementQuery?: Query;

  /**
   * @param parser gives the parser when the first script is read: a run that meets no script never loads it.
   * @param skipIrrelevant parse only the statements that can hold a port (the default); the equivalence
   *   test turns it off to check that skipping never changes what is found.
   */
  constructor(
    private readonly parser: () => Parser,
    private readonly embedded: EmbeddedFormats,
    private readonly skipIrrelevant = true,
  ) {}

  private get statements(): Query {
    this.statementQuery ??= new Query(
      this.parser().language!,
      `[(command) (variable_assignment) (heredoc_redirect) (file_redirect)] @${STATEMENT}
       (function_definition) @${FUNCTION}
       [(for_statement) (while_statement)] @${LOOP}
       [(redirected_statement) (pipeline) (declaration_command)] @${ENCLOSING}`,
    );
    return this.statementQuery;
  }

  scan(text: string, context: ScanContext): ScanOutput {
    if (!this.skipIrrelevant) return this.scanParsed(text, context);
    const { ranges, shortfalls } = relevantStatements(text, triggers);
    const output = (): ScanOutput => {
      if (ranges.length === 0) return { mentions: [], signals: [] };
      if (ranges.length === 1 && ranges[0].start === 0 && ranges[0].end === text.length)
        return this.scanParsed(text, context);
      const compact = new CompactText(text, ranges);
      return relocateOutput(this.scanParsed(compact.text, context), (span) => compact.original(span));
    };
    const read = output();
    return shortfalls.length === 0 ? read : { ...read, shortfalls: [...(read.shortfalls ?? []), ...shortfalls] };
  }

  private scanParsed(text: string, context: ScanContext): ScanOutput {
    const input = (index: number) => (index < text.length ? text.slice(index, index + PARSE_CHUNK) : undefined);
    let reached = 0;
    // tree-sitter-bash recovers from some errors (several heredocs on one line) in time that grows with their
    // square: past the file's deadline the parse is given up and the file reported as not read whole.
    const parser = this.parser();
    const tree = parser.parse(input, null, {
      progressCallback: (state) => {
        reached = state.currentOffset / 2;
        return context.budget.overdue;
      },
    });
    if (!tree) {
      // A cancelled parse would otherwise resume with the next text.
      parser.reset();
      const reason = 'the shell parser ran out of time on this text';
      return { mentions: [], signals: [], shortfalls: [{ reason, span: { start: reached, end: reached } }] };
    }
    try {
      const items: WalkItem[] = [];
      const enclosing = new Map<number, Node>();
      for (const { name, node } of this.statements.captures(tree.rootNode)) {
        if (name === ENCLOSING) {
          for (const child of node.namedChildren) if (child) enclosing.set(child.id, node);
        } else {
          items.push({ node, kind: name === FUNCTION ? 'function' : name === LOOP ? 'loop' : 'statement', end: 0 });
        }
      }
      markBlockEnds(items);
      const walk = new ScriptWalk(text, context, this.embedded, items, enclosing);
      walk.visitAll();
      return walk.out.output;
    } finally {
      tree.delete();
    }
  }
}

/** Sets each item's `end`: the index after the items that lie inside it, in one pass with a stack of open blocks. */
function markBlockEnds(items: WalkItem[]): void {
  const open: WalkItem[] = [];
  items.forEach((item, index) => {
    while (open.length > 0 && item.node.startIndex >= open[open.length - 1].node.endIndex) {
      open.pop()!.end = index;
    }
    item.end = index + 1;
    if (item.kind !== 'statement') open.push(item);
  });
  for (const item of open) item.end = items.length;
}
