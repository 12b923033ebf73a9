import { setFlagsFromString } from 'node:v8';

/**
 * V8's flags for a command that lives seconds, not hours (the language server keeps V8's defaults). They are the
 * process's: each worker's compiler reads them as they stand when it compiles.
 *
 * Every scan worker compiles the scanners afresh, and with V8's default inlining budget its optimising compiler
 * took as much CPU as the scanning, on background threads that compete with the workers for the same cores. A
 * smaller budget left warm throughput as it was and cut the CLI's CPU.
 *
 * The shell parser is WebAssembly, which V8 compiles twice by default: at once with its baseline compiler, then
 * again with its optimising one, on background threads that the process waits for. A run over a few files spent
 * most of its time waiting, so the CLI starts with the baseline compiler alone (docs/performance.md). Newer V8s
 * read `--liftoff-only` only at start-up; turning tiering off works on every Node the CLI supports.
 */
export function tuneForShortRun(): void {
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
  setWasmTiering(false);
}

/**
 * Parsing a few megabytes of shell or more repays the optimised parser's compile, so a run that large, on one
 * thread or on workers, gets it back.
 */
export const OPTIMISED_PARSER_BYTES = 2 * 1024 * 1024;

export function tuneForLongRun(): void {
  setWasmTiering(true);
}

function setWasmTiering(on: boolean): void {
  const no = on ? '' : 'no-';
  setFlagsFromString(`--${no}wasm-tier-up`);
  setFlagsFromString(`--${no}wasm-dynamic-tiering`);
}
