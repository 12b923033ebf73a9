import * as assert from 'node:assert/strict';
import type { Finding } from '../../server/src/rules/finding';
import { exposureSeverity } from '../../server/src/rules/severity';
import { type PortLensSettings, readSettings } from '../../server/src/settings/settings';
import { cleanScan, testService } from './helpers';
import { applyEdits } from './textEdits';

async function findingsIn(
  text: string,
  settings: Partial<Record<keyof PortLensSettings, unknown>> = {},
  languageId = 'shellscript',
): Promise<Finding[]> {
  const service = await testService();
  service.configure(readSettings(settings));
  try {
    return cleanScan(service, { text, languageId }).findings;
  } finally {
    service.configure(readSettings({}));
  }
}

/** The findings as `rule severity @written-text`, which reads like the Problems panel. */
function summary(text: string, findings: readonly Finding[]): string[] {
  return findings
    .filter((finding) => !finding.suppressed)
    .map((finding) => `${finding.ruleId} ${finding.severity} @${text.slice(finding.span.start, finding.span.end)}`);
}

describe('risk rules', () => {
  describe('severity policy table', () => {
    const table: [string, string, string, string | undefined][] = [
      ['critical', 'error', 'any', 'error'],
      ['critical', 'error', 'public', 'warning'],
      ['critical', 'error', 'private', 'information'],
      ['critical', 'error', 'loopback', undefined],
      ['critical', 'error', 'unknown', 'information'],
      ['sensitive', 'warning', 'any', 'warning'],
      ['sensitive', 'warning', 'public', 'information'],
      ['sensitive', 'warning', 'private', undefined],
      ['sensitive', 'warning', 'unknown', 'information'],
      ['standard', 'information', 'any', 'information'],
      ['standard', 'information', 'public', undefined],
      ['standard', 'information', 'unknown', undefined],
      ['critical', 'off', 'any', undefined],
      ['critical', 'warning', 'any', 'warning'],
      ['critical', 'warning', 'public', 'information'],
    ];
    for (const [risk, level, exposure, expected] of table) {
      it(`${risk} port, rule at ${level}, ${exposure} source: ${expected ?? 'nothing'}`, () => {
        assert.equal(exposureSeverity(level as never, exposure as never, risk as never), expected);
      });
    }
  });

  describe('exposure findings that a reviewer agrees with', () => {
    it('judges a forward by the service it reaches, on the forwarded port, in every firewall format', async () => {
      const cases: [string, string, string][] = [
        [
          'shellscript',
          'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8447 -j DNAT --to-destination 10.0.0.9:447\n',
          '8447',
        ],
        [
          'nftables',
          'table ip nat {\n  chain prerouting {\n    type nat hook prerouting priority -100;\n    tcp dport 8447 dnat to 10.0.0.9:447\n  }\n}\n',
          '8447',
        ],
        ['pf', 'rdr pass on em0 proto tcp from any to any port 8447 -> 10.0.0.9 port 447\n', '8447'],
        [
          'firewalld',
          '<zone>\n  <short>Public</short>\n  <forward-port port="8447" protocol="tcp" to-port="447" to-addr="10.0.0.9"/>\n</zone>\n',
          '8447',
        ],
      ];
      for (const [languageId, text, at] of cases) {
        const found = summary(text, await findingsIn(text, {}, languageId)).filter((line) =>
          line.startsWith('exposed'),
        );
        assert.deepEqual(found, [`exposed-critical-port error @${at}`], languageId);
        const [finding] = (await findingsIn(text, {}, languageId)).filter(
          (item) => item.ruleId === 'exposed-critical-port',
        );
        assert.equal(
          finding.message,
          'IBM i DDM port 447 on 10.0.0.9 is reachable from any source through this forward',
          languageId,
        );
      }
    });

    it("takes a forward's source, and a REDIRECT to this host, as other rules do", async () => {
      const text = [
        '#!/bin/sh',
        'iptables -t nat -A PREROUTING -s 10.0.0.0/8 -p tcp --dport 6380 -j DNAT --to-destination 10.0.0.7:6379',
        'iptables -t nat -A PREROUTING -p tcp --dport 2323 -j REDIRECT --to-ports 23',
        '',
      ].join('\n');
      const findings = await findingsIn(text);
      assert.deepEqual(
        findings
          .filter((finding) => finding.ruleId.startsWith('exposed'))
          .map((finding) => `${finding.severity} ${finding.message}`),
        [
          'information Redis port 6379 on 10.0.0.7 is reachable from a private network (10.0.0.0/8) through this forward',
          'error Telnet port 23 is reachable from any source through this forward',
        ],
      );
    });

    it('judges a source by its whole prefix: 10.0.0.0/1 is half the internet, 172.16.0.0/8 a public network', async () => {
      const text = [
        '#!/bin/sh',
        'iptables -A INPUT -p tcp -s 10.0.0.0/1 --dport 6379 -j ACCEPT',
        'iptables -A INPUT -p tcp -s 172.16.0.0/8 --dport 2375 -j ACCEPT',
        'iptables -A INPUT -p tcp -s 172.16.0.0/12 --dport 11211 -j ACCEPT',
        'ufw allow from 10.0.0.0/7 to any port 27017 proto tcp',
        '',
      ].join('\n');
      assert.deepEqual(summary(text, await findingsIn(text)), [
        'exposed-critical-port error @6379',
        'cleartext-protocol information @2375',
        'exposed-critical-port warning @2375',
        'exposed-critical-port information @11211',
        'exposed-critical-port warning @27017',
      ]);
    });

    it('reports the Connect:Direct API open to any source as an error, on the port token', async () => {
      const text = 'iptables -A INPUT -p tcp --dport 1363 -j ACCEPT';
      const findings = await findingsIn(text);
      assert.deepEqual(summary(text, findings), ['exposed-critical-port error @1363']);
      assert.equal(findings[0].message, 'Connect:Direct API port 1363 is open to any source');
    });

    it('grades by source: public warning, private information, loopback nothing', async () => {
      const text = [
        'iptables -A INPUT -s 203.0.113.7 -p tcp --dport 447 -j ACCEPT',
        'iptables -A INPUT -s 10.1.0.0/16 -p tcp --dport 6379 -j ACCEPT',
        'iptables -A INPUT -i lo -p tcp --dport 2375 -j ACCEPT',
        'docker run -p 127.0.0.1:9200:9200 elasticsearch:8.15.0',
      ].join('\n');
      const findings = (await findingsIn(text)).filter((finding) => finding.ruleId === 'exposed-critical-port');
      assert.deepEqual(summary(text, findings), [
        'exposed-critical-port warning @447',
        'exposed-critical-port information @6379',
      ]);
    });

    it('never reports deny rules, definitions, outbound use or loopback listeners', async () => {
      const text = [
        'CD_API_PORT=1363',
        'iptables -A INPUT -p tcp --dport 1363 -j DROP',
        'ufw deny 23/tcp',
        'ssh -p 22 admin@bastion',
        'redis-cli -h cache -p 6379 ping',
        'curl http://docker-host:2375/info',
        'python3 -m http.server 8470 --bind 127.0.0.1',
        'kubectl port-forward svc/etcd 2379:2379',
        'iptables -A OUTPUT -p tcp --dport 3389 -j ACCEPT',
        'firewall-cmd --permanent --new-service=cd --service=cd --add-port=1364/tcp',
      ].join('\n');
      assert.deepEqual(
        summary(
          text,
          (await findingsIn(text)).filter((finding) => finding.ruleId.startsWith('exposed')),
        ),
        [],
      );
    });

    it('reports an internal zone without a source as information only, for critical and sensitive ports', async () => {
      const text = 'firewall-cmd --zone=internal --add-port=1363/tcp\nfirewall-cmd --zone=internal --add-port=8080/tcp';
      assert.deepEqual(summary(text, await findingsIn(text)), ['exposed-critical-port information @1363']);
    });

    it('judges a range by its riskiest port and a publish by the service behind it', async () => {
      const text = 'ufw allow 8470:8476/tcp\ndocker run -d -p 8080:6379 redis:7';
      const findings = (await findingsIn(text)).filter((finding) => finding.ruleId === 'exposed-critical-port');
      assert.deepEqual(summary(text, findings), [
        'exposed-critical-port error @8470:8476',
        'exposed-critical-port error @8080',
      ]);
      assert.match(findings[1].message, /Port 8080 \(Redis 6379 behind it\) is published on every host interface/);
    });

    it('reports sensitive ports open to any source as warnings', async () => {
      const text = 'ufw allow 1364/tcp\nufw allow ssh';
      assert.deepEqual(summary(text, await findingsIn(text)), [
        'exposed-sensitive-port warning @1364',
        'exposed-sensitive-port warning @ssh',
      ]);
    });

    it("follows the user's rule levels, including off", async () => {
      const text = 'ufw allow 1364/tcp\nufw allow 8080/tcp';
      assert.deepEqual(
        summary(
          text,
          await findingsIn(text, { rules: { 'exposed-sensitive-port': 'error', 'exposed-port': 'information' } }),
        ),
        ['exposed-sensitive-port error @1364', 'exposed-port information @8080'],
      );
      assert.deepEqual(summary(text, await findingsIn(text, { rules: { 'exposed-sensitive-port': 'off' } })), []);
    });

    it('points at the variable definition a port came from', async () => {
      const text = 'CD_PORT=1363\niptables -A INPUT -p tcp --dport $CD_PORT -j ACCEPT';
      const [finding] = await findingsIn(text);
      assert.equal(text.slice(finding.related[0].span.start, finding.related[0].span.end), '1363');
      assert.match(finding.related[0].message, /\$CD_PORT is set here/);
    });
  });

  describe('other rules', () => {
    it('notes clear-text protocols with a TLS partner, with a fix to switch ports', async () => {
      const text = 'iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport 447 -j ACCEPT\ntelnet as400 23';
      const findings = (await findingsIn(text)).filter((finding) => finding.ruleId === 'cleartext-protocol');
      assert.deepEqual(summary(text, findings), [
        'cleartext-protocol information @447',
        'cleartext-protocol information @23',
      ]);
      const [fix] = findings[0].fixes;
      assert.equal(fix.title, 'Switch to port 448 (IBM i DDM/DRDA over TLS)');
      assert.equal(fix.preferred, true);
      assert.equal(
        applyEdits(text, fix.edits).split('\n')[0],
        'iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport 448 -j ACCEPT',
      );
    });

    it('warns when Docker publishes a port that ufw denies in the same script', async () => {
      const text = 'ufw deny 6379/tcp\ndocker run -d -p 6379:6379 redis:7';
      const findings = (await findingsIn(text)).filter((finding) => finding.ruleId === 'docker-publish-bypasses-ufw');
      assert.deepEqual(summary(text, findings), ['docker-publish-bypasses-ufw warning @6379']);
      assert.equal(text.slice(findings[0].related[0].span.start, findings[0].related[0].span.end), '6379');
    });
  });

  describe('quick fixes in shell scripts', () => {
    async function fixed(text: string, ruleId = 'exposed-critical-port'): Promise<{ after: string; title: string }> {
      const finding = (await findingsIn(text)).find((candidate) => candidate.ruleId === ruleId);
      assert.ok(finding, `no ${ruleId} finding`);
      const fix = finding.fixes.find((candidate) => candidate.preferred);
      assert.ok(fix, 'no preferred fix');
      return { after: applyEdits(text, fix.edits), title: fix.title };
    }

    it('restricts an iptables rule to the trusted networks', async () => {
      const { after, title } = await fixed('iptables -I INPUT 3 -p tcp --dport 1363 -j ACCEPT');
      assert.equal(
        after,
        'iptables -I INPUT 3 -s 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 -p tcp --dport 1363 -j ACCEPT',
      );
      assert.match(title, /^Restrict the source to trusted networks/);
      assert.deepEqual(
        await findingsIn(after),
        (await findingsIn(after)).filter((finding) => finding.severity === 'information'),
      );
    });

    it('rewrites a short ufw rule as one rule per trusted network', async () => {
      const { after } = await fixed('  ufw allow 447/tcp');
      assert.equal(
        after,
        [
          '  ufw allow from 10.0.0.0/8 to any port 447 proto tcp',
          '  ufw allow from 172.16.0.0/12 to any port 447 proto tcp',
          '  ufw allow from 192.168.0.0/16 to any port 447 proto tcp',
        ].join('\n'),
      );
    });

    it('replaces a firewall-cmd port with rich rules from the trusted networks', async () => {
      const { after } = await fixed('firewall-cmd --permanent --zone=public --add-port=8471/tcp');
      assert.match(
        after,
        /^firewall-cmd --permanent --zone=public --add-rich-rule='rule family="ipv4" source address="10\.0\.0\.0\/8" port port="8471" protocol="tcp" accept' --add-rich-rule=/,
      );
    });

    it('binds Docker publishes, http.server, socat and kubectl to loopback', async () => {
      assert.equal(
        (await fixed('docker run -d -p 6379:6379 redis:7')).after,
        'docker run -d -p 127.0.0.1:6379:6379 redis:7',
      );
      assert.equal(
        (await fixed('docker run -d --publish=2375:2375 dind')).after,
        'docker run -d --publish=127.0.0.1:2375:2375 dind',
      );
      assert.equal((await fixed('python3 -m http.server 8470')).after, 'python3 -m http.server 8470 --bind 127.0.0.1');
      assert.equal(
        (await fixed('python3 -m http.server 8470 -b 0.0.0.0')).after,
        'python3 -m http.server 8470 -b 127.0.0.1',
      );
      assert.equal(
        (await fixed('socat TCP-LISTEN:2375,fork UNIX-CONNECT:/var/run/docker.sock')).after,
        'socat TCP-LISTEN:2375,bind=127.0.0.1,fork UNIX-CONNECT:/var/run/docker.sock',
      );
      assert.equal(
        (await fixed('kubectl port-forward svc/etcd 2379:2379 --address 0.0.0.0')).after,
        'kubectl port-forward svc/etcd 2379:2379 --address 127.0.0.1',
      );
    });
  });

  describe('suppression comments', () => {
    it('silences the next line for the named rule, with the reason kept as the justification', async () => {
      const text =
        '# portlens-ignore-next-line exposed-critical-port -- partner VPN only\niptables -A INPUT -p tcp --dport 1363 -j ACCEPT';
      const findings = await findingsIn(text);
      assert.deepEqual(summary(text, findings), []);
      assert.equal(findings[0].suppressed?.justification, 'partner VPN only');
    });

    it('silences a whole file, stacks above one rule, and ignores other rules', async () => {
      const text = [
        '#!/bin/sh',
        '# portlens-ignore-file cleartext-protocol -- IPsec everywhere',
        '# portlens-ignore-next-line exposed-critical-port -- DR link',
        '# another comment',
        'ufw allow 447/tcp',
        'ufw allow 446/tcp',
      ].join('\n');
      assert.deepEqual(summary(text, await findingsIn(text)), ['exposed-critical-port error @446']);
    });

    it('hints at suppressions without a reason and at suppressions that silence nothing', async () => {
      const text =
        '# portlens-ignore-next-line exposed-critical-port\nufw allow 447/tcp\n# portlens-ignore-next-line exposed-sensitive-port -- old rule\nufw allow 8080/tcp\n# portlens-ignore-next-line no-such-rule -- typo\nssh -p 22 h';
      const hints = (await findingsIn(text))
        .filter((finding) => finding.severity === 'hint')
        .map((finding) => finding.ruleId);
      assert.deepEqual(hints, ['suppression-without-reason', 'unused-suppression', 'unused-suppression']);
    });

    it('can be ignored for CI with ignoreInlineSuppressions', async () => {
      const text =
        '# portlens-ignore-next-line exposed-critical-port -- partner VPN only\niptables -A INPUT -p tcp --dport 1363 -j ACCEPT';
      assert.deepEqual(summary(text, await findingsIn(text, { ignoreInlineSuppressions: true })), [
        'exposed-critical-port error @1363',
      ]);
    });
  });
});
