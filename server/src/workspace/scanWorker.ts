import { Worker } from 'node:worker_threads';
import { type ReportedFile, reportFile } from '../cli/reportedFile';
import { scanFile } from '../cli/scanFiles';
import type { FileToScan } from '../cli/walk';
import { createFormatRegistry } from '../scan/registry';
import { PortLensService } from '../service/portLensService';
import type { PortLensSettings } from '../settings/settings';
import { type Fingerprint, fingerprint } from './scanCache';

/** What the worker is started with. */
export interface ScanWorkerSetup {
  workspaceScanWorker: true;
  settings: PortLensSettings;
}

interface ScanTask {
  id: number;
  file: FileToScan;
  fingerprint: boolean;
}

/** A file read: its report (none for a file of no format the engine reads), and what it was when it was read. */
export interface FileRead {
  report?: ReportedFile;
  taken?: Fingerprint;
}

interface ScanAnswer extends FileRead {
  id: number;
  error?: string;
}

/**
 * Reads one file into its report; with `fingerprint`, also what the file was just before it was read, for the
 * scan cache. The hashing is part of the reading, and happens on the same thread.
 */
export type FileReader = (file: FileToScan, fingerprint: boolean) => Promise<FileRead>;

/** Reads files on this thread: for single files (a change on disk), and on the scan's worker. */
export function readerOn(service: () => PortLensService): FileReader {
  return async (file, withFingerprint) => {
    const limitBytes = service().maxFileBytes;
    const taken = withFingerprint ? fingerprint(file.path, limitBytes) : undefined;
    const scanned = await scanFile(file, service(), limitBytes);
    return { report: scanned && reportFile(scanned, service(), false), taken };
  };
}

export function isScanWorkerSetup(data: unknown): data is ScanWorkerSetup {
  return typeof data === 'object' && data !== null && (data as ScanWorkerSetup).workspaceScanWorker === true;
}

/** The worker's side: a service of its own, a file per message. */
export async function serveFileScans(
  setup: ScanWorkerSetup,
  port: { on(event: 'message', listener: (task: ScanTask) => void): void; postMessage(answer: ScanAnswer): void },
): Promise<void> {
  const service = await PortLensService.create(setup.settings, createFormatRegistry({ parserOnDemand: true }));
  const read = readerOn(() => service);
  port.on('message', (task) => {
    read(task.file, task.fingerprint).then(
      (answer) => port.postMessage({ id: task.id, ...answer }),
      (error: unknown) =>
        port.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

/**
 * A worker thread that reads files for the workspace scan, so that the open documents' hovers and diagnostics
 * never wait behind a file of the workspace. `script` is the server's own bundle, which serves as the worker too.
 */
export class ScanWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (read: FileRead) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(script: string, settings: PortLensSettings) {
    const setup: ScanWorkerSetup = { workspaceScanWorker: true, settings };
    this.worker = new Worker(script, { workerData: setup });
    this.worker.on('message', ({ id, error, ...read }: ScanAnswer) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(read);
    });
    const fail = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the workspace scan worker stopped (exit code ${code})`)));
  }

  readonly read: FileReader = (file, fingerprint) =>
    new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, file, fingerprint } satisfies ScanTask);
    });

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
