import * as path from 'node:path';
import { type ExtensionContext, Position, Selection, Uri, commands, env, window, workspace } from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { LANGUAGES } from './languages';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { configurationSection: 'portLens' },
  };
  client = new LanguageClient('portLens', 'Port Lens', serverOptions, clientOptions);
  context.subscriptions.push(
    commands.registerCommand('portLens.openRuleDocs', openRuleDocs),
    commands.registerCommand('portLens.editSuppressionReason', editSuppressionReason),
  );
  await client.start();
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
