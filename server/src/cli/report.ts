import { relative, sep } from 'node:path';
import type { Severity } from '../rules/finding';
import type { ReportedFile, ReportedFinding } from './reportedFile';

/** Findings about a port can also be silenced with a comment; the suppression hints themselves cannot. */
const IGNORE_TITLES = ['Ignore this finding on this line', 'Ignore this finding in this file'];
const SUPPRESSION_HINTS = new Set(['suppression-without-reason', 'unused-suppression']);

/** A finding as the JSON contract writes it: fix titles only. */
function contractFinding({ fixes, suppressed, ...finding }: ReportedFinding) {
  const titles = [...fixes.map((fix) => fix.title), ...(SUPPRESSION_HINTS.has(finding.ruleId) ? [] : IGNORE_TITLES)];
  return { ...finding, fixes: titles, ...(suppressed !== undefined ? { justification: suppressed } : {}) };
}

function displayPath(path: string): string {
  const shown = relative(process.cwd(), path) || path;
  return shown.split(sep).join('/');
}

/** The `--format json` document: version 1 of the contract, plus only additive fields. */
export function jsonReport(files: readonly ReportedFile[], version: string): string {
  const document = {
    version: 1,
    tool: { name: 'portlens', version },
    files: files.map((file) => ({
      ...file,
      path: displayPath(file.path),
      findings: file.findings.filter((finding) => finding.suppressed === undefined).map(contractFinding),
      suppressedFindings: file.findings.filter((finding) => finding.suppressed !== undefined).map(contractFinding),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** ANSI colours, on only for terminals (or FORCE_COLOR) and never with NO_COLOR. */
function palette(enabled: boolean) {
  const paint = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { bold: paint(1), dim: paint(2), red: paint(31), yellow: paint(33), blue: paint(34), cyan: paint(36), underline: paint(4) };
}

export function colourEnabled(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined) return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** The `--format text` report: grouped by file like a linter's, one line per port and per finding. */
export function textReport(files: readonly ReportedFile[], colour: boolean): string {
  const c = palette(colour);
  const severityColour: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, information: c.blue, hint: c.dim };
  const out: string[] = [];
  let mentionCount = 0;
  const findingCounts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const file of files) {
    out.push(`${c.underline(displayPath(file.path))} ${c.dim(file.language)}`);
    if (file.skipped) out.push(`  ${c.yellow('skipped')}: ${file.skipped}`);
    for (const notice of file.notices ?? []) out.push(`  ${c.yellow('note')}: ${notice}`);
    for (const finding of file.findings) {
      if (finding.suppressed !== undefined) continue;
      findingCounts[finding.severity]++;
      out.push(`  ${`${finding.line}:${finding.column}`.padEnd(8)} ${severityColour[finding.severity](finding.severity.padEnd(11))} ${finding.message}  ${c.dim(finding.ruleId)}`);
    }
    for (const mention of file.mentions) {
      const ports = mention.endPort === null ? `${mention.port}` : `${mention.port}-${mention.endPort}`;
      const protocol = mention.protocol === 'any' ? '' : `/${mention.protocol}`;
      mentionCount++;
      out.push(`  ${c.dim(`${mention.line}:${mention.column}`.padEnd(8))} ${c.bold(`${ports}${protocol}`.padEnd(15))} ${c.cyan((mention.service ?? '-').padEnd(18))} ${mention.description}`);
    }
    out.push('');
  }
  const findingTotal = Object.values(findingCounts).reduce((sum, count) => sum + count, 0);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const summary = `${plural(mentionCount, 'port mention')} in ${plural(files.length, 'file')}, ${plural(findingTotal, 'finding')} (${findingCounts.error} errors, ${findingCounts.warning} warnings, ${findingCounts.information} information)`;
  out.push(findingCounts.error > 0 ? c.red(c.bold(summary)) : findingCounts.warning > 0 ? c.yellow(c.bold(summary)) : c.bold(summary));
  return `${out.join('\n')}\n`;
}
