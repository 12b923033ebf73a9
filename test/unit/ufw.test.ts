import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeUse } from '../../server/src/features/describe';
import type { TextEdit } from '../../server/src/scan/format';
import type { PortMention } from '../../server/src/scan/mention';
import { ufwRulesFormat } from '../../server/src/scan/ufw/format';
import { fuzzFormat } from './fuzz';
import { type ScannedText, scanAs, scanShell, cleanScan, testService, assertEvery } from './helpers';
import { applyEdits } from './textEdits';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ufw');
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'ufw');

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const corpusFile = (name: string) => readFileSync(join(CORPUS, name), 'utf8');
const scanRules = (text: string) => scanAs('ufw', text);
const scanProfiles = (text: string) => scanAs('ufw-profile', text);

/** Every mention on a 1-based line, as `written role exposure`. */
function onLine(scanned: ScannedText, line: number): string[] {
  return scanned.scan.mentions
    .filter((mention) => scanned.lineOf(mention) === line)
    .map(
      (mention) => `${scanned.text.slice(mention.span.start, mention.span.end)} ${mention.role} ${mention.exposure}`,
    );
}

/** The one mention on a 1-based line. */
function on(scanned: ScannedText, line: number): PortMention {
  const mentions = scanned.scan.mentions.filter((mention) => scanned.lineOf(mention) === line);
  assert.equal(mentions.length, 1, `line ${line}: ${JSON.stringify(onLine(scanned, line))}`);
  return mentions[0];
}

function restrictSource(scanned: ScannedText, mention: PortMention, networks: string[]): TextEdit[] | undefined {
  return ufwRulesFormat.fixes!.restrictSource!(scanned.text, mention, networks, new TextAnalyses(scanned.text));
}

