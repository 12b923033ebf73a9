import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../../server/src/rules/catalog';
import { spawnSync } from 'node:child_process';
import { CLI, type JsonReport, portlens } from './runCli';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { problemMatchers: { name: string; pattern: Record<string, string | number> }[] };
};

describe('CLI options and integrations', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'portlens-integrations-'));
    writeFileSync(
      join(workspace, 'open.sh'),
      '#!/bin/sh\niptables -A INPUT -p tcp --dport 1363 -j ACCEPT\nufw allow 23/tcp\n',
    );
    writeFileSync(join(workspace, 'README.md'), 'Nothing to see.\n');
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('-o writes the report to a file, the same as on standard output', () => {
    const stdout = portlens(['scan', '--format', 'json', '.'], workspace);
    const written = portlens(['scan', '--format', 'json', '-o', 'report.json', '.'], workspace);
    assert.equal(written.status, stdout.status);
    assert.equal(written.stdout, '');
    assert.equal(readFileSync(join(workspace, 'report.json'), 'utf8'), stdout.stdout);
    const long = portlens(['scan', '--format', 'json', '--output=again.json', '.'], workspace);
    assert.equal(long.status, 1);
    assert.ok(existsSync(join(workspace, 'again.json')));
    const unwritable = portlens(['scan', '-o', join(workspace, 'missing', 'r.json'), '.'], workspace);
    assert.equal(unwritable.status, 2);
    assert.match(unwritable.stderr, /cannot write the report to/);
  });

  it('--rule sets a severity over the defaults, and refuses an unknown rule or severity', () => {
    const severities = (...extra: string[]) =>
      (JSON.parse(portlens(['scan', '--format', 'json', ...extra, '.'], workspace).stdout) as JsonReport).files
        .flatMap((file) => file.findings as { ruleId: string; severity: string }[])
        .map((finding) => `${finding.ruleId}:${finding.severity}`)
        .sort();
    assert.ok(severities().includes('exposed-critical-port:error'));
    const changed = severities('--rule', 'exposed-critical-port=off', '--rule=cleartext-protocol=warning');
    assert.ok(!changed.some((entry) => entry.startsWith('exposed-critical-port')), changed.join());
    assert.ok(changed.includes('cleartext-protocol:warning'), changed.join());
    for (const bad of ['no-such-rule=off', 'exposed-port=loud', 'exposed-port']) {
      const refused = portlens(['scan', '--rule', bad, '.'], workspace);
      assert.equal(refused.status, 2, bad);
      assert.match(refused.stderr, /--rule/);
    }
  });

  it('--exclude passes over what a .gitignore pattern matches under the scanned folder, not a named file', () => {
    mkdirSync(join(workspace, 'vendor'));
    writeFileSync(join(workspace, 'vendor', 'upstream.sh'), 'iptables -A INPUT -p tcp --dport 6379 -j ACCEPT\n');
    writeFileSync(join(workspace, 'open.test.sh'), 'iptables -A INPUT -p tcp --dport 2375 -j ACCEPT\n');
    const paths = (...args: string[]) =>
      (JSON.parse(portlens(['scan', '--format', 'json', ...args], workspace).stdout) as JsonReport).files
        .map((file) => file.path)
        .sort();
    assert.deepEqual(paths('.'), ['open.sh', 'open.test.sh', 'vendor/upstream.sh']);
    assert.deepEqual(paths('--exclude', 'vendor/', '--exclude=*.test.sh', '.'), ['open.sh']);
    assert.deepEqual(paths('--exclude', 'vendor/', 'vendor/upstream.sh'), ['vendor/upstream.sh']);
  });

  it('finds .portlens.json up to the root of the repository, and no further', () => {
    const ruleOff = JSON.stringify({ rules: { 'exposed-critical-port': 'off' } });
    mkdirSync(join(workspace, 'deploy'));
    writeFileSync(join(workspace, 'deploy', 'open.sh'), 'iptables -A INPUT -p tcp --dport 1363 -j ACCEPT\n');
    writeFileSync(join(workspace, '.portlens.json'), ruleOff);
    const critical = () =>
      (JSON.parse(portlens(['scan', '--format', 'json', 'deploy'], workspace).stdout) as JsonReport).files
        .flatMap((file) => file.findings as { ruleId: string }[])
        .filter((finding) => finding.ruleId === 'exposed-critical-port').length;
    // Not in a repository: only the scanned folder's settings count.
    assert.equal(critical(), 1);
    mkdirSync(join(workspace, '.git'));
    assert.equal(critical(), 0);
    // A folder above the repository is not read.
    const nested = join(workspace, 'nested');
    mkdirSync(join(nested, '.git'), { recursive: true });
    mkdirSync(join(nested, 'deploy'));
    writeFileSync(join(nested, 'deploy', 'open.sh'), 'iptables -A INPUT -p tcp --dport 1363 -j ACCEPT\n');
    const inNested = portlens(['scan', '--format', 'json', join('nested', 'deploy')], workspace);
    const nestedFindings = (JSON.parse(inNested.stdout) as JsonReport).files[0].findings as { ruleId: string }[];
    assert.ok(nestedFindings.some((finding) => finding.ruleId === 'exposed-critical-port'));
    assert.equal(portlens(['scan', '--no-config-lookup', '--format', 'json', 'deploy'], workspace).status, 1);
  });

  it('the GitHub Action annotates the findings, writes SARIF and gates the job', () => {
    const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    const inputs = [
      ...action.slice(action.indexOf('\ninputs:'), action.indexOf('\nruns:')).matchAll(/^ {2}([a-z-]+):$/gm),
    ].map((match) => match[1]);
    assert.deepEqual(inputs, ['path', 'fail-on', 'sarif-file', 'config', 'version']);
    for (const input of inputs) assert.match(action, new RegExp(`\\$\\{\\{ inputs\\.${input} \\}\\}`), input);
    const step = (env: Record<string, string>) => {
      const result = spawnSync('bash', [join(ROOT, 'scripts', 'action.sh')], {
        cwd: workspace,
        encoding: 'utf8',
        env: { ...process.env, PORTLENS_CLI: CLI, PORTLENS_PATHS: '.', ...env },
      });
      return { status: result.status, stdout: result.stdout };
    };
    const gate = step({ PORTLENS_SARIF: 'port-lens.sarif' });
    assert.equal(gate.status, 1);
    assert.match(gate.stdout, /^::error file=open\.sh,line=2,.*title=Port Lens exposed-critical-port::/m);
    const sarif = JSON.parse(readFileSync(join(workspace, 'port-lens.sarif'), 'utf8')) as {
      runs: { results: unknown[] }[];
    };
    assert.ok(sarif.runs[0].results.length > 0);
    assert.equal(step({ PORTLENS_FAIL_ON: 'none' }).status, 0);
    writeFileSync(join(workspace, 'ci.json'), JSON.stringify({ rules: { 'exposed-critical-port': 'off' } }));
    assert.equal(step({ PORTLENS_CONFIG: 'ci.json' }).status, 0);
  });

  it('the $portlens problem matcher reads every line of --format compact', () => {
    const matcher = manifest.contributes.problemMatchers.find((candidate) => candidate.name === 'portlens');
    assert.ok(matcher);
    const regexp = new RegExp(matcher.pattern.regexp as string);
    const lines = portlens(['scan', '--format', 'compact', '.'], workspace).stdout.trim().split('\n');
    assert.ok(lines.length >= 2, lines.join('\n'));
    for (const line of lines) {
      const match = regexp.exec(line);
      assert.ok(match, line);
      const field = (name: string): string => match[matcher.pattern[name] as number];
      assert.equal(field('file'), 'open.sh');
      assert.ok(Number(field('line')) >= 2 && Number(field('column')) >= 1, line);
      assert.ok(
        RULES.some((rule) => rule.id === field('code')),
        line,
      );
    }
  });

  it('the pre-commit hook fails a commit that opens a critical port, and passes other files', () => {
    const hooks = readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    const entry = /^\s*entry:\s*(.+)$/m.exec(hooks)?.[1].trim().split(/\s+/) ?? [];
    assert.deepEqual(entry.slice(0, 2), ['portlens', 'scan']);
    assert.match(hooks, /^\s*language:\s*node$/m);
    // pre-commit appends the staged files' paths to the entry.
    const run = (...files: string[]) => portlens([...entry.slice(1), ...files], workspace);
    const risky = run('open.sh', 'README.md');
    assert.equal(risky.status, 1);
    assert.match(risky.stdout, /^open\.sh:2:\d+: error: .*\[exposed-critical-port\]$/m);
    writeFileSync(join(workspace, 'safe.sh'), '#!/bin/sh\nssh -p 22 admin@host\n');
    assert.equal(run('safe.sh', 'README.md').status, 0);
  });
});
