/**
 * Issue 25 in a real VS Code: when the language server dies, the client restarts it, sets aside the file it was
 * reading with a notification that names it, and the other open files are judged again. Issue 21: the palette's
 * "Port Lens: Restart Server" does the same on request.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { eventually, useUiSession } from './session';

const JUDGED = 'firewall/rules.v4';
const LAST_READ = 'deploy/open-mysql.sh';

/** The pids of this machine's Port Lens servers started by VS Code (over node-ipc, unlike the LSP tests). */
function serverPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', 'server/out/server\\.js --node-ipc'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Waits until one server runs again, another than `old`. */
async function newServerAfter(old: number): Promise<void> {
  await eventually(
    'a new server',
    () => Promise.resolve(serverPids()),
    (pids) => pids.length === 1 && pids[0] !== old,
  );
}

describe('UI: a language server crash (issue 25)', function () {
  const session = useUiSession();

  it('restarts the server, sets aside the file it was reading, and keeps judging the others', async () => {
    const { workbench } = session();
    await workbench.openFile(JUDGED);
    await workbench.openFile(LAST_READ);
    await eventually(
      'problems of both files',
      () => workbench.problems(),
      (rows) => rows.some((row) => row.startsWith('rules.v4')) && rows.some((row) => row.startsWith('open-mysql.sh')),
    );
    const [crashed, ...others] = serverPids();
    assert.ok(crashed, 'a Port Lens server runs');
    assert.deepEqual(others, [], 'one server per window');
    process.kill(crashed, 'SIGKILL');

    await eventually(
      'a notification naming the set-aside file',
      () => workbench.notifications(),
      (messages) => messages.some((message) => message.startsWith('Port Lens stopped while reading open-mysql.sh.')),
    );
    await newServerAfter(crashed);
    await eventually(
      'the other file judged by the new server, the set-aside one no longer',
      () => workbench.problems(),
      (rows) => rows.some((row) => row.startsWith('rules.v4')) && !rows.some((row) => row.startsWith('open-mysql.sh')),
    );
  });

  it('restarts the server from the Command Palette, and the problems come back', async () => {
    const { workbench } = session();
    const [before] = serverPids();
    assert.ok(before, 'a Port Lens server runs');
    await workbench.runCommand('Port Lens: Restart Server');
    await newServerAfter(before);
    await eventually(
      'rules.v4 judged by the new server',
      () => workbench.problems(),
      (rows) => rows.some((row) => row.startsWith('rules.v4')),
    );
  });
});
