import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import { pfFormat } from '../../server/src/scan/pf/format';
import { applyEdits, corpusTests, on, readFixture } from './firewallTesting';
import { type ScannedText, scanAs, testService, assertEvery } from './helpers';

const scanPf = (text: string) => scanAs('pf', text);

describe('pf scanner', () => {
  describe('filter rules', () => {
    it('reads pass rules: ports, names, lists with and without commas, and their exposure', async () => {
      const scan = await scanPf(
        [
          'pass in on em0 proto tcp from any to any port 22',
          'pass in proto tcp to port ssh',
          'pass in proto udp to port { 53 123 }',
          'pass in proto tcp to port { 80, 443 }',
          'pass in on em0 proto tcp to (em0) port 6000:6010',
        ].join('\n'),
      );
      assert.deepEqual(scan.tokens, ['22', 'ssh', '53', '123', '80', '443', '6000:6010']);
      const ssh = scan.at('22');
      assert.equal(ssh.role, 'allow');
      assert.equal(ssh.exposure, 'any');
      assert.equal(ssh.protocol, 'tcp');
      assert.equal(ssh.context.interface, 'em0');
      assert.equal(ssh.context.direction, 'inbound');
      assert.equal(scan.at('ssh').port, 22);
      assert.equal(scan.at('53').protocol, 'udp');
      assert.deepEqual([scan.at('6000:6010').port, scan.at('6000:6010').endPort], [6000, 6010]);
      assertEvery(scan.scan.mentions, (mention) => mention.exposure === 'any');
    });

    it('reads the operators = != < <= > >= and the ranges >< and <>', async () => {
      const scan = await scanPf(
        [
          'pass in proto tcp to port = 8080',
          'pass in proto tcp to port != 25',
          'pass in proto tcp to port < 1024',
          'pass in proto tcp to port >= 49152',
          'pass out proto udp to port 33433 >< 33626',
          'block in proto tcp to port 1000 <> 2000',
        ].join('\n'),
      );
      assert.equal(scan.at('8080').port, 8080);
      assert.equal(scan.at('25').role, 'other');
      assert.deepEqual([scan.at('1024').port, scan.at('1024').endPort], [1, 1023]);
      assert.deepEqual([scan.at('49152').port, scan.at('49152').endPort], [49152, 65535]);
      const between = scan.at('33433 >< 33626');
      assert.deepEqual([between.port, between.endPort], [33434, 33625]);
      assert.equal(between.context.direction, 'outbound');
      assert.deepEqual([scan.at('1000').port, scan.at('1000').endPort], [1, 999]);
      assert.deepEqual([scan.at('2000').port, scan.at('2000').endPort], [2001, 65535]);
      assert.equal(scan.at('2000').role, 'deny');
    });

    it('gives block and match rules and outbound passes no exposure', async () => {
      const scan = await scanPf(
        [
          'block in proto tcp to port 23',
          'match in proto tcp to port 80 scrub (no-df)',
          'pass out proto tcp to port 25',
          'block return-rst in proto tcp to port = 113',
        ].join('\n'),
      );
      assert.equal(scan.at('23').role, 'deny');
      assert.equal(scan.at('80').role, 'other');
      assert.equal(scan.at('25').role, 'allow');
      assert.equal(scan.at('25').context.direction, 'outbound');
      assert.equal(scan.at('113').role, 'deny');
      assertEvery(scan.scan.mentions, (mention) => mention.exposure === 'unknown');
    });

    it('reads the source: literals, abbreviated networks, negation, tables and loopback interfaces', async () => {
      const scan = await scanPf(
        [
          'table <office> const { 10/8, 172.16/12 }',
          'table <partners> persist file "/etc/partners"',
          'pass in proto tcp from 192.168.1.0/24 to any port 1364',
          'pass in proto tcp from <office> to any port 1363',
          'pass in proto tcp from <partners> to any port 446',
          'pass in proto tcp from ! 10.0.0.0/8 to any port 447',
          'pass in proto tcp from 198.51.100.7 to any port 448',
          'pass in on lo0 proto tcp to port 6379',
          'pass in on ! lo0 proto tcp to port 6380',
          'pass in proto tcp from { 10.1.0.0/16, 203.0.113.9 } to any port 449',
        ].join('\n'),
      );
      assert.equal(scan.at('1364').exposure, 'private');
      assert.equal(scan.at('1364').context.source, '192.168.1.0/24');
      assert.equal(scan.at('1363').exposure, 'private', 'the table lists only private networks');
      assert.equal(scan.at('446').exposure, 'unknown', 'a table loaded from a file is not known');
      assert.equal(scan.at('447').exposure, 'any');
      assert.equal(scan.at('448').exposure, 'public');
      assert.equal(scan.at('6379').exposure, 'loopback');
      assert.equal(scan.at('6380').exposure, 'any');
      assert.equal(scan.at('449').exposure, 'public');
    });

    it('reports a pass in without a port that no later block may override once, at its pass', async () => {
      const allPorts = async (...rules: string[]) => {
        const text = ['ext_if = "em0"', 'table <admins> { 10.0.0.0/8 }', ...rules].join('\n');
        const scan = await scanPf(text);
        return scan.scan.findings
          .filter((finding) => finding.ruleId === 'all-ports-exposed')
          .map((finding) => `${text.slice(0, finding.span.start).split('\n').length}: ${finding.message}`);
      };
      assert.deepEqual(await allPorts('block in all', 'pass in all', 'pass in proto tcp to port 22'), [
        '4: Every port is open: this pass rule lets any source in to every port',
      ]);
      assert.deepEqual(
        await allPorts('pass', 'block in on $ext_if proto tcp to port 23'),
        ['3: Every port is open: this pass rule lets any source in to every port'],
        'a block of some ports leaves the rest open',
      );
      assert.deepEqual(
        await allPorts('pass in quick on ! lo0 proto { tcp udp }', 'block in all'),
        ['3: Every port is open: this pass rule lets any source in to every port on ! lo0'],
        'quick decides at once',
      );
      assert.deepEqual(
        await allPorts('pass in all', 'block in all', 'pass in proto tcp to port 22'),
        [],
        'the later block decides for what pass in all let in',
      );
      assert.deepEqual(
        await allPorts('block in all', 'pass in quick on any all'),
        ['4: Every port is open: this pass rule lets any source in to every port'],
        '`on any` names every interface',
      );
      assert.deepEqual(
        await allPorts(
          'block in all',
          'pass in on $ext_if',
          'pass in from <admins>',
          'pass out all',
          'pass in inet proto icmp',
          'pass in proto tcp from any port 53',
          'match in all scrub (no-df)',
          'rdr pass on $ext_if proto tcp to port 80 -> 10.0.0.5',
        ),
        [],
        'one named interface, a source, outbound, ICMP, a source port, match and rdr rules open no port to everyone',
      );
    });

    it('reads source ports as other', async () => {
      const scan = await scanPf(
        'pass in quick on egress inet6 proto udp from any port 547 to (egress) port 546\npass in proto udp from port bootps to port bootpc',
      );
      assert.equal(scan.at('547').role, 'other');
      assert.equal(scan.at('547').context.note, 'source port of the matched packets');
      assert.equal(scan.at('546').role, 'allow');
      assert.equal(scan.at('bootps').role, 'other');
      assert.equal(scan.at('bootpc').port, 68);
    });
  });

  describe('macros', () => {
    it('puts the mention on the macro element, with the widest exposure of its uses and the rules as related', async () => {
      const text = [
        'ext_if = "em0"',
        'tcp_services = "{ 22, 113 }"',
        'pass in on $ext_if proto tcp from 10.0.0.0/8 to any port $tcp_services',
        'pass in on $ext_if proto tcp from any to ($ext_if) port $tcp_services',
        'block in proto tcp to port $tcp_services',
      ].join('\n');
      const scan = await scanPf(text);
      assert.deepEqual(scan.tokens, ['22', '113']);
      const ssh = scan.at('22');
      assert.equal(ssh.role, 'allow');
      assert.equal(ssh.exposure, 'any');
      assert.equal(ssh.context.interface, 'em0', 'the interface macro is resolved');
      assert.equal(ssh.variable?.name, 'tcp_services');
      assert.equal(ssh.related?.length, 3);
      assert.ok(
        scan.text
          .slice(ssh.related[1].span.start, ssh.related[1].span.end)
          .startsWith('pass in on $ext_if proto tcp from any'),
      );
    });

    it('follows macros inside macros and continued lines inside quotes', async () => {
      const text = ['web = "80 443"', 'public = "{ $web, \\', '   8080 }"', 'pass in proto tcp to port $public'].join(
        '\n',
      );
      const scan = await scanPf(text);
      assert.deepEqual(scan.tokens, ['80', '443', '8080']);
      assert.equal(scan.at('80').variable?.name, 'web');
      assert.equal(scan.at('8080').variable?.name, 'public');
    });

    it("takes the service from a macro's name, as from a shell variable's", async () => {
      const scan = await scanPf('ssh_port = "2222"\npass in proto tcp to port $ssh_port');
      assert.deepEqual([scan.at('2222').service, scan.at('2222').variable?.name], ['ssh', 'ssh_port']);
    });

    it('assembles a macro from quoted pieces and other macros, as pf.conf(5) shows for interface lists', async () => {
      const text = [
        'wired = "em0"',
        'wifi = "ath0"',
        'all_if = "{" $wired $wifi "}"',
        'pass in on $all_if proto tcp to port 6379',
      ];
      const scan = await scanPf(text.join('\n'));
      const redis = scan.at('6379');
      assert.deepEqual([redis.exposure, redis.context.interface], ['any', 'em0, ath0']);
    });

    it('reports port macros no rule uses as definitions, and ignores macros used for other things', async () => {
      const scan = await scanPf(
        [
          'spare_ports = "{ 8443 }"',
          'icmp6_types = "{ 2, 128 }"',
          'pass in inet6 proto ipv6-icmp icmp6-type $icmp6_types',
        ].join('\n'),
      );
      assert.deepEqual(scan.tokens, ['8443']);
      assert.equal(scan.at('8443').role, 'define');
      assert.equal(scan.at('8443').exposure, 'unknown');
    });
  });

  describe('translation', () => {
    it('reads rdr-to, nat-to and divert-to with their ports', async () => {
      const scan = await scanPf(
        [
          'pass in on egress proto tcp to port 8080 rdr-to 10.0.0.5 port 80',
          'match out on egress from 10.0.0.0/8 to any nat-to (egress:0) port 1024:65535',
          'match in on em1 proto udp to port 123 rdr-to 192.168.1.1',
          'pass in quick inet proto tcp to port ftp divert-to 127.0.0.1 port 8021',
        ].join('\n'),
      );
      const matched = scan.at('8080');
      assert.equal(matched.role, 'forward');
      assert.equal(matched.exposure, 'any');
      assert.equal(matched.context.mappedTo, '10.0.0.5:80');
      assert.equal(on(scan, 1, '80').context.peer, '10.0.0.5');
      assert.equal(scan.at('1024:65535').role, 'other');
      assert.equal(scan.at('1024:65535').context.note, 'source port that translated packets leave from');
      assert.equal(scan.at('123').role, 'forward');
      assert.equal(scan.at('123').exposure, 'unknown', 'a match rule passes nothing');
      assert.equal(scan.at('ftp').context.mappedTo, '127.0.0.1:8021');
      assert.equal(scan.at('8021').role, 'forward');
    });

    it('reads the old rdr and nat syntax with ->', async () => {
      const scan = await scanPf(
        [
          'comp3 = "192.168.0.3"',
          'rdr pass on xl0 proto tcp to port ftp -> 127.0.0.1 port 8021',
          'rdr on fxp0 proto tcp from any to any port 80 -> $comp3 port 8080:*',
          'nat on fxp0 from 10.0.0.0/8 -> (fxp0) port 1024:65535',
          'no rdr on fxp0 proto tcp from 10.0.0.1 to any port 25',
        ].join('\n'),
      );
      assert.equal(scan.at('ftp').role, 'forward');
      assert.equal(scan.at('ftp').exposure, 'any', 'rdr pass passes what it redirects');
      assert.equal(scan.at('8021').context.peer, '127.0.0.1');
      const web = on(scan, 3, '80');
      assert.equal(web.exposure, 'unknown', 'rdr without pass needs a pass rule as well');
      assert.equal(web.context.mappedTo, '192.168.0.3:8080');
      assert.equal(scan.at('8080').port, 8080);
      assert.equal(scan.at('1024:65535').role, 'other');
      assert.equal(scan.at('25').role, 'other');
    });
  });

  describe('numbers that are not ports', () => {
    const cases = [
      'set limit { states 30000, table-entries 250000 }',
      'pass in proto tcp to any keep state (max-src-conn 40, max-src-conn-rate 10/30)',
      'pass in inet proto icmp icmp-type 8',
      'pass in inet6 proto ipv6-icmp icmp6-type { 2, 128 }',
      'pass in on egress rtable 1',
      'queue up on em0 bandwidth 12M burst 20M for 1000ms',
      'pass out on em0 set prio 5',
      'pass in divert-packet port 700',
      'match in all scrub (no-df random-id max-mss 1440)',
      '# pass in proto tcp to port 22',
      'table <lan> { 10.0.0.22 }',
    ];
    for (const text of cases) {
      it(`finds no port in: ${text}`, async () => {
        const scan = await scanPf(text);
        assert.deepEqual(scan.tokens, []);
      });
    }
  });

  describe('detection and the corpus', () => {
    it('recognises pf files by name and by content', async () => {
      const service = await testService();
      assert.equal(service.detectLanguage('/etc/pf.conf', ''), 'pf');
      assert.equal(service.detectLanguage('rules/office.pf', ''), 'pf');
      assert.equal(service.detectLanguage('/etc/pf.anchors/com.apple', ''), 'pf');
      assert.equal(service.detectLanguage('firewall', '# gateway\next_if = "em0"\nset skip on lo\n'), 'pf');
      assert.equal(service.detectLanguage('firewall', 'block in all\npass in on em0 proto tcp to port 22\n'), 'pf');
      assert.equal(service.detectLanguage('notes.txt', 'pass the salt\n'), 'unknown');
    });

    const expectations: Record<string, (scan: ScannedText) => void> = {
      'Misfit-138--OpenBSD-FiOS-and-IPv6-Demystified--pf.conf': (scan) => {
        assert.deepEqual(scan.ports, [547, 546]);
        assert.equal(on(scan, 72, '546').exposure, 'any');
        assert.equal(on(scan, 72, '547').role, 'other');
      },
      'Rexypoo--pf-basics--pf.conf': (scan) => {
        assert.deepEqual(scan.tokens, ['6000:6010'], 'commented rules are not read');
        assert.equal(on(scan, 35, '6000:6010').role, 'deny');
        const [open] = scan.scan.findings.filter((finding) => finding.ruleId === 'all-ports-exposed');
        assert.equal(
          scan.text.slice(0, open.span.start).split('\n').length,
          20,
          "OpenBSD's default pass, which only a later block of X11's ports narrows",
        );
      },
      'drduh--config--pf.conf': (scan) => {
        assert.deepEqual(scan.ports, [123]);
        assert.equal(on(scan, 29, '123').context.direction, 'outbound');
      },
      'essandess--macOS-Fortress--pf.conf': (scan) => {
        assert.equal(on(scan, 144, 'mdns').port, 5353);
        assert.deepEqual(
          [on(scan, 164, '33433 >< 33626').port, on(scan, 164, '33433 >< 33626').endPort],
          [33434, 33625],
        );
        assert.equal(on(scan, 173, '5900:5909').exposure, 'unknown', 'open to $int_if:network only');
        assert.equal(on(scan, 192, '995').exposure, 'any');
        assert.equal(on(scan, 192, '995').variable?.name, 'internet_tcp_services');
        assert.equal(on(scan, 205, 'ssh').exposure, 'any');
        assert.equal(on(scan, 212, 'imaps').port, 993);
      },
      'essandess--macos-openvpn-server--pf.conf': (scan) => {
        assert.equal(on(scan, 167, '5900:5909').exposure, 'unknown');
        assert.equal(on(scan, 178, '16384:16403').exposure, 'any');
        assert.equal(on(scan, 191, '8843').variable?.name, 'webmailcalcard_tcp_services');
      },
      'freebsd-src--share-examples-pf--faq-example1': (scan) => {
        assert.deepEqual(scan.ports, [22, 113, 21, 8021, 80, 80]);
        assert.equal(on(scan, 14, '113').exposure, 'any');
        assert.equal(on(scan, 33, '8021').role, 'forward');
        assert.equal(on(scan, 46, '80').role, 'allow');
      },
      'northox--openbsd-apu2--pf.conf': (scan) => {
        assert.equal(on(scan, 47, '22').exposure, 'any');
        assert.equal(on(scan, 7, '3074').role, 'forward');
        assert.equal(on(scan, 7, '3074').context.mappedTo, '192.168.1.201');
        assert.equal(on(scan, 28, '1024:65535').role, 'other');
        assert.equal(on(scan, 31, '53').exposure, 'unknown');
      },
      'ptudor--openbsd-install--pf.conf': (scan) => {
        assert.equal(on(scan, 31, '5061').exposure, 'any');
        assert.equal(on(scan, 35, 'ssh').role, 'deny');
        assert.equal(on(scan, 58, 'spamd').port, 8025);
        assert.equal(on(scan, 53, 'smtp').exposure, 'unknown', 'only from a table loaded from a file');
        assert.equal(on(scan, 69, '23').role, 'deny');
      },
    };
    corpusTests('pf', 'pf', expectations, [readFixture('pf', 'gateway.pf')]);
  });

  describe('fixes', () => {
    const networks = ['10.0.0.0/8', 'fd00::/8'];

    async function restrict(text: string, line: number, written: string): Promise<string | undefined> {
      const scan = await scanPf(text);
      const edits = pfFormat.fixes!.restrictSource!(text, on(scan, line, written), networks, new TextAnalyses(text));
      return edits && applyEdits(text, edits);
    }

    it('replaces from any, or adds from before to', async () => {
      const text = 'pass in proto tcp from any to any port 22\npass in proto tcp to port 80\nblock in all';
      const first = (await restrict(text, 1, '22'))!;
      assert.equal(
        first,
        'pass in proto tcp from { 10.0.0.0/8, fd00::/8 } to any port 22\npass in proto tcp to port 80\nblock in all',
      );
      assert.equal(on(await scanPf(first), 1, '22').exposure, 'private');
      const second = (await restrict(text, 2, '80'))!;
      assert.equal(second.split('\n')[1], 'pass in proto tcp from { 10.0.0.0/8, fd00::/8 } to port 80');
      assert.equal(on(await scanPf(second), 2, '80').exposure, 'private');
    });

    it('restricts every rule that opens a macro element to any source', async () => {
      const text = 'svc = "{ 22, 443 }"\npass in proto tcp to port $svc\npass in proto tcp from <office> to port $svc';
      const fixed = (await restrict(text, 1, '443'))!;
      assert.ok(
        fixed.includes(
          'pass in proto tcp from { 10.0.0.0/8, fd00::/8 } to port $svc\npass in proto tcp from <office> to port $svc',
        ),
      );
      assert.equal(
        on(await scanPf(fixed), 1, '443').exposure,
        'unknown',
        'the table <office> is not declared, so the widest use is unknown',
      );
    });

    it('offers nothing for block rules, restricted rules and outbound rules', async () => {
      assert.equal(await restrict('block in proto tcp to port 23', 1, '23'), undefined);
      assert.equal(await restrict('pass in proto tcp from 10.0.0.0/8 to port 22', 1, '22'), undefined);
      assert.equal(await restrict('pass out proto tcp to port 25', 1, '25'), undefined);
    });
  });

  describe('bad input', () => {
    it('keeps reading after an unclosed list and an unterminated string', async () => {
      const scan = await scanPf(
        'pass in proto tcp to port { 22 80\nx = "unterminated\npass in proto tcp to port 443\n',
      );
      assert.deepEqual(scan.tokens, ['22', '80', '443']);
    });

    it('reads a macro that names itself as far as it goes, and says the file is incomplete', async () => {
      const scan = await scanAs('pf', 'a = "$a 22"\npass in proto tcp to port { $a }', { expectNotices: true });
      assert.ok(scan.ports.includes(22));
      const incomplete = scan.scan.findings.filter((finding) => finding.ruleId === 'scan-incomplete');
      assert.deepEqual(
        incomplete.map((finding) => [finding.severity, scan.lineOf(finding)]),
        [['error', 2]],
      );
      assert.match(incomplete[0].message, /macro \$a names itself/);
    });

    it('expands a self-referring macro that 2,000 rules use without blowing up', async () => {
      // Ten references per level: expanded afresh for each use, this took minutes; worked out once, it is instant.
      const macro = `m = "{ 22 ${'$m '.repeat(10)}}"`;
      const rules = Array.from({ length: 2000 }, () => 'pass in proto tcp to any port $m');
      const scan = await scanAs('pf', [macro, ...rules].join('\n'), { expectNotices: true });
      assert.equal(scan.scan.findings.filter((finding) => finding.ruleId === 'scan-incomplete').length, 1);
      assert.ok(scan.scan.findings.some((finding) => finding.ruleId === 'exposed-sensitive-port'));
    });

    it('finds every port of a 10,000-rule file', async () => {
      const rules = Array.from(
        { length: 10_000 },
        (_, index) => `pass in on em0 proto tcp from any to any port ${1024 + index} keep state`,
      );
      const scan = await scanPf(rules.join('\n'));
      assert.equal(scan.scan.mentions.length, 10_000);
      assert.equal(scan.scan.mentions[9_999].port, 11_023);
    });
  });
});
