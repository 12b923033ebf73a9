/**
 * Issue 25's hostile-input suite, at small sizes: each generator is scanned at four doublings of its size.
 * Every scan must end with the sentinel's finding or a `scan-incomplete` finding, without an exception; the doublings
 * may multiply the time by at most TEST_LIMITS.maxGrowth on average, and none by more than TEST_LIMITS.maxSpike. `npm run bench hostile` runs the same generators at
 * sizes a CI run could not afford.
 */
import * as assert from 'node:assert/strict';
import { HOSTILE_GENERATORS } from './generators';
import { type SizeResult, TEST_LIMITS, problemsOf, summaryLine } from './judge';
import { HostileRunner, type MeasureOptions, doublingsUpTo, measureGenerator } from './runner';

/**
 * The largest text of each generator. Small enough for CI and for V8's young generation: past it, a linear scan
 * starts paying for promotion and marking, which shows as a step in time that a doubling could mistake for growth.
 */
const LARGEST_BYTES = 96 * 1024;
const DOUBLINGS = 4;

const OPTIONS: MeasureOptions = {
  ...TEST_LIMITS,
  warmupRuns: 5,
  minRuns: 3,
  maxRuns: 10,
  minTotalMs: 100,
  singleRunAboveMs: 1000,
  confirmations: 2,
  stopAtFirstExcess: false,
};

describe('hostile input: linear time, and no finding dropped without scan-incomplete', () => {
  const runner = new HostileRunner();
  const summary: string[] = [];

  after(async () => {
    await runner.close();
    // The figures of every generator, for whoever reads the CI log after a failure.
    console.log(`\n  hostile input (best ms at each doubling, growth per doubling, the largest scan's outcome):`);
    for (const line of summary) console.log(`    ${line}`);
  });

  for (const generator of HOSTILE_GENERATORS) {
    it(`${generator.name} (${generator.languageId}, n = ${generator.unit})`, async function () {
      // The warm-up and four sizes, each of whose runs may take up to the hard limit before it is stopped.
      this.timeout((OPTIONS.warmupRuns + DOUBLINGS * OPTIONS.minRuns) * OPTIONS.hardLimitMs);
      const results: SizeResult[] = await measureGenerator(
        runner,
        generator,
        doublingsUpTo(generator, LARGEST_BYTES, DOUBLINGS),
        OPTIONS,
      );
      summary.push(summaryLine(generator, results, OPTIONS.floorMs));
      assert.deepEqual(problemsOf(generator, results, OPTIONS), [], `${generator.name} did not hold`);
    });
  }
});
