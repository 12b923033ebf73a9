import { Worker } from 'node:worker_threads';
import { type ReportedFile, reportFile } from '../cli/reportedFile';
import { scanFile } from '../cli/scanFiles';
import type { FileToScan } from '../cli/walk';
import { createFormatRegistry } from '../scan/registry';
import { PortLensService } from '../service/portLensService';
import type { PortLensSettings } from '../settings/settings';

/** What the worker is started with. */
export interface ScanWorkerSetup {
  workspaceScanWorker: true;
  settings: PortLensSettings;
}

interface ScanTask {
  id: number;
  file: FileToScan;
}

interface ScanAnswer {
  id: number;
  report?: ReportedFile;
  error?: string;
}

/** Reads one file into its report, or undefined for a file of no format the engine reads. */
export type FileReader = (file: FileToScan) => Promise<ReportedFile | undefined>;

/** Reads files on this thread: for single files (a change on disk), and where no worker can start. */
export function readerOn(service: () => PortLensService): FileReader {
  return async (file) => {
    const scanned = await scanFile(file, service(), service().maxFileBytes);
    return scanned && reportFile(scanned, service(), false);
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
    read(task.file).then(
      (report) => port.postMessage({ id: task.id, report }),
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
  private readonly pending = new Map<
    number,
    { resolve: (report?: ReportedFile) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;

  constructor(script: string, settings: PortLensSettings) {
    const setup: ScanWorkerSetup = { workspaceScanWorker: true, settings };
    this.worker = new Worker(script, { workerData: setup });
    this.worker.on('message', ({ id, report, error }: ScanAnswer) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(report);
    });
    const fail = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the workspace scan worker stopped (exit code ${code})`)));
  }

  readonly read: FileReader = (file) =>
    new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, file } satisfies ScanTask);
    });

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
