/**
 * A run of characters of one class, as a sticky pattern that matches it (`/[^\s{}]*\/y`). One match per run
 * costs far less than testing a pattern on every character.
 */
export function runPattern(characterClass: string): RegExp {
  return new RegExp(`${characterClass}*`, 'y');
}

/** Where the run that `run` (from `runPattern`) matches at `from` ends, at most `to`; `from` when there is none. */
export function endOfRun(run: RegExp, text: string, from: number, to = text.length): number {
  run.lastIndex = from;
  run.exec(text);
  return Math.min(run.lastIndex, to);
}
