import type { Node } from 'web-tree-sitter';
import { MentionCollector } from '../collector';
import type { ScanContext } from '../format';
import { OPENING_ROLES } from '../mention';
import type { Token } from '../token';
import { type ScriptState, type ShellCommand, newScriptState, reportScriptEnd } from './command';
import { ShellEnvironment, type VariableValue } from './dataflow/environment';
import { namesAPort } from '../variableNames';
import { referencesIn } from './dataflow/relevance';
import { shellToken, shellWords } from './dataflow/words';
import { COMMAND_HANDLERS, SHELLS, TEXT_WRITERS, programName, unwrap } from './programs';
import { SOCKET_LISTERS, readSocketGrep } from './commands/probes';
import { sedReplacements } from './sed';
import { ShortfallLog } from '../shortfalls';
import { addUrlPorts } from './urls';
import { type WrappedCommand, wrappedCommand } from './wrapped';

export const SHELL = 'shellscript';

/** No variable set: a word read with it is the word as written. */
const UNSET = new ShellEnvironment();

/**
 * Calls of functions from functions are followed this deep; recursion past it (or a chain of calls this long) is
 * not followed further, and the file is reported as not read whole.
 */
const MAX_CALL_DEPTH = 32;
/** Loops inside loops are evaluated per element this deep; deeper ones are read once, without their lists. */
const MAX_LOOP_DEPTH = 16;
/** How many times over, and how many more, the walk may read the statements of a script (calls, loops). */
const VISITS_PER_STATEMENT = 4;
const VISITS_FIXED = 20_000;

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

/**
 * A node the walk reads, in document order: a statement, or a function definition or `for` loop, whose inner
 * nodes follow it up to `end` (an index into the same list).
 */
export interface WalkItem {
  node: Node;
  kind: 'statement' | 'function' | 'loop';
  end: number;
}

/** A function the script defines: its body is the items from `from` to `to`. */
interface FunctionDefinition {
  name: string;
  from: number;
  to: number;
  evaluated: boolean;
}

/**
 * The state of one scan, which reads the statements as the shell would run them: in script order, each function
 * body at each call with that call's arguments, each loop body once per element of its list. Variables,
 * arguments and loop elements carry where their text is written, so a port that reaches a command through them
 * is judged at the command and reported where it is written.
 */
export class ScriptWalk {
  readonly out: MentionCollector;
  private readonly environment = new ShellEnvironment();
  private readonly state: ScriptState = newScriptState();
  private readonly functions = new Map<string, FunctionDefinition>();
  /** Names run as commands anywhere in the text: a function among them waits for its calls. */
  private readonly commandNames = new Set<string>();
  private readonly evaluatedCalls = new Set<string>();
  /** Where the walk stopped following calls and loops, or stopped reading, once per reason. */
  private readonly shortfalls = new ShortfallLog();
  private loopDepth = 0;
  private stopped = false;
  /** Statements read so far, each call and loop element counting again; see `visitsAllowed`. */
  private visits = 0;
  private readonly visitsAllowed: number;
  /** False once the visits pass their allowance: calls and loop elements are then no longer followed. */
  private rereads = true;

  /**
   * @param items the statements and blocks of the tree, in document order.
   * @param enclosing the redirected statement, pipeline or declaration around a node, by node id: asking a node for
   *   its parent walks down from the root each time, which costs the depth of the tree.
   */
  constructor(
    private readonly text: string,
    private readonly context: ScanContext,
    private readonly embedded: EmbeddedFormats,
    private readonly items: readonly WalkItem[],
    private readonly enclosing: ReadonlyMap<number, Node>,
  ) {
    this.out = new MentionCollector(SHELL, context.resolveServiceName);
    // Calls and loops read statements again; a script whose calls branch (each function calling the next twice)
    // or whose loops nest would read them exponentially often. Every statement may be read a few times over, and
    // a fixed number more, which real scripts stay far below.
    this.visitsAllowed = VISITS_FIXED + VISITS_PER_STATEMENT * items.length;
    // Read from the text: asking each command node for its name costs a call into the parser per command.
    for (const item of items) {
      if (item.node.type === 'command') this.commandNames.add(firstWord(text, item.node.startIndex));
    }
  }

