import * as assert from 'node:assert/strict';
import {
  connectDirectSamples,
  hoverAt,
  outlineNames,
  readFixture,
  scanHostile,
  signalAt,
  symbolsOf,
} from './connectdirectHelpers';
import { fuzzFormat } from './fuzz';
import { scanAs, assertEvery } from './helpers';

const zos = (text: string) => scanAs('connectdirect-zos', text);

describe('Connect:Direct z/OS members', () => {
  describe('initialization parameters', () => {
    it('reads TCP.LISTEN and TCP.API.LISTEN pairs as listeners, their exposure from the address', async () => {
      const scanned = await zos(
        [
          'TCP.LISTEN=((ANYADDR,1364),(10.40.1.20,11364),(cdhost.example.com,21364))',
          'TCP.API.LISTEN=(ANYADDR6,1363)',
          'TCP.API.LISTEN=((127.0.0.1,2363),(,3363))',
        ].join('\n'),
      );
      assert.deepEqual(scanned.tokens, ['1364', '11364', '21364', '1363', '2363', '3363']);
      assertEvery(scanned.scan.mentions, (mention) => mention.role === 'listen');
      assert.deepEqual(
        scanned.scan.mentions.map((mention) => mention.exposure),
        ['any', 'private', 'unknown', 'any', 'loopback', 'unknown'],
      );
      assert.equal(scanned.at('1363').context.note, 'API listener, TCP.API.LISTEN');
      assert.equal(scanned.at('1363').context.bindAddress, 'ANYADDR6');
      assert.equal(scanned.at('11364').context.note, 'server listener for partner sessions, TCP.LISTEN');
    });

    it('reads pairs across continuations and comments', async () => {
      const scanned = await zos(
        ['TCP.LISTEN=((ANYADDR, -  /* ALL */', '1364), -', '(10.1.1.1,', '  11364))'].join('\n'),
      );
      assert.deepEqual(scanned.tokens, ['1364', '11364']);
    });

    it('reports S+CMD.ENFORCE.SECURE.CONNECTION=NO, and not YES', async () => {
      const scanned = await zos('S+CMD.ENFORCE.SECURE.CONNECTION=NO\nS+CMD.ENFORCE.SECURE.CONNECTION=YES\n');
      assert.equal(scanned.scan.signals.length, 1);
      assert.equal(signalAt(scanned, 'secure-connection-not-enforced').detail, 'S+CMD.ENFORCE.SECURE.CONNECTION=NO');
    });

    it('ignores counts, sizes and names', async () => {
      const scanned = await zos(
        [
          'MAXUSERS=10',
          'MAXPRIMARY=20',
          'MAXSECONDARY=20',
          'MAXPROCESS=255',
          'TCP.TIMER=180',
          'CKPT=1M',
          'STATISTICS.ARCHIVE.DSN=CD.D240131',
          'ABEND.CODES.NODUMP=(S0C4,S0C1)',
        ].join('\n'),
      );
      assert.deepEqual(scanned.tokens, []);
    });
  });

  describe('network-map source', () => {
    it('reads the port of TCP and UDT33 adjacent nodes, TCPAPI and ALTERNATE.COMMINFO, and not PARSESS or SNA names', async () => {
      const scanned = await zos(readFixture('NETMAP.txt'));
      assert.deepEqual(scanned.tokens, ['1364', '1363', '11364', '11365', '4400']);
      assertEvery(scanned.scan.mentions, (mention) => mention.role === 'connect' && mention.exposure === 'unknown');
      const partner = scanned.at('11364');
      assert.equal(partner.context.peer, 'the server of partner CLEARHOUSE at cd.clearhouse.example.com');
      assert.deepEqual(
        partner.related?.map((related) => scanned.text.slice(related.span.start, related.span.end)),
        ['CLEARHOUSE'],
      );
      assert.equal(
        scanned.at('11365').context.peer,
        'the server of partner CLEARHOUSE at alternate address 198.51.100.44',
      );
      assert.equal(scanned.at('1364').context.peer, 'the server of this node (CD.PAYMENTS) at 10.40.1.20');
      assert.equal(scanned.at('1363').context.note, 'API port of this node (CD.PAYMENTS), TCPAPI');
      assert.equal(scanned.at('4400').protocol, 'udp');
    });

    it('reads abbreviated ALTernate keywords and lists of alternates, and skips SNA alternates', async () => {
      const scanned = await zos(
        [
          'ADJACENT.NODE=((P1,1364,10.0.0.1,TCP)                            -',
          '   ALT.COMM=((ALT.ADDR=10.0.0.2,ALT.PORT=2364),                   -',
          '             (ALT.NODEDEF=P1B,ALT.PORT=3364,ALT.TYPE=TCP),         -',
          '             (ALT.NODEDEF=P1SNA,ALT.TYPE=SNA)))',
        ].join('\n'),
      );
      assert.deepEqual(scanned.tokens, ['1364', '2364', '3364']);
      assert.equal(scanned.at('3364').context.peer, 'the server of partner P1 at alternate address P1B');
    });

    it('reports the superuser password of LOCAL.NODE', async () => {
      const scanned = await zos(readFixture('NETMAP.txt'));
      const signal = signalAt(scanned, 'password-in-text');
      assert.equal(scanned.text.slice(signal.span.start, signal.span.end), 'SUPERPW1');
      assert.equal(signal.detail, 'superuser password of LOCAL.NODE CD.PAYMENTS');
    });
  });

  describe('hover and outline', () => {
    it('describes adjacent nodes and parameters that are not ports', async () => {
      const scanned = await zos(readFixture('NETMAP.txt'));
      assert.match(
        (await hoverAt(scanned, 'CLEARHOUSE'))!,
        /\*\*CLEARHOUSE\*\* · adjacent node\n\nTCP sessions to port `11364` at `cd\.clearhouse\.example\.com`\./,
      );
      assert.match((await hoverAt(scanned, 'CD.LEGACY'))!, /SNA sessions \(no TCP\/IP port\)/);
      assert.match((await hoverAt(scanned, 'CD.PAYMENTS,1364'))!, /this node's own entry \(ADJACENT\.NODE\)/);
      assert.match(
        (await hoverAt(scanned, '(6,2)'))!,
        /\*\*PARSESS\*\*\n\n`\(most, default\)` parallel sessions \(not ports\)\./,
      );
      const initparm = await zos(readFixture('INITPARM.txt'));
      assert.match((await hoverAt(initparm, 'MAXUSERS=10'))!, /Most concurrent API sign-ons \(not a port\)/);
    });

    it('outlines nodes by name and initialization parameters by keyword', async () => {
      const netmap = await symbolsOf(await zos(readFixture('NETMAP.txt')));
      assert.deepEqual(outlineNames(netmap), [
        'node CD.PAYMENTS',
        'node CD.PAYMENTS',
        'node CLEARHOUSE',
        'node WIN.BRANCH',
        'node BULK.UDT',
        'node CD.LEGACY',
      ]);
      assert.equal(netmap[2].detail, 'ADJACENT.NODE 11364 cd.clearhouse.example.com');
      const initparm = await symbolsOf(await zos(readFixture('INITPARM.txt')));
      assert.equal(initparm.find((symbol) => symbol.name === 'TCP.API.LISTEN')?.detail, '(ANYADDR6,1363)');
    });
  });

  it('reads keywords named like built-in object properties as ordinary unknown keywords', async () => {
    const scanned = await zos('constructor=(ANYADDR,1364)\ntoString=(ANYADDR,1363)\n');
    assert.deepEqual(scanned.tokens, []);
    assert.equal(await hoverAt(scanned, 'constructor'), undefined);
  });

  it('reads 10,000 adjacent nodes in linear time', async () => {
    const text = Array.from(
      { length: 10_000 },
      (_, index) => `ADJACENT.NODE=((N${index},1364,10.0.${index % 250}.1,TCP) PARSESS=(4,2))\n`,
    ).join('');
    const scanned = await scanHostile('connectdirect-zos', text);
    assert.equal(scanned.scan.mentions.length, 10_000);
  });
});

describe('Connect:Direct z/OS fuzzing', () => {
  fuzzFormat('connectdirect-zos', connectDirectSamples());
});
