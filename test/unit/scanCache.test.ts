import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileToScan } from '../../server/src/cli/walk';
import { SILENT_LOGGER } from '../../server/src/logging/logger';
import { DEFAULT_SETTINGS } from '../../server/src/settings/settings';
import { ScanCache, cacheKey, fingerprint } from '../../server/src/workspace/scanCache';
import type { FileReader } from '../../server/src/workspace/scanWorker';
import { WorkspaceScan } from '../../server/src/workspace/workspaceScan';
import { WorkspaceInventory } from '../../server/src/workspace/workspacePorts';

const LIMIT = 5 * 1024 * 1024;
const KEY = cacheKey('1.0.0', DEFAULT_SETTINGS);

/** A reader that reports each file's first number as a port, and counts what it reads. */
function countingReader(): { read: FileReader; reads: string[] } {
  const reads: string[] = [];
  const read: FileReader = (file: FileToScan, withFingerprint) => {
    reads.push(file.path);
    const taken = withFingerprint ? fingerprint(file.path, LIMIT) : undefined;
    const port = Number(/\d+/.exec(readFileSync(file.path, 'utf8'))?.[0]);
    const mention = { line: 1, column: 1, endLine: 1, endColumn: 2, port, endPort: null, protocol: 'tcp' };
    const extra = { service: null, role: 'allow', exposure: 'any', description: '' };
    const report = { path: file.path, language: 'iptables', mentions: [{ ...mention, ...extra }], findings: [] };
    return Promise.resolve({ report: Number.isNaN(port) ? undefined : report, taken });
  };
  return { read, reads };
}

const never = { cancelled: false, report() {} };

describe('the workspace scan cache', () => {
  let folder: string;
  let cacheFile: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'portlens-cache-'));
    cacheFile = join(mkdtempSync(join(tmpdir(), 'portlens-cache-store-')), 'workspace-scan.json');
    writeFileSync(join(folder, 'a.rules'), '-A INPUT -p tcp --dport 1363 -j ACCEPT\n');
    writeFileSync(join(folder, 'b.rules'), '-A INPUT -p tcp --dport 447 -j ACCEPT\n');
    writeFileSync(join(folder, 'notes.txt'), 'no port here\n');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** One session: a scan of the folder with the cache as saved by the session before, then saved again. */
  async function session(key = KEY): Promise<{ reads: string[]; ports: number[] }> {
    const { read, reads } = countingReader();
    const inventory = new WorkspaceInventory();
    const cache = ScanCache.load(cacheFile, key, LIMIT);
    await new WorkspaceScan(read, inventory, SILENT_LOGGER).scanFolders([folder], never, read, cache);
    cache.save();
    const ports = inventory.page({}).files.flatMap((file) => file.mentions.map((mention) => mention.port));
    return { reads: reads.map((path) => path.slice(folder.length + 1)).sort(), ports };
  }

  it('reads every file once, and nothing of an unchanged workspace again', async () => {
    assert.deepEqual(await session(), { reads: ['a.rules', 'b.rules', 'notes.txt'], ports: [1363, 447] });
    assert.deepEqual(await session(), { reads: [], ports: [1363, 447] });
  });

  it('reads a changed file again, and not a file whose time alone moved', async () => {
    await session();
    writeFileSync(join(folder, 'a.rules'), '-A INPUT -p tcp --dport 6379 -j ACCEPT\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(folder, 'b.rules'), later, later);
    assert.deepEqual(await session(), { reads: ['a.rules'], ports: [6379, 447] });
  });

  it('ignores a cache written by another version or with other settings, and one that is not ours', async () => {
    await session();
    assert.equal((await session(cacheKey('1.0.1', DEFAULT_SETTINGS))).reads.length, 3);
    const stricter = { ...DEFAULT_SETTINGS, maxFileSizeMB: 1 };
    assert.equal((await session(cacheKey('1.0.1', stricter))).reads.length, 3);
    writeFileSync(cacheFile, '{ not json');
    const problems: string[] = [];
    ScanCache.load(cacheFile, KEY, LIMIT, (problem) => problems.push(problem));
    assert.equal(problems.length, 1);
    assert.equal((await session()).reads.length, 3);
  });
});
