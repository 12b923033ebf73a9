import { closeSync, openSync, writeSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type Severity, SEVERITY_RANK } from '../rules/finding';
import { loadSettings, withRuleLevels } from './config';
import { type FailOn, USAGE, UsageError, parseArguments } from './args';
import { colourEnabled, printable, reportWriter } from './report';
import { type Tally, addTally, emptyTally } from './reportedFile';
import { type ReportBatch, type ScanSetup, scanAll, serveScanTasks } from './scanPool';
import { cacheKey } from '../workspace/scanCache';
import { tuneForShortRun } from './v8Flags';
import { MissingPathError, filesToScan } from './walk';
import { createFormatRegistry } from '../scan/registry';
import { PortLensService } from '../service/portLensService';
import { VERSION } from '../version';

function warn(message: string): void {
  process.stderr.write(`portlens: warning: ${printable(message)}\n`);
}

function exceedsThreshold(tally: Tally, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return (Object.keys(tally.findings) as Severity[]).some(
    (severity) => tally.findings[severity] > 0 && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn],
  );
}

/**
 * Where the report goes: standard output, or the file `-o` names, written as the scan goes (so the report never
 * has to fit in memory) and replaced whole by each run.
 */
function reportTarget(path: string | undefined): {
  stream?: NodeJS.WriteStream;
  write(data: string | Uint8Array): void;
  close(): void;
} {
  if (path === undefined)
    return { stream: process.stdout, write: (data) => void process.stdout.write(data), close: () => {} };
  let descriptor: number;
  try {
    descriptor = openSync(path, 'w');
  } catch (error) {
    throw new UsageError(`cannot write the report to ${path}: ${(error as Error).message}`);
  }
  const write = (data: string | Uint8Array) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(descriptor, bytes, offset);
  };
  return { write, close: () => closeSync(descriptor) };
}

/** `portlens scan ...`: returns the exit status of GUIDE section 1 (0 clean, 1 findings, 2 usage or internal error). */
export async function runCli(argv: readonly string[]): Promise<number> {
  // After `--` come paths, and a file may be called `--help`.
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const args = parseArguments(argv);
    const settings = withRuleLevels(loadSettings(args.config, args.paths, !args.noConfigLookup, warn), args.rules);
    if (args.language) {
      const { languageIds } = await PortLensService.create(settings, createFormatRegistry({ parserOnDemand: true }));
      if (!languageIds.includes(args.language))
        throw new UsageError(`--language must be one of ${languageIds.join(', ')}, not '${args.language}'`);
    }
    const tally = emptyTally();
    const files = filesToScan(
      args.paths,
      (path, reason) => {
        // Said at once on stderr, and counted in the report: what the walk set aside must not look like a clean tree.
        warn(`skipped ${path}: ${reason}`);
        tally.skipped.push({ path, reason });
      },
      args.stdinFilename,
      args.exclude,
    );
    const report = reportTarget(args.output);
    const output = { format: args.format, version: VERSION, colour: colourEnabled(report.stream, args.color) };
    // What a forced language reads differs from what detection reads: it is part of what wrote the cache.
    const cache = args.cacheFile && {
      file: args.cacheFile,
      key: cacheKey(`${VERSION}\0${args.language ?? ''}`, settings),
    };
    const writer = reportWriter(output);
    let written = false;
    report.write(writer.head());
    const setup = { settings, language: args.language, output, ...(cache ? { cache } : {}) };
    const emit = (batch: ReportBatch) => {
      addTally(tally, batch.tally);
      if (batch.bytes.length === 0) return;
      if (written) report.write(writer.between);
      report.write(batch.bytes);
      written = true;
    };
    try {
      await scanAll(setup, files, __filename, emit, warn);
      report.write(writer.tail(tally));
    } finally {
      report.close();
    }
    return exceedsThreshold(tally, args.failOn) ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof MissingPathError) {
      process.stderr.write(`portlens: ${error.message}\n\n${USAGE}\n`);
    } else {
      process.stderr.write(
        `portlens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return 2;
  }
}

if (!isMainThread) {
  // This same bundle is the scan worker's script (see scanPool.ts).
  void serveScanTasks(workerData as ScanSetup, parentPort!);
} else if (require.main === module) {
  // `portlens scan | head`: the reader has all it wants, which is no error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  tuneForShortRun();
  void runCli(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
