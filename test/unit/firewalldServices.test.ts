import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firewalldFormat } from '../../server/src/scan/firewalld/format';
import { servicePorts, stockService } from '../../server/src/scan/firewalld/services';
import { type ScannedText, scanAs, scanShell, testService } from './helpers';

const zone = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<zone>\n  <short>Public</short>\n${body}\n</zone>\n`;

/** `port/protocol role exposure` of every mention at the n-th occurrence of `written`. */
function portsAt(scanned: ScannedText, written: string, occurrence = 0): string[] {
  const at = scanned.at(written, occurrence).span;
  return scanned.scan.mentions
    .filter((mention) => mention.span.start === at.start && mention.span.end === at.end)
    .map(
      (mention) =>
        `${mention.endPort === null ? mention.port : `${mention.port}-${mention.endPort}`}/${mention.protocol} ${mention.role} ${mention.exposure}`,
    );
}

function findingsOf(scanned: ScannedText): string[] {
  return scanned.scan.findings.map(
    (finding) =>
      `${finding.ruleId} ${finding.severity} ${scanned.text.slice(finding.span.start, finding.span.end)} ${finding.port}`,
  );
}

describe('firewalld service references', () => {
  describe('stock services (firewalld.service(5) definitions shipped with firewalld)', () => {
    it('knows the stock definitions, and follows includes once each', () => {
      assert.deepEqual(stockService('ssh')?.ports, ['22/tcp']);
      const samba = servicePorts('samba', stockService);
      assert.deepEqual(
        samba.ports.map((item) => `${item.port}/${item.protocol} ${item.definedIn}`),
        ['139/tcp samba', '445/tcp samba', '138/udp samba-client', '137/udp netbios-ns'],
      );
      assert.deepEqual(samba.unresolved, []);
      assert.deepEqual(servicePorts('no-such-service', stockService), { ports: [], unresolved: ['no-such-service'] });
    });

    it('opens each port of a zone service at the name, judged as a <port> of the zone would be', async () => {
      const scanned = await scanAs(
        'firewalld',
        zone('  <service name="ssh"/>\n  <service name="samba"/>\n  <service name="dhcpv6-client"/>'),
      );
      assert.deepEqual(portsAt(scanned, 'ssh'), ['22/tcp allow any']);
      assert.deepEqual(portsAt(scanned, 'samba'), [
        '139/tcp allow any',
        '445/tcp allow any',
        '138/udp allow any',
        '137/udp allow any',
      ]);
      assert.deepEqual(findingsOf(scanned), [
        'exposed-sensitive-port warning ssh 22',
        'exposed-critical-port error samba 139',
        'exposed-critical-port error samba 445',
        'exposed-critical-port error samba 138',
        'exposed-critical-port error samba 137',
      ]);
      assert.match(
        scanned.at('samba').reference ?? '',
        /samba → 139\/tcp \(firewalld service samba; firewalld 1\.3\.3 stock service\)/,
      );
      const through = scanned.scan.mentions.find((mention) => mention.port === 137);
      assert.match(through?.reference ?? '', /samba → 137\/udp \(firewalld service samba, through netbios-ns;/);
    });

    it("takes the zone's sources and rich-rule sources and actions, as ports written there", async () => {
      const text = zone(
        [
          '  <source address="10.0.0.0/8"/>',
          '  <service name="mysql"/>',
          '  <rule family="ipv4"><source address="0.0.0.0/0"/><service name="redis"/><accept/></rule>',
          '  <rule family="ipv4"><service name="telnet"/><drop/></rule>',
        ].join('\n'),
      );
      const scanned = await scanAs('firewalld', text);
      assert.deepEqual(portsAt(scanned, 'mysql'), ['3306/tcp allow private']);
      // The zone sees only the packets of its sources, whatever a rule in it admits.
      assert.deepEqual(portsAt(scanned, 'redis'), ['6379/tcp allow private']);
      assert.deepEqual(portsAt(scanned, 'telnet'), ['23/tcp deny unknown']);
    });

    it('reads --add-service and --remove-service in scripts, with the zone deciding who reaches them', async () => {
      const scanned = await scanShell(
        [
          '#!/bin/sh',
          'firewall-cmd --permanent --zone=public --add-service=ssh',
          'firewall-cmd --permanent --zone=internal --add-service=postgresql',
          'firewall-cmd --permanent --add-service ldap',
          'firewall-cmd --permanent --remove-service=telnet',
          '',
        ].join('\n'),
      );
      assert.deepEqual(portsAt(scanned, 'ssh'), ['22/tcp allow any']);
      assert.deepEqual(portsAt(scanned, 'postgresql'), ['5432/tcp allow unknown']);
      assert.deepEqual(portsAt(scanned, 'ldap'), ['389/tcp allow any']);
      assert.deepEqual(portsAt(scanned, 'telnet'), ['23/tcp other unknown']);
      assert.ok(findingsOf(scanned).includes('exposed-sensitive-port warning ssh 22'));
    });

    it('opens nothing for a name that is no service, and says so in the hover', async () => {
      const text = zone(
        '  <service name="payroll-sync"/>\n  <service name="gre"/>\n  <service name="../../etc/passwd"/>',
      );
      const scanned = await scanAs('firewalld', text);
      assert.deepEqual(scanned.scan.mentions, []);
      const service = await testService();
      const unknown = service.hover(scanned.scan, text, text.indexOf('payroll-sync') + 2);
      assert.match(
        unknown?.markdown ?? '',
        /firewalld service `payroll-sync`\*\*\n\nIts ports are unknown: it is not a stock service of firewalld 1\.3\.3/,
      );
      const protocolOnly = service.hover(scanned.scan, text, text.indexOf('gre') + 1);
      assert.match(protocolOnly?.markdown ?? '', /opens no TCP, UDP, SCTP or DCCP port/);
    });

    it('restricts a zone service to trusted networks with one rich rule per network, in its place', async () => {
      const text = zone('  <service name="samba"/>\n  <port protocol="tcp" port="8080"/>');
      const scanned = await scanAs('firewalld', text);
      const edits = firewalldFormat.fixes!.restrictSource!(
        text,
        scanned.at('samba'),
        ['10.0.0.0/8', 'fd00::/8'],
        new TextAnalyses(text),
      );
      assert.deepEqual(edits, [
        {
          span: { start: text.indexOf('<service'), end: text.indexOf('\n  <port') },
          newText:
            '<rule family="ipv4"><source address="10.0.0.0/8"/><service name="samba"/><accept/></rule>\n  <rule family="ipv6"><source address="fd00::/8"/><service name="samba"/><accept/></rule>',
        },
      ]);
    });

    it('shows every port of a service in the hover at its name', async () => {
      const text = zone('  <service name="dns"/>');
      const scanned = await scanAs('firewalld', text);
      const service = await testService();
      const hover = service.hover(scanned.scan, text, text.indexOf('dns') + 1);
      const cards = hover?.markdown.split('\n\n---\n\n') ?? [];
      assert.equal(cards.length, 2);
      assert.match(cards[0], /^\*\*53\/tcp\*\*/);
      assert.match(cards[1], /^\*\*53\/udp\*\*/);
      assert.match(cards[0], /dns → 53\/tcp \(firewalld service dns; firewalld 1\.3\.3 stock service\)/);
      assert.deepEqual(hover?.span, scanned.at('dns').span);
    });
  });

  describe('services the workspace or the script defines', () => {
    let root: string;
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'portlens-firewalld-'));
      mkdirSync(join(root, 'zones'));
      mkdirSync(join(root, 'services'));
      const service = (name: string, body: string) =>
        writeFileSync(join(root, 'services', `${name}.xml`), `<?xml version="1.0"?>\n<service>\n${body}\n</service>\n`);
      service('ssh', '  <port protocol="tcp" port="2222"/>');
      service(
        'cd-api',
        '  <short>Connect:Direct API</short>\n  <port protocol="tcp" port="1363"/>\n  <include service="cd-server"/>',
      );
      service('cd-server', '  <port protocol="tcp" port="1364"/>\n  <include service="cd-api"/>');
      service('loop', '  <include service="loop"/>');
      writeFileSync(join(root, 'elsewhere.xml'), '<service><port protocol="tcp" port="447"/></service>');
      symlinkSync(join(root, 'elsewhere.xml'), join(root, 'services', 'linked.xml'));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    const scanZone = (body: string) => scanAs('firewalld', zone(body), { path: join(root, 'zones', 'public.xml') });

    it('takes services/NAME.xml beside the zones folder over the stock definition', async () => {
      const scanned = await scanZone('  <service name="ssh"/>');
      assert.deepEqual(portsAt(scanned, 'ssh'), ['2222/tcp allow any']);
      assert.match(scanned.at('ssh').reference ?? '', /\(firewalld service ssh; services\/ssh\.xml\)/);
    });

    it('follows includes between workspace services, and ends an include cycle', async () => {
      const scanned = await scanZone('  <service name="cd-api"/>\n  <service name="loop"/>');
      assert.deepEqual(portsAt(scanned, 'cd-api'), ['1363/tcp allow any', '1364/tcp allow any']);
      assert.deepEqual(findingsOf(scanned), [
        'exposed-critical-port error cd-api 1363',
        'exposed-sensitive-port warning cd-api 1364',
      ]);
      assert.equal(scanned.find('loop'), undefined);
    });

    it('does not follow a symbolic link, and reads nothing beside a file outside a zones folder', async () => {
      const linked = await scanZone('  <service name="linked"/>');
      assert.deepEqual(linked.scan.mentions, []);
      const elsewhere = await scanAs('firewalld', zone('  <service name="ssh"/>'), { path: join(root, 'public.xml') });
      assert.deepEqual(portsAt(elsewhere, 'ssh'), ['22/tcp allow any']);
    });

    it('reads a service that the script makes with --new-service and --service --add-port', async () => {
      const scanned = await scanShell(
        [
          '#!/bin/sh',
          'firewall-cmd --permanent --new-service=cdapi',
          'firewall-cmd --permanent --service=cdapi --add-port=1363/tcp',
          'firewall-cmd --permanent --zone=public --add-service=cdapi',
          '',
        ].join('\n'),
      );
      assert.deepEqual(portsAt(scanned, '1363'), ['1363/tcp define unknown']);
      assert.deepEqual(portsAt(scanned, 'cdapi', 2), ['1363/tcp allow any']);
      assert.match(
        scanned.at('cdapi', 2).reference ?? '',
        /defined by this script \(firewall-cmd --new-service=cdapi\)/,
      );
      assert.deepEqual(findingsOf(scanned), ['exposed-critical-port error cdapi 1363']);
    });
  });
});
