import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import type { SignalKind } from '../../server/src/scan/mention';
import {
  assertBindsToLoopback,
  assertResolves,
  fixesOf,
  readCorpus,
  readFixture,
  signalAt,
} from './connectdirectHelpers';
import { scanAs, scanShell } from './helpers';
import { applyEdits } from './textEdits';

/** [language, text, port, written before, written after]: API listeners that a fix binds to loopback. */
const BIND_CASES: [string, string, string, string, string][] = [
  [
    'connectdirect-netmap',
    readCorpus('ebasso--connect-direct-ops--netmap_full.cfg'),
    '1363',
    ':tcp.api=0.0.0.0;1363:',
    ':tcp.api=127.0.0.1;1363:',
  ],
  ['connectdirect-netmap', 'local.node:\\\n :tcp.api=:: ;1363:\n', '1363', ':: ;', '::1;'],
  ['connectdirect-netmap', 'local.node:\\\n :tcp.api=1363:\n', '1363', '=1363', '=127.0.0.1;1363'],
  [
    'connectdirect-ini',
    readCorpus('ebasso--sterling-b2b-samples--my_cd_srvr.ini'),
    '1363',
    'CD_API_IP=0.0.0.0',
    'CD_API_IP=127.0.0.1',
  ],
  [
    'connectdirect-ini',
    '[Server]\r\nCD_API_PORT=1363\r\n',
    '1363',
    'CD_API_PORT',
    'CD_API_IP=127.0.0.1\r\nCD_API_PORT',
  ],
  [
    'connectdirect-zos',
    readFixture('INITPARM.txt'),
    '1363',
    'TCP.API.LISTEN=(ANYADDR6,1363)',
    'TCP.API.LISTEN=(127.0.0.1,1363)',
  ],
  ['connectdirect-zos', 'TCP.API.LISTEN=((10.0.0.1,1363),(,2363))\n', '2363', '(,2363)', '(127.0.0.1,2363)'],
];

/** [language, text, port]: server listeners, which partners must reach, so no address is chosen for them. */
const NO_BIND_CASES: [string, string, string][] = [
  ['connectdirect-initparm', readFixture('initparm.cfg'), '1364'],
  ['connectdirect-ini', readCorpus('ebasso--sterling-b2b-samples--my_cd_srvr.ini'), '1364'],
  ['connectdirect-zos', readFixture('INITPARM.txt'), '1364'],
];

/** [language, text, signal, written before, written after]: settings with a safe opposite. */
const RESOLVE_CASES: [string, string, SignalKind, string, string][] = [
  [
    'connectdirect-netmap',
    'local.node:\\\n :netmap.check=n:\\\n :proxy.attempt=n:\n',
    'netmap-check-off',
    'check=n',
    'check=y',
  ],
  ['connectdirect-ini', '[Server]\nCD_NETMAP_CHECK=N\n', 'netmap-check-off', 'CHECK=N', 'CHECK=Y'],
  ['connectdirect-zos', 'S+CMD.ENFORCE.SECURE.CONNECTION=NO\n', 'secure-connection-not-enforced', '=NO', '=YES'],
  [
    'connectdirect',
    'P PROCESS SNODE=X SECURE=(TLS11,ECDHE_RSA_AES_256_GCM_SHA384)\n',
    'weak-protocol',
    'TLS11',
    'TLS12',
  ],
  ['connectdirect', 'p process snode=x secure=tls\n', 'weak-protocol', '=tls', '=tls12'],
  ['connectdirect-spcli', 'update localnode protocol=(tls1.0,tls1.2);\n', 'weak-protocol', 'tls1.0,', ''],
  ['connectdirect-spcli', 'update localnode protocol=(tls1.2,tls1.1);\n', 'weak-protocol', ',tls1.1', ''],
  ['connectdirect-spcli', 'update remotenode name=P protocol=ssl3.0;\n', 'weak-protocol', 'ssl3.0', 'tls1.2'],
  ['connectdirect-spcli', 'update localnode protocol=(TLS1.0,TLS1.1);\n', 'weak-protocol', 'TLS1.0', 'TLS1.2'],
];

/** [language, text, signal]: settings without a safe automatic value. */
const NO_RESOLVE_CASES: [string, string, SignalKind][] = [
  ['connectdirect-netmap', 'P1:\\\n :alternate.comminfo=*:\n', 'alternate-comminfo-any'],
  ['connectdirect', 'P PROCESS SNODE=X SECURE=OFF\n', 'secure-off'],
  ['connectdirect', 'P PROCESS SNODE=X SNODEID=(u,pw1)\n', 'password-in-text'],
  ['connectdirect-ini', '[Server]\nCD_KEYSTORE_PWD=changeit\n', 'password-in-text'],
];

