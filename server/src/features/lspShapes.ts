import {
  type Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type DocumentSymbol,
  SymbolKind,
  type Hover,
  MarkupKind,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OutlineSymbol, OutlineSymbolKind } from '../scan/format';
import type { Span } from '../scan/mention';
import type { Severity } from '../rules/finding';
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

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries for the code-action handler: which finding it is, by rule and position. */
export interface DiagnosticData {
  ruleId: string;
  start: number;
  end: number;
}

export interface DiagnosticOptions {
  relatedInformation: boolean;
  docsLink(ruleId: string): string;
}

/**
 * The findings that no comment suppresses, as diagnostics with the rule id as code, a link to the rule's page,
 * the lines that explain them, and the data the code actions need; then why a file was skipped, if it was.
 */
export function toDiagnostics(document: TextDocument, scan: FileScan, options: DiagnosticOptions): Diagnostic[] {
  const firstLine = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const notices = scan.skipped ? [`Port Lens skipped this file: ${scan.skipped}.`] : scan.notices;
  const diagnostics: Diagnostic[] = notices.map((message) => ({
    range: firstLine,
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message,
  }));
  for (const finding of scan.findings) {
    if (finding.suppressed) continue;
    const data: DiagnosticData = { ruleId: finding.ruleId, start: finding.span.start, end: finding.span.end };
    diagnostics.push({
      range: toRange(document, finding.span),
      severity: SEVERITIES[finding.severity],
      source: DIAGNOSTIC_SOURCE,
      code: finding.ruleId,
      codeDescription: { href: options.docsLink(finding.ruleId) },
      message: finding.message,
      ...(finding.ruleId === 'unused-suppression' ? { tags: [DiagnosticTag.Unnecessary] } : {}),
      ...(options.relatedInformation && finding.related.length > 0
        ? {
            relatedInformation: finding.related.map((related) => ({
              location: { uri: document.uri, range: toRange(document, related.span) },
              message: related.message,
            })),
          }
        : {}),
      data,
    });
  }
  return diagnostics;
}
