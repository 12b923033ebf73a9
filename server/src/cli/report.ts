import { relative, sep } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeUse } from '../features/describe';
import type { Severity } from '../rules/finding';
import type { Span } from '../scan/mention';
import type { PortLensService } from '../service/portLensService';
import type { ScannedFile } from './scanFiles';

/** Where a span is, 1-based with an exclusive end column, as the CLI contract (GUIDE section 1) says. */
interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

function locate(document: TextDocument, span: Span): Location {
  const start = document.positionAt(span.start);
  const end = document.positionAt(span.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function displayPath(path: string): string {
  const shown = relative(process.cwd(), path) || path;
  return shown.split(sep).join('/');
}

/** The `--format json` document: version 1 of the contract, plus only additive fields. */
export function jsonReport(files: readonly ScannedFile[], service: PortLensService, version: string): string {
  const document = {
    version: 1,
    tool: { name: 'portlens', version },
    files: files.map(({ path, text, scan }) => {
      const lines = TextDocument.create('file:///scan', scan.languageId, 0, text);
      return {
        path: displayPath(path),
        language: scan.languageId,
        mentions: scan.mentions.map((mention) => ({
          ...locate(lines, mention.span),
          port: mention.port,
          endPort: mention.endPort,
          protocol: mention.protocol,
          service: service.serviceName(mention),
          role: mention.role,
          exposure: mention.exposure,
          description: describeUse(mention),
        })),
        findings: scan.findings.map((finding) => ({
          ruleId: finding.ruleId,
          severity: finding.severity,
          ...locate(lines, finding.span),
          port: finding.port,
          endPort: finding.endPort,
          message: finding.message,
          fixes: finding.fixes,
        })),
        ...(scan.skipped ? { skipped: scan.skipped } : {}),
        ...(scan.notices.length > 0 ? { notices: scan.notices } : {}),
      };
    }),
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
export function textReport(files: readonly ScannedFile[], service: PortLensService, colour: boolean): string {
  const c = palette(colour);
  const severityColour: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, information: c.blue, hint: c.dim };
  const out: string[] = [];
  let mentionCount = 0;
  const findingCounts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const { path, text, scan } of files) {
    const lines = TextDocument.create('file:///scan', scan.languageId, 0, text);
    out.push(`${c.underline(displayPath(path))} ${c.dim(scan.languageId)}`);
    if (scan.skipped) out.push(`  ${c.yellow('skipped')}: ${scan.skipped}`);
    for (const notice of scan.notices) out.push(`  ${c.yellow('note')}: ${notice}`);
    for (const finding of scan.findings) {
      const where = locate(lines, finding.span);
      findingCounts[finding.severity]++;
      out.push(`  ${`${where.line}:${where.column}`.padEnd(8)} ${severityColour[finding.severity](finding.severity.padEnd(11))} ${finding.message}  ${c.dim(finding.ruleId)}`);
    }
    for (const mention of scan.mentions) {
      const where = locate(lines, mention.span);
      const ports = mention.endPort === null ? `${mention.port}` : `${mention.port}-${mention.endPort}`;
      const protocol = mention.protocol === 'any' ? '' : `/${mention.protocol}`;
      const serviceName = service.serviceName(mention) ?? '-';
      mentionCount++;
      out.push(`  ${c.dim(`${where.line}:${where.column}`.padEnd(8))} ${c.bold(`${ports}${protocol}`.padEnd(15))} ${c.cyan(serviceName.padEnd(18))} ${describeUse(mention)}`);
    }
    out.push('');
  }
  const findingTotal = Object.values(findingCounts).reduce((sum, count) => sum + count, 0);
  const summary = `${mentionCount} port mention${mentionCount === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}, ${findingTotal} finding${findingTotal === 1 ? '' : 's'} (${findingCounts.error} errors, ${findingCounts.warning} warnings, ${findingCounts.information} information)`;
  out.push(findingCounts.error > 0 ? c.red(c.bold(summary)) : findingCounts.warning > 0 ? c.yellow(c.bold(summary)) : c.bold(summary));
  return `${out.join('\n')}\n`;
}
