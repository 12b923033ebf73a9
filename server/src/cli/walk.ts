import { type Dirent, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

/** A file to scan, and whether the user named it (named files are always reported, even if unrecognised). */
export interface FileToScan {
  path: string;
  named: boolean;
}

export class MissingPathError extends Error {}

/**
 * The files under each path, in a stable order: folders are walked recursively, skipping `.git`,
 * `node_modules`, symlinked folders (loops) and what each folder's `.gitignore` excludes; a folder that cannot be
 * listed goes to `onUnreadable` with the reason. Every path is checked
 * before the first file comes, so that a missing one is a usage error before any output; the walk itself is
 * lazy, so that scanning can start while it goes on.
 */
export function filesToScan(
  paths: readonly string[],
  onUnreadable: (folder: string, reason: string) => void = () => {},
): Iterable<FileToScan> {
  const roots = paths.map((path) => {
    try {
      return { path, isDirectory: statSync(path).isDirectory() };
    } catch {
      throw new MissingPathError(`no such file or folder: ${path}`);
    }
  });
  return (function* () {
    for (const { path, isDirectory } of roots) {
      if (isDirectory) yield* walkFolder(path, [], onUnreadable);
      else yield { path, named: true };
    }
  })();
}

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

function* walkFolder(
  folder: string,
  scopes: IgnoreScope[],
  onUnreadable: (folder: string, reason: string) => void,
): Generator<FileToScan> {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    onUnreadable(folder, `cannot read this folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return;
  }
  // Only folders that list a .gitignore are asked for one: a failed open per folder cost more than the listing.
  const localRules = entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory())
    ? readGitignore(folder)
    : undefined;
  const active = localRules ? [...scopes, { base: folder, rules: localRules }] : scopes;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (ALWAYS_SKIPPED.has(entry.name)) continue;
    const path = join(folder, entry.name);
    const isDirectory = entry.isDirectory();
    if (isIgnored(path, isDirectory, active)) continue;
    if (isDirectory) yield* walkFolder(path, active, onUnreadable);
    else if (entry.isFile()) yield { path, named: false };
  }
}

function readGitignore(folder: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(join(folder, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

function isIgnored(path: string, isDirectory: boolean, scopes: readonly IgnoreScope[]): boolean {
  return scopes.some(({ base, rules }) => {
    const relativePath = relative(base, path).split(sep).join('/');
    return rules.ignores(isDirectory ? `${relativePath}/` : relativePath);
  });
}
