import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { FIXTURES, corpusFiles, mentionSummary, readCorpus, readFixture, signalSummary } from './connectdirectHelpers';
import { scanAs, testService } from './helpers';

interface Expected {
  language: string;
  /** `line:token role exposure`, every mention of the file in order: nothing more is a port. */
  mentions: string[];
  signals: string[];
}

const PASSWORD = 'password-in-text "passw0rd"';

/** Every Connect:Direct corpus file, what it is, and exactly the ports it holds. */
const CORPUS_EXPECTED: Record<string, Expected> = {
  'ebasso--connect-direct-ops--netmap.cfg': {
    language: 'connectdirect-netmap',
    mentions: ['10:1364 connect unknown', '24:1364 connect unknown'],
    signals: [],
  },
  'ebasso--connect-direct-ops--netmap_full.cfg': {
    language: 'connectdirect-netmap',
    mentions: ['17:1363 listen any', '56:1364 connect unknown', '71:1364 connect unknown'],
    signals: ['netmap-check-off "netmap.check=n"'],
  },
  'ebasso--connect-direct-ops--userfile.cfg': { language: 'connectdirect-config', mentions: [], signals: [] },
  'ebasso--ibm-sterling-b2b-cd-loadtest-with-jmeter--sendfile.cdp': {
    language: 'connectdirect',
    mentions: [],
    signals: [],
  },
  'ebasso--sterling-b2b-samples--Copy2SFG.cdp': { language: 'connectdirect', mentions: [], signals: [PASSWORD] },
  'ebasso--sterling-b2b-samples--copy-from-sfg-cdp-adv-1.cdp': {
    language: 'connectdirect',
    mentions: [],
    signals: [PASSWORD, PASSWORD],
  },
  'ebasso--sterling-b2b-samples--copy-from-sfg-cdp-adv.cdp': {
    language: 'connectdirect',
    mentions: [],
    signals: [PASSWORD, PASSWORD],
  },
  'ebasso--sterling-b2b-samples--copy-from-sfg-cdp.cdp': {
    language: 'connectdirect',
    mentions: [],
    signals: [PASSWORD, PASSWORD],
  },
  'ebasso--sterling-b2b-samples--copy-from-sfg-txt.cdp': {
    language: 'connectdirect',
    mentions: [],
    signals: [PASSWORD],
  },
  'ebasso--sterling-b2b-samples--copy-from-sfg-xml.cdp': {
    language: 'connectdirect',
    mentions: [],
    signals: [PASSWORD],
  },
  'ebasso--sterling-b2b-samples--my_cd_srvr.ini': {
    language: 'connectdirect-ini',
    mentions: ['6:1364 listen any', '8:1363 listen any', '12:23610 listen unknown'],
    signals: ['password-in-text "postgrespasswd"', 'password-in-text "syspasswd"', 'password-in-text "changeit"'],
  },
  'ebasso--sterling-b2b-samples--my_netmap.cfg': {
    language: 'connectdirect-ini',
    mentions: ['18:1364 connect unknown', '48:1364 connect unknown'],
    signals: [],
  },
  'ebasso--sterling-b2b-samples--my_spcli.ini': {
    language: 'connectdirect-spcli',
    mentions: [],
    signals: ['password-in-text "password"'],
  },
};

/** The fixtures written for the kinds the corpus lacks. */
const FIXTURES_EXPECTED: Record<string, Expected> = {
  'initparm.cfg': {
    language: 'connectdirect-initparm',
    mentions: ['22:1364 listen any', '46:5000-5050 other unknown', '46:1376 other unknown'],
    signals: [],
  },
  'ndmapi.cfg': { language: 'connectdirect-config', mentions: ['6:1363 connect unknown'], signals: [] },
  'INITPARM.txt': {
    language: 'connectdirect-zos',
    mentions: ['5:1364 listen any', '6:11364 listen private', '7:1363 listen any'],
    signals: ['secure-connection-not-enforced "S+CMD.ENFORCE.SECURE.CONNECTION=NO"'],
  },
  'NETMAP.txt': {
    language: 'connectdirect-zos',
    mentions: [
      '7:1364 connect unknown',
      '9:1363 connect unknown',
      '13:11364 connect unknown',
      '15:11365 connect unknown',
      '24:4400 connect unknown',
    ],
    signals: ['password-in-text "SUPERPW1"'],
  },
  'PAYROLL.txt': {
    language: 'connectdirect',
    mentions: ['1:1364 connect unknown', '11:8443 connect unknown'],
    signals: ['password-in-text "PAYPW01"', 'weak-protocol "TLS11"'],
  },
  'nightly-send.cdp': {
    language: 'connectdirect',
    mentions: ['4:11364 connect unknown', '13:5666 connect unknown', '13:2222 connect unknown'],
    signals: ['secure-off "secure=off"'],
  },
  'configure-cd.sh': {
    language: 'shellscript',
    mentions: ['9:1363 listen any', '10:1364 listen any', '15:11364 connect unknown', '22:11364 connect unknown'],
    signals: ['alternate-comminfo-any "alternate.comminfo=*"'],
  },
};