describe('Connect:Direct fixes', () => {
  for (const [language, text, port, before, after] of BIND_CASES) {
    it(`${language}: binds the API listener ${port} to loopback by writing ${JSON.stringify(after)}, and nothing else`, async () => {
      await assertBindsToLoopback(language, text, port, before, after);
    });
  }

  for (const [language, text, port] of NO_BIND_CASES) {
    it(`${language}: does not bind the server listener ${port}, which partners must reach`, async () => {
      const scanned = await scanAs(language, text);
      assert.equal(
        (await fixesOf(language)).bindToLoopback!(scanned.text, scanned.at(port), new TextAnalyses(scanned.text)),
        undefined,
      );
    });
  }

  for (const [language, text, kind, before, after] of RESOLVE_CASES) {
    it(`${language}: resolves ${kind} by writing ${JSON.stringify(after)} for ${JSON.stringify(before)}`, async () => {
      await assertResolves(language, text, kind, before, after);
    });
  }

  for (const [language, text, kind] of NO_RESOLVE_CASES) {
    it(`${language}: has no automatic value for ${kind}`, async () => {
      const scanned = await scanAs(language, text);
      assert.equal(
        (await fixesOf(language)).resolveSignal!(scanned.text, signalAt(scanned, kind), new TextAnalyses(scanned.text)),
        undefined,
      );
    });
  }

  it('binds the API listener that a sed edit writes through a variable, in the script itself', async () => {
    const script = await scanShell(
      'PORT=1363\nsed -i "s/^ :tcp.api=.*:/ :tcp.api=0.0.0.0;${PORT}:/" /opt/cdunix/ndm/cfg/n/netmap.cfg\n',
    );
    const edits = (await fixesOf('connectdirect-netmap')).bindToLoopback!(
      script.text,
      script.at('${PORT}'),
      new TextAnalyses(script.text),
    );
    const fixed = await scanShell(applyEdits(script.text, edits!));
    assert.equal(fixed.text, script.text.replace('0.0.0.0;${PORT}', '127.0.0.1;${PORT}'));
    assert.equal(fixed.at('${PORT}').exposure, 'loopback');
  });

  it('turns netmap checking on where an echo line writes it into netmap.cfg', async () => {
    const script = await scanShell("echo ' :netmap.check=n:' >> /opt/cdunix/ndm/cfg/n/netmap.cfg\n");
    const edits = (await fixesOf('connectdirect-netmap')).resolveSignal!(
      script.text,
      signalAt(script, 'netmap-check-off'),
      new TextAnalyses(script.text),
    );
    assert.equal(applyEdits(script.text, edits!), "echo ' :netmap.check=y:' >> /opt/cdunix/ndm/cfg/n/netmap.cfg\n");
  });
});

describe('Connect:Direct suppression comments', () => {
  /** [language, text]: one finding each, under a directive in the format's own comment syntax. */
  const SUPPRESSED: [string, string][] = [
    [
      'connectdirect',
      '/* portlens-ignore-next-line connectdirect-password-in-text -- demo account */\nP PROCESS SNODE=X SNODEID=(demo,passw0rd)\n',
    ],
    [
      'connectdirect-netmap',
      'local.node:\\\n# portlens-ignore-next-line connectdirect-netmap-check-off -- lab node\n :netmap.check=n:\n',
    ],
    [
      'connectdirect-ini',
      '[Server]\n; portlens-ignore-next-line connectdirect-netmap-check-off -- lab node\nCD_NETMAP_CHECK=N\n',
    ],
    [
      'connectdirect-zos',
      '/* portlens-ignore-next-line connectdirect-secure-connection-not-enforced -- migration */\nS+CMD.ENFORCE.SECURE.CONNECTION=NO\n',
    ],
  ];

  for (const [language, text] of SUPPRESSED) {
    it(`${language}: silences a finding with a comment it can hold`, async () => {
      const scanned = await scanAs(language, text);
      assert.equal(scanned.scan.findings.length, 1);
      assert.ok(scanned.scan.findings[0].suppressed, JSON.stringify(scanned.scan.findings[0]));
    });
  }

  it('connectdirect-netmap: takes # as a comment only in column 1, so an indented directive silences nothing', async () => {
    const scanned = await scanAs(
      'connectdirect-netmap',
      'local.node:\\\n # portlens-ignore-next-line connectdirect-netmap-check-off -- lab\n :netmap.check=n:\n',
    );
    assert.equal(
      scanned.scan.findings.filter(
        (finding) => finding.ruleId === 'connectdirect-netmap-check-off' && !finding.suppressed,
      ).length,
      1,
    );
  });
});
