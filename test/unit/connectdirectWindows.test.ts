import * as assert from 'node:assert/strict';
import {
  connectDirectSamples,
  hoverAt,
  outlineNames,
  readCorpus,
  scanHostile,
  signalAt,
  symbolsOf,
} from './connectdirectHelpers';
import { fuzzFormat } from './fuzz';
import { scanAs, assertEvery } from './helpers';

const windows = (text: string) => scanAs('connectdirect-ini', text);
const spcli = (text: string) => scanAs('connectdirect-spcli', text);

describe('Connect:Direct for Windows INI files', () => {
  describe('netmap export', () => {
    it('reads IPAddress, the alternate addresses and UDT addresses of each node', async () => {
      const scanned = await windows(
        [
          '[Node:CLEARHOUSE]',
          'IPAddress=cd.clearhouse.example.com;11364',
          'AltCommAddr=198.51.100.7;11365,198.51.100.8;11366',
          'UDT33IPAddress=cd.clearhouse.example.com;4400',
          'AltCommInfo=*',
          '[Node:CD.NODE2]',
          'IPAddress=node2.example.com',
        ].join('\r\n'),
      );
      assert.deepEqual(scanned.tokens, ['11364', '11365', '11366', '4400']);
      assertEvery(scanned.scan.mentions, (mention) => mention.role === 'connect' && mention.exposure === 'unknown');
      assert.equal(scanned.at('11364').context.peer, 'the server of partner CLEARHOUSE at cd.clearhouse.example.com');
      assert.deepEqual(
        scanned.at('11364').related?.map((related) => scanned.text.slice(related.span.start, related.span.end)),
        ['Node:CLEARHOUSE'],
      );
      assert.equal(
        scanned.at('11366').context.peer,
        'the server of partner CLEARHOUSE at alternate address 198.51.100.8',
      );
      assert.equal(scanned.at('4400').protocol, 'udp');
      assert.equal(signalAt(scanned, 'alternate-comminfo-any').detail, 'AltCommInfo=* for partner CLEARHOUSE');
    });

    it('ignores retry times, session limits, buffer sizes and pacing', async () => {
      const scanned = await windows(readCorpus('ebasso--sterling-b2b-samples--my_netmap.cfg'));
      assert.deepEqual(scanned.tokens, ['1364', '1364']);
      assert.deepEqual(scanned.scan.signals, []);
    });
  });

  describe('cd_srvr.ini', () => {
    it('reads CD_*_PORT with the matching _IP as listeners and with a _HOST as a connection', async () => {
      const scanned = await windows(
        [
          '[Server]',
          'CD_HOST_IP=',
          'CD_HOST_PORT=1364',
          'CD_API_IP=127.0.0.1',
          'CD_API_PORT=1363',
          'CD_POSTGRESQL_PORT=23610',
          'CD_NOTIFY_SMTP_HOST=mail.example.com',
          'CD_NOTIFY_SMTP_PORT=25',
          ';CD_AGENT_PORT=1365',
          'CD_EVENTLOG_FLAG=1',
          'CD_SETUP_TYPE=default',
        ].join('\n'),
      );
      assert.deepEqual(scanned.tokens, ['1364', '1363', '23610', '25']);
      const host = scanned.at('1364');
      assert.equal(host.role, 'listen');
      assert.equal(host.exposure, 'unknown', "a blank CD_HOST_IP takes this computer's address, not every interface");
      assert.equal(scanned.at('1363').exposure, 'loopback');
      assert.deepEqual(
        scanned.at('1363').related?.map((related) => scanned.text.slice(related.span.start, related.span.end)),
        ['CD_API_IP'],
      );
      assert.equal(scanned.at('23610').context.note, 'PostgreSQL database of this installation, CD_POSTGRESQL_PORT');
      const smtp = scanned.at('25');
      assert.equal(smtp.role, 'connect');
      assert.equal(smtp.context.peer, 'mail.example.com');
    });

    it('reports CD_NETMAP_CHECK=N and passwords in *_PWD keys, never echoing them', async () => {
      const scanned = await windows(
        '[Server]\nCD_NETMAP_CHECK=N\nCD_KEYSTORE_PWD=changeit\nCD_CLIENT_KEYCERT_PWD=\nCD_ADMIN_USERID=cdadmin\n',
      );
      assert.deepEqual(
        scanned.scan.signals.map(
          (signal) => `${signal.kind} ${scanned.text.slice(signal.span.start, signal.span.end)}`,
        ),
        ['netmap-check-off CD_NETMAP_CHECK=N', 'password-in-text changeit'],
      );
      assert.ok(!signalAt(scanned, 'password-in-text').detail.includes('changeit'));
    });
  });

  describe('hover and outline', () => {
    it('describes node sections and settings', async () => {
      const scanned = await windows(readCorpus('ebasso--sterling-b2b-samples--my_netmap.cfg'));
      assert.match(
        (await hoverAt(scanned, 'CD.NODE2'))!,
        /\*\*CD\.NODE2\*\* · remote node \(Windows netmap\)\n\nPartner's server: `node2\.company2\.com;1364`\./,
      );
      assert.match((await hoverAt(scanned, 'BufferSize'))!, /Buffer size, in bytes \(not a port\)/);
      const server = await windows(readCorpus('ebasso--sterling-b2b-samples--my_cd_srvr.ini'));
      assert.match(
        (await hoverAt(server, 'CD_API_IP'))!,
        /Address the API listener binds to; `0\.0\.0\.0` is every interface\./,
      );
    });

    it('outlines node sections as nodes and the other sections by name', async () => {
      const scanned = await windows(readCorpus('ebasso--sterling-b2b-samples--my_netmap.cfg'));
      const symbols = await symbolsOf(scanned);
      assert.deepEqual(outlineNames(symbols), [
        'node CD.NODE1',
        'node CD.NODE2',
        'section Path:TCPCommPath',
        'section Mode:Mode1',
      ]);
      assert.equal(symbols[0].detail, 'node1.company.com;1364');
    });
  });

  it('reads keys named like built-in object properties as ordinary unknown keys', async () => {
    const scanned = await windows(
      '[Node:X]\nconstructor=a.example.com;1364\n__proto__=b;1365\n[Server]\nCD_CONSTRUCTOR_PORT=1366\n',
    );
    assert.deepEqual(scanned.tokens, ['1366']);
    assert.equal(await hoverAt(scanned, 'constructor'), undefined);
  });

  it('reads 10,000 node sections in linear time', async () => {
    const text = Array.from(
      { length: 10_000 },
      (_, index) => `[Node:N${index}]\nIPAddress=n${index}.example.com;1364\nLRetryTime=180\n`,
    ).join('');
    const scanned = await scanHostile('connectdirect-ini', text);
    assert.equal(scanned.scan.mentions.length, 10_000);
  });
});

