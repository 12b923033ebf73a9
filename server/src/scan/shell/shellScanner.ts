import { type Node, type Parser, Query } from 'web-tree-sitter';
import { MentionCollector } from '../collector';
import type { FormatScanner, ScanContext } from '../format';
import type { ScanOutput, Shortfall, Span } from '../mention';
import { CompactText, relocateOutput } from '../compactText';
import { ShortfallLog } from '../shortfalls';
import { PlainToken, type Token } from '../token';
import { type CommandHandler, type ScriptState, type ShellCommand, newScriptState, reportScriptEnd } from './command';
import { containerCommands } from './commands/containers';
import { databaseClientCommands } from './commands/databaseClients';
import { firewallCommands } from './commands/firewalls';
import { nftablesCommands } from './commands/nftables';
import { remoteShellCommands } from './commands/remoteShell';
import { serverCommands } from './commands/servers';
import { socketCommands } from './commands/sockets';
import { addUrlPorts } from './urls';
import { ShellEnvironment, shellToken } from './shellWord';
import { sedReplacements } from './sed';
import { logicalLines } from './statements';

export const SHELL = 'shellscript';

const COMMAND_HANDLERS = new Map<string, CommandHandler>(
  Object.entries({
    ...remoteShellCommands,
    ...socketCommands,
    ...serverCommands,
    ...containerCommands,
    ...databaseClientCommands,
    ...firewallCommands,
    ...nftablesCommands,
  }),
);

/** Programs that run the command after them; the value lists their options that take an argument. */
const WRAPPERS = new Map<string, { valued: string; operands?: number }>([
  ['sudo', { valued: 'ugpChDrtTUR' }],
  ['doas', { valued: 'uC' }],
  ['env', { valued: 'uCS' }],
  ['nohup', { valued: '' }],
  ['exec', { valued: 'a' }],
  ['time', { valued: 'fo' }],
  ['command', { valued: '' }],
  ['builtin', { valued: '' }],
  ['nice', { valued: 'n' }],
  ['ionice', { valued: 'cnp' }],
  ['stdbuf', { valued: 'ioe' }],
  ['setsid', { valued: '' }],
  ['timeout', { valued: 'ks', operands: 1 }],
  ['chroot', { valued: '', operands: 1 }],
]);

