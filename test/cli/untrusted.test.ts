import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, type JsonReport, portlens } from './runCli';

/** A rule that the default settings report as an error, so that a scan of it exits 1. */
const REDIS_OPEN = 'iptables -A INPUT -p tcp --dport 6379 -j ACCEPT\n';
/** Settings that would let REDIS_OPEN through the gate. */
const GATE_OPEN = JSON.stringify({ rules: { 'exposed-critical-port': 'off' } });
/** The first line of a password file: what an error message must never show. */
const SECRET = 'root:x:0:0:root:/root:/bin/bash\n';
/** Long enough for a hang to fail the test, short enough for a slow machine to finish. */
const HANG = 20_000;

describe('portlens scan on an untrusted repository (bundled CLI)', () => {
  let workspace: string;
  let outside: string;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'portlens-untrusted-'));
    outside = mkdtempSync(join(tmpdir(), 'portlens-outside-'));
    writeFileSync(join(workspace, 'open.sh'), REDIS_OPEN);
  });
  afterEach(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const scanJson = (args: string[], cwd = workspace) => {
    const result = portlens(['scan', '--format', 'json', ...args], cwd, {}, HANG);
    assert.notEqual(result.status, null, `the scan ended (stderr: ${result.stderr})`);
    return { ...result, report: JSON.parse(result.stdout) as JsonReport };
  };

  describe('reads', () => {
    it('skips /dev/zero named on the command line, without reading it', () => {
      const started = Date.now();
      const { status, report } = scanJson(['/dev/zero']);
      assert.ok(Date.now() - started < HANG / 2, '/dev/zero was read instead of skipped');
      assert.notEqual(status, 2, 'neither a usage nor an internal error');
      assert.equal(report.files.length, 1);
      assert.equal(report.files[0].skipped, 'not a regular file (character device)');
      assert.deepEqual(report.skipped, [
        { path: report.files[0].path, reason: 'not a regular file (character device)' },
      ]);
    });

    it('sets aside a FIFO inside a scanned folder without opening it, and one named on the command line', function () {
      this.timeout(3 * HANG);
      assert.equal(spawnSync('mkfifo', [join(workspace, 'pipe.sh')]).status, 0, 'mkfifo');
      const walked = scanJson([]);
      assert.equal(walked.status, 1, 'the rest of the folder is scanned');
      assert.deepEqual(
        walked.report.files.map((file) => file.path),
        ['open.sh'],
      );
      assert.deepEqual(walked.report.skipped, [{ path: 'pipe.sh', reason: 'not a regular file (named pipe)' }]);
      assert.match(walked.stderr, /^portlens: warning: skipped pipe\.sh: not a regular file \(named pipe\)$/m);
      const named = scanJson(['pipe.sh']);
      assert.equal(named.report.files[0].skipped, 'not a regular file (named pipe)');
    });

    it('reads a pipe from process substitution no further than the size limit', function () {
      this.timeout(2 * HANG);
      // `yes` never ends: only the limit stops the read. `exec`, so that a timeout stops the CLI itself.
      const result = spawnSync(
        'bash',
        [
          '-c',
          `exec "${process.execPath}" "${CLI}" scan <(yes 'ssh -p 2222 host') --language shellscript --format json`,
        ],
        { cwd: workspace, encoding: 'utf8', timeout: HANG },
      );
      assert.notEqual(result.status, null, 'the scan ended');
      assert.notEqual(result.status, 2, result.stderr);
      const [file] = (JSON.parse(result.stdout) as JsonReport).files;
      assert.match(file.path, /fd\/\d+$/);
      assert.match(file.skipped!, /^larger than the 5 MB limit/);
    });

    it('scans a symlinked file inside the folder, and lists symlinks it does not follow with the reason', () => {
      mkdirSync(join(workspace, 'deploy'));
      writeFileSync(join(workspace, 'deploy', 'real.sh'), 'ssh -p 2222 host\n');
      writeFileSync(join(outside, 'elsewhere.sh'), 'ssh -p 2223 host\n');
      symlinkSync(join('deploy', 'real.sh'), join(workspace, 'linked.sh'));
      symlinkSync(join(outside, 'elsewhere.sh'), join(workspace, 'out.sh'));
      symlinkSync('/dev/zero', join(workspace, 'zero.sh'));
      symlinkSync('missing.sh', join(workspace, 'broken.sh'));
      symlinkSync('deploy', join(workspace, 'deploy-link'));
      const { report, stderr } = scanJson([]);
      assert.deepEqual(
        report.files.map((file) => [file.path, file.mentions.map((mention) => mention.port)]),
        [
          ['deploy/real.sh', [2222]],
          ['linked.sh', [2222]],
          ['open.sh', [6379]],
        ],
      );
      assert.deepEqual(report.skipped, [
        { path: 'broken.sh', reason: 'broken symlink (ENOENT)' },
        { path: 'deploy-link', reason: 'symlinked folder, not walked' },
        { path: 'out.sh', reason: 'symlink leaves the scanned folder' },
        { path: 'zero.sh', reason: 'symlink leaves the scanned folder' },
      ]);
      assert.match(stderr, /^portlens: warning: skipped out\.sh: symlink leaves the scanned folder$/m);
    });

    it('walks a folder without a .gitignore that is a symlink to /dev/zero or out of the folder, or too large', () => {
      mkdirSync(join(workspace, 'zero'));
      mkdirSync(join(workspace, 'out'));
      mkdirSync(join(workspace, 'large'));
      writeFileSync(join(outside, 'ignore-all'), '*\n');
      symlinkSync('/dev/zero', join(workspace, 'zero', '.gitignore'));
      symlinkSync(join(outside, 'ignore-all'), join(workspace, 'out', '.gitignore'));
      writeFileSync(join(workspace, 'large', '.gitignore'), `*\n${'# padding\n'.repeat(300_000)}`);
      for (const folder of ['zero', 'out', 'large']) writeFileSync(join(workspace, folder, 'rule.sh'), REDIS_OPEN);
      const { status, report, stderr } = scanJson([]);
      assert.equal(status, 1);
      assert.deepEqual(
        report.files.map((file) => file.path),
        ['large/rule.sh', 'open.sh', 'out/rule.sh', 'zero/rule.sh'],
      );
      const without = 'the folder was walked without its rules';
      assert.deepEqual(report.skipped, [
        { path: 'large/.gitignore', reason: `larger than the 2 MB limit; ${without}` },
        { path: 'out/.gitignore', reason: `symlink leaves the scanned folder; ${without}` },
        { path: 'zero/.gitignore', reason: `symlink leaves the scanned folder; ${without}` },
      ]);
      assert.match(stderr, /^portlens: warning: skipped zero\/\.gitignore: symlink leaves the scanned folder; /m);
    });

    it('warns about a folder it has no permission to read (needs a non-root user: root reads any folder)', function () {
      if (process.getuid?.() === 0) this.skip();
      mkdirSync(join(workspace, 'locked'));
      writeFileSync(join(workspace, 'locked', 'rule.sh'), REDIS_OPEN);
      chmodSync(join(workspace, 'locked'), 0o000);
      try {
        const { status, report, stderr } = scanJson([]);
        assert.equal(status, 1);
        assert.deepEqual(report.skipped, [{ path: 'locked', reason: 'cannot read this folder (EACCES)' }]);
        assert.match(stderr, /^portlens: warning: skipped locked: cannot read this folder \(EACCES\)$/m);
      } finally {
        chmodSync(join(workspace, 'locked'), 0o755);
      }
    });
  });

  describe('settings files', () => {
    it('passes over a .portlens.json that is a symlink to /dev/zero or out of the folder, with a warning', () => {
      writeFileSync(join(outside, 'settings.json'), GATE_OPEN);
      for (const target of ['/dev/zero', join(outside, 'settings.json')]) {
        rmSync(join(workspace, '.portlens.json'), { force: true });
        symlinkSync(target, join(workspace, '.portlens.json'));
        const { status, stderr } = scanJson([]);
        assert.equal(status, 1, `${target}: the default settings hold the gate`);
        assert.match(
          stderr,
          /^portlens: warning: ignored \.portlens\.json: symlink leaves the scanned folder; the default settings are used$/m,
        );
      }
    });

    it('reads a .portlens.json that is a symlink to a file inside the folder', () => {
      mkdirSync(join(workspace, 'ci'));
      writeFileSync(join(workspace, 'ci', 'portlens.json'), GATE_OPEN);
      symlinkSync(join('ci', 'portlens.json'), join(workspace, '.portlens.json'));
      const { status, stderr } = scanJson([]);
      assert.equal(status, 0, stderr);
    });

    it('refuses a --config that is no regular file or too large, before reading it', () => {
      writeFileSync(join(workspace, 'large.json'), `{"rules": {}, "padding": "${'x'.repeat(1024 * 1024)}"}`);
      for (const [config, reason] of [
        ['/dev/zero', 'not a regular file (character device)'],
        ['large.json', 'larger than the 1 MB limit'],
      ]) {
        const { status, stdout, stderr } = portlens(['scan', '--config', config], workspace, {}, HANG);
        assert.equal(status, 2, config);
        assert.equal(stdout, '');
        assert.ok(stderr.startsWith(`portlens: cannot read the settings file ${config}: ${reason}\n`), stderr);
      }
    });

    it('passes over a found .portlens.json that is too large', () => {
      writeFileSync(join(workspace, '.portlens.json'), `{"padding": "${'x'.repeat(1024 * 1024)}"}`);
      const { status, stderr } = scanJson([]);
      assert.equal(status, 1);
      assert.match(stderr, /^portlens: warning: ignored \.portlens\.json: larger than the 1 MB limit; /m);
    });

    it('says where a settings file is not valid JSON without quoting its text', () => {
      writeFileSync(join(workspace, 'passwd'), SECRET);
      writeFileSync(join(workspace, 'broken.json'), `{\n  "rules": {\n    "exposed-port": ${SECRET}  }\n}\n`);
      symlinkSync('passwd', join(workspace, '.portlens.json'));
      for (const [args, message] of [
        [[], 'cannot read the settings file .portlens.json: not valid JSON (line 1, column 1)'],
        [['--config', 'passwd'], 'cannot read the settings file passwd: not valid JSON (line 1, column 1)'],
        [['--config', 'broken.json'], 'cannot read the settings file broken.json: not valid JSON (line 3, column 21)'],
      ] as const) {
        const { status, stderr } = portlens(['scan', ...args], workspace, {}, HANG);
        assert.equal(status, 2, args.join(' '));
        assert.ok(stderr.startsWith(`portlens: ${message}\n`), stderr);
        // None of the file's text (the usage text that follows says "root" of a repository).
        assert.doesNotMatch(stderr, /root:|\/bin\/bash/);
      }
    });

    it('warns about each invalid setting and uses its default', () => {
      writeFileSync(
        join(workspace, '.portlens.json'),
        JSON.stringify({
          'portLens.rules': { 'exposed-critical-port': 'loud', 'no-such-rule': 'off' },
          trustedNetworks: ['10.20.0.0/16', '10.0.0.0/33'],
          customPorts: { '70000': { name: 'x' }, '6379/tcp': { name: 'session-cache' } },
          maxFileSizeMB: 0,
          colour: 'red',
        }),
      );
      const { status, stderr, report } = scanJson([]);
      assert.equal(status, 1, 'the critical-port rule keeps its default, error');
      assert.deepEqual(stderr.trimEnd().split('\n'), [
        'portlens: warning: .portlens.json: colour: unknown setting',
        'portlens: warning: .portlens.json: rules.exposed-critical-port: must be one of error, warning, information, hint, off',
        'portlens: warning: .portlens.json: rules.no-such-rule: unknown rule id (the rules are listed in docs/rules)',
        'portlens: warning: .portlens.json: trustedNetworks[1]: must be an IPv4 or IPv6 address or CIDR (10.20.0.0/16)',
        'portlens: warning: .portlens.json: customPorts.70000: must be a port or range of ports from 1 to 65535 (9443, 9000-9010/udp)',
        'portlens: warning: .portlens.json: maxFileSizeMB: must be a number of megabytes above 0',
      ]);
      assert.equal(report.files[0].skipped, undefined, 'a limit of 0 MB would have skipped every file');
      assert.equal(report.files[0].mentions[0].service, 'session-cache', 'the valid custom note is still read');
      const [finding] = report.files[0].findings as { fixes: string[] }[];
      assert.equal(finding.fixes[0], 'Restrict the source to trusted networks (10.20.0.0/16)');
    });

    it('refuses a trusted network that covers every address', () => {
      writeFileSync(
        join(workspace, '.portlens.json'),
        JSON.stringify({ trustedNetworks: ['0.0.0.0/0', '::/0', '10.20.0.0/16'] }),
      );
      const { report, stderr } = scanJson([]);
      for (const index of [0, 1])
        assert.match(
          stderr,
          new RegExp(
            `^portlens: warning: \\.portlens\\.json: trustedNetworks\\[${index}\\]: counts as any source, so "Restrict the source" would restrict nothing$`,
            'm',
          ),
        );
      const [finding] = report.files[0].findings as { fixes: string[] }[];
      assert.equal(finding.fixes[0], 'Restrict the source to trusted networks (10.20.0.0/16)');
    });

    it('reads only --config with --no-config-lookup, never the scanned folder’s .portlens.json', () => {
      writeFileSync(join(workspace, '.portlens.json'), GATE_OPEN);
      writeFileSync(join(outside, 'ci.json'), JSON.stringify({ rules: { 'exposed-critical-port': 'warning' } }));
      assert.equal(scanJson([]).status, 0, 'the repository’s own settings open the gate');
      assert.equal(scanJson(['--no-config-lookup']).status, 1);
      const configured = scanJson(['--no-config-lookup', '--config', join(outside, 'ci.json')]);
      assert.equal((configured.report.files[0].findings[0] as { severity: string }).severity, 'warning');
      const { status, stderr } = portlens(['scan', '--no-config-lookup=yes'], workspace);
      assert.equal(status, 2);
      assert.ok(stderr.startsWith('portlens: --no-config-lookup takes no value\n'), stderr);
    });
  });

  it('takes every argument after -- as a path, even one that looks like an option', () => {
    writeFileSync(join(workspace, '--help'), `#!/bin/sh\n${REDIS_OPEN}`);
    writeFileSync(join(workspace, '-p.sh'), 'ssh -p 2222 host\n');
    const { status, report } = scanJson(['--', '--help', '-p.sh']);
    assert.equal(status, 1);
    assert.deepEqual(
      report.files.map((file) => [file.path, file.mentions.map((mention) => mention.port)]),
      [
        ['--help', [6379]],
        ['-p.sh', [2222]],
      ],
    );
    const unknown = portlens(['scan', '--help.sh'], workspace);
    assert.equal(unknown.status, 2, 'before --, an argument that starts with -- is an option');
  });
});
