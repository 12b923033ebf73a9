import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileScan, PortLensService } from '../service/portLensService';
import { UNKNOWN_LANGUAGE } from '../scan/registry';
import { type FileToScan, READ_WITHOUT_WAITING, readUpTo } from './walk';

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
 * What its language needs (the shell parser) is loaded first, if it is not yet.
 */
export async function scanFile(
  file: FileToScan,
  service: PortLensService,
  limitBytes: number,
  language?: string,
): Promise<ScannedFile | undefined> {
  // Standard input is reported, and recognised, by the name it was given.
  const path = file.label ?? file.path;
  if (file.skipped) return skippedFile(path, language, file.skipped);
  let bytes: Buffer;
  let byteLength: number;
  let languageId = language;
  let descriptor: number | undefined;
  try {
    // Most files of a repository (docs, code, data) are known to be none of ours from their name or first bytes.
    if (!file.named && !languageId) languageId = service.detectLanguageByName(path);
    // Opened without waiting, in case a pipe took the place of the file the walk saw.
    // Standard input is read from the process's own descriptor: through a socket it cannot be opened by path.
    descriptor =
      file.label !== undefined ? STDIN_DESCRIPTOR : openSync(file.path, file.pipe ? 'r' : READ_WITHOUT_WAITING);
    const stats = fstatSync(descriptor);
    if (file.pipe) {
      // A pipe (`portlens scan <(iptables-save)`) has no size to go by: it is read up to the limit and no further.
      bytes = readUpTo(descriptor, limitBytes + 1);
      byteLength = bytes.length;
      if (byteLength > limitBytes) bytes = bytes.subarray(0, HEAD_BYTES);
    } else if (!stats.isFile()) {
      return skippedFile(path, languageId, 'not a regular file');
    } else {
      // A regular file is read for as many bytes as it says it has; a small one's head is the whole of it.
      byteLength = stats.size;
      const headLength = Math.min(byteLength, HEAD_BYTES);
      let head: Buffer | undefined;
      if (languageId === UNKNOWN_LANGUAGE) {
        head = readStart(descriptor, headLength);
        languageId = service.detectLanguageByContent(decodeText(head).text);
        if (languageId === UNKNOWN_LANGUAGE) return undefined;
      }
      if (byteLength > limitBytes) bytes = head ?? readStart(descriptor, headLength);
      else bytes = head?.length === byteLength ? head : readStart(descriptor, byteLength);
    }
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EACCES'
        ? 'permission denied'
        : `cannot be read (${(error as Error).message})`;
    return skippedFile(path, languageId, reason);
  } finally {
    if (descriptor !== undefined && descriptor !== STDIN_DESCRIPTOR) closeSync(descriptor);
  }
  const { text, notice } = decodeText(bytes);
  const notices = notice ? [notice] : [];
  const scan = await service.scanWhenReady({ text, languageId, path, byteLength });
  return { path, text, scan: { ...scan, notices: [...notices, ...scan.notices] } };
}

const STDIN_DESCRIPTOR = 0;

const UTF16_BOMS = [
  { bom: [0xff, 0xfe], decoder: new TextDecoder('utf-16le') },
  { bom: [0xfe, 0xff], decoder: new TextDecoder('utf-16be') },
];

/**
 * A file's text: UTF-16 when it starts with a byte-order mark (Windows tools export rules that way), else UTF-8,
 * with invalid bytes replaced and noted.
 */
function decodeText(bytes: Uint8Array): { text: string; notice?: string } {
  const utf16 = UTF16_BOMS.find(({ bom }) => bytes[0] === bom[0] && bytes[1] === bom[1]);
  if (utf16) return { text: utf16.decoder.decode(bytes) };
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    return { text: lenientUtf8.decode(bytes), notice: 'invalid UTF-8: the bad bytes were read as U+FFFD' };
  }
}

/** A file that is not scanned, and why. */
function skippedFile(path: string, languageId: string | undefined, reason: string): ScannedFile {
  return {
    path,
    text: '',
    scan: {
      languageId: languageId ?? UNKNOWN_LANGUAGE,
      mentions: [],
      signals: [],
      findings: [],
      notices: [],
      skipped: reason,
    },
  };
}

/**
 * Up to `length` bytes from the start of a regular file, read by position so that reading the head first does
 * not move where the whole file is read from. readFileSync would ask the file's size again.
 */
function readStart(descriptor: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const read = readSync(descriptor, buffer, filled, length - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}
