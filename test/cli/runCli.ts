import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(__dirname, '..', '..', '..', 'server', 'out', 'portlens.js');

/** Runs the bundled CLI, as `npx portlens` would; a run that outlives `timeout` ends with a null status. */
export function portlens(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 60_000) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The parts of `--format json` that the tests read. */
export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  files: {
    path: string;
    language: string;
    mentions: Record<string, unknown>[];
    findings: unknown[];
    skipped?: string;
    notices?: string[];
  }[];
  skipped: { path: string; reason: string }[];
}
