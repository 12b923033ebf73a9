import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SEVERITY_RANK } from '../rules/finding';
import { loadSettings } from './config';
import { type FailOn, USAGE, UsageError, parseArguments } from './args';
import { colourEnabled, jsonReport, textReport } from './report';
import { sarifReport } from './sarif';
import type { ReportedFile } from './reportedFile';
import { type ScanJob, scanAll, scanInProcess } from './scanPool';
import { MissingPathError, filesToScan } from './walk';
import { PortLensService } from '../service/portLensService';

declare const PORTLENS_VERSION: string | undefined;
const VERSION = typeof PORTLENS_VERSION === 'string' ? PORTLENS_VERSION : '0.0.0-dev';


function exceedsThreshold(files: readonly ReportedFile[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return files.some((file) =>
    file.findings.some((finding) => finding.suppressed === undefined && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]),
  );
}

/** `portlens scan ...`: returns the exit status of GUIDE section 1 (0 clean, 1 findings, 2 usage or internal error). */
export async function runCli(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const args = parseArguments(argv);
    const settings = loadSettings(args.config, args.paths);
    if (args.language) {
      const { languageIds } = await PortLensService.create(settings);
      if (!languageIds.includes(args.language)) throw new UsageError(`--language must be one of ${languageIds.join(', ')}, not '${args.language}'`);
    }
    const files = await scanAll({ files: [...filesToScan(args.paths)], settings, language: args.language }, __filename);
    const reports = {
      json: () => jsonReport(files, VERSION),
      sarif: () => sarifReport(files, VERSION),
      text: () => textReport(files, colourEnabled(process.stdout)),
    };
    process.stdout.write(reports[args.format]());
    return exceedsThreshold(files, args.failOn) ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof MissingPathError) {
      process.stderr.write(`portlens: ${error.message}\n\n${USAGE}\n`);
    } else {
      process.stderr.write(`portlens: internal error: ${(error as Error).stack ?? error}\n`);
    }
    return 2;
  }
}

if (!isMainThread) {
  // This same bundle is the scan worker's script (see scanPool.ts).
  scanInProcess(workerData as ScanJob).then((files) => parentPort!.postMessage(files));
} else if (require.main === module) {
  runCli(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
