import * as assert from 'node:assert/strict';
import { type LogLevel, leveledLogger } from '../../server/src/logging/logger';
import { createFormatRegistry } from '../../server/src/scan/registry';
import { PortLensService } from '../../server/src/service/portLensService';
import { readEditorSettings } from '../../server/src/settings/settings';

function recordingSink() {
  const lines: string[] = [];
  const sink = {
    error: (m: string) => lines.push(`error ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    info: (m: string) => lines.push(`info ${m}`),
    log: (m: string) => lines.push(`debug ${m}`),
  };
  return { lines, sink };
}

describe('logging', () => {
  it('writes what is at or above the level it is given when the message comes', () => {
    const { lines, sink } = recordingSink();
    let level: LogLevel = 'warn';
    const logger = leveledLogger(sink, () => level);
    logger.info('hidden');
    logger.warn('shown');
    level = 'debug';
    logger.debug('now shown');
    assert.deepEqual(lines, ['warn shown', 'debug now shown']);
  });

  it('reads the level from portLens.logLevel, raised to debug by a verbose protocol trace', () => {
    const readLogLevel = (raw: unknown) => readEditorSettings(raw).logLevel;
    assert.equal(readLogLevel(undefined), 'info');
    assert.equal(readLogLevel({ logLevel: 'error' }), 'error');
    assert.equal(readLogLevel({ logLevel: 'loud' }), 'info');
    assert.equal(readLogLevel({ logLevel: 'error', trace: { server: 'verbose' } }), 'debug');
    assert.equal(readLogLevel({ logLevel: 'warn', trace: { server: 'messages' } }), 'warn');
  });

  it("logs a scanner's failure with its stack, while the document gets a scan-incomplete finding without it", async () => {
    const registry = await createFormatRegistry();
    // A copy of the definition: the shared one serves every other test of this process.
    const throwing = {
      scan(): never {
        throw new TypeError('cannot read the rule');
      },
    };
    registry.register({ ...registry.definition('pf')!, scanner: throwing });
    const service = await PortLensService.create(undefined, Promise.resolve(registry));
    const { lines, sink } = recordingSink();
    service.logger = leveledLogger(sink, () => 'info');
    const scan = service.scan({ text: 'pass in proto tcp to port 22\n', languageId: 'pf', path: '/etc/pf.conf' });
    assert.deepEqual(
      scan.findings.map((finding) => [finding.ruleId, finding.severity, finding.span.start, finding.message]),
      [
        [
          'scan-incomplete',
          'error',
          0,
          'Port Lens stopped reading this file at line 1: its pf reader failed (cannot read the rule). Ports from here on may be missing from the findings.',
        ],
      ],
    );
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^error Port Lens could not finish reading \/etc\/pf\.conf as pf\nTypeError: cannot read the rule\n\s+at Object\.scan \(/,
    );
  });
});
