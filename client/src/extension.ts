import * as path from 'node:path';
import { type ExtensionContext, Position, Selection, Uri, commands, env, window, workspace } from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { CrashGuard } from './crashGuard';
import { LANGUAGES } from './languages';
import { registerPortsView } from './ports/portsView';

let client: LanguageClient | undefined;

const OPEN_RULE_DOCS = 'portLens.openRuleDocs';
const EDIT_SUPPRESSION_REASON = 'portLens.editSuppressionReason';

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // The CLI's settings file, checked as the CLI would read it.
      { scheme: 'file', pattern: '**/.portlens.json' },
    ],
    // File events keep the Ports view's workspace inventory current without opening the files.
    synchronize: { configurationSection: 'portLens', fileEvents: workspace.createFileSystemWatcher('**/*') },
    // The server's code actions call these instead of its own plainer command and edits.
    // The server keeps its workspace scan cache in this workspace's storage, so that a reopened workspace is not read again.
    initializationOptions: {
      clientCommands: [OPEN_RULE_DOCS, EDIT_SUPPRESSION_REASON],
      // VS Code checks .portlens.json against the schema package.json contributes; the server adds what it cannot see.
      settingsSchema: true,
      ...(context.storageUri ? { cacheFolder: context.storageUri.fsPath } : {}),
      // The workspace scan passes over what the Explorer hides.
      exclude: Object.entries(workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {})
        .filter(([, hidden]) => hidden === true)
        .map(([glob]) => glob),
    },
    // A document set aside after a crash is not sent again, so the restarted server never reads it.
    middleware: {
      didOpen: (document, next) => (sendable(document.uri) ? next(document) : Promise.resolve()),
      didChange: (event, next) => (sendable(event.document.uri) ? next(event) : Promise.resolve()),
    },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => onServerStopped(),
    },
  };
  client = new LanguageClient('portLens', 'Port Lens', serverOptions, clientOptions);
  context.subscriptions.push(
    commands.registerCommand(OPEN_RULE_DOCS, openRuleDocs),
    commands.registerCommand(EDIT_SUPPRESSION_REASON, editSuppressionReason),
    // The palette's "Port Lens: Show Output" and "Port Lens: Restart Server" (package.json contributes them).
    commands.registerCommand('portLens.showOutput', () => client?.outputChannel.show(true)),
    commands.registerCommand('portLens.restartServer', () => client?.restart()),
  );
  await client.start();
  context.subscriptions.push(...registerPortsView(context, client));
}

const crashGuard = new CrashGuard();

function sendable(uri: Uri): boolean {
  const key = uri.toString();
  if (!crashGuard.allows(key)) return false;
  crashGuard.noteSent(key);
  return true;
}

/** The server stopped without being asked: set aside the file it was reading, and start it again. */
function onServerStopped(): CloseHandlerResult {
  const { restart, setAside } = crashGuard.onStopped(Date.now());
  if (setAside) {
    const name = Uri.parse(setAside).path.split('/').pop() ?? setAside;
    void window
      .showWarningMessage(
        `Port Lens stopped while reading ${name}. It is set aside for this session, and the other files are read again.`,
        'Read it again',
      )
      .then((choice) => {
        if (!choice) return;
        crashGuard.readmit(setAside);
        void client?.restart();
      });
  }
  return restart
    ? { action: CloseAction.Restart, handled: true }
    : {
        action: CloseAction.DoNotRestart,
        message:
          'The Port Lens language server stopped too often and was not restarted. Reload the window to try again.',
      };
}

/** Rule pages ship with the extension: show them as Markdown; a web link opens in the browser. */
async function openRuleDocs(link: string): Promise<void> {
  const uri = Uri.parse(link);
  if (uri.scheme === 'file') await commands.executeCommand('markdown.showPreview', uri);
  else await env.openExternal(uri);
}

/** After an "Ignore ..." fix inserts its comment, the cursor waits where the reason goes. */
async function editSuppressionReason(uri: string, line: number, character: number): Promise<void> {
  const document = await workspace.openTextDocument(Uri.parse(uri));
  const editor = await window.showTextDocument(document);
  const position = new Position(line, character);
  editor.selection = new Selection(position, position);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
