import {
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND, fixAll, quickFixes } from './features/codeActions';
import { toDiagnostics, toDocumentSymbols, toLspHover } from './features/lspShapes';
import { contentModified, invalidParams, onLatestVersion, serverCancelled } from './features/requestGuard';
import { ruleDocsLinker } from './features/ruleDocs';
import { DocumentScans } from './service/documentScans';
import { PortLensService } from './service/portLensService';
import { type LogLevel, leveledLogger } from './logging/logger';
import { SETTINGS_SECTION, readLogLevel, readSettings } from './settings/settings';

/**
 * The connection: capabilities, and handlers that ask the service. No analysis happens here.
 * Transport (stdio or node-ipc) comes from the command line, as vscode-languageserver reads it.
 */
function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const servicePromise = PortLensService.create();
  let service: PortLensService | undefined;
  const scans = new DocumentScans(() => service!);
  let canPullConfiguration = false;
  let canShowRelatedInformation = false;
  const docsLink = ruleDocsLinker(__dirname);
  let logLevel: LogLevel = 'info';
  const logger = leveledLogger(connection.console, () => logLevel);

  const refreshSettings = async () => {
    if (!canPullConfiguration || !service) return;
    const raw: unknown = await connection.workspace.getConfiguration(SETTINGS_SECTION);
    logLevel = readLogLevel(raw);
    // VS Code announces every change of any setting; only a change of ours invalidates the scans.
    if (!service.configure(readSettings(raw))) return;
    logger.info('Settings changed: every open document is scanned again.');
    scans.clear();
    await connection.languages.diagnostics.refresh();
  };

  connection.onInitialize(async (params) => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canShowRelatedInformation =
      params.capabilities.textDocument?.publishDiagnostics?.relatedInformation === true ||
      params.capabilities.textDocument?.diagnostic !== undefined;
    service = await servicePromise;
    service.logger = logger;
    logger.info(
      `Port Lens language server started: ${service.languageIds.length} languages (${service.languageIds.join(', ')}).`,
    );
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false },
      },
      serverInfo: { name: 'Port Lens' },
    };
  });

  connection.onInitialized(async () => {
    if (canPullConfiguration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    await refreshSettings();
  });
  connection.onDidChangeConfiguration(() => refreshSettings());

  const versionOf = (uri: string) => () => documents.get(uri)?.version;

  connection.onHover(async (params, token) => {
    const { textDocument, position } = params;
    return (
      invalidParams(params, true) ??
      onLatestVersion(
        token,
        versionOf(textDocument.uri),
        () => {
          const document = documents.get(textDocument.uri);
          if (!document || !service) return null;
          const result = service.hover(scans.get(document), document.getText(), document.offsetAt(position));
          return result ? toLspHover(document, result) : null;
        },
        contentModified,
      )
    );
  });

  connection.onDocumentSymbol(async (params, token) => {
    const { textDocument } = params;
    return (
      invalidParams(params, false) ??
      onLatestVersion(
        token,
        versionOf(textDocument.uri),
        () => {
          const document = documents.get(textDocument.uri);
          if (!document || !service) return [];
          return toDocumentSymbols(document, service.symbols(scans.get(document), document.getText()));
        },
        contentModified,
      )
    );
  });

  connection.onCodeAction(async (params, token) => {
    const { textDocument, context } = params;
    return (
      invalidParams(params, false) ??
      onLatestVersion(
        token,
        versionOf(textDocument.uri),
        () => {
          const document = documents.get(textDocument.uri);
          if (!document || !service) return [];
          const scan = scans.get(document);
          const wantsFixAll = context?.only?.some((kind) => FIX_ALL_KIND.startsWith(kind)) ?? false;
          if (wantsFixAll) {
            const action = fixAll(document, scan);
            return action ? [action] : [];
          }
          const diagnostics = context?.diagnostics ?? [];
          return quickFixes(document, scan, diagnostics, service.commentSyntax(scan.languageId), docsLink);
        },
        contentModified,
      )
    );
  });

  connection.languages.diagnostics.on(async (params, token) => {
    const { textDocument } = params;
    return (
      invalidParams(params, false) ??
      onLatestVersion(token, versionOf(textDocument.uri), () => documentDiagnostics(textDocument.uri), serverCancelled)
    );
  });

  const documentDiagnostics = (uri: string): DocumentDiagnosticReport => {
    const textDocument = { uri };
    const document = documents.get(textDocument.uri);
    try {
      const items =
        document && service
          ? toDiagnostics(document, scans.get(document), { relatedInformation: canShowRelatedInformation, docsLink })
          : [];
      if (document) logger.debug(`Diagnostics for ${textDocument.uri} (version ${document.version}): ${items.length}.`);
      return { kind: DocumentDiagnosticReportKind.Full, items };
    } catch (error) {
      // As vscode-eslint does: no stale problems for a document that could not be judged, and the reason in the log.
      logger.error(`Port Lens could not judge ${textDocument.uri}; its problems are cleared`, error);
      return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    }
  };

  // A second didOpen of the same document replaces its text, whatever version it gives.
  documents.onDidOpen(({ document }) => scans.forget(document.uri));
  documents.onDidClose(({ document }) => scans.forget(document.uri));
  documents.listen(connection);
  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));
