import {
  type CancellationToken,
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  type TextDocumentIdentifier,
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

  /**
   * A request about one open document: malformed params are refused, the work runs on the document's latest
   * version (see onLatestVersion), and `absent` answers for a document that is not open.
   */
  const aboutDocument = <T, D>(
    params: { textDocument: TextDocumentIdentifier } | null,
    token: CancellationToken,
    guard: { position: boolean; changed: () => ResponseError<D> },
    absent: T,
    work: (document: TextDocument, service: PortLensService) => T,
  ): Promise<T | ResponseError<D>> | ResponseError<D> => {
    const invalid = invalidParams<D>(params, guard.position);
    if (invalid || !params) return invalid ?? new ResponseError<D>(ErrorCodes.InvalidParams, 'missing params');
    const { uri } = params.textDocument;
    const run = () => {
      const document = documents.get(uri);
      return document && service ? work(document, service) : absent;
    };
    return onLatestVersion(token, () => documents.get(uri)?.version, run, guard.changed);
  };
  const placeRequest = { position: true, changed: contentModified };
  const documentRequest = { position: false, changed: contentModified };

  connection.onHover((params, token) =>
    aboutDocument(params, token, placeRequest, null, (document, service) => {
      const result = service.hover(scans.get(document), document.getText(), document.offsetAt(params.position));
      return result ? toLspHover(document, result) : null;
    }),
  );

  connection.onDocumentSymbol((params, token) =>
    aboutDocument(params, token, documentRequest, [], (document, service) =>
      toDocumentSymbols(document, service.symbols(scans.get(document), document.getText())),
    ),
  );

  connection.onCodeAction((params, token) =>
    aboutDocument(params, token, documentRequest, [], (document, service) => {
      const scan = scans.get(document);
      const wantsFixAll = params.context?.only?.some((kind) => FIX_ALL_KIND.startsWith(kind)) ?? false;
      if (wantsFixAll) {
        const action = fixAll(document, scan);
        return action ? [action] : [];
      }
      const diagnostics = params.context?.diagnostics ?? [];
      return quickFixes(document, scan, diagnostics, service.commentSyntax(scan.languageId), docsLink);
    }),
  );

  connection.languages.diagnostics.on((params, token) =>
    aboutDocument(params, token, { position: false, changed: serverCancelled }, emptyReport(), (document) =>
      documentDiagnostics(document),
    ),
  );

  const emptyReport = (): DocumentDiagnosticReport => ({ kind: DocumentDiagnosticReportKind.Full, items: [] });
  const documentDiagnostics = (document: TextDocument): DocumentDiagnosticReport => {
    try {
      const items = toDiagnostics(document, scans.get(document), {
        relatedInformation: canShowRelatedInformation,
        docsLink,
      });
      logger.debug(`Diagnostics for ${document.uri} (version ${document.version}): ${items.length}.`);
      return { kind: DocumentDiagnosticReportKind.Full, items };
    } catch (error) {
      // As vscode-eslint does: no stale problems for a document that could not be judged, and the reason in the log.
      logger.error(`Port Lens could not judge ${document.uri}; its problems are cleared`, error);
      return emptyReport();
    }
  };

  // A second didOpen of the same document replaces its text, whatever version it gives.
  documents.onDidOpen(({ document }) => scans.forget(document.uri));
  documents.onDidClose(({ document }) => scans.forget(document.uri));
  documents.listen(connection);
  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));
