import type { ServiceNameResolver } from './collector';
import type { ScanOutput, Span } from './mention';

/** What a scanner may ask of the engine while it reads a text. */
export interface ScanContext {
  resolveServiceName: ServiceNameResolver;
  /** Scans a text of another format held inside this one (a heredoc, a quoted string); spans are relative to it. */
  scanEmbedded(languageId: string, text: string): ScanOutput;
}

/** One format's reader: text in, port mentions and risk signals out, with spans relative to the text. */
export interface FormatScanner {
  scan(text: string, context: ScanContext): ScanOutput;
}

/** How a format is recognised and read. Every format of the engine is one of these. */
export interface FormatDefinition {
  /** The language id: the VS Code language and the CLI's `language` field. */
  languageId: string;
  /** False for formats met only inside other files (an sshd_config heredoc), which the CLI never reports as files. */
  standalone: boolean;
  /** Matched against the path, with forward slashes. */
  fileNames: RegExp[];
  /** Matched against the start of a file whose name does not tell. */
  content?: RegExp;
  /** Commands that read this format on their standard input or from a file argument (`iptables-restore`). */
  consumers?: string[];
  scanner: FormatScanner;
  /** A card for a word that is not a port (a Connect:Direct node name, `SNODE`), when the format has such words. */
  hover?(text: string, offset: number): { markdown: string; span: Span } | undefined;
  /** Outline entries (processes and steps, node records, tables and chains), for the Outline view and breadcrumbs. */
  symbols?(text: string): OutlineSymbol[];
}

export type OutlineSymbolKind = 'process' | 'step' | 'record' | 'node' | 'table' | 'chain' | 'zone' | 'section' | 'variable';

/** One entry of a document's outline: `span` covers the whole construct, `selection` its name. */
export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineSymbolKind;
  span: Span;
  selection: Span;
  children?: OutlineSymbol[];
}
