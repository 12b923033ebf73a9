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
 * 50,000-line file is a lookup, not a parse.
 */
export class DocumentScans {
  private readonly scans = new Map<string, { version: number; scan: FileScan }>();

  constructor(private readonly service: () => PortLensService) {}

  get(document: VersionedText): FileScan {
    const cached = this.scans.get(document.uri);
    if (cached && cached.version === document.version) return cached.scan;
    const scan = this.service().scan({ text: document.getText(), languageId: document.languageId, path: pathOf(document.uri) });
    this.scans.set(document.uri, { version: document.version, scan });
    return scan;
  }

  forget(uri: string): void {
    this.scans.delete(uri);
  }

  clear(): void {
    this.scans.clear();
  }
}

function pathOf(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}
