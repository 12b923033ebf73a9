import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type PortLensSettings, unprefixed, SETTING_DEFINITIONS, isRecord, readSettings } from '../settings/settings';
import { lineOf, lineStarts } from '../scan/lines';
import { SETTINGS_FILE_NAME } from '../settings/settingsFile';
import { UsageError } from './args';
import { RefusedRead, readFailure, readRegularFile, resolveEntry } from './walk';

/** A settings file is a few keys: one larger than this is not someone's, and is not read. */
const CONFIG_LIMIT_BYTES = 1024 * 1024;

/**
 * The CLI's settings: the editor's settings, read from `--config FILE` or else, when `lookup` allows, from
 * `.portlens.json` in the (first) scanned folder. Keys may be written with or without the `portLens.` prefix.
 * Each invalid setting goes to `warn`, and its default is used.
 */
export function loadSettings(
  configPath: string | undefined,
  scannedPaths: readonly string[],
  lookup: boolean,
  warn: (message: string) => void,
): PortLensSettings {
  const path = configPath ?? (lookup ? discoverConfig(scannedPaths[0] ?? '.') : undefined);
  if (path === undefined) return readSettings({});
  let bytes: Buffer;
  try {
    bytes = configPath === undefined ? readFoundConfig(path) : readRegularFile(path, CONFIG_LIMIT_BYTES);
  } catch (error) {
    if (configPath !== undefined) throw new UsageError(`cannot read the settings file ${path}: ${readFailure(error)}`);
    // A found file that is no regular file inside the folder is none that anyone wrote to configure the scan.
    warn(`ignored ${path}: ${readFailure(error)}; the default settings are used`);
    return readSettings({});
  }
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which may be any file's: only the place is said.
    const offset = jsonErrorOffset(text);
    const starts = lineStarts(text);
    const line = lineOf(starts, offset);
    const place = `line ${line + 1}, column ${offset - starts[line] + 1}`;
    throw new UsageError(`cannot read the settings file ${path}: not valid JSON (${place})`);
  }
  if (!isRecord(raw)) throw new UsageError(`${path} must hold a JSON object of settings`);
  const settings = Object.fromEntries(Object.entries(raw).map(([key, value]) => [unprefixed(key), value]));
  return readSettings(settings, (key, message) => warn(`${path}: ${key}: ${message}`));
}

/** The settings with the severities `--rule ID=SEVERITY` set; an unknown rule or severity is a usage error. */
export function withRuleLevels(settings: PortLensSettings, levels: Record<string, string>): PortLensSettings {
  if (Object.keys(levels).length === 0) return settings;
  const problems: string[] = [];
  const rules = SETTING_DEFINITIONS.rules.read({ ...settings.rules, ...levels }, (message, key = '') =>
    problems.push(`--rule ${key.replace(/^\./, '')}: ${message}`),
  );
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { ...settings, rules };
}

/**
 * The nearest `.portlens.json` from the scanned folder (or the scanned file's) up to the root of the git repository
 * it is in, as ESLint and ShellCheck look for theirs; outside a repository, only the scanned folder's. A folder
 * above the repository is someone else's, and is never read.
 */
function discoverConfig(scanned: string): string | undefined {
  let given: string;
  try {
    given = statSync(scanned).isDirectory() ? scanned : dirname(scanned);
  } catch {
    return undefined;
  }
  const folders: string[] = [];
  for (let folder = resolve(given); ; folder = dirname(folder)) {
    folders.push(folder);
    if (exists(join(folder, '.git')) || dirname(folder) === folder) break;
  }
  const inRepository = exists(join(folders[folders.length - 1], '.git'));
  for (const [index, folder] of (inRepository ? folders : folders.slice(0, 1)).entries()) {
    // Messages name the file as the user would: beside what they named, or relative to where they are.
    const candidate = index === 0 ? join(given, SETTINGS_FILE_NAME) : relative('.', join(folder, SETTINGS_FILE_NAME));
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

/** Whether anything has this name, a broken symlink included (a found file is checked when it is read). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A found settings file is the repository's: it is read only if it is a regular file inside its folder. */
function readFoundConfig(path: string): Buffer {
  const target = resolveEntry(path, lstatSync(path), realpathSync(dirname(path)));
  if ('skipped' in target) throw new RefusedRead(target.skipped);
  if (target.folder) throw new RefusedRead('not a regular file (a folder)');
  return readRegularFile(target.real, CONFIG_LIMIT_BYTES);
}

/**
 * Where JSON.parse stopped reading `text`, found again by a reader that only checks the syntax: for some errors
 * JSON.parse says the place only as part of the quoted text. Iterative, as nesting may be as deep as the file is long.
 */
function jsonErrorOffset(text: string): number {
  const closers: string[] = [];
  let at = 0;
  let expect: 'value' | 'key' | 'after' = 'value';
  // An empty container closes where its first value or key would be.
  let opened = false;
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (;;) {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
    if (at >= text.length) return at;
    const char = text[at];
    if (expect === 'after') {
      if (char === ',' && closers.length > 0) {
        expect = closers[closers.length - 1] === '}' ? 'key' : 'value';
        at++;
      } else if (char === closers[closers.length - 1]) {
        closers.pop();
        at++;
      } else return at;
      continue;
    }
    if (opened && char === closers[closers.length - 1]) {
      closers.pop();
      opened = false;
      expect = 'after';
      at++;
      continue;
    }
    opened = false;
    if (expect === 'key') {
      const end = char === '"' ? stringEnd(text, at) : undefined;
      if (end === undefined) return at;
      at = end;
      while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
      if (text[at] !== ':') return at;
      at++;
      expect = 'value';
      continue;
    }
    if (char === '{' || char === '[') {
      closers.push(char === '{' ? '}' : ']');
      expect = char === '{' ? 'key' : 'value';
      opened = true;
      at++;
      continue;
    }
    number.lastIndex = at;
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, at));
    const end =
      char === '"'
        ? stringEnd(text, at)
        : literal
          ? at + literal.length
          : number.test(text)
            ? number.lastIndex
            : undefined;
    if (end === undefined) return at;
    at = end;
    expect = 'after';
  }
}

/** The offset after the JSON string that starts at `start`, or undefined if it is not a valid one. */
function stringEnd(text: string, start: number): number | undefined {
  for (let at = start + 1; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20) return undefined;
    if (code === 0x5c) {
      const escape = text[at + 1];
      if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 5;
      else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) at++;
      else return undefined;
    }
  }
  return undefined;
}
