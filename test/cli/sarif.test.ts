import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { LspClient } from '../lsp/lspClient';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'server', 'out', 'portlens.js');
const SARIF_SCHEMA = join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

function portlens(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The parts of a SARIF log these tests read; the schema check covers the rest. */
interface SarifResult {
  ruleId: string;
  level: string;
  locations: { physicalLocation: { region: unknown; artifactLocation: { uri: string } } }[];
  fixes?: { artifactChanges: { replacements: { insertedContent: { text: string } }[] }[] }[];
  suppressions?: unknown;
}
interface SarifLog {
  runs: {
    tool: {
      driver: {
        rules: {
          id: string;
          shortDescription: { text: string };
          helpUri: string;
          defaultConfiguration: { level: string };
          properties: Record<string, unknown>;
        }[];
      };
    };
    results: SarifResult[];
  }[];
}

/** The parts of the JSON contract (GUIDE section 1) these tests read. */
interface JsonFinding {
  ruleId: string;
  line: number;
  column: number;
  fixes: string[];
}
interface JsonReport {
  files: { path: string; language: string; findings: JsonFinding[]; suppressedFindings: JsonFinding[] }[];
}

const RISKY = [
  '#!/bin/sh',
  'iptables -A INPUT -p tcp --dport 1363 -j ACCEPT',
  '# portlens-ignore-next-line exposed-sensitive-port -- partners connect from anywhere, netmap checking is on',
  'ufw allow 1364/tcp',
  'ufw allow from 10.0.0.0/8 to any port 447 proto tcp',
].join('\n');

describe('portlens scan: findings, SARIF, exit codes and settings', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'portlens-sarif-'));
    writeFileSync(join(workspace, 'open-ports.sh'), `${RISKY}\n`);
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('writes SARIF 2.1.0 that passes the schema, with rules, levels, suppressions and fixes', () => {
    const { status, stdout } = portlens(['scan', '--format', 'sarif', '--fail-on', 'none'], workspace);
    assert.equal(status, 0);
    const log = JSON.parse(stdout) as SarifLog;
    // The schema's language-tag pattern is not valid with the u flag; ajv must read patterns as plain RegExps.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const [run] = log.runs;
    for (const rule of run.tool.driver.rules) {
      assert.ok(
        rule.id && rule.shortDescription.text && /^https:\/\//.test(rule.helpUri) && rule.defaultConfiguration.level,
      );
      assert.equal(typeof rule.properties['security-severity'], 'string');
    }
    const api = run.results.find((result) => result.ruleId === 'exposed-critical-port')!;
    assert.equal(api.level, 'error');
    assert.deepEqual(api.locations[0].physicalLocation.region, {
      startLine: 2,
      startColumn: 34,
      endLine: 2,
      endColumn: 38,
    });
    assert.equal(api.locations[0].physicalLocation.artifactLocation.uri, 'open-ports.sh');
    assert.equal(
      api.fixes?.[0].artifactChanges[0].replacements[0].insertedContent.text,
      ' -s 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16',
    );
    const suppressed = run.results.find((result) => result.ruleId === 'exposed-sensitive-port');
    assert.deepEqual(suppressed?.suppressions, [
      { kind: 'inSource', justification: 'partners connect from anywhere, netmap checking is on' },
    ]);
    for (const result of run.results) for (const fix of result.fixes ?? []) assert.ok(fix.artifactChanges.length > 0);
  });

  it('fingerprints results so that they survive lines added above, and ships each rule page as help', () => {
    const fingerprints = () => {
      const log = JSON.parse(portlens(['scan', '--format', 'sarif', '--fail-on', 'none'], workspace).stdout) as {
        runs: {
          results: { ruleId: string; partialFingerprints: Record<string, string> }[];
          tool: { driver: { rules: { id: string; help: { markdown: string }; fullDescription: { text: string } }[] } };
        }[];
      };
      const [run] = log.runs;
      for (const rule of run.tool.driver.rules) {
        assert.match(rule.help.markdown, new RegExp(`^# ${rule.id}\n`));
        assert.ok(rule.fullDescription.text);
      }
      return run.results.map((result) => `${result.ruleId} ${result.partialFingerprints['portlens/v1']}`);
    };
    const before = fingerprints();
    assert.equal(new Set(before).size, before.length, 'every result has its own fingerprint');
    writeFileSync(join(workspace, 'open-ports.sh'), `# moved down by a comment\n\n${RISKY}\n`);
    assert.deepEqual(fingerprints(), before);
    writeFileSync(join(workspace, 'open-ports.sh'), `${RISKY.replace('1363', '1364')}\n`);
    assert.notDeepEqual(fingerprints(), before, 'a changed line is a different result');
  });

  it('fails closed on a file it could not read whole: a finding, an error notification, an unsuccessful run', () => {
    // A macro that names itself cannot be expanded; the Redis rule after it is still read.
    writeFileSync(
      join(workspace, 'pf.conf'),
      'm = "{ 22 $m }"\npass in proto tcp to any port $m\npass in proto tcp to any port 6379\n',
    );
    writeFileSync(join(workspace, 'open-ports.sh'), 'ufw allow from 10.0.0.0/8 to any port 447 proto tcp\n');
    const sarif = portlens(['scan', '--format', 'sarif', '--fail-on', 'none'], workspace);
    const log = JSON.parse(sarif.stdout) as SarifLog & {
      runs: {
        invocations: { executionSuccessful: boolean; toolExecutionNotifications: Record<string, unknown>[] }[];
      }[];
    };
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const [run] = log.runs;
    assert.deepEqual(
      run.results.filter((result) => result.ruleId === 'scan-incomplete').map((result) => result.level),
      ['error'],
    );
    assert.ok(
      run.results.some((result) => result.ruleId === 'exposed-critical-port'),
      'the rest of the file is read',
    );
    assert.equal(run.invocations[0].executionSuccessful, false);
    assert.deepEqual(run.invocations[0].toolExecutionNotifications, [
      {
        level: 'error',
        descriptor: { id: 'scan-incomplete' },
        message: { text: 'Stopped reading pf.conf at line 2: macro $m names itself, so it has no value' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'pf.conf', uriBaseId: '%SRCROOT%' },
              region: { startLine: 2 },
            },
          },
        ],
      },
    ]);

    const json = portlens(['scan', '--format', 'json', '--fail-on', 'warning'], workspace);
    assert.equal(json.status, 1, 'an incomplete file fails the gate');
    const pf = (JSON.parse(json.stdout) as JsonReport).files.find((file) => file.path === 'pf.conf')!;
    assert.deepEqual((pf as unknown as { incomplete: unknown }).incomplete, [
      { line: 2, reason: 'macro $m names itself, so it has no value' },
    ]);
    assert.match(portlens(['scan'], workspace).stdout, /; 1 file not read whole \(scan-incomplete\)$/m);
  });

  it('exits 1 when a finding reaches --fail-on, and ignores suppressed ones', () => {
    assert.equal(portlens(['scan'], workspace).status, 1);
    assert.equal(portlens(['scan', '--fail-on', 'none'], workspace).status, 0);
    writeFileSync(join(workspace, 'open-ports.sh'), 'ufw allow from 10.0.0.0/8 to any port 447 proto tcp\n');
    assert.equal(portlens(['scan'], workspace).status, 0, 'information is below the default error threshold');
    assert.equal(portlens(['scan', '--fail-on', 'information'], workspace).status, 1);
  });

  it('lists findings and suppressed findings in the JSON contract, with fix titles', () => {
    const report = JSON.parse(portlens(['scan', '--format', 'json'], workspace).stdout) as JsonReport;
    const [file] = report.files;
    assert.deepEqual(file.findings[0], {
      ruleId: 'exposed-critical-port',
      severity: 'error',
      line: 2,
      column: 34,
      endLine: 2,
      endColumn: 38,
      port: 1363,
      endPort: null,
      message: 'Connect:Direct API port 1363 is open to any source',
      fixes: [
        'Restrict the source to trusted networks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
        'Ignore this finding on this line',
        'Ignore this finding in this file',
      ],
    });
    assert.equal(file.suppressedFindings[0].ruleId, 'exposed-sensitive-port');
  });

  it("reads .portlens.json from the scanned folder and --config FILE, with the editor's settings", () => {
    writeFileSync(
      join(workspace, '.portlens.json'),
      JSON.stringify({ rules: { 'exposed-critical-port': 'off' }, ignoreInlineSuppressions: true }),
    );
    const report = JSON.parse(portlens(['scan', '.', '--format', 'json'], workspace).stdout) as JsonReport;
    const rules = report.files[0].findings.map((finding) => finding.ruleId);
    assert.ok(!rules.includes('exposed-critical-port'));
    assert.ok(rules.includes('exposed-sensitive-port'), 'inline suppressions are ignored');
    const other = join(workspace, 'ci.json');
    writeFileSync(other, JSON.stringify({ 'portLens.trustedNetworks': ['10.20.0.0/16'] }));
    const viaFlag = JSON.parse(
      portlens(['scan', 'open-ports.sh', '--config', other, '--format', 'json'], workspace).stdout,
    ) as JsonReport;
    assert.match(viaFlag.files[0].findings[0].fixes[0], /\(10\.20\.0\.0\/16\)/);
    writeFileSync(other, '{ not json');
    const broken = portlens(['scan', '--config', other], workspace);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /cannot read the settings file/);
  });
});

describe('the editor and the CLI agree on the examples', () => {
  it('reports the same findings at the same places', async () => {
    const examples = join(ROOT, 'examples');
    const workspace = mkdtempSync(join(tmpdir(), 'portlens-agree-'));
    cpSync(examples, workspace, { recursive: true });
    try {
      const report = JSON.parse(
        portlens(['scan', '.', '--format', 'json', '--fail-on', 'none'], workspace).stdout,
      ) as JsonReport;
      const { client } = await LspClient.start();
      try {
        for (const file of report.files) {
          const uri = `file://${join(workspace, file.path)}`;
          await client.open(uri, readFileSync(join(workspace, file.path), 'utf8'), file.language);
          const fromEditor = (await client.diagnostics(uri))
            .map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}`)
            .sort();
          const fromCli = file.findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`).sort();
          assert.deepEqual(fromEditor, fromCli, file.path);
        }
      } finally {
        await client.stop();
      }
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
