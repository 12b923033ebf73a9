import * as assert from 'node:assert/strict';
import type { CodeAction, DocumentSymbol, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const PROCESS_URI = 'file:///workspace/processes/nightly.cdp';
const PROCESS = [
  '/* nightly settlement upload */',
  'NIGHTLY  PROCESS SNODE=cd.clearhouse.example.com;1364',
  'SEND01   COPY FROM (FILE=/data/out/settle.csv PNODE)',
  '              TO (FILE=/inbound/settle.csv SNODE DISP=RPL)',
  '         PEND',
].join('\n');

const NETMAP_URI = 'file:///opt/cdunix/ndm/cfg/cd.node/netmap.cfg';
const NETMAP = [
  'local.node:\\',
  ' :tcp.api=0.0.0.0;1363:\\',
  ' :netmap.check=n:',
  'CLEARHOUSE:\\',
  ' :comm.info=cd.clearhouse.example.com;11364:',
].join('\n');

function markdown(hover: Awaited<ReturnType<LspClient['hover']>>): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
}

describe('Connect:Direct over stdio', () => {
  let client: LspClient;

  beforeEach(async () => {
    ({ client } = await LspClient.start());
  });
  afterEach(() => client.stop());

  it('hovers the SNODE port with ndm-server and the SNODE keyword with the node it resolves to', async () => {
    await client.open(PROCESS_URI, PROCESS, 'connectdirect');
    const port = await client.hover(PROCESS_URI, 1, 50);
    assert.match(markdown(port), /IANA: `ndm-server`/);
    assert.match(markdown(port), /connects to the partner's server at cd\.clearhouse\.example\.com \(SNODE\)/);
    assert.deepEqual(port!.range, { start: { line: 1, character: 49 }, end: { line: 1, character: 53 } });
    const keyword = await client.hover(PROCESS_URI, 3, 45);
    assert.match(
      markdown(keyword),
      /\*\*SNODE\*\* · secondary node of process `NIGHTLY`\n\n`cd\.clearhouse\.example\.com;1364`/,
    );
  });

  it('outlines the process and its steps', async () => {
    await client.open(PROCESS_URI, PROCESS, 'connectdirect');
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: PROCESS_URI },
    });
    assert.deepEqual(
      symbols.map((symbol) => [symbol.name, symbol.children?.map((child) => child.name)]),
      [['NIGHTLY', ['SEND01']]],
    );
    assert.deepEqual(symbols[0].selectionRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
  });

  it('reports the API on every interface and netmap.check=n, and the fixes clear them', async () => {
    await client.open(NETMAP_URI, NETMAP, 'connectdirect-netmap');
    const diagnostics = await client.diagnostics(NETMAP_URI);
    assert.deepEqual(
      diagnostics.map(
        (diagnostic) => `${diagnostic.code} ${diagnostic.range.start.line}:${diagnostic.range.start.character}`,
      ),
      ['exposed-critical-port 1:18', 'connectdirect-netmap-check-off 2:2'],
    );
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: NETMAP_URI },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    const edits = actions
      .filter((action) => action.isPreferred)
      .flatMap((action) => (action.edit!.documentChanges as TextDocumentEdit[]).flatMap((change) => change.edits));
    assert.deepEqual(edits.map((edit) => (edit as { newText: string }).newText).sort(), ['127.0.0.1', 'y']);
  });
});
