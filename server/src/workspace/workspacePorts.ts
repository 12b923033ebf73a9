import { pathToFileURL } from 'node:url';
import type { ReportedFile, ReportedMention } from '../cli/reportedFile';
import { WIDE } from '../scan/ruleset/portIntervals';

/** The custom request the Ports view reads the inventory through, a page at a time. */
export const WORKSPACE_PORTS_REQUEST = 'portLens/workspacePorts';
/** Sent when the inventory changed, so that the view asks again; carries nothing but the new version. */
export const WORKSPACE_PORTS_CHANGED = 'portLens/workspacePortsChanged';

export interface WorkspacePortsParams {
  /** Where the page starts: 0, or the `next` of the page before. */
  cursor?: number;
  /** Files per page; the server caps it. */
  limit?: number;
}

/** One scanned file of the workspace: the CLI's JSON report of it (docs/cli-contract.md), with its URI. */
export interface WorkspaceFile extends ReportedFile {
  uri: string;
}

export interface WorkspacePortsPage {
  files: WorkspaceFile[];
  /** The cursor of the next page; null on the last. */
  next: number | null;
  /** Files that hold a port or a finding, or were not read, in all pages. */
  total: number;
  /** Changes with every update: a client that reads pages of two versions starts again. */
  version: number;
  /** False while the background scan is still going (or was cancelled). */
  complete: boolean;
}

const MAX_PAGE = 500;

/**
 * What the workspace holds, file by file: only files with a port or a finding, or that were not read, are kept, in
 * path order, so that pages are stable between two updates.
 */
export class WorkspaceInventory {
  private readonly files = new Map<string, WorkspaceFile>();
  /** Changes whenever a file's report does: the result id of its workspace diagnostics. */
  private readonly resultIds = new Map<string, string>();
  private ordered?: WorkspaceFile[];
  /** Built when a listener's hover first asks after a change: every hover would otherwise read every file. */
  private decisions?: DecisionIndex;
  version = 0;
  complete = false;

  /** Records a file's report (by absolute path); a report with nothing in it removes the file. */
  set(path: string, report: ReportedFile): void {
    // A file not read (too large) stays, with its reason: a view that left it out would look clean.
    const relevant = report.mentions.length > 0 || report.findings.length > 0 || report.skipped !== undefined;
    if (!relevant) return this.remove(path);
    this.files.set(path, { ...report, uri: pathToFileURL(path).href });
    this.changed();
    this.resultIds.set(path, String(this.version));
  }

  remove(path: string): void {
    this.resultIds.delete(path);
    if (this.files.delete(path)) this.changed();
  }

  /**
   * The lines of other files under `folder` that allow or deny `port` (a firewall's decision about it), in path
   * order: what a listener's hover names. At most `limit` of them, and how many there are in all.
   */
  decisionsAbout(
    port: number,
    protocol: string,
    folder: string,
    exceptUri: string,
    limit: number,
  ): { lines: Decision[]; total: number } {
    this.decisions ??= new DecisionIndex(this.inPathOrder());
    const lines: Decision[] = [];
    let total = 0;
    for (const decision of this.decisions.about(port)) {
      const { file, mention } = decision;
      if (file.uri === exceptUri || !file.path.startsWith(folder)) continue;
      if (mention.protocol !== protocol && mention.protocol !== 'any' && protocol !== 'any') continue;
      total++;
      if (lines.length < limit) lines.push(decision);
    }
    return { lines, total };
  }

  /** Every file with its result id, in no particular order. */
  *entries(): Generator<{ file: WorkspaceFile; resultId: string }> {
    for (const [path, file] of this.files) yield { file, resultId: this.resultIds.get(path)! };
  }

  page({ cursor = 0, limit = MAX_PAGE }: WorkspacePortsParams): WorkspacePortsPage {
    const ordered = this.inPathOrder();
    const start = Math.max(0, Math.floor(cursor));
    const end = start + Math.min(MAX_PAGE, Math.max(1, Math.floor(limit)));
    return {
      files: ordered.slice(start, end),
      next: end < ordered.length ? end : null,
      total: ordered.length,
      version: this.version,
      complete: this.complete,
    };
  }

  private inPathOrder(): WorkspaceFile[] {
    this.ordered ??= [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, file]) => file);
    return this.ordered;
  }

  private changed(): void {
    this.ordered = undefined;
    this.decisions = undefined;
    this.version++;
  }
}

/** A rule of a workspace file that allows or denies a port. */
interface Decision {
  file: WorkspaceFile;
  mention: ReportedMention;
}

/** The workspace's decisions by port, each list in path order, and the wide ranges apart. */
class DecisionIndex {
  private readonly byPort = new Map<number, Decision[]>();
  private readonly wide: Decision[] = [];
  /** Each file's place in path order. */
  private readonly order = new Map<WorkspaceFile, number>();

  constructor(files: readonly WorkspaceFile[]) {
    for (const file of files) {
      this.order.set(file, this.order.size);
      for (const mention of file.mentions) {
        if (mention.role !== 'allow' && mention.role !== 'deny') continue;
        const last = mention.endPort ?? mention.port;
        if (last - mention.port + 1 > WIDE) {
          this.wide.push({ file, mention });
          continue;
        }
        for (let port = mention.port; port <= last; port++) {
          const list = this.byPort.get(port);
          if (list) list.push({ file, mention });
          else this.byPort.set(port, [{ file, mention }]);
        }
      }
    }
  }

  /** The decisions whose ports hold `port`, in path order, then line order within a file. */
  about(port: number): Decision[] {
    const exact = this.byPort.get(port) ?? [];
    const wide = this.wide.filter(({ mention }) => mention.port <= port && port <= (mention.endPort ?? mention.port));
    if (wide.length === 0) return exact;
    // Both lists are in path order: merged, the first lines named stay the first in path order.
    const merged: Decision[] = [];
    let at = 0;
    for (const decision of exact) {
      while (at < wide.length && this.precedes(wide[at], decision)) merged.push(wide[at++]);
      merged.push(decision);
    }
    return merged.concat(wide.slice(at));
  }

  /** Whether `a` comes before `b` in path order, then in line order within a file. */
  private precedes(a: Decision, b: Decision): boolean {
    if (a.file !== b.file) return this.order.get(a.file)! < this.order.get(b.file)!;
    return a.file.mentions.indexOf(a.mention) < b.file.mentions.indexOf(b.mention);
  }
}
