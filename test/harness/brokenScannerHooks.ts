import { appendFileSync } from 'node:fs';
import type { Context } from 'mocha';
import { brokenScannerCalls } from '../unit/helpers';

/**
 * Loaded with `mocha --require` by the harness (brokenScanner.test.ts) in a run where one family's scanners
 * throw: after each test it writes the test's outcome and whether it ran a broken scanner, one JSON line each.
 */
const outcomesFile = process.env.PORTLENS_TEST_OUTCOMES;
let callsBefore = 0;

export const mochaHooks = {
  beforeEach(): void {
    callsBefore = brokenScannerCalls();
  },
  afterEach(this: Context): void {
    const test = this.currentTest;
    if (!outcomesFile || !test) return;
    const ranBrokenScanner = brokenScannerCalls() > callsBefore;
    appendFileSync(
      outcomesFile,
      `${JSON.stringify({ title: test.fullTitle(), file: test.file, state: test.state, ranBrokenScanner })}\n`,
    );
  },
};
