/**
 * How much work one file may cost: a fixed allowance plus an allowance per character of its text, shared by every
 * scanner that reads part of it (the file's own and those of embedded texts). Scanners count what grows faster
 * than the text itself (expansions, list elements) and stop once the budget is spent, so a hostile file costs
 * time in proportion to its length and ends with a `scan-incomplete` finding. Work that cannot be counted from
 * JavaScript (the shell parser's error recovery) is bounded by a deadline, in the same proportion.
 */
export class WorkBudget {
  private spent = 0;
  private readonly deadline: number;

  constructor(
    private readonly allowance: number,
    milliseconds = Number.POSITIVE_INFINITY,
  ) {
    this.deadline = performance.now() + milliseconds;
  }

  /** The budget of a text of `length` characters, starting now. */
  static forText(length: number): WorkBudget {
    return new WorkBudget(
      FIXED_ALLOWANCE + PER_CHARACTER * length,
      FIXED_MILLISECONDS + (PER_KB_MILLISECONDS * length) / 1024,
    );
  }

  /** True once the time allowance has passed. */
  get overdue(): boolean {
    return performance.now() > this.deadline;
  }

  /** Counts `units` of work; false once the budget is spent, and from then on. */
  spend(units = 1): boolean {
    this.spent += units;
    return this.spent <= this.allowance;
  }

  get exhausted(): boolean {
    return this.spent > this.allowance;
  }
}

/**
 * Real files spend a small fraction of these (docs/performance.md, "hostile input"): the allowance is there to
 * stop what grows out of proportion with the text, never to cut a legitimate file short.
 */
const FIXED_ALLOWANCE = 5_000_000;
const PER_CHARACTER = 200;
/** Many times what the slowest real file takes on a loaded machine, so that only pathological text meets it. */
const FIXED_MILLISECONDS = 1000;
const PER_KB_MILLISECONDS = 10;
