// The engine without the CLI's cold start: one thread scans every file of a workspace several times over in one
// process, with the scanner each CLI thread runs (read, scan, JSON report, encoded in batches). The first pass
// pays for V8 compiling the scanners; the later ones show the engine's own speed. Run by
// `node bench/run.mjs engine` and by bench/instructions.mjs; prints one JSON line. Usage: enginePasses.mjs DIR [PASSES]
import { engineOver } from './engine.mjs';

const PASSES = Number(process.argv[3] ?? 4);
const { scan, files } = await engineOver(process.argv[2]);
const passes = [];
let reported = { files: 0, bytes: 0 };
for (let pass = 0; pass < PASSES; pass++) {
  const start = process.hrtime.bigint();
  reported = { files: 0, bytes: 0 };
  await scan(files, 0, (batch) => {
    reported.files += batch.tally.files;
    reported.bytes += batch.bytes.length;
  });
  passes.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(JSON.stringify({ ...reported, firstMs: passes[0], laterMs: passes.slice(1) }));
