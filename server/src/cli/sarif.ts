import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { RULES, RULE_DOCS_REPOSITORY_URL } from '../rules/catalog';
import type { RuleLevel } from '../rules/catalog';
import type { ReportWriter } from './report';
import { type Location, type ReportedFinding, displayPath } from './reportedFile';

const SARIF_LEVELS: Record<RuleLevel, string> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
  off: 'none',
};

/**
 * A rule's page (docs/rules) as SARIF help Markdown, where the page ships beside the bundle (a clone, the npm
 * package); code-scanning services show it with the alert.
 */
function rulePage(ruleId: string): { markdown?: string } {
  try {
    return { markdown: readFileSync(join(__dirname, '..', '..', 'docs', 'rules', `${ruleId}.md`), 'utf8') };
  } catch {
    return {};
  }
}

/** The path the other reports show, as a URI relative to %SRCROOT% (the current folder). */
function artifactUri(path: string): string {
  return displayPath(path).split('/').map(encodeURIComponent).join('/');
}

function region(location: Location) {
  return {
    startLine: location.line,
    startColumn: location.column,
    endLine: location.endLine,
    endColumn: location.endColumn,
  };
}

/** One finding as a SARIF result; fixes only when they carry their artifact changes. */
function sarifResult(finding: ReportedFinding, uri: string, ruleIndex: ReadonlyMap<string, number>) {
  const fixes = finding.fixes
    .filter((fix) => fix.replacements && fix.replacements.length > 0)
    .map((fix) => ({
      description: { text: fix.title },
      artifactChanges: [
        {
          artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
          replacements: fix.replacements!.map((replacement) => ({
            deletedRegion: region(replacement),
            insertedContent: { text: replacement.newText },
          })),
        },
      ],
    }));
  return {
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: SARIF_LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(finding) } }],
    ...(finding.fingerprint ? { partialFingerprints: { 'portlens/v1': finding.fingerprint } } : {}),
    ...(finding.suppressed !== undefined
      ? { suppressions: [{ kind: 'inSource', justification: finding.suppressed }] }
      : {}),
    ...(fixes.length > 0 ? { fixes } : {}),
  };
}

/**
 * `--format sarif`: SARIF 2.1.0 as code-scanning services expect it (GUIDE section 1): one run, every rule with
 * its help link, default level and security-severity, results with physical locations, in-source suppressions,
 * and fixes only when they carry their artifact changes. Results come a file at a time; the skipped files are
 * noted in the invocation at the end.
 */
export function sarifWriter(version: string): ReportWriter {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const driver = {
    name: 'portlens',
    fullName: 'Port Lens',
    version,
    semanticVersion: version,
    informationUri: RULE_DOCS_REPOSITORY_URL.replace(/\/blob\/main\/docs\/rules$/, ''),
    rules: RULES.map((rule) => ({
      id: rule.id,
      name: rule.id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()),
      shortDescription: { text: rule.description },
      fullDescription: { text: rule.description },
      help: { text: `${rule.description} See ${RULE_DOCS_REPOSITORY_URL}/${rule.id}.md`, ...rulePage(rule.id) },
      helpUri: `${RULE_DOCS_REPOSITORY_URL}/${rule.id}.md`,
      defaultConfiguration: { level: SARIF_LEVELS[rule.defaultLevel], enabled: rule.defaultLevel !== 'off' },
      properties: { 'security-severity': rule.securitySeverity, tags: ['security'] },
    })),
  };
  const run = {
    tool: { driver },
    originalUriBaseIds: {
      '%SRCROOT%': { uri: `${encodeURI(process.cwd().split(sep).join('/'))}/`.replace(/^\/?/, 'file:///') },
    },
  };
  const log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' };
  return {
    replacements: true,
    // The run's results and invocations come last, so the log can be closed once every file is written.
    head: () => `${JSON.stringify(log).slice(0, -1)},"runs":[${JSON.stringify(run).slice(0, -1)},"results":[\n`,
    file(file) {
      const uri = artifactUri(file.path);
      return file.findings.map((finding) => JSON.stringify(sarifResult(finding, uri, ruleIndex))).join(',\n');
    },
    between: ',\n',
    tail(tally) {
      const location = (path: string, line?: number) => ({
        physicalLocation: {
          artifactLocation: { uri: artifactUri(path), uriBaseId: '%SRCROOT%' },
          ...(line === undefined ? {} : { region: { startLine: line } }),
        },
      });
      const notifications = [
        ...tally.skipped.map(({ path, reason }) => ({
          level: 'note',
          message: { text: `Skipped ${artifactUri(path)}: ${reason}` },
          locations: [location(path)],
        })),
        // A file not read whole means the run did not do its job there, whatever the rule's level says.
        ...tally.incomplete.map(({ path, line, reason }) => ({
          level: 'error',
          descriptor: { id: 'scan-incomplete' },
          message: { text: `Stopped reading ${artifactUri(path)} at line ${line}: ${reason}` },
          locations: [location(path, line)],
        })),
      ];
      const invocation = {
        executionSuccessful: tally.incomplete.length === 0,
        toolExecutionNotifications: notifications,
      };
      return `\n],"invocations":${JSON.stringify([invocation])}}]}\n`;
    },
  };
}
