import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import { nftablesFormat } from '../../server/src/scan/nftables/format';
import { applyEdits, corpusTests, on, readFixture } from './firewallTesting';
import { type ScannedText, scanAs, scanShell, testService, assertEvery } from './helpers';

const scanNft = (text: string) => scanAs('nftables', text);

/** A filter table whose input chain holds `rules`. */
function inputChain(...rules: string[]): string {
  return [
    'table inet filter {',
    '  chain input {',
    '    type filter hook input priority 0; policy drop;',
    ...rules.map((rule) => `    ${rule}`),
    '  }',
    '}',
  ].join('\n');
}

describe('nftables scanner', () => {
  describe('port matches', () => {
    it('reads single ports, ranges, service names and the protocol of tcp, udp, sctp, dccp and th', async () => {
      const scan = await scanNft(
        inputChain(
          'tcp dport 22 accept',
          'udp dport 60000-61000 accept',
          'tcp dport https accept',
          'sctp dport 9899 accept',
          'dccp dport 5004 accept',
          'meta l4proto udp th dport 4789 accept',
        ),
      );
      assert.deepEqual(scan.tokens, ['22', '60000-61000', 'https', '9899', '5004', '4789']);
      assert.equal(scan.at('60000-61000').endPort, 61000);
      assert.equal(scan.at('https').port, 443);
      assert.equal(scan.at('https').writtenName, 'https');
      assert.equal(scan.at('9899').protocol, 'sctp');
      assert.equal(scan.at('5004').protocol, 'dccp');
      assert.equal(scan.at('4789').protocol, 'udp', 'th takes the protocol of meta l4proto');
      for (const mention of scan.scan.mentions) {
        assert.equal(mention.role, 'allow');
        assert.equal(mention.exposure, 'any');
        assert.equal(mention.context.chain, 'input');
        assert.equal(mention.context.policy, 'drop');
        assert.equal(mention.context.direction, 'inbound');
      }
    });

    it('reads anonymous sets however they are spaced, across lines and with comments', async () => {
      const scan = await scanNft(
        inputChain(
          'tcp dport {80,443} accept',
          'tcp dport {',
          '  8080, # proxy',
          '  8443',
          '} accept',
          'udp dport { ssh , 53 } accept',
        ),
      );
      assert.deepEqual(scan.tokens, ['80', '443', '8080', '8443', 'ssh', '53']);
      assert.equal(scan.lineOf(scan.at('8443')), 7);
      assertEvery(scan.scan.mentions, (mention) => mention.role === 'allow');
    });

    it('reads source ports as other, and != as every port but the one written', async () => {
      const scan = await scanNft(inputChain('udp sport 53 accept', 'tcp dport != 25 accept'));
      const source = scan.at('53');
      assert.equal(source.role, 'other');
      assert.equal(source.exposure, 'unknown');
      assert.equal(source.context.note, 'source port of the matched packets');
      assert.equal(scan.at('25').role, 'other');
    });

    it('turns comparisons into the ranges they allow', async () => {
      const scan = await scanNft(inputChain('tcp dport < 1024 accept', 'tcp dport >= 49152 drop'));
      assert.deepEqual([scan.at('1024').port, scan.at('1024').endPort], [1, 1023]);
      assert.deepEqual([scan.at('49152').port, scan.at('49152').endPort], [49152, 65535]);
      assert.equal(scan.at('49152').role, 'deny');
    });
  });

  describe('verdicts, chains and exposure', () => {
    it('reads a chain written without its table, as a file that nftables.conf includes holds it', async () => {
      const scan = await scanAs(
        'nftables',
        'chain input {\n  type filter hook input priority 0; policy drop;\n  tcp dport 6379 accept\n}\n',
      );
      const redis = scan.at('6379');
      assert.deepEqual(
        [redis.role, redis.exposure, redis.context.chain, redis.context.direction],
        ['allow', 'any', 'input', 'inbound'],
      );
      assert.deepEqual(
        scan.scan.findings.map((finding) => finding.ruleId),
        ['exposed-critical-port'],
      );
    });

    it("resolves the service names of the system's services file that IANA does not list: http, http-alt, x11", async () => {
      const scan = await scanAs(
        'nftables',
        'table inet f {\n  chain input {\n    type filter hook input priority 0;\n    tcp dport { http, http-alt, x11 } accept\n  }\n}\n',
      );
      assert.deepEqual(scan.ports, [80, 8080, 6000]);
    });

    it('gives accept allow, drop and reject deny, jump other, and takes the direction from the hook', async () => {
      const text = [
        'table inet filter {',
        '  chain input { type filter hook input priority 0; policy drop;',
        '    tcp dport 22 accept',
        '    tcp dport 23 drop',
        '    tcp dport 513 reject with tcp reset',
        '    tcp dport 8080 jump web',
        '    tcp dport 5000 counter',
        '  }',
        '  chain output { type filter hook output priority 0; policy accept;',
        '    tcp dport 5432 accept',
        '  }',
        '}',
      ].join('\n');
      const scan = await scanNft(text);
      assert.equal(scan.at('22').role, 'allow');
      assert.equal(scan.at('23').role, 'deny');
      assert.equal(scan.at('23').exposure, 'unknown', 'a drop rule exposes nothing');
      assert.equal(scan.at('513').role, 'deny');
      assert.equal(scan.at('8080').role, 'other');
      assert.equal(scan.at('8080').context.note, 'handed to chain web');
      assert.equal(scan.at('5000').role, 'other');
      const outbound = scan.at('5432');
      assert.equal(outbound.role, 'allow');
      assert.equal(outbound.context.direction, 'outbound');
      assert.equal(outbound.exposure, 'unknown', 'outbound use exposes nothing on this host');
      assert.deepEqual(
        scan.at('22').related?.map((item) => item.message),
        ['chain policy drop'],
      );
    });

    it('reads ip saddr and ip6 saddr literals, sets, defines and negations for the exposure', async () => {
      const text = [
        'define office = 192.168.10.0/24',
        'define partners = { 203.0.113.0/24, 10.0.0.0/8 }',
        inputChain(
          'ip saddr 10.0.0.0/8 tcp dport 1364 accept',
          'ip saddr $office tcp dport 1363 accept',
          'ip saddr $partners tcp dport 446 accept',
          'ip6 saddr fd00::/8 tcp dport 447 accept',
          'ip saddr != 10.0.0.0/8 tcp dport 448 accept',
          'ip saddr { 127.0.0.1, 127.0.0.2 } tcp dport 449 accept',
          'ip saddr $undeclared tcp dport 8470 accept',
          'ip saddr 0.0.0.0/0 tcp dport 8471 accept',
        ),
      ].join('\n');
      const scan = await scanNft(text);
      assert.equal(scan.at('1364').exposure, 'private');
      assert.equal(scan.at('1364').context.source, '10.0.0.0/8');
      assert.equal(scan.at('1363').exposure, 'private');
      assert.equal(scan.at('1363').context.source, '192.168.10.0/24');
      assert.equal(scan.at('446').exposure, 'public', 'the widest address of the set');
      assert.equal(scan.at('447').exposure, 'private');
      assert.equal(scan.at('448').exposure, 'any', 'everyone but a private network');
      assert.equal(scan.at('448').context.source, '!= 10.0.0.0/8');
      assert.equal(scan.at('449').exposure, 'loopback');
      assert.equal(scan.at('8470').exposure, 'unknown', 'a define from an included file is not known');
      assert.equal(scan.at('8471').exposure, 'any');
    });

    it('reads iif lo and iifname "lo" as loopback and names other interfaces', async () => {
      const scan = await scanNft(
        inputChain(
          'iif lo tcp dport 6379 accept',
          'iifname "lo" tcp dport 11211 accept',
          'iifname "eth0" tcp dport 80 accept',
          'iif != lo tcp dport 81 accept',
        ),
      );
      assert.equal(scan.at('6379').exposure, 'loopback');
      assert.equal(scan.at('11211').exposure, 'loopback');
      assert.equal(scan.at('80').context.interface, 'eth0');
      assert.equal(scan.at('80').exposure, 'any');
      assert.equal(scan.at('81').exposure, 'any');
      assert.equal(scan.at('81').context.interface, '!= lo');
    });

    it('gives a chain reached by a jump the direction, policy and interface of the jump', async () => {
      const text = [
        'table ip global {',
        '  chain input { type filter hook input priority filter; policy drop;',
        '    iifname vmap { lo : accept, br0 : jump in_wired }',
        '  }',
        '  chain in_wired {',
        '    ip protocol . th dport vmap { tcp . 22 : accept, udp . 53 : accept, tcp . 23 : drop }',
        '  }',
        '}',
      ].join('\n');
      const scan = await scanNft(text);
      const ssh = scan.at('22');
      assert.equal(ssh.protocol, 'tcp');
      assert.equal(ssh.role, 'allow');
      assert.equal(ssh.context.interface, 'br0');
      assert.equal(ssh.context.direction, 'inbound');
      assert.equal(ssh.context.policy, 'drop');
      assert.equal(scan.at('53').protocol, 'udp');
      assert.equal(scan.at('23').role, 'deny', 'each element of a verdict map takes its own verdict');
    });

    it('reports input chains that accept what no rule stops once, at the policy', async () => {
      const openWith = async (policy: string, ...rules: string[]) => {
        const text = [
          'table inet filter {',
          '  chain input {',
          `    type filter hook input priority 0;${policy}`,
          ...rules.map((rule) => `    ${rule}`),
          '  }',
          '}',
        ].join('\n');
        const scan = await scanNft(text);
        return scan.scan.findings
          .filter((finding) => finding.ruleId === 'all-ports-exposed')
          .map((finding) => `${text.slice(finding.span.start, finding.span.end)}: ${finding.message}`);
      };
      const allowedOneByOne = [
        'iif lo accept',
        'ct state invalid drop',
        'ip saddr 203.0.113.9 drop',
        'tcp dport 22 accept',
      ];
      assert.deepEqual(await openWith(' policy accept;', ...allowedOneByOne), [
        'policy accept: Every port is open: chain input has policy accept, and no rule drops what its rules do not match',
      ]);
      assert.deepEqual(await openWith('', ...allowedOneByOne), [
        'type filter hook input priority 0: Every port is open: chain input has no policy, so it accepts, and no rule drops what its rules do not match',
      ]);
      for (const ending of [
        'counter drop',
        'reject with icmpx type admin-prohibited',
        'meta l4proto tcp drop',
        'iifname "eth0" drop',
        'jump input_rest',
        'tcp dport vmap { 25 : jump mail }',
      ]) {
        assert.deepEqual(
          await openWith(' policy accept;', ...allowedOneByOne, ending),
          [],
          `${ending} ends the chain (or may: a jump is not followed)`,
        );
      }
      assert.deepEqual(await openWith(' policy drop;', ...allowedOneByOne), []);
      // A second input chain that drops the rest filters the same packets; a nat chain filters nothing.
      const twoTables = `${inputChain('tcp dport 22 accept')}\ntable ip extra {\n  chain input {\n    type filter hook input priority 10;\n  }\n}\n`;
      assert.deepEqual(
        (await scanNft(twoTables)).scan.findings.filter((finding) => finding.ruleId === 'all-ports-exposed'),
        [],
      );
      const natOnly = await scanNft('table ip nat {\n  chain input {\n    type nat hook input priority 100;\n  }\n}\n');
      assert.deepEqual(natOnly.scan.findings, []);
      // One `nft` command of a script is no whole ruleset.
      const script = await scanShell(
        `nft add chain inet filter input '{ type filter hook input priority 0; policy accept; }'\nnft add rule inet filter input drop\n`,
      );
      assert.deepEqual(
        script.scan.findings.filter((finding) => finding.ruleId === 'all-ports-exposed'),
        [],
      );
    });

    it('reads verdict maps and concatenations with a source per element', async () => {
      const scan = await scanNft(
        inputChain(
          'tcp dport vmap { 22 : accept, 23 : drop }',
          'ip saddr . tcp dport { 10.0.0.1 . 5432, 198.51.100.7 . 6379 } accept',
        ),
      );
      assert.equal(scan.at('22').role, 'allow');
      assert.equal(scan.at('23').role, 'deny');
      assert.equal(scan.at('5432').exposure, 'private');
      assert.equal(scan.at('5432').context.source, '10.0.0.1');
      assert.equal(scan.at('6379').exposure, 'public');
    });
  });

  describe('defines and named sets', () => {
    it('puts the mention on the define element, with the widest exposure of its uses and the rules as related', async () => {
      const text = [
        'define tcp_ports = { ssh, 8080 }',
        inputChain(
          'ip saddr 10.0.0.0/8 tcp dport $tcp_ports accept',
          'tcp dport $tcp_ports accept',
          'tcp dport $tcp_ports drop',
        ),
      ].join('\n');
      const scan = await scanNft(text);
      assert.deepEqual(scan.tokens, ['ssh', '8080'], 'the uses are not mentions of their own');
      const ssh = scan.at('ssh');
      assert.equal(ssh.role, 'allow');
      assert.equal(ssh.exposure, 'any');
      assert.equal(ssh.variable?.name, 'tcp_ports');
      const uses = ssh.related?.filter((item) => item.message.includes('$tcp_ports')) ?? [];
      assert.equal(uses.length, 3);
      assert.ok(scan.text.slice(uses[1].span.start, uses[1].span.end).startsWith('tcp dport $tcp_ports accept'));
    });

    it('resolves named sets declared with elements and added with add element', async () => {
      const text = [
        'table inet filter {',
        '  set allowed { type inet_service; flags interval; elements = { 2222, 3000-3010 } }',
        '  chain input { type filter hook input priority 0; policy drop;',
        '    ip saddr 192.168.0.0/16 tcp dport @allowed accept',
        '  }',
        '}',
        'add element inet filter allowed { 4000 }',
      ].join('\n');
      const scan = await scanNft(text);
      assert.deepEqual(scan.tokens, ['2222', '3000-3010', '4000']);
      assertEvery(scan.scan.mentions, (mention) => mention.role === 'allow' && mention.exposure === 'private');
      assert.ok(scan.at('4000').related?.some((item) => item.message.includes('@allowed')));
    });

    it('follows nested defines', async () => {
      const scan = await scanNft(
        [
          'define web = { 80, 443 }',
          'define public_ports = { $web, 25 }',
          inputChain('tcp dport $public_ports accept'),
        ].join('\n'),
      );
      assert.deepEqual(scan.tokens, ['80', '443', '25']);
      assert.equal(scan.at('80').variable?.name, 'web');
      assert.equal(scan.at('25').variable?.name, 'public_ports');
    });

    it("takes the service from a define's name, as from a shell variable's", async () => {
      const scan = await scanNft(['define SSH_PORT = 2222', inputChain('tcp dport $SSH_PORT accept')].join('\n'));
      assert.deepEqual([scan.at('2222').service, scan.at('2222').exposure], ['ssh', 'any']);
    });

    it('reports port sets and port defines that no rule uses as definitions', async () => {
      const text = [
        'define spare_ports = { 8443 }',
        'define mark_value = 42',
        'table inet filter {',
        '  set later { type ipv4_addr . inet_service; elements = { 10.0.0.1 . 5000 } }',
        '  set hosts { type ipv4_addr; elements = { 10.0.0.2 } }',
        '}',
      ].join('\n');
      const scan = await scanNft(text);
      assert.deepEqual(scan.tokens, ['8443', '5000']);
      assertEvery(scan.scan.mentions, (mention) => mention.role === 'define' && mention.exposure === 'unknown');
      assert.equal(scan.at('5000').context.note, 'element of set later');
    });
  });

  describe('NAT', () => {
    it('reads dnat and redirect targets, with the matched port forwarded', async () => {
      const text = [
        'table ip nat {',
        '  chain prerouting { type nat hook prerouting priority -100;',
        '    tcp dport 80 dnat to 10.0.0.2:8080',
        '    tcp dport 443 redirect to :8443',
        '    tcp dport 8444 dnat ip to tcp dport map { 8444 : 192.168.1.2 . 9443 }',
        '    tcp dport 2222 dnat to [fd00::2]:22',
        '  }',
        '  chain postrouting { type nat hook postrouting priority 100; masquerade to :1024-65535; }',
        '}',
      ].join('\n');
      const scan = await scanNft(text);
      const matched = scan.at('80');
      assert.equal(matched.role, 'forward');
      assert.equal(matched.context.mappedTo, '10.0.0.2:8080');
      assert.equal(matched.exposure, 'any');
      const target = scan.at('8080');
      assert.equal(target.role, 'forward');
      assert.equal(target.context.peer, '10.0.0.2');
      assert.equal(scan.at('443').context.mappedTo, 'local port 8443');
      assert.equal(scan.at('8443').role, 'forward');
      assert.equal(scan.at('8444', 1).context.mappedTo, '192.168.1.2:9443');
      assert.equal(scan.at('9443').context.peer, '192.168.1.2');
      assert.equal(on(scan, 6, '22').context.peer, 'fd00::2');
      const masquerade = scan.at('1024-65535');
      assert.equal(masquerade.role, 'other');
      assert.equal(masquerade.context.direction, 'outbound');
    });

    it('reads dnat maps keyed by port and numgen maps whose values are ports, not their keys', async () => {
      const text = [
        'table ip nat {',
        '  chain prerouting { type nat hook prerouting priority 0;',
        '    dnat tcp dport map { 1000 : 1.1.1.1, 2000 : 2.2.2.2 } : tcp dport map { 1000 : 1234, 2000 : 2345 }',
        '    ip protocol tcp dnat to 192.168.1.100 : numgen inc mod 2 map { 0 : 4040, 1 : 4050 }',
        '  }',
        '}',
      ].join('\n');
      const scan = await scanNft(text);
      assert.deepEqual(scan.tokens, ['1000', '2000', '1000', '1234', '2000', '2345', '4040', '4050']);
      assert.equal(scan.at('1000').context.mappedTo, '1.1.1.1');
      assert.equal(scan.at('1234').role, 'forward');
      assert.equal(scan.at('4040').context.peer, '192.168.1.100');
    });
  });

  describe('numbers that are not ports', () => {
    const cases = [
      'type filter hook input priority -300;',
      'limit rate 5/second burst 4 packets accept',
      'ct count over 1200 drop',
      'icmpv6 type { 130, 131, 132 } accept',
      'icmp type 8 accept',
      'meta mark 0x1 accept',
      'counter packets 1363 bytes 44700 accept',
      'ip daddr set numgen inc mod 2 map { 0 : 192.168.1.100, 1 : 192.168.1.101 }',
      'meter flood size 128000 { ip saddr timeout 10s limit rate over 3/second } accept',
      'dnat to jhash ip saddr . tcp dport mod 2 map { 0 : 192.168.20.100, 1 : 192.168.30.100 }',
      'ip saddr 10.0.0.22 accept',
      '# tcp dport { 22, 80, 443 } accept',
    ];
    for (const rule of cases) {
      it(`finds no port in: ${rule}`, async () => {
        const scan = await scanNft(inputChain(rule));
        assert.deepEqual(scan.tokens, []);
      });
    }

    it('reads no set or define that holds no ports', async () => {
      const scan = await scanNft(
        'define prio = 10\ntable inet t {\n  set sizes { type ipv4_addr; size 65536; timeout 5m; }\n}\n',
      );
      assert.deepEqual(scan.tokens, []);
    });
  });

  describe('command form and the shell', () => {
    it('reads add rule, add chain and add set statements of an nft -f file', async () => {
      const text = [
        'add table inet filter',
        'add chain inet filter input { type filter hook input priority 0; policy drop; }',
        'add set inet filter admin { type inet_service; elements = { 9090 } }',
        'add rule inet filter input tcp dport 22 accept',
        'add rule inet filter input ip saddr 10.0.0.0/8 tcp dport @admin accept',
        'insert rule filter input udp dport 53 drop',
      ].join('\n');
      const scan = await scanNft(text);
      assert.equal(scan.at('22').context.policy, 'drop');
      assert.equal(scan.at('22').exposure, 'any');
      assert.equal(scan.at('9090').exposure, 'private');
      assert.equal(scan.at('53').role, 'deny');
    });

    it('hands nft command lines in shell scripts to the nftables reader', async () => {
      const script = await scanShell(
        [
          'PORT=8443',
          'nft add rule inet filter input tcp dport 22 accept',
          `nft add rule inet filter input ip saddr 10.0.0.0/8 tcp dport "{ 80, $PORT }" accept`,
          "sudo nft 'add rule inet filter input udp dport 53 drop'",
          'nft -f /etc/nftables.conf',
          'nft list ruleset',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['8443', '22', '80', '$PORT', '53']);
      const ssh = script.at('22');
      assert.equal(ssh.role, 'allow');
      assert.equal(ssh.exposure, 'any');
      assert.equal(ssh.context.tool, 'nft');
      assert.equal(script.at('$PORT').port, 8443);
      assert.equal(script.at('$PORT').exposure, 'private');
      assert.equal(script.at('53').role, 'deny');
    });

    it('reads nftables heredocs fed to nft -f -', async () => {
      const script = await scanShell(
        "nft -f - <<'EOF'\ntable inet filter {\n  chain input { type filter hook input priority 0; policy drop; tcp dport 1364 accept }\n}\nEOF\n",
      );
      const mention = script.at('1364');
      assert.equal(mention.language, 'nftables');
      assert.equal(mention.context.policy, 'drop');
    });
  });

  describe('detection and the corpus', () => {
    it('recognises nftables files by name and by content', async () => {
      const service = await testService();
      assert.equal(service.detectLanguage('/etc/nftables.conf', ''), 'nftables');
      assert.equal(service.detectLanguage('rules/router.nft', ''), 'nftables');
      assert.equal(service.detectLanguage('/etc/nftables.d/10-web.conf', ''), 'nftables');
      assert.equal(service.detectLanguage('firewall', '#!/usr/sbin/nft -f\n'), 'nftables');
      assert.equal(service.detectLanguage('firewall', '# the firewall\n\ntable inet filter {\n'), 'nftables');
      assert.equal(service.detectLanguage('firewall', 'flush ruleset\n'), 'nftables');
      assert.equal(service.detectLanguage('firewall', 'define wan = eth0\n'), 'nftables');
      assert.equal(service.detectLanguage('notes.txt', 'the table is ready\n'), 'unknown');
    });

    const expectations: Record<string, (scan: ScannedText) => void> = {
      'BourgeoisBear--youtube_firewalling--nftables.conf': (scan) => {
        assert.deepEqual(scan.ports, [22, 80, 443]);
        assert.equal(scan.lineOf(scan.at('22')), 57);
        assert.equal(scan.at('443').exposure, 'any');
      },
      'SvyatBeloz--nftables-config--nftables-web.conf': (scan) => {
        assert.deepEqual(scan.ports, [80, 443, 8080, 2022]);
        assert.equal(on(scan, 30, '2022').role, 'deny');
        assert.equal(on(scan, 26, '8080').role, 'other', 'the meter rule adds to a set and passes nothing');
        assert.equal(on(scan, 30, '2022').context.interface, 'eth0', 'the chain is jumped to for $interface_wan');
      },
      'b-data--docker-swarm-ipv6-nftables--nftables.conf': (scan) => {
        assert.deepEqual(scan.ports, [22, 80, 443, 22, 80, 443, 546]);
        assert.equal(scan.at('546').protocol, 'udp');
        assert.equal(scan.at('546').context.chain, 'INPUT');
      },
      'boldsuck--tor-relay-bootstrap--nftables.conf': (scan) => {
        assert.deepEqual(scan.ports, [22, 80, 443]);
        assert.equal(on(scan, 39, '22').context.policy, 'drop');
        assert.equal(on(scan, 39, '443').exposure, 'any');
      },
      'chr0mag--linux-wireless-router--nftables.conf': (scan) => {
        assert.deepEqual(scan.ports, [22, 53, 53, 67, 123, 53, 53, 67]);
        assert.equal(scan.at('22').context.interface, 'br0');
        assert.equal(scan.at('67', 1).context.interface, 'wbr0');
      },
      'dfinity--http-gateway-release--nftables.conf': (scan) => {
        const monitoring = scan.at('9100');
        assert.equal(monitoring.variable?.name, 'monitoring_ports');
        assert.equal(monitoring.exposure, 'unknown', 'the sources come from an included file');
        assert.equal(scan.at('25').role, 'deny', 'crowdsec addresses are dropped');
        assert.equal(scan.at('25', 1).exposure, 'any');
        assert.equal(scan.at('123').context.direction, 'outbound');
      },
      'nftables-debian--nat.nft': (scan) => {
        assert.deepEqual(scan.ports, [1000, 2000, 3000, 1000, 1234, 2000, 2345, 3000, 3456]);
        assert.equal(on(scan, 15, '3456').role, 'forward');
        assert.equal(on(scan, 14, '3000').context.mappedTo, '3.3.3.3');
      },
      'nftables-debian--nftables.conf': (scan) => {
        assert.deepEqual(scan.ports, []);
        assert.deepEqual(
          scan.scan.findings.map((finding) => finding.ruleId),
          ['all-ports-exposed'],
          'the input chain filters nothing',
        );
      },
      'nftables-debian--workstation.nft': (scan) =>
        assert.deepEqual(scan.ports, [], 'ICMPv6 types and commented rules are no ports'),
      'nftables-upstream--load_balancing.nft': (scan) => {
        assert.deepEqual(scan.ports, [4040, 4050, 80, 53, 80]);
        assert.equal(scan.at('53').protocol, 'udp');
      },
      'nftables-upstream--sets_and_maps.nft': (scan) => {
        assert.deepEqual(scan.tokens, ['ssh', 'domain', 'https', '123-125']);
        assert.equal(scan.at('domain').port, 53);
        assert.equal(scan.at('123-125').variable?.name, 'tcp_ports');
        assert.ok(
          scan.scan.findings.some((finding) => finding.ruleId === 'all-ports-exposed'),
          'no rule of its input chain drops anything',
        );
      },
    };
    corpusTests('nftables', 'nftables', expectations, [readFixture('nftables', 'gateway.nft')]);
  });

  describe('fixes', () => {
    const networks = ['10.0.0.0/8', '192.168.0.0/16'];

    async function restrict(
      text: string,
      written: string,
      nets: readonly string[] = networks,
    ): Promise<string | undefined> {
      const scan = await scanNft(text);
      const edits = nftablesFormat.fixes!.restrictSource!(text, scan.at(written), nets, new TextAnalyses(text));
      return edits && applyEdits(text, edits);
    }

    it('inserts ip saddr before the port match of an allow rule open to any source', async () => {
      const text = inputChain('tcp dport 22 accept', 'udp dport 53 accept');
      const fixed = (await restrict(text, '22'))!;
      assert.ok(
        fixed.includes('    ip saddr { 10.0.0.0/8, 192.168.0.0/16 } tcp dport 22 accept\n    udp dport 53 accept'),
      );
      const rescanned = await scanNft(fixed);
      assert.equal(rescanned.at('22').exposure, 'private');
      assert.equal(rescanned.at('53').exposure, 'any', 'the other rule is unchanged');
    });

    it('uses ip6 saddr for IPv6 networks and refuses a mix', async () => {
      const text = inputChain('tcp dport 22 accept');
      assert.ok((await restrict(text, '22', ['fd00::/8']))!.includes('ip6 saddr { fd00::/8 } tcp dport 22 accept'));
      assert.equal(await restrict(text, '22', ['fd00::/8', '10.0.0.0/8']), undefined);
    });

    it('restricts every rule that opens a define element to any source', async () => {
      const text = [
        'define web = { 80, 443 }',
        inputChain('tcp dport $web accept', 'ip saddr 10.0.0.0/8 tcp dport $web accept'),
      ].join('\n');
      const fixed = (await restrict(text, '443'))!;
      assert.equal(fixed.split('ip saddr { 10.0.0.0/8, 192.168.0.0/16 } tcp dport $web accept').length, 2);
      assert.equal((await scanNft(fixed)).at('443').exposure, 'private');
    });

    it('offers nothing for deny rules, restricted rules and outbound chains', async () => {
      assert.equal(await restrict(inputChain('tcp dport 23 drop'), '23'), undefined);
      assert.equal(await restrict(inputChain('ip saddr 10.0.0.0/8 tcp dport 22 accept'), '22'), undefined);
      assert.equal(
        await restrict(
          'table inet f {\n chain output { type filter hook output priority 0; tcp dport 25 accept }\n}',
          '25',
        ),
        undefined,
      );
    });
  });

  describe('bad input', () => {
    it('keeps reading after unbalanced braces and unterminated strings', async () => {
      const scan = await scanNft(
        [
          'table inet filter {',
          '  chain input {',
          '    iifname "eth0 tcp dport 21 accept',
          '    tcp dport { 22, 80',
          'chain other {',
          '    tcp dport 8080 accept',
        ].join('\n'),
      );
      assert.ok(scan.tokens.includes('22'));
      assert.ok(scan.tokens.includes('8080'));
    });

    it('reads defines that refer to each other in a cycle as far as they go, and says the file is incomplete', async () => {
      const text = ['define a = { $b, 22 }', 'define b = { $a, 23 }', inputChain('tcp dport $a accept')].join('\n');
      const scan = await scanAs('nftables', text, { expectNotices: true });
      assert.deepEqual(new Set(scan.ports), new Set([22, 23]));
      const incomplete = scan.scan.findings.filter((finding) => finding.ruleId === 'scan-incomplete');
      assert.deepEqual(
        incomplete.map((finding) => [finding.severity, scan.lineOf(finding), finding.message.split(': ')[1]]),
        [['error', 2, '$a refers to itself. Ports from here on may be missing from the findings.']],
      );
    });

    it('says so when a define holds more elements than a set can', async () => {
      const ports = Array.from({ length: 70_000 }, (_, index) => 1 + (index % 65_000));
      const text = [
        `define many = { ${ports.join(', ')} }`,
        inputChain('tcp dport $many accept', 'tcp dport 6379 accept'),
      ];
      const scan = await scanAs('nftables', text.join('\n'), { expectNotices: true });
      assert.deepEqual(
        scan.scan.findings.filter((finding) => finding.ruleId === 'scan-incomplete').map((f) => scan.lineOf(f)),
        [1],
      );
      assert.ok(scan.scan.findings.some((finding) => finding.port === 6379 && finding.severity === 'error'));
    });

    it('finds every port of a 10,000-rule file', async () => {
      const rules = Array.from({ length: 10_000 }, (_, index) => `tcp dport ${1024 + index} accept`);
      const scan = await scanNft(inputChain(...rules));
      assert.equal(scan.scan.mentions.length, 10_000);
      assert.equal(scan.scan.mentions[9_999].port, 11_023);
    });
  });
});
