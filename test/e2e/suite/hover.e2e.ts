import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Asks VS Code for hovers until the language server has started and answers. */
async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
      .join('\n');
    if (text.includes('Port Lens') || /\*\*\d+/.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('no Port Lens hover within 30 s');
}

describe('Port Lens in VS Code', () => {
  it('shows the hover card on a port in a shell script', async () => {
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folder, 'the examples folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'shell', 'open-connect-direct.sh');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'shellscript');
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('ufw allow 1364/tcp'));
    const text = await hoverText(uri, new vscode.Position(line, 12));
    assert.match(text, /1364\/tcp/);
    assert.match(text, /ndm-server/);
    assert.match(text, /allowed inbound from any source/);
  });
});
