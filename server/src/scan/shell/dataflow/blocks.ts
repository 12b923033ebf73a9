/**
 * The compound commands that span lines and matter to data flow: function bodies and loops. Lines that open or
 * close them are found without parsing, so that the statement filter can keep a kept statement's function and
 * loop around it.
 */
export type StructureEvent =
  | { kind: 'function-name'; name: string }
  | { kind: 'open'; block: 'loop' | 'brace' }
  /** A loop's `do`, which may be on a later line than its `for` or `while`. */
  | { kind: 'body' }
  | { kind: 'close'; block: 'loop' | 'brace' };

/**
 * Where a structure word may be: most lines of a script hold none, and only those that do are read for them.
 * Global, to run once over a whole text.
 */
export const STRUCTURE_HINT = /(?:for|select|while|until|do|done|function|\{|\})(?=$|[\s;&|)])|\(\s*\)/gm;

const NAME = /^[^\s;&|()<>'"`$=\\]+$/;
const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;

/**
 * The structure words of `text.slice(start, end)` (one logical line), in order: loops (`for`, `while`, `until`,
 * `select` up to `done`), brace groups, and function names (`name()`, `function name`) before their body. A
 * reserved word counts only where a command may start; quoted text, comments and heredoc bodies are skipped.
 */
export function structureEvents(text: string, start: number, end: number): StructureEvent[] {
  const line = text.slice(start, end);
  const events: StructureEvent[] = [];
  let at = 0;
  let commandPosition = true;
  let heredocPending = false;
  let functionKeyword = false;
  while (at < line.length) {
    const char = line[at];
    if (char === ' ' || char === '\t' || char === '\r') {
      at++;
      continue;
    }
    if (char === '\n') {
      // The bodies of heredocs follow the line that opens them, to the end of the logical line.
      if (heredocPending) break;
      commandPosition = true;
      at++;
      continue;
    }
    if (char === '#') {
      const newline = line.indexOf('\n', at);
      at = newline < 0 ? line.length : newline;
      continue;
    }
    if (char === '<' || char === '>') {
      if (line.startsWith('<<', at) && line[at + 2] !== '<') heredocPending = true;
      while (at < line.length && (line[at] === '<' || line[at] === '>' || line[at] === '&' || line[at] === '-')) at++;
      commandPosition = false;
      continue;
    }
    if (char === ';' || char === '&' || char === '|' || char === '(' || char === ')') {
      commandPosition = true;
      at++;
      continue;
    }
    const wordStart = at;
    at = wordEnd(line, at);
    const word = line.slice(wordStart, at);
    if (functionKeyword) {
      functionKeyword = false;
      const name = word.endsWith('()') ? word.slice(0, -2) : word;
      if (NAME.test(name)) events.push({ kind: 'function-name', name });
      at = skipEmptyParentheses(line, at);
      commandPosition = true;
      continue;
    }
    if (!commandPosition) continue;
    switch (word) {
      case 'for':
      case 'select':
        events.push({ kind: 'open', block: 'loop' });
        commandPosition = false;
        continue;
      case 'while':
      case 'until':
        events.push({ kind: 'open', block: 'loop' });
        continue;
      case 'done':
        events.push({ kind: 'close', block: 'loop' });
        commandPosition = false;
        continue;
      case '{':
        events.push({ kind: 'open', block: 'brace' });
        continue;
      case '}':
        events.push({ kind: 'close', block: 'brace' });
        commandPosition = false;
        continue;
      case 'function':
        functionKeyword = true;
        continue;
      case 'do':
        events.push({ kind: 'body' });
        continue;
      case 'then':
      case 'else':
      case 'elif':
      case 'if':
      case '!':
      case 'time':
        continue;
    }
    const afterName = skipEmptyParentheses(line, at);
    if (afterName !== at && NAME.test(word)) {
      events.push({ kind: 'function-name', name: word });
      at = afterName;
      continue;
    }
    commandPosition = ASSIGNMENT_WORD.test(word);
  }
  return events;
}

/** After a function's name: `()`, with blanks allowed inside and before; returns where they end, or `at`. */
function skipEmptyParentheses(line: string, at: number): number {
  let next = at;
  while (line[next] === ' ' || line[next] === '\t') next++;
  if (line[next] !== '(') return at;
  next++;
  while (line[next] === ' ' || line[next] === '\t') next++;
  return line[next] === ')' ? next + 1 : at;
}

/** Where the word starting at `at` ends: at a blank or an operator outside quotes and `$( )`, `${ }`. */
function wordEnd(line: string, at: number): number {
  let depth = 0;
  while (at < line.length) {
    const char = line[at];
    if (char === '\\') {
      at += 2;
      continue;
    }
    if (char === "'") {
      const close = line.indexOf("'", at + 1);
      at = close < 0 ? line.length : close + 1;
      continue;
    }
    if (char === '"' || char === '`') {
      at = quotedEnd(line, at, char);
      continue;
    }
    if (char === '$' && (line[at + 1] === '(' || line[at + 1] === '{')) {
      depth++;
      at += 2;
      continue;
    }
    // An array's elements belong to its assignment: `ports=(80 443)`.
    if (char === '(' && line[at - 1] === '=') {
      depth++;
      at++;
      continue;
    }
    if (depth > 0) {
      if (char === ')' || char === '}') depth--;
      else if (char === '(') depth++;
      at++;
      continue;
    }
    if (/[\s;&|()<>]/.test(char)) return at;
    at++;
  }
  return at;
}

function quotedEnd(line: string, at: number, quote: string): number {
  for (let next = at + 1; next < line.length; next++) {
    if (line[next] === '\\') next++;
    else if (line[next] === quote) return next + 1;
  }
  return line.length;
}
