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
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== CLIENT_COMMANDS && key !== CACHE_FOLDER));
}

const CLIENT_COMMANDS = 'clientCommands';
const CACHE_FOLDER = 'cacheFolder';

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
