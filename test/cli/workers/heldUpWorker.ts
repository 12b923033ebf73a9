// A scan worker that speaks the pool's protocol without scanning: it reports each task's paths with its thread
// id, and is held up on a task whose first path says `held-up`, as a worker is by a heavy file or a busy core.
import { parentPort, threadId } from 'node:worker_threads';
import type { WorkerMessage, WorkerTask } from '../../../server/src/cli/scanPool';
import { emptyTally } from '../../../server/src/cli/reportedFile';

const HELD_UP_MS = 2000;
const port = parentPort!;

port.on('message', (task: WorkerTask) => {
  if (task.files[0].path.includes('held-up')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, HELD_UP_MS);
  const bytes = Buffer.from(task.files.map((file) => `${threadId} ${file.path}`).join('\n'));
  const tally = { ...emptyTally(), files: task.files.length };
  port.postMessage({ batch: { first: task.first, files: task.files.length, bytes, tally } } satisfies WorkerMessage);
  port.postMessage({ taskDone: true } satisfies WorkerMessage);
});