/** Commands whose quoted arguments are the text they write, and so may be another format's lines. */
const TEXT_WRITERS = new Set(['echo', 'printf']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ksh', 'zsh', 'su']);

/** No variable set: a word read with it is the word as written. */
const UNSET = new ShellEnvironment();

/** The capture of the query that names the nodes around statements (see ScriptWalk's `enclosing`). */
const ENCLOSING = 'enclosing';

/** Parsing reads the text in slices of this size; larger slices cost fewer calls into the parser. */
const PARSE_CHUNK = 64 * 1024;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What a statement must contain to hold a port: a program the scanner reads, a URL or /dev/tcp path, a heredoc,
 * or text written to a file. Anything else is skipped before parsing, which is most of a typical script.
 */
const STATEMENT_TRIGGER = new RegExp(
  [
    `(?:^|[\\s;&|(\`'"/])(?:${[...COMMAND_HANDLERS.keys(), ...SHELLS, 'sed', 'tee']
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

const ASSIGNMENT = /(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g;
const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
const ADDRESS_HINT = /:\/\/|\/dev\/(?:tcp|udp)\//;

interface Assignment {
  name: string;
  /** Variables its value expands. */
  references: string[];
  holdsUrl: boolean;
  /** Kept whatever uses it: its name says port, or its value holds a URL. */
  essential: boolean;
}

interface StatementLine {
  range: Span;
  triggered: boolean;
  assigns: Assignment[];
}

function referencesIn(source: string): string[] {
  return source.includes('$') ? Array.from(source.matchAll(REFERENCE), (match) => match[1]) : [];
}

/**
 * The logical lines that can hold a port, merged where they touch: the triggered statements (with those that
 * expand a variable holding a URL, as in `curl "$API_URL"`), and the assignments they depend on. An assignment
 * matters when a kept statement expands its variable (directly or through other variables), when its name says
 * port, or when its value holds a URL.
 */
function relevantStatements(text: string): { ranges: Span[]; shortfalls: Shortfall[] } {
  const urlVariables = new Set<string>();
  const shortfalls = new ShortfallLog();
  const lines: StatementLine[] = logicalLines(text).flatMap((range) => {
    const statement = text.slice(range.start, range.end);
    if (heredocMarkers(statement) > MAX_HEREDOCS_PER_LINE) {
      shortfalls.note(`a line opens more than ${MAX_HEREDOCS_PER_LINE} heredocs, which the shell parser cannot read`, {
        start: range.start,
        end: range.start,
      });
      return [];
    }
    const assigns = statement.includes('=')
      ? Array.from(statement.matchAll(ASSIGNMENT), ([, name, value]) => {
          const holdsUrl = ADDRESS_HINT.test(value);
          return { name, references: referencesIn(value), holdsUrl, essential: holdsUrl || namesAPort(name) };
        })
      : [];
    const usesUrl = (names: string[]) => urlVariables.size > 0 && names.some((name) => urlVariables.has(name));
    const triggered = triggers(statement) || usesUrl(referencesIn(statement));
    for (const assignment of assigns) {
      if (assignment.holdsUrl || usesUrl(assignment.references)) urlVariables.add(assignment.name);
    }
    return [{ range, triggered, assigns }];
  });
  // Values reference other variables (`URL=$BASE/x`): the needed names spread through the assignments, each name
  // and each line taken once.
  const needed = new Set<string>();
  const pending: string[] = [];
  const need = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    pending.push(name);
  };
  const kept = new Set<StatementLine>();
  const keep = (line: StatementLine) => {
    if (kept.has(line)) return;
    kept.add(line);
    for (const assignment of line.assigns) for (const name of assignment.references) need(name);
  };
  const assigning = new Map<string, StatementLine[]>();
  for (const line of lines) {
    if (line.triggered) {
      for (const name of referencesIn(text.slice(line.range.start, line.range.end))) need(name);
      continue;
    }
    for (const assignment of line.assigns) {
      const known = assigning.get(assignment.name);
      if (known) known.push(line);
      else assigning.set(assignment.name, [line]);
    }
  }
  for (const line of lines) if (!line.triggered && line.assigns.some((assignment) => assignment.essential)) keep(line);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const line of assigning.get(name) ?? []) keep(line);
  }
  const keeps = (line: StatementLine) => line.triggered || kept.has(line);
  const ranges: Span[] = [];
  for (const line of lines) {
    if (!keeps(line)) continue;
    const previous = ranges[ranges.length - 1];
    if (previous && previous.end === line.range.start) {
      ranges[ranges.length - 1] = { start: previous.start, end: line.range.end };
    } else {
      ranges.push(line.range);
    }
  }
  return { ranges, shortfalls: shortfalls.list };
}

/**
 * tree-sitter-bash reads one heredoc per line; more send it into error recovery whose cost grows with their
 * square. Lines with a few more are read as well as it can; past this many, the line is not parsed.
 */
const MAX_HEREDOCS_PER_LINE = 8;

/** How many heredocs the first physical line of a statement opens (`<<`, `<<-`; not the here-string `<<<`). */
function heredocMarkers(statement: string): number {
  const lineEnd = statement.indexOf('\n');
  const firstLine = lineEnd < 0 ? statement : statement.slice(0, lineEnd);
  let count = 0;
  for (let at = firstLine.indexOf('<<'); at >= 0; at = firstLine.indexOf('<<', at + 2)) {
    if (firstLine[at + 2] === '<') at++;
    else count++;
  }
  return count;
}

function programName(text: string): string {
  const base = text.slice(text.lastIndexOf('/') + 1);
  return /^python[\d.]*$/.test(base) ? 'python' : base;
}

/** Drops `sudo -u app`, `env A=1`, `timeout 5`, ... until the real program. */
function unwrap(words: Token[]): Token[] {
  let rest = words;
  for (;;) {
    const wrapper = rest.length > 1 ? WRAPPERS.get(programName(rest[0].text)) : undefined;
    if (!wrapper) return rest;
    let at = 1;
    while (at < rest.length && rest[at].text.startsWith('-') && rest[at].text !== '--') {
      const flag = rest[at].text;
      const takesValue = flag.length === 2 && wrapper.valued.includes(flag[1]);
      at += takesValue ? 2 : 1;
    }
    if (rest[at]?.text === '--') at++;
    while (at < rest.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[at].text)) at++;
    at += wrapper.operands ?? 0;
    rest = rest.slice(at);
  }
}

/** Where embedded text goes: a format, and the file it is written to when the script names one. */
interface EmbeddedTarget {
  language: string;
  path?: string;
}

/** Which embedded formats exist, as the format registry knows them. */
export interface EmbeddedFormats {
  languageForPath(path: string): string | undefined;
  languageForConsumer(program: string): string | undefined;
}

/** True when a variable's name says it holds a port: `PORT`, `CD_API_PORT`, `dbPort`, `SSH_PORTS`. */
export function namesAPort(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_');
  return words.includes('port') || words.includes('ports');
}

/**
 * Reads shell scripts with tree-sitter-bash and finds the ports of the commands it knows (see `commands/`),
 * of variables named for ports, and of URLs in any argument. Heredocs and quoted strings that hold another
 * format go to that format's scanner.
 */
export class ShellScanner implements FormatScanner {
  /**
   * @param skipIrrelevant parse only the statements that can hold a port (the default); the equivalence
   *   test turns it off to check that skipping never changes what is found.
   */
  /** Matching in the parser is far cheaper than visiting every node from JavaScript. */
  private readonly statements: Query;

  constructor(
    private readonly parser: Parser,
    private readonly embedded: EmbeddedFormats,
    private readonly skipIrrelevant = true,
  ) {
    this.statements = new Query(
      parser.language!,
      `[(command) (variable_assignment) (heredoc_redirect) (file_redirect)] @statement
       [(redirected_statement) (pipeline)] @${ENCLOSING}`,
    );
  }

  scan(text: string, context: ScanContext): ScanOutput {
    if (!this.skipIrrelevant) return this.scanParsed(text, context);
    const { ranges, shortfalls } = relevantStatements(text);
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
    const tree = this.parser.parse(input, null, {
      progressCallback: (state) => {
        reached = state.currentOffset / 2;
        return context.budget.overdue;
      },
    });
    if (!tree) {
      // A cancelled parse would otherwise resume with the next text.
      this.parser.reset();
      const reason = 'the shell parser ran out of time on this text';
      return { mentions: [], signals: [], shortfalls: [{ reason, span: { start: reached, end: reached } }] };
    }
    try {
      const statements: Node[] = [];
      const enclosing = new Map<number, Node>();
      for (const { name, node } of this.statements.captures(tree.rootNode)) {
        if (name !== ENCLOSING) statements.push(node);
        else for (const child of node.namedChildren) if (child) enclosing.set(child.id, node);
      }
      const walk = new ScriptWalk(text, context, this.embedded, enclosing);
      walk.visitAll(statements);
      return walk.out.output;
    } finally {
      tree.delete();
    }
  }
}

/** The state of one scan: the variables seen so far, firewall state, and the mentions found. */
class ScriptWalk {
  readonly out: MentionCollector;
  private readonly environment = new ShellEnvironment();
  private readonly state: ScriptState = newScriptState();

  /**
   * @param enclosing the redirected statement or pipeline around a node, by node id: asking a node for its parent
   *   walks down from the root each time, which costs the depth of the tree.
   */
  constructor(
    private readonly text: string,
    private readonly context: ScanContext,
    private readonly embedded: EmbeddedFormats,
    private readonly enclosing: ReadonlyMap<number, Node>,
  ) {
    this.out = new MentionCollector(SHELL, context.resolveServiceName);
  }

  /**
   * The statements the scanner reads, in document order, so variables are assigned before they are used; then
   * what only the whole script tells.
   */
  visitAll(nodes: readonly Node[]): void {
    for (const node of nodes) {
      // Values substituted into values, and substitutions nested in substitutions, can make the words of a
      // script far longer than the script: past the file's budget, the rest is not read.
      if (this.context.budget.exhausted) {
        const reason = "its statements' words, with variables substituted, grow longer than the file can cost";
        this.out.shortfalls.push({ reason, span: { start: node.startIndex, end: node.startIndex } });
        break;
      }
      this.visit(node);
    }
    reportScriptEnd(this.state, this.out);
  }

  private visit(node: Node): void {
    switch (node.type) {
      case 'variable_assignment':
        this.assignment(node);
        break;
      case 'command':
        this.command(node);
        break;
      case 'heredoc_redirect':
        this.heredoc(node);
        break;
      case 'file_redirect':
        this.redirect(node);
        break;
    }
  }

  private assignment(node: Node): void {
    const name = node.childForFieldName('name');
    const valueNode = node.childForFieldName('value');
    if (!name || name.type !== 'variable_name') return;
    if (!valueNode) {
      this.environment.set(name.text, undefined);
      return;
    }
    const value = shellToken(valueNode, this.environment);
    this.context.budget.spend(value.text.length);
    this.environment.set(name.text, value.literal ? { text: value.text, definition: value.span } : undefined);
    addUrlPorts(value, this.out, name.text, true);
    if (!namesAPort(name.text) || !value.literal) return;
    // `PORTS="$PORTS 8443"` appends: the earlier ports were reported where they were written, so only what this
    // line writes is read. Reading the whole value again on every append costs the square of the list.
    const defined = referencesIn(valueNode.text).includes(name.text) ? shellToken(valueNode, UNSET) : value;
    for (const match of defined.text.matchAll(/[^\s,]+/g)) {
      this.out.addPort(
        defined,
        match.index,
        match.index + match[0].length,
        {
          protocol: 'any',
          role: 'define',
          exposure: 'unknown',
          context: { tool: 'shell variable', note: `assigned to ${name.text}` },
        },
        { rangeSeparators: '-:' },
      );
    }
  }

  private command(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const words = [nameNode, ...node.childrenForFieldName('argument').filter((child) => child !== null)].map((child) =>
      shellToken(child, this.environment),
    );
    for (const word of words) this.context.budget.spend(word.text.length);
    const [program, ...args] = unwrap(words);
    if (!program) return;
    const command: ShellCommand = { name: programName(program.text), args, state: this.state };
    COMMAND_HANDLERS.get(command.name)?.(command, this.out, this.context);
    for (const arg of args) addUrlPorts(arg, this.out, command.name);
    this.embeddedArguments(command, node);
  }

  /** Quoted text that another format will read: `echo 'Port 2222' >> sshd_config`, `sed` edits, `bash -c '...'`. */
  private embeddedArguments(command: ShellCommand, node: Node): void {
    const operands = command.args.filter((arg) => !arg.text.startsWith('-'));
    if (SHELLS.has(command.name)) {
      const script = command.args[command.args.findIndex((arg) => arg.text === '-c') + 1];
      if (command.args.some((arg) => arg.text === '-c') && script)
        this.embed({ language: SHELL }, script, 0, script.text.length);
      return;
    }
    if (TEXT_WRITERS.has(command.name)) {
      const target = this.fileTarget(outputTargets(this.redirectedStatement(node), this.text));
      if (target) for (const arg of operands) this.embed(target, arg, 0, arg.text.length);
      return;
    }
    if (command.name === 'sed') {
      const target = this.fileTarget(operands.slice(1).map((arg) => arg.text));
      const scripts = command.args.some((arg) => arg.text === '-e')
        ? command.args.filter((_, index) => command.args[index - 1]?.text === '-e')
        : operands.slice(0, 1);
      if (!target) return;
      for (const script of scripts) {
        for (const replacement of sedReplacements(script.text))
          this.embed(target, script, replacement.from, replacement.to);
      }
    }
  }

  /** The first of the files a command writes whose name says its format. */
  private fileTarget(paths: readonly string[]): EmbeddedTarget | undefined {
    for (const path of paths) {
      const language = this.embedded.languageForPath(path);
      if (language) return { language, path: path.replace(/^['"]|['"]$/g, '') };
    }
    return undefined;
  }

  private embed(target: EmbeddedTarget, token: Token, from: number, to: number): void {
    this.out.addEmbedded(
      token,
      from,
      this.context.scanEmbedded(target.language, token.text.slice(from, to), target.path),
    );
  }

  /**
   * A heredoc goes to the format its reader takes (`iptables-restore <<EOF`, `nft -f - <<EOF`) or that the
   * file it is written to has (`cat > /etc/ssh/sshd_config <<EOF`, `... | tee /etc/nftables.conf`).
   */
  private heredoc(node: Node): void {
    const body = node.namedChildren.find((child) => child?.type === 'heredoc_body');
    const statement = this.enclosing.get(node.id);
    if (!body || !statement) return;
    const readers = heredocReaders(node, statement, this.enclosing.get(statement.id));
    let target: EmbeddedTarget | undefined;
    for (const reader of readers) {
      const words = [reader.childForFieldName('name'), ...reader.childrenForFieldName('argument')]
        .filter((child): child is Node => child !== null)
        .map((child) => shellToken(child, this.environment));
      const [program, ...args] = unwrap(words);
      if (!program) continue;
      const name = programName(program.text);
      const consumed = this.embedded.languageForConsumer(name);
      target ??= consumed === undefined ? undefined : { language: consumed };
      if (name === 'tee') target ??= this.fileTarget(args.map((arg) => arg.text));
    }
    target ??= this.fileTarget(outputTargets(this.redirectedStatement(statement), this.text));
    if (!target) return;
    this.embed(target, new PlainToken(body.text, body.startIndex), 0, body.text.length);
  }

  /** The statement that carries a node's redirections: itself, or the redirected statement around it. */
  private redirectedStatement(node: Node): Node | undefined {
    if (node.type === 'redirected_statement') return node;
    const around = this.enclosing.get(node.id);
    return around?.type === 'redirected_statement' ? around : undefined;
  }

  /** `exec 3<>/dev/tcp/db.example.com/5432` and `</dev/tcp/host/port` connect to that port. */
  private redirect(node: Node): void {
    const destination = node.childForFieldName('destination');
    if (destination) addUrlPorts(shellToken(destination, this.environment), this.out, 'bash /dev/tcp');
  }
}

/**
 * Files a statement's output is written to with `>` or `>>`. tree-sitter-bash hangs the redirections written
 * after a heredoc's marker (`cat <<EOF > file`) inside the heredoc's node, so those are read too.
 */
function outputTargets(statement: Node | undefined, text: string): string[] {
  if (!statement) return [];
  const redirects = statement
    .childrenForFieldName('redirect')
    .flatMap((redirect) =>
      redirect?.type === 'heredoc_redirect' ? [redirect, ...redirect.childrenForFieldName('redirect')] : [redirect],
    );
  return redirects.flatMap((redirect) => {
    if (!redirect || redirect.type !== 'file_redirect' || !/>/.test(redirect.child(0)?.text ?? '')) return [];
    // tree-sitter-bash may split one path such as `$DIR/cfg/$NODE/netmap.cfg` into several destination nodes.
    const parts = redirect.childrenForFieldName('destination').filter((part) => part !== null);
    if (parts.length === 0) return [];
    return [text.slice(parts[0].startIndex, parts[parts.length - 1].endIndex)];
  });
}

/** The commands that read a heredoc, in pipeline order, so they can be asked what format they read. */
function heredocReaders(heredoc: Node, statement: Node, pipeline: Node | undefined): Node[] {
  const commands: Node[] = [];
  const collect = (node: Node | null) => {
    if (!node) return;
    if (node.type === 'command') commands.push(node);
    else if (node.type === 'pipeline' || node.type === 'redirected_statement')
      for (const child of node.namedChildren) collect(child);
  };
  collect(statement.type === 'redirected_statement' ? statement.childForFieldName('body') : statement);
  // tree-sitter-bash hangs `| tee file` after `cat <<EOF` inside the heredoc node itself.
  for (const child of heredoc.namedChildren) if (child?.type === 'pipeline') collect(child);
  if (pipeline?.type === 'pipeline') {
    for (const sibling of pipeline.namedChildren) if (sibling && sibling.id !== statement.id) collect(sibling);
  }
  return commands;
}
