import type { Severity } from '../rules/finding';
import type { OutputFormat } from './args';
import { type ReportedFile, type ReportedFinding, type Tally, displayPath } from './reportedFile';
import { sarifWriter } from './sarif';

/** Findings about a port can also be silenced with a comment; the suppression hints themselves cannot. */
const IGNORE_TITLES = ['Ignore this finding on this line', 'Ignore this finding in this file'];
const SUPPRESSION_HINTS = new Set(['suppression-without-reason', 'unused-suppression']);

/** A finding as the JSON contract writes it: fix titles only. Written out field by field: reports hold many. */
function contractFinding(finding: ReportedFinding) {
  const titles = finding.fixes.map((fix) => fix.title);
  if (!SUPPRESSION_HINTS.has(finding.ruleId)) titles.push(...IGNORE_TITLES);
  const { ruleId, severity, line, column, endLine, endColumn, port, endPort, message, suppressed } = finding;
  const written = { ruleId, severity, line, column, endLine, endColumn, port, endPort, message, fixes: titles };
  return suppressed === undefined ? written : { ...written, justification: suppressed };
}

/** A file as the JSON contract writes it; its findings silenced by a comment go apart, last. */
function contractFile(file: ReportedFile) {
  const findings: ReturnType<typeof contractFinding>[] = [];
  const suppressedFindings: ReturnType<typeof contractFinding>[] = [];
  for (const finding of file.findings)
    (finding.suppressed === undefined ? findings : suppressedFindings).push(contractFinding(finding));
  const { language, mentions, skipped, notices, incomplete } = file;
  return {
    path: displayPath(file.path),
    language,
    mentions,
    findings,
    skipped,
    notices,
    incomplete,
    suppressedFindings,
  };
}

