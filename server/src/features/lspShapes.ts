import {
  type Diagnostic,
  DiagnosticSeverity,
  type Hover,
  MarkupKind,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from '../scan/mention';
import type { FileScan, HoverResult } from '../service/portLensService';

export const DIAGNOSTIC_SOURCE = 'Port Lens';

export function toRange(document: TextDocument, span: Span): Range {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function toLspHover(document: TextDocument, result: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(document, result.span) };
}

/** Why a file was not scanned, or what went wrong, as one diagnostic on the first line so the user sees it. */
export function toDiagnostics(scan: FileScan): Diagnostic[] {
  const firstLine = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const notices = scan.skipped ? [`Port Lens skipped this file: ${scan.skipped}.`] : scan.notices;
  return notices.map((message) => ({ range: firstLine, severity: DiagnosticSeverity.Information, source: DIAGNOSTIC_SOURCE, message }));
}
