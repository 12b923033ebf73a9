import { lineOf, lineStarts } from '../../lines';
import type { Span } from '../../mention';

/** A hover card: Markdown, and the span of the word it explains. */
export interface HoverCard {
  markdown: string;
  span: Span;
}

/** Text in inline code; Connect:Direct values never need a backtick, so one is replaced rather than escaped. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The 1-based line of `offset`, as the user reads it. */
export function lineNumber(text: string, offset: number): number {
  return lineOf(lineStarts(text), offset) + 1;
}

export function card(span: Span, title: string, ...lines: (string | undefined)[]): HoverCard {
  return { markdown: [title, ...lines.filter((line): line is string => Boolean(line))].join('\n\n'), span };
}

/** The card that explains a setting, when `notes` has one for its key (in lower case). */
export function keyCard(
  notes: ReadonlyMap<string, string>,
  key: string,
  span: Span,
  written: string,
): HoverCard | undefined {
  const note = notes.get(key.toLowerCase());
  return note ? card(span, `**${written}**`, note) : undefined;
}
