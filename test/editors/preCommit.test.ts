/**
 * The pre-commit hook (.pre-commit-hooks.yaml) under the real pre-commit tool (Debian's): `pre-commit try-repo`
 * clones this repository, installs it as a node hook the way a user's `.pre-commit-config.yaml` would (`npm
 * install`, `npm pack`, a global install of the archive), and runs it on the files it is given.
 */
import * as assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT, openedExample, requireInstalled } from './tools';

describe('the pre-commit hook, under the pre-commit tool', function () {
  // The first run installs the hook's environment: an npm install of this repository and its build.
  this.timeout(400_000);
  let folder: string;
  let home: string;

  before(function () {
    requireInstalled('pre-commit', 'apt-get install pre-commit');
    folder = mkdtempSync(join(tmpdir(), 'portlens-precommit-'));
    home = mkdtempSync(join(tmpdir(), 'portlens-precommit-home-'));
    const git = (...args: string[]) => {
      const run = spawnSync('git', args, { cwd: folder, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
    };
    git('init', '-q');
    openedExample(folder);
    writeFileSync(join(folder, 'backup.sh'), '#!/bin/sh\nrsync -a /srv/ backup.internal:/srv/\n');
    git('add', '.');
    git('-c', 'user.email=ci@example.com', '-c', 'user.name=CI', 'commit', '-q', '-m', 'scripts');
  });
  after(() => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  const tryRepo = (file: string): SpawnSyncReturns<string> =>
    spawnSync('pre-commit', ['try-repo', ROOT, 'portlens', '--files', file], {
      cwd: folder,
      env: { ...process.env, PRE_COMMIT_HOME: home },
      encoding: 'utf8',
      timeout: 380_000,
    });

  it('installs, and stops a commit whose script opens a critical port, naming the line and the rule', () => {
    const run = tryRepo('ibmi-access.sh');
    const output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 1, output);
    assert.match(output, /Port Lens\.+Failed/);
    assert.match(
      output,
      /^ibmi-access\.sh:14:11: error: IBM i DDM\/DRDA port 446 is open to any source \[exposed-critical-port\]$/m,
    );
  });

  it('lets a commit through whose files open nothing', () => {
    const run = tryRepo('backup.sh');
    const output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, output);
    assert.match(output, /Port Lens\.+Passed/);
  });
});
