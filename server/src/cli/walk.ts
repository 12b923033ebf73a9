import {
  type Dirent,
  type Stats,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ReportedFile } from './reportedFile';
import type { WrittenFile } from '../workspace/scanCache';

/** Never walked: version control, dependencies, and the scan cache that `--cache` keeps in the scanned folder. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.portlenscache']);

/** A .gitignore is a list of patterns: one larger than this is not someone's, and is not read. */
const GITIGNORE_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * A file to scan, and whether the user named it (named files are always reported, even if unrecognised). A named
 * path that is not read says why in `skipped`; `pipe` marks one that is read as a stream (`<(iptables-save)`).
 */
export interface FileToScan {
  path: string;
  named: boolean;
  skipped?: string;
  pipe?: boolean;
  /** For standard input: the name it is reported and recognised by (`-`, or `--stdin-filename`). */
  label?: string;
  /**
   * What the scan cache holds for the file, unchanged since: the text a run in the same format wrote for it, or
   * its report (null: a file of no format). The file is not read.
   */
  cached?: { written: WrittenFile } | { report: ReportedFile | null };
}

/** Where standard input is read from, for PATH `-`. */
const STDIN = '/dev/stdin';

/** Reports a file or folder that the walk sets aside, with the reason, so that nothing is dropped silently. */
export type SkipHandler = (path: string, reason: string) => void;

export class MissingPathError extends Error {}

/**
 * The files under each path, in a stable order: folders are walked recursively, skipping `.git`,
 * `node_modules` and what each folder's `.gitignore` excludes. Entries that are not read go to `onSkipped` with
 * the reason: a folder that cannot be listed, a device, pipe or socket, a symlink that is broken or leaves the
 * scanned folder, and a symlinked folder (not walked: it may loop). A symlinked regular file inside the folder is
 * scanned. Every path is checked before the first file comes, so that a missing one is a usage error before any
 * output; the walk itself is lazy, so that scanning can start while it goes on.
 */
export function filesToScan(
  paths: readonly string[],
  onSkipped: SkipHandler = () => {},
  stdinFilename?: string,
  exclude: readonly string[] = [],
): Iterable<FileToScan> {
  // `--exclude` patterns are `.gitignore` lines for each scanned folder; a file named on the command line is scanned.
  const excluded = exclude.length > 0 ? ignore().add([...exclude]) : undefined;
  const roots = paths.map((written) => {
    const path = written === '-' ? STDIN : written;
    try {
      // A named path is followed through symlinks: the user chose it, and `/dev/fd/63` is one.
      return { path, stats: statSync(path), label: written === '-' ? (stdinFilename ?? '-') : undefined };
    } catch {
      throw new MissingPathError(`no such file or folder: ${written === '-' ? 'standard input' : written}`);
    }
  });
  return (function* () {
    for (const { path, stats, label } of roots) {
      const named = { path, named: true, ...(label ? { label } : {}) };
      const scopes = excluded ? [{ base: path, rules: excluded }] : [];
      if (stats.isDirectory()) yield* walkFolder(path, realpathSync(path), scopes, onSkipped);
      else if (stats.isFile()) yield named;
      else if (stats.isFIFO() && isDescriptorPath(path)) yield { ...named, pipe: true };
      // A program that hands its text over may do it through a socket pair rather than a pipe (Node does).
      else if (stats.isSocket() && label !== undefined) yield { ...named, pipe: true };
      else yield { ...named, skipped: `not a regular file (${kindOf(stats)})` };
    }
  })();
}

/** The paths that process substitution and redirection hand over: `/dev/fd/63`, `/proc/self/fd/63`, `/dev/stdin`. */
function isDescriptorPath(path: string): boolean {
  return /^(\/dev\/fd\/\d+|\/proc\/self\/fd\/\d+|\/dev\/stdin)$/.test(path);
}

/**
 * Files of `.gitignore` syntax whose rules a folder's walk obeys: git's own, and `.portlensignore` for what only
 * Port Lens should pass over (fixtures, vendored rules), each for its folder and those below.
 */
const IGNORE_FILES = new Set(['.gitignore', '.portlensignore']);

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

function* walkFolder(
  folder: string,
  root: string,
  scopes: IgnoreScope[],
  onSkipped: SkipHandler,
): Generator<FileToScan> {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    onSkipped(folder, `cannot read this folder (${errorCode(error)})`);
    return;
  }
  // Only folders that list an ignore file are asked for one: a failed open per folder cost more than the listing.
  const ignoreFiles = entries.filter((entry) => IGNORE_FILES.has(entry.name) && !entry.isDirectory());
  const active = [...scopes];
  for (const file of ignoreFiles) {
    const rules = readGitignore(join(folder, file.name), file, root, onSkipped);
    if (rules) active.push({ base: folder, rules });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // An ignore file holds no ports: it was read above for its rules, and reported there if it could not be.
    if (ALWAYS_SKIPPED.has(entry.name) || ignoreFiles.includes(entry)) continue;
    const path = join(folder, entry.name);
    const isDirectory = entry.isDirectory();
    if (isIgnored(path, isDirectory, active)) continue;
    const target = resolveEntry(path, entry, root);
    if ('skipped' in target) onSkipped(path, target.skipped);
    else if (target.folder) yield* walkFolder(path, root, active, onSkipped);
    else yield { path, named: false };
  }
}

/** The type of a directory entry or of a path's lstat. */
export type EntryType = Pick<
  Stats,
  'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'
>;

