import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CancellationToken,
  type Connection,
  FileChangeType,
  type PreviousResultId,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { Decisions } from '../features/hover';
import { reportDiagnostics } from '../features/lspShapes';
import type { PortMention } from '../scan/mention';
import type { Logger } from '../logging/logger';
import type { PortLensService } from '../service/portLensService';
import { VERSION } from '../version';
import { ScanCache, cacheKey } from './scanCache';
import { ScanWorker, readerOn } from './scanWorker';
import { WorkspaceScan } from './workspaceScan';
import {
  WORKSPACE_PORTS_CHANGED,
  WORKSPACE_PORTS_REQUEST,
  WorkspaceInventory,
  type WorkspacePortsParams,
} from './workspacePorts';

/** The view is told of changes, and progress is reported, at most this often while a scan runs. */
const UPDATE_INTERVAL_MS = 300;
/** A workspace diagnostics request with nothing new waits this long for a change before it answers. */
const LONG_POLL_MS = 60_000;
/** Time after the last change on disk before the cache is written. */
const CACHE_SAVE_DELAY_MS = 5000;
/** The result id of a file that left the inventory, once the client was told to clear it. */
const GONE = 'gone';

/** What the rest of the server asks of the workspace inventory. */
export interface WorkspacePorts {
  restart(): void;
  diagnosticsToggled(): void;
  /** For a client that takes pushed diagnostics only: start the scan now, since such a client never asks. */
  startForPushClient(): void;
  /** A document was closed: its file's findings from the scan are pushed again, where the client takes pushes. */
  documentClosed(uri: string): void;
  /** For a port that a file listens on, the rules of the workspace's other files that open or block it. */
  decisionsAbout(uri: string, mention: PortMention): Decisions | undefined;
}

/** Rules named on a listener's hover; the rest are counted. */
const DECISIONS_ON_CARD = 3;

export interface WorkspacePortsOptions {
  service: () => PortLensService;
  logger: Logger;
  /** The workspace folders, as paths. */
  folders: () => readonly string[];
  /** Whether `workspace/diagnostic` reports the inventory's findings (`portLens.workspaceDiagnostics`). */
  diagnosticsWanted: () => boolean;
  docsLink: (ruleId: string) => string;
  /** The script a scan worker runs: the server's own bundle. */
  workerScript: string;
  /** Where the scan's cache lives between sessions; without one, every session reads every file. */
  cacheFile: () => string | undefined;
  /** `.gitignore` lines for what the editor hides from its users (VS Code's `files.exclude`). */
  exclude: () => readonly string[];
  /** Whether the client takes pushed diagnostics only (`textDocument/publishDiagnostics`), not pulled ones. */
  pushes: boolean;
  /** Whether a document is open: its own diagnostics, not the scan's, are what the client shows. */
  isOpen: (uri: string) => boolean;
}

/**
 * The LSP side of the workspace inventory: `portLens/workspacePorts` answers a page of it, and the first request
 * starts the background scan (with cancellable progress where the client shows it). File events from the client
 * keep it current, and `portLens/workspacePortsChanged` tells the client when to ask again. `workspace/diagnostic`
 * reports the findings of the scanned files, holding the request until something changed. A client that never
 * asks (another editor, a test) never pays for the scan.
 */
