import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  TextDocumentEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../rules/finding';
import { IGNORE_FILE, IGNORE_NEXT_LINE } from '../rules/suppressions';
import type { CommentSyntax, TextEdit } from '../scan/format';
import type { FileScan } from '../service/portLensService';
import { DIAGNOSTIC_SOURCE, type DiagnosticData, toRange } from './lspShapes';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.portLens`;
/**
 * Client commands of the VS Code extension (client/src/extension.ts): open a rule's page as Markdown; put the
 * cursor where the reason goes. A client announces them in `initializationOptions.clientCommands`.
 */
export const OPEN_RULE_DOCS_COMMAND = 'portLens.openRuleDocs';
export const EDIT_REASON_COMMAND = 'portLens.editSuppressionReason';
/** The server's own command for a rule's page, for every other client (`workspace/executeCommand`). */
export const SHOW_RULE_DOCS_COMMAND = 'portLens.server.showRuleDocs';

/** What the client can run besides the edits: the commands it announced. */
export interface ActionCommands {
  clientCommands: ReadonlySet<string>;
}

const SUPPRESSION_HINTS = new Set(['suppression-without-reason', 'unused-suppression']);

function lspEdits(document: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((edit) => ({ range: toRange(document, edit.span), newText: edit.newText }));
}

function workspaceEdit(document: TextDocument, edits: readonly TextEdit[]) {
  return {
    documentChanges: [
      TextDocumentEdit.create({ uri: document.uri, version: document.version }, lspEdits(document, edits)),
    ],
  };
}

function findingFor(scan: FileScan, diagnostic: Diagnostic): Finding | undefined {
  const data = diagnostic.data as DiagnosticData | undefined;
  // Some clients send back less than they were given; `data` is ours, the source only a check where it is kept.
  if (!data || (diagnostic.source !== undefined && diagnostic.source !== DIAGNOSTIC_SOURCE)) return undefined;
  return scan.findings.find(
    (finding) => finding.ruleId === data.ruleId && finding.span.start === data.start && finding.span.end === data.end,
  );
}

/** `# portlens-ignore-next-line rule -- ` in the format's comment syntax; the reason follows the cursor. */
function directive(syntax: CommentSyntax, marker: string, ruleId: string): { text: string; reasonAt: number } {
  const head = syntax.line ? `${syntax.line} ${marker} ${ruleId} -- ` : `${syntax.block![0]} ${marker} ${ruleId} -- `;
  const tail = syntax.line ? '' : ` ${syntax.block![1]}`;
  return { text: head + tail, reasonAt: head.length };
}

function ignoreActions(
  document: TextDocument,
  finding: Finding,
  diagnostic: Diagnostic,
  syntax: CommentSyntax,
  commands: ActionCommands,
): CodeAction[] {
  const text = document.getText();
  const line = document.positionAt(finding.span.start).line;
  const lineStart = document.offsetAt({ line, character: 0 });
  const indent = syntax.firstColumnOnly ? '' : /^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))![0];
  const onLine = directive(syntax, IGNORE_NEXT_LINE, finding.ruleId);
  // The first line of a file may be a shebang or an XML declaration, which must stay first.
  const firstLine = text.slice(0, text.indexOf('\n') + 1 || text.length);
  const fileStart = /^(#!|<\?xml)/.test(firstLine) ? firstLine.length : 0;
  const inFile = directive(syntax, IGNORE_FILE, finding.ruleId);
  const fileLine = document.positionAt(fileStart).line;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const action = (
    title: string,
    offset: number,
    comment: { text: string; reasonAt: number },
    prefix: string,
    commentLine: number,
  ): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEdit(document, [
      { span: { start: offset, end: offset }, newText: `${prefix}${comment.text}${newline}` },
    ]),
    // Other clients get the comment alone: the reason is typed after `--`.
    ...(commands.clientCommands.has(EDIT_REASON_COMMAND)
      ? {
          command: {
            title: 'Write the reason',
            command: EDIT_REASON_COMMAND,
            arguments: [document.uri, commentLine, prefix.length + comment.reasonAt],
          },
        }
      : {}),
  });
  return [
    action(`Ignore ${finding.ruleId} on this line (with a reason)`, lineStart, onLine, indent, line),
    action(`Ignore ${finding.ruleId} in this file (with a reason)`, fileStart, inFile, '', fileLine),
  ];
}

/**
 * The actions for the Port Lens diagnostics under the cursor: each finding's fixes (the right one preferred),
 * "ignore on this line / in this file" in the format's comment syntax, and the rule's page.
 */
export function quickFixes(
  document: TextDocument,
  scan: FileScan,
  diagnostics: readonly Diagnostic[],
  syntax: CommentSyntax | undefined,
  docsLink: (ruleId: string) => string,
  commands: ActionCommands,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const finding = findingFor(scan, diagnostic);
    if (!finding) continue;
    for (const fix of finding.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred,
        edit: workspaceEdit(document, fix.edits),
      });
    }
    if (syntax && !SUPPRESSION_HINTS.has(finding.ruleId))
      for (const action of ignoreActions(document, finding, diagnostic, syntax, commands)) actions.push(action);
    const docs = commands.clientCommands.has(OPEN_RULE_DOCS_COMMAND) ? OPEN_RULE_DOCS_COMMAND : SHOW_RULE_DOCS_COMMAND;
    actions.push({
      title: `Show documentation for ${finding.ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Show documentation', command: docs, arguments: [docsLink(finding.ruleId)] },
    });
  }
  return actions;
}

/**
 * "Fix all Port Lens findings in this file": every preferred fix that is safe in bulk, skipping any that would
 * overlap one already taken (several ports of one rule share the same restrict-source edit).
 */
export function fixAll(document: TextDocument, scan: FileScan): CodeAction | undefined {
  const taken: TextEdit[] = [];
  const seen = new Set<string>();
  for (const finding of scan.findings) {
    if (finding.suppressed) continue;
    const fix = finding.fixes.find((candidate) => candidate.preferred && candidate.safeInBulk);
    if (!fix) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const overlaps = fix.edits.some((edit) =>
      taken.some(
        (other) =>
          (edit.span.start < other.span.end && other.span.start < edit.span.end) ||
          (edit.span.start === other.span.start && edit.span.end === other.span.end),
      ),
    );
    if (overlaps) continue;
    seen.add(key);
    taken.push(...fix.edits);
  }
  if (taken.length === 0) return undefined;
  return { title: 'Fix all Port Lens findings in this file', kind: FIX_ALL_KIND, edit: workspaceEdit(document, taken) };
}
