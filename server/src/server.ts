import {
  type CancellationToken,
  CodeActionKind,
  type Connection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  type TextDocumentIdentifier,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ActionCommands, FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND, fixAll, quickFixes } from './features/codeActions';
import { DiagnosticsPusher } from './features/pushDiagnostics';
import {
  settingsFileDiagnostics,
  toDiagnostics,
  toDocumentSymbols,
  toInlayHint,
  toLspHover,
} from './features/lspShapes';
import { contentModified, invalidParams, onLatestVersion, serverCancelled } from './features/requestGuard';
import { ruleDocsLinker } from './features/ruleDocs';
import { DocumentScans } from './service/documentScans';
import type { PortMention } from './scan/mention';
import { PortLensService } from './service/portLensService';
import { leveledLogger } from './logging/logger';
import {
  cacheFolderIn,
  checksSettingsSchemaIn,
  clientCommandsIn,
  excludedIn,
  settingsSection,
} from './settings/clientSettings';
import { type EditorSettings, SETTINGS_SECTION, readEditorSettings, readSettings } from './settings/settings';
import { isSettingsFile, settingsFileProblems } from './settings/settingsFile';
import { isScanWorkerSetup, serveFileScans } from './workspace/scanWorker';
import { serveWorkspacePorts } from './workspace/workspaceHandlers';
import { parentPort, workerData } from 'node:worker_threads';