/**
 * Text for a terminal with its control characters written as escapes: a file name (or a line quoted from a file)
 * may hold some, and printed raw they would move the cursor, recolour or clear the reader's terminal.
 */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (control) => `\\x${control.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** ANSI colours, on only for terminals (or FORCE_COLOR) and never with NO_COLOR. */
function palette(enabled: boolean) {
  const paint = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    bold: paint(1),
    dim: paint(2),
    red: paint(31),
    yellow: paint(33),
    blue: paint(34),
    cyan: paint(36),
    underline: paint(4),
  };
}

/**
 * Whether the text report is coloured: as asked, or for a terminal by default. NO_COLOR turns the default off when
 * it is set and not empty (no-color.org); FORCE_COLOR turns it on.
 */
export function colourEnabled(
  stream: NodeJS.WriteStream | undefined,
  choice: 'auto' | 'always' | 'never' = 'auto',
): boolean {
  if (choice !== 'auto') return choice === 'always';
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream?.isTTY === true;
}

/**
 * One output format, written a file at a time so that a report never has to fit in memory whole: the head, each
 * file's part (empty when the format has nothing to say about it) with `between` among them, then the tail.
 * Worker threads write the files' parts; the main thread puts them in order.
 */
export interface ReportWriter {
  /** Whether the files' findings must carry their fixes' edits (only SARIF prints them). */
  readonly replacements: boolean;
  head(): string;
  file(file: ReportedFile): string;
  readonly between: string;
  tail(tally: Tally): string;
}

/** What a writer needs to know, as plain data that worker threads can receive. */
export interface OutputOptions {
  format: OutputFormat;
  version: string;
  colour: boolean;
}

export function reportWriter(options: OutputOptions): ReportWriter {
  switch (options.format) {
    case 'json':
      return jsonWriter(options.version);
    case 'sarif':
      return sarifWriter(options.version);
    case 'text':
      return textWriter(options.colour);
    case 'compact':
      return lineWriter(compactLine, (path, reason) => printable(`${path}: skipped: ${reason}`));
    case 'github':
      return lineWriter(
        githubLine,
        (path, reason) => `::warning file=${githubProperty(path)}::${githubData(`Port Lens skipped this: ${reason}`)}`,
      );
  }
}

/**
 * A format of one line per finding that no comment silences, then one per file or folder not scanned: for tools
 * that read lines.
 */
function lineWriter(
  line: (path: string, finding: ReportedFinding) => string,
  skippedLine: (path: string, reason: string) => string,
): ReportWriter {
  return {
    replacements: false,
    head: () => '',
    file(file) {
      const path = displayPath(file.path);
      const lines = file.findings
        .filter((finding) => finding.suppressed === undefined)
        .map((finding) => line(path, finding));
      return lines.length > 0 ? `${lines.join('\n')}\n` : '';
    },
    between: '',
    tail: ({ skipped }) => skipped.map(({ path, reason }) => `${skippedLine(displayPath(path), reason)}\n`).join(''),
  };
}

/** `path:line:col: severity: message [rule]`, as gcc and ShellCheck's gcc format write it. */
function compactLine(path: string, finding: ReportedFinding): string {
  return printable(
    `${path}:${finding.line}:${finding.column}: ${finding.severity}: ${finding.message} [${finding.ruleId}]`,
  );
}

const GITHUB_LEVELS: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: 'notice',
};

/**
 * A GitHub Actions workflow command, which annotates the line in the pull request. Its data escapes `%`, CR and LF;
 * its properties also `:` and `,` (as the actions toolkit does).
 */
function githubLine(path: string, finding: ReportedFinding): string {
  const { line, column, endLine, endColumn } = finding;
  const where = `file=${githubProperty(path)},line=${line},col=${column},endLine=${endLine},endColumn=${endColumn}`;
  const title = githubProperty(`Port Lens ${finding.ruleId}`);
  return printable(`::${GITHUB_LEVELS[finding.severity]} ${where},title=${title}::${githubData(finding.message)}`);
}

function githubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The `--format json` document: version 1 of the contract, plus only additive fields; a file per line. */
function jsonWriter(version: string): ReportWriter {
  return {
    replacements: false,
    head: () => `{"version":1,"tool":${JSON.stringify({ name: 'portlens', version })},"files":[\n`,
    file: (file) => JSON.stringify(contractFile(file)),
    between: ',\n',
    // Added to the contract: every file or folder that was not scanned, with the reason.
    tail: (tally) =>
      `\n],"skipped":${JSON.stringify(tally.skipped.map(({ path, reason }) => ({ path: displayPath(path), reason })))}}\n`,
  };
}

/** The `--format text` report: grouped by file like a linter's, one line per port and per finding. */
function textWriter(colour: boolean): ReportWriter {
  const c = palette(colour);
  const severityColour: Record<Severity, (text: string) => string> = {
    error: c.red,
    warning: c.yellow,
    information: c.blue,
    hint: c.dim,
  };
  return {
    replacements: false,
    head: () => '',
    file(file) {
      const out: string[] = [`${c.underline(printable(displayPath(file.path)))} ${c.dim(file.language)}`];
      if (file.skipped) out.push(`  ${c.yellow('skipped')}: ${printable(file.skipped)}`);
      for (const notice of file.notices ?? []) out.push(`  ${c.yellow('note')}: ${printable(notice)}`);
      for (const finding of file.findings) {
        if (finding.suppressed !== undefined) continue;
        out.push(
          `  ${`${finding.line}:${finding.column}`.padEnd(8)} ${severityColour[finding.severity](finding.severity.padEnd(11))} ${printable(finding.message)}  ${c.dim(finding.ruleId)}`,
        );
      }
      for (const mention of file.mentions) {
        const ports = mention.endPort === null ? `${mention.port}` : `${mention.port}-${mention.endPort}`;
        const protocol = mention.protocol === 'any' ? '' : `/${mention.protocol}`;
        out.push(
          `  ${c.dim(`${mention.line}:${mention.column}`.padEnd(8))} ${c.bold(`${ports}${protocol}`.padEnd(15))} ${c.cyan((mention.service ?? '-').padEnd(18))} ${printable(mention.description)}`,
        );
      }
      return `${out.join('\n')}\n\n`;
    },
    between: '',
    tail({ files, mentions, findings, skipped, incomplete }) {
      const total = Object.values(findings).reduce((sum, count) => sum + count, 0);
      const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
      const skippedNote = skipped.length > 0 ? `; ${skipped.length} skipped (see above)` : '';
      const unread = new Set(incomplete.map(({ path }) => path)).size;
      const incompleteNote = unread > 0 ? `; ${plural(unread, 'file')} not read whole (scan-incomplete)` : '';
      const summary = `${plural(mentions, 'port mention')} in ${plural(files, 'file')}, ${plural(total, 'finding')} (${findings.error} errors, ${findings.warning} warnings, ${findings.information} information)${skippedNote}${incompleteNote}`;
      return `${findings.error > 0 ? c.red(c.bold(summary)) : findings.warning > 0 ? c.yellow(c.bold(summary)) : c.bold(summary)}\n`;
    },
  };
}
