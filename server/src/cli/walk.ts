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
 * `node_modules`, symlinked folders (loops) and what each folder's `.gitignore` excludes.
 */
export function* filesToScan(paths: readonly string[]): Generator<FileToScan> {
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new MissingPathError(`no such file or folder: ${path}`);
    }
    if (isDirectory) yield* walkFolder(path, []);
    else yield { path, named: true };
  }
}

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

function* walkFolder(folder: string, scopes: IgnoreScope[]): Generator<FileToScan> {
  const localRules = readGitignore(folder);
  const active = localRules ? [...scopes, { base: folder, rules: localRules }] : scopes;
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (ALWAYS_SKIPPED.has(entry.name)) continue;
    const path = join(folder, entry.name);
    const isDirectory = entry.isDirectory();
    if (isIgnored(path, isDirectory, active)) continue;
    if (isDirectory) yield* walkFolder(path, active);
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