/**
 * Where an entry of the folder `root` (a real path) leads: a folder to walk, a regular file to read at `real`, or
 * the reason it is set aside. Only a symlink is followed, and only to a regular file that stays inside `root`:
 * opening a pipe blocks, a device can be endless, and a file outside the folder is not the repository's to show.
 */
export function resolveEntry(
  path: string,
  type: EntryType,
  root: string,
): { folder: boolean; real: string } | { skipped: string } {
  if (type.isDirectory()) return { folder: true, real: path };
  if (type.isFile()) return { folder: false, real: path };
  if (!type.isSymbolicLink()) return { skipped: `not a regular file (${kindOf(type)})` };
  let real: string;
  let target: Stats;
  try {
    real = realpathSync(path);
    target = statSync(real);
  } catch (error) {
    return { skipped: `broken symlink (${errorCode(error)})` };
  }
  const inside = relative(root, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return { skipped: 'symlink leaves the scanned folder' };
  if (target.isDirectory()) return { skipped: 'symlinked folder, not walked' };
  if (!target.isFile()) return { skipped: `symlink to something other than a regular file (${kindOf(target)})` };
  return { folder: false, real };
}

function kindOf(type: EntryType): string {
  if (type.isCharacterDevice()) return 'character device';
  if (type.isBlockDevice()) return 'block device';
  if (type.isFIFO()) return 'named pipe';
  if (type.isSocket()) return 'socket';
  return 'unknown type';
}

/** Opens for reading without waiting: opening a pipe for reading blocks until a writer comes. No FIFOs on Windows. */
export const READ_WITHOUT_WAITING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Why a file was not read, in words fit for a report. */
export class RefusedRead extends Error {}

/**
 * The bytes of the regular file at `path`, if it has at most `limitBytes`. It is opened without waiting, in case
 * a pipe took its place, sized on the open descriptor and read for no more than the limit, so that a file that
 * grows meanwhile is refused too.
 */
export function readRegularFile(path: string, limitBytes: number): Buffer {
  const descriptor = openSync(path, READ_WITHOUT_WAITING);
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw new RefusedRead(`not a regular file (${kindOf(stats)})`);
    const tooLarge = new RefusedRead(`larger than the ${limitBytes / (1024 * 1024)} MB limit`);
    if (stats.size > limitBytes) throw tooLarge;
    const bytes = readUpTo(descriptor, limitBytes + 1);
    if (bytes.length > limitBytes) throw tooLarge;
    return bytes;
  } finally {
    closeSync(descriptor);
  }
}

/** Up to `length` bytes from where a descriptor stands, reading in order: a pipe cannot be read by position. */
export function readUpTo(descriptor: number, length: number): Buffer {
  const chunks: Buffer[] = [];
  let filled = 0;
  while (filled < length) {
    const chunk = Buffer.allocUnsafe(Math.min(length - filled, 1 << 16));
    const read = readSync(descriptor, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    filled += read;
  }
  return Buffer.concat(chunks, filled);
}

/** A system error's code (`EACCES`): it says what went wrong without quoting anything a file holds. */
function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Why a read failed: a refusal's own words, or the system error's code. */
export function readFailure(error: unknown): string {
  return error instanceof RefusedRead ? error.message : `cannot be read (${errorCode(error)})`;
}

/** A folder's .gitignore rules; one that cannot be used is reported, and the folder is walked without it. */
function readGitignore(path: string, type: EntryType, root: string, onSkipped: SkipHandler): Ignore | undefined {
  const target = resolveEntry(path, type, root);
  try {
    if ('skipped' in target) throw new RefusedRead(target.skipped);
    return ignore().add(readRegularFile(target.real, GITIGNORE_LIMIT_BYTES).toString('utf8'));
  } catch (error) {
    onSkipped(path, `${readFailure(error)}; the folder was walked without its rules`);
    return undefined;
  }
}

/**
 * Whether the walk of `folder` would pass over `path`, a file below it: what one changed file is checked against,
 * without walking the folder again. The ignore files on the way down apply, as do `exclude` patterns and the
 * folders the walk never enters.
 */
export function walkPassesOver(folder: string, path: string, exclude: readonly string[] = []): boolean {
  const steps = relative(folder, path).split(sep);
  if (steps[0] === '..' || isAbsolute(steps.join(sep))) return true;
  let root: string;
  try {
    root = realpathSync(folder);
  } catch {
    // A folder that is gone holds nothing to walk.
    return true;
  }
  const scopes: IgnoreScope[] = exclude.length > 0 ? [{ base: folder, rules: ignore().add([...exclude]) }] : [];
  let current = folder;
  for (const [index, step] of steps.entries()) {
    for (const name of IGNORE_FILES) {
      const ignoreFile = join(current, name);
      let type: Stats;
      try {
        type = lstatSync(ignoreFile);
      } catch {
        continue;
      }
      const rules = readGitignore(ignoreFile, type, root, () => {});
      if (rules) scopes.push({ base: current, rules });
    }
    const next = join(current, step);
    const isFile = index === steps.length - 1;
    if (ALWAYS_SKIPPED.has(step) || isIgnored(next, !isFile, scopes)) return true;
    current = next;
  }
  return false;
}

function isIgnored(path: string, isDirectory: boolean, scopes: readonly IgnoreScope[]): boolean {
  return scopes.some(({ base, rules }) => {
    const relativePath = relative(base, path).split(sep).join('/');
    return rules.ignores(isDirectory ? `${relativePath}/` : relativePath);
  });
}