export function serveWorkspacePorts(connection: Connection, options: WorkspacePortsOptions): WorkspacePorts {
  const inventory = new WorkspaceInventory();
  const scanner = new WorkspaceScan(readerOn(options.service), inventory, options.logger);
  let current: { cancelled: boolean } | undefined;
  let cache: ScanCache | undefined;
  let saveTimer: NodeJS.Timeout | undefined;
  const saveCache = () => {
    try {
      cache?.save();
    } catch (error) {
      options.logger.warn('The workspace scan cache could not be written', error);
    }
  };
  /** Changes on disk come in bursts (a checkout): the cache is written once they settle. */
  const saveCacheSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveCache, CACHE_SAVE_DELAY_MS);
  };
  let lastUpdate = 0;
  const waiting = new Set<() => void>();
  const pushed = new PushedDiagnostics(connection, options);
  const announce = () => {
    void connection.sendNotification(WORKSPACE_PORTS_CHANGED, { version: inventory.version });
    for (const wake of [...waiting]) wake();
    pushed.publish(inventory);
  };
  const nextChange = (token: CancellationToken) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        cancelled.dispose();
        waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, LONG_POLL_MS);
      const cancelled = token.onCancellationRequested(wake);
      waiting.add(wake);
    });

  /** Full reports for what changed since the client's result ids, `unchanged` for the rest, clears for the gone. */
  const diagnosticReports = (previous: readonly PreviousResultId[]): WorkspaceDocumentDiagnosticReport[] => {
    const held = new Map(previous.map(({ uri, value }) => [uri, value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    if (options.diagnosticsWanted()) {
      for (const { file, resultId } of inventory.entries()) {
        const had = held.get(file.uri);
        held.delete(file.uri);
        if (had === resultId) {
          items.push({ kind: 'unchanged', uri: file.uri, version: null, resultId });
          continue;
        }
        const diagnostics = reportDiagnostics(file, options.docsLink);
        if (diagnostics.length > 0 || had !== undefined)
          items.push({ kind: 'full', uri: file.uri, version: null, resultId, items: diagnostics });
      }
    }
    for (const [uri, had] of held)
      if (had !== GONE) items.push({ kind: 'full', uri, version: null, resultId: GONE, items: [] });
    return items;
  };

  const start = () => {
    const run = { cancelled: false };
    current = run;
    void (async () => {
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin('Port Lens', 0, 'listing the workspace files', true);
      progress.token.onCancellationRequested(() => {
        run.cancelled = true;
      });
      // A worker of its own for each scan: it reads with the settings of the moment, and is gone when the scan is.
      const service = options.service();
      const worker = new ScanWorker(options.workerScript, service.currentSettings);
      const cacheFile = options.cacheFile();
      cache = cacheFile
        ? ScanCache.load(cacheFile, cacheKey(VERSION, service.currentSettings), service.maxFileBytes, (problem) =>
            options.logger.warn(problem),
          )
        : undefined;
      try {
        await scanner.scanFolders(
          options.folders(),
          {
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
          },
          worker.read,
          cache,
          options.exclude(),
        );
      } finally {
        void worker.stop();
      }
      if (!run.cancelled) saveCache();
      progress.done();
      announce();
    })().catch((error: unknown) => options.logger.error('The workspace scan stopped', error));
  };

  connection.onRequest(WORKSPACE_PORTS_REQUEST, (params: WorkspacePortsParams | null) => {
    if (!current) start();
    return inventory.page(params ?? {});
  });

  connection.languages.diagnostics.onWorkspace(async (params, token) => {
    if (!current && options.diagnosticsWanted()) start();
    for (;;) {
      const items = diagnosticReports(params.previousResultIds);
      if (items.some((item) => item.kind === 'full') || token.isCancellationRequested) return { items };
      await nextChange(token);
      if (token.isCancellationRequested) return { items: diagnosticReports(params.previousResultIds) };
    }
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    if (!current) return;
    const folders = options.folders();
    for (const { uri, type } of changes) {
      if (!uri.startsWith('file:')) continue;
      const path = fileURLToPath(uri);
      const folder = folders.find((candidate) => path.startsWith(candidate + sep));
      if (!folder) continue;
      if (type === FileChangeType.Deleted) {
        inventory.remove(path);
        cache?.forget(path);
      } else await scanner.rescan(path, folder, options.exclude(), cache);
    }
    announce();
    saveCacheSoon();
  });

  return {
    /** After a settings change every file is judged again; a scan nobody asked for stays unstarted. */
    restart() {
      if (!current) return;
      current.cancelled = true;
      start();
    },
    /** The workspace diagnostics were turned on or off: a waiting request answers at once. */
    diagnosticsToggled() {
      if (!current && options.diagnosticsWanted()) start();
      announce();
    },
    startForPushClient() {
      if (!current && options.pushes && options.diagnosticsWanted()) start();
    },
    documentClosed(uri) {
      pushed.reopen(uri);
      pushed.publish(inventory);
    },
    decisionsAbout(uri, mention) {
      if (mention.role !== 'listen' || !uri.startsWith('file:')) return undefined;
      const path = fileURLToPath(uri);
      const folder = options.folders().find((candidate) => path.startsWith(candidate + sep));
      if (!folder) return undefined;
      const { lines, total } = inventory.decisionsAbout(
        mention.port,
        mention.protocol,
        folder + sep,
        uri,
        DECISIONS_ON_CARD,
      );
      if (total === 0) return undefined;
      const decisions = lines.map(({ file, mention: rule }) => ({
        path: relative(folder, file.path).split(sep).join('/'),
        line: rule.line,
        role: rule.role,
        description: rule.description,
      }));
      return { lines: decisions, total };
    },
  };
}

/**
 * The scan's findings for a client that takes pushed diagnostics only (Neovim before 0.10, Emacs eglot): each
 * unopened file's are published when the file's result changes, and cleared when it leaves the inventory or the
 * setting is turned off. An open document's own diagnostics are left alone.
 */
class PushedDiagnostics {
  /** The result each file was last judged at, whether or not it had anything to show. */
  private readonly judged = new Map<string, string>();
  /** The files whose published diagnostics are not empty. */
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly options: WorkspacePortsOptions,
  ) {}

  publish(inventory: WorkspaceInventory): void {
    if (!this.options.pushes) return;
    if (!this.options.diagnosticsWanted()) {
      for (const uri of this.shown) this.send(uri, []);
      this.shown.clear();
      this.judged.clear();
      return;
    }
    const present = new Set<string>();
    for (const { file, resultId } of inventory.entries()) {
      present.add(file.uri);
      if (this.judged.get(file.uri) === resultId || this.options.isOpen(file.uri)) continue;
      this.judged.set(file.uri, resultId);
      const diagnostics = reportDiagnostics(file, this.options.docsLink);
      if (diagnostics.length === 0 && !this.shown.has(file.uri)) continue;
      if (diagnostics.length > 0) this.shown.add(file.uri);
      else this.shown.delete(file.uri);
      this.send(file.uri, diagnostics);
    }
    for (const uri of [...this.judged.keys()]) {
      if (present.has(uri)) continue;
      this.judged.delete(uri);
      if (this.shown.delete(uri) && !this.options.isOpen(uri)) this.send(uri, []);
    }
  }

  /** The document's own diagnostics were cleared on close: the scan's are due again. */
  reopen(uri: string): void {
    this.judged.delete(uri);
    this.shown.delete(uri);
  }

  private send(uri: string, diagnostics: ReturnType<typeof reportDiagnostics>): void {
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }
}
