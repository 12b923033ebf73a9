import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Fingerprint, ScanCache, type WrittenFile, fingerprint, writtenAs } from '../workspace/scanCache';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createFormatRegistry } from '../scan/registry';
import { PortLensService } from '../service/portLensService';
import type { PortLensSettings } from '../settings/settings';
import { type OutputOptions, reportWriter } from './report';
import {
  type ReportedFile,
  type Tally,
  addTally,
  emptyTally,
  reportFile,
  tallyFile,
  withoutEdits,
} from './reportedFile';
import { scanFile } from './scanFiles';
import { OPTIMISED_PARSER_BYTES, tuneForLongRun } from './v8Flags';
import type { FileToScan } from './walk';

/** What every scan needs besides its files: the settings, a forced language, and how to write the report. */
export interface ScanSetup {
  settings: PortLensSettings;
  language?: string;
  output: OutputOptions;
  /** The scan cache (`--cache`): its file, and the key that says which version and settings wrote it. */
  cache?: { file: string; key: string };
}

/**
 * The report of consecutive files in walk order: their parts, joined and encoded (a format may have nothing to
 * say of a file, so it can be empty), and what they add to the counts.
 */
export interface ReportBatch {
  first: number;
  files: number;
  bytes: Uint8Array;
  tally: Tally;
  /** The files read for the scan cache (`--cache`), for the main thread to record and save. */
  cached?: CachedFile[];
}

export type BatchSink = (batch: ReportBatch) => void;

/**
 * What `--cache` keeps of a file: where it is, and what the report wrote for it. A file read has what it was when
 * it was read and its report; one the cache held already has neither.
 */
export interface CachedFile {
  path: string;
  read?: { taken: Fingerprint; report: ReportedFile | null };
  written?: WrittenFile;
}

/**
 * Bytes of files to scan that make a worker thread pay off. Each worker's V8 compiles the scanners afresh, so a
 * small tree scans faster on one thread; the bytes, not the number of files, decide where a second worker starts
 * to win (measured in docs/performance.md).
 */
const BYTES_PER_WORKER = 6 * 1024 * 1024;
/** A walk of this many files has work enough for every core in opening them, whatever their size. */
const FILES_FOR_EVERY_CORE = 100_000;
/** Files handed to a worker at a time, numbered in walk order. */
const FILES_PER_TASK = 50;
/**
 * Parts go out in batches: a message between threads or a write to stdout costs far more than one small file's
 * part, and a large report written a file at a time passed through a pipe far more slowly than in large writes.
 */
const FILES_PER_BATCH = 100;
const CHARACTERS_PER_BATCH = 1 << 20;

/** Scans consecutive files from the one numbered `first`, handing over their report in batches as it goes. */
export type FileScanner = (files: Iterable<FileToScan>, first: number, sink: BatchSink) => Promise<void>;

/**
 * The parts joined by `between` as UTF-8, written straight into one buffer: joining them into one string first
 * and then encoding it copied every character twice. The buffer is its own memory, so it can move to another thread.
 */
function encodeJoined(parts: readonly string[], between: string, characters: number): Uint8Array {
  // A UTF-16 code unit takes at most three bytes in UTF-8.
  const bytes = Buffer.allocUnsafeSlow(3 * (characters + between.length * parts.length));
  let length = 0;
  for (let index = 0; index < parts.length; index++) {
    if (index > 0) length += bytes.write(between, length, 'utf8');
    length += bytes.write(parts[index], length, 'utf8');
  }
  return bytes.subarray(0, length);
}

/**
 * The service and the report writer, loaded once for all the files this thread scans. With `--cache`, a file the
 * main thread found unchanged comes with its report and is not read; each file read goes back with what it was when
 * it was read, for the main thread to record.
 */
