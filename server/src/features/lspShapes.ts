import {
  type Diagnostic,
  DiagnosticSeverity,
  type DocumentSymbol,
  SymbolKind,
  type Hover,
  MarkupKind,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OutlineSymbol, OutlineSymbolKind } from '../scan/format';
import type { Span } from '../scan/mention';
import type { FileScan, HoverResult } from '../service/portLensService';

export const DIAGNOSTIC_SOURCE = 'Port Lens';

export function toRange(document: TextDocument, span: Span): Range {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function toLspHover(document: TextDocument, result: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(document, result.span) };
}

const SYMBOL_KINDS: Record<OutlineSymbolKind, SymbolKind> = {
  process: SymbolKind.Function,
  step: SymbolKind.Method,
  record: SymbolKind.Struct,
  node: SymbolKind.Object,
  table: SymbolKind.Namespace,
  chain: SymbolKind.Class,
  zone: SymbolKind.Module,
  section: SymbolKind.Namespace,
  variable: SymbolKind.Variable,
};

export function toDocumentSymbols(document: TextDocument, symbols: readonly OutlineSymbol[]): DocumentSymbol[] {
  return symbols.map((symbol) => ({
    name: symbol.name,
    detail: symbol.detail,
    kind: SYMBOL_KINDS[symbol.kind],
    range: toRange(document, symbol.span),
    selectionRange: toRange(document, symbol.selection),
    children: symbol.children && toDocumentSymbols(document, symbol.children),
  }));
}

/** Why a file was not scanned, or what went wrong, as one diagnostic on the first line so the user sees it. */
export function toDiagnostics(scan: FileScan): Diagnostic[] {
  const firstLine = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const notices = scan.skipped ? [`Port Lens skipped this file: ${scan.skipped}.`] : scan.notices;
  return notices.map((message) => ({ range: firstLine, severity: DiagnosticSeverity.Information, source: DIAGNOSTIC_SOURCE, message }));
}
