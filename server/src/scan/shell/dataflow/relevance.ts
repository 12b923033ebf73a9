import type { Shortfall, Span } from '../../mention';
import { escapeRegExp } from '../../lexing';
import { ShortfallLog } from '../../shortfalls';
import { namesAPort } from '../../variableNames';
import { logicalLines } from '../statements';
import { STRUCTURE_HINT, structureEvents } from './blocks';

const ASSIGNMENT = /(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)\+?=("[^"]*"|'[^']*'|\([^)]*\)|\S*)/g;
/** `${NAME:=default}` and `${NAME=default}` assign NAME where it is unset. */
const DEFAULT_ASSIGNMENT = /\$\{([A-Za-z_][A-Za-z0-9_]*):?=/g;
/** `for NAME in`: a loop variable named for ports makes its list a definition, as an assignment would. */
const LOOP_VARIABLE = /(?:^|[\s;&|(])for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g;
const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
const ADDRESS_HINT = /:\/\/|\/dev\/(?:tcp|udp)\//;
/** Statements that change a function's arguments, which later statements of its body read. */
const SHIFT = /shift(?=$|[\s;&|])/g;

/**
 * tree-sitter-bash reads one heredoc per line; more send it into error recovery whose cost grows with their
 * square. Lines with a few more are read as well as it can; past this many, the line is not parsed.
 */
export const MAX_HEREDOCS_PER_LINE = 8;
/**
 * Real scripts nest quotes, substitutions and subshells a few levels deep. Past some tens of thousands of levels
 * the parser's tree is deeper than its query cursor can follow in linear time, and it loses what lies inside: a
 * statement nested deeper than this is not parsed.
 */
export const MAX_NESTING = 1000;

export function referencesIn(source: string): string[] {
  return source.includes('$') ? Array.from(source.matchAll(REFERENCE), (match) => match[1]) : [];
}

interface Assignment {
  name: string;
  value: string;
  /** Its value holds a URL or a /dev/tcp path. */
  holdsAddress: boolean;
  /** Kept whatever uses it: its name says port, or its value holds an address. */
  essential: boolean;
}

/** A function body or a loop that spans lines, by the indexes of the lines that open and close it. */
interface Block {
  open: number;
  /** The line where the body starts (`do`, `{`), when the header runs over several lines. */
  bodyStart: number;
  /** Unset while the block is open, and for a block never closed. */
  close?: number;
  parent: Block | undefined;
  /** The function's name, for a function body. */
  functionName?: string;
  /** Lines of a function body that shift its arguments. */
  shifts: number[];
  kept: boolean;
}

interface StatementLine {
  range: Span;
  text: string;
  triggered: boolean;
  assigns: Assignment[];
  references: string[];
  /** The innermost block the line lies in, past its opening line. */
  enclosing: Block | undefined;
  /** Blocks the line opens or closes. */
  touches: Block[];
  /** Whether a word that opens or closes a block may be in it: only those lines are read for blocks. */
  mayHoldStructure: boolean;
  /** Whether it runs `shift`, which changes the arguments of the function it is in. */
  shifts: boolean;
  /** How many loops and braces are open around it, or that it opens or closes, at most. */
  blockDepth: number;
}

/**
 * The logical lines that can hold a port, merged where they touch, for a scanner that parses only those: the
 * statements `triggers` accepts, and what they depend on. That is the assignments of the variables they expand
 * (through other variables too), the functions and loops around them with the lines that open and close them,
 * the calls of those functions, and the statements that expand a variable holding a command or address
 * (`$IPT -A INPUT ...`, `curl "$API_URL"`). Assignments whose name says port, or whose value holds a URL, are kept
 * whatever uses them. Each line and each name is taken once, so the cost is linear in the text.
 */
export function relevantStatements(
  text: string,
  triggers: (statement: string) => boolean,
): { ranges: Span[]; shortfalls: Shortfall[] } {
  const shortfalls = new ShortfallLog();
  const lines = readLines(text, triggers, shortfalls);
  const blocks = findBlocks(text, lines);

  const byAssignment = new Map<string, StatementLine[]>();
  for (const line of lines) for (const assignment of line.assigns) index(byAssignment, assignment.name, line);
  // Built only for a script with a variable that holds a command or an address, which most scripts lack.
  let byReference: Map<string, StatementLine[]> | undefined;
  const callers = functionCallers(text, lines, blocks);

  const kept = new Set<StatementLine>();
  const needed = new Set<string>();
  const commandVariables = new Set<string>();
  const calledFunctions = new Set<string>();
  const pending: StatementLine[] = [];
  const keep = (line: StatementLine | undefined) => {
    if (!line || kept.has(line)) return;
    kept.add(line);
    pending.push(line);
  };
  const keepBlock = (block: Block | undefined) => {
    for (let current = block; current && !current.kept; current = current.parent) {
      current.kept = true;
      for (let header = current.open; header <= current.bodyStart; header++) keep(lines[header]);
      if (current.close !== undefined) keep(lines[current.close]);
      for (const shift of current.shifts) keep(lines[shift]);
      const name = current.functionName;
      if (name !== undefined && !calledFunctions.has(name)) {
        calledFunctions.add(name);
        for (const caller of callers.get(name) ?? []) keep(caller);
      }
    }
  };
  // A variable that holds a command or an address makes every statement that expands it a statement to read.
  const markCommandVariable = (name: string) => {
    if (commandVariables.has(name)) return;
    commandVariables.add(name);
    if (!byReference) {
      byReference = new Map();
      for (const line of lines) for (const reference of line.references) index(byReference, reference, line);
    }
    for (const line of byReference.get(name) ?? []) {
      keep(line);
      for (const assignment of line.assigns)
        if (referencesIn(assignment.value).includes(name)) markCommandVariable(assignment.name);
    }
  };

  for (const line of lines) {
    if (line.triggered || line.assigns.some((assignment) => assignment.essential)) keep(line);
  }
  for (let line = pending.pop(); line !== undefined; line = pending.pop()) {
    for (const name of line.references) {
      if (needed.has(name)) continue;
      needed.add(name);
      for (const assigning of byAssignment.get(name) ?? []) keep(assigning);
    }
    for (const assignment of line.assigns) {
      const { value } = assignment;
      const holdsCommand =
        assignment.holdsAddress ||
        triggers(value) ||
        (commandVariables.size > 0 && referencesIn(value).some((name) => commandVariables.has(name)));
      if (holdsCommand) markCommandVariable(assignment.name);
    }
    for (const block of line.touches) keepBlock(block);
    keepBlock(line.enclosing);
  }

  const ranges: Span[] = [];
  for (const line of lines) {
    if (!kept.has(line)) continue;
    // Loops and braces nested this deep make a tree that the parser's query cannot read in linear time.
    if (line.blockDepth > MAX_NESTING) {
      const reason = `loops and braces nest more than ${MAX_NESTING} deep, which the shell parser cannot read`;
      shortfalls.note(reason, { start: line.range.start, end: line.range.start });
      continue;
    }
    const previous = ranges[ranges.length - 1];
    if (previous && previous.end === line.range.start) {
      ranges[ranges.length - 1] = { start: previous.start, end: line.range.end };
    } else {
      ranges.push(line.range);
    }
  }
  return { ranges, shortfalls: shortfalls.list };
}

function readLines(text: string, triggers: (statement: string) => boolean, shortfalls: ShortfallLog): StatementLine[] {
  const lines = logicalLines(text).flatMap((range): StatementLine[] => {
    const statement = text.slice(range.start, range.end);
    if (heredocMarkers(statement) > MAX_HEREDOCS_PER_LINE) {
      shortfalls.note(`a line opens more than ${MAX_HEREDOCS_PER_LINE} heredocs, which the shell parser cannot read`, {
        start: range.start,
        end: range.start,
      });
      return [];
    }
    if (range.depth > MAX_NESTING) {
      const reason =
        `a statement nests quotes, substitutions or subshells more than ${MAX_NESTING} deep, ` +
        'which the shell parser cannot read';
      shortfalls.note(reason, { start: range.start, end: range.start });
      return [];
    }
    return [
      {
        range,
        text: statement,
        triggered: triggers(statement),
        assigns: [],
        references: [],
        enclosing: undefined,
        touches: [],
        mayHoldStructure: false,
        shifts: false,
        blockDepth: 0,
      },
    ];
  });
  // Each pattern runs once over the whole text, which costs far less than once per line.
  eachMatch(text, REFERENCE, lines, (line, [, name]) => line.references.push(name));
  eachMatch(text, ASSIGNMENT, lines, (line, [, name, value]) => {
    const holdsAddress = ADDRESS_HINT.test(value);
    line.assigns.push({ name, value, holdsAddress, essential: holdsAddress || namesAPort(name) });
  });
  eachMatch(text, DEFAULT_ASSIGNMENT, lines, (line, [, name]) => {
    line.assigns.push({ name, value: '', holdsAddress: false, essential: namesAPort(name) });
  });
  eachMatch(text, LOOP_VARIABLE, lines, (line, [, name]) => {
    if (namesAPort(name)) line.assigns.push({ name, value: '', holdsAddress: false, essential: true });
  });
  eachMatch(text, STRUCTURE_HINT, lines, (line) => {
    line.mayHoldStructure = true;
  });
  eachMatch(text, SHIFT, lines, (line, match) => {
    if (startsWord(text, match.index)) line.shifts = true;
  });
  return lines;
}

function index(map: Map<string, StatementLine[]>, name: string, line: StatementLine): void {
  const known = map.get(name);
  if (known) known.push(line);
  else map.set(name, [line]);
}

/** Whether a word starts at `at`: at the start of the text or after a blank or an operator. */
function startsWord(text: string, at: number): boolean {
  return at === 0 || COMMAND_BOUNDARY.test(text[at - 1]);
}
const COMMAND_BOUNDARY = /[\s;&|(`]/;

/**
 * Hands each match of a global pattern over the whole text to the line it starts in, if any. A match that begins
 * with the blank or operator before a word (a pattern can match faster so than with a lookbehind) belongs where
 * the word starts.
 */
function eachMatch(
  text: string,
  pattern: RegExp,
  lines: readonly StatementLine[],
  take: (line: StatementLine, match: RegExpExecArray) => void,
): void {
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    const start = COMMAND_BOUNDARY.test(match[0][0]) ? match.index + 1 : match.index;
    while (at < lines.length && lines[at].range.end <= start) at++;
    if (at === lines.length) return;
    if (start >= lines[at].range.start) take(lines[at], match);
  }
}

/** Pairs the lines that open and close function bodies and loops; unclosed or stray ones are left out. */
function findBlocks(text: string, lines: StatementLine[]): Block[] {
  const blocks: Block[] = [];
  const open: { block: Block; kind: 'loop' | 'brace' }[] = [];
  let functionName: { name: string; line: number } | undefined;
  lines.forEach((line, lineIndex) => {
    const top = open[open.length - 1];
    line.enclosing = top?.block;
    line.blockDepth = open.length;
    if (line.shifts) {
      for (let index = open.length - 1; index >= 0; index--) {
        if (open[index].block.functionName !== undefined) {
          open[index].block.shifts.push(lineIndex);
          break;
        }
      }
    }
    if (functionName && functionName.line < lineIndex - 1) functionName = undefined;
    if (!line.mayHoldStructure) return;
    for (const event of structureEvents(text, line.range.start, line.range.end)) {
      if (event.kind === 'function-name') {
        functionName = { name: event.name, line: lineIndex };
      } else if (event.kind === 'open') {
        const named = event.block === 'brace' ? functionName : undefined;
        const parent = open[open.length - 1]?.block;
        open.push({
          block: {
            open: named?.line ?? lineIndex,
            bodyStart: lineIndex,
            parent,
            shifts: [],
            kept: false,
            ...(named ? { functionName: named.name } : {}),
          },
          kind: event.block,
        });
        if (open.length > line.blockDepth) line.blockDepth = open.length;
        functionName = undefined;
      } else if (event.kind === 'body') {
        const loop = open[open.length - 1];
        if (loop?.kind === 'loop') loop.block.bodyStart = lineIndex;
      } else {
        let at = open.length - 1;
        while (at >= 0 && open[at].kind !== event.block) at--;
        if (at < 0) continue;
        const [closed] = open.splice(at, open.length - at);
        const { block } = closed;
        block.close = lineIndex;
        // A function on one line is kept for its calls; another block on one line keeps no other line.
        if (block.close !== block.open || block.functionName !== undefined) {
          blocks.push(block);
          lines[block.open].touches.push(block);
          if (line !== lines[block.open]) line.touches.push(block);
        }
      }
    }
  });
  // Blocks never closed keep no structure: their lines are read as if at the top level.
  for (const line of lines) {
    while (line.enclosing && line.enclosing.close === undefined) line.enclosing = line.enclosing.parent;
  }
  for (const block of blocks) {
    while (block.parent && block.parent.close === undefined) block.parent = block.parent.parent;
  }
  return blocks;
}

/** The lines that call each function defined in a block, by the function's name written as a command word. */
function functionCallers(text: string, lines: StatementLine[], blocks: readonly Block[]): Map<string, StatementLine[]> {
  const names = new Set(blocks.flatMap((block) => (block.functionName === undefined ? [] : [block.functionName])));
  const callers = new Map<string, StatementLine[]>();
  if (names.size === 0) return callers;
  const escaped = [...names].map(escapeRegExp);
  const call = new RegExp(`(?:${escaped.join('|')})(?=$|[\\s;&|)\`])`, 'g');
  eachMatch(text, call, lines, (line, match) => {
    const name = match[0];
    if (!startsWord(text, match.index)) return;
    const known = callers.get(name);
    if (!known) callers.set(name, [line]);
    else if (known[known.length - 1] !== line) known.push(line);
  });
  return callers;
}

/** How many heredocs the first physical line of a statement opens (`<<`, `<<-`; not the here-string `<<<`). */
function heredocMarkers(statement: string): number {
  if (!statement.includes('<<')) return 0;
  const lineEnd = statement.indexOf('\n');
  const firstLine = lineEnd < 0 ? statement : statement.slice(0, lineEnd);
  let count = 0;
  for (let at = firstLine.indexOf('<<'); at >= 0; at = firstLine.indexOf('<<', at + 2)) {
    if (firstLine[at + 2] === '<') at++;
    else count++;
  }
  return count;
}
