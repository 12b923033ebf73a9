import { sep } from 'node:path';
import { reportFile } from '../cli/reportedFile';
import { scanFile } from '../cli/scanFiles';
import { type FileToScan, filesToScan } from '../cli/walk';
import type { Logger } from '../logging/logger';
import type { PortLensService } from '../service/portLensService';
import type { WorkspaceInventory } from './workspacePorts';

/** How the scan says how far it got, and learns that the user cancelled it. */
export interface ScanProgress {
  report(done: number, total: number): void;
  readonly cancelled: boolean;
}

/** Folders the walk never enters; a change inside them is not looked at either. */
const UNWALKED = [`${sep}.git${sep}`, `${sep}node_modules${sep}`];

/** Files listed between two turns of the event loop while the walk lists the workspace. */
const LISTED_PER_TURN = 500;

/**
 * Scans a workspace's files into its inventory in the background, with the CLI's walk (`.gitignore`,
 * `.portlensignore`, the size limit) and its reports. It gives the event loop a turn after every file, so that the
 * open documents' hovers and diagnostics never wait for more than one file's scan.
 */
export class WorkspaceScan {
  constructor(
    private readonly service: () => PortLensService,
    private readonly inventory: WorkspaceInventory,
    private readonly logger: Logger,
  ) {}

  /** Lists the folders' files, then scans them one at a time; stops early, incomplete, when cancelled. */
  async scanFolders(folders: readonly string[], progress: ScanProgress): Promise<void> {
    this.inventory.complete = false;
    const files: FileToScan[] = [];
    const skip = (path: string, reason: string) => this.logger.info(`Workspace scan: skipped ${path}: ${reason}`);
    for (const file of filesToScan(folders, skip)) {
      files.push(file);
      if (files.length % LISTED_PER_TURN === 0) await nextTurn();
      if (progress.cancelled) return;
    }
    for (let index = 0; index < files.length; index++) {
      if (progress.cancelled) return;
      await this.scan(files[index]);
      progress.report(index + 1, files.length);
      await nextTurn();
    }
    this.inventory.complete = true;
    this.logger.info(`Workspace scan: ${files.length} files read, ${this.inventory.page({}).total} with ports.`);
  }

  /** Reads one file again after it was created or changed on disk. */
  async rescan(path: string): Promise<void> {
    if (UNWALKED.some((folder) => path.includes(folder))) return;
    await this.scan({ path, named: false });
  }

  private async scan(file: FileToScan): Promise<void> {
    const service = this.service();
    try {
      const scanned = await scanFile(file, service, service.maxFileBytes);
      if (scanned) this.inventory.set(file.path, reportFile(scanned, service, false));
      else this.inventory.remove(file.path);
    } catch (error) {
      // One file that cannot be judged leaves the rest of the workspace to scan.
      this.logger.error(`Workspace scan: could not read ${file.path}`, error);
    }
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
