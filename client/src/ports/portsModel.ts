/**
 * The Ports view's model: the server's workspace inventory (`portLens/workspacePorts`, each file as the CLI's JSON
 * report of it, docs/cli-contract.md) turned into rows and groups. Plain data, no VS Code, so the unit tests
 * read it as the view does.
 */

import type { ReportedFinding, ReportedMention } from '../../../server/src/cli/reportedFile';
import type { Severity } from '../../../server/src/rules/finding';
import type { WorkspaceFile } from '../../../server/src/workspace/workspacePorts';

export type { Severity };
/** A file of the inventory, a port mention and a finding: the CLI's JSON contract (docs/cli-contract.md). */
export type InventoryFile = Pick<WorkspaceFile, 'uri' | 'path' | 'language' | 'skipped'> & {
  mentions: InventoryMention[];
  findings: InventoryFinding[];
};
export type InventoryMention = Omit<ReportedMention, 'endLine' | 'endColumn'>;
export type InventoryFinding = Pick<
  ReportedFinding,
  'ruleId' | 'severity' | 'line' | 'column' | 'port' | 'message' | 'suppressed'
>;
export type GroupBy = 'port' | 'file' | 'severity';

/** A line of a file: a port mention with the findings about it, or a finding about no one port. */
export interface PortRow {
  file: InventoryFile;
  line: number;
  column: number;
  mention?: InventoryMention;
  findings: InventoryFinding[];
  /** The worst unsuppressed finding's severity. */
  severity?: Severity;
}

export interface RowGroup {
  key: string;
  label: string;
  /** What the group holds, in a few words: the service, the worst exposure, counts. */
  description: string;
  severity?: Severity;
  rows: PortRow[];
}

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
/** Who can reach a port, from widest to narrowest, as the contract's `exposure` says. */
const EXPOSURE_ORDER = ['any', 'public', 'unknown', 'private', 'loopback'];
/** Roles that open a port on this host: the rows "only exposures" keeps. */
const OPENING_ROLES = new Set(['allow', 'listen', 'publish', 'forward']);
/** Rules whose findings are exposures: what the status bar counts. */
const EXPOSURE_RULES = /^(exposed-|all-ports-exposed$)/;

/** The rows of one file: each mention with the findings on its line and port, then findings that match none. */
export function rowsOf(file: InventoryFile): PortRow[] {
  const live = file.findings.filter((finding) => finding.suppressed === undefined);
  const claimed = new Set<InventoryFinding>();
  const rows: PortRow[] = file.mentions.map((mention) => {
    const findings = live.filter(
      (finding) => finding.line === mention.line && (finding.port === null || finding.port === mention.port),
    );
    for (const finding of findings) claimed.add(finding);
    return { file, line: mention.line, column: mention.column, mention, findings, severity: worst(findings) };
  });
  for (const finding of live) {
    if (claimed.has(finding)) continue;
    rows.push({ file, line: finding.line, column: finding.column, findings: [finding], severity: finding.severity });
  }
  return rows.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Whether a row opens something on this host, or carries a finding: what "only exposures" keeps. */
export function isExposure(row: PortRow): boolean {
  return row.mention ? OPENING_ROLES.has(row.mention.role) : row.findings.length > 0;
}

export function group(files: readonly InventoryFile[], by: GroupBy, onlyExposures: boolean): RowGroup[] {
  const rows = files.flatMap(rowsOf).filter((row) => !onlyExposures || isExposure(row));
  const groups = new Map<string, { group: RowGroup; order: (number | string)[] }>();
  for (const row of rows) {
    const { key, label, order } = groupKey(row, by);
    let found = groups.get(key);
    if (!found) {
      found = { group: { key, label, description: '', rows: [] }, order };
      groups.set(key, found);
    }
    found.group.rows.push(row);
  }
  const result = [...groups.values()].sort((a, b) => compare(a.order, b.order)).map(({ group: found }) => found);
  for (const found of result) {
    found.severity = worst(found.rows.flatMap((row) => row.findings));
    found.description = describeGroup(found, by);
  }
  return result;
}

function groupKey(row: PortRow, by: GroupBy): { key: string; label: string; order: (number | string)[] } {
  switch (by) {
    case 'file':
      return { key: row.file.uri, label: row.file.path, order: [row.file.path] };
    case 'severity': {
      const rank = row.severity ? SEVERITY_ORDER.indexOf(row.severity) : SEVERITY_ORDER.length;
      return { key: row.severity ?? 'none', label: row.severity ?? 'no finding', order: [rank] };
    }
    case 'port': {
      const mention = row.mention;
      if (!mention) return { key: 'file-findings', label: 'findings about whole files', order: [Infinity] };
      const label = mention.endPort === null ? String(mention.port) : `${mention.port}-${mention.endPort}`;
      return { key: label, label, order: [mention.port, mention.endPort ?? mention.port] };
    }
  }
}

function compare(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let index = 0; index < a.length; index++) {
    if (a[index] === b[index]) continue;
    return a[index] < b[index] ? -1 : 1;
  }
  return 0;
}

function describeGroup(found: RowGroup, by: GroupBy): string {
  const count = `${found.rows.length} ${found.rows.length === 1 ? 'line' : 'lines'}`;
  if (by !== 'port') return count;
  const services = [...new Set(found.rows.map((row) => row.mention?.service).filter((name) => name))];
  const exposure = widestExposure(found.rows);
  return [services.join(', '), exposure ? `open to ${exposure}` : '', count].filter((part) => part).join(' · ');
}

/** The widest exposure among the rows that open the port, in the contract's words. */
export function widestExposure(rows: readonly PortRow[]): string | undefined {
  const opened = rows
    .map((row) => row.mention)
    .filter((mention) => mention && OPENING_ROLES.has(mention.role))
    .map((mention) => mention!.exposure);
  return EXPOSURE_ORDER.find((exposure) => opened.includes(exposure));
}

function worst(findings: readonly InventoryFinding[]): Severity | undefined {
  return SEVERITY_ORDER.find((severity) => findings.some((finding) => finding.severity === severity));
}

/** The status bar's counts: exposure findings that are not suppressed, and distinct ports or ranges. */
export function summary(files: readonly InventoryFile[]): { exposures: number; ports: number } {
  let exposures = 0;
  const ports = new Set<string>();
  for (const file of files) {
    for (const finding of file.findings)
      if (finding.suppressed === undefined && EXPOSURE_RULES.test(finding.ruleId)) exposures++;
    for (const mention of file.mentions) ports.add(`${mention.port}-${mention.endPort ?? mention.port}`);
  }
  return { exposures, ports: ports.size };
}

/** Rows as a Markdown table, for pasting into a review or a ticket. */
export function markdownTable(rows: readonly PortRow[], pathOf: (file: InventoryFile) => string): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const lines = [
    '| file | line | port | service | what the line does | finding |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const { mention } = row;
    const port = mention ? (mention.endPort === null ? `${mention.port}` : `${mention.port}-${mention.endPort}`) : '';
    lines.push(
      `| ${[
        pathOf(row.file),
        String(row.line),
        mention ? `${port}/${mention.protocol}` : '',
        mention?.service ?? '',
        mention?.description ?? '',
        row.findings.map((finding) => `${finding.severity}: ${finding.message} (${finding.ruleId})`).join('; '),
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
