/**
 * A second real third-party LSP client: Debian's Emacs with its eglot package, in batch mode, runs
 * test/editors/emacs.el against the bundled server over stdio. eglot takes pushed diagnostics only, into flymake,
 * answers `workspace/configuration` with null when nothing is set, and sends its settings as initializationOptions.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openedExample, requireInstalled } from './tools';

interface EmacsReport {
  error?: string;
  pushed: boolean;
  diagnostics: { line: number; col: number; message: string }[];
  hover: string | null;
  titles: string[];
}

describe('Emacs (batch, eglot) with the bundled server', function () {
  this.timeout(90_000);
  let folder: string;

  before(function () {
    requireInstalled('emacs', 'emacs-nox, elpa-eglot');
    folder = mkdtempSync(join(tmpdir(), 'portlens-emacs-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('shows pushed diagnostics in flymake, hovers and offers the fixes, with the settings it sent', () => {
    const { line, env } = openedExample(folder);
    const out = join(folder, 'report.json');
    const run = spawnSync('emacs', ['--batch', '-Q', '-l', join(ROOT, 'test', 'editors', 'emacs.el')], {
      env: { ...env, PORTLENS_EMACS_OUT: out },
      encoding: 'utf8',
      timeout: 80_000,
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as EmacsReport;
    assert.equal(report.error, undefined, run.stderr);
    assert.equal(run.status, 0, `emacs exited with ${run.status}: ${run.stderr}`);

    assert.ok(report.pushed, 'flymake shows the diagnostics the server pushed');
    const open446 = report.diagnostics.find((item) => item.line === line && /exposed-critical-port/.test(item.message));
    assert.ok(open446, JSON.stringify(report.diagnostics));
    assert.match(open446.message, /446 is open to any source/);
    assert.ok(
      !report.diagnostics.some((item) => /cleartext-protocol/.test(item.message)),
      'cleartext-protocol is off through initializationOptions, although eglot answers null when asked',
    );

    assert.match(String(report.hover), /^\*\*446\/tcp\*\* · IBM i DDM\/DRDA$/m);
    assert.ok(
      report.titles.some((title) => title.startsWith('Restrict the source')),
      JSON.stringify(report.titles),
    );
    assert.ok(report.titles.includes('Show documentation for exposed-critical-port'), JSON.stringify(report.titles));
  });
});
