import { PortCatalog } from '../catalog/catalog';
import { type Logger, SILENT_LOGGER } from '../logging/logger';
import type { Protocol } from '../catalog/types';
import { type Decisions, portHover, unresolvedHover } from '../features/hover';
import type { RuleContext } from '../rules/context';
import { fileFindings, mentionFindings } from '../rules/evaluate';
import type { Finding } from '../rules/finding';
import {
  type PortMention,
  type RiskSignal,
  type ScanOutput,
  type Shortfall,
  type Span,
  byPosition,
  countStartingBefore,
  type UnresolvedPort,
} from '../scan/mention';
import type { CommentSyntax, OutlineSymbol } from '../scan/format';
import { lastAtOrBefore, lineAround, lineStarts } from '../scan/lines';
import { type FormatRegistry, UNKNOWN_LANGUAGE, createFormatRegistry } from '../scan/registry';
import { DEFAULT_SETTINGS, type PortLensSettings } from '../settings/settings';
import { type EditScanner, type ScanRecord, rescanEdit } from './editRescan';
import { TextAnalyses } from '../scan/textAnalyses';
import { readNearbyFile } from './nearbyFile';

/** What the engine found in one file. The editor, the CLI and the tests all read this. */
export interface FileScan {
  languageId: string;
  /** Sorted by position. */
  mentions: PortMention[];
  /** Settings that weaken security without naming a port (Connect:Direct `netmap.check=n`, ...). */
  signals: RiskSignal[];
  findings: Finding[];
  /** Why the file was not scanned (binary, too large); absent when it was. */
  skipped?: string;
  /** Problems met on the way that did not stop the scan, in words for the user. */
  notices: string[];
  /** Where and why the scan stopped short of the end of the text; each has a `scan-incomplete` finding. */
  incomplete?: Shortfall[];
  /** Ports given by variables the text never sets, for the hover. */
  unresolved?: UnresolvedPort[];
}

export interface ScanRequest {
  text: string;
  /** The editor's language id; when absent or not one of ours, the language is detected from path and content. */
  languageId?: string;
  path?: string;
  /** Bytes on disk when known, which is what the size limit is about; else the text's UTF-8 length. */
  byteLength?: number;
}

export interface HoverResult {
  markdown: string;
  span: Span;
}

const BINARY_PROBE_LENGTH = 8000;
/** How much of a file's start language detection reads. */
const DETECTION_LENGTH = 4096;

/**
 * The Port Lens language service: text in, plain data out. It holds no connection and knows nothing of
 * VS Code, so the LSP server, the CLI and the tests share it (the yaml-language-server pattern).
 */
export class PortLensService {
  private catalog: PortCatalog;
  /** Where failures go with their stacks: the language server's output channel; nowhere by default. */
  logger: Logger = SILENT_LOGGER;

  private constructor(
    private readonly registry: FormatRegistry,
    private settings: PortLensSettings,
    baseCatalog: PortCatalog,
  ) {
    this.catalog = baseCatalog.withCustomPorts(settings.customPorts);
  }

  /** `registry` is for tests that need a changed set of formats (one whose scanner throws, say). */
  static async create(
    settings: PortLensSettings = DEFAULT_SETTINGS,
    registry: Promise<FormatRegistry> = createFormatRegistry(),
  ): Promise<PortLensService> {
    // WebAssembly compiles the shell parser off this thread: the catalog is built meanwhile, not after it.
    const catalog = new PortCatalog();
    return new PortLensService(await registry, settings, catalog);
  }

  get languageIds(): string[] {
    return this.registry.languageIds;
  }

  get currentSettings(): PortLensSettings {
    return this.settings;
  }

  /** Files larger than this are reported as skipped, not read (`portLens.maxFileSizeMB`). */
  get maxFileBytes(): number {
    return this.settings.maxFileSizeMB * 1024 * 1024;
  }

  /** Takes new settings; true when they differ from the current ones, so earlier scans no longer hold. */
  configure(settings: PortLensSettings): boolean {
    if (JSON.stringify(settings) === JSON.stringify(this.settings)) return false;
    this.settings = settings;
    this.catalog = this.catalog.withCustomPorts(settings.customPorts);
    return true;
  }

  detectLanguage(path: string, text: string): string {
    return this.registry.detect(path, text.slice(0, DETECTION_LENGTH));
  }

  /** The language a file's name tells, or `unknown`: the CLI asks this before it reads a file. */
  detectLanguageByName(path: string): string {
    return this.registry.detectByName(path) ?? UNKNOWN_LANGUAGE;
  }

