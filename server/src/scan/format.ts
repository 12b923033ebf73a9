import type { ServiceNameResolver } from './collector';
import type { PortMention, RiskSignal, ScanOutput, Span } from './mention';
import type { TextAnalyses } from './textAnalyses';
import type { WorkBudget } from './workBudget';

/** What a scanner may ask of the engine while it reads a text. */
export interface ScanContext {
  resolveServiceName: ServiceNameResolver;
  /** The file's path, when known: some formats name things after their file (a firewalld zone). */
  path?: string;
  /**
   * Scans a text of another format held inside this one (a heredoc, a quoted string); spans are relative to it.
   * `path` is the file the text is written to, when the script says.
   */
  scanEmbedded(languageId: string, text: string, path?: string): ScanOutput;
  /**
   * Reads a file beside the scanned one (`../services/myapp.xml` from a zone), as text; undefined when it is not
   * a regular file or cannot be read, and absent for text held inside another file, which has no folder.
   */
  readNearby?(relativePath: string): string | undefined;
  /** The file's work budget, shared with the scanners of texts embedded in it (see WorkBudget). */
  budget: WorkBudget;
  /** What has been read from this text already in this scan, for the fix builders to use again. */
  analyses: TextAnalyses;
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
  /** The formats this one hands text to through `ScanContext.scanEmbedded`; `any` for a shell script. */
  embeds?: readonly string[] | 'any';
  /** How comments are written, for suppression comments (`# portlens-ignore-next-line ...`). */
  comment: CommentSyntax;
  /** The format's own quick-fix edits; the rules decide when to offer them. */
  fixes?: FormatFixes;
  /** A card for a word that is not a port (a Connect:Direct node name, `SNODE`), when the format has such words. */
  hover?(text: string, offset: number): { markdown: string; span: Span } | undefined;
  /**
   * For a format whose rules are evaluated in order (a firewall), whether the rules of two ports may decide each
   * other's reading: a re-scan after an edit then reads the rules of the untouched lines that interact with the
   * edited ones together with them, and scans the whole text when their reading changes.
   */
  rulesInteract?: (a: PortMention, b: PortMention) => boolean;
  /** Outline entries (processes and steps, node records, tables and chains), for the Outline view and breadcrumbs. */
  symbols?(text: string): OutlineSymbol[];
}

export type OutlineSymbolKind =
  | 'process'
  | 'step'
  | 'record'
  | 'node'
  | 'table'
  | 'chain'
  | 'zone'
  | 'section'
  | 'variable';

/** One entry of a document's outline: `span` covers the whole construct, `selection` its name. */
export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineSymbolKind;
  span: Span;
  selection: Span;
  children?: OutlineSymbol[];
}

/** A line comment (`#`), or a block comment (C-style, or XML's) where the format has no line comment. */
export interface CommentSyntax {
  line?: string;
  block?: [open: string, close: string];
  /** True when a comment must start in column 1 (Connect:Direct UNIX configuration files). */
  firstColumnOnly?: boolean;
}

/** A replacement of `span` in the scanned text: what every quick fix is made of. */
export interface TextEdit {
  span: Span;
  newText: string;
}

/**
 * Fix builders a format provides, each returning the smallest edits that do what it says, in the format's own
 * syntax, or undefined when this statement cannot be changed safely that way.
 */
export interface FormatFixes {
  /** Let only `networks` reach the port of `mention` (iptables `-s`, nftables `ip saddr`, ufw `from`, ...). */
  restrictSource?(
    text: string,
    mention: PortMention,
    networks: readonly string[],
    analyses: TextAnalyses,
  ): TextEdit[] | undefined;
  /** Bind a listener or a publish to loopback (`-p 127.0.0.1:8080:80`, `tcp.api=127.0.0.1;1363`). */
  bindToLoopback?(text: string, mention: PortMention, analyses: TextAnalyses): TextEdit[] | undefined;
  /** Turn off a risk signal (`netmap.check=n` becomes `netmap.check=y`). */
  resolveSignal?(text: string, signal: RiskSignal, analyses: TextAnalyses): TextEdit[] | undefined;
}
