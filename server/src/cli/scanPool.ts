import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PortLensService } from '../service/portLensService';
import type { PortLensSettings } from '../settings/settings';
import { type OutputOptions, reportWriter } from './report';
import { type Tally, emptyTally, reportFile, tallyFile } from './reportedFile';
import { scanFile } from './scanFiles';
import type { FileToScan } from './walk';

/** What a worker needs to scan its share of the files and write their parts of the report. */
export interface ScanJob {
  files: FileToScan[];
  settings: PortLensSettings;
  language?: string;
  output: OutputOptions;
}

/** One file's part of the report, and what it adds to the counts. */
export interface FilePart {
  chunk: string;
  tally: Tally;
}

/** Hands over the part of the file at `index` of the job; undefined for a file that is not reported. */
export type PartSink = (index: number, part: FilePart | undefined) => void;

/** Below this many files, starting workers (each loads the parser) costs more than it saves. */
const FILES_PER_WORKER = 200;

/** Scans the files one after the other and writes each one's part as soon as it is read. */
export async function scanInProcess(job: ScanJob, sink: PartSink): Promise<void> {
  const scanner = await PortLensService.create(job.settings);
  const writer = reportWriter(job.output);
  const limitBytes = job.settings.maxFileSizeMB * 1024 * 1024;
  job.files.forEach((file, index) => {
    const scanned = scanFile(file, scanner, limitBytes, job.language);
    if (!scanned) return sink(index, undefined);
    const report = reportFile(scanned, scanner, writer.replacements);
    const tally = emptyTally();
    tallyFile(tally, report);
    sink(index, { chunk: writer.file(report), tally });
  });
}

/**
 * Scans the files on every core: the parser is single-threaded, so large trees split into interleaved shares,
 * one worker thread each. Parts reach `emit` in walk order, each as soon as every file before it is done, so
 * the report streams out instead of being held whole.
 */
export async function scanAll(job: ScanJob, workerScript: string, emit: (part: FilePart) => void): Promise<void> {
  const workers = Math.min(availableParallelism(), Math.floor(job.files.length / FILES_PER_WORKER));
  const pending = new Map<number, FilePart | undefined>();
  let next = 0;
  const sink: PartSink = (index, part) => {
    pending.set(index, part);
    for (; pending.has(next); next++) {
      const ready = pending.get(next);
      pending.delete(next);
      if (ready) emit(ready);
    }
  };
  if (workers < 2) return scanInProcess(job, sink);
  await Promise.all(
    Array.from({ length: workers }, (_, share) =>
      runWorker(workerScript, { ...job, files: job.files.filter((_, index) => index % workers === share) }, (index, part) => sink(index * workers + share, part)),
    ),
  );
}

/** A message from a scan worker: one file's part, or the end of its share. */
export type WorkerMessage = { index: number; part: FilePart | undefined } | { done: true };

function runWorker(script: string, job: ScanJob, sink: PartSink): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    worker.on('message', (message: WorkerMessage) => {
      if ('done' in message) resolve();
      else sink(message.index, message.part);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`scan worker stopped with exit code ${code}`));
    });
  });
}