  /** The language the start of a file tells, for a file whose name told none. */
  detectLanguageByContent(text: string): string {
    return this.registry.detectByContent(text.slice(0, DETECTION_LENGTH));
  }

  scan(request: ScanRequest): FileScan {
    return this.read(request, this.languageOf(request), this.exclusion(request)).scan;
  }

  /** `scan`, once what the text's language needs is loaded: for a registry that loads it on demand (the CLI). */
  async scanWhenReady(request: ScanRequest): Promise<FileScan> {
    await this.registry.prepare(this.languageOf(request));
    return this.scan(request);
  }

  /**
   * Scans a new version of a document. Where the format lists its context lines and the edit left them alone,
   * only the edited lines are read again (see editRescan.ts); otherwise the whole text is.
   */
  rescan(previous: ScanRecord | undefined, request: ScanRequest): ScanRecord {
    const languageId = this.languageOf(request);
    const skipped = this.exclusion(request);
    if (previous?.reusable && previous.scan.languageId === languageId && !skipped) {
      try {
        const spliced = rescanEdit(previous, request.text, this.editScanner(languageId, request.path));
        if (spliced) return spliced;
      } catch (error) {
        // The whole-text scan below meets the same problem, if it is one, and reports it as a notice.
        this.logger.warn(
          `Port Lens could not re-read only the edited lines of ${request.path ?? 'a document'}; it reads the whole text`,
          error,
        );
      }
    }
    return this.read(request, languageId, skipped);
  }

  private languageOf(request: ScanRequest): string {
    return request.languageId && this.registry.has(request.languageId)
      ? request.languageId
      : this.detectLanguage(request.path ?? '', request.text);
  }

  /** Why a text is not scanned at all: over the size limit, or binary. */
  private exclusion(request: ScanRequest): string | undefined {
    const limit = this.maxFileBytes;
    const size = request.byteLength ?? Buffer.byteLength(request.text, 'utf8');
    if (size > limit) return `larger than the ${this.settings.maxFileSizeMB} MB limit (portLens.maxFileSizeMB)`;
    if (request.text.slice(0, BINARY_PROBE_LENGTH).includes('\u0000')) return 'binary file';
    return undefined;
  }

  /** The whole-text scan, given the language and the reason not to scan (from `languageOf` and `exclusion`). */
  private read(request: ScanRequest, languageId: string, skipped: string | undefined): ScanRecord {
    const { text } = request;
    const empty: FileScan = { languageId, mentions: [], signals: [], findings: [], notices: [] };
    if (skipped) return { text, scan: { ...empty, skipped } };
    if (languageId === UNKNOWN_LANGUAGE) return { text, scan: empty };
    const edits = this.editScanner(languageId, request.path);
    let output: ScanOutput;
    try {
      output = edits.read(text);
    } catch (error) {
      this.logger.error(`Port Lens could not finish reading ${request.path ?? 'a document'} as ${languageId}`, error);
      // What the scanner found before it failed is lost with it: the whole file is reported as unread.
      const reason = `its ${languageId} reader failed (${(error as Error).message})`;
      output = { mentions: [], signals: [], shortfalls: [{ reason, span: { start: 0, end: 0 } }] };
    }
    const { mentions, signals, contextLines, unresolved } = output;
    const shortfalls = output.shortfalls ?? [];
    mentions.sort(byPosition);
    signals.sort(byPosition);
    const mentionFindings = edits.mentionFindings(text, mentions, signals);
    const findings = edits.fileFindings(text, mentions, signals, mentionFindings, shortfalls);
    return {
      text,
      scan: {
        ...empty,
        mentions,
        signals,
        findings,
        ...(shortfalls.length > 0 ? { incomplete: shortfalls } : {}),
        ...(unresolved ? { unresolved } : {}),
      },
      ...(contextLines && shortfalls.length === 0 ? { reusable: { contextLines, mentionFindings } } : {}),
    };
  }

