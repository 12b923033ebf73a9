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
});
