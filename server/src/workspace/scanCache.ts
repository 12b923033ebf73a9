import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReportedFile } from '../cli/reportedFile';
import type { PortLensSettings } from '../settings/settings';

/** What the cache knows of a file's content: its size and time, and the hash that decides when they moved. */
export interface Fingerprint {
  size: number;
  mtimeMs: number;
  /** Of the content; empty for a file too large to be read, which its size and time alone identify. */
  hash: string;
}

export interface CacheEntry extends Fingerprint {
  /** null: a file of no format the engine reads. */
  report: ReportedFile | null;
}

interface CacheFile {
  key: string;
  entries: Record<string, CacheEntry>;
}

/** A cache larger than this was not written by us, and is not read. */
const MAX_CACHE_BYTES = 512 * 1024 * 1024;

/**
 * What a version of Port Lens with some settings makes of a file: a cache written by another version, or with
 * other settings, holds nothing for this one.
 */
export function cacheKey(version: string, settings: PortLensSettings): string {
  return createHash('sha256').update(version).update('\0').update(JSON.stringify(settings)).digest('hex');
}

/**
 * File reports kept between runs, so that reopening an unchanged workspace reads nothing again. A file whose size
 * and time are as recorded is taken as unchanged; one whose time moved (a checkout) is unchanged if its content
 * hash is. The cache is one JSON file, written whole and renamed into place.
 */
export class ScanCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly key: string,
    private readonly limitBytes: number,
    private readonly entries: Map<string, CacheEntry>,
  ) {}

  /**
   * The cache at `file` for `key`; empty when the file is missing, unreadable, too large or for another key.
   * Files over `limitBytes` are not read, so their size and time alone identify them.
   */
  static load(
    file: string,
    key: string,
    limitBytes: number,
    onProblem: (message: string) => void = () => {},
  ): ScanCache {
    const entries = new Map<string, CacheEntry>();
    try {
      const stats = statSync(file);
      if (stats.isFile() && stats.size <= MAX_CACHE_BYTES) {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
        if (saved.key === key && saved.entries && typeof saved.entries === 'object')
          for (const [path, entry] of Object.entries(saved.entries)) entries.set(path, entry);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        onProblem(`the scan cache ${file} could not be read (${(error as Error).message}); every file is read`);
    }
    return new ScanCache(file, key, limitBytes, entries);
  }

  /**
   * The report recorded for `path` if its content is unchanged (null for a file of no format); undefined when the
   * file must be read.
   */
  lookup(path: string): ReportedFile | null | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    const now = fingerprint(path, this.limitBytes, entry);
    if (!now || now.size !== entry.size || now.hash !== entry.hash) return undefined;
    if (now.mtimeMs !== entry.mtimeMs) {
      entry.mtimeMs = now.mtimeMs;
      this.dirty = true;
    }
    return entry.report;
  }

  record(path: string, taken: Fingerprint, report: ReportedFile | null): void {
    this.entries.set(path, { ...taken, report });
    this.dirty = true;
  }

  forget(path: string): void {
    if (this.entries.delete(path)) this.dirty = true;
  }

  /** Writes the cache if anything changed since it was read. */
  save(): void {
    if (!this.dirty) return;
    const saved: CacheFile = { key: this.key, entries: Object.fromEntries(this.entries) };
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(saved));
    renameSync(temporary, this.file);
    this.dirty = false;
  }
}

/**
 * Size, time and content hash of a regular file; with `known`, the hash is only computed when the size is the
 * same and the time is not (the one case where it decides).
 */
export function fingerprint(path: string, limitBytes: number, known?: Fingerprint): Fingerprint | undefined {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return undefined;
    const { size, mtimeMs } = stats;
    if (known && (known.size !== size || known.mtimeMs === mtimeMs)) return { size, mtimeMs, hash: known.hash };
    const hash = size > limitBytes ? '' : createHash('sha256').update(readFileSync(path)).digest('hex');
    return { size, mtimeMs, hash };
  } catch {
    return undefined;
  }
}