  /** Reads the whole script; then what only the whole script tells. */
  visitAll(): void {
    this.visitItems(0, this.items.length);
    // A function whose calls were not followed (past the call depth) is still read once, its arguments unknown.
    for (const definition of this.functions.values()) {
      if (!definition.evaluated) this.evaluate(definition, undefined);
    }
    for (const shortfall of this.shortfalls.list) this.out.shortfalls.push(shortfall);
    reportScriptEnd(this.state, this.out);
  }

  private visitItems(from: number, to: number): void {
    for (let index = from; index < to && !this.stopped; ) {
      // Values substituted into values, loops and calls can make the words of a script far longer than the
      // script: past the file's budget, the rest is not read.
      if (this.context.budget.exhausted) {
        this.note(
          "its statements' words, with variables substituted, grow longer than the file can cost",
          this.items[index].node,
        );
        this.stopped = true;
        return;
      }
      const item = this.items[index];
      if (++this.visits > this.visitsAllowed && this.rereads) {
        this.note('its functions and loops run more statements than the file can cost', item.node);
        this.rereads = false;
      }
      // Past the allowance, calls and loop elements are no longer followed; the rest of the script is read once.
      if (!this.rereads && this.rereading) return;
      if (item.kind === 'function') {
        this.define(item, index);
        index = item.end;
      } else if (item.kind === 'loop' && this.loopDepth < MAX_LOOP_DEPTH && this.rereads) {
        this.loop(item, index);
        index = item.end;
      } else {
        if (item.kind !== 'loop') this.visit(item.node);
        else if (this.rereads) this.note('loops nested this deep are read once, without their lists', item.node);
        index++;
      }
    }
  }

  /** Whether the walk is inside a call or a loop, reading statements again. */
  private get rereading(): boolean {
    return this.loopDepth > 0 || this.environment.depth > 0;
  }

  private note(reason: string, node: Node): void {
    this.shortfalls.note(reason, { start: node.startIndex, end: node.startIndex });
  }

  /** A function is run where it is called; one the text never calls is read where it is defined. */
  private define(item: WalkItem, index: number): void {
    const name = item.node.childForFieldName('name')?.text;
    if (!name) return;
    const definition = { name, from: index + 1, to: item.end, evaluated: false };
    this.functions.set(name, definition);
    if (!this.commandNames.has(name)) this.evaluate(definition, undefined);
  }

  /**
   * Runs a function's body with the call's arguments (undefined: unknown, as for a function read where it is
   * defined). A call with the same arguments from the same place as an earlier one finds nothing new.
   */
  private evaluate(definition: FunctionDefinition, args: readonly Token[] | undefined): void {
    if (!this.rereads) return;
    if (this.environment.depth >= MAX_CALL_DEPTH) {
      const at = this.items[definition.from - 1].node;
      this.note(`calls nested deeper than ${MAX_CALL_DEPTH} functions are not followed`, at);
      return;
    }
    const key = `${definition.name}\0${args?.map(argumentKey).join('\0') ?? '?'}`;
    if (this.evaluatedCalls.has(key)) return;
    this.evaluatedCalls.add(key);
    definition.evaluated = true;
    const parameters = args?.map((arg, index) => valueOf(arg, `argument ${index + 1} of ${definition.name}`));
    const caller = this.out.caller;
    this.out.caller = definition.name;
    try {
      this.environment.call(parameters, () => this.visitItems(definition.from, definition.to));
    } finally {
      this.out.caller = caller;
    }
  }

  /**
   * `while`/`until`: the body once, or, where the body shifts a call's arguments (`while [ $# -gt 0 ]; do ...;
   * shift; done`), once per argument it consumes.
   */
  private whileLoop(item: WalkItem, index: number): void {
    this.loopDepth++;
    try {
      for (;;) {
        const before = this.environment.parameters()?.length ?? 0;
        this.visitItems(index + 1, item.end);
        const after = this.environment.parameters()?.length ?? 0;
        if (after === 0 || after >= before || this.stopped || !this.rereads) return;
        this.context.budget.spend(1);
      }
    } finally {
      this.loopDepth--;
    }
  }

