import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeUse } from '../../server/src/features/describe';
import type { TextEdit } from '../../server/src/scan/format';
import { firewalldFormat } from '../../server/src/scan/firewalld/format';
import { richRuleOptions } from '../../server/src/scan/firewalld/fixes';
import { readXml } from '../../server/src/scan/firewalld/xml';
import type { PortMention } from '../../server/src/scan/mention';
import { fuzzFormat } from './fuzz';
import { type ScannedText, scanAs, scanShell, cleanScan, testService, assertEvery } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'firewalld');
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'firewalld');

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const corpusFile = (name: string) => readFileSync(join(CORPUS, name), 'utf8');
const scanFirewalld = (text: string) => scanAs('firewalld', text);

/** The mention of the value in the n-th occurrence of an attribute as written: `atValue(scanned, 'to-port="443"')`. */
function atValue(scanned: ScannedText, attribute: string, occurrence = 0): PortMention {
  let at = -1;
  for (let seen = 0; seen <= occurrence; seen++) at = scanned.text.indexOf(attribute, at + 1);
  const quote = attribute.search(/["']/);
  const start = at + quote + 1;
  const end = at + attribute.length - 1;
  const mention = scanned.scan.mentions.find((item) => item.span.start === start && item.span.end === end);
  assert.ok(
    at >= 0 && mention,
    `no port mention in ${attribute} (#${occurrence}); found: ${JSON.stringify(scanned.tokens)}`,
  );
  return mention;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.span.start - a.span.start)
    .reduce((result, edit) => result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end), text);
}

function restrictSource(scanned: ScannedText, mention: PortMention, networks: string[]): TextEdit[] | undefined {
  return firewalldFormat.fixes!.restrictSource!(scanned.text, mention, networks, new TextAnalyses(scanned.text));
}

