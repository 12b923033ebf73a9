/**
 * Issue 2 in a real VS Code: the packaged .vsix installed into code-server, a shell script opened, and the
 * hover card read from the workbench. Also takes the README screenshot (docs/images/hover.png).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { eventually, hoverLink, hoverOn, repoRoot, useUiSession } from './session';

const SCRIPT = 'deploy/open-ports.sh';
const IANA_REGISTRY = 'https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml';

describe('UI: hover cards in a shell script (issue 2)', function () {
  const session = useUiSession({ 'editor.fontSize': 15, 'editor.hover.above': false });

  before(async () => {
    await session().workbench.openFile(SCRIPT);
  });

  it('opens the script as a shell script', async () => {
    assert.equal(await session().workbench.languageMode(), 'Shell Script');
  });

  it('shows the full card on an iptables --dport that comes from a variable', async () => {
    const { workbench } = session();
    const card = await hoverOn(workbench, SCRIPT, '--dport "$CD_API_PORT"', 'CD_API_PORT');
    // port and protocol, with the curated title
    assert.match(card, /^1363\/tcp · Connect:Direct API$/m);
    // the IANA service name and description
    assert.match(card, /^IANA: ndm-requester: Network DataMover Requester$/m);
    // what this line does with the port
    assert.match(
      card,
      /^Here: allowed inbound from 10\.20\.0\.0\/16 \(a private network\) \(iptables, chain INPUT, policy DROP\)$/m,
    );
    assert.match(card, /^Value of \$CD_API_PORT, written on line 5\.$/m);
    // the security note and the safer alternative
    assert.match(card, /^⚠️ critical: never expose to any source\./m);
    assert.match(card, /^Safer: Keep 1363 reachable only from admin and management hosts/m);
    // the IANA registry link, pointing at this port
    assert.equal(await hoverLink(workbench, 'IANA registry'), `${IANA_REGISTRY}?search=1363`);
  });

  it('says what a ufw rule and a loopback docker publish do with their ports', async () => {
    const { workbench } = session();
    const ssh = await hoverOn(workbench, SCRIPT, 'to any port 22', '22');
    assert.match(ssh, /^22\/tcp · SSH$/m);
    assert.match(ssh, /^IANA: ssh: /m);
    assert.match(ssh, /^Here: allowed inbound from 10\.0\.0\.0\/8 \(a private network\) \(ufw\)$/m);
    assert.equal(await hoverLink(workbench, 'IANA registry'), `${IANA_REGISTRY}?search=22`);

    const telnet = await hoverOn(workbench, SCRIPT, 'ufw deny 23/tcp', '23');
    assert.match(telnet, /^23\/tcp · Telnet$/m);
    assert.match(telnet, /^Here: denied inbound \(ufw\)$/m);

    const metrics = await hoverOn(workbench, SCRIPT, '-p 127.0.0.1:9090:9090', '9090');
    assert.match(metrics, /^9090\/tcp\b/m);
    assert.match(metrics, /^Here: published on 127\.0\.0\.1 \(loopback only\) to container port 9090 \(docker run\)$/m);
  });

  it('takes the README screenshot of a hover card on an iptables rule', async () => {
    const { workbench } = session();
    const { page } = workbench;
    const original = page.viewportSize();
    await page.setViewportSize({ width: 1280, height: 1000 });
    try {
      // Wait for the finding, so that the card shows it above the port's description.
      await eventually(
        'the information squiggle under $CD_API_PORT',
        () => workbench.squiggleCount('info'),
        (n) => n === 1,
      );
      await hoverOn(workbench, SCRIPT, '--dport "$CD_API_PORT"', 'CD_API_PORT');
      const card = page.locator('.monaco-hover:visible').first();
      assert.match(
        await card.innerText(),
        /Connect:Direct API port 1363 is open to a private network[\s\S]*1363\/tcp · Connect:Direct API/,
      );
      // The card opens at most 250 px high and scrolls: drag its lower edge down, as a user would, to show all of it.
      await dragLowerEdge(page, card, 960);
      const editor = await page.locator('.editor-group-container.active').boundingBox();
      const hover = await card.boundingBox();
      assert.ok(editor && hover, 'the editor and the hover card should be on screen');
      assert.ok(hover.height > 500, `the card should have grown to show all of it (${hover.height} px)`);
      // Crop to the editor group: its tab down to just below the card.
      const bottom = Math.min(editor.y + editor.height, hover.y + hover.height + 12);
      const clip = { x: editor.x, y: editor.y, width: editor.width, height: bottom - editor.y };
      // PORT_LENS_UPDATE_SCREENSHOTS=1 refreshes the README image; otherwise the shot goes to test-results/.
      const target = process.env.PORT_LENS_UPDATE_SCREENSHOTS
        ? path.join(repoRoot(), 'docs', 'images', 'hover.png')
        : path.join(repoRoot(), 'test-results', 'ui', 'hover.png');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await page.screenshot({ path: target, clip });
      const png = fs.readFileSync(target);
      assert.equal(png.subarray(1, 4).toString(), 'PNG', `${target} is not a PNG`);
      assert.ok(png.length > 20_000, `the screenshot ${target} looks empty (${png.length} bytes)`);
    } finally {
      if (original) await page.setViewportSize(original);
    }
  });
});

describe('UI: hover cards on ports passed through a shell function (issue 20)', function () {
  const session = useUiSession({ 'editor.hover.above': false });
  const FUNCTION_SCRIPT = 'deploy/ibmi-access.sh';

  it('shows at the call which command of the function opens the port, and to whom', async () => {
    const { workbench } = session();
    await workbench.openFile(FUNCTION_SCRIPT);
    const card = await hoverOn(workbench, FUNCTION_SCRIPT, 'open_port 8471', '8471');
    assert.match(card, /^8471\/tcp · IBM i database server \(as-database\)$/m);
    assert.match(card, /^Here: argument 1 of open_port \(opens nothing by itself\) \(shell variable\)$/m);
    assert.match(
      card,
      /^Used: opened by open_port \(line 6\): allowed inbound from any source \(iptables, chain INPUT\)$/m,
    );
    assert.match(card, /^⚠️ critical: never expose to any source\./m);
  });
});

/** Drags the south edge (sash) of the hover card down to `toY`, keeping the pointer inside the page. */
async function dragLowerEdge(page: Page, card: Locator, toY: number): Promise<void> {
  const hover = await card.boundingBox();
  assert.ok(hover, 'the hover card should be on screen');
  const sashes = page.locator('.monaco-sash.orthogonal-edge-south:not(.disabled)').filter({ visible: true });
  let edge: { x: number; y: number; width: number; height: number } | undefined;
  for (const sash of await sashes.all()) {
    const box = await sash.boundingBox();
    if (
      box &&
      Math.abs(box.y - (hover.y + hover.height)) < 8 &&
      box.x < hover.x + hover.width &&
      box.x + box.width > hover.x
    )
      edge = box;
  }
  assert.ok(edge, 'the hover card has no lower edge to drag');
  const x = edge.x + edge.width / 2;
  await page.mouse.move(x, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, toY, { steps: 10 });
  await page.mouse.up();
}
