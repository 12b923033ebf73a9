import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PortLensService } from '../service/portLensService';
import type { PortLensSettings } from '../settings/settings';
import { type OutputOptions, reportWriter } from './report';
import { type Tally, emptyTally, reportFile, tallyFile } from './reportedFile';
import { scanFile } from './scanFiles';
import type { FileToScan } from './walk';

/** What every scan needs besides its files: the settings, a forced language, and how to write the report. */
export interface ScanSetup {
  settings: PortLensSettings;
  language?: string;
  output: OutputOptions;
}

/** One file's part of the report, and what it adds to the counts. */
export interface FilePart {
  chunk: string;
  tally: Tally;
}

/** Hands over the part of the file at `index` in walk order; undefined for a file that is not reported. */
export type PartSink = (index: number, part: FilePart | undefined) => void;

/** Below this many files, starting workers (each loads the parser) costs more than it saves. */
const FILES_PER_WORKER = 200;
/** Files handed to a worker at a time, numbered in walk order. */
const FILES_PER_TASK = 50;

/** Scans files one after the other, handing over each one's part as soon as it is read. */
export type FileScanner = (files: readonly FileToScan[], first: number, sink: PartSink) => void;

/** The service and the report writer, loaded once for all the files this thread scans. */
export async function fileScanner(setup: ScanSetup): Promise<FileScanner> {
  const scanner = await PortLensService.create(setup.settings);
  const writer = reportWriter(setup.output);
  const limitBytes = setup.settings.maxFileSizeMB * 1024 * 1024;
  return (files, first, sink) =>
    files.forEach((file, offset) => {
      const scanned = scanFile(file, scanner, limitBytes, setup.language);
      if (!scanned) return sink(first + offset, undefined);
      const report = reportFile(scanned, scanner, writer.replacements);
      const tally = emptyTally();
      tallyFile(tally, report);
      sink(first + offset, { chunk: writer.file(report), tally });
    });
}

/**
 * Scans the files on every core: the parser is single-threaded, so a large tree is dealt out to worker threads
 * in tasks of consecutive files, while the walk goes on. Parts reach `emit` in walk order, each as soon as every
 * file before it is done, so the report streams out instead of being held whole.
 */
export async function scanAll(setup: ScanSetup, files: Iterable<FileToScan>, workerScript: string, emit: (part: FilePart) => void): Promise<void> {
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
  // The walk is read as far as it takes to decide how many workers pay off; the rest streams to them.
  const walk = files[Symbol.iterator]();
  const head = take(walk, availableParallelism() * FILES_PER_WORKER);
  const count = Math.min(availableParallelism(), Math.floor(head.length / FILES_PER_WORKER));
  // On one core the head may not be the whole walk: what is left of it is scanned here too.
  if (count < 2) return (await fileScanner(setup))(head.concat(take(walk, Infinity)), 0, sink);
  const workers = Array.from({ length: count }, () => new ScanWorker(workerScript, setup, sink));
  try {
    for (let first = 0, turn = 0; ; turn++) {
      const files = head.length > 0 ? head.splice(0, FILES_PER_TASK) : take(walk, FILES_PER_TASK);
      if (files.length === 0) break;
      workers[turn % count].send({ first, files });
      first += files.length;
    }
    await Promise.all(workers.map((worker) => worker.finish()));
  } finally {
    for (const worker of workers) void worker.stop();
  }
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

/** A task for a worker: files numbered from `first` in walk order, or the end of the walk. */
export type WorkerTask = { first: number; files: FileToScan[] } | { end: true };

/** A message from a scan worker: the parts of consecutive files from `first`, or the end of its tasks. */
export type WorkerMessage = { first: number; parts: (FilePart | undefined)[] } | { done: true };

/** Parts a worker holds before it posts them: each message costs far more than the bytes it carries. */
const PARTS_PER_MESSAGE = 100;
const CHUNK_BYTES_PER_MESSAGE = 1 << 20;

/** The worker side: scans each task as it comes and posts its parts in batches, then says when the walk is done. */
export async function serveScanTasks(setup: ScanSetup, port: { on(event: 'message', listener: (task: WorkerTask) => void): void; postMessage(message: WorkerMessage): void }): Promise<void> {
  const scan = await fileScanner(setup);
  port.on('message', (task) => {
    if ('end' in task) return port.postMessage({ done: true });
    let first = task.first;
    let parts: (FilePart | undefined)[] = [];
    let bytes = 0;
    const flush = () => {
      if (parts.length > 0) port.postMessage({ first, parts });
      first += parts.length;
      parts = [];
      bytes = 0;
    };
    scan(task.files, task.first, (_index, part) => {
      parts.push(part);
      bytes += part?.chunk.length ?? 0;
      if (parts.length >= PARTS_PER_MESSAGE || bytes >= CHUNK_BYTES_PER_MESSAGE) flush();
    });
    flush();
  });
}

/** The main thread's handle on one scan worker. */
class ScanWorker {
  private readonly worker: Worker;
  private readonly done: Promise<void>;

  constructor(script: string, setup: ScanSetup, sink: PartSink) {
    this.worker = new Worker(script, { workerData: setup });
    this.done = new Promise((resolve, reject) => {
      this.worker.on('message', (message: WorkerMessage) => {
        if ('done' in message) resolve();
        else message.parts.forEach((part, offset) => sink(message.first + offset, part));
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`scan worker stopped with exit code ${code}`)));
    });
  }

  send(task: WorkerTask): void {
    this.worker.postMessage(task);
  }

  /** Ends the walk for this worker and waits until every part of its tasks has arrived. */
  finish(): Promise<void> {
    this.send({ end: true });
    return this.done;
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
