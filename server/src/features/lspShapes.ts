import {
  type Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type DocumentSymbol,
  SymbolKind,
  type Hover,
  type InlayHint,
  MarkupKind,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OutlineSymbol, OutlineSymbolKind } from '../scan/format';
import type { Span } from '../scan/mention';
import type { Severity } from '../rules/finding';
import type { FileScan, HoverResult } from '../service/portLensService';
import type { ReportedFile } from '../cli/reportedFile';
import type { SettingsFileProblem } from '../settings/settingsFile';

export const DIAGNOSTIC_SOURCE = 'Port Lens';

export function toRange(document: TextDocument, span: Span): Range {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function toLspHover(document: TextDocument, result: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(document, result.span) };
}

export function toInlayHint(document: TextDocument, hint: { offset: number; label: string }): InlayHint {
  return { position: document.positionAt(hint.offset), label: hint.label, paddingLeft: true };
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
  docsLink: (ruleId: string) => string;
}

/**
 * The findings that no comment suppresses, as diagnostics with the rule id as code, a link to the rule's page,
 * the lines that explain them, and the data the code actions need; then why a file was skipped, if it was.
 */
export function toDiagnostics(document: TextDocument, scan: FileScan, options: DiagnosticOptions): Diagnostic[] {
  const diagnostics = noticeDiagnostics(scan.skipped, scan.notices);
  for (const finding of scan.findings) {
    if (finding.suppressed) continue;
    const data: DiagnosticData = { ruleId: finding.ruleId, start: finding.span.start, end: finding.span.end };
    diagnostics.push({
      ...findingDiagnostic(toRange(document, finding.span), finding, options.docsLink),
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

/** The problems of a `.portlens.json` (see settingsFile.ts), each a warning where it is written. */
export function settingsFileDiagnostics(
  document: TextDocument,
  problems: readonly SettingsFileProblem[],
): Diagnostic[] {
  return problems.map(({ message, span }) => ({
    range: toRange(document, span),
    severity: DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    message,
  }));
}

/**
 * The diagnostics of a file the client has not opened, from its report (1-based lines, end columns exclusive):
 * the same as an open file's, without the data its code actions need.
 */
export function reportDiagnostics(report: ReportedFile, docsLink: (ruleId: string) => string): Diagnostic[] {
  const diagnostics = noticeDiagnostics(report.skipped, report.notices ?? []);
  for (const finding of report.findings) {
    if (finding.suppressed !== undefined) continue;
    const range = {
      start: { line: finding.line - 1, character: finding.column - 1 },
      end: { line: finding.endLine - 1, character: finding.endColumn - 1 },
    };
    diagnostics.push(findingDiagnostic(range, finding, docsLink));
  }
  return diagnostics;
}

function noticeDiagnostics(skipped: string | undefined, notices: readonly string[]): Diagnostic[] {
  const firstLine = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return (skipped ? [`Port Lens skipped this file: ${skipped}.`] : notices).map((message) => ({
    range: firstLine,
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message,
  }));
}

function findingDiagnostic(
  range: Range,
  finding: { ruleId: string; severity: Severity; message: string },
  docsLink: (ruleId: string) => string,
): Diagnostic {
  return {
    range,
    severity: SEVERITIES[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsLink(finding.ruleId) },
    message: finding.message,
    ...(finding.ruleId === 'unused-suppression' ? { tags: [DiagnosticTag.Unnecessary] } : {}),
  };
}
