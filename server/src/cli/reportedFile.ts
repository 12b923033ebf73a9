import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeUse } from '../features/describe';
import type { Severity } from '../rules/finding';
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
  replacements: (Location & { newText: string })[];
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
}

/** One file as the reports print it: plain data, so worker threads can hand it to the main thread. */
export interface ReportedFile {
  path: string;
  language: string;
  mentions: ReportedMention[];
  findings: ReportedFinding[];
  skipped?: string;
  notices?: string[];
}

/** Turns offsets into lines and columns and names each port's service, once, where the text is at hand. */
export function reportFile({ path, text, scan }: ScannedFile, service: PortLensService): ReportedFile {
  const lines = TextDocument.create('file:///scan', scan.languageId, 0, text);
  const locate = (span: Span): Location => {
    const start = lines.positionAt(span.start);
    const end = lines.positionAt(span.end);
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  };
  return {
    path,
    language: scan.languageId,
    mentions: scan.mentions.map((mention) => ({
      ...locate(mention.span),
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
      ...locate(finding.span),
      port: finding.port,
      endPort: finding.endPort,
      message: finding.message,
      fixes: finding.fixes.map((fix) => ({
        title: fix.title,
        replacements: fix.edits.map((edit) => ({ ...locate(edit.span), newText: edit.newText })),
      })),
      ...(finding.suppressed ? { suppressed: finding.suppressed.justification } : {}),
    })),
    ...(scan.skipped ? { skipped: scan.skipped } : {}),
    ...(scan.notices.length > 0 ? { notices: scan.notices } : {}),
  };
}