describe('ufw files', () => {
  describe('detection', () => {
    it('recognises ufw rule files and application profiles by their paths', async () => {
      const service = await testService();
      const cases: [string, string][] = [
        ['/etc/ufw/user.rules', 'ufw'],
        ['/etc/ufw/user6.rules', 'ufw'],
        ['/etc/ufw/before.rules', 'ufw'],
        ['/etc/ufw/before6.rules', 'ufw'],
        ['/etc/ufw/after.rules', 'ufw'],
        ['/etc/ufw/after6.rules', 'ufw'],
        ['/lib/ufw/user.rules', 'ufw'],
        ['/etc/ufw/sysctl.rules', 'ufw'],
        ['/etc/ufw/applications.d/nginx', 'ufw-profile'],
        ['/etc/ufw/applications.d/openssh-server', 'ufw-profile'],
      ];
      for (const [path, language] of cases) assert.equal(service.detectLanguage(path, ''), language, path);
    });

    it('tells ufw rule files from other iptables-save files, and profiles from other INI files, by content', async () => {
      const service = await testService();
      assert.equal(service.detectLanguage('saved', '*filter\n:ufw6-user-input - [0:0]\nCOMMIT'), 'ufw');
      assert.equal(service.detectLanguage('saved', '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'), 'ufw');
      assert.equal(
        service.detectLanguage('saved', '*filter\n:INPUT DROP [0:0]\n-A INPUT -j ufw-before-input\nCOMMIT'),
        'iptables',
      );
      assert.equal(
        service.detectLanguage('myapp', '[My App]\ntitle=My app\ndescription=Serves things\nports=8080/tcp\n'),
        'ufw-profile',
      );
      assert.equal(service.detectLanguage('setup.cfg', '[metadata]\nname = demo\nversion = 1.0\n'), 'unknown');
      assert.equal(service.detectLanguage('app.ini', '[server]\nports=none\n'), 'unknown');
    });
  });

  describe('user.rules', () => {
    it('reports each rule once: the -A lines carry the ports, the tuple says what the rule does', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      assert.deepEqual(onLine(scanned, 11), [], 'the tuple port is not a second mention');
      assert.deepEqual(onLine(scanned, 12), ['1363 allow any']);
      const api = on(scanned, 12);
      assert.deepEqual(
        [api.language, api.context.tool, api.context.chain, api.context.direction],
        ['ufw', 'ufw', 'ufw-user-input', 'inbound'],
      );
      assert.deepEqual(
        api.related!.map((item) => scanned.text.slice(item.span.start, item.span.end)),
        ['### tuple ### allow tcp 1363 0.0.0.0/0 any 0.0.0.0/0 in'],
      );
      assert.equal(describeUse(api), 'allowed inbound from any source (ufw, chain ufw-user-input)');
    });

    it('reads a rule for any protocol as its tcp and its udp line', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      assert.deepEqual([...onLine(scanned, 15), ...onLine(scanned, 16)], ['53 allow any', '53 allow any']);
      assert.deepEqual([on(scanned, 15).protocol, on(scanned, 16).protocol], ['tcp', 'udp']);
    });

    it('reads a limit rule as allowed, with its other lines pointing back at the rule', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      assert.deepEqual(
        [19, 20, 21].flatMap((line) => onLine(scanned, line)),
        ['22 allow any', '22 other unknown', '22 other unknown'],
      );
      assert.equal(on(scanned, 19).context.note, 'rate-limited by ufw limit');
      assert.equal(on(scanned, 20).context.note, 'another line of the same ufw rule');
      assert.deepEqual(
        on(scanned, 21).related!.map((item) => item.message),
        ['the ufw rule these lines implement'],
      );
    });

    it('takes the source and the interface from the tuple', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      const postgres = on(scanned, 24);
      assert.deepEqual(
        [postgres.exposure, postgres.context.source, postgres.context.interface],
        ['private', '10.20.0.0/16', 'eth1'],
      );
      assert.equal(
        describeUse(postgres),
        'allowed inbound on eth1 from 10.20.0.0/16 (a private network) (ufw, chain ufw-user-input)',
      );
    });

    it('reads ranges, application rules, denials, outbound and routed rules', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      assert.deepEqual([on(scanned, 27).port, on(scanned, 27).endPort], [6000, 6007]);
      assert.equal(on(scanned, 30).context.note, 'ufw application OpenSSH');
      assert.deepEqual(onLine(scanned, 33), ['23 deny unknown']);
      assert.deepEqual(
        [...onLine(scanned, 36), ...onLine(scanned, 37)],
        ['161 deny unknown', '161 other unknown'],
        'reject_log',
      );
      const smtp = on(scanned, 40);
      assert.deepEqual([smtp.role, smtp.exposure, smtp.context.direction], ['allow', 'unknown', 'outbound']);
      const routed = on(scanned, 43);
      assert.deepEqual(
        [routed.role, routed.exposure, routed.context.interface, routed.context.note],
        ['allow', 'any', 'eth0', 'routed (forwarded) traffic'],
      );
    });

    it('reads the port of a tuple that has no iptables lines from the tuple itself', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      const vpn = on(scanned, 45);
      assert.deepEqual(
        [scanned.text.slice(vpn.span.start, vpn.span.end), vpn.protocol, vpn.role, vpn.exposure],
        ['1194', 'udp', 'allow', 'any'],
      );
    });

    it('reads the ufw6 chains of user6.rules', async () => {
      const scanned = await scanRules(fixture('user6.rules'));
      assert.deepEqual(scanned.tokens, ['443', '22']);
      assert.deepEqual(
        [on(scanned, 7).exposure, on(scanned, 10).exposure, on(scanned, 10).context.source],
        ['any', 'private', 'fd00::/8'],
      );
    });

    it('finds nothing in the rate-limiting and logging lines', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      assert.equal(scanned.scan.mentions.filter((mention) => scanned.lineOf(mention) > 46).length, 0);
    });

    it('reads limit targets as allowed outside tuples too, ufw-user-output as outbound and ufw-*-forward as routed', async () => {
      const scanned = await scanRules(
        '*filter\n-A ufw-user-input -p tcp --dport 2222 -j ufw-user-limit-accept\n-A ufw6-user-input -p tcp --dport 2223 -j ufw6-user-limit\n-A ufw-user-output -p tcp --dport 443 -j ACCEPT\n-A ufw-before-forward -p tcp --dport 8080 -j ACCEPT\nCOMMIT',
      );
      assert.deepEqual(
        scanned.scan.mentions.map((mention) => `${mention.port} ${mention.role} ${mention.exposure}`),
        ['2222 allow any', '2223 allow any', '443 allow unknown', '8080 allow any'],
      );
      assert.deepEqual(
        [scanned.at('443').context.direction, scanned.at('8080').context.direction],
        ['outbound', 'inbound'],
      );
      assert.equal(scanned.at('8080').context.note, 'routed (forwarded) traffic');
    });

    it('reads half-typed tuples and hand-split commands without losing ports', async () => {
      const scanned = await scanRules(
        [
          '*filter',
          '### tuple ### allow tcp',
          '-A ufw-user-input -p tcp --dport 8081 -j ACCEPT',
          '### tuple ### allow tcp 8082 0.0.0.0/0 any 0.0.0.0/0 sideways',
          '- A ufw-user-input -p tcp --dport 8082 -j ACCEPT',
          'COMMIT',
        ].join('\n'),
      );
      assert.deepEqual(
        scanned.scan.mentions.map((mention) => `${mention.port} ${mention.role} ${mention.exposure}`),
        ['8081 allow any', '8082 allow any'],
      );
    });
  });

  describe('before.rules and after.rules', () => {
    it('reads ufw-before chains, user chains they jump to, NAT and commented rules', async () => {
      const scanned = await scanRules(fixture('before.rules'));
      assert.deepEqual(onLine(scanned, 6), ['80 forward any', '8080 forward any']);
      assert.deepEqual(onLine(scanned, 15), ['67 other unknown', '68 allow any']);
      assert.deepEqual(onLine(scanned, 18), ['9100 allow any'], 'ufw-not-local is reached from ufw-before-input');
      assert.deepEqual(onLine(scanned, 19), ['5353 allow any']);
      assert.deepEqual(onLine(scanned, 20), ['3389 other unknown']);
      assert.equal(on(scanned, 18).context.direction, 'inbound');
    });
  });

  describe('application profiles', () => {
    it('reads every group of ports= as definitions that open nothing', async () => {
      const scanned = await scanProfiles(fixture('applications.d/portlens-demo'));
      assert.deepEqual(scanned.tokens, ['1364', '1363', '10000:20000', '3478', '5349', '80', '8443']);
      assertEvery(scanned.scan.mentions, (mention) => mention.role === 'define' && mention.exposure === 'unknown');
      assert.deepEqual(
        scanned.scan.mentions.map((mention) => mention.protocol),
        ['tcp', 'tcp', 'udp', 'any', 'tcp', 'tcp', 'any'],
      );
      const relay = scanned.at('10000:20000');
      assert.deepEqual([relay.port, relay.endPort], [10000, 20000]);
      assert.equal(relay.context.note, 'ports of the ufw application profile Media Relay');
      assert.deepEqual(
        relay.related!.map((item) => scanned.text.slice(item.span.start, item.span.end)),
        ['[Media Relay]'],
      );
      assert.equal(
        describeUse(relay),
        'ports of the ufw application profile Media Relay (opens nothing by itself) (ufw)',
      );
    });

    it('finds no ports in titles, descriptions or invalid entries', async () => {
      const scanned = await scanProfiles(fixture('applications.d/portlens-demo'));
      for (const line of [3, 4, 8, 9, 13]) assert.deepEqual(onLine(scanned, line), [], `line ${line}`);
      assert.deepEqual(
        onLine(scanned, 14),
        ['80 define unknown', '8443 define unknown'],
        '`abc`, 70000, a reversed range and an empty group are no ports',
      );
    });

    it('reads profiles with Windows line endings the same way', async () => {
      const text = fixture('applications.d/portlens-demo');
      const crlf = await scanProfiles(text.replace(/\n/g, '\r\n'));
      assert.deepEqual(crlf.tokens, (await scanProfiles(text)).tokens);
    });

    it('offers the profiles as the outline', async () => {
      const service = await testService();
      const text = fixture('applications.d/portlens-demo');
      const symbols = service.symbols(cleanScan(service, { text, languageId: 'ufw-profile' }), text);
      assert.deepEqual(
        symbols.map((symbol) => `${symbol.name}: ${symbol.detail}`),
        [
          'Connect Direct: IBM Connect:Direct (server 1364, API 1363)',
          'Media Relay: Media relay',
          'Broken: Half-typed profile',
        ],
      );
      assert.equal(text.slice(symbols[1].selection.start, symbols[1].selection.end), 'Media Relay');
      assert.ok(text.slice(symbols[1].span.start, symbols[1].span.end).endsWith('ports=10000:20000/udp|3478|5349/tcp'));
    });

    it('reads a profile a script writes with a heredoc', async () => {
      const script = await scanShell(
        "cat > /etc/ufw/applications.d/cd <<'EOF'\n[CD]\ntitle=Connect:Direct\nports=1364/tcp\nEOF\nufw allow CD\n",
      );
      const server = script.at('1364');
      assert.deepEqual([server.language, server.role], ['ufw-profile', 'define']);
    });
  });

  describe('default policies in scripts', () => {
    it("reports ufw default allow incoming once, where the script's last incoming default is set", async () => {
      const allPorts = async (script: string) => {
        const scanned = await scanShell(script);
        return scanned.scan.findings
          .filter((finding) => finding.ruleId === 'all-ports-exposed')
          .map(
            (finding) =>
              `${scanned.text.slice(0, finding.span.start).split('\n').length} ${scanned.text.slice(finding.span.start, finding.span.end)}: ${finding.message}`,
          );
      };
      const opened = ["2 allow: Every port is open: ufw's default policy for incoming traffic is allow"];
      assert.deepEqual(await allPorts('ufw --force reset\nufw default allow\nufw allow 22/tcp\n'), opened);
      assert.deepEqual(
        await allPorts('ufw default deny outgoing\nsudo ufw default allow incoming\nufw default deny routed\n'),
        opened,
      );
      assert.deepEqual(
        await allPorts('ufw default allow incoming\nufw default deny incoming\nufw allow 22/tcp\n'),
        [],
        'the last default wins',
      );
      assert.deepEqual(await allPorts('ufw default deny incoming\nufw default allow outgoing\n'), []);
    });
  });

  describe('corpus', () => {
    const names = readdirSync(CORPUS);
    const expected = (name: string) => (/\.rules$/.test(name) ? 'ufw' : 'ufw-profile');

    it('recognises every corpus file as ufw rules or an application profile', async () => {
      const service = await testService();
      assert.ok(names.length >= 21);
      for (const name of names)
        assert.equal(service.detectLanguage(join('corpus', name), corpusFile(name)), expected(name), name);
    });

    it('finds the ports of every corpus file that has any', async () => {
      for (const name of names) {
        const scanned = await scanAs(expected(name), corpusFile(name));
        assert.equal(scanned.scan.mentions.length > 0, name !== 'ufw-upstream--user.rules', name);
      }
    });

    it('reads real user.rules and user6.rules once per rule', async () => {
      for (const name of ['jajusu--PalvelintenHallinta--user.rules', 'jajusu--PalvelintenHallinta--user6.rules']) {
        const scanned = await scanRules(corpusFile(name));
        assert.deepEqual(scanned.ports, [4505, 4506, 22, 2222, 80, 81], name);
        assertEvery(scanned.scan.mentions, (mention) => mention.role === 'allow' && mention.exposure === 'any', name);
        assert.deepEqual(onLine(scanned, 21), ['4505 allow any']);
        assert.deepEqual(onLine(scanned, 20), [], 'the tuple');
      }
      const pristine = await scanRules(corpusFile('ufw-upstream--user.rules'));
      assert.deepEqual(pristine.tokens, [], 'limits of the rate-limiting chain are no ports');
    });

    it('reads a hand-edited user.rules with split commands', async () => {
      const scanned = await scanRules(corpusFile('JoakimSaras--salty--user.rules'));
      assert.deepEqual(scanned.ports, [22, 80, 2266, 4506, 4505]);
      assert.equal(on(scanned, 8).context.chain, 'ufw-user-input');
    });

    it('reads upstream before.rules and after.rules', async () => {
      const before = await scanRules(corpusFile('ufw-upstream--before.rules'));
      assert.deepEqual(onLine(before, 33), ['67 other unknown', '68 allow any']);
      assert.deepEqual(before.tokens, ['67', '68', '5353', '1900'], 'ICMP types and limits are no ports');
      const after = await scanRules(corpusFile('ufw-upstream--after.rules'));
      assert.deepEqual(after.ports, [137, 138, 139, 445, 67, 68]);
      assertEvery(
        after.scan.mentions,
        (mention) => mention.role === 'other' && mention.context.note === 'handed to chain ufw-skip-to-policy-input',
      );
    });

    it('reads the application profiles of ufw and syncthing', async () => {
      const chat = await scanProfiles(corpusFile('ufw-upstream--ufw-chat'));
      assert.deepEqual(onLine(chat, 14), ['1863 define unknown', '6891:6900 define unknown', '6901 define unknown']);
      assert.deepEqual(
        chat.scan.mentions.filter((mention) => chat.lineOf(mention) === 14).map((mention) => mention.protocol),
        ['any', 'tcp', 'any'],
      );
      const web = await scanProfiles(corpusFile('ufw-upstream--ufw-webserver'));
      assert.deepEqual(web.ports, [80, 443, 80, 443, 8080]);
      assert.equal(web.lineOf(web.scan.mentions[4]), 19, 'the 8080 in the title is no port');
      const directory = await scanProfiles(corpusFile('ufw-upstream--ufw-directoryserver'));
      assert.deepEqual(
        directory.scan.mentions.slice(-2).map((mention) => `${mention.port} ${mention.context.note}`),
        ['389 ports of the ufw application profile LDAP', '636 ports of the ufw application profile LDAP'],
      );
      const syncthing = await scanProfiles(corpusFile('syncthing--firewall-ufw--syncthing'));
      assert.deepEqual(
        syncthing.scan.mentions.map((mention) => `${mention.port}/${mention.protocol}`),
        ['22000/any', '21027/udp', '8384/tcp'],
      );
      const samba = await scanProfiles(corpusFile('ufw-upstream--examples-samba'));
      assert.deepEqual(
        samba.scan.mentions.map((mention) => `${mention.port}/${mention.protocol}`),
        ['137/udp', '138/udp', '139/tcp', '445/tcp'],
      );
    });
  });

  describe('restrict the source', () => {
    it('changes the tuple and every line of the rule, and the port becomes private', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      const fixed = applyEdits(scanned.text, restrictSource(scanned, on(scanned, 15), ['10.0.0.0/8'])!);
      const expected = scanned.text
        .replace(
          '### tuple ### allow any 53 0.0.0.0/0 any 0.0.0.0/0 in',
          '### tuple ### allow any 53 0.0.0.0/0 any 10.0.0.0/8 in',
        )
        .replace('-A ufw-user-input -p tcp --dport 53', '-A ufw-user-input -s 10.0.0.0/8 -p tcp --dport 53')
        .replace('-A ufw-user-input -p udp --dport 53', '-A ufw-user-input -s 10.0.0.0/8 -p udp --dport 53');
      assert.equal(fixed, expected);
      const rescanned = await scanRules(fixed);
      assert.deepEqual([...onLine(rescanned, 15), ...onLine(rescanned, 16)], ['53 allow private', '53 allow private']);
    });

    it('changes all three lines of a limit rule', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      const edits = restrictSource(scanned, on(scanned, 19), ['192.168.0.0/16'])!;
      assert.equal(edits.length, 4);
      const rescanned = await scanRules(applyEdits(scanned.text, edits));
      assert.deepEqual(onLine(rescanned, 19), ['22 allow private']);
    });

    it('needs exactly one network of the file’s family, since a ufw rule has one source', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      assert.equal(restrictSource(scanned, on(scanned, 12), ['10.0.0.0/8', '192.168.0.0/16']), undefined);
      assert.equal(restrictSource(scanned, on(scanned, 12), ['fd00::/8']), undefined);
      const v6 = await scanRules(fixture('user6.rules'));
      const fixed = applyEdits(v6.text, restrictSource(v6, on(v6, 7), ['10.0.0.0/8', 'fd00::/8'])!);
      assert.ok(
        fixed.includes(
          '### tuple ### allow tcp 443 ::/0 any fd00::/8 in\n-A ufw6-user-input -s fd00::/8 -p tcp --dport 443 -j ACCEPT',
        ),
      );
      assert.equal(on(await scanRules(fixed), 7).exposure, 'private');
    });

    it('leaves restricted, outbound, denied and tuple-only rules alone', async () => {
      const scanned = await scanRules(fixture('user.rules'));
      for (const line of [24, 33, 40, 20, 45])
        assert.equal(restrictSource(scanned, on(scanned, line), ['10.0.0.0/8']), undefined, `line ${line}`);
    });

    it('inserts -s into a before.rules rule, which has no tuple', async () => {
      const scanned = await scanRules(fixture('before.rules'));
      const fixed = applyEdits(
        scanned.text,
        restrictSource(scanned, on(scanned, 19), ['10.0.0.0/8', '192.168.0.0/16'])!,
      );
      assert.equal(
        fixed,
        scanned.text.replace(
          '-A ufw-before-input -p udp -d 224.0.0.251',
          '-A ufw-before-input -s 10.0.0.0/8,192.168.0.0/16 -p udp -d 224.0.0.251',
        ),
      );
      assert.equal(on(await scanRules(fixed), 19).exposure, 'private');
    });
  });

  const corpusOf = (pattern: RegExp) =>
    readdirSync(CORPUS)
      .filter((name) => pattern.test(name))
      .map(corpusFile);
  fuzzFormat('ufw', [...corpusOf(/\.rules$/), fixture('user.rules'), fixture('before.rules')]);
  fuzzFormat('ufw-profile', [...corpusOf(/^(?!.*\.rules$)/), fixture('applications.d/portlens-demo')]);
});