export async function fileScanner(setup: ScanSetup): Promise<FileScanner> {
  const scanner = await PortLensService.create(setup.settings, createFormatRegistry({ parserOnDemand: true }));
  const writer = reportWriter(setup.output);
  const limitBytes = scanner.maxFileBytes;
  const forWriter = (report: ReportedFile) => (writer.replacements ? report : withoutEdits(report));
  let read: CachedFile[] = [];
  /** The file's report for the writer, and for `--cache` where the file is and what it was when it was read. */
  const reportOf = async (
    file: FileToScan,
  ): Promise<{ report?: ReportedFile; key?: string; read?: CachedFile['read'] }> => {
    const key = setup.cache && !file.label && !file.pipe && !file.skipped ? resolve(file.path) : undefined;
    if (file.cached && 'report' in file.cached) {
      const { report } = file.cached;
      return { key, ...(report ? { report: forWriter({ ...report, path: file.path }) } : {}) };
    }
    // Standard input and pipes have no content to find again; a file set aside is reported as it is.
    const taken = key ? fingerprint(key, limitBytes) : undefined;
    const scanned = await scanFile(file, scanner, limitBytes, setup.language);
    // The cache keeps the edits SARIF prints, so that one cache serves every format.
    const report = scanned && reportFile(scanned, scanner, writer.replacements || taken !== undefined);
    if (!taken) return report ? { report } : {};
    return { key, read: { taken, report: report ?? null }, ...(report ? { report: forWriter(report) } : {}) };
  };
  const scan: FileScanner = async (files, first, sink) => {
    let batch = { first, files: 0, chunks: [] as string[], characters: 0, tally: emptyTally() };
    const handOver = () => {
      const { files: count, chunks, tally } = batch;
      if (count > 0)
        sink({
          first: batch.first,
          files: count,
          bytes: encodeJoined(chunks, writer.between, batch.characters),
          tally,
          ...(read.length > 0 ? { cached: read } : {}),
        });
      read = [];
      batch = { first: batch.first + count, files: 0, chunks: [], characters: 0, tally: emptyTally() };
    };
    const add = (text: string, tally: Tally) => {
      addTally(batch.tally, tally);
      if (text) batch.chunks.push(text);
      batch.characters += text.length;
    };
    for (const file of files) {
      batch.files++;
      if (file.cached && 'written' in file.cached) {
        add(file.cached.written.text, file.cached.written.tally);
      } else {
        const { report, key, read: readNow } = await reportOf(file);
        const tally = emptyTally();
        if (report) tallyFile(tally, report);
        const text = report ? writer.file(report) : '';
        add(text, tally);
        // What was written is kept for the next run in this format; a file of no format writes nothing in any.
        const written = report ? { as: writtenAs(setup.output, file.path), text, tally } : undefined;
        if (key && (readNow || written)) read.push({ path: key, read: readNow, written });
      }
      if (batch.files >= FILES_PER_BATCH || batch.characters >= CHARACTERS_PER_BATCH) handOver();
    }
    handOver();
  };
  return scan;
}

/**
 * Scans the files on as many cores as pay off: the parser is single-threaded, so a large tree is dealt out to
 * worker threads in tasks of consecutive files, each task to whichever worker finishes one first, while the walk
 * goes on. Parts reach `emit` in walk order, each as soon as every file before it is done, so the report streams
 * out instead of being held whole.
 */
export async function scanAll(
  setup: ScanSetup,
  files: Iterable<FileToScan>,
  workerScript: string,
  emit: BatchSink,
  warn: (message: string) => void = () => {},
): Promise<void> {
  // Files the cache holds unchanged come with their report; only the others are read, and only they count below.
  const limitBytes = setup.settings.maxFileSizeMB * 1024 * 1024;
  const cache = setup.cache && ScanCache.load(setup.cache.file, setup.cache.key, limitBytes, warn);
  const walk = cache ? withCachedReports(files, cache, setup.output) : files[Symbol.iterator]();
  const record = (batch: ReportBatch) => {
    for (const { path, read, written } of batch.cached ?? []) {
      if (read) cache?.record(path, read.taken, read.report, written);
      else if (written) cache?.remember(path, written);
    }
    emit(batch);
  };
  // The walk is read as far as it takes to decide how many workers pay off; the rest streams to them.
  const cores = availableParallelism();
  const { head, bytes } = takeBytes(walk, cores * BYTES_PER_WORKER, limitBytes);
  const count = head.length >= FILES_FOR_EVERY_CORE ? cores : Math.min(cores, Math.floor(bytes / BYTES_PER_WORKER));
  if (count >= 2 || bytes >= OPTIMISED_PARSER_BYTES) tuneForLongRun();
  // Scanned here, the head may not be the whole walk: what is left of it follows, already in order.
  if (count < 2) await (await fileScanner(setup))(concat(head, walk), 0, record);
  else {
    const sink = inWalkOrder(record);
    const tasks = tasksOf(concat(head, walk));
    const workers = Array.from({ length: count }, () => new ScanWorker(workerScript, setup, sink));
    try {
      await Promise.all(workers.map((worker) => worker.work(tasks)));
    } finally {
      for (const worker of workers) void worker.stop();
    }
  }
  // A cache that cannot be written costs the next run its time, not this run its result.
  try {
    cache?.save();
  } catch (error) {
    warn(`the scan cache could not be written: ${(error as Error).message}`);
  }
}

/** The walk, each file the cache holds unchanged carrying what was written for it, or its report. */
function* withCachedReports(
  files: Iterable<FileToScan>,
  cache: ScanCache,
  output: OutputOptions,
): Generator<FileToScan> {
  for (const file of files) {
    const cached =
      file.label || file.pipe || file.skipped
        ? undefined
        : cache.lookupWritten(resolve(file.path), writtenAs(output, file.path));
    yield cached === undefined ? file : { ...file, cached };
  }
}

