import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER } from '../lsp/lspClient';

export const ROOT = join(__dirname, '..', '..', '..');

/**
 * Fails unless `command` runs: the editors and tools these tests drive are provisioned with the UI toolchain
 * (scripts/setup-ui.sh), and one that is missing fails the suite rather than passing it unseen.
 */
export function requireInstalled(command: string, packages: string): void {
  const version = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`${command} is not installed: run \`npm run setup:ui\` (${packages})`);
}

/** The example script an editor test opens, the line where it opens 446 to any source, and what the driver reads. */
export function openedExample(folder: string): { file: string; text: string; line: number; env: NodeJS.ProcessEnv } {
  const file = join(folder, 'ibmi-access.sh');
  copyFileSync(join(ROOT, 'examples', 'shell', 'ibmi-access.sh'), file);
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const line = lines.indexOf('ufw allow 446/tcp');
  assert.ok(line > 0, 'the example opens 446 to any source');
  const env = {
    ...process.env,
    PORTLENS_NODE: process.execPath,
    PORTLENS_SERVER: SERVER,
    PORTLENS_FILE: file,
    PORTLENS_LINE: String(line),
    PORTLENS_COLUMN: String(lines[line].indexOf('446') + 1),
  };
  return { file, text, line, env };
}
