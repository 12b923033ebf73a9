import { createHash } from 'node:crypto';
import { isAbsolute, normalize, relative, sep } from 'node:path';
import { consecutiveDescriber } from '../features/describe';
import { type Severity, SEVERITY_RANK } from '../rules/finding';
import { lineOf, lineStarts } from '../scan/lines';
import type { Span } from '../scan/mention';
import type { PortLensService } from '../service/portLensService';
import type { ScannedFile } from './scanFiles';

/** Where a span is, 1-based with an exclusive end column, as the CLI contract (GUIDE section 1) says. */
export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportedMention extends Location {
  port: number;
  endPort: number | null;
  protocol: string;
  service: string | null;
  role: string;
  exposure: string;
  description: string;
}

export interface ReportedFix {
  title: string;
  /** The edits as lines and columns; only SARIF prints them, so the other formats leave them out. */
  replacements?: (Location & { newText: string })[];
}

export interface ReportedFinding extends Location {
  ruleId: string;
  severity: Severity;
  port: number | null;
  endPort: number | null;
  message: string;
  fixes: ReportedFix[];
  /** The reason a `portlens-ignore` comment gives, when one covers the finding. */
  suppressed?: string;
  /** Stays the same when lines are added or removed elsewhere in the file (SARIF's partialFingerprints). */
  fingerprint?: string;
}

/** One file as the reports print it: plain data, built where the text is at hand. */
export interface ReportedFile {
  path: string;
  language: string;
  mentions: ReportedMention[];
  findings: ReportedFinding[];
  skipped?: string;
  notices?: string[];
  /** Where and why the scan stopped short of the end of the file (each also has a `scan-incomplete` finding). */
  incomplete?: { line: number; reason: string }[];
}

/**
 * A path as every report shows it: relative to the current folder, with `/`. A relative path that stays below
 * the folder is that path normalised, without resolving the folder again for each file; one that climbs out
 * (`../project/x`) may come back in, so it is worked out like an absolute one.
 */
export function displayPath(path: string): string {
  const normalized = isAbsolute(path) ? '' : normalize(path);
  const shown = (normalized && !normalized.startsWith('..') ? normalized : relative(process.cwd(), path)) || path;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

/** Turns offsets into lines and columns and names each port's service, once, where the text is at hand. */
export function reportFile(
  { path, text, scan }: ScannedFile,
  service: PortLensService,
  withReplacements: boolean,
): ReportedFile {
  const starts = lineStarts(text);
  const locate = (span: Span): Location => {
    const line = lineOf(starts, span.start);
    const endLine = span.end === span.start ? line : lineOf(starts, span.end);
    return {
      line: line + 1,
      column: span.start - starts[line] + 1,
      endLine: endLine + 1,
      endColumn: span.end - starts[endLine] + 1,
    };
  };
  const describe = consecutiveDescriber();
  const fingerprint = fingerprinter(text, starts);
  const report: ReportedFile = {
    path,
    language: scan.languageId,
    mentions: scan.mentions.map((mention) => {
      const { line, column, endLine, endColumn } = locate(mention.span);
      return {
        line,
        column,
        endLine,
        endColumn,
        port: mention.port,
        endPort: mention.endPort,
        protocol: mention.protocol,
        service: service.serviceName(mention),
        role: mention.role,
        exposure: mention.exposure,
        description: describe(mention),
      };
    }),
    findings: scan.findings.map((finding) => {
      const { line, column, endLine, endColumn } = locate(finding.span);
      const reported: ReportedFinding = {
        ruleId: finding.ruleId,
        severity: finding.severity,
        line,
        column,
        endLine,
        endColumn,
        port: finding.port,
        endPort: finding.endPort,
        message: finding.message,
        fixes: finding.fixes.map((fix) =>
          withReplacements
            ? {
                title: fix.title,
                replacements: fix.edits.map((edit) => ({ ...locate(edit.span), newText: edit.newText })),
              }
            : { title: fix.title },
        ),
      };
      if (finding.suppressed) reported.suppressed = finding.suppressed.justification;
      if (withReplacements) reported.fingerprint = fingerprint(finding.ruleId, finding.port, line);
      return reported;
    }),
  };
  if (scan.skipped) report.skipped = scan.skipped;
  if (scan.notices.length > 0) report.notices = scan.notices;
  if (scan.incomplete)
    report.incomplete = scan.incomplete.map(({ reason, span }) => ({ line: locate(span).line, reason }));
  return report;
}

/** A report without the edits of its fixes and its fingerprints, which only SARIF prints. */
export function withoutEdits(report: ReportedFile): ReportedFile {
  return {
    ...report,
    findings: report.findings.map(({ fingerprint: _fingerprint, ...finding }) => ({
      ...finding,
      fixes: finding.fixes.map((fix) => ({ title: fix.title })),
    })),
  };
}

/**
 * A finding's identity that does not move with its line number: the rule, the port, the text of its line with
 * spacing evened out, and which of the findings alike in the file it is. Code-scanning services match results
 * across commits by it, so an edit above a finding does not make it look new.
 */
function fingerprinter(text: string, starts: readonly number[]) {
  const seen = new Map<string, number>();
  return (ruleId: string, port: number | null, line: number): string => {
    const lineEnd = line < starts.length ? starts[line] : text.length;
    const lineText = text
      .slice(starts[line - 1], lineEnd)
      .replace(/\s+/g, ' ')
      .trim();
    const key = `${ruleId}\u0000${port ?? ''}\u0000${lineText}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
  };
}

/** What the reports count over all files: the text summary, the exit status and SARIF's skipped-file notes. */
export interface Tally {
  files: number;
  mentions: number;
  /** Findings not silenced by a comment, by severity. */
  findings: Record<Severity, number>;
  skipped: { path: string; reason: string }[];
  /** Files that were not read whole: the run did not do all it was asked, whatever the rules' levels. */
  incomplete: { path: string; line: number; reason: string }[];
}

export function emptyTally(): Tally {
  return {
    files: 0,
    mentions: 0,
    findings: { error: 0, warning: 0, information: 0, hint: 0 },
    skipped: [],
    incomplete: [],
  };
}

export function tallyFile(tally: Tally, file: ReportedFile): void {
  tally.files++;
  tally.mentions += file.mentions.length;
  for (const finding of file.findings) if (finding.suppressed === undefined) tally.findings[finding.severity]++;
  if (file.skipped) tally.skipped.push({ path: file.path, reason: file.skipped });
  for (const { line, reason } of file.incomplete ?? []) tally.incomplete.push({ path: file.path, line, reason });
}

export function addTally(into: Tally, from: Tally): void {
  into.files += from.files;
  into.mentions += from.mentions;
  for (const severity of Object.keys(SEVERITY_RANK) as Severity[]) into.findings[severity] += from.findings[severity];
  for (const skipped of from.skipped) into.skipped.push(skipped);
  for (const incomplete of from.incomplete) into.incomplete.push(incomplete);
}