  /** `for NAME in LIST; do ...; done`: the body once per element, which NAME holds; once if none is known. */
  private loop(item: WalkItem, index: number): void {
    if (item.node.type === 'while_statement') {
      this.whileLoop(item, index);
      return;
    }
    const variable = item.node.childForFieldName('variable')?.text;
    if (!variable) {
      this.visitItems(index + 1, item.end);
      return;
    }
    const note = `in the list of the loop over ${variable}`;
    const listed = item.node.children.some((child) => child?.type === 'in');
    let values: (VariableValue | undefined)[];
    if (listed) {
      values = item.node
        .childrenForFieldName('value')
        .filter((child) => child !== null)
        .flatMap((child) => shellWords(child, this.environment))
        .map((word) => valueOf(word, note));
    } else {
      values = [...(this.environment.parameters() ?? [undefined])];
    }
    if (namesAPort(variable)) for (const value of values) if (value) this.reportDefinition(value.token, variable, note);
    // Unknown elements are all alike: the body is read once for them.
    const distinct: (VariableValue | undefined)[] = values.filter((value) => value !== undefined);
    if (distinct.length < values.length || distinct.length === 0) distinct.push(undefined);
    this.loopDepth++;
    try {
      for (const value of distinct) {
        if (!this.rereads) break;
        this.context.budget.spend(1);
        this.environment.set(variable, value);
        this.visitItems(index + 1, item.end);
      }
    } finally {
      this.loopDepth--;
    }
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
    const declaration = this.enclosing.get(node.id);
    const local = declaration?.type === 'declaration_command' && this.environment.depth > 0;
    const assign = (value: VariableValue | undefined) =>
      local ? this.environment.declareLocal(name.text, value) : this.environment.set(name.text, value);
    if (!valueNode) {
      assign(undefined);
      return;
    }
    const note = `assigned to ${name.text}`;
    if (valueNode.type === 'array') {
      const elements = valueNode.namedChildren
        .filter((child) => child !== null)
        .flatMap((child) => shellWords(child, this.environment));
      for (const element of elements) this.context.budget.spend(element.text.length);
      const appended = node.children.some((child) => child?.type === '+=');
      const earlier = appended ? this.environment.get(name.text) : undefined;
      const all = [...(earlier ? (earlier.elements ?? [earlier.token]) : []), ...elements];
      const literal = all.every((element) => element.literal);
      assign(literal && all.length > 0 ? { token: all[0], elements: all, note } : undefined);
      if (namesAPort(name.text)) {
        for (const element of elements) if (element.literal) this.reportDefinition(element, name.text, note);
      }
      return;
    }
    const value = shellToken(valueNode, this.environment);
    this.context.budget.spend(value.text.length);
    assign(value.literal ? { token: value, note } : undefined);
    addUrlPorts(value, this.out, name.text, true);
    if (!namesAPort(name.text) || !value.literal) return;
    // `PORTS="$PORTS 8443"` appends: the earlier ports were reported where they were written, so only what this
    // line writes is read. Reading the whole value again on every append costs the square of the list.
    const defined = referencesIn(valueNode.text).includes(name.text) ? shellToken(valueNode, UNSET) : value;
    this.reportDefinition(defined, name.text, note);
  }

  /** Reports each port a variable's value lists where it is written: it opens nothing by itself. */
  private reportDefinition(value: Token, name: string, note: string): void {
    this.out.addDefinedPorts(value, name, { tool: 'shell variable', note });
  }

  private command(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const words = shellWords(nameNode, this.environment);
    for (const child of node.childrenForFieldName('argument'))
      if (child) words.push(...shellWords(child, this.environment));
    for (const word of words) this.context.budget.spend(word.text.length);
    const [program, ...args] = unwrap(words);
    if (!program) return;
    const definition = this.functions.get(program.text);
    if (definition) {
      this.evaluate(definition, args);
      return;
    }
    const command: ShellCommand = {
      name: programName(program.text),
      args,
      state: this.state,
      conditional: () => mayNotRun(node),
    };
    if (command.name === 'shift') {
      this.environment.shift(args[0] ? Number(args[0].text) || 0 : 1);
      return;
    }
    this.readCommand(command);
    if (command.name === 'grep' || command.name === 'egrep') {
      const lister = this.pipedFrom(node).find((name) => SOCKET_LISTERS.has(name));
      if (lister) readSocketGrep(command.args, lister, this.out);
    }
    this.embeddedArguments(command, node);
    const wrapped = wrappedCommand(command);
    if (wrapped) this.runWrapped(wrapped);
  }

