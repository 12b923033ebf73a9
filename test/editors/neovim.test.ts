/**
 * A real third-party LSP client: Debian's Neovim, headless, runs test/editors/neovim.lua against the bundled
 * server over stdio. Neovim 0.7 does not pull diagnostics, so this is the path that Neovim, Emacs eglot and most
 * other editors take: pushed diagnostics, settings through the client, code actions applied by the editor.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortLensService } from '../../server/src/service/portLensService';
import { ROOT, openedExample, requireInstalled } from './tools';

interface NeovimReport {
  error?: string;
  pushed: boolean;
  diagnostics: { line: number; col: number; code: string; message: string }[];
  hover: string | null;
  titles: string[];
  codeActionError: unknown;
  text: string;
  ruleOffApplied: boolean;
  afterRuleOff: { line: number; code: string }[];
  unopened: { line: number; code: string }[];
}

describe('Neovim (headless, its built-in LSP client) with the bundled server', function () {
  this.timeout(90_000);
  let folder: string;

  before(function () {
    requireInstalled('nvim', 'apt-get install neovim');
    folder = mkdtempSync(join(tmpdir(), 'portlens-nvim-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('shows pushed diagnostics, hovers, applies the restrict fix and honours a rule set to off', async () => {
    const { file, text, line, env } = openedExample(folder);
    const out = join(folder, 'report.json');
    // Never opened in Neovim: the server's own workspace scan finds it, since this client cannot pull.
    const unopened = join(folder, 'rules.v4');
    writeFileSync(unopened, '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 1363 -j ACCEPT\nCOMMIT\n');
    const run = spawnSync('nvim', ['--headless', '--clean', '-u', join(ROOT, 'test', 'editors', 'neovim.lua')], {
      env: { ...env, PORTLENS_NVIM_OUT: out, PORTLENS_UNOPENED: unopened },
      encoding: 'utf8',
      timeout: 80_000,
    });
    assert.equal(run.status, 0, `nvim exited with ${run.status}: ${run.stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as NeovimReport;
    assert.equal(report.error, undefined);

    assert.ok(report.pushed, 'diagnostics were shown');
    const open446 = report.diagnostics.find((item) => item.line === line && item.code === 'exposed-critical-port');
    assert.ok(open446, JSON.stringify(report.diagnostics));
    assert.match(open446.message, /446 is open to any source/);
    assert.ok(
      !report.diagnostics.some((item) => item.code === 'cleartext-protocol'),
      'cleartext-protocol is off through init_options',
    );

    assert.match(String(report.hover), /^\*\*446\/tcp\*\* · IBM i DDM\/DRDA$/m);
    assert.deepEqual(report.unopened, [{ line: 2, code: 'exposed-critical-port' }], 'the unopened rule file');

    // The edit Neovim applied is the engine's own fix for that finding.
    const service = await PortLensService.create();
    const scan = service.scan({ text, path: file });
    const finding = scan.findings.find(
      (item) =>
        item.ruleId === 'exposed-critical-port' && text.slice(0, item.span.start).split('\n').length - 1 === line,
    )!;
    const fix = finding.fixes.find((item) => item.title.startsWith('Restrict the source'))!;
    assert.equal(report.codeActionError, null);
    assert.ok(report.titles.includes(fix.title), JSON.stringify(report.titles));
    const edits = [...fix.edits].sort((a, b) => b.span.start - a.span.start);
    const fixed = edits.reduce(
      (result, edit) => result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end),
      text,
    );
    assert.equal(report.text, fixed.replace(/\n$/, ''));

    assert.ok(report.ruleOffApplied, 'the rule set to off through the client went away');
    assert.ok(
      report.afterRuleOff.some((item) => item.code === 'cleartext-protocol'),
      'the settings sent replace those of init_options: cleartext-protocol reports again',
    );
  });
});
