import { type FileToScan, filesToScan, walkPassesOver } from '../cli/walk';
import type { Logger } from '../logging/logger';
import type { ScanCache } from './scanCache';
import type { FileReader } from './scanWorker';
import type { WorkspaceInventory } from './workspacePorts';

/** How the scan says how far it got, and learns that the user cancelled it. */
export interface ScanProgress {
  report(done: number, total: number): void;
  readonly cancelled: boolean;
}

/** Files listed between two turns of the event loop while the walk lists the workspace. */
const LISTED_PER_TURN = 500;
/** Files handed to the reader at once, so that a worker never waits for the next one. */
const IN_FLIGHT = 4;

/**
 * Scans a workspace's files into its inventory in the background, with the CLI's walk (`.gitignore`,
 * `.portlensignore`, the size limit) and its reports. The reading happens where the reader does it: on a worker
 * thread for a whole scan (see ScanWorker), so that the open documents' requests never wait behind it.
 */
export class WorkspaceScan {
  /** @param readHere reads a single file on this thread (a change on disk); a whole scan is given its reader. */
  constructor(
    private readonly readHere: FileReader,
    private readonly inventory: WorkspaceInventory,
    private readonly logger: Logger,
  ) {}

  /**
   * Lists the folders' files but those `exclude` matches (`.gitignore` lines), then reads them with `read`,
   * except those `cache` holds unchanged; stops early, incomplete, when cancelled.
   */
  async scanFolders(
    folders: readonly string[],
    progress: ScanProgress,
    read: FileReader,
    cache?: ScanCache,
    exclude: readonly string[] = [],
  ): Promise<void> {
    this.inventory.complete = false;
    const files: FileToScan[] = [];
    const skip = (path: string, reason: string) => this.logger.info(`Workspace scan: skipped ${path}: ${reason}`);
    for (const file of filesToScan(folders, skip, undefined, exclude)) {
      files.push(file);
      if (files.length % LISTED_PER_TURN === 0) await nextTurn();
      if (progress.cancelled) return;
    }
    let next = 0;
    let done = 0;
    let cached = 0;
    const take = async () => {
      while (next < files.length && !progress.cancelled) {
        if (await this.record(files[next++], read, cache)) cached++;
        progress.report(++done, files.length);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, take));
    if (progress.cancelled) return;
    this.inventory.complete = true;
    this.logger.info(
      `Workspace scan: ${files.length} files, ${cached} unchanged since the cache was written; ${this.inventory.page({}).total} with ports.`,
    );
  }

  /**
   * Reads one file of `folder` again after it was created or changed on disk, unless the walk passes over it (an
   * ignore file or an `exclude` pattern matches it), in which case it leaves the inventory.
   */
  async rescan(path: string, folder: string, exclude: readonly string[], cache?: ScanCache): Promise<void> {
    if (walkPassesOver(folder, path, exclude)) return this.inventory.remove(path);
    await this.record({ path, named: false }, this.readHere, cache);
  }

  /** Puts a file's report in the inventory; true when the cache had it. */
  private async record(file: FileToScan, read: FileReader, cache: ScanCache | undefined): Promise<boolean> {
    try {
      const cached = cache?.lookup(file.path);
      const { report, taken } = cached === undefined ? await read(file, cache !== undefined) : { report: cached };
      if (taken) cache?.record(file.path, taken, report ?? null);
      if (report) this.inventory.set(file.path, report);
      else this.inventory.remove(file.path);
      return cached !== undefined;
    } catch (error) {
      // One file that cannot be judged leaves the rest of the workspace to scan.
      this.logger.error(`Workspace scan: could not read ${file.path}`, error);
      return false;
    }
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