  /** The programs before a command in its pipeline (`netstat -tln | grep :22` gives `netstat` for the grep). */
  private pipedFrom(node: Node): string[] {
    let item = node;
    let around = this.enclosing.get(node.id);
    if (around?.type === 'redirected_statement') {
      item = around;
      around = this.enclosing.get(around.id);
    }
    if (around?.type !== 'pipeline') return [];
    const names: string[] = [];
    for (const sibling of around.namedChildren) {
      if (!sibling || sibling.id === item.id) break;
      const command = sibling.type === 'redirected_statement' ? sibling.namedChildren[0] : sibling;
      const name = command?.type === 'command' ? command.childForFieldName('name')?.text : undefined;
      if (name) names.push(programName(name));
    }
    return names;
  }

  /** The ports of a program the scanner reads (`commands/`), and those of URLs in any of its arguments. */
  private readCommand(command: ShellCommand): void {
    COMMAND_HANDLERS.get(command.name)?.(command, this.out, this.context);
    for (const arg of command.args) addUrlPorts(arg, this.out, command.name);
  }

  /**
   * Reads the command that `ssh`, `docker run` or `kubectl exec` runs elsewhere, as a command of its own (a quoted
   * one as a script), with a state of its own: its rules are another host's. Its ports say where they are; inside a
   * container's own network, who reaches a listener is decided by what the container publishes.
   */
  private runWrapped(wrapped: WrappedCommand): void {
    const before = this.out.mentions.length;
    const [program, ...args] = unwrap(wrapped.words);
    if (!program) return;
    if (args.length === 0 && /\s/.test(program.text)) {
      this.embed({ language: SHELL }, program, 0, program.text.length);
    } else {
      this.readCommand({ name: programName(program.text), args, state: newScriptState() });
    }
    for (const mention of this.out.mentions.slice(before)) {
      const note = mention.context.note ? `${mention.context.note}, ${wrapped.where}` : wrapped.where;
      mention.context = { ...mention.context, note };
      if (wrapped.isolated && OPENING_ROLES.has(mention.role)) mention.exposure = 'unknown';
    }
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
        .flatMap((child) => shellWords(child, this.environment));
      const [program, ...args] = unwrap(words);
      if (!program) continue;
      const name = programName(program.text);
      const consumed = this.embedded.languageForConsumer(name);
      target ??= consumed === undefined ? undefined : { language: consumed };
      if (name === 'tee') target ??= this.fileTarget(args.map((arg) => arg.text));
    }
    target ??= this.fileTarget(outputTargets(this.redirectedStatement(statement), this.text));
    if (!target) return;
    const written = shellToken(body, this.environment);
    this.embed(target, written, 0, written.text.length);
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

/** The word at `at`, after any assignments before it: the name of the command a statement there runs. */
function firstWord(text: string, at: number): string {
  for (WORD.lastIndex = at; ; ) {
    const match = WORD.exec(text);
    if (!match) return '';
    if (!ASSIGNMENT_PREFIX.test(match[1])) return match[1];
  }
}
const WORD = /[ \t]*([^\s;&|()<>]+)/y;
const ASSIGNMENT_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** A word as a variable's value, when the text shows it. */
function valueOf(word: Token, note: string): VariableValue | undefined {
  return word.literal ? { token: word, note } : undefined;
}

/** What tells two calls' arguments apart: their text and where it is written. */
function argumentKey(arg: Token): string {
  const written = arg.variableOf(0, arg.text.length)?.definition ?? arg.span;
  return `${arg.literal ? arg.text : '?'}@${written.start}`;
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

const CONDITIONAL_PARENTS = new Set([
  'function_definition',
  'if_statement',
  'elif_clause',
  'else_clause',
  'case_item',
  'for_statement',
  'c_style_for_statement',
  'while_statement',
  'list',
]);

/** Whether a command sits where it may not run every time the script does (see ShellCommand.conditional). */
function mayNotRun(node: Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (CONDITIONAL_PARENTS.has(parent.type)) return true;
  return false;
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
