import * as assert from 'node:assert/strict';
import { CrashGuard } from '../../client/src/crashGuard';

describe("the client's crash guard", () => {
  const MINUTE = 60 * 1000;

  it('sets aside the document last sent when the server stopped, and restarts the server', () => {
    const guard = new CrashGuard();
    guard.noteSent('file:///a.sh');
    guard.noteSent('file:///hostile.conf');
    assert.deepEqual(guard.onStopped(0), { restart: true, setAside: 'file:///hostile.conf' });
    assert.equal(guard.allows('file:///hostile.conf'), false);
    assert.equal(guard.allows('file:///a.sh'), true, 'the other documents are still read');
  });

  it('blames no document when none was sent since the last restart', () => {
    const guard = new CrashGuard();
    guard.noteSent('file:///hostile.conf');
    guard.onStopped(0);
    assert.deepEqual(guard.onStopped(1000), { restart: true });
  });

  it('gives up after too many stops in a short time, and not after as many spread out', () => {
    const burst = new CrashGuard(5, 3 * MINUTE);
    const bursts = Array.from({ length: 6 }, (_, index) => burst.onStopped(index * 1000).restart);
    assert.deepEqual(bursts, [true, true, true, true, true, false]);
    const spread = new CrashGuard(5, 3 * MINUTE);
    const spreads = Array.from({ length: 12 }, (_, index) => spread.onStopped(index * MINUTE).restart);
    assertEveryTrue(spreads);
  });

  it('reads a set-aside document again when the user asks', () => {
    const guard = new CrashGuard();
    guard.noteSent('file:///hostile.conf');
    guard.onStopped(0);
    guard.readmit('file:///hostile.conf');
    assert.equal(guard.allows('file:///hostile.conf'), true);
  });
});

function assertEveryTrue(values: readonly boolean[]): void {
  assert.ok(values.length > 0);
  assert.deepEqual(
    values.filter((value) => !value),
    [],
  );
}