async function assertFile(path: string, text: string, expected: Expected): Promise<void> {
  const service = await testService();
  assert.equal(service.detectLanguage(path, text), expected.language, `${path} is detected as ${expected.language}`);
  const scanned = await scanAs(expected.language, text);
  assert.deepEqual(mentionSummary(scanned), expected.mentions, `ports of ${path}`);
  assert.deepEqual(signalSummary(scanned), expected.signals, `signals of ${path}`);
}

describe('Connect:Direct corpus and fixtures', () => {
  it('covers every corpus file', () => {
    assert.deepEqual(corpusFiles(), Object.keys(CORPUS_EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(CORPUS_EXPECTED)) {
    it(`recognises ${name} and finds exactly its ports`, async () => {
      await assertFile(`connect-direct/${name}`, readCorpus(name), expected);
    });
  }

  it('recognises every corpus file by its content when its name tells nothing', async () => {
    const service = await testService();
    for (const [name, expected] of Object.entries(CORPUS_EXPECTED)) {
      assert.equal(service.detectLanguage('downloads/member.txt', readCorpus(name)), expected.language, name);
    }
  });

  it('does not claim files that only look alike: a make rule, prose about a process, an INI file of another program', async () => {
    const service = await testService();
    const lookalikes: [string, string][] = [
      ['build/Makefile', 'all: \\\n\tmain.o util.o\n\tcc -o app main.o util.o\n'],
      ['notes/worker.txt', 'import process\nThe worker process restarts every night.\n'],
      ['app/settings.ini', '[Server]\nHost=0.0.0.0\nPort=8080\n'],
    ];
    for (const [path, text] of lookalikes)
      assert.doesNotMatch(service.detectLanguage(path, text), /^connectdirect/, path);
  });

  it('covers every fixture', () => {
    assert.deepEqual(readdirSync(FIXTURES).sort(), Object.keys(FIXTURES_EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(FIXTURES_EXPECTED)) {
    it(`recognises the fixture ${name} and finds exactly its ports`, async () => {
      await assertFile(`cfg/${name}`, readFixture(name), expected);
    });
  }

  it('gives the Connect:Direct meaning of the corpus ports', async () => {
    const full = await scanAs('connectdirect-netmap', readCorpus('ebasso--connect-direct-ops--netmap_full.cfg'));
    const api = full.at('1363');
    assert.equal(api.context.bindAddress, '0.0.0.0');
    assert.equal(api.context.note, 'API listener, tcp.api in record local.node');
    assert.equal(full.at('1364', 1).context.peer, 'the server of partner DEMOBANK at cddemo.demobank.com');
    assert.deepEqual(
      full.at('1364', 1).related?.map((related) => full.text.slice(related.span.start, related.span.end)),
      ['DEMOBANK'],
    );
    const service = await testService();
    const card = (offset: number) => service.hover(full.scan, full.text, offset)!.markdown;
    assert.match(
      card(api.span.start),
      /\*\*Here:\*\* listening on 0\.0\.0\.0, every interface \(API listener, tcp\.api in record local\.node\) \(Connect:Direct netmap\)/,
    );
    assert.match(
      card(full.at('1364', 1).span.start),
      /connects to the server of partner DEMOBANK at cddemo\.demobank\.com \(outbound; opens nothing on this host\)/,
    );
    const windows = await scanAs('connectdirect-ini', readCorpus('ebasso--sterling-b2b-samples--my_cd_srvr.ini'));
    assert.equal(windows.at('1363').context.note, 'API listener, CD_API_PORT');
    assert.equal(windows.at('1364').context.note, 'server listener for partner sessions, CD_HOST_PORT');
  });
});
