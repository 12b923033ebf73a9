/**
 * Issue 4 in a real VS Code: a Connect:Direct process file gets the Connect:Direct language, is highlighted by
 * the grammar, and the SNODE port's hover names ndm-server.
 */
import * as assert from 'node:assert/strict';
import { eventually, hoverOn, useUiSession } from './session';

const PROCESS = 'connect-direct/nightly-send.cdp';

interface RenderedToken {
  text: string;
  className: string;
  color: string;
}

describe('UI: Connect:Direct process files (issue 4)', function () {
  const session = useUiSession();

  before(async () => {
    await session().workbench.openFile(PROCESS);
  });

  it('opens a .cdp file in the Connect:Direct language mode', async () => {
    assert.equal(await session().workbench.languageMode(), 'Connect:Direct');
  });

  it('highlights keywords and comments in their own colours', async () => {
    const { workbench } = session();
    // The rendered tokens of the editor's lines; `mtk1` is the theme's default foreground (plain text).
    const tokens = () =>
      workbench.page
        .locator('.editor-group-container.active .monaco-editor .view-lines .view-line span[class^="mtk"]')
        .evaluateAll((spans) =>
          spans.map((span) => ({
            text: (span.textContent ?? '').replace(/\u00a0/g, ' '),
            className: [...span.classList].find((name) => /^mtk\d+$/.test(name)) ?? '',
            color: span.ownerDocument.defaultView!.getComputedStyle(span).color,
          })),
        );
    const find = (all: RenderedToken[], text: string) => all.find((token) => token.text.trim() === text);
    // The grammar loads after the text is shown: wait until the keywords are coloured.
    const rendered = await eventually(
      'PROCESS, COPY and the comment to be tokenized',
      tokens,
      (all) => ['PROCESS', 'COPY'].every((word) => (find(all, word)?.className ?? 'mtk1') !== 'mtk1'),
      20_000,
    );
    const plain = rendered.find((token) => token.className === 'mtk1');
    const processKeyword = find(rendered, 'PROCESS');
    const copyKeyword = find(rendered, 'COPY');
    const comment = rendered.find((token) => token.text.startsWith('/* Nightly settlement upload'));
    assert.ok(plain && processKeyword && copyKeyword && comment, `missing tokens in ${JSON.stringify(rendered)}`);
    for (const token of [processKeyword, copyKeyword, comment]) {
      assert.notEqual(token.className, plain.className, `${JSON.stringify(token.text)} is rendered as plain text`);
      assert.notEqual(
        token.color,
        plain.color,
        `${JSON.stringify(token.text)} has the plain-text colour ${plain.color}`,
      );
    }
    assert.notEqual(comment.color, processKeyword.color, 'the comment and the keywords share a colour');
    // Labels in column 1 and SNODE= parameters are not left as plain text either.
    for (const word of ['NIGHTLY', 'SNODE']) {
      const token = find(rendered, word);
      assert.ok(token, `no token ${word} in ${JSON.stringify(rendered)}`);
      assert.notEqual(token.className, plain.className, `${word} is rendered as plain text`);
    }
  });

  it('names ndm-server in the hover on the SNODE port', async () => {
    const { workbench } = session();
    // `NIGHTLY  PROCESS SNODE=cd.clearhouse.example.com;1364`
    const card = await hoverOn(workbench, PROCESS, 'SNODE=cd.clearhouse.example.com;1364', '1364');
    assert.match(card, /^1364\/tcp · Connect:Direct server$/m);
    assert.match(card, /^IANA: ndm-server: Network DataMover Server$/m);
    assert.match(
      card,
      /^Here: connects to the partner's server at cd\.clearhouse\.example\.com \(SNODE\) \(outbound; opens nothing on this host\) \(Connect:Direct process NIGHTLY\)$/m,
    );
  });
});
