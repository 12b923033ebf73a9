import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples', 'firewalls');

interface Case {
  file: string;
  languageId: string;
  /** A line of the file and the port text on it to hover. */
  line: string;
  token: string;
  card: RegExp[];
  /** The diagnostics the file must carry, as `rule@line` (1-based), in order. */
  diagnostics: string[];
}

const CASES: Case[] = [
  {
    file: 'rules.v4',
    languageId: 'iptables',
    line: '-A INPUT -p tcp -m tcp --dport 1363 -j ACCEPT',
    token: '1363',
    card: [
      /\*\*1363\/tcp\*\* · Connect:Direct API/,
      /allowed inbound from any source \(iptables, chain INPUT, policy DROP\)/,
    ],
    diagnostics: [
      'exposed-critical-port@12',
      'exposed-critical-port@14',
      'exposed-sensitive-port@16',
      'exposed-sensitive-port@17',
    ],
  },
  {
    file: 'nftables.conf',
    languageId: 'nftables',
    line: '        tcp dport { 6379, 11211 } accept',
    token: '11211',
    card: [/\*\*11211\/tcp\*\* · Memcached/, /allowed inbound from any source \(nftables, chain input, policy drop\)/],
    diagnostics: ['exposed-critical-port@23', 'exposed-critical-port@23', 'exposed-sensitive-port@35'],
  },
  {
    file: 'ufw/user.rules',
    languageId: 'ufw',
    line: '-A ufw-user-input -p tcp --dport 446 -j ACCEPT',
    token: '446',
    card: [/\*\*446\/tcp\*\* · IBM i DDM\/DRDA/, /allowed inbound from any source/, /\*\*Safer:\*\* use 448 \(TLS\)/],
    diagnostics: [
      'exposed-sensitive-port@10',
      'exposed-sensitive-port@15',
      'cleartext-protocol@18',
      'exposed-critical-port@18',
    ],
  },
  {
    file: 'firewalld/zones/public.xml',
    languageId: 'firewalld',
    line: '  <port protocol="tcp" port="8471"/>',
    token: '8471',
    card: [/\*\*8471\/tcp\*\* · IBM i database server/, /allowed inbound on eth0 in zone public from any source/],
    diagnostics: [
      'exposed-sensitive-port@6',
      'exposed-sensitive-port@7',
      'cleartext-protocol@8',
      'exposed-critical-port@8',
      'exposed-critical-port@11',
    ],
  },
  {
    file: 'pf.conf',
    languageId: 'pf',
    line: 'pass in on $ext_if proto tcp to ($ext_if) port 5900',
    token: '5900',
    card: [/\*\*5900\/tcp\*\* · VNC/, /allowed inbound on em0 from any source/],
    diagnostics: ['exposed-critical-port@4', 'exposed-sensitive-port@12', 'exposed-critical-port@15'],
  },
];

describe('firewall formats over stdio', () => {
  let client: LspClient;
  before(async () => {
    ({ client } = await LspClient.start());
  });
  after(() => client.stop());

  for (const testCase of CASES) {
    it(`${testCase.languageId}: hovers ${testCase.token} and reports the risky rules of ${testCase.file}`, async () => {
      const text = readFileSync(join(EXAMPLES, testCase.file), 'utf8');
      const uri = `file://${join(EXAMPLES, testCase.file)}`;
      await client.open(uri, text, testCase.languageId);
      const lines = text.split('\n');
      const line = lines.indexOf(testCase.line);
      assert.ok(line >= 0, `no line ${testCase.line}`);
      const hover = await client.hover(uri, line, lines[line].indexOf(testCase.token) + 1);
      assert.ok(hover, 'no hover');
      for (const pattern of testCase.card) assert.match((hover.contents as MarkupContent).value, pattern);
      const diagnostics = (await client.diagnostics(uri)).filter((d) => d.severity! <= 3);
      assert.deepEqual(
        diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`),
        testCase.diagnostics,
      );
    });
  }

  it('nftables: warns once that an input chain accepting the rest opens every port, until a drop closes it', async () => {
    const text = [
      'table inet filter {',
      '  chain input {',
      '    type filter hook input priority 0; policy accept;',
      '    ct state established,related accept',
      '    tcp dport 22 accept',
      '  }',
      '}',
      '',
    ].join('\n');
    const uri = 'file:///etc/nftables.d/open.nft';
    await client.open(uri, text, 'nftables');
    const allPorts = () =>
      client
        .diagnostics(uri)
        .then((items) =>
          items
            .filter((d) => d.code === 'all-ports-exposed')
            .map(
              (d) =>
                `${typeof d.message === 'string' ? d.message : d.message.value}@${d.range.start.line + 1}:${d.range.start.character + 1}`,
            ),
        );
    assert.deepEqual(await allPorts(), [
      'Every port is open: chain input has policy accept, and no rule drops what its rules do not match@3:40',
    ]);
    await client.edit(uri, { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, '    counter drop\n');
    assert.deepEqual(await allPorts(), []);
  });

  it('iptables: keeps diagnostics right through edits sent as ranges, as VS Code types them', async () => {
    const text = readFileSync(join(EXAMPLES, 'rules.v4'), 'utf8');
    const uri = 'file:///etc/iptables/edited/rules.v4';
    await client.open(uri, text, 'iptables');
    const severities = ['', 'error', 'warning', 'information', 'hint'];
    const rows = () =>
      client
        .diagnostics(uri)
        .then((items) =>
          items
            .filter((d) => d.severity! <= 3)
            .map((d) => `${d.code} ${severities[d.severity!]}@${d.range.start.line + 1}`),
        );
    const lines = text.split('\n');
    const connectDirect = lines.indexOf('-A INPUT -p tcp -m tcp --dport 1363 -j ACCEPT');
    const unchanged = [
      'exposed-critical-port error@14',
      'exposed-sensitive-port information@16',
      'exposed-sensitive-port information@17',
    ];
    assert.deepEqual(await rows(), ['exposed-critical-port error@12', ...unchanged]);
    // Restrict the source of the Connect:Direct rule to a private network: its error becomes information.
    await client.edit(
      uri,
      { start: { line: connectDirect, character: 9 }, end: { line: connectDirect, character: 9 } },
      '-s 10.0.0.0/8 ',
    );
    assert.deepEqual(await rows(), ['exposed-critical-port information@12', ...unchanged]);
    // Insert a Docker API rule above it: an error on the new line, and every later diagnostic one line down.
    await client.edit(
      uri,
      { start: { line: connectDirect, character: 0 }, end: { line: connectDirect, character: 0 } },
      '-A INPUT -p tcp --dport 2375 -j ACCEPT\n',
    );
    assert.deepEqual(await rows(), [
      'cleartext-protocol information@12',
      'exposed-critical-port error@12',
      'exposed-critical-port information@13',
      'exposed-critical-port error@15',
      'exposed-sensitive-port information@17',
      'exposed-sensitive-port information@18',
    ]);
  });
});