describe('firewalld', () => {
  describe('detection', () => {
    it('recognises firewalld XML by its path', async () => {
      const service = await testService();
      for (const path of [
        '/etc/firewalld/zones/public.xml',
        'usr/lib/firewalld/services/ssh.xml',
        '/etc/firewalld/policies/gateway.xml',
        '/etc/firewalld/direct.xml',
        'C:\\backup\\etc\\firewalld\\zones\\dmz.xml',
      ]) {
        assert.equal(service.detectLanguage(path, ''), 'firewalld', path);
      }
    });

    const byContent: [path: string, head: string, language: string][] = [
      [
        'deploy/edge.xml',
        '<?xml version="1.0"?>\n<!-- edge -- zone -->\n<!-- second -->\n<zone target="DROP">',
        'firewalld',
      ],
      ['x.xml', "<service>\n<port port='22' protocol='tcp'/>", 'firewalld'],
      ['x.xml', '<policy priority="-1">', 'firewalld'],
      ['x.xml', '<direct>\n<rule/>', 'firewalld'],
      ['pom.xml', '<?xml version="1.0"?>\n<project><service name="x"/></project>', 'unknown'],
      ['a.xml', '<zones><zone/></zones>', 'unknown'],
      ['a.xml', '<!-- unterminated comment <zone>', 'unknown'],
      ['/etc/firewalld/firewalld.conf', 'DefaultZone=public', 'unknown'],
    ];
    for (const [path, head, language] of byContent) {
      it(`reads ${JSON.stringify(head.slice(0, 40))} in ${path} as ${language}: the root element decides`, async () => {
        const service = await testService();
        assert.equal(service.detectLanguage(path, head), language);
      });
    }
  });

  describe('corpus', () => {
    const names = readdirSync(CORPUS);

    it('recognises every corpus file as firewalld from its content alone', async () => {
      const service = await testService();
      assert.ok(names.length >= 19);
      for (const name of names) assert.equal(service.detectLanguage(name, corpusFile(name)), 'firewalld', name);
    });

    it('finds the ports of every corpus file that writes one, with the role its root element gives', async () => {
      const expected: Record<string, [string, string][]> = {
        'alpham8--opensuse-webstack--public.xml': [
          ['2424', 'allow'],
          ['80', 'allow'],
          ['443', 'allow'],
          ['25', 'allow'],
          ['465', 'allow'],
          ['587', 'allow'],
          ['993', 'allow'],
        ],
        'firewalld-upstream--services-ceph.xml': [['6800-7568', 'define']],
        'firewalld-upstream--services-high-availability.xml': [
          ['2224', 'define'],
          ['3121', 'define'],
          ['5403', 'define'],
          ['5404', 'define'],
          ['5405-5412', 'define'],
          ['9929', 'define'],
          ['9929', 'define'],
          ['21064', 'define'],
        ],
        'firewalld-upstream--services-kdeconnect.xml': [
          ['1714-1764', 'define'],
          ['1714-1764', 'define'],
        ],
        'firewalld-upstream--services-mosh.xml': [['60000-61000', 'define']],
        'firewalld-upstream--services-samba.xml': [
          ['139', 'define'],
          ['445', 'define'],
        ],
        'firewalld-upstream--services-ssh.xml': [['22', 'define']],
        'firewalld-upstream--services-upnp-client.xml': [['1900', 'other']],
        'firewalld-upstream--policies-gateway-world-to-HOST.xml': [['dhcpv6-client', 'allow']],
        'firewalld-upstream--zones-dmz.xml': [['ssh', 'allow']],
        'firewalld-upstream--zones-external.xml': [['ssh', 'allow']],
        'firewalld-upstream--zones-public.xml': [
          ['ssh', 'allow'],
          ['dhcpv6-client', 'allow'],
        ],
        'gucci-on-fleek--maxchernoff.ca--incoming.xml': [
          'dhcpv6-client',
          'ssh',
          'http',
          'https',
          'http3',
          'dns',
          'dns',
          'dns-over-tls',
          'syslog',
          'syslog',
        ].map((name) => [name, 'allow']),
        'gucci-on-fleek--maxchernoff.ca--outgoing.xml': [
          'mdns',
          'dhcpv6-client',
          'ssh',
          'http',
          'https',
          'http3',
          'dns',
          'dns',
          'dns-over-tls',
          'ntp',
          'smtp',
          '8369',
          'imaps',
          'wireguard',
        ].map((name) => [name, 'allow']),
        'syncthing--firewalld--syncthing-gui.xml': [['8384', 'define']],
        'syncthing--firewalld--syncthing.xml': [
          ['22000', 'define'],
          ['21027', 'define'],
        ],
      };
      for (const name of names) {
        const scanned = await scanFirewalld(corpusFile(name));
        const found = scanned.scan.mentions.map((mention, index) => [scanned.tokens[index], mention.role]);
        assert.deepEqual(found, expected[name] ?? [], name);
      }
    });

    it('reads the custom public zone as open to any source, on the lines it is written', async () => {
      const scanned = await scanFirewalld(corpusFile('alpham8--opensuse-webstack--public.xml'));
      const ssh = scanned.at('2424');
      assert.equal(scanned.lineOf(ssh), 10);
      assert.equal(ssh.exposure, 'any');
      assert.equal(ssh.protocol, 'tcp');
      assert.equal(ssh.context.zone, 'Public');
      assert.equal(scanned.lineOf(scanned.at('993')), 26);
      assertEvery(
        scanned.scan.mentions,
        (mention) => mention.exposure === 'any' && mention.context.direction === 'inbound',
      );
    });

    it('reads services as definitions that expose nothing, with ranges as one mention', async () => {
      const ceph = await scanFirewalld(corpusFile('firewalld-upstream--services-ceph.xml'));
      const range = ceph.at('6800-7568');
      assert.deepEqual([range.port, range.endPort, range.protocol, range.exposure], [6800, 7568, 'tcp', 'unknown']);
      assert.equal(ceph.lineOf(range), 5);
      assert.equal(range.context.note, 'defines a port of service ceph');
      const kde = await scanFirewalld(corpusFile('firewalld-upstream--services-kdeconnect.xml'));
      assert.deepEqual(
        kde.scan.mentions.map((mention) => mention.protocol),
        ['tcp', 'udp'],
        'port= written before protocol=',
      );
      const upnp = await scanFirewalld(corpusFile('firewalld-upstream--services-upnp-client.xml'));
      assert.equal(
        upnp.at('1900').context.note,
        'defines a port of service UPnP Client; source port of the matched packets',
      );
    });

    it('reads the outgoing policy as outbound and skips its template placeholders', async () => {
      const scanned = await scanFirewalld(corpusFile('gucci-on-fleek--maxchernoff.ca--outgoing.xml'));
      const svn = scanned.at('8369');
      assert.equal(scanned.lineOf(svn), 46);
      assert.equal(svn.context.direction, 'outbound');
      assert.equal(svn.exposure, 'unknown');
      assert.equal(svn.context.policy, 'REJECT');
      assert.equal(scanned.find('!!prometheus.node.port!!-!!prometheus.openwrt.port!!'), undefined);
    });

    it('reads the templated incoming zone: its services, and no template placeholder', async () => {
      const scanned = await scanFirewalld(corpusFile('gucci-on-fleek--maxchernoff.ca--incoming.xml'));
      assert.equal(
        scanned.tokens.some((token) => token.includes('!!')),
        false,
      );
      const dns = scanned.scan.mentions.filter((mention) => mention.writtenName === 'dns');
      assert.deepEqual(
        dns.map((mention) => `${mention.port}/${mention.protocol}`),
        ['53/tcp', '53/udp'],
        'one mention per port the service defines',
      );
      assert.equal(dns[0].span.start, dns[1].span.start);
    });

    it("opens the stock zones' services to any source: ssh in public is the sensitive-port warning", async () => {
      const scanned = await scanFirewalld(corpusFile('firewalld-upstream--zones-public.xml'));
      const ssh = scanned.at('ssh');
      assert.deepEqual([ssh.port, ssh.protocol, ssh.exposure, ssh.context.zone], [22, 'tcp', 'any', 'Public']);
      assert.match(ssh.reference ?? '', /^ssh → 22\/tcp \(firewalld service ssh; firewalld 1\.3\.3 stock service\)$/);
      const findings = scanned.scan.findings.map(
        (finding) =>
          `${finding.ruleId} ${finding.severity} ${scanned.text.slice(finding.span.start, finding.span.end)}`,
      );
      assert.deepEqual(findings, ['exposed-sensitive-port warning ssh']);
    });
  });

  describe('zones', () => {
    it('reads ports, ranges, source ports and forward ports of an internet-facing zone', async () => {
      const scanned = await scanFirewalld(fixture('edge-public.xml'));
      const cd = scanned.at('1364');
      assert.deepEqual([cd.role, cd.exposure, cd.protocol], ['allow', 'any', 'tcp']);
      assert.deepEqual(
        [cd.context.zone, cd.context.interface, cd.context.direction, cd.context.policy],
        ['Public', 'eth0', 'inbound', undefined],
      );
      assert.equal(describeUse(cd), 'allowed inbound on eth0 in zone Public from any source (firewalld)');
      const hostServers = scanned.at('8470-8476');
      assert.deepEqual([hostServers.port, hostServers.endPort], [8470, 8476]);
      assert.equal(scanned.at('5353').protocol, 'udp', 'single-quoted attributes');
      const sourcePort = scanned.at('1900');
      assert.deepEqual([sourcePort.role, sourcePort.exposure], ['other', 'unknown']);
      const forwarded = scanned.at('8443');
      assert.deepEqual(
        [forwarded.role, forwarded.exposure, forwarded.context.mappedTo],
        ['forward', 'any', '172.16.10.2:443'],
      );
      const target = atValue(scanned, 'to-port="443"');
      assert.equal(target.context.peer, '172.16.10.2');
      assert.equal(describeUse(forwarded), 'forwarded to 172.16.10.2:443 (firewalld)');
    });

    it('takes the widest of the zone sources, and unknown for other zones without one', async () => {
      const internal = await scanFirewalld(fixture('internal.xml'));
      assert.equal(internal.at('5432').exposure, 'private');
      assert.equal(internal.at('5432').context.source, '10.30.0.0/16, fd12:3456::/48');
      const work = await scanFirewalld(fixture('work.xml'));
      assert.equal(work.at('3000').exposure, 'unknown');
      assert.equal(work.at('3000').context.interface, 'ens192');
    });

    it('notes a zone target ACCEPT on every port, and a zone bound to lo only as loopback', async () => {
      const scanned = await scanFirewalld(fixture('loopback-trusted.xml'));
      const port = scanned.at('6060');
      assert.equal(port.exposure, 'loopback');
      assert.equal(port.context.policy, 'ACCEPT');
      assert.equal(port.context.note, 'zone target ACCEPT accepts every other port too');
    });

    it('reads a zone without a name as the default zone public', async () => {
      const scanned = await scanFirewalld(fixture('nameless.xml'));
      const port = scanned.at('8080');
      assert.equal(port.exposure, 'any');
      assert.equal(port.context.zone, 'public');
      assert.match(port.context.note ?? '', /default zone public/);
    });

    it('reads zone sources by ipset and MAC, and a public source', async () => {
      const scanned = await scanFirewalld(
        '<zone><short>Partners</short><source ipset="partners"/><port port="7000" protocol="tcp"/></zone>\n' +
          '<zone><short>Lab</short><source mac="52:54:00:aa:bb:cc"/><port port="7001" protocol="tcp"/></zone>\n' +
          '<zone><short>Office</short><source address="198.51.100.7"/><port port="7002" protocol="tcp"/></zone>',
      );
      assert.deepEqual(
        scanned.scan.mentions.map((mention) => mention.exposure),
        ['unknown', 'private', 'public'],
      );
      assert.equal(scanned.at('7000').context.source, 'ipset partners');
    });
  });

  describe('rich rules in XML', () => {
    it('lets the rule source decide: private, inverted, and none (the zone decides)', async () => {
      const scanned = await scanFirewalld(fixture('edge-public.xml'));
      const api = scanned.at('1363');
      assert.deepEqual([api.role, api.exposure, api.context.source], ['allow', 'private', '10.20.0.0/16']);
      assert.equal(scanned.lineOf(api), 18);
      const inverted = scanned.at('9200');
      assert.deepEqual([inverted.exposure, inverted.context.source], ['any', 'not 192.168.0.0/16']);
      const noSource = scanned.at('6379');
      assert.deepEqual([noSource.role, noSource.exposure], ['allow', 'any']);
    });

    it('reads reject and drop as deny, mark as other, and a MAC source as the local link', async () => {
      const scanned = await scanFirewalld(fixture('edge-public.xml'));
      assert.deepEqual([scanned.at('23').role, scanned.at('23').exposure], ['deny', 'unknown']);
      assert.deepEqual([scanned.at('2375').role, scanned.at('2375').exposure], ['deny', 'unknown']);
      const marked = scanned.at('514');
      assert.deepEqual([marked.role, marked.protocol], ['other', 'udp']);
      assert.match(marked.context.note ?? '', /marks the matched packets/);
      assert.equal(scanned.at('3389').exposure, 'private');
      const sourcePort = atValue(scanned, 'port="53"');
      assert.deepEqual([sourcePort.role, sourcePort.context.note], ['other', 'source port of the matched packets']);
    });

    it('reads a forward-port rule, which has no action, as a forward from its source', async () => {
      const scanned = await scanFirewalld(fixture('edge-public.xml'));
      const forwarded = scanned.at('2222');
      assert.deepEqual(
        [forwarded.role, forwarded.exposure, forwarded.context.mappedTo],
        ['forward', 'unknown', '10.0.5.20:22'],
      );
      assert.equal(forwarded.context.source, 'ipset partners');
      assert.equal(atValue(scanned, 'to-port="22"').context.peer, '10.0.5.20');
    });

    it("finds no port in priorities, limits, marks, log levels or descriptions, and a service's ports at its name", async () => {
      const scanned = await scanFirewalld(fixture('edge-public.xml'));
      assert.deepEqual(scanned.tokens, [
        'ssh',
        'https',
        '1364',
        '8470-8476',
        '5353',
        '1900',
        '8443',
        '443',
        '1363',
        '9200',
        '23',
        '2375',
        'ldap',
        '6379',
        '2222',
        '22',
        '514',
        '3389',
        '53',
      ]);
    });
  });

  describe('policies', () => {
    it('reads ANY toward HOST as inbound from any source, and a rule source as narrower', async () => {
      const scanned = await scanFirewalld(fixture('host-policy.xml'));
      const cd = scanned.at('1364');
      assert.deepEqual(
        [cd.role, cd.exposure, cd.context.direction, cd.context.zone, cd.context.policy],
        ['allow', 'any', 'inbound', 'ANY', 'REJECT'],
      );
      assert.equal(scanned.at('1363').exposure, 'private');
    });

    it('reads a policy from an internet-facing zone to another zone as forwarded through', async () => {
      const scanned = await scanFirewalld(fixture('forward-policy.xml'));
      const web = scanned.at('8081');
      assert.deepEqual([web.role, web.exposure], ['allow', 'any']);
      assert.equal(web.context.note, 'forwarded to zone internal');
      const toHosts = scanned.at('8082');
      assert.equal(toHosts.exposure, 'any');
      assert.match(toHosts.context.note ?? '', /to destination 10\.0\.5\.0\/24/);
    });

    it('reads a disabled policy as opening nothing', async () => {
      const scanned = await scanFirewalld(
        '<policy><disable/><ingress-zone name="ANY"/><egress-zone name="HOST"/><port port="8000" protocol="tcp"/></policy>',
      );
      assert.deepEqual(
        [scanned.at('8000').exposure, scanned.at('8000').context.note],
        ['unknown', 'the policy is disabled'],
      );
    });
  });

  describe('services', () => {
    it('reads a service as definitions, skipping includes, helpers, destinations and description numbers', async () => {
      const scanned = await scanFirewalld(fixture('connect-direct.xml'));
      assert.deepEqual(scanned.tokens, ['1364', '1363', '1024-65535']);
      const server = atValue(scanned, 'port="1364"');
      assert.deepEqual([server.role, server.exposure, server.context.tool], ['define', 'unknown', 'firewalld service']);
      assert.equal(
        describeUse(server),
        'defines a port of service Connect:Direct (opens nothing by itself) (firewalld service)',
      );
      assert.equal(scanned.at('1024-65535').role, 'other');
    });
  });

  describe('direct.xml', () => {
    it('hands direct rules and passthroughs to the iptables reader with their table and chain', async () => {
      const scanned = await scanFirewalld(fixture('direct.xml'));
      assert.deepEqual(scanned.tokens, ['22', '1363', '1364', '161', '8443', '443']);
      const ssh = scanned.at('22');
      assert.deepEqual(
        [ssh.role, ssh.exposure, ssh.context.chain, ssh.context.tool],
        ['allow', 'private', 'INPUT', 'firewalld direct'],
      );
      assert.equal(scanned.at('1363').exposure, 'any', 'attributes in another order');
      assert.equal(scanned.at('161').role, 'deny');
      assert.deepEqual([scanned.at('8443').role, scanned.at('8443').context.table], ['forward', 'nat']);
      assert.equal(scanned.at('443', 1).context.peer, '10.0.5.20');
    });
  });

  describe('tolerant reading', () => {
    it('skips commented-out elements and CDATA', async () => {
      const scanned = await scanFirewalld(
        '<zone>\n<short>Public</short>\n<!-- <port port="1111" protocol="tcp"/> -->\n<![CDATA[<port port="2222" protocol="tcp"/>]]>\n<port port="3333" protocol="tcp"/>\n</zone>',
      );
      assert.deepEqual(scanned.tokens, ['3333']);
    });

    it('keeps sibling ports written without the closing slash, and closing tags written out', async () => {
      const scanned = await scanFirewalld(
        '<zone><short>Public</short>\n<port port="1001" protocol="tcp">\n<port port="1002" protocol="tcp"></port>\n<rule><source address="10.0.0.0/8"><port port="1003" protocol="tcp"><accept></rule>\n<port port="1004" protocol="udp"/></zone>',
      );
      assert.deepEqual(scanned.tokens, ['1001', '1002', '1003', '1004']);
      assert.equal(scanned.at('1003').exposure, 'private');
      assert.equal(scanned.at('1004').exposure, 'any');
    });

    it('decodes entities in addresses but finds no port in entity-written port values', async () => {
      const scanned = await scanFirewalld(
        '<zone><short>Public</short><rule family="ipv4"><source address="10.0.0.0&#47;8"/><port port="&#49;&#50;" protocol="tcp"/><port port="1005" protocol="tcp"/><accept/></rule></zone>',
      );
      assert.deepEqual(scanned.tokens, ['1005']);
      assert.equal(scanned.at('1005').context.source, '10.0.0.0/8');
    });

    it('reads what it can of a file cut off mid-tag and mid-attribute', async () => {
      const text = fixture('edge-public.xml');
      const cut = await scanFirewalld(`${text.slice(0, text.indexOf('<source-port'))}<port port="9201" protocol="tcp`);
      assert.deepEqual(cut.tokens, ['ssh', 'https', '1364', '8470-8476', '5353', '9201']);
      assert.deepEqual([cut.at('9201').exposure, cut.at('9201').protocol], ['any', 'tcp']);
      const midRule = await scanFirewalld(`${text.slice(0, text.indexOf('<log prefix'))}<accept`);
      assert.equal(midRule.at('1363').role, 'allow');
    });

    it('reads an unterminated quote up to the next tag only', async () => {
      const scanned = await scanFirewalld(
        '<zone><short>Public</short>\n<port port="1006 protocol="tcp"/>\n<port port="1007" protocol="tcp"/>\n</zone>',
      );
      assert.deepEqual(scanned.tokens, ['1007']);
    });

    it('reads no port outside port elements: out-of-range, zero, names and junk', async () => {
      const scanned = await scanFirewalld(
        '<zone><short>Public</short><port port="70000" protocol="tcp"/><port port="0" protocol="tcp"/><port port="ssh" protocol="tcp"/>' +
          '<port port="22-" protocol="tcp"/><port port="30-20" protocol="tcp"/><interface name="1364"/><service name="1364"/><icmp-block name="3"/></zone>',
      );
      assert.deepEqual(scanned.tokens, []);
    });

    it('finds every port of a zone with 10,000 port elements', async () => {
      const ports = Array.from({ length: 10_000 }, (_, index) => `  <port protocol="tcp" port="${10_000 + index}"/>`);
      const scanned = await scanFirewalld(`<zone>\n  <short>Public</short>\n${ports.join('\n')}\n</zone>\n`);
      assert.equal(scanned.scan.mentions.length, 10_000);
      assert.equal(scanned.scan.mentions[9_999].port, 19_999);
      assertEvery(scanned.scan.mentions, (mention) => mention.exposure === 'any');
    });

    it('reads deep nesting and stray end tags without recursion trouble', () => {
      const roots = readXml(`${'<a>'.repeat(50_000)}${'</b>'.repeat(1000)}<zone/>`);
      assert.equal(roots.length, 1);
    });
  });

  describe('in shell scripts', () => {
    it('reads --add-rich-rule with spans in the script and the zone deciding when the rule has no source', async () => {
      const text = [
        `firewall-cmd --permanent --zone=public --add-rich-rule='rule family="ipv4" source address="10.0.0.0/8" port port="1364" protocol="tcp" accept'`,
        `firewall-cmd --add-rich-rule 'rule family=ipv4 port port=1363 protocol=tcp accept'`,
        `firewall-cmd --zone=dmz --add-rich-rule="rule family='ipv4' source NOT address='10.0.0.0/8' port port='5900-5910' protocol='tcp' accept"`,
        `firewall-cmd --add-rich-rule='rule family="ipv4" source address="203.0.113.9" port port="23" protocol="tcp" reject type="icmp-port-unreachable"'`,
        `firewall-cmd --add-rich-rule='rule family="ipv4" forward-port port="443" protocol="tcp" to-port="8443" to-addr="10.0.0.7"'`,
        `firewall-cmd --zone=public --remove-rich-rule='rule family="ipv4" port port="2049" protocol="tcp" accept'`,
        `firewall-cmd --add-rich-rule='rule family="ipv4" source address="10.1.0.0/16" service name="ssh" log prefix="ssh 22" level="info" limit value="3/m" accept'`,
      ].join('\n');
      const script = await scanShell(text);
      assert.deepEqual(script.tokens, ['1364', '1363', '5900-5910', '23', '443', '8443', '2049', 'ssh']);
      const cd = script.at('1364');
      assert.deepEqual(
        [cd.role, cd.exposure, cd.protocol, cd.context.source, cd.context.zone],
        ['allow', 'private', 'tcp', '10.0.0.0/8', 'public'],
      );
      assert.equal(text.slice(cd.span.start, cd.span.end), '1364');
      assert.equal(script.at('1363').exposure, 'any', 'no source: the default zone public decides');
      assert.deepEqual([script.at('5900-5910').exposure, script.at('5900-5910').endPort], ['any', 5910]);
      assert.equal(script.at('23').role, 'deny');
      assert.deepEqual([script.at('443').role, script.at('443').context.mappedTo], ['forward', '10.0.0.7:8443']);
      assert.equal(script.at('2049').role, 'other');
      assert.match(script.at('2049').context.note ?? '', /rule removed/);
      const ssh = script.at('ssh');
      assert.deepEqual(
        [ssh.port, ssh.protocol, ssh.role, ssh.exposure, ssh.context.source],
        [22, 'tcp', 'allow', 'private', '10.1.0.0/16'],
      );
    });

    it('reads zone files and zone fragments that scripts write under /etc/firewalld', async () => {
      const script = await scanShell(
        [
          "cat > /etc/firewalld/zones/public.xml <<'XML'",
          '<zone>',
          '  <short>Public</short>',
          '  <port protocol="tcp" port="1364"/>',
          '  <rule family="ipv4"><source address="10.0.0.0/8"/><port port="1363" protocol="tcp"/><accept/></rule>',
          '</zone>',
          'XML',
          `echo '<port port="8080" protocol="tcp"/>' >> /etc/firewalld/zones/public.xml`,
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['1364', '1363', '8080']);
      assertEvery(script.scan.mentions, (mention) => mention.language === 'firewalld');
      assert.deepEqual(
        script.scan.mentions.map((mention) => mention.exposure),
        ['any', 'private', 'any'],
      );
      assert.equal(script.at('8080').context.zone, 'public', 'a fragment is read as the default zone');
    });

    it('keeps reading the other firewall-cmd options, IPv6 forward targets included', async () => {
      const script = await scanShell(
        'firewall-cmd --add-forward-port=port=80:proto=tcp:toport=8080:toaddr=fd00::7\nfirewall-cmd --policy=edge --add-port=7443/tcp',
      );
      assert.equal(script.at('8080').context.peer, 'fd00::7');
      assert.equal(script.at('7443').exposure, 'unknown', 'a policy does not say where traffic comes from');
    });
  });

  describe('fixes', () => {
    /** The edge zone fixture after restricting the port written `port` to `networks`. */
    async function fixEdgeZone(port: string, networks: string[]): Promise<string> {
      const scanned = await scanFirewalld(fixture('edge-public.xml'));
      const edits = restrictSource(scanned, scanned.at(port), networks);
      assert.ok(edits, `no fix for ${port}`);
      return applyEdits(scanned.text, edits);
    }

    it('turns a port of an internet-facing zone into one rich rule per network', async () => {
      const text = fixture('edge-public.xml');
      const fixed = await fixEdgeZone('1364', ['10.0.0.0/8', 'fd00::/8']);
      const element = '<port protocol="tcp" port="1364"/>';
      assert.ok(
        fixed.includes(
          `  <rule family="ipv4"><source address="10.0.0.0/8"/>${element}<accept/></rule>\n  <rule family="ipv6"><source address="fd00::/8"/>${element}<accept/></rule>\n`,
        ),
      );
      assert.equal(
        fixed
          .replace(/ *<rule family="ipv6"><source address="fd00::\/8"\/>.*\n/, '')
          .replace(/<rule family="ipv4"><source address="10.0.0.0\/8"\/>(.*)<accept\/><\/rule>/, '$1'),
        text,
      );
      const rescanned = await scanFirewalld(fixed);
      assert.deepEqual(
        rescanned.scan.mentions.filter((mention) => mention.port === 1364).map((mention) => mention.exposure),
        ['private', 'private'],
      );
      assert.equal(rescanned.scan.mentions.length, (await scanFirewalld(text)).scan.mentions.length + 1);
    });

    it('wraps a forward port in rich rules without an action', async () => {
      const fixed = await fixEdgeZone('8443', ['192.168.10.0/24']);
      assert.ok(
        fixed.includes(
          '<rule family="ipv4"><source address="192.168.10.0/24"/><forward-port port="8443" protocol="tcp" to-port="443" to-addr="172.16.10.2"/></rule>',
        ),
      );
      assert.equal((await scanFirewalld(fixed)).at('8443').exposure, 'private');
    });

    it('gives a rich rule without a source one, and a family when it had none', async () => {
      const withFamily = await fixEdgeZone('6379', ['10.9.0.0/16']);
      assert.ok(
        withFamily.includes(
          '<rule family="ipv4">\n    <source address="10.9.0.0/16"/>\n    <port port="6379" protocol="tcp"/>',
        ),
      );
      assert.equal((await scanFirewalld(withFamily)).at('6379').exposure, 'private');
      const without = await scanFirewalld(
        '<zone><short>Public</short>\n<rule>\n  <port port="6380" protocol="tcp"/>\n  <accept/>\n</rule>\n</zone>',
      );
      const fixed = applyEdits(without.text, restrictSource(without, without.at('6380'), ['10.9.0.0/16'])!);
      assert.equal(
        fixed,
        '<zone><short>Public</short>\n<rule family="ipv4">\n  <source address="10.9.0.0/16"/>\n  <port port="6380" protocol="tcp"/>\n  <accept/>\n</rule>\n</zone>',
      );
    });

    it('offers nothing it cannot do safely', async () => {
      const scanned = await scanFirewalld(fixture('edge-public.xml'));
      assert.equal(
        restrictSource(scanned, scanned.at('6379'), ['10.0.0.0/8', '192.168.0.0/16']),
        undefined,
        'a rule has one source',
      );
      assert.equal(
        restrictSource(scanned, scanned.at('6379'), ['fd00::/8']),
        undefined,
        'an IPv6 network in an IPv4 rule',
      );
      assert.equal(restrictSource(scanned, scanned.at('9200'), ['10.0.0.0/8']), undefined, 'the rule has a source');
      assert.equal(restrictSource(scanned, scanned.at('2375'), ['10.0.0.0/8']), undefined, 'a dropped port');
      assert.equal(restrictSource(scanned, scanned.at('1364'), []), undefined);
      const service = await scanFirewalld(fixture('connect-direct.xml'));
      assert.equal(
        restrictSource(service, atValue(service, 'port="1364"'), ['10.0.0.0/8']),
        undefined,
        'a service only defines',
      );
    });

    it('builds the --add-rich-rule options that replace a firewall-cmd --add-port, one per network', async () => {
      const options = richRuleOptions('5000-5100', 'udp', ['10.0.0.0/8', 'fd00::/8']);
      assert.equal(
        options,
        `--add-rich-rule='rule family="ipv4" source address="10.0.0.0/8" port port="5000-5100" protocol="udp" accept' ` +
          `--add-rich-rule='rule family="ipv6" source address="fd00::/8" port port="5000-5100" protocol="udp" accept'`,
      );
      const script = await scanShell(`firewall-cmd --permanent --zone=public ${options}`);
      assert.deepEqual(
        script.scan.mentions.map((mention) => [mention.port, mention.endPort, mention.protocol, mention.exposure]),
        [
          [5000, 5100, 'udp', 'private'],
          [5000, 5100, 'udp', 'private'],
        ],
      );
    });
  });

  describe('outline', () => {
    it('lists the root element and its ports, rules and bindings', () => {
      const [zone] = firewalldFormat.symbols!(fixture('edge-public.xml'));
      assert.equal(zone.name, 'zone Public');
      assert.equal(zone.kind, 'zone');
      const names = zone.children!.map((child) => child.name);
      assert.deepEqual(names.slice(0, 6), [
        'interface eth0',
        'service ssh',
        'service https',
        'port 1364/tcp',
        'port 8470-8476/tcp',
        'port 5353/udp',
      ]);
      assert.ok(names.includes('rule source 10.20.0.0/16 port 1363/tcp accept'));
      assert.ok(names.includes('rule source not 192.168.0.0/16 port 9200/tcp accept'));
      const [policy] = firewalldFormat.symbols!(fixture('host-policy.xml'));
      assert.deepEqual([policy.name, policy.detail], ['policy Inbound from the world', 'ANY -> HOST']);
      const [direct] = firewalldFormat.symbols!(fixture('direct.xml'));
      assert.deepEqual(
        direct.children!.map((child) => child.name),
        ['rule ipv4 filter INPUT', 'rule ipv4 filter INPUT', 'rule ipv6 filter INPUT', 'passthrough'],
      );
    });
  });
});

describe('firewalld fuzzing', () => {
  const samples = [...readdirSync(CORPUS).map(corpusFile), ...readdirSync(FIXTURES).map(fixture)];
  fuzzFormat('firewalld', samples);
});

describe('firewalld zones named by their file', () => {
  const zone = '<?xml version="1.0" encoding="utf-8"?>\n<zone>\n  <port protocol="tcp" port="1364"/>\n</zone>\n';

  it('takes the zone from the file name, as firewalld does', async () => {
    const service = await testService();
    const internal = cleanScan(service, {
      text: zone,
      languageId: 'firewalld',
      path: '/etc/firewalld/zones/internal.xml',
    });
    assert.equal(internal.mentions[0].context.zone, 'internal');
    assert.equal(internal.mentions[0].exposure, 'unknown');
    const dmz = cleanScan(service, { text: zone, languageId: 'firewalld', path: '/etc/firewalld/zones/dmz.xml' });
    assert.equal(dmz.mentions[0].exposure, 'any');
  });

  it('knows the zone a shell script writes to', async () => {
    const script = await scanShell(`cat > /etc/firewalld/zones/dmz.xml <<'EOF'\n${zone}EOF\n`);
    assert.equal(script.at('1364').context.zone, 'dmz');
    assert.equal(script.at('1364').exposure, 'any');
  });

  it('reports a zone that accepts everything from the internet once, at its target', async () => {
    const text =
      '<zone target="ACCEPT">\n  <short>Public</short>\n  <interface name="eth0"/>\n  <port protocol="tcp" port="443"/>\n</zone>\n';
    const service = await testService();
    const scan = cleanScan(service, { text, languageId: 'firewalld', path: 'zones/public.xml' });
    assert.deepEqual(
      scan.findings.map((finding) => `${finding.ruleId} ${text.slice(finding.span.start, finding.span.end)}`),
      ['all-ports-exposed ACCEPT'],
    );
    const trusted = cleanScan(service, {
      text: text.replace('<short>Public</short>', ''),
      languageId: 'firewalld',
      path: 'zones/trusted.xml',
    });
    assert.deepEqual(
      trusted.findings.map((finding) => finding.ruleId),
      [],
      'an internal zone that accepts everything is its own business',
    );
  });
});
