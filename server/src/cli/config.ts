import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type PortLensSettings, SETTINGS_SECTION, readSettings } from '../settings/settings';
import { UsageError } from './args';

export const CONFIG_FILE_NAME = '.portlens.json';

/**
 * The CLI's settings: the editor's settings, read from `--config FILE` or else from `.portlens.json` in the
 * (first) scanned folder. Keys may be written with or without the `portLens.` prefix.
 */
export function loadSettings(configPath: string | undefined, scannedPaths: readonly string[]): PortLensSettings {
  const path = configPath ?? discoverConfig(scannedPaths[0] ?? '.');
  if (!path) return readSettings({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the settings file ${path}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`${path} must hold a JSON object of settings`);
  const prefix = `${SETTINGS_SECTION}.`;
  const settings = Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key.startsWith(prefix) ? key.slice(prefix.length) : key, value]),
  );
  return readSettings(settings);
}

function discoverConfig(scanned: string): string | undefined {
  let folder: string;
  try {
    folder = statSync(scanned).isDirectory() ? scanned : dirname(scanned);
  } catch {
    return undefined;
  }
  const candidate = join(folder, CONFIG_FILE_NAME);
  return existsSync(candidate) ? candidate : undefined;
}
