/**
 * Scans hostile inputs for runner.ts, on a thread of its own so that a scan that hangs or runs out of memory can be
 * stopped and reported instead of taking the test run down with it. It builds each text itself: only the
 * figures cross between threads.
 */
import { parentPort } from 'node:worker_threads';
import { withStack } from '../../server/src/logging/logger';
import type { FileScan } from '../../server/src/service/portLensService';
import { testService } from '../unit/helpers';
import { generatorNamed } from './generators';
import { type ScanTask, type SizeResult, type WorkerMessage, judgeScan } from './judge';

const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

async function main(): Promise<void> {
  const service = await testService();
  // The service turns a reader's exception into a scan-incomplete finding and logs the stack: keep the stack.
  const failures: string[] = [];
  service.logger = {
    error: (message, error) => failures.push(withStack(message, error)),
    warn() {},
    info() {},
    debug() {},
  };
  port.on('message', (task: ScanTask) => {
    const generator = generatorNamed(task.name);
    const text = generator.build(task.n);
    const bytes = Buffer.byteLength(text, 'utf8');
    const runsMs: number[] = [];
    const wallMs: number[] = [];
    let outcome: Pick<SizeResult, 'sentinel' | 'incomplete' | 'failure' | 'ports'> = {
      sentinel: false,
      incomplete: [],
    };
    for (let run = 0; run < task.maxRuns; run++) {
      failures.length = 0;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      let scan: FileScan | undefined;
      try {
        scan = service.scan({ text, languageId: generator.languageId, path: generator.path });
      } catch (error) {
        outcome = { sentinel: false, incomplete: [], failure: withStack('the scan threw', error) };
      }
      wallMs.push(performance.now() - start);
      // CPU time, of the whole process: the scan and the collector's helper threads, and not the time spent
      // waiting for a core that another process holds.
      const cpu = process.cpuUsage(cpuStart);
      runsMs.push((cpu.user + cpu.system) / 1000);
      if (scan) outcome = judgeScan(generator, task.n, text, scan, failures);
      const wall = wallMs[wallMs.length - 1];
      post({ kind: 'run', ms: wall });
      // A failure repeats itself, and a slow run is measured well enough once.
      if (outcome.failure || wall > task.singleRunAboveMs) break;
      const total = wallMs.reduce((sum, ms) => sum + ms, 0);
      if (runsMs.length >= task.minRuns && total >= task.minTotalMs) break;
    }
    post({ kind: 'done', result: { n: task.n, bytes, runsMs, wallMs, bestMs: Math.min(...runsMs), ...outcome } });
  });
  post({ kind: 'ready' });
}

void main();
