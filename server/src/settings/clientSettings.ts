import { SETTINGS_SECTION, isRecord } from './settings';

/**
 * The Port Lens settings in what a client sends: `{ "portLens": { ... } }` (the section, as
 * `didChangeConfiguration` carries it), or, in `initializationOptions`, the settings themselves.
 */
export function settingsSection(value: unknown, flatAllowed: boolean): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const section = value[SETTINGS_SECTION];
  if (isRecord(section)) return section;
  if (!flatAllowed) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !CLIENT_KEYS.has(key)));
}

const CLIENT_COMMANDS = 'clientCommands';
const CACHE_FOLDER = 'cacheFolder';
const EXCLUDE = 'exclude';
const SETTINGS_SCHEMA = 'settingsSchema';
/** What a client sends in `initializationOptions` besides settings. */
const CLIENT_KEYS = new Set([CLIENT_COMMANDS, CACHE_FOLDER, EXCLUDE, SETTINGS_SCHEMA]);

/**
 * The globs of files the editor hides (VS Code's `files.exclude`, `initializationOptions.exclude`), as
 * `.gitignore` lines for the workspace scan: braces are expanded, since `.gitignore` has none.
 */
export function excludedIn(initializationOptions: unknown): string[] {
  const globs = isRecord(initializationOptions) ? initializationOptions[EXCLUDE] : undefined;
  if (!Array.isArray(globs)) return [];
  return globs
    .filter((glob): glob is string => typeof glob === 'string' && glob.length > 0)
    .flatMap((glob) => ((glob.match(/\{/g) ?? []).length > MAX_BRACE_GROUPS ? [glob] : expandBraces(glob)));
}

/** Globs with more brace groups than this are kept as they are, rather than grow into thousands of patterns. */
const MAX_BRACE_GROUPS = 3;

/** `**\/*.{a,b}` as `**\/*.a` and `**\/*.b`. */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  const close = open < 0 ? -1 : glob.indexOf('}', open);
  if (close < 0) return [glob];
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  return glob
    .slice(open + 1, close)
    .split(',')
    .flatMap((choice) => expandBraces(`${head}${choice}${tail}`));
}

/** Where the client lets the server keep its workspace scan cache (`initializationOptions.cacheFolder`), if it does. */
export function cacheFolderIn(initializationOptions: unknown): string | undefined {
  const folder = isRecord(initializationOptions) ? initializationOptions[CACHE_FOLDER] : undefined;
  return typeof folder === 'string' && folder.length > 0 ? folder : undefined;
}

/** The client commands a client announces it runs (`initializationOptions.clientCommands`). */
export function clientCommandsIn(initializationOptions: unknown): Set<string> {
  const listed = isRecord(initializationOptions) ? initializationOptions[CLIENT_COMMANDS] : undefined;
  return new Set(Array.isArray(listed) ? listed.filter((item): item is string => typeof item === 'string') : []);
}

/**
 * Whether the client checks `.portlens.json` against schemas/portlens.schema.json itself
 * (`initializationOptions.settingsSchema`), as VS Code does: the server then shows only what the schema cannot see.
 */
export function checksSettingsSchemaIn(initializationOptions: unknown): boolean {
  return isRecord(initializationOptions) && initializationOptions[SETTINGS_SCHEMA] === true;
}
