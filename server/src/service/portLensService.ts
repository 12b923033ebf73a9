import { PortCatalog } from '../catalog/catalog';
import type { Protocol } from '../catalog/types';
import { portHover } from '../features/hover';
import type { RuleContext } from '../rules/context';
import { evaluateRules } from '../rules/evaluate';
import type { Finding } from '../rules/finding';
import type { PortMention, RiskSignal, Span } from '../scan/mention';
import type { CommentSyntax, OutlineSymbol } from '../scan/format';
import { type FormatRegistry, UNKNOWN_LANGUAGE, createFormatRegistry } from '../scan/registry';
import { DEFAULT_SETTINGS, type PortLensSettings } from '../settings/settings';

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

/**
 * The Port Lens language service: text in, plain data out. It holds no connection and knows nothing of
 * VS Code, so the LSP server, the CLI and the tests share it (the yaml-language-server pattern).
 */
export class PortLensService {
  private catalog: PortCatalog;

  private constructor(
    private readonly registry: FormatRegistry,
    private settings: PortLensSettings,
    baseCatalog: PortCatalog,
  ) {
    this.catalog = baseCatalog.withCustomPorts(settings.customPorts);
  }

  static async create(settings: PortLensSettings = DEFAULT_SETTINGS): Promise<PortLensService> {
    return new PortLensService(await createFormatRegistry(), settings, new PortCatalog());
  }

  get languageIds(): string[] {
    return this.registry.languageIds;
  }

  configure(settings: PortLensSettings): void {
    this.settings = settings;
    this.catalog = this.catalog.withCustomPorts(settings.customPorts);
  }

  detectLanguage(path: string, text: string): string {
    return this.registry.detect(path, text.slice(0, 4096));
  }

  scan(request: ScanRequest): FileScan {
    const { text } = request;
    const languageId =
      request.languageId && this.registry.has(request.languageId)
        ? request.languageId
        : this.detectLanguage(request.path ?? '', text);
    const empty: FileScan = { languageId, mentions: [], signals: [], findings: [], notices: [] };
    const limit = this.settings.maxFileSizeMB * 1024 * 1024;
    const size = request.byteLength ?? Buffer.byteLength(text, 'utf8');
    if (size > limit) {
      return { ...empty, skipped: `larger than the ${this.settings.maxFileSizeMB} MB limit (portLens.maxFileSizeMB)` };
    }
    if (text.slice(0, BINARY_PROBE_LENGTH).includes('\u0000')) return { ...empty, skipped: 'binary file' };
    if (languageId === UNKNOWN_LANGUAGE) return empty;
    try {
      const resolveName = (name: string, protocol: Protocol) => this.catalog.iana.portForName(name, protocol);
      const { mentions, signals } = this.registry.scan(languageId, text, resolveName, request.path);
      mentions.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
      const context: RuleContext = {
        text,
        mentions,
        signals,
        catalog: this.catalog,
        settings: this.settings,
        fixesFor: (language) => this.registry.definition(language)?.fixes,
      };
      const findings = evaluateRules(context, this.registry.definition(languageId)!.comment);
      return { ...empty, mentions, signals, findings };
    } catch (error) {
      return { ...empty, notices: [`Port Lens could not finish reading this file: ${(error as Error).message}`] };
    }
  }

  /** The card for the port under `offset`, or the format's own card for the word there (a node name). */
  hover(scan: FileScan, text: string, offset: number): HoverResult | undefined {
    const mention = mentionAt(scan.mentions, offset);
    if (mention) return { markdown: portHover(mention, this.catalog), span: mention.span };
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
    return this.catalog.lookup(mention.port, mention.protocol).service;
  }
}

/** Binary search over mentions sorted by start; a cursor right after a port still counts as on it. */
export function mentionAt(mentions: readonly PortMention[], offset: number): PortMention | undefined {
  let low = 0;
  let high = mentions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (mentions[mid].span.start <= offset) low = mid + 1;
    else high = mid;
  }
  for (let index = low - 1; index >= 0 && index >= low - 8; index--) {
    const { start, end } = mentions[index].span;
    if (offset >= start && offset <= end) return mentions[index];
  }
  return undefined;
}
