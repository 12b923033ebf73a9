// npm run bench hostile: every hostile-input generator of test/hostile at four doublings up to LARGEST_BYTES, with
// the time per MB, the growth of time per doubling, and what the largest scan reported. The test suite runs the
// same generators at small sizes and fails past maxGrowth per doubling; this shows where each one is heading.
//
//   node bench/hostile.mjs [GENERATOR...]          after npm run build; names filter the generators
//   node bench/run.mjs hostile                     the same, as one of the benchmark's measures
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { HOSTILE_GENERATORS } = require(join(root, 'out', 'test', 'hostile', 'generators.js'));
const { HostileRunner, doublingsUpTo, measureGenerator } = require(join(root, 'out', 'test', 'hostile', 'runner.js'));
const { growthFactors, outcomeOf } = require(join(root, 'out', 'test', 'hostile', 'judge.js'));

const LARGEST_BYTES = 1024 * 1024;
const MB = 1024 * 1024;
const OPTIONS = {
  floorMs: 5,
  maxGrowth: 2.5,
  // Long enough for a slow linear scan of the largest size on a loaded machine; what takes longer is stopped.
  hardLimitMs: 30_000,
  warmupRuns: 3,
  minRuns: 3,
  maxRuns: 3,
  minTotalMs: 0,
  singleRunAboveMs: 1000,
  confirmations: 0,
  stopAtFirstExcess: false,
};

/** Measures the generators named in `names` (all when empty) and prints one line each. */
export async function hostileBench(names = []) {
  const unknown = names.filter((name) => !HOSTILE_GENERATORS.some((generator) => generator.name === name));
  if (unknown.length > 0) throw new Error(`no hostile generator named ${unknown.join(', ')}`);
  const chosen = HOSTILE_GENERATORS.filter((generator) => names.length === 0 || names.includes(generator.name));
  console.log(`hostile input, ${chosen.length} generators at four doublings up to about 1 MB (best CPU time of the runs):`);
  console.log(`  ${'generator'.padEnd(32)} ${'largest'.padStart(9)} ${'ms/MB'.padStart(8)}  ${'growth per doubling'.padEnd(21)} ms at each size; outcome of the largest`);
  const runner = new HostileRunner();
  let superLinear = 0;
  try {
    for (const generator of chosen) {
      const results = await measureGenerator(runner, generator, doublingsUpTo(generator, LARGEST_BYTES), OPTIONS);
      const last = results[results.length - 1];
      const growth = growthFactors(results, OPTIONS.floorMs);
      if (growth.some((factor) => factor > OPTIONS.maxGrowth) || last.failure) superLinear++;
      const perMb = last.failure ? '-' : (last.bestMs / (last.bytes / MB)).toFixed(0);
      const growthText = growth.map((factor) => `${factor.toFixed(2)}x`).join(' ') || '-';
      const times = results.map((result) => result.bestMs.toFixed(1)).join(' / ');
      console.log(
        `  ${generator.name.padEnd(32)} ${`${(last.bytes / 1024).toFixed(0)} KB`.padStart(9)} ${perMb.padStart(8)}  ${growthText.padEnd(21)} ${times}; ${outcomeOf(last)}`,
      );
    }
  } finally {
    await runner.close();
  }
  console.log(`  ${superLinear} of ${chosen.length} grew past ${OPTIONS.maxGrowth}x in a doubling or failed`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  hostileBench(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
