import type { ScanRecord } from './editRescan';
import type { FileScan, PortLensService } from './portLensService';

/** The parts of an open document the cache needs; `TextDocument` from vscode-languageserver-textdocument fits. */
export interface VersionedText {
  uri: string;
  version: number;
  languageId: string;
  getText(): string;
}

/**
 * One scan per document version: hovers and diagnostics on the same version share it, so a hover on a
 * 50,000-line file is a lookup, not a parse. A new version starts from the previous one's scan, which lets
 * formats with context lines re-read only the edited lines.
 */
export class DocumentScans {
  private readonly records = new Map<string, { version: number; record: ScanRecord }>();

  constructor(private readonly service: () => PortLensService) {}

  get(document: VersionedText): FileScan {
    const cached = this.records.get(document.uri);
    if (cached && cached.version === document.version) return cached.record.scan;
    const request = { text: document.getText(), languageId: document.languageId, path: pathOf(document.uri) };
    const record = this.service().rescan(cached?.record, request);
    this.records.set(document.uri, { version: document.version, record });
    return record.scan;
  }

  forget(uri: string): void {
    this.records.delete(uri);
  }

  /** After a settings change, when no earlier scan may be reused. */
  clear(): void {
    this.records.clear();
  }
}

function pathOf(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}