describe('Connect:Direct Secure+ spcli scripts', () => {
  it('reports protocols older than TLS 1.2 and written passphrases, and names no ports', async () => {
    const scanned = await spcli(
      [
        '; keys',
        'import keycert file="keycert.txt" passphrase=s3cret label="My KeyCert";',
        'update localnode protocol=(tls1.0,tls1.2) override=n securitymode=disable;',
        'update remotenode name=PARTNER',
        '  protocol=ssl3.0',
        '  port=1364;',
        'update remotenode name=GOOD protocol=(tls1.2,tls1.3);',
        'quit;',
      ].join('\n'),
    );
    assert.deepEqual(scanned.tokens, []);
    assert.deepEqual(
      scanned.scan.signals.map((signal) => `${signal.kind} ${scanned.text.slice(signal.span.start, signal.span.end)}`),
      ['password-in-text s3cret', 'weak-protocol tls1.0', 'weak-protocol ssl3.0'],
    );
    assert.equal(signalAt(scanned, 'weak-protocol', 1).detail, 'ssl3.0 (SSL 3.0) in update remotenode');
  });

  it('outlines the commands', async () => {
    const scanned = await spcli(readCorpus('ebasso--sterling-b2b-samples--my_spcli.ini'));
    assert.deepEqual(outlineNames(await symbolsOf(scanned)), [
      'section import keycert',
      'section import trustedcert',
      'section update localnode',
      'section display localnode',
      'section validate parmfile',
      'section quit',
    ]);
  });
});

describe('Connect:Direct Windows and spcli fuzzing', () => {
  fuzzFormat('connectdirect-ini', connectDirectSamples());
  fuzzFormat('connectdirect-spcli', connectDirectSamples());
});
