import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PortLensService } from '../service/portLensService';
import type { PortLensSettings } from '../settings/settings';
import { type ReportedFile, reportFile } from './reportedFile';
import { scanFile } from './scanFiles';
import type { FileToScan } from './walk';

/** What a worker needs to scan its share of the files the same way the main thread would. */
export interface ScanJob {
  files: FileToScan[];
  settings: PortLensSettings;
  language?: string;
}

/** Below this many files, starting workers (each loads the parser) costs more than it saves. */
const FILES_PER_WORKER = 200;

export async function scanInProcess(job: ScanJob, service?: PortLensService): Promise<(ReportedFile | undefined)[]> {
  const scanner = service ?? (await PortLensService.create(job.settings));
  const limitBytes = job.settings.maxFileSizeMB * 1024 * 1024;
  return job.files.map((file) => {
    const scanned = scanFile(file, scanner, limitBytes, job.language);
    return scanned && reportFile(scanned, scanner);
  });
}

/**
 * Scans the files on every core: the parser is single-threaded, so large trees split into interleaved
 * shares, one worker thread each, and the results come back in walk order.
 */
export async function scanAll(job: ScanJob, workerScript: string): Promise<ReportedFile[]> {
  const workers = Math.min(availableParallelism(), Math.floor(job.files.length / FILES_PER_WORKER));
  if (workers < 2) return (await scanInProcess(job)).filter((file) => file !== undefined);
  const shares = Array.from({ length: workers }, (_, index) => job.files.filter((_, fileIndex) => fileIndex % workers === index));
  const results = await Promise.all(shares.map((files) => runWorker(workerScript, { ...job, files })));
  const ordered: ReportedFile[] = [];
  for (let index = 0; index < job.files.length; index++) {
    const file = results[index % workers][Math.floor(index / workers)];
    if (file) ordered.push(file);
  }
  return ordered;
}

function runWorker(script: string, job: ScanJob): Promise<(ReportedFile | undefined)[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`scan worker stopped with exit code ${code}`));
    });
  });
}
