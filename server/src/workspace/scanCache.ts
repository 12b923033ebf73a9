import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OutputOptions } from '../cli/report';
import type { ReportedFile, Tally } from '../cli/reportedFile';
import type { PortLensSettings } from '../settings/settings';

/** What the cache knows of a file's content: its size and time, and the hash that decides when they moved. */
export interface Fingerprint {
  size: number;
  mtimeMs: number;
  /** Of the content; empty for a file too large to be read, which its size and time alone identify. */
  hash: string;
}

/**
 * What a CLI run wrote for a file in one output format, kept so that the next run in the same format copies it
 * instead of reading the report and writing it again: the text, and what it added to the counts.
 */
export interface WrittenFile {
  /** The format, colours, working folder and displayed path it was written for (see `writtenAs`). */
  as: string;
  text: string;
  tally: Tally;
}

/** A value, or where its text lies in the loaded cache: most entries of a run are never looked at whole. */
type Stored<T> = { value: T } | { at: Slice; parse: (text: string) => T };
type Slice = [start: number, end: number];

interface CacheEntry extends Fingerprint {
  /** null: a file of no format the engine reads. */
  report: Stored<ReportedFile | null>;
  written?: Stored<WrittenFile>;
}

/** The header line of a cache file: each entry's fingerprint, and where its texts lie in the bytes after it. */
interface CacheHeader {
  format: typeof FORMAT;
  key: string;
  entries: Record<string, Fingerprint & { report: Slice; written?: { as: string; tally: Tally; text: Slice } }>;
}

/** A cache file of another layout, or of another program, is not read. */
const FORMAT = 'portlens-scan-cache/2';
/** A cache larger than this was not written by us, and is not read. */
const MAX_CACHE_BYTES = 512 * 1024 * 1024;
const LINE_FEED = 10;

/**
 * What a version of Port Lens with some settings makes of a file: a cache written by another version, or with
 * other settings, holds nothing for this one.
 */
export function cacheKey(version: string, settings: PortLensSettings): string {
  return createHash('sha256').update(version).update('\0').update(JSON.stringify(settings)).digest('hex');
}

/** What a written file's text depends on besides its report: the format and colours, and the path as shown. */
export function writtenAs(output: OutputOptions, path: string): string {
  return [output.format, output.colour, process.cwd(), path].join('\0');
}

/**
 * File reports kept between runs, so that reopening an unchanged workspace reads nothing again. A file whose size
 * and time are as recorded is taken as unchanged; one whose time moved (a checkout) is unchanged if its content
 * hash is. The cache is one file, written whole and renamed into place: a JSON header line, then the reports and
 * written texts as they are, each read only when a run asks for it. (Reports nested in one JSON document were
 * parsed whole, escapes and all, on every run.)
 */
export class ScanCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly key: string,
    private readonly limitBytes: number,
    private readonly entries: Map<string, CacheEntry>,
    private readonly bytes: Buffer,
  ) {}

  /**
   * The cache at `file` for `key`; empty when the file is missing, unreadable, too large, of another layout or
   * for another key. Files over `limitBytes` are not read, so their size and time alone identify them.
   */
  static load(
    file: string,
    key: string,
    limitBytes: number,
    onProblem: (message: string) => void = () => {},
  ): ScanCache {
    const entries = new Map<string, CacheEntry>();
    let bytes = Buffer.alloc(0);
    try {
      const stats = statSync(file);
      if (stats.isFile() && stats.size <= MAX_CACHE_BYTES) {
        const read = readFileSync(file);
        const headerEnd = read.indexOf(LINE_FEED);
        if (headerEnd < 0) throw new Error('it has no header line');
        const header = JSON.parse(read.toString('utf8', 0, headerEnd)) as Partial<CacheHeader>;
        if (header.format === FORMAT && header.key === key && header.entries && typeof header.entries === 'object') {
          bytes = read.subarray(headerEnd + 1);
          for (const [path, { report, written, ...taken }] of Object.entries(header.entries)) {
            if (!isSlice(report, bytes.length) || (written && !isSlice(written.text, bytes.length)))
              throw new Error(`its entry for ${path} points outside it`);
            entries.set(path, {
              ...taken,
              report: { at: report, parse: (text) => JSON.parse(text) as ReportedFile | null },
              ...(written ? { written: { at: written.text, parse: (text) => ({ ...written, text }) } } : {}),
            });
          }
        }
      }
    } catch (error) {
      entries.clear();
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        onProblem(`the scan cache ${file} could not be read (${(error as Error).message}); every file is read`);
    }
    return new ScanCache(file, key, limitBytes, entries, bytes);
  }

  /**
   * The report recorded for `path` if its content is unchanged (null for a file of no format); undefined when the
   * file must be read.
   */
  lookup(path: string): ReportedFile | null | undefined {
    const entry = this.unchanged(path);
    return entry && this.value(entry.report);
  }

  /**
   * For an unchanged file, the text written for it `as` given if the cache holds it, else its report; undefined
   * when the file must be read. The report is not read from the cache when the text serves.
   */
  lookupWritten(path: string, as: string): { written: WrittenFile } | { report: ReportedFile | null } | undefined {
    const entry = this.unchanged(path);
    if (!entry) return undefined;
    const written = entry.written && this.value(entry.written);
    return written?.as === as ? { written } : { report: this.value(entry.report) };
  }

  record(path: string, taken: Fingerprint, report: ReportedFile | null, written?: WrittenFile): void {
    this.entries.set(path, {
      ...taken,
      report: { value: report },
      ...(written ? { written: { value: written } } : {}),
    });
    this.dirty = true;
  }

  /** Keeps what a run wrote for a file that the cache holds already. */
  remember(path: string, written: WrittenFile): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    entry.written = { value: written };
    this.dirty = true;
  }

  forget(path: string): void {
    if (this.entries.delete(path)) this.dirty = true;
  }

  /** Writes the cache if anything changed since it was read. */
  save(): void {
    if (!this.dirty) return;
    const texts: Buffer[] = [];
    let length = 0;
    const place = (text: Buffer): Slice => {
      texts.push(text);
      length += text.length;
      return [length - text.length, length];
    };
    const header: CacheHeader = { format: FORMAT, key: this.key, entries: {} };
    for (const [path, { report, written, ...taken }] of this.entries) {
      // A text never asked for is copied as it was read.
      const reportText =
        'value' in report ? Buffer.from(JSON.stringify(report.value)) : this.bytes.subarray(...report.at);
      const kept = written && this.value(written);
      header.entries[path] = {
        ...taken,
        report: place(reportText),
        ...(kept ? { written: { as: kept.as, tally: kept.tally, text: place(Buffer.from(kept.text)) } } : {}),
      };
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...texts]));
    renameSync(temporary, this.file);
    this.dirty = false;
  }

  /** The entry for `path` if the file is as recorded; a file whose time alone moved keeps its entry. */
  private unchanged(path: string): CacheEntry | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    const now = fingerprint(path, this.limitBytes, entry);
    if (!now || now.size !== entry.size || now.hash !== entry.hash) return undefined;
    if (now.mtimeMs !== entry.mtimeMs) {
      entry.mtimeMs = now.mtimeMs;
      this.dirty = true;
    }
    return entry;
  }

  private value<T>(stored: Stored<T>): T {
    return 'value' in stored ? stored.value : stored.parse(this.bytes.toString('utf8', ...stored.at));
  }
}

function isSlice(value: unknown, length: number): value is Slice {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isInteger(value[0]) &&
    Number.isInteger(value[1]) &&
    value[0] >= 0 &&
    value[0] <= value[1] &&
    value[1] <= length
  );
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
