import * as assert from 'node:assert/strict';
import {
  connectDirectSamples,
  hoverAt,
  outlineNames,
  readCorpus,
  readFixture,
  scanHostile,
  signalAt,
  symbolsOf,
} from './connectdirectHelpers';
import { fuzzFormat } from './fuzz';
import { scanAs, scanShell, assertEvery } from './helpers';

const netmap = (text: string) => scanAs('connectdirect-netmap', text);

describe('Connect:Direct UNIX configuration records', () => {
  describe('netmap.cfg', () => {
    it('reads tcp.api as the API listener, its exposure from the address', async () => {
      const scanned = await netmap(
        [
          'local.node:\\',
          ' :tcp.api=0.0.0.0;1363:\\',
          ' :comm.bufsize=65536:',
          'other.api:\\',
          ' :tcp.api=127.0.0.1;2363:',
          'v6:\\',
          ' :tcp.api=::;3363:',
          'lan:\\',
          ' :tcp.api=10.1.2.3;4363:',
          'named:\\',
          ' :tcp.api=cdhost;5363:',
        ].join('\n'),
      );
      assert.deepEqual(scanned.tokens, ['1363', '2363', '3363', '4363', '5363']);
      assertEvery(
        scanned.scan.mentions,
        (mention) => mention.role === 'listen' && mention.context.direction === 'inbound',
      );
      assert.deepEqual(
        scanned.scan.mentions.map((mention) => mention.exposure),
        ['any', 'loopback', 'any', 'private', 'unknown'],
      );
      assert.equal(scanned.at('1363').context.note, 'API listener, tcp.api in record local.node');
      assert.equal(scanned.at('1363').context.bindAddress, '0.0.0.0');
    });

    it('reads comm.info as the partner server in a node record, with the record as related and UDT as udp', async () => {
      const scanned = await netmap(
        [
          'CLEARHOUSE:\\',
          '  :comm.info=cd.clearhouse.example.com;11364:\\',
          '  :alt.comm.outbound=198.51.100.7;11364, 198.51.100.8;11365:\\',
          '  :comm.transport=tcp:',
          'BULK:\\',
          '  :comm.info=fd00::5;4400:\\',
          '  :comm.transport=udt33:',
          'tcp.ip.default:\\',
          '  :comm.info=0.0.0.0;1364:',
        ].join('\n'),
      );
      assert.deepEqual(scanned.tokens, ['11364', '11364', '11365', '4400', '1364']);
      assertEvery(scanned.scan.mentions, (mention) => mention.role === 'connect' && mention.exposure === 'unknown');
      const partner = scanned.at('11364');
      assert.equal(partner.context.peer, 'the server of partner CLEARHOUSE at cd.clearhouse.example.com');
      assert.equal(partner.context.note, 'server port of partner CLEARHOUSE');
      assert.deepEqual(
        partner.related?.map((related) => scanned.text.slice(related.span.start, related.span.end)),
        ['CLEARHOUSE'],
      );
      assert.equal(
        scanned.at('11365').context.peer,
        'the server of partner CLEARHOUSE at alternate address 198.51.100.8',
      );
      assert.equal(scanned.at('4400').protocol, 'udp');
      assert.equal(scanned.at('4400').context.peer, 'the server of partner BULK at fd00::5');
      // Occurrences 0 and 1 of "1364" are inside "11364".
      assert.equal(
        scanned.at('1364', 2).context.peer,
        'the server of partners not in the netmap (tcp.ip.default) at 0.0.0.0',
      );
    });

    it('reads comm.info in local.node as this node listening, and a partner named by its address', async () => {
      const scanned = await netmap(
        ['local.node:\\', ' :comm.info=10.0.0.5;1364:', '10.20.1.5;1364:\\', ' :comm.transport=tcp:'].join('\n'),
      );
      assert.equal(scanned.at('1364', 0).role, 'listen');
      assert.equal(scanned.at('1364', 0).exposure, 'private');
      assert.equal(scanned.at('1364', 1).role, 'connect');
      assert.equal(scanned.at('1364', 1).context.peer, "the partner's server at 10.20.1.5");
    });

    it('reports netmap.check=n and alternate.comminfo=*, and reads listed alternate addresses as sources', async () => {
      const scanned = await netmap(
        [
          'local.node:\\',
          ' :netmap.check=n:',
          'strict.node:\\',
          ' :netmap.check=y:',
          'P1:\\',
          ' :alternate.comminfo=*:',
          'P2:\\',
          ' :alternate.comminfo=10.9.8.7;1364:',
        ].join('\n'),
      );
      assert.equal(signalAt(scanned, 'netmap-check-off').detail, 'netmap.check=n in record local.node');
      assert.equal(signalAt(scanned, 'alternate-comminfo-any').detail, 'alternate.comminfo=* for partner P1');
      assert.equal(scanned.scan.signals.length, 2);
      assert.equal(scanned.at('1364').role, 'other');
      assert.equal(scanned.at('1364').context.note, 'alternate.comminfo: partner P2 may connect from 10.9.8.7');
    });

    it('ignores sizes, counts, timers, phone numbers and descriptions', async () => {
      const scanned = await netmap(
        [
          'local.node:\\',
          ' :api.max.connects=16:\\',
          ' :tcp.api.bufsize=32768:\\',
          ' :comm.bufsize=65536:\\',
          ' :tcp.max.time.to.wait=180:\\',
          ' :runstep.max.time.to.wait=0:\\',
          ' :sess.total=255:\\',
          ' :sess.pnode.max=255:\\',
          ' :conn.retry.stwait=00.00.30:\\',
          ' :conn.retry.ltattempts=6:\\',
          ' :pacing.send.delay=0:\\',
          ' :contact.phone=+1 555 0100 1364:\\',
          ' :descrip=partner on port 1364:',
        ].join('\n'),
      );
      assert.deepEqual(scanned.tokens, []);
    });

    it('takes # as a comment only in column 1', async () => {
      const scanned = await netmap(
        ['# :tcp.api=0.0.0.0;1363:', 'local.node:\\', ' # :tcp.api=0.0.0.0;2363:'].join('\n'),
      );
      assert.deepEqual(scanned.tokens, ['2363']);
    });

    it('reads damaged lines from generated files: :/\\ endings, missing backslashes, CRLF', async () => {
      const scanned = await netmap(
        'local.node:\\\r\n :tcp.api=0.0.0.0;1363:/\\\r\nP1:\r\n :comm.info=cd.example.com;1364:\\\\\\/\r\n',
      );
      assert.deepEqual(scanned.tokens, ['1363', '1364']);
    });

    it('reads a Windows netmap export saved as netmap.cfg as the INI file it is', async () => {
      const scanned = await netmap(readCorpus('ebasso--sterling-b2b-samples--my_netmap.cfg'));
      assert.deepEqual(scanned.tokens, ['1364', '1364']);
      assert.equal(scanned.at('1364').language, 'connectdirect-ini');
    });
  });

  describe('initparm.cfg and ndmapi.cfg', () => {
    it('reads rnode.listen comm.info as the server listener and firewall navigation source ports', async () => {
      const scanned = await scanAs('connectdirect-initparm', readFixture('initparm.cfg'));
      const listener = scanned.at('1364');
      assert.equal(listener.role, 'listen');
      assert.equal(listener.exposure, 'any');
      assert.equal(listener.context.note, 'server listener for partner sessions, comm.info in record rnode.listen');
      const range = scanned.at('5000-5050');
      assert.equal(range.port, 5000);
      assert.equal(range.endPort, 5050);
      assert.equal(range.role, 'other');
      assert.equal(range.context.note, 'source port for outbound sessions to 10.20.30.*, tcp.src.ports');
      assert.equal(scanned.at('1376').context.note, 'source port for outbound sessions to 192.0.2.17, tcp.src.ports');
    });

    it('reads tcp.port of ndmapi.cfg as the API the CLI connects to, at tcp.hostname', async () => {
      const scanned = await scanAs('connectdirect-config', readFixture('ndmapi.cfg'));
      assert.deepEqual(scanned.tokens, ['1363']);
      assert.equal(scanned.at('1363').role, 'connect');
      assert.equal(scanned.at('1363').context.peer, 'the Connect:Direct API at cd-api.payments.internal');
    });

    it('reads other *.port keys as ports without guessing their direction', async () => {
      const scanned = await scanAs('connectdirect-initparm', 'cdai:\\\n :agent.port=1365:\\\n :agent.enable=y:\n');
      assert.equal(scanned.at('1365').role, 'other');
      assert.equal(scanned.at('1365').context.note, 'agent.port in record cdai');
    });
  });

  describe('lone fields, as sed writes them', () => {
    it('reads a comm.info field as the listener in initparm.cfg and as a partner in netmap.cfg', async () => {
      const initparm = await scanAs('connectdirect-initparm', ' :comm.info=0.0.0.0;1364:\\/');
      assert.equal(initparm.at('1364').role, 'listen');
      assert.equal(initparm.at('1364').exposure, 'any');
      const partner = await netmap(' :comm.info=cd.example.com;1364:');
      assert.equal(partner.at('1364').role, 'connect');
      assert.equal(partner.at('1364').context.peer, 'the server of a partner at cd.example.com');
      const api = await netmap(':tcp.api=0.0.0.0;1363:');
      assert.equal(api.at('1363').role, 'listen');
      assert.equal(api.at('1363').context.note, 'API listener, tcp.api');
    });

    it('reads sed edits, echo lines and heredocs that shell scripts write into the configuration files', async () => {
      const script = await scanShell(
        [
          "sed -i 's/^ :tcp.api=.*$/ :tcp.api=0.0.0.0;1363:\\\\/' /opt/cdunix/ndm/cfg/cd.node/netmap.cfg",
          "sed -e 's/^ :comm.info=.*$/ :comm.info=0.0.0.0;1364:/' -i /opt/cdunix/ndm/cfg/cd.node/initparm.cfg",
          "echo ' :netmap.check=n:' >> /opt/cdunix/ndm/cfg/cd.node/netmap.cfg",
          'cat > /opt/cdunix/ndm/cfg/cliapi/ndmapi.cfg <<EOF',
          'cli.parms:\\',
          ' :tcp.hostname=localhost:\\',
          ' :tcp.port=1363:',
          'EOF',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['1363', '1364', '1363']);
      assert.equal(script.at('1363', 0).language, 'connectdirect-netmap');
      assert.equal(script.at('1363', 0).role, 'listen');
      assert.equal(script.at('1364').language, 'connectdirect-initparm');
      assert.equal(script.at('1364').role, 'listen');
      assert.equal(script.at('1363', 1).role, 'connect');
      assert.equal(script.at('1363', 1).context.peer, 'the Connect:Direct API at localhost');
      assert.equal(signalAt(script, 'netmap-check-off').language, 'connectdirect-netmap');
    });
  });

  describe('hover', () => {
    it('describes records and says what a number that is not a port is', async () => {
      const scanned = await netmap(readCorpus('ebasso--connect-direct-ops--netmap_full.cfg'));
      assert.match(
        (await hoverAt(scanned, 'local.node'))!,
        /\*\*local\.node\*\* · this node's own settings.*\n\nAPI listener: `0\.0\.0\.0;1363`\.\n\nnetmap\.check=`n`\./s,
      );
      assert.match(
        (await hoverAt(scanned, 'DEMOBANK'))!,
        /\*\*DEMOBANK\*\* · remote node record\n\nPartner's server: `cddemo\.demobank\.com;1364` \(tcp\)\./,
      );
      assert.match(
        (await hoverAt(scanned, '65536'))!,
        /\*\*comm\.bufsize\*\*\n\nBuffer size for data, in bytes \(not a port\)\./,
      );
      assert.match(
        (await hoverAt(scanned, 'tcp.ip.default'))!,
        /defaults for TCP\/IP partners that are not in the netmap/,
      );
    });

    it('describes remote user proxies of userfile.cfg', async () => {
      const scanned = await scanAs('connectdirect-config', readCorpus('ebasso--connect-direct-ops--userfile.cfg'));
      assert.match(
        (await hoverAt(scanned, 'demouser@DEMOBANK'))!,
        /remote user proxy\n\nUser `demouser` of node `DEMOBANK` works here as local user `appuser`\./,
      );
    });
  });

  it('outlines this node, partners and other records', async () => {
    const scanned = await netmap(readCorpus('ebasso--connect-direct-ops--netmap_full.cfg'));
    const symbols = await symbolsOf(scanned);
    assert.deepEqual(outlineNames(symbols), [
      'node local.node',
      'record tcp.ip.default',
      'node CDNODE01',
      'node DEMOBANK',
    ]);
    assert.equal(symbols[3].detail, 'cddemo.demobank.com;1364');
    const initparm = await scanAs('connectdirect-initparm', readFixture('initparm.cfg'));
    assert.ok(outlineNames(await symbolsOf(initparm)).includes('record rnode.listen'));
  });

  describe('bad input', () => {
    it('reads 10,000 records in linear time', async () => {
      const text = Array.from(
        { length: 10_000 },
        (_, index) => `NODE${index}:\\\n :comm.info=cd${index}.example.com;1364:\\\n :sess.total=10:\n`,
      ).join('\n');
      const scanned = await scanHostile('connectdirect-netmap', text);
      assert.equal(scanned.scan.mentions.length, 10_000);
    });

    it('survives a megabyte line of colons and field openers', async () => {
      const hostile = `x:${':a'.repeat(200_000)}${':tcp.api='.repeat(50_000)}`;
      const scanned = await scanHostile('connectdirect-netmap', `${hostile}\nlocal.node:\\\n :tcp.api=0.0.0.0;1363:\n`);
      assert.deepEqual(scanned.tokens, ['1363']);
    });
  });
});

describe('Connect:Direct UNIX configuration fuzzing', () => {
  fuzzFormat('connectdirect-netmap', connectDirectSamples());
  fuzzFormat('connectdirect-initparm', connectDirectSamples());
  fuzzFormat('connectdirect-config', connectDirectSamples());
});
