import { type ChildProcess, spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ClientCapabilities,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type MessageConnection,
  type Range,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-languageserver-protocol/node';

/** The bundled server; `PORT_LENS_SERVER` names another bundle, for a benchmark against an earlier build. */
export const SERVER = process.env.PORT_LENS_SERVER ?? join(__dirname, '..', '..', '..', 'server', 'out', 'server.js');

/**
 * A minimal LSP client that starts the bundled server over stdio, as an editor would, and answers
 * `workspace/configuration` from a settings object the test controls.
 */
export class LspClient {
  private version = 0;
  readonly stderr: string[] = [];
  /** What the server wrote to its output channel (`window/logMessage`): LSP's type (1 error to 4 log) and text. */
  readonly logs: { type: number; message: string }[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: MessageConnection,
    /** What the client answers for the `portLens` section; null as a client with nothing set answers. */
    public settings: Record<string, unknown> | null,
  ) {}

  /** The diagnostics the server pushed (`textDocument/publishDiagnostics`), latest per document. */
  readonly pushed = new Map<string, Diagnostic[]>();
  /** The tokens of the progress the server created, in order. */
  readonly progressTokens: (string | number)[] = [];
  /** The server's `$/progress` reports (begin, report, end), in order. */
  readonly progress: { kind: string; message?: string }[] = [];
  /** How often the server said the workspace inventory changed. */
  workspaceChanges = 0;
  /** What the server showed with `window/showMessage`. */
  readonly messages: string[] = [];

  /**
   * `client` replaces what the client announces (VS Code's pull diagnostics, configuration and refresh by default)
   * and what it sends in `initializationOptions`, to play other editors.
   */
  static async start(
    settings: Record<string, unknown> | null = {},
    client: { capabilities?: ClientCapabilities; initializationOptions?: unknown; workspaceFolders?: string[] } = {},
  ): Promise<{ client: LspClient; initialize: InitializeResult }> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const lsp = new LspClient(child, connection, settings);
    child.stderr.on('data', (chunk: Buffer) => lsp.stderr.push(chunk.toString()));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'portLens' ? lsp.settings : null)),
    );
    connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      lsp.logs.push(params);
    });
    connection.onNotification(
      'textDocument/publishDiagnostics',
      (params: { uri: string; diagnostics: Diagnostic[] }) => {
        lsp.pushed.set(params.uri, params.diagnostics);
      },
    );
    connection.onNotification('window/showMessage', (params: { message: string }) => {
      lsp.messages.push(params.message);
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => null);
    connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      lsp.progressTokens.push(params.token);
      return null;
    });
    connection.onNotification('$/progress', (params: { value: { kind: string; message?: string } }) => {
      lsp.progress.push(params.value);
    });
    connection.onNotification('portLens/workspacePortsChanged', () => {
      lsp.workspaceChanges++;
    });
    connection.listen();
    const initialize = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: (client.workspaceFolders ?? []).map((folder) => ({
        uri: pathToFileURL(folder).href,
        name: basename(folder),
      })),
      capabilities: client.capabilities ?? {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          diagnostics: { refreshSupport: true },
        },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, diagnostic: {} },
        window: { workDoneProgress: true },
      },
      // As the VS Code extension sends them (client/src/extension.ts).
      initializationOptions: client.initializationOptions ?? {
        clientCommands: ['portLens.openRuleDocs', 'portLens.editSuppressionReason'],
        settingsSchema: true,
      },
    });
    await connection.sendNotification('initialized', {});
    return { client: lsp, initialize };
  }

  /** The server's process id, for reading its memory. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async open(uri: string, text: string, languageId = 'shellscript'): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: ++this.version, text },
    });
  }

  async change(uri: string, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++this.version },
      contentChanges: [{ text }],
    });
  }

  /** Replaces one range, as VS Code sends a keystroke or a paste to a server that syncs incrementally. */
  async edit(uri: string, range: Range, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++this.version },
      contentChanges: [{ range, text }],
    });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri },
    });
    return report.kind === 'full' ? report.items : [];
  }

  /** Waits until the server has pushed diagnostics for `uri` that `accept` takes, and returns them. */
  async pushedUntil(uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const diagnostics = this.pushed.get(uri);
      if (diagnostics && accept(diagnostics)) return diagnostics;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no such diagnostics pushed for ${uri}; last: ${JSON.stringify(this.pushed.get(uri))}`);
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.child.kill();
    }
  }
}
