import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFormatRegistry } from '../../server/src/scan/registry';
import { BROKEN_FORMAT_VARIABLE } from '../unit/helpers';

const run = promisify(execFile);
const repositoryRoot = join(__dirname, '..', '..', '..');

interface Outcome {
  title: string;
  state?: 'passed' | 'failed' | 'pending';
  ranBrokenScanner: boolean;
}

/** Runs the whole unit suite with one family's scanners throwing, and returns what each test did. */
async function runWithBrokenFamily(family: string, folder: string): Promise<Outcome[]> {
  const outcomes = join(folder, `${family}.jsonl`);
  const mocha = join(repositoryRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const args = [
    mocha,
    '--timeout',
    '20000',
    '--reporter',
    'dot',
    '--require',
    join(__dirname, 'brokenScannerHooks.js'),
    'out/test/unit/**/*.test.js',
  ];
  const env = { ...process.env, [BROKEN_FORMAT_VARIABLE]: family, PORTLENS_TEST_OUTCOMES: outcomes };
  // The run is meant to fail: its exit status says nothing here, the outcomes do.
  await run(process.execPath, args, { cwd: repositoryRoot, env, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
  return readFileSync(outcomes, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Outcome);
}

/** Language ids share a family up to the first hyphen (`connectdirect-netmap`, `ufw-profile`). */
function families(languageIds: readonly string[]): string[] {
  return [...new Set(languageIds.map((id) => id.split('-')[0]))];
}

// The service turns a scanner's exception into a scan-incomplete finding. A test that reads scans without looking at it
// would pass on a scanner that crashes on every input: this harness breaks each family in turn and fails if any
// test that ran the broken scanner still passed.
describe('the unit tests fail on a crashed scanner', function () {
  this.timeout(20 * 60 * 1000);
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'portlens-harness-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('covers every family of the registry', async () => {
    const registry = await createFormatRegistry();
    assert.deepEqual(families(registry.languageIds).sort(), [
      'connectdirect',
      'firewalld',
      'iptables',
      'nftables',
      'pf',
      'shellscript',
      'ufw',
    ]);
  });

  for (const family of ['connectdirect', 'firewalld', 'iptables', 'nftables', 'pf', 'shellscript', 'ufw']) {
    it(`${family}: every test that ran the broken scanner failed`, async () => {
      const outcomes = await runWithBrokenFamily(family, folder);
      const ran = outcomes.filter((outcome) => outcome.ranBrokenScanner);
      assert.ok(ran.length > 0, `no test scans ${family} at all`);
      const passed = ran.filter((outcome) => outcome.state === 'passed').map((outcome) => outcome.title);
      assert.deepEqual(passed, [], `these tests passed although the ${family} scanner threw on every input`);
    });
  }
});
