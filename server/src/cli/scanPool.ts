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

/** A message from a scan worker: the parts of some of its files, in order, or the end of its share. */
export type WorkerMessage = { first: number; parts: (FilePart | undefined)[] } | { done: true };

/** Parts a worker holds before it posts them: each message costs far more than the bytes it carries. */
const PARTS_PER_MESSAGE = 100;
const CHUNK_BYTES_PER_MESSAGE = 1 << 20;

/**
 * A sink for a worker's scan that posts its files' parts in batches, and a flush for the last of them.
 * The scan hands over parts in file order, so a batch is the parts from its first index on.
 */
export function batchingSink(post: (message: WorkerMessage) => void): { sink: PartSink; flush: () => void } {
  let first = 0;
  let parts: (FilePart | undefined)[] = [];
  let bytes = 0;
  const flush = () => {
    if (parts.length > 0) post({ first, parts });
    first += parts.length;
    parts = [];
    bytes = 0;
  };
  const sink: PartSink = (_index, part) => {
    parts.push(part);
    bytes += part?.chunk.length ?? 0;
    if (parts.length >= PARTS_PER_MESSAGE || bytes >= CHUNK_BYTES_PER_MESSAGE) flush();
  };
  return { sink, flush };
}

function runWorker(script: string, job: ScanJob, sink: PartSink): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    worker.on('message', (message: WorkerMessage) => {
      if ('done' in message) resolve();
      else message.parts.forEach((part, offset) => sink(message.first + offset, part));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`scan worker stopped with exit code ${code}`));
    });
  });
}
