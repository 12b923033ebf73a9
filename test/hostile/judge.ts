/**
 * What a hostile scan must hold, shared by the test suite and the benchmark: the sentinel's finding or a
 * `scan-incomplete` finding, no exception, and time that grows in proportion to the text.
 */
import type { FileScan } from '../../server/src/service/portLensService';
import type { HostileGenerator } from './generators';

/**
 * One size of one generator, asked of the worker: it scans at least `minRuns` times and until the runs add up to
 * `minTotalMs`, at most `maxRuns` times. The best run counts: noise (a collection, code not yet optimised) only
 * ever adds time, and small inputs, which are the noisiest, are also the cheapest to repeat.
 */
export interface ScanTask {
  name: string;
  n: number;
  minRuns: number;
  maxRuns: number;
  minTotalMs: number;
  /** After a run this slow the others are skipped: noise is small next to it. */
  singleRunAboveMs: number;
}

export interface SizeResult {
  n: number;
  bytes: number;
  /** CPU time of each run (see scanWorker.ts). */
  runsMs: number[];
  /** Wall-clock time of each run: what the hard limit is about. */
  wallMs: number[];
  /** The least CPU time of the runs. */
  bestMs: number;
  /** The sentinel's finding is there. */
  sentinel: boolean;
  /** The messages of the error-level `scan-incomplete` findings. */
  incomplete: string[];
  /** Port mentions reported, where the generator says how many a complete scan reports. */
  ports?: { found: number; expected: number };
  /** An exception (with its stack), a hang or running out of memory. */
  failure?: string;
}

export type WorkerMessage = { kind: 'ready' } | { kind: 'run'; ms: number } | { kind: 'done'; result: SizeResult };

export interface Limits {
  /** Times below this count as this, so that noise on tiny inputs cannot fail the growth check. */
  floorMs: number;
  /**
   * The most a doubling of the input may multiply the time by, on average over the doublings: one step may land
   * above it on a busy machine (a collection, a tier-up), a scan that grows with the square lands above it at
   * every step.
   */
  maxGrowth: number;
  /** The most any single doubling may multiply the time by: a blow-up shows here even among linear steps. */
  maxSpike: number;
  /** Any single run longer than this fails, and is stopped: how a hang fails. */
  hardLimitMs: number;
}

/**
 * CI's bound is generous, as the issue allows: at these small sizes a busy machine moves single figures by a third,
 * while every blow-up found grew by three times or more at each doubling. The bench judges by 2.5 per doubling.
 */
export const TEST_LIMITS: Limits = { floorMs: 5, maxGrowth: 3, maxSpike: 5, hardLimitMs: 10_000 };

export function judgeScan(
  generator: HostileGenerator,
  n: number,
  text: string,
  scan: FileScan,
  loggedFailures: readonly string[],
): Pick<SizeResult, 'sentinel' | 'incomplete' | 'failure' | 'ports'> {
  const { sentinel } = generator;
  const from = text.lastIndexOf(sentinel.marker);
  const found = scan.findings.some(
    (finding) =>
      finding.span.start >= from &&
      finding.port === sentinel.port &&
      finding.severity === sentinel.severity &&
      (sentinel.ruleId === undefined || finding.ruleId === sentinel.ruleId),
  );
  // Only an error fails the gate closed, as the contract asks of a file that was not read whole.
  const incomplete = scan.findings
    .filter((finding) => finding.ruleId === 'scan-incomplete' && finding.severity === 'error')
    .map((finding) => finding.message);
  // A reader's exception reaches us only through the log: the service reports it as scan-incomplete.
  const failure = loggedFailures.length > 0 ? loggedFailures.join('\n') : undefined;
  const ports = generator.ports ? { found: scan.mentions.length, expected: generator.ports(n) } : undefined;
  return { sentinel: from >= 0 && found, incomplete, ...(failure ? { failure } : {}), ...(ports ? { ports } : {}) };
}

/** The time factor of each doubling as measured, with times below the floor counted as the floor. */
export function growthFactors(results: readonly SizeResult[], floorMs: number): number[] {
  const times = results.map((result) => Math.max(result.bestMs, floorMs));
  return times.slice(1).map((time, index) => time / times[index]);
}

/**
 * The growth of each doubling as the suite judges it: a size is measured against the time its half took, or
 * twice the time its quarter took where that is more. A best run that came out lucky makes the next doubling
 * look steep, while growth that is linear or worse keeps the half above twice the quarter.
 */
