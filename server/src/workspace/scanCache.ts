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

type Slice = [start: number, end: number];

/**
 * A file's entry: as saved, its texts are where they lie in the loaded cache, read only when a run asks for them
 * (most entries of a run never are); as a run made it, they are values.
 */
interface CacheEntry extends Fingerprint {
  /** null: a file of no format the engine reads. */
  report: Slice | { value: ReportedFile | null };
  written?: { as: string; tally: Tally; text: Slice | string };
}

/** The header line of a cache file: each entry's fingerprint, and where its texts lie in the bytes after it. */
interface CacheHeader {
  format: typeof FORMAT;
  key: string;
  entries: Record<string, CacheEntry>;
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

  /** `entries` is the header's own record, read as it was parsed: copying each entry costs a run its time. */
  private constructor(
    private readonly file: string,
    private readonly key: string,
    private readonly limitBytes: number,
    private readonly entries: Record<string, CacheEntry>,
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
    try {
      const stats = statSync(file);
      if (stats.isFile() && stats.size <= MAX_CACHE_BYTES) {
        const read = readFileSync(file);
        const headerEnd = read.indexOf(LINE_FEED);
        if (headerEnd < 0) throw new Error('it has no header line');
        const header = JSON.parse(read.toString('utf8', 0, headerEnd)) as Partial<CacheHeader>;
        if (header.format === FORMAT && header.key === key && isRecord(header.entries)) {
          const bytes = read.subarray(headerEnd + 1);
          for (const path in header.entries) {
            const { report, written } = header.entries[path];
            if (!isSlice(report, bytes.length) || (written && !isSlice(written.text, bytes.length)))
              throw new Error(`its entry for ${path} points outside it`);
          }
          return new ScanCache(file, key, limitBytes, header.entries, bytes);
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        onProblem(`the scan cache ${file} could not be read (${(error as Error).message}); every file is read`);
    }
    return new ScanCache(file, key, limitBytes, {}, Buffer.alloc(0));
  }

  /**
   * The report recorded for `path` if its content is unchanged (null for a file of no format); undefined when the
   * file must be read.
   */
  lookup(path: string): ReportedFile | null | undefined {
    const entry = this.unchanged(path);
    return entry && this.report(entry);
  }

  /**
   * For an unchanged file, the text written for it `as` given if the cache holds it, else its report; undefined
   * when the file must be read. The report is not read from the cache when the text serves.
   */
  lookupWritten(path: string, as: string): { written: WrittenFile } | { report: ReportedFile | null } | undefined {
    const entry = this.unchanged(path);
    if (!entry) return undefined;
    const { written } = entry;
    if (written?.as !== as) return { report: this.report(entry) };
    return { written: { as, tally: written.tally, text: this.text(written.text) } };
  }

  record(path: string, taken: Fingerprint, report: ReportedFile | null, written?: WrittenFile): void {
    this.entries[path] = { ...taken, report: { value: report }, ...(written ? { written } : {}) };
    this.dirty = true;
  }

  /** Keeps what a run wrote for a file that the cache holds already. */
  remember(path: string, written: WrittenFile): void {
    const entry = this.entry(path);
    if (!entry) return;
    entry.written = written;
    this.dirty = true;
  }

  forget(path: string): void {
    if (!this.entry(path)) return;
    delete this.entries[path];
    this.dirty = true;
  }

  /** Writes the cache if anything changed since it was read. */
  save(): void {
    if (!this.dirty) return;
    const texts: Buffer[] = [];
    let length = 0;
    const place = (text: Slice | string | Buffer): Slice => {
      // A text never asked for is copied as it was read.
      const bytes =
        typeof text === 'string' ? Buffer.from(text) : Buffer.isBuffer(text) ? text : this.bytes.subarray(...text);
      texts.push(bytes);
      length += bytes.length;
      return [length - bytes.length, length];
    };
    const header: CacheHeader = { format: FORMAT, key: this.key, entries: {} };
    for (const path in this.entries) {
      const { report, written, ...taken } = this.entries[path];
      header.entries[path] = {
        ...taken,
        report: place(Array.isArray(report) ? report : Buffer.from(JSON.stringify(report.value))),
        ...(written ? { written: { ...written, text: place(written.text) } } : {}),
      };
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...texts]));
    renameSync(temporary, this.file);
    this.dirty = false;
  }

  /** The entry for `path`, of the header's record itself: a path is never one of an object's own names. */
  private entry(path: string): CacheEntry | undefined {
    return Object.hasOwn(this.entries, path) ? this.entries[path] : undefined;
  }

  /** The entry for `path` if the file is as recorded; a file whose time alone moved keeps its entry. */
  private unchanged(path: string): CacheEntry | undefined {
    const entry = this.entry(path);
    if (!entry) return undefined;
    const now = fingerprint(path, this.limitBytes, entry);
    if (!now || now.size !== entry.size || now.hash !== entry.hash) return undefined;
    if (now.mtimeMs !== entry.mtimeMs) {
      entry.mtimeMs = now.mtimeMs;
      this.dirty = true;
    }
    return entry;
  }

  private report({ report }: CacheEntry): ReportedFile | null {
    return Array.isArray(report) ? (JSON.parse(this.text(report)) as ReportedFile | null) : report.value;
  }

  private text(text: Slice | string): string {
    return typeof text === 'string' ? text : this.bytes.toString('utf8', ...text);
  }
}

function isRecord(value: unknown): value is Record<string, CacheEntry> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
