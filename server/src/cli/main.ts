import { type Severity } from '../rules/finding';
import { PortLensService } from '../service/portLensService';
import { DEFAULT_SETTINGS } from '../settings/settings';
import { type FailOn, USAGE, UsageError, parseArguments } from './args';
import { colourEnabled, jsonReport, textReport } from './report';
import { type ScannedFile, scanFile } from './scanFiles';
import { MissingPathError, filesToScan } from './walk';

declare const PORTLENS_VERSION: string | undefined;
const VERSION = typeof PORTLENS_VERSION === 'string' ? PORTLENS_VERSION : '0.0.0-dev';

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

function exceedsThreshold(files: readonly ScannedFile[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return files.some(({ scan }) => scan.findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]));
}

/** `portlens scan ...`: returns the exit status of GUIDE section 1 (0 clean, 1 findings, 2 usage or internal error). */
export async function runCli(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const args = parseArguments(argv);
    const settings = DEFAULT_SETTINGS;
    const service = await PortLensService.create(settings);
    if (args.language && !service.languageIds.includes(args.language)) {
      throw new UsageError(`--language must be one of ${service.languageIds.join(', ')}, not '${args.language}'`);
    }
    const limitBytes = settings.maxFileSizeMB * 1024 * 1024;
    const files: ScannedFile[] = [];
    for (const file of filesToScan(args.paths)) {
      const scanned = scanFile(file, service, limitBytes, args.language);
      if (scanned) files.push(scanned);
    }
    process.stdout.write(args.format === 'json' ? jsonReport(files, service, VERSION) : textReport(files, service, colourEnabled(process.stdout)));
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

if (require.main === module) {
  runCli(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