function fullReport(items: Diagnostic[]): DocumentDiagnosticReport {
  return { kind: DocumentDiagnosticReportKind.Full, items };
}

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
  let canPullDiagnostics = false;
  let canRefreshDiagnostics = false;
  let canShowDocument = false;
  let canRegisterConfiguration = false;
  let canShowRelatedInformation = false;
  let workspaceFolders: string[] = [];
  let cacheFolder: string | undefined;
  let excluded: string[] = [];
  /** The client checks `.portlens.json` against the settings' JSON schema itself. */
  let checksSettingsSchema = false;
  let canRefreshInlayHints = false;
  let commands: ActionCommands = { clientCommands: new Set() };
  /** Settings a client sends without being asked: initializationOptions, then didChangeConfiguration. */
  let sentSettings: Record<string, unknown> | undefined;
  const docsLink = ruleDocsLinker(__dirname);
  let editor: EditorSettings = readEditorSettings(undefined);
  const logger = leveledLogger(connection.console, () => editor.logLevel);
  const pusher = new DiagnosticsPusher((uri) => {
    const document = documents.get(uri);
    if (document && service)
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics: documentDiagnostics(document) });
  });

  /**
   * The client's settings: asked for where it answers `workspace/configuration`, else as it last sent them. A
   * client with nothing set for the section answers null (Emacs eglot does): then too the settings it sent count.
   */
  const currentSettings = async (): Promise<unknown> => {
    if (!canPullConfiguration) return sentSettings ?? {};
    try {
      return ((await connection.workspace.getConfiguration(SETTINGS_SECTION)) as unknown) ?? sentSettings ?? {};
    } catch (error) {
      logger.warn('The client did not answer workspace/configuration; the settings it sent are used', error);
      return sentSettings ?? {};
    }
  };

  const refreshSettings = async () => {
    if (!service) return;
    const raw = await currentSettings();
    const before = editor;
    editor = readEditorSettings(raw);
    if (editor.workspaceDiagnostics !== before.workspaceDiagnostics) workspace.diagnosticsToggled();
    if (editor.inlayHints !== before.inlayHints && canRefreshInlayHints)
      await connection.languages.inlayHint
        .refresh()
        .catch((error: unknown) => logger.warn('The client refused an inlay hint refresh', error));
    const settings = readSettings(raw, (key, message) => logger.warn(`Setting portLens.${key}: ${message}`));
    // VS Code announces every change of any setting; only a change of ours invalidates the scans.
    if (!service.configure(settings)) return;
    logger.info('Settings changed: every open document is scanned again.');
    scans.clear();
    workspace.restart();
    if (!canPullDiagnostics) for (const document of documents.all()) pusher.schedule(document.uri);
    else if (canRefreshDiagnostics)
      await connection.languages.diagnostics
        .refresh()
        .catch((error: unknown) => logger.warn('The client refused a diagnostics refresh', error));
  };

  connection.onInitialize(async (params) => {
    const { workspace, textDocument, window } = params.capabilities;
    canPullConfiguration = workspace?.configuration === true;
    canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canPullDiagnostics = textDocument?.diagnostic !== undefined;
    canRefreshDiagnostics = workspace?.diagnostics?.refreshSupport === true;
    canRefreshInlayHints = workspace?.inlayHint?.refreshSupport === true;
    canShowDocument = window?.showDocument?.support === true;
    canShowRelatedInformation =
      textDocument?.publishDiagnostics?.relatedInformation === true || textDocument?.diagnostic !== undefined;
    commands = { clientCommands: clientCommandsIn(params.initializationOptions) };
    cacheFolder = cacheFolderIn(params.initializationOptions);
    excluded = excludedIn(params.initializationOptions);
    checksSettingsSchema = checksSettingsSchemaIn(params.initializationOptions);
    workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
      .filter(({ uri }) => uri.startsWith('file:'))
      .map(({ uri }) => fileURLToPath(uri));
    sentSettings = settingsSection(params.initializationOptions, true);
    service = await servicePromise;
    service.logger = logger;
    if (!canPullConfiguration && sentSettings) await refreshSettings();
    logger.info(
      `Port Lens language server started: ${service.languageIds.length} languages (${service.languageIds.join(', ')}); diagnostics are ${canPullDiagnostics ? 'pulled' : 'pushed'}.`,
    );
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [SHOW_RULE_DOCS_COMMAND] },
        ...(canPullDiagnostics
          ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: true } }
          : {}),
      },
      serverInfo: { name: 'Port Lens' },
    };
  });

  connection.onInitialized(async () => {
    if (canPullConfiguration && canRegisterConfiguration) {
      await connection.client
        .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
        .catch((error: unknown) => logger.warn('The client refused to announce setting changes', error));
    }
    await refreshSettings();
    workspace.startForPushClient();
  });
  connection.onDidChangeConfiguration(({ settings }) => {
    sentSettings = settingsSection(settings, false) ?? sentSettings;
    return refreshSettings();
  });

  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    const link: unknown = args?.[0];
    if (command !== SHOW_RULE_DOCS_COMMAND || typeof link !== 'string')
      return new ResponseError(ErrorCodes.InvalidParams, `unknown command or arguments: ${command}`);
    if (canShowDocument) await connection.window.showDocument({ uri: link, external: !link.startsWith('file:') });
    // A notification, not showMessageRequest: nothing waits on the client's answer.
    else
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Info,
        message: `Port Lens rule documentation: ${link}`,
      });
    return null;
  });

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
      const lineOf = (offset: number) => document.positionAt(offset).line + 1;
      const decisions = (mention: PortMention) => workspace.decisionsAbout(document.uri, mention);
      const offset = document.offsetAt(params.position);
      const result = service.hover(scans.get(document), document.getText(), offset, lineOf, decisions);
      return result ? toLspHover(document, result) : null;
    }),
  );

  connection.languages.inlayHint.on((params, token) =>
    aboutDocument(params, token, documentRequest, [], (document, service) => {
      if (!editor.inlayHints) return [];
      const { start, end } = params.range;
      return service
        .inlayHints(scans.get(document), document.getText(), document.offsetAt(start), document.offsetAt(end))
        .map((hint) => toInlayHint(document, hint));
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
      return quickFixes(document, scan, diagnostics, service.commentSyntax(scan.languageId), docsLink, commands);
    }),
  );

  connection.languages.diagnostics.on((params, token) =>
    aboutDocument(params, token, { position: false, changed: serverCancelled }, fullReport([]), (document) =>
      fullReport(documentDiagnostics(document)),
    ),
  );

  /** A document's diagnostics; none, and the reason in the log, when it could not be judged (as vscode-eslint does). */
  const documentDiagnostics = (document: TextDocument): Diagnostic[] => {
    try {
      // The CLI's settings file: what it would warn about, where it is written.
      if (isSettingsFile(document.uri))
        return settingsFileDiagnostics(document, settingsFileProblems(document.getText(), checksSettingsSchema));
      const items = toDiagnostics(document, scans.get(document), {
        relatedInformation: canShowRelatedInformation,
        docsLink,
      });
      logger.debug(`Diagnostics for ${document.uri} (version ${document.version}): ${items.length}.`);
      return items;
    } catch (error) {
      logger.error(`Port Lens could not judge ${document.uri}; its problems are cleared`, error);
      return [];
    }
  };

  const workspace = serveWorkspacePorts(connection, {
    service: () => service!,
    logger,
    folders: () => workspaceFolders,
    diagnosticsWanted: () => editor.workspaceDiagnostics,
    workerScript: __filename,
    cacheFile: () => cacheFolder && join(cacheFolder, 'workspace-scan.json'),
    exclude: () => excluded,
    docsLink,
    get pushes() {
      return !canPullDiagnostics;
    },
    isOpen: (uri) => documents.get(uri) !== undefined,
  });

  // A second didOpen of the same document replaces its text, whatever version it gives.
  documents.onDidOpen(({ document }) => scans.forget(document.uri));
  documents.onDidChangeContent(({ document }) => {
    if (!canPullDiagnostics) pusher.schedule(document.uri);
  });
  documents.onDidClose(({ document }) => {
    scans.forget(document.uri);
    if (canPullDiagnostics) return;
    pusher.cancel(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    workspace.documentClosed(document.uri);
  });
  documents.listen(connection);
  connection.listen();
}

// The same bundle is the workspace scan's worker (see workspace/scanWorker.ts).
if (isScanWorkerSetup(workerData)) void serveFileScans(workerData, parentPort!);
else startServer(createConnection(ProposedFeatures.all));
