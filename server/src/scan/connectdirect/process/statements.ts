import type { Span } from '../../mention';
import { type Assignment, type Atom, type Item, findAssignments, parseItems } from '../statement/items';

/** Statement keywords of the process language (and `PROC`, the documented short form of PROCESS). */
const STATEMENT_KEYWORDS = new Set([
  'PROCESS',
  'PROC',
  'COPY',
  'RUN',
  'SUBMIT',
  'SYMBOL',
  'IF',
  'ELSE',
  'EIF',
  'GOTO',
  'EXIT',
  'PEND',
]);

/** CLI verbs that take `process` as their object (`select process pname=x;`), which starts no process. */
const CLI_VERBS = new Set([
  'SELECT',
  'SEL',
  'CHANGE',
  'CHG',
  'DELETE',
  'DEL',
  'FLUSH',
  'FL',
  'VIEW',
  'SUSPEND',
  'RESUME',
]);

/** One statement: its keyword, the label before it, and the parameters up to the next statement. */
export interface Statement {
  /** Upper case, without the CLI's `;`: `PROCESS`, `COPY`, `RUN`, ... */
  keyword: string;
  keywordAtom: Atom;
  label?: Atom;
  items: Item[];
  span: Span;
}

/** A process: its PROCESS statement and the statements up to PEND or the next PROCESS. */
export interface ProcessBlock {
  header: Statement;
  name: string;
  statements: Statement[];
  span: Span;
}

/** What a process text holds: statements in order, processes, and the `&symbolic=value` definitions. */
export interface ProcessText {
  statements: Statement[];
  processes: ProcessBlock[];
  /** By upper-case name; the first definition wins, as PROCESS defaults come before later SUBMIT overrides. */
  symbolics: Map<string, Assignment>;
  /** Every `&name=value`, in document order. */
  symbolicDefinitions: Assignment[];
}

export function readProcessText(text: string): ProcessText {
  const items = parseItems(text);
  const statements = splitStatements(items);
  const symbolicDefinitions = findAssignments(items, (key) => key.startsWith('&') && key.length > 1);
  const symbolics = new Map<string, Assignment>();
  for (const definition of symbolicDefinitions) {
    const name = definition.key.text.toUpperCase();
    if (!symbolics.has(name)) symbolics.set(name, definition);
  }
  return { statements, processes: groupProcesses(statements), symbolics, symbolicDefinitions };
}

function statementKeyword(item: Item): string | undefined {
  if (item.kind !== 'atom' || item.quoted) return undefined;
  const word = item.text.replace(/;$/, '').toUpperCase();
  return STATEMENT_KEYWORDS.has(word) ? word : undefined;
}

/**
 * Cuts the item stream at statement keywords. A word in column 1 before a keyword is its label; the CLI's
 * inline form `submit proc1 process snode=...` names the process with the word before PROCESS.
 */
function splitStatements(items: readonly Item[]): Statement[] {
  const statements: Statement[] = [];
  let current: Statement | undefined;
  let pendingLabel: Atom | undefined;
  const close = () => {
    if (current) statements.push(current);
    current = undefined;
  };
  for (const item of items) {
    const keyword = statementKeyword(item);
    const isProcessWord = keyword === 'PROCESS' || keyword === 'PROC';
    const previous = current?.items[current.items.length - 1];
    const wordBefore = previous ?? pendingLabel;
    if (isProcessWord && wordBefore?.kind === 'atom' && CLI_VERBS.has(wordBefore.text.toUpperCase())) {
      pendingLabel = undefined;
      continue;
    }
    if (keyword) {
      let label = pendingLabel;
      if (!label && isProcessWord && current?.keyword === 'SUBMIT' && previous?.kind === 'atom' && !previous.quoted) {
        label = current.items.pop() as Atom;
      }
      close();
      pendingLabel = undefined;
      const atom = item as Atom;
      current = {
        keyword,
        keywordAtom: atom,
        label,
        items: [],
        span: { start: (label ?? atom).span.start, end: atom.span.end },
      };
      continue;
    }
    if (item.kind === 'atom' && item.lineHead && !item.quoted) {
      close();
      pendingLabel = item;
      continue;
    }
    if (current) {
      current.items.push(item);
      current.span = { start: current.span.start, end: item.span.end };
    }
  }
  close();
  return statements;
}

function groupProcesses(statements: readonly Statement[]): ProcessBlock[] {
  const processes: ProcessBlock[] = [];
  let open: ProcessBlock | undefined;
  for (const statement of statements) {
    if (statement.keyword === 'PROCESS' || statement.keyword === 'PROC') {
      open = {
        header: statement,
        name: statement.label?.text ?? 'PROCESS',
        statements: [],
        span: { ...statement.span },
      };
      processes.push(open);
      continue;
    }
    if (!open) continue;
    open.statements.push(statement);
    open.span = { start: open.span.start, end: statement.span.end };
    if (statement.keyword === 'PEND') open = undefined;
  }
  return processes;
}

/** The process whose text holds `offset`. */
export function processAt(text: ProcessText, offset: number): ProcessBlock | undefined {
  return text.processes.find((process) => offset >= process.span.start && offset <= process.span.end);
}

/** The assignment `KEY=...` among a statement's own parameters. */
export function parameter(statement: Statement, key: string): Assignment | undefined {
  return statement.items.find(
    (item): item is Assignment => item.kind === 'assign' && item.key.text.toUpperCase() === key,
  );
}
