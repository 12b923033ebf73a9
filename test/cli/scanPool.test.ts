import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/settings/settings';
import { scanAll } from '../../server/src/cli/scanPool';
import { displayPath } from '../../server/src/cli/reportedFile';
import type { FileToScan } from '../../server/src/cli/walk';

const HELD_UP_WORKER = join(__dirname, 'workers', 'heldUpWorker.js');
const SETUP = { settings: DEFAULT_SETTINGS, output: { format: 'json' as const, version: 'test', colour: false } };

describe('scan pool', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'portlens-pool-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** Files of `bytes` each that the stub worker never reads: sparse, so they take no disk. */
  function sizedFiles(count: number, bytes: number, name = (index: number) => `file-${index}.rules`): FileToScan[] {
    return Array.from({ length: count }, (_, index) => {
      const path = join(folder, name(index));
      writeFileSync(path, '');
      truncateSync(path, bytes);
      return { path, named: false };
    });
  }

  it('gives the walk to the worker that is free, and still emits every file in walk order', async () => {
    assert.ok(availableParallelism() >= 2, 'the pool needs two cores to start workers');
    // 14 MB in 12 tasks of 50 files, enough for two workers; the first task is held up for two seconds.
    const files = sizedFiles(600, 24 * 1024, (index) => `${index === 0 ? 'held-up' : 'file'}-${index}.rules`);
    const emitted: string[] = [];
    await scanAll(SETUP, files, HELD_UP_WORKER, (batch) => {
      emitted.push(...Buffer.from(batch.bytes).toString('utf8').split('\n'));
    });
    assert.deepEqual(
      emitted.map((line) => line.split(' ')[1]),
      files.map((file) => file.path),
      'every file, once, in walk order',
    );
    const tasksByThread = new Map<string, number>();
    for (let index = 0; index < emitted.length; index += 50) {
      const thread = emitted[index].split(' ')[0];
      tasksByThread.set(thread, (tasksByThread.get(thread) ?? 0) + 1);
    }
    const heldUp = emitted[0].split(' ')[0];
    // Dealt in turn, the held-up worker would have had half the tasks; it keeps only those it held.
    assert.equal(tasksByThread.get(heldUp), 2, `tasks by thread: ${JSON.stringify([...tasksByThread])}`);
    assert.equal(
      [...tasksByThread.values()].reduce((sum, count) => sum + count, 0),
      12,
    );
  });

  it('passes on an error that the walk meets while the workers scan', async () => {
    const files = sizedFiles(700, 24 * 1024);
    function* walk(): Generator<FileToScan> {
      yield* files;
      throw new Error('the walk could not read a folder');
    }
    await assert.rejects(
      scanAll(SETUP, walk(), HELD_UP_WORKER, () => {}),
      /the walk could not read a folder/,
    );
  });

  it('scans a walk of little text on this thread, however many files it has, since a worker would first compile the scanners', async () => {
    // 600 files, as many as the two workers above had, but 600 KB: the stub worker would report its thread id.
    const rule = '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 1363 -j ACCEPT\nCOMMIT\n';
    const files = Array.from({ length: 600 }, (_, index) => {
      const path = join(folder, `rules-${index}.v4`);
      writeFileSync(path, rule.padEnd(1024, '#'));
      return { path, named: false };
    });
    const parts: { path: string; mentions: { port: number }[] }[] = [];
    await scanAll(SETUP, files, HELD_UP_WORKER, (batch) => {
      parts.push(
        ...Buffer.from(batch.bytes)
          .toString('utf8')
          .split(',\n')
          .map((part) => JSON.parse(part) as (typeof parts)[number]),
      );
    });
    assert.deepEqual(
      parts.map((part) => part.path),
      files.map((file) => displayPath(file.path)),
    );
    assert.ok(
      parts.every((part) => part.mentions.length === 1 && part.mentions[0].port === 1363),
      'each file scanned for real',
    );
  });
});
