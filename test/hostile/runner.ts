/**
 * Runs hostile scans on a worker thread (scanWorker.ts) and stops one that passes the hard limit or runs out of
 * memory: a synchronous scan on this thread could not be interrupted, and a hang would hang the suite.
 */
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { HostileGenerator } from './generators';
import { type Limits, type ScanTask, type SizeResult, type WorkerMessage, judgedGrowth } from './judge';

/**
 * The worker's stack is as small as the main thread's, where the CLI and the language server scan, so that a
 * recursion that overflows there overflows here; its old generation is large enough to let a blow-up show as
 * time. Its young generation starts large: a scan's garbage then dies young at every size the suite uses,
 * instead of being promoted and marked from some size on, a step in time that a doubling would take for growth.
 */
const YOUNG_SEMI_SPACE_MB = 128;
const WORKER_LIMITS = {
  stackSizeMb: 1,
  maxOldGenerationSizeMb: 4096,
  maxYoungGenerationSizeMb: 3 * YOUNG_SEMI_SPACE_MB,
};

export interface MeasureOptions extends Limits, Omit<ScanTask, 'name' | 'n'> {
  /** Scans of the smallest size first, not timed, so that V8 has optimised the scanner's hot paths. */
  warmupRuns: number;
  /** How many times a doubling past maxGrowth is measured again before it counts (see measureGenerator). */
  confirmations: number;
  /** Stop at the first doubling past maxGrowth: the next size would only take longer to fail the same way. */
  stopAtFirstExcess: boolean;
}

export class HostileRunner {
  private worker: Promise<Worker> | undefined;

  /** Scans one generator at one size; a hang, a crash or running out of memory comes back as the failure. */
  async scan(task: ScanTask, hardLimitMs: number): Promise<SizeResult> {
    const worker = await (this.worker ??= this.start());
    return new Promise<SizeResult>((resolve) => {
      const wallMs: number[] = [];
      let timer: NodeJS.Timeout | undefined;
      let runStart = performance.now();
      const finish = (result: SizeResult) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(result);
      };
      const fail = (failure: string) => {
        // The worker is stopped or dead: the next scan starts a fresh one.
        this.worker = undefined;
        void worker.terminate();
        // The run in progress ends here.
        wallMs.push(performance.now() - runStart);
        // Only wall-clock times came across; they stand in for CPU times, which a stopped thread cannot report.
        const bestMs = Math.min(...wallMs);
        finish({ n: task.n, bytes: 0, runsMs: wallMs, wallMs, bestMs, sentinel: false, incomplete: [], failure });
      };
      // Each run gets the whole limit: the timer restarts when one ends.
      const arm = () => {
        clearTimeout(timer);
        runStart = performance.now();
        timer = setTimeout(() => {
          fail(`a run did not end within ${hardLimitMs} ms and was stopped`);
        }, hardLimitMs);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.kind === 'run') {
          wallMs.push(message.ms);
          arm();
        } else if (message.kind === 'done') finish(message.result);
      };
      const onError = (error: Error) => fail(`the scanning thread failed: ${error.stack ?? error.message}`);
      const onExit = (code: number) => fail(`the scanning thread exited with status ${code}`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      arm();
      worker.postMessage(task);
    });
  }

  private start(): Promise<Worker> {
    // V8 reads this when it sets up a new heap, so it takes hold in the worker's and leaves this thread's alone.
    setFlagsFromString(`--min-semi-space-size=${YOUNG_SEMI_SPACE_MB}`);
    // Source maps make a failure's stack name the TypeScript lines, where a fix goes.
    const worker = new Worker(join(__dirname, 'scanWorker.js'), {
      resourceLimits: WORKER_LIMITS,
      execArgv: [...process.execArgv, '--enable-source-maps'],
    });
    const started = new Promise<Worker>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', (message: WorkerMessage) => {
        worker.off('error', onError);
        if (message.kind === 'ready') resolve(worker);
        else reject(new Error(`the scanning thread said ${message.kind} before it was ready`));
      });
    });
    // A thread that dies between scans must not take this one down; the next scan starts a fresh one.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      if (this.worker === started) this.worker = undefined;
    });
    return started;
  }

  /** Stops the scanning thread; the next scan starts a fresh one, with none of this one's compiled code. */
  async restart(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker).terminate();
  }
}

/**
 * The n of four doublings whose largest text is about `largestBytes`: every generator grows linearly, so two
 * sizes tell its bytes per unit. Sizes come from bytes rather than from a count per generator so that each is
 * judged over the same span of text.
 */
export function doublingsUpTo(generator: HostileGenerator, largestBytes: number, doublings = 4): number[] {
  const probe = 1000;
  const one = Buffer.byteLength(generator.build(probe), 'utf8');
  const perUnit = (Buffer.byteLength(generator.build(2 * probe), 'utf8') - one) / probe;
  const fixed = one - probe * perUnit;
  const smallest = Math.max(1, Math.round((largestBytes - fixed) / perUnit / 2 ** (doublings - 1)));
  return Array.from({ length: doublings }, (_, index) => smallest * 2 ** index);
}

/**
 * Scans `generator` at each n in turn. Where asked, a doubling past the limit is measured again, both its sizes,
 * on a fresh thread, before it counts, and the best runs of all the measurements decide: a burst of load on the
 * machine passes, and so does unlucky optimised code; growth does not. Stops after a failure, and where asked at
 * the first doubling that stays past the limit.
 */
export async function measureGenerator(
  runner: HostileRunner,
  generator: HostileGenerator,
  sizes: readonly number[],
  options: MeasureOptions,
): Promise<SizeResult[]> {
  const { minRuns, maxRuns, minTotalMs, singleRunAboveMs, hardLimitMs, floorMs, maxGrowth } = options;
  const scan = async (n: number, runs?: number) => {
    const task: ScanTask = {
      name: generator.name,
      n,
      ...(runs ? { minRuns: runs, maxRuns: runs, minTotalMs: 0 } : { minRuns, maxRuns, minTotalMs }),
      singleRunAboveMs,
    };
    const result = await runner.scan(task, hardLimitMs);
    // A stopped thread could not say how large its text was.
    if (result.bytes === 0) result.bytes = Buffer.byteLength(generator.build(n), 'utf8');
    return result;
  };
  const warmup = await scan(sizes[0], options.warmupRuns);
  if (warmup.failure) return [warmup];
  const results: SizeResult[] = [];
  for (const n of sizes) {
    const result = await scan(n);
    results.push(result);
    if (result.failure) break;
    const last = results.length - 1;
    const excessive = () => last > 0 && judgedGrowth(results.slice(Math.max(0, last - 2)), floorMs).at(-1)! > maxGrowth;
    for (let again = 0; again < options.confirmations && excessive(); again++) {
      // V8's optimised code can stay slow for a while; a fresh thread starts over, as a new CLI run does.
      await runner.restart();
      await scan(sizes[0], options.warmupRuns);
      for (const index of [last - 1, last]) {
        results[index] = merged(results[index], await scan(results[index].n));
        if (results[index].failure) return results;
      }
    }
    if (excessive() && options.stopAtFirstExcess) break;
  }
  return results;
}

/** Two measurements of one size as one: all their runs, the best of them, and what the later scan reported. */
function merged(earlier: SizeResult, later: SizeResult): SizeResult {
  const runsMs = [...earlier.runsMs, ...later.runsMs];
  return { ...later, runsMs, wallMs: [...earlier.wallMs, ...later.wallMs], bestMs: Math.min(...runsMs) };
}
