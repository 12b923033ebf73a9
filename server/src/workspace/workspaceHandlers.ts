import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Connection, FileChangeType } from 'vscode-languageserver/node';
import type { Logger } from '../logging/logger';
import type { PortLensService } from '../service/portLensService';
import { WorkspaceScan } from './workspaceScan';
import {
  WORKSPACE_PORTS_CHANGED,
  WORKSPACE_PORTS_REQUEST,
  WorkspaceInventory,
  type WorkspacePortsParams,
} from './workspacePorts';

/** The view is told of changes, and progress is reported, at most this often while a scan runs. */
const UPDATE_INTERVAL_MS = 300;

export interface WorkspacePortsOptions {
  service: () => PortLensService;
  logger: Logger;
  /** The workspace folders, as paths. */
  folders: () => readonly string[];
}

/**
 * The LSP side of the workspace inventory: `portLens/workspacePorts` answers a page of it, and the first request
 * starts the background scan (with cancellable progress where the client shows it). File events from the client
 * keep it current, and `portLens/workspacePortsChanged` tells the client when to ask again. A client that never
 * asks (another editor, a test) never pays for the scan.
 */
export function serveWorkspacePorts(connection: Connection, options: WorkspacePortsOptions): { restart(): void } {
  const inventory = new WorkspaceInventory();
  const scanner = new WorkspaceScan(options.service, inventory, options.logger);
  let current: { cancelled: boolean } | undefined;
  let lastUpdate = 0;
  const announce = () => void connection.sendNotification(WORKSPACE_PORTS_CHANGED, { version: inventory.version });

  const start = () => {
    const run = { cancelled: false };
    current = run;
    void (async () => {
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin('Port Lens', 0, 'listing the workspace files', true);
      progress.token.onCancellationRequested(() => {
        run.cancelled = true;
      });
      await scanner.scanFolders(options.folders(), {
        get cancelled() {
          return run.cancelled;
        },
        report(done, total) {
          const now = Date.now();
          if (now - lastUpdate < UPDATE_INTERVAL_MS && done < total) return;
          lastUpdate = now;
          progress.report(
            Math.floor((100 * done) / total),
            `${done.toLocaleString('en')} of ${total.toLocaleString('en')} files`,
          );
          announce();
        },
      });
      progress.done();
      announce();
    })().catch((error: unknown) => options.logger.error('The workspace scan stopped', error));
  };

  connection.onRequest(WORKSPACE_PORTS_REQUEST, (params: WorkspacePortsParams | null) => {
    if (!current) start();
    return inventory.page(params ?? {});
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    if (!current) return;
    const folders = options.folders();
    for (const { uri, type } of changes) {
      if (!uri.startsWith('file:')) continue;
      const path = fileURLToPath(uri);
      if (!folders.some((folder) => path.startsWith(folder + sep))) continue;
      if (type === FileChangeType.Deleted) inventory.remove(path);
      else await scanner.rescan(path);
    }
    announce();
  });

  return {
    /** After a settings change every file is judged again; a scan nobody asked for stays unstarted. */
    restart() {
      if (!current) return;
      current.cancelled = true;
      start();
    },
  };
}