/** The walk in tasks of consecutive files, numbered from the first file. */
function* tasksOf(walk: Iterator<FileToScan>): Generator<WorkerTask> {
  for (let first = 0; ; ) {
    const files = take(walk, FILES_PER_TASK);
    if (files.length === 0) return;
    yield { first, files };
    first += files.length;
  }
}

/** Holds batches that arrive early and hands each to `emit` once every file before it has been. */
function inWalkOrder(emit: BatchSink): BatchSink {
  const pending = new Map<number, ReportBatch>();
  let next = 0;
  return (batch) => {
    pending.set(batch.first, batch);
    for (let ready = pending.get(next); ready; ready = pending.get(next)) {
      pending.delete(next);
      next += ready.files;
      emit(ready);
    }
  };
}

/**
 * Files of the walk until their sizes add up to `enough` bytes, or until it ends. A file over the size limit is
 * reported skipped without being read, and one that cannot be read is reported as such: they add nothing.
 */
function takeBytes(
  walk: Iterator<FileToScan>,
  enough: number,
  limitBytes: number,
): { head: FileToScan[]; bytes: number } {
  const head: FileToScan[] = [];
  let bytes = 0;
  while (bytes < enough && head.length < FILES_FOR_EVERY_CORE) {
    const item = walk.next();
    if (item.done) break;
    head.push(item.value);
    // A file the cache answers for is not read.
    if (item.value.cached !== undefined) continue;
    const size = sizeOf(item.value.path);
    if (size <= limitBytes) bytes += size;
  }
  return { head, bytes };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function* concat<T>(head: readonly T[], rest: Iterator<T>): Generator<T> {
  yield* head;
  for (let item = rest.next(); !item.done; item = rest.next()) yield item.value;
}

/** Up to `count` more items of `iterator`. */
function take<T>(iterator: Iterator<T>, count: number): T[] {
  const taken: T[] = [];
  while (taken.length < count) {
    const item = iterator.next();
    if (item.done) break;
    taken.push(item.value);
  }
  return taken;
}

/** A task for a worker: files numbered from `first` in walk order. */
export interface WorkerTask {
  first: number;
  files: FileToScan[];
}

/** A message from a scan worker: a batch of its files' report, or the end of a task (after all its batches). */
export type WorkerMessage = { batch: ReportBatch } | { taskDone: true };

/** The thread side of a message port, as a worker sees its parent. */
interface ParentPort {
  on(event: 'message', listener: (task: WorkerTask) => void): void;
  postMessage(message: WorkerMessage, transfer?: ArrayBuffer[]): void;
}

/** The worker side: scans each task as it comes, posting its batches, then says the task is done. */
export async function serveScanTasks(setup: ScanSetup, port: ParentPort): Promise<void> {
  const scan = await fileScanner(setup);
  port.on('message', (task) => {
    // The bytes move to the main thread instead of being copied.
    void scan(task.files, task.first, (batch) => port.postMessage({ batch }, [batch.bytes.buffer as ArrayBuffer])).then(
      () => port.postMessage({ taskDone: true }),
    );
  });
}

/**
 * Tasks a worker holds at once: the next one waits in its queue while it scans the current one, so it never
 * idles for a message's round trip, and no more, so that a worker slowed by its files or by the other threads
 * leaves the rest of the walk to the others.
 */
const TASKS_IN_HAND = 2;

/** The main thread's handle on one scan worker. */
class ScanWorker {
  private readonly worker: Worker;

  constructor(
    script: string,
    setup: ScanSetup,
    private readonly sink: BatchSink,
  ) {
    this.worker = new Worker(script, { workerData: setup });
  }

  /** Takes tasks from `tasks`, shared with the other workers, until none are left and every part has arrived. */
  work(tasks: Iterator<WorkerTask>): Promise<void> {
    return new Promise((resolve, reject) => {
      let inHand = 0;
      const takeNext = () => {
        const next = tasks.next();
        if (next.done) return;
        this.worker.postMessage(next.value);
        inHand++;
      };
      this.worker.on('message', (message: WorkerMessage) => {
        if ('batch' in message) return this.sink(message.batch);
        inHand--;
        // The walk goes on here, outside scanAll's own frames: what it throws must still reach the caller.
        try {
          takeNext();
        } catch (error) {
          return reject(error instanceof Error ? error : new Error(String(error)));
        }
        if (inHand === 0) resolve();
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`scan worker stopped with exit code ${code}`)));
      for (let task = 0; task < TASKS_IN_HAND; task++) takeNext();
      // A walk that ran out before this worker's turn leaves it nothing to do.
      if (inHand === 0) resolve();
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
