/**
 * Issue 5 in a real VS Code: a risky line gets a squiggle and a Problems entry with its rule id, Ctrl+. offers
 * the fix and the ignore actions, and applying the fix (or an ignore with its reason) clears the finding.
 */
import * as assert from 'node:assert/strict';
import type { Workbench } from './codeServer';
import { eventually, positionIn, useUiSession } from './session';

const TRUSTED = '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16';

/** The Problems rows that belong to Port Lens (rows read "message Port Lens rule-id [Ln l, Col c]"). */
const portLensRows = (rows: string[]) => rows.filter((row) => / Port Lens /.test(row));

/** Waits until the active editor shows no squiggle of any kind. */
async function noSquigglesLeft(workbench: Workbench): Promise<void> {
  await eventually(
    'no squiggles left',
    async () => {
      const counts = await Promise.all(
        (['error', 'warning', 'info', 'hint'] as const).map((kind) => workbench.squiggleCount(kind)),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
    (n) => n === 0,
  );
}

describe('UI: diagnostics and quick fixes (issue 5)', function () {
  const session = useUiSession();

  it('squiggles an open PostgreSQL port, lists it in Problems, and the fix clears it', async () => {
    const { workbench } = session();
    const file = 'deploy/open-postgres.sh';
    await workbench.openFile(file);
    // `iptables -A INPUT -p tcp --dport 5432 -j ACCEPT`: SSH-class port open to any source, a warning
    await eventually(
      'one warning squiggle',
      () => workbench.squiggleCount('warning'),
      (n) => n === 1,
    );
    assert.equal(await workbench.squiggleCount('error'), 0);

    const finding = 'PostgreSQL port 5432 is open to any source Port Lens exposed-sensitive-port [Ln 3, Col 34]';
    const rows = await eventually(
      'the finding in the Problems panel',
      () => workbench.problems(),
      (all) => all.includes(finding),
    );
    assert.deepEqual(portLensRows(rows), [finding]);

    const { line, column } = positionIn(file, '--dport 5432', '5432');
    await workbench.gotoPosition(line, column);
    const fix = `Restrict the source to trusted networks (${TRUSTED})`;
    assert.deepEqual(await workbench.quickFixTitles(), [
      fix,
      'Ignore exposed-sensitive-port on this line (with a reason)',
      'Ignore exposed-sensitive-port in this file (with a reason)',
      'Show documentation for exposed-sensitive-port',
    ]);

    await workbench.applyQuickFix(fix);
    const fixed = 'iptables -A INPUT -s 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 -p tcp --dport 5432 -j ACCEPT';
    const text = await eventually(
      'the restricted rule in the editor',
      () => workbench.editorText(),
      (t) => t.includes(fixed),
    );
    assert.equal(
      text.split('\n').filter((l) => l.startsWith('iptables')).length,
      1,
      `one rule, edited in place:\n${text}`,
    );
    // Private networks only: PostgreSQL earns nothing there (GUIDE section 2), so the finding is gone.
    await noSquigglesLeft(workbench);
    await eventually(
      'no Port Lens rows for the fixed file in Problems',
      () => workbench.problems(),
      (all) => !all.some((row) => row.includes('port 5432')),
    );
  });

  it('ignores a finding on its line with the reason typed where the cursor lands', async () => {
    const { workbench } = session();
    const file = 'deploy/open-mysql.sh';
    await workbench.openFile(file);
    await eventually(
      'one warning squiggle',
      () => workbench.squiggleCount('warning'),
      (n) => n === 1,
    );

    const { line, column } = positionIn(file, '--dport 3306', '3306');
    await workbench.gotoPosition(line, column);
    await workbench.applyQuickFix('Ignore exposed-sensitive-port on this line (with a reason)');
    const comment = '# portlens-ignore-next-line exposed-sensitive-port -- ';
    await eventually(
      'the suppression comment above the rule',
      () => workbench.editorText(),
      (t) => t.includes(`${comment}\niptables -A INPUT -p tcp --dport 3306 -j ACCEPT`),
    );
    // Then the extension's command puts the cursor after "-- " (the status bar shows where): type the reason there.
    const cursor = workbench.page.locator('.statusbar-item[id="status.editor.selection"]');
    await eventually(
      'the cursor where the reason goes',
      () => cursor.innerText(),
      (t) => t.trim() === `Ln ${line}, Col ${comment.length + 1}`,
    );
    await workbench.page.keyboard.type('reporting hosts come in over the VPN only');
    await eventually(
      'the reason in the comment, above the untouched rule',
      () => workbench.editorText(),
      (t) =>
        /^# portlens-ignore-next-line exposed-sensitive-port -- reporting hosts come in over the VPN only\niptables -A INPUT -p tcp --dport 3306 -j ACCEPT$/m.test(
          t,
        ),
    );
    // Suppressed, and with a reason: neither the finding nor a suppression-without-reason hint remains.
    await noSquigglesLeft(workbench);
    await eventually(
      'no Problems rows for the MySQL script',
      () => workbench.problems(),
      (all) => !all.some((row) => /3306|open-mysql|suppression/.test(row)),
    );
  });

  it('warns in a .portlens.json where a trusted network counts as any source, beside the schema', async () => {
    const { workbench } = session();
    // settings/.portlens.json is valid for the schema VS Code checks it with; only the server knows that it opens
    // everything. It is part of the workspace from the start, so that Quick Open finds it.
    await workbench.openFile('settings/.portlens.json');
    const warning =
      'trustedNetworks[1]: counts as any source, so "Restrict the source" would restrict nothing Port Lens [Ln 2, Col 37]';
    const rows = await eventually(
      'the settings warning in the Problems panel',
      () => workbench.problems(),
      (all) => all.includes(warning),
    );
    assert.deepEqual(
      rows.filter((row) => row.includes('trustedNetworks')),
      [warning],
    );
    // The file's header counts one problem: the schema's checks and the server's do not say the same thing twice.
    assert.ok(
      rows.some((row) => row.startsWith('.portlens.json') && row.endsWith(' 1')),
      JSON.stringify(rows),
    );
    assert.equal(await workbench.squiggleCount('warning'), 1);
  });
});
