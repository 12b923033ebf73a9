import { lstatSync, readFileSync } from 'node:fs';

/** A definition file is a few kilobytes; anything far larger is not one. */
const NEARBY_FILE_LIMIT = 1024 * 1024;

/**
 * Reads a file that a scanned file points to (a firewalld zone's `services/NAME.xml`): a regular file only, not a
 * link, device or FIFO, and only when small; undefined otherwise, or when it cannot be read.
 */
export function readNearbyFile(path: string): string | undefined {
  try {
    const stat = lstatSync(path);
    if (!stat.isFile() || stat.size > NEARBY_FILE_LIMIT) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