  /** The format's scanner and the rules, as a scan and a re-scan after an edit both use them. */
  editScanner(languageId: string, path: string | undefined): EditScanner {
    const resolveName = (name: string, protocol: Protocol) => this.catalog.iana.portForName(name, protocol);
    // One request reads a text, then judges it: what the reading made is kept for the judging, and no longer.
    let last: TextAnalyses | undefined;
    const analysesOf = (text: string) => (last?.text === text ? last : (last = new TextAnalyses(text)));
    const context = (
      text: string,
      mentions: readonly PortMention[],
      signals: readonly RiskSignal[],
      shortfalls: readonly Shortfall[] = [],
    ): RuleContext => ({
      text,
      mentions,
      signals,
      shortfalls,
      catalog: this.catalog,
      settings: this.settings,
      fixesFor: (language) => this.registry.definition(language)?.fixes,
      analyses: analysesOf(text),
    });
    const definition = this.registry.definition(languageId)!;
    return {
      interacts: definition.rulesInteract,
      read: (text) => this.registry.scan(languageId, text, resolveName, path, readNearbyFile, analysesOf(text)),
      mentionFindings: (text, mentions, signals) => mentionFindings(context(text, mentions, signals)),
      fileFindings: (text, mentions, signals, ofMentions, shortfalls) =>
        fileFindings(context(text, mentions, signals, shortfalls), ofMentions, definition.comment),
    };
  }

  /** The card for the port under `offset`, or the format's own card for the word there (a node name). */
  /**
   * @param lineOf the 1-based line of an offset, where the caller already knows the text's lines (an editor's
   *   document): finding them again costs a pass over the whole text on every hover.
   * @param decisionsAbout the rules of other files about a port, where the caller knows the workspace.
   */
  hover(
    scan: FileScan,
    text: string,
    offset: number,
    lineOf = lineNumbers(text),
    decisionsAbout: (mention: PortMention) => Decisions | undefined = () => undefined,
  ): HoverResult | undefined {
    const here = mentionsAt(scan.mentions, offset);
    if (here.length > 0) {
      const card = (mention: PortMention) => portHover(mention, this.catalog, lineOf, decisionsAbout(mention));
      return {
        markdown: here.map(card).join('\n\n---\n\n'),
        span: here[0].span,
      };
    }
    const unresolved = scan.unresolved?.find(({ span }) => offset >= span.start && offset <= span.end);
    if (unresolved) return { markdown: unresolvedHover(unresolved.variable), span: unresolved.span };
    return this.registry.definition(scan.languageId)?.hover?.(text, offset);
  }

  /** How comments are written in a language, for the ignore actions. */
  commentSyntax(languageId: string): CommentSyntax | undefined {
    return this.registry.definition(languageId)?.comment;
  }

  /** The document's outline, for formats that have one. */
  symbols(scan: FileScan, text: string): OutlineSymbol[] {
    if (scan.skipped) return [];
    return this.registry.definition(scan.languageId)?.symbols?.(text) ?? [];
  }

  serviceName(mention: PortMention): string | null {
    return this.catalog.describe(mention).service;
  }

  /**
   * The service name to show after each bare port number that starts in [start, end) (`1363` → `ndm-requester`):
   * none for a range, a name or a variable, nor where the port's line already names the service.
   */
  inlayHints(scan: FileScan, text: string, start: number, end: number): { offset: number; label: string }[] {
    const hints: { offset: number; label: string }[] = [];
    for (let index = countStartingBefore(scan.mentions, start); index < scan.mentions.length; index++) {
      const mention = scan.mentions[index];
      const { span } = mention;
      if (span.start >= end) break;
      if (mention.endPort !== null || hints.at(-1)?.offset === span.end) continue;
      if (!/^\d+$/.test(text.slice(span.start, span.end))) continue;
      const name = this.serviceName(mention);
      if (!name) continue;
      const line = lineAround(text, span.start);
      const lineText = text.slice(line.start, line.end).toLowerCase();
      if (!lineText.includes(name.toLowerCase())) hints.push({ offset: span.end, label: name });
    }
    return hints;
  }
}

/** The 1-based line of an offset in `text`, with the line starts found on first use. */
function lineNumbers(text: string): (offset: number) => number {
  let starts: number[] | undefined;
  return (offset) => lastAtOrBefore((starts ??= lineStarts(text)), offset) + 1;
}

/**
 * The mentions under `offset`, by binary search over mentions sorted by start; a cursor right after a port still
 * counts as on it. Several mentions share a span where one name opens several ports (a firewalld service).
 */
export function mentionsAt(mentions: readonly PortMention[], offset: number): PortMention[] {
  const upTo = countStartingBefore(mentions, offset + 1);
  for (let index = upTo - 1; index >= 0 && index >= upTo - 8; index--) {
    const { start, end } = mentions[index].span;
    if (offset < start || offset > end) continue;
    let first = index;
    while (first > 0 && mentions[first - 1].span.start === start && mentions[first - 1].span.end === end) first--;
    return mentions.slice(first, index + 1);
  }
  return [];
}
