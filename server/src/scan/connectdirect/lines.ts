/**
 * Calls `visit` for each line of `text` (without its `\n`) with the line's document offset and the index of its
 * first non-blank character (-1 for a blank line): the loop every line-based Connect:Direct file reader shares.
 */
export function forEachLine(text: string, visit: (line: string, lineStart: number, first: number) => void): void {
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, newline < 0 ? text.length : newline);
    visit(line, lineStart, line.search(/\S/));
    if (newline < 0) return;
    lineStart = newline + 1;
  }
}
