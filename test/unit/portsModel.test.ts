import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type GroupBy,
  type InventoryFile,
  type InventoryFinding,
  type InventoryMention,
  group,
  isExposure,
  markdownTable,
  rowsOf,
  summary,
  widestExposure,
} from '../../client/src/ports/portsModel';
import { WorkspaceInventory } from '../../server/src/workspace/workspacePorts';

const ROLES = ['allow', 'deny', 'listen', 'publish', 'forward', 'connect', 'define', 'other'];
const EXPOSURES = ['any', 'public', 'private', 'loopback', 'unknown'];

const mention = fc.record<InventoryMention>({
  line: fc.integer({ min: 1, max: 30 }),
  column: fc.integer({ min: 1, max: 40 }),
  port: fc.constantFrom(22, 447, 1363, 6379, 8471),
  endPort: fc.constantFrom(null, null, 8476),
  protocol: fc.constantFrom('tcp', 'udp'),
  service: fc.constantFrom(null, 'ssh', 'ndm-requester'),
  role: fc.constantFrom(...ROLES),
  exposure: fc.constantFrom(...EXPOSURES),
  description: fc.constant('allowed inbound from any source'),
});
const finding = fc.record<InventoryFinding>({
  ruleId: fc.constantFrom('exposed-critical-port', 'cleartext-protocol', 'scan-incomplete', 'all-ports-exposed'),
  severity: fc.constantFrom('error', 'warning', 'information', 'hint'),
  line: fc.integer({ min: 1, max: 30 }),
  column: fc.integer({ min: 1, max: 40 }),
  port: fc.constantFrom(null, 22, 447, 1363),
  message: fc.constant('a message | with a pipe'),
});
const files = fc
  .uniqueArray(fc.constantFrom('a.sh', 'b/rules.v4', 'c/pf.conf', 'd.nft'), { minLength: 1 })
  .chain((paths) =>
    fc.tuple(
      ...paths.map((path) =>
        fc.record<InventoryFile>({
          uri: fc.constant(`file:///w/${path}`),
          path: fc.constant(`/w/${path}`),
          language: fc.constant('shellscript'),
          mentions: fc.array(mention, { maxLength: 8 }),
          findings: fc.array(finding, { maxLength: 4 }),
        }),
      ),
    ),
  );

/** A row's identity, to compare sets of rows. */
const identity = (row: ReturnType<typeof rowsOf>[number]) =>
  JSON.stringify([row.file.uri, row.line, row.column, row.mention ?? null, row.findings]);

/** A mention on a line, with what the grouping reads. */
const at = (line: number, port: number, service: string, role: string, exposure: string): InventoryMention => ({
  line,
  column: 1,
  port,
  endPort: null,
  protocol: 'tcp',
  service,
  role,
  exposure,
  description: '',
});

describe('the Ports view model', () => {
  it('puts every row in exactly one group, whatever the grouping, and the filter keeps only exposures', () => {
    fc.assert(
      fc.property(files, fc.constantFrom<GroupBy>('port', 'file', 'severity'), fc.boolean(), (inventory, by, only) => {
        const expected = inventory.flatMap(rowsOf).filter((row) => !only || isExposure(row));
        const grouped = group(inventory, by, only).flatMap((found) => found.rows);
        assert.deepEqual(grouped.map(identity).sort(), expected.map(identity).sort());
        for (const row of grouped)
          if (only && row.mention) assert.ok(['allow', 'listen', 'publish', 'forward'].includes(row.mention.role));
      }),
    );
  });

  it('groups by port, lowest first, and names the widest exposure of the lines that open it', () => {
    const file: InventoryFile = {
      uri: 'file:///w/open.sh',
      path: '/w/open.sh',
      language: 'shellscript',
      mentions: [
        at(3, 1363, 'ndm-requester', 'allow', 'private'),
        at(1, 22, 'ssh', 'connect', 'unknown'),
        at(5, 1363, 'ndm-requester', 'allow', 'any'),
      ],
      findings: [
        { ruleId: 'exposed-critical-port', severity: 'error', line: 5, column: 1, port: 1363, message: 'open' },
        {
          ruleId: 'exposed-critical-port',
          severity: 'error',
          line: 3,
          column: 1,
          port: 1363,
          message: 'x',
          suppressed: 'partners only',
        },
      ],
    };
    const groups = group([file], 'port', false);
    assert.deepEqual(
      groups.map((found) => [found.label, found.severity, found.description]),
      [
        ['22', undefined, 'ssh · 1 line'],
        ['1363', 'error', 'ndm-requester · open to any · 2 lines'],
      ],
    );
    assert.equal(widestExposure(groups[0].rows), undefined, 'an outbound use opens nothing');
    assert.deepEqual(summary([file]), { exposures: 1, ports: 2 });
    assert.deepEqual(
      group([file], 'port', true).map((found) => found.label),
      ['1363'],
    );
  });

  it('copies rows as a Markdown table whose cells cannot break the table', () => {
    const rows = rowsOf({
      uri: 'file:///w/a.sh',
      path: '/w/a.sh',
      language: 'shellscript',
      mentions: [],
      findings: [{ ruleId: 'scan-incomplete', severity: 'error', line: 2, column: 1, port: null, message: 'a | b' }],
    });
    const table = markdownTable(rows, () => 'a.sh').split('\n');
    assert.equal(table.length, 3);
    assert.equal(table[2], '| a.sh | 2 |  |  |  | error: a \\| b (scan-incomplete) |');
  });
});