export function judgedGrowth(results: readonly SizeResult[], floorMs: number): number[] {
  const times = results.map((result) => Math.max(result.bestMs, floorMs));
  return times.slice(1).map((time, index) => {
    // A quarter at the floor says nothing of the half: it may be far below it.
    const quarter = index > 0 && results[index - 1].bestMs > floorMs ? 2 * times[index - 1] : 0;
    return time / Math.max(times[index], quarter);
  });
}

/** Everything wrong with a generator's runs, in words; empty when it held. */
export function problemsOf(generator: HostileGenerator, results: readonly SizeResult[], limits: Limits): string[] {
  const problems: string[] = [];
  for (const result of results) {
    const size = `n=${result.n} (${kb(result.bytes)})`;
    if (result.failure) problems.push(`${size}: ${topFrames(result.failure)}`);
    else if (!result.sentinel && result.incomplete.length === 0)
      problems.push(
        `${size}: the sentinel "${firstLine(generator.sentinel.marker)}" was dropped with no scan-incomplete finding`,
      );
    else if (droppedPorts(result))
      problems.push(
        `${size}: ${result.ports!.found} of ${result.ports!.expected} port mentions, with no scan-incomplete finding`,
      );
    const slowest = Math.max(...result.wallMs);
    if (slowest > limits.hardLimitMs) problems.push(`${size}: a run took ${slowest.toFixed(0)} ms`);
  }
  const times = `(${results.map((result) => result.bestMs.toFixed(1)).join(' / ')} ms at each size)`;
  const growth = judgedGrowth(results, limits.floorMs);
  const mean = growth.length > 0 ? growth.reduce((product, factor) => product * factor, 1) ** (1 / growth.length) : 1;
  if (mean > limits.maxGrowth)
    problems.push(`each doubling multiplied the time by ${mean.toFixed(1)} on average ${times}`);
  growth.forEach((factor, index) => {
    if (factor > limits.maxSpike)
      problems.push(
        `doubling n=${results[index].n} to n=${results[index + 1].n} multiplied the time by ${factor.toFixed(1)} ${times}`,
      );
  });
  return problems;
}

/** One line per generator: sizes, best times, growth per doubling and what the last scan reported. */
export function summaryLine(generator: HostileGenerator, results: readonly SizeResult[], floorMs: number): string {
  const last = results[results.length - 1];
  const growth = judgedGrowth(results, floorMs).map((factor) => `${factor.toFixed(2)}x`);
  const times = results.map((result) => `${result.bestMs.toFixed(1)}`).join(' / ');
  return `${generator.name.padEnd(32)} ${kb(last.bytes).padStart(9)}  ms ${times}  growth ${growth.join(' ') || '-'}  ${outcomeOf(last)}`;
}

/** Fewer ports than a complete scan reports, and no word that the scan stopped short. */
const droppedPorts = (result: SizeResult) =>
  result.ports !== undefined && result.incomplete.length === 0 && result.ports.found < result.ports.expected;

export function outcomeOf(result: SizeResult): string {
  if (result.failure) return `FAILED: ${result.failure.split('\n').slice(0, 2).join(': ').replace(/\s+/g, ' ')}`;
  if (droppedPorts(result)) return `DROPPED: ${result.ports!.found} of ${result.ports!.expected} port mentions`;
  if (result.sentinel && result.incomplete.length === 0) return 'sentinel';
  if (result.sentinel) return `sentinel + scan-incomplete (${result.incomplete.length})`;
  if (result.incomplete.length > 0) return `scan-incomplete: ${reasonOf(result.incomplete[0])}`;
  return 'DROPPED: neither the sentinel nor scan-incomplete';
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const firstLine = (text: string) => text.split('\n')[0];
/** The reason out of the finding's message ("... at line N: REASON. Ports from ..."). */
const reasonOf = (message: string) => /: (.*?)\. Ports from/.exec(message)?.[1] ?? message;

/** The message and the first frames of a stack: enough to see where it broke. */
function topFrames(failure: string, frames = 6): string {
  const lines = failure.split('\n');
  const firstFrame = lines.findIndex((line) => line.trimStart().startsWith('at '));
  return firstFrame < 0 ? lines.slice(0, 3).join(' | ') : lines.slice(0, firstFrame + frames).join('\n    ');
}
