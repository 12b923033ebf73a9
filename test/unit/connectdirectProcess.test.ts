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
import { scanAs, scanShell, testService } from './helpers';

const scanProcess = (text: string) => scanAs('connectdirect', text);

describe('Connect:Direct process language', () => {
  describe('SNODE', () => {
    it('reads SNODE=host;port as a connection to the partner server', async () => {
      const process = await scanProcess(
        'SEND01 PROCESS SNODE=cd.partner.example.com;1364\nSTEP1 COPY FROM (FILE=/a PNODE) TO (FILE=/b SNODE)\nPEND\n',
      );
      assert.deepEqual(process.tokens, ['1364']);
      const port = process.at('1364');
      assert.equal(port.role, 'connect');
      assert.equal(port.exposure, 'unknown', 'outbound use exposes nothing on this host');
      assert.equal(port.protocol, 'tcp');
      assert.equal(port.context.direction, 'outbound');
      assert.equal(port.context.peer, "the partner's server at cd.partner.example.com (SNODE)");
      assert.equal(port.context.tool, 'Connect:Direct process SEND01');
    });

    it('reads SNODE=TCPNAME=host;port, the z/OS SUBMIT form TCPNAME=host, port, IPv6 hosts and service names', async () => {
      const process = await scanProcess(
        [
          'ZOS1     PROCESS SNODE=TCPNAME=cdunix.example.com;11364',
          '         SUBMIT DSN=CD.PROCLIB(NEXT) SNODE = TCPNAME = 10.20.0.7, 1364',
          'V6       PROCESS SNODE=fd00::17;1364',
          'NAMED    PROCESS snode=cdhost;ndm-server',
          '         PEND',
        ].join('\n'),
      );
      assert.deepEqual(process.tokens, ['11364', '1364', '1364', 'ndm-server']);
      // Occurrence 0 of "1364" is inside "11364".
      assert.equal(process.at('1364', 1).context.peer, "the partner's server at 10.20.0.7 (SNODE)");
      assert.equal(process.at('1364', 1).context.tool, 'Connect:Direct SUBMIT');
      assert.equal(process.at('1364', 2).context.peer, "the partner's server at fd00::17 (SNODE)");
      const named = process.at('ndm-server');
      assert.equal(named.port, 1364);
      assert.equal(named.writtenName, 'ndm-server');
    });

    it('resolves SNODE=&symbolic through PROCESS, SUBMIT and SYMBOL definitions in the file', async () => {
      const process = await scanProcess(
        [
          'P1 PROCESS SNODE=&target &target=cd1.example.com;1364',
          'P2 PROCESS SNODE=&node',
          '   SYMBOL &node=&real',
          '   SYMBOL &real=cd2.example.com;2364',
          '   PEND',
        ].join('\n'),
      );
      assert.deepEqual(process.tokens, ['1364', '2364']);
      const first = process.at('1364');
      assert.equal(first.role, 'connect');
      assert.equal(first.context.peer, "the partner's server at cd1.example.com (SNODE)");
      assert.deepEqual(
        first.related?.map((related) => process.text.slice(related.span.start, related.span.end)),
        ['SNODE=&target'],
      );
      assert.equal(first.related?.[0].message, 'SNODE takes its value from &target');
      assert.equal(process.at('2364').related?.[0].message, 'SNODE takes its value from &node → &real');
    });

    it('reads a symbolic address that no SNODE uses, as a CLI submit passes it', async () => {
      const cli = await scanProcess(
        'submit file=/cd/processes/sendfile.cdp &snode=cd3.example.com;1364 &srcFile=/tmp/a;\n',
      );
      assert.deepEqual(cli.tokens, ['1364']);
      assert.equal(cli.at('1364').role, 'connect');
      assert.equal(cli.at('1364').context.note, 'value of &snode');
    });

    it('reads no port from a node name or a symbolic that the file never sets', async () => {
      const process = await scanProcess('P PROCESS SNODE=VM_SI_CD\nQ PROCESS SNODE=&snode\n');
      assert.deepEqual(process.tokens, []);
    });

    it('reads PNODE=host;port as the address of the primary node, not a connection', async () => {
      const process = await scanProcess('P PROCESS PNODE=cdlocal.example.com;1364 SNODE=PARTNER\n');
      assert.equal(process.at('1364').role, 'other');
      assert.equal(process.at('1364').context.note, 'address of the PNODE, the primary node of process P');
    });

    it('reads CLI text fed to direct: inline processes and submit commands, but not select commands', async () => {
      const cli = await scanProcess(
        [
          'submit smoke process snode=cd.example.com;1364',
          'step1 copy from (file=/a pnode) to (file=/b snode)',
          'pend;',
          'select process pname=smoke snode=other.example.com;1365;',
          'quit;',
        ].join('\n'),
      );
      assert.deepEqual(cli.tokens, ['1364']);
      assert.equal(cli.at('1364').context.tool, 'Connect:Direct process smoke');
    });
  });

  describe('SYSOPTS', () => {
    it('hands the command text of RUN TASK and RUN JOB to the shell scanner, with spans in this file', async () => {
      const process = await scanProcess(
        [
          'P PROCESS SNODE=PARTNER',
          'T1 RUN TASK (PGM=UNIX) SNODE SYSOPTS="nc -z -w 5 monitor.example.com 5666"',
          "T2 RUN JOB PNODE SYSOPTS='curl -fsS http://hooks.example.com:8081/done'",
          'C1 COPY FROM (FILE=/a PNODE SYSOPTS=":datatype=binary:xlate=no:") TO (FILE=/b SNODE SYSOPTS="nc cd 1234")',
          'PEND',
        ].join('\n'),
      );
      assert.deepEqual(process.tokens, ['5666', '8081'], 'COPY SYSOPTS are file options, not commands');
      assert.equal(process.at('5666').language, 'shellscript');
      assert.equal(process.at('5666').role, 'connect');
      assert.equal(process.at('5666').context.peer, 'monitor.example.com');
      assert.equal(process.at('8081').context.peer, 'hooks.example.com');
    });
  });

  describe('numbers that are not ports', () => {
    it('ignores classes, priorities, checkpoints, times, return codes, dispositions and dates', async () => {
      const process = await scanProcess(
        [
          'DAILY   PROCESS SNODE=PARTNER CLASS=2 PRTY=10 HOLD=NO RETAIN=YES',
          '        STARTT=(01/31/2024,10:30:00) NOTIFY=ops@cd.example.com',
          '        &count=1364 &when=20240131',
          'S1      COPY FROM (FILE=/data/out/report-20240131.csv PNODE)',
          '             TO (DSN=PROD.D240131.REPORT SNODE DISP=(NEW,CATLG,DELETE) UNIT=3390)',
          "             CKPT=10M COMPRESS PRIMECHAR=X'40'",
          'S2      IF (S1 EQ 0) THEN',
          '           COPY FROM (FILE="/businessprocess/get/var1=value1;var2=1364" SNODE) TO (FILE=/in PNODE)',
          '        EIF',
          '        PEND',
        ].join('\n'),
      );
      assert.deepEqual(process.tokens, []);
      assert.deepEqual(process.scan.signals, []);
    });

    it('reads nothing from comments: /* */ blocks, * in column 1, and // lines', async () => {
      const process = await scanProcess(
        [
          '/* SNODE=old.example.com;1364 was the old partner',
          '   P2 PROCESS SNODE=x.example.com;1365 */',
          '* P3 PROCESS SNODE=y.example.com;1366',
          '//WAIT RUN TASK PNODE SYSOPTS="nc host 1367"',
          'P PROCESS SNODE=z.example.com;1368 /* the current one */',
        ].join('\n'),
      );
      assert.deepEqual(process.tokens, ['1368']);
    });

    it('keeps reading after z/OS continuations, including a comment after the hyphen', async () => {
      const process = await scanProcess(
        ['PAY PROCESS CLASS=2 - /* class */', 'SNODE=TCPNAME=cd.example.com;1364 -', '  HOLD=NO'].join('\n'),
      );
      assert.deepEqual(process.tokens, ['1364']);
    });
  });

  describe('risk signals', () => {
    it('reports the password of SNODEID and PNODEID, covering only the password and never repeating it', async () => {
      const process = await scanProcess(
        'P PROCESS SNODE=X SNODEID=(appuser,S3cret!,N3wS3cret) PNODEID=(local,pnodepw)\n',
      );
      assert.deepEqual(
        process.scan.signals.map((signal) => process.text.slice(signal.span.start, signal.span.end)),
        ['S3cret!', 'N3wS3cret', 'pnodepw'],
      );
      for (const signal of process.scan.signals) {
        assert.equal(signal.kind, 'password-in-text');
        assert.ok(!signal.detail.includes(process.text.slice(signal.span.start, signal.span.end)), signal.detail);
      }
      assert.equal(process.scan.signals[0].detail, 'SNODEID password of user appuser in process P');
    });

    it('reports passwords held in symbolics, and not those taken from symbolics, variables or left empty', async () => {
      const process = await scanProcess(
        'P PROCESS SNODE=X SNODEID=(u1,&pw) SNODEID=(u2,$PW)\n  SUBMIT FILE=x.cdp &pw=hunter2 &MYPW=&pw &userpw= &user=demo\n',
      );
      assert.deepEqual(
        process.scan.signals.map((signal) => process.text.slice(signal.span.start, signal.span.end)),
        ['hunter2'],
      );
      assert.equal(process.scan.signals[0].detail, 'symbolic &pw');
    });

    it('reports SECURE=OFF and protocols older than TLS 1.2, and not TLS 1.2 or 1.3', async () => {
      const process = await scanProcess(
        [
          'A PROCESS SNODE=X SECURE=OFF',
          'B PROCESS SNODE=X SECURE=(OFF)',
          'C PROCESS SNODE=X SECURE=SSL',
          'D PROCESS SNODE=X SECURE=(TLS,TLS_RSA_WITH_3DES_EDE_CBC_SHA)',
          'E PROCESS SNODE=X SECURE=TLS10',
          'F PROCESS SNODE=X secure=tls11',
          'G PROCESS SNODE=X SECURE=(TLS12,ECDHE_RSA_AES_256_GCM_SHA384)',
          'H PROCESS SNODE=X SECURE=TLS13 SECURE=(ENC=Y)',
        ].join('\n'),
      );
      assert.deepEqual(
        process.scan.signals.map(
          (signal) => `${signal.kind} ${process.text.slice(signal.span.start, signal.span.end)}`,
        ),
        [
          'secure-off SECURE=OFF',
          'secure-off SECURE=(OFF)',
          'weak-protocol SSL',
          'weak-protocol TLS',
          'weak-protocol TLS10',
          'weak-protocol tls11',
        ],
      );
      assert.equal(signalAt(process, 'weak-protocol', 1).detail, 'SECURE=TLS (TLS 1.0) in process D');
    });
  });

  describe('hover', () => {
    it('says which node SNODE means: an address, a netmap name, a symbolic set in the file or one that is not', async () => {
      const direct = await scanProcess(
        'P PROCESS SNODE=cd.example.com;1364\nS1 COPY FROM (FILE=/a PNODE) TO (FILE=/b SNODE)\nPEND\n',
      );
      assert.match((await hoverAt(direct, 'SNODE='))!, /\*\*SNODE\*\* · secondary node of process `P`/);
      assert.match(
        (await hoverAt(direct, 'SNODE='))!,
        /`cd\.example\.com;1364`: the address and port of the node, written in this file/,
      );
      assert.match(
        (await hoverAt(direct, 'SNODE)'))!,
        /`cd\.example\.com;1364`/,
        'the bare SNODE of a COPY means the process SNODE',
      );
      const named = await scanProcess('P PROCESS SNODE=VM_SI_CD\n');
      assert.match(
        (await hoverAt(named, 'VM_SI_CD'))!,
        /`VM_SI_CD` is a node name.*defined in the netmap, not in this file/,
      );
      const symbolic = await scanProcess('P PROCESS SNODE=&partner\n  &partner=cd.example.com;11364\n');
      assert.match(
        (await hoverAt(symbolic, 'SNODE'))!,
        /`cd\.example\.com;11364`.*\n\nThrough `&partner` \(line 2\)\./s,
      );
      assert.match(
        (await hoverAt(symbolic, '&partner', 1))!,
        /\*\*&partner\*\* · symbolic\n\nSet to `cd\.example\.com;11364` on line 2\./,
      );
      const unset = await scanProcess('P PROCESS SNODE=&snode\n');
      assert.match(
        (await hoverAt(unset, '&snode'))!,
        /`&snode` is not set in this file: its value comes with the submit/,
      );
    });

    it('says what PNODE is when the process does not set it', async () => {
      const process = await scanProcess('P PROCESS SNODE=X\nS1 COPY FROM (FILE=/a PNODE) TO (FILE=/b SNODE)\n');
      assert.match(
        (await hoverAt(process, 'PNODE'))!,
        /\*\*PNODE\*\* · primary node of process `P`\n\nThe node that runs the process/,
      );
    });

    it('names ndm-server on the hover of an SNODE port', async () => {
      const process = await scanProcess('P PROCESS SNODE=cd.example.com;1364\n');
      const service = await testService();
      const card = service.hover(process.scan, process.text, process.text.indexOf('1364') + 1)!.markdown;
      assert.match(card, /IANA: `ndm-server`/);
      assert.match(card, /connects to the partner's server at cd\.example\.com \(SNODE\)/);
    });
  });

  it('outlines processes and their labelled steps', async () => {
    const process = await scanProcess(readFixture('nightly-send.cdp'));
    const symbols = await symbolsOf(process);
    assert.deepEqual(outlineNames(symbols), ['process NIGHTLY', '  step SEND01', '  step NOTIFY', '  step DONE']);
    assert.equal(symbols[0].detail, 'snode=&partner');
    assert.equal(symbols[0].children?.[1].detail, 'RUN TASK');
    assert.equal(process.text.slice(symbols[0].selection.start, symbols[0].selection.end), 'NIGHTLY');
  });

  describe('inside shell scripts', () => {
    it('reads process text in heredocs fed to direct and ndmcli', async () => {
      const script = await scanShell(
        [
          '/opt/cdunix/ndm/bin/direct -x <<EOJ',
          'submit smoke process snode=cd.example.com;1364 snodeid=(settle,p4ss)',
          'step1 copy from (file=/tmp/a pnode) to (file=/in/a snode disp=rpl)',
          'pend;',
          'EOJ',
          'ndmcli -x <<-EOF',
          '\tsubmit file=/cd/send.cdp &snode=cd2.example.com;2364;',
          '\tEOF',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['1364', '2364']);
      assert.equal(script.at('1364').language, 'connectdirect');
      assert.equal(script.at('1364').role, 'connect');
      assert.deepEqual(
        script.scan.signals.map((signal) => script.text.slice(signal.span.start, signal.span.end)),
        ['p4ss'],
      );
    });
  });

  describe('bad input', () => {
    it('reads what it can from half-typed text: open parentheses, unterminated quotes, a missing value', async () => {
      const process = await scanProcess(
        [
          'P PROCESS SNODE=',
          'S1 COPY FROM (FILE=/a',
          'S2 RUN TASK SYSOPTS="nc host 1234',
          'Q PROCESS SNODE=cd.example.com;1364',
          "R PROCESS SNODE='unterminated;1365",
        ].join('\n'),
      );
      assert.deepEqual(process.tokens, ['1234', '1364', '1365']);
    });

    it('survives deep nesting and long chains of = in linear time', async () => {
      const nested = `P PROCESS SNODE=X ${'('.repeat(50_000)}a${')'.repeat(50_000)} SNODE=${'a='.repeat(50_000)}b\nQ PROCESS SNODE=h.example.com;1364\n`;
      const process = await scanHostile('connectdirect', nested);
      assert.deepEqual(process.tokens, ['1364']);
    });

    it('reads 10,000 processes in linear time', async () => {
      const text = Array.from(
        { length: 10_000 },
        (_, index) =>
          `P${index} PROCESS SNODE=cd${index}.example.com;1364\nS1 COPY FROM (FILE=/a PNODE) TO (FILE=/b SNODE)\nPEND\n`,
      ).join('');
      const process = await scanHostile('connectdirect', text);
      assert.equal(process.scan.mentions.length, 10_000);
    });

    it('survives a megabyte line of quotes, hyphens and comments, and an unterminated quote', async () => {
      const hostile = `${"'".repeat(200_000)}${' -'.repeat(100_000)}${' /* x */'.repeat(50_000)}`;
      const process = await scanHostile(
        'connectdirect',
        `${hostile}\nP PROCESS SNODE=h;1364\n${'"'.repeat(100_001)}x\n`,
      );
      assert.deepEqual(process.tokens, ['1364']);
    });
  });
});

describe('Connect:Direct process fuzzing', () => {
  fuzzFormat('connectdirect', connectDirectSamples());
});
