import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { FileScan, PortLensService } from '../service/portLensService';
import { UNKNOWN_LANGUAGE } from '../scan/registry';
import type { FileToScan } from './walk';

/** One file's result, with the text kept for turning offsets into lines and columns. */
export interface ScannedFile {
  path: string;
  text: string;
  scan: FileScan;
}

// Enough bytes for the 4,096 characters that language detection reads, whatever their UTF-8 length.
const HEAD_BYTES = 16384;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Reads and scans one file, opening it once. A file larger than the limit is never read whole: its first bytes
 * are enough for the service to detect its language and report it skipped. Invalid UTF-8 is replaced and noted.
 */
export function scanFile(file: FileToScan, service: PortLensService, limitBytes: number, language?: string): ScannedFile | undefined {
  let bytes: Buffer;
  let byteLength: number;
  let languageId = language;
  let descriptor: number | undefined;
  try {
    // Most files of a repository (docs, code, data) are known to be none of ours from their name or first bytes.
    if (!file.named && !languageId) languageId = service.detectLanguage(file.path, '');
    descriptor = openSync(file.path, 'r');
    byteLength = fstatSync(descriptor).size;
    let head: Buffer | undefined;
    if (languageId === UNKNOWN_LANGUAGE) {
      head = readHead(descriptor);
      languageId = service.detectLanguage(file.path, lenientUtf8.decode(head));
      if (languageId === UNKNOWN_LANGUAGE) return undefined;
    }
    bytes = byteLength <= limitBytes ? readFileSync(descriptor) : (head ?? readHead(descriptor));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : `cannot be read (${(error as Error).message})`;
    return { path: file.path, text: '', scan: { languageId: languageId ?? UNKNOWN_LANGUAGE, mentions: [], signals: [], findings: [], notices: [], skipped: reason } };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
  let text: string;
  const notices: string[] = [];
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = lenientUtf8.decode(bytes);
    notices.push('invalid UTF-8: the bad bytes were read as U+FFFD');
  }
  const scan = service.scan({ text, languageId, path: file.path, byteLength });
  return { path: file.path, text, scan: { ...scan, notices: [...notices, ...scan.notices] } };
}

/** The first bytes, read without moving the file position, so that a later read of the whole file starts at 0. */
function readHead(descriptor: number): Buffer {
  const head = Buffer.alloc(HEAD_BYTES);
  const read = readSync(descriptor, head, 0, HEAD_BYTES, 0);
  return head.subarray(0, read);
}
