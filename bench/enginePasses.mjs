// The engine without the CLI's cold start: one thread scans every file of a workspace several times over in one
// process, with the scanner each CLI thread runs (read, scan, JSON report, encoded in batches). The first pass
// pays for V8 compiling the scanners; the later ones show the engine's own speed. Run by
// `node bench/run.mjs engine` and by bench/instructions.mjs; prints one JSON line. Usage: enginePasses.mjs DIR [PASSES]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const compiled = (path) => require(join(root, 'out', 'server', 'src', path));
const { DEFAULT_SETTINGS } = compiled('settings/settings.js');
const { filesToScan } = compiled('cli/walk.js');
const { fileScanner } = compiled('cli/scanPool.js');

const PASSES = Number(process.argv[3] ?? 4);
const scan = await fileScanner({ settings: DEFAULT_SETTINGS, output: { format: 'json', version: 'bench', colour: false } });
const files = [...filesToScan([process.argv[2]])];
const passes = [];
let reported = { files: 0, bytes: 0 };
for (let pass = 0; pass < PASSES; pass++) {
  const start = process.hrtime.bigint();
  reported = { files: 0, bytes: 0 };
  scan(files, 0, (batch) => {
    reported.files += batch.tally.files;
    reported.bytes += batch.bytes.length;
  });
  passes.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(JSON.stringify({ ...reported, firstMs: passes[0], laterMs: passes.slice(1) }));
