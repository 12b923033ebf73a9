// The engine without the CLI's cold start: one thread reads, scans and writes the JSON part of every file of a
// workspace, several times over in one process. The first pass pays for V8 compiling the scanners; the later
// ones show the engine's own speed. Run by `node bench/run.mjs engine`; prints one JSON line.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const compiled = (path) => require(join(root, 'out', 'server', 'src', path));
const { PortLensService } = compiled('service/portLensService.js');
const { DEFAULT_SETTINGS } = compiled('settings/settings.js');
const { filesToScan } = compiled('cli/walk.js');
const { scanFile } = compiled('cli/scanFiles.js');
const { reportFile } = compiled('cli/reportedFile.js');
const { reportWriter } = compiled('cli/report.js');

const PASSES = 4;
const service = await PortLensService.create(DEFAULT_SETTINGS);
const writer = reportWriter({ format: 'json', version: 'bench', colour: false });
const limitBytes = DEFAULT_SETTINGS.maxFileSizeMB * 1024 * 1024;
const files = [...filesToScan([process.argv[2]])];
const passes = [];
let characters = 0;
let scannedFiles = 0;
for (let pass = 0; pass < PASSES; pass++) {
  const start = process.hrtime.bigint();
  characters = 0;
  scannedFiles = 0;
  for (const file of files) {
    const scanned = scanFile(file, service, limitBytes);
    if (!scanned) continue;
    scannedFiles++;
    characters += writer.file(reportFile(scanned, service, writer.replacements)).length;
  }
  passes.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(JSON.stringify({ files: scannedFiles, characters, firstMs: passes[0], laterMs: passes.slice(1) }));
