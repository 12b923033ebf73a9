/**
 * The npm package as a user gets it: `npm pack` (which builds the bundles), installed from the tarball into an
 * empty prefix, and both bins run from there. Nothing of the repository is on their path.
 */
import * as assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type InitializeResult,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-languageserver-protocol/node';

const ROOT = join(__dirname, '..', '..', '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the npm package, packed and installed', function () {
  this.timeout(180_000);
  let folder: string;
  let bin: string;
  let packed: string[];

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'portlens-package-'));
    // `npm pack` runs prepack, which builds the bundles; its scripts also write to stdout, so the tarball is found
    // by name and listed with tar.
    execFileSync('npm', ['pack', '--pack-destination', folder], { cwd: ROOT, stdio: 'pipe' });
    const tarball = join(folder, readdirSync(folder).find((name) => name.endsWith('.tgz'))!);
    packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ''))
      .sort();
    const prefix = join(folder, 'prefix');
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: folder,
      encoding: 'utf8',
    });
    bin = join(prefix, 'bin');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('holds the two bundles, the wasm files and the rule pages, and nothing of the sources', () => {
    for (const path of [
      'server/out/portlens.js',
      'server/out/server.js',
      'server/out/tree-sitter-bash.wasm',
      'docs/rules/scan-incomplete.md',
    ])
      assert.ok(packed.includes(path), `${path} is in the package`);
    assert.deepEqual(
      packed.filter(
        (path) => /^(server\/src|client\/src|test|node_modules|examples)\//.test(path) || path.endsWith('.map'),
      ),
      [],
    );
  });

  it('runs `portlens` from the install: --version and a scan', () => {
    assert.equal(execFileSync(join(bin, 'portlens'), ['--version'], { encoding: 'utf8' }), `${version}\n`);
    let report = '';
    try {
      execFileSync(
        join(bin, 'portlens'),
        ['scan', '--format', 'json', join(ROOT, 'examples', 'shell', 'ibmi-access.sh')],
        {
          encoding: 'utf8',
        },
      );
    } catch (error) {
      // Exit status 1: the example has errors, which is what it is for.
      report = (error as { stdout: string }).stdout;
    }
    const [file] = (JSON.parse(report) as { files: { findings: { ruleId: string; port: number }[] }[] }).files;
    assert.ok(file.findings.some((finding) => finding.ruleId === 'exposed-critical-port' && finding.port === 446));
  });

  it('runs `portlens-language-server --stdio` from the install: it initializes and hovers', async () => {
    const child: ChildProcess = spawn(join(bin, 'portlens-language-server'), ['--stdio'], { stdio: 'pipe' });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    connection.listen();
    try {
      const initialized = await connection.sendRequest<InitializeResult>('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      });
      assert.equal(initialized.serverInfo?.name, 'Port Lens');
      await connection.sendNotification('initialized', {});
      const uri = 'file:///workspace/open.sh';
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'sh', version: 1, text: 'ufw allow 447/tcp\n' },
      });
      const hover = await connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 0, character: 11 },
      });
      assert.match(hover?.contents.value ?? '', /^\*\*447\/tcp\*\* · /m);
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
