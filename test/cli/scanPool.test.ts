import * as assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/settings/settings';
import { scanAll } from '../../server/src/cli/scanPool';
import type { FileToScan } from '../../server/src/cli/walk';

const HELD_UP_WORKER = join(__dirname, 'workers', 'heldUpWorker.js');

describe('scan pool', () => {
  it('gives the walk to the worker that is free, and still emits every file in walk order', async () => {
    assert.ok(availableParallelism() >= 2, 'the pool needs two cores to start workers');
    // 12 tasks of 50 files; the first is held up for two seconds.
    const files: FileToScan[] = Array.from({ length: 600 }, (_, index) => ({ path: `${index === 0 ? 'held-up' : 'file'}-${index}.rules`, named: false }));
    const emitted: string[] = [];
    await scanAll({ settings: DEFAULT_SETTINGS, output: { format: 'json', version: 'test', colour: false } }, files, HELD_UP_WORKER, (batch) => {
      emitted.push(...Buffer.from(batch.bytes).toString('utf8').split('\n'));
    });
    assert.deepEqual(emitted.map((line) => line.split(' ')[1]), files.map((file) => file.path), 'every file, once, in walk order');
    const tasksByThread = new Map<string, number>();
    for (let index = 0; index < emitted.length; index += 50) {
      const thread = emitted[index].split(' ')[0];
      tasksByThread.set(thread, (tasksByThread.get(thread) ?? 0) + 1);
    }
    const heldUp = emitted[0].split(' ')[0];
    // Dealt in turn, the held-up worker would have had half the tasks; it keeps only those it held.
    assert.equal(tasksByThread.get(heldUp), 2, `tasks by thread: ${JSON.stringify([...tasksByThread])}`);
    assert.equal([...tasksByThread.values()].reduce((sum, count) => sum + count, 0), 12);
  });

  it('passes on an error that the walk meets while the workers scan', async () => {
    function* walk(): Generator<FileToScan> {
      for (let index = 0; index < 700; index++) yield { path: `file-${index}.rules`, named: false };
      throw new Error('the walk could not read a folder');
    }
    const setup = { settings: DEFAULT_SETTINGS, output: { format: 'json' as const, version: 'test', colour: false } };
    await assert.rejects(scanAll(setup, walk(), HELD_UP_WORKER, () => {}), /the walk could not read a folder/);
  });
});
