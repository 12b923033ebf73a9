import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JsonReport, portlens } from './runCli';

/** The JSON report's lines, each as `path:line port role description`, to compare runs. */
const lines = (stdout: string) =>
  (JSON.parse(stdout) as JsonReport).files.flatMap((file) =>
    file.mentions.map(
      (mention) => `${file.path}:${String(mention.line)} ${String(mention.port)} ${String(mention.description)}`,
    ),
  );

describe('portlens scan --cache', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'portlens-cache-cli-'));
    mkdirSync(join(workspace, 'deploy'));
    writeFileSync(join(workspace, 'deploy', 'open.sh'), '#!/bin/sh\niptables -A INPUT -p tcp --dport 1363 -j ACCEPT\n');
    writeFileSync(join(workspace, 'rules.v4'), '*filter\n-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
    writeFileSync(join(workspace, 'README.md'), 'Port 1363 is for partners only.\n');
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  const scan = (...extra: string[]) =>
    portlens(['scan', '--format', 'json', '--fail-on', 'none', ...extra, '.'], workspace);

  it('reports what an uncached run reports, and reads again only the files that changed', () => {
    const plain = scan();
    const first = scan('--cache');
    assert.equal(first.stderr, '');
    assert.equal(first.stdout, plain.stdout);
    const cacheFile = join(workspace, '.portlenscache');
    assert.ok(existsSync(cacheFile));
    // The cache in the scanned folder is not one of its files.
    assert.equal(scan('--cache').stdout, plain.stdout);

    // Proof that a file is not read again: what the cache says of it is what the report says. (The words keep
    // their length: the cache finds each file's texts by offset.)
    const cache = readFileSync(cacheFile, 'utf8');
    writeFileSync(cacheFile, cache.replace(/allowed inbound from any source/g, 'ALLOWED INBOUND FROM ANY SOURCE'));
    const second = scan('--cache');
    assert.deepEqual(
      lines(second.stdout),
      lines(plain.stdout).map((line) =>
        line.replace('allowed inbound from any source', 'ALLOWED INBOUND FROM ANY SOURCE'),
      ),
    );

    writeFileSync(join(workspace, 'deploy', 'open.sh'), '#!/bin/sh\niptables -A INPUT -p tcp --dport 447 -j ACCEPT\n');
    const changed = scan('--cache');
    assert.ok(
      lines(changed.stdout).some((line) => line.startsWith('deploy/open.sh:2 447 allowed inbound from any source')),
    );
    assert.equal(scan('--cache').stdout, changed.stdout);
  });

  it('serves every format from one cache, from its report first and then from what it wrote', () => {
    scan('--cache');
    for (const format of ['sarif', 'text', 'compact', 'github', 'json']) {
      const args = ['scan', '--format', format, '--fail-on', 'error'];
      const plain = portlens([...args, '.'], workspace);
      for (const run of ['from the report', 'from the written text']) {
        const cached = portlens([...args, '--cache', '.'], workspace);
        assert.equal(cached.stderr, '');
        assert.equal(cached.stdout, plain.stdout, `${format}, ${run}`);
        assert.equal(cached.status, plain.status, `${format}, ${run}: the counts decide the exit status`);
      }
    }
  });

  it('reads every file again when the cache is damaged, and says so', () => {
    const plain = scan();
    scan('--cache');
    const cacheFile = join(workspace, '.portlenscache');
    const cache = readFileSync(cacheFile, 'utf8');
    // An entry that points past the end of the file.
    writeFileSync(cacheFile, cache.slice(0, cache.length - 10));
    const damaged = scan('--cache');
    assert.match(damaged.stderr, /the scan cache .* could not be read \(its entry for .* points outside it\)/);
    assert.equal(damaged.stdout, plain.stdout);
    assert.equal(scan('--cache').stderr, '', 'the cache written again reads');
  });

  it('keeps the cache where --cache-location says, and wants --cache with it', () => {
    const store = mkdtempSync(join(tmpdir(), 'portlens-cache-store-'));
    try {
      assert.equal(scan('--cache', '--cache-location', store).status, 0);
      assert.ok(existsSync(join(store, '.portlenscache')));
      assert.equal(scan('--cache', '--cache-location', join(store, 'ci.cache')).status, 0);
      assert.ok(existsSync(join(store, 'ci.cache')));
      const misused = scan('--cache-location', store);
      assert.equal(misused.status, 2);
      assert.match(misused.stderr, /--cache-location needs --cache/);
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });
});
