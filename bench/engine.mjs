// The scanner each CLI thread runs (read, scan, rules, JSON report, encoded in batches), loaded from the compiled
// tree, with the files of a folder in walk order: what the engine measures (enginePasses.mjs, allocations.mjs) run.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const compiled = (path) => require(join(root, 'out', 'server', 'src', path));

export async function engineOver(folder) {
  const { DEFAULT_SETTINGS } = compiled('settings/settings.js');
  const { filesToScan } = compiled('cli/walk.js');
  const { fileScanner } = compiled('cli/scanPool.js');
  const scan = await fileScanner({ settings: DEFAULT_SETTINGS, output: { format: 'json', version: 'bench', colour: false } });
  return { scan, files: [...filesToScan([folder])] };
}
