// Instructions per warm pass of the engine over a folder, counted by Valgrind: for comparing two versions of a
// scanner on this machine, where wall and CPU times of one run vary by ±20% and these counts by under 1%.
// Usage: node bench/instructions.mjs DIR (after `npm run build`; needs valgrind). The count of a run with few
// passes is taken from one with many, which leaves the passes' own cost without start-up and compilation;
// --single-threaded keeps V8's compiler on the counted thread and makes the runs repeatable.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [folder] = process.argv.slice(2);
if (!folder) throw new Error('usage: node bench/instructions.mjs DIR');
const FEW = 3;
const MANY = 13;

/** Instructions of one process that scans `folder` `passes` times. */
function instructions(passes) {
  const run = spawnSync(
    'valgrind',
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', join(root, 'bench', 'enginePasses.mjs'), folder, String(passes)],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (run.error) throw new Error(`valgrind did not run: ${run.error.message}`);
  const total = /I\s+refs:\s+([\d,]+)/.exec(run.stderr);
  if (run.status !== 0 || !total) throw new Error(`valgrind failed (status ${run.status}): ${run.stderr.slice(-2000)}`);
  return Number(total[1].replaceAll(',', ''));
}

const perPass = (instructions(MANY) - instructions(FEW)) / (MANY - FEW);
console.log(`${folder}: ${(perPass / 1e6).toFixed(2)} million instructions per warm pass`);
