/**
 * Issue 22 in a real VS Code: the Ports view lists every port of the workspace without opening a file, as the CLI
 * reports them; "only exposures" hides outbound uses, definitions and denies; a row opens its line; the status bar
 * counts the exposures and focuses the view; a file created on disk shows up in the view and in the Problems panel
 * without being opened.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type InventoryFile, group, summary } from '../../client/src/ports/portsModel';
import type { Workbench } from './codeServer';
import { eventually, repoRoot, useUiSession } from './session';

const STATUS_ITEM = '.statusbar-item[id$="portLens.workspacePorts"]';
const PORTS_CONTAINER = 'div[id="workbench.view.extension.portLens"]';
const EXPLORER_PORTS = 'div[id="workbench.view.explorer"] .pane:has(> .pane-header[aria-label="Ports Section"])';

/** The workspace as the CLI reports it, in the shape the view reads from the server. */
function cliInventory(workspace: string): InventoryFile[] {
  const cli = path.join(repoRoot(), 'server', 'out', 'portlens.js');
  const run = spawnSync(process.execPath, [cli, 'scan', '.', '--format', 'json', '--fail-on', 'none'], {
    cwd: workspace,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const files = (JSON.parse(run.stdout) as { files: Omit<InventoryFile, 'uri'>[] }).files;
  return files.map((file) => ({ ...file, uri: pathToFileURL(path.join(workspace, file.path)).href }));
}

/**
 * Clicks a button of the view's title bar, which VS Code shows while the pointer is over the view. A container
 * with one view shows them in the side bar's own title.
 */
async function clickViewAction(workbench: Workbench, scope: string, title: string): Promise<void> {
  await workbench.page.locator(scope).hover();
  await workbench.page
    .locator(`.part.sidebar .action-label[aria-label="${title}"]`)
    .filter({ visible: true })
    .first()
    .click();
}

/** The view's rows at one level, as their accessible labels (label, then description). */
async function rows(workbench: Workbench, scope: string, level: number): Promise<string[]> {
  return workbench.page
    .locator(`${scope} .monaco-list-row[aria-level="${level}"]`)
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
}

const statusText = async (workbench: Workbench) =>
  ((await workbench.page.locator(STATUS_ITEM).allInnerTexts())[0] ?? '').replace(/\s+/g, ' ').trim();

describe('UI: the Ports view (issue 22)', function () {
  const session = useUiSession({ 'portLens.workspaceDiagnostics': true });

  it('counts the workspace in the status bar before any file is open, and a click there shows the view', async () => {
    const { workbench, workspace } = session();
    const { exposures, ports } = summary(cliInventory(workspace));
    assert.ok(exposures > 0 && ports > 0);
    await eventually(
      'the counts in the status bar',
      () => statusText(workbench),
      (text) => text === `${exposures} exposures · ${ports} ports`,
    );
    await workbench.page.locator(STATUS_ITEM).click();
    await workbench.page.locator(`${EXPLORER_PORTS} .monaco-list-row`).first().waitFor();
  });

  it('lists the ports by port, and "only exposures" hides the outbound uses, definitions and denies', async () => {
    const { workbench, workspace } = session();
    const inventory = cliInventory(workspace);
    const labels = (only: boolean) =>
      group(inventory, 'port', only).map((found) => `${found.label} ${found.description}`);
    await workbench.page.locator('.activitybar .action-item a[aria-label^="Port Lens"]').click();
    await eventually(
      'every port of the workspace',
      () => rows(workbench, PORTS_CONTAINER, 1),
      (shown) => sameList(shown, labels(false)),
    );
    const hidden = labels(false).filter((label) => !labels(true).includes(label));
    assert.ok(hidden.length > 0, 'the fixture workspace has ports it only connects to or denies');

    await clickViewAction(workbench, PORTS_CONTAINER, 'Show Only Exposures');
    await eventually(
      'only the exposed ports',
      () => rows(workbench, PORTS_CONTAINER, 1),
      (shown) => sameList(shown, labels(true)),
    );
    await clickViewAction(workbench, PORTS_CONTAINER, 'Show All Uses');
    await eventually(
      'every port again',
      () => rows(workbench, PORTS_CONTAINER, 1),
      (shown) => sameList(shown, labels(false)),
    );
  });

  it('opens the file of a row at its line', async () => {
    const { workbench, workspace } = session();
    const apiGroup = group(cliInventory(workspace), 'port', false).find((found) => found.label === '1363');
    assert.ok(apiGroup, 'the fixtures open the Connect:Direct API port');
    const target = apiGroup.rows[0];
    const file = path.relative(workspace, new URL(target.file.uri).pathname);
    await workbench.page.locator(`${PORTS_CONTAINER} .monaco-list-row[aria-level="1"][aria-label^="1363 "]`).click();
    const row = workbench.page
      .locator(`${PORTS_CONTAINER} .monaco-list-row[aria-level="2"]`)
      .filter({ hasText: `${file}:${target.line}` })
      .first();
    await row.click();
    await workbench.page
      .locator(`.editor-group-container.active .monaco-editor[data-uri$="/${path.basename(file)}"]`)
      .waitFor();
    await eventually(
      "the cursor on the row's line",
      async () =>
        (await workbench.page.locator('.statusbar-item[id="status.editor.selection"]').allInnerTexts())[0] ?? '',
      (text) => text.includes(`Ln ${target.line}, Col ${target.column}`),
    );
  });

  it('shows a file created on disk, in the view and in the Problems panel, without it being opened', async () => {
    const { workbench, workspace } = session();
    const before = summary(cliInventory(workspace));
    const added = path.join(workspace, 'deploy', 'open-cd-api.sh');
    fs.writeFileSync(added, '#!/bin/sh\niptables -A INPUT -p tcp --dport 1363 -j ACCEPT\n');
    const after = summary(cliInventory(workspace));
    assert.equal(after.exposures, before.exposures + 1);
    await eventually(
      'the new exposure counted in the status bar',
      () => statusText(workbench),
      (text) => text === `${after.exposures} exposures · ${after.ports} ports`,
    );
    const group1363 = workbench.page.locator(
      `${PORTS_CONTAINER} .monaco-list-row[aria-level="1"][aria-label^="1363 "]`,
    );
    if ((await group1363.getAttribute('aria-expanded')) !== 'true') await group1363.click();
    await eventually(
      'the new file under port 1363',
      () => rows(workbench, PORTS_CONTAINER, 2),
      (shown) => shown.some((label) => label.startsWith('deploy/open-cd-api.sh:2 allow · any')),
    );
    const [finding] = cliInventory(workspace).find((file) => file.path.endsWith('open-cd-api.sh'))!.findings;
    const row = `${finding.message} Port Lens ${finding.ruleId} [Ln ${finding.line}, Col ${finding.column}]`;
    await eventually(
      'its finding in the Problems panel',
      () => workbench.problems(),
      (all) => all.includes(row),
    );
  });
});

function sameList(shown: readonly string[], expected: readonly string[]): boolean {
  return shown.length === expected.length && shown.every((label, index) => label === expected[index]);
}