describe('the workspace inventory', () => {
  const report = (port: number | null) => ({
    path: '/w/x',
    language: 'iptables',
    mentions: port === null ? [] : [{ ...at(1, port, 'ssh', 'allow', 'any'), endLine: 1, endColumn: 5 }],
    findings: [],
  });

  it('keeps files with ports or that were not read, in path order, and counts its versions', () => {
    const inventory = new WorkspaceInventory();
    inventory.set('/w/b', report(22));
    inventory.set('/w/a', report(447));
    inventory.set('/w/c', report(null));
    inventory.set('/w/d', { ...report(null), skipped: 'larger than the 5 MB limit' });
    assert.deepEqual(
      inventory.page({}).files.map((file) => file.path),
      ['/w/x', '/w/x', '/w/x'],
    );
    assert.deepEqual(
      inventory.page({}).files.map((file) => file.uri),
      ['file:///w/a', 'file:///w/b', 'file:///w/d'],
    );
    const version = inventory.version;
    inventory.set('/w/a', report(null));
    assert.equal(inventory.version, version + 1);
    assert.deepEqual(inventory.page({ cursor: 0, limit: 1 }), {
      files: [inventory.page({}).files[0]],
      next: 1,
      total: 2,
      version: version + 1,
      complete: false,
    });
    assert.equal(inventory.page({ cursor: 1, limit: 1 }).next, null);
  });

  it("finds a listener's decisions as a plain reading of every file would, after any sequence of updates", () => {
    // Ports near and inside a wide range, and short ranges, so that the index's lists and its wide list both serve.
    const port = fc.constantFrom(22, 447, 1363, 1364, 8470, 8476, 10000, 20000);
    const decision = fc.record({
      line: fc.integer({ min: 1, max: 9 }),
      port,
      endPort: fc.constantFrom(null, null, 1370, 8476, 30000),
      protocol: fc.constantFrom('tcp', 'udp', 'any'),
      role: fc.constantFrom('allow', 'deny', 'listen', 'connect'),
    });
    const update = fc.record({
      path: fc.constantFrom('/w/a.sh', '/w/b/rules.v4', '/w/c/pf.conf', '/other/d.nft', '/w/e.nft'),
      mentions: fc.array(decision, { maxLength: 6 }),
    });
    const query = fc.record({
      port,
      protocol: fc.constantFrom('tcp', 'udp', 'any'),
      limit: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(update, { maxLength: 8 }),
        fc.array(query, { minLength: 1, maxLength: 4 }),
        (updates, queries) => {
          const inventory = new WorkspaceInventory();
          const reference = new Map<
            string,
            { path: string; line: number; port: number; endPort: number | null; protocol: string; role: string }[]
          >();
          for (const { path, mentions } of updates) {
            // Queries between updates too: an index built before a change must not answer after it.
            for (const query of queries)
              inventory.decisionsAbout(query.port, query.protocol, '/w/', 'file:///w/e.nft', query.limit);
            const reported = mentions.map((item) => ({
              ...at(item.line, item.port, 'ssh', item.role, 'any'),
              endPort: item.endPort && Math.max(item.endPort, item.port),
              protocol: item.protocol,
              endLine: item.line,
              endColumn: 5,
            }));
            inventory.set(path, { path, language: 'iptables', mentions: reported, findings: [] });
            if (reported.length > 0)
              reference.set(
                path,
                reported.map((item) => ({ path, ...item })),
              );
            else reference.delete(path);
          }
          for (const { port, protocol, limit } of queries) {
            const expected = [...reference.keys()]
              .sort()
              .filter((path) => path.startsWith('/w/') && path !== '/w/e.nft')
              .flatMap((path) => reference.get(path)!)
              .filter((item) => item.role === 'allow' || item.role === 'deny')
              .filter((item) => item.port <= port && port <= (item.endPort ?? item.port))
              .filter((item) => item.protocol === protocol || item.protocol === 'any' || protocol === 'any');
            const found = inventory.decisionsAbout(port, protocol, '/w/', 'file:///w/e.nft', limit);
            assert.equal(found.total, expected.length);
            assert.deepEqual(
              found.lines.map(({ file, mention }) => [file.uri, mention.line, mention.port]),
              expected.slice(0, limit).map((item) => [`file://${item.path}`, item.line, item.port]),
            );
          }
        },
      ),
    );
  });
});
