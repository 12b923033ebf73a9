import { dirname, join } from 'node:path';
import type { ServiceNameResolver } from './collector';
import type { FormatDefinition, ScanContext } from './format';
import type { ScanOutput } from './mention';
import { TextAnalyses } from './textAnalyses';
import { WorkBudget } from './workBudget';
import { loadShellParser, loadedShellParser } from './shell/parser';
import { serviceConfigFormats } from './serviceConfigs/format';
import { shellFormat } from './shell/format';
import { SHELL } from './shell/scriptWalk';
import { sshdConfigFormat } from './sshd/format';
import { firewalldFormat } from './firewalld/format';
import { iptablesFormat } from './iptables/format';
import { ufwProfileFormat, ufwRulesFormat } from './ufw/format';
import { nftablesFormat } from './nftables/format';
import { pfFormat } from './pf/format';
import { connectDirectFormats } from './connectdirect/format';

export const UNKNOWN_LANGUAGE = 'unknown';

/** Formats held inside other formats nest (a heredoc in a `bash -c` string in an ssh command); this bounds it. */
const MAX_EMBEDDING_DEPTH = 6;

/**
 * Every format the engine reads, how to recognise it, and how to scan it. The CLI's language detection,
 * the shell scanner's routing of heredocs, and the editor's scans all go through here.
 */
export class FormatRegistry {
  /** @param loadParser loads the shell parser (a test counts its calls). */
  constructor(private readonly loadParser: () => Promise<unknown> = loadShellParser) {}

  private readonly definitions: FormatDefinition[] = [];
  /** The formats a file can be on its own, in the order detection tries them (the CLI asks for every file). */
  private readonly standalone: FormatDefinition[] = [];
  private readonly byLanguage = new Map<string, FormatDefinition>();

  /** Adds a format; a second definition of the same language takes the first one's place. */
  register(definition: FormatDefinition): void {
    const known = this.byLanguage.get(definition.languageId);
    replaceOrAdd(this.definitions, known, definition);
    if (definition.standalone) replaceOrAdd(this.standalone, known, definition);
    this.byLanguage.set(definition.languageId, definition);
  }

  get languageIds(): string[] {
    return this.standalone.map((definition) => definition.languageId);
  }

  has(languageId: string): boolean {
    return this.byLanguage.get(languageId)?.standalone === true;
  }

  /** The language of a file, from its name first and then from its first lines; `unknown` if neither tells. */
  detect(path: string, head: string): string {
    return this.detectByName(path) ?? this.detectByContent(head);
  }

  /** The language a file's name tells, if it tells one. */
  detectByName(path: string): string | undefined {
    const normalized = path.includes('\\') ? path.replace(/\\/g, '/') : path;
    return this.standalone.find((definition) => definition.fileNames.some((pattern) => pattern.test(normalized)))
      ?.languageId;
  }

  /** The language a file's first lines tell, or `unknown`: for a file whose name tells none. */
  detectByContent(head: string): string {
    return this.standalone.find((definition) => definition.content?.test(head))?.languageId ?? UNKNOWN_LANGUAGE;
  }

  /** The format of a file a script writes to (`/etc/ssh/sshd_config`), embedded-only formats included. */
  languageForPath(path: string): string | undefined {
    const normalized = path.replace(/^['"]|['"]$/g, '');
    return this.definitions.find((definition) => definition.fileNames.some((pattern) => pattern.test(normalized)))
      ?.languageId;
  }

  /** The format a program reads on its standard input (`iptables-restore`, `nft`). */
  languageForConsumer(program: string): string | undefined {
    return this.definitions.find((definition) => definition.consumers?.includes(program))?.languageId;
  }

  definition(languageId: string): FormatDefinition | undefined {
    return this.byLanguage.get(languageId);
  }

  /** Loads what scanning a text of `languageId` needs: the shell parser, if the text is shell or may hold some. */
  async prepare(languageId: string): Promise<void> {
    if (this.reaches(languageId, SHELL)) await this.loadParser();
  }

  /** Whether a text of `from` can be, or hold, a text of `to`, through the formats each one hands text to. */
  private reaches(from: string, to: string, seen = new Set<string>()): boolean {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    const embeds = this.byLanguage.get(from)?.embeds ?? [];
    const next = embeds === 'any' ? this.definitions.map((definition) => definition.languageId) : embeds;
    return next.some((language) => this.reaches(language, to, seen));
  }

  /** `readFile` reads a file the scanned file points to (see ScanContext.readNearby); given only for a file on disk. */
  scan(
    languageId: string,
    text: string,
    resolveServiceName: ServiceNameResolver,
    path?: string,
    readFile?: (path: string) => string | undefined,
    analyses = new TextAnalyses(text),
  ): ScanOutput {
    const budget = WorkBudget.forText(text.length);
    return this.scanAtDepth(languageId, analyses, resolveServiceName, path, readFile, 0, budget);
  }

  private scanAtDepth(
    languageId: string,
    analyses: TextAnalyses,
    resolveServiceName: ServiceNameResolver,
    path: string | undefined,
    readFile: ((path: string) => string | undefined) | undefined,
    depth: number,
    budget: WorkBudget,
  ): ScanOutput {
    const definition = this.byLanguage.get(languageId);
    if (!definition) return { mentions: [], signals: [] };
    const { text } = analyses;
    const context: ScanContext = {
      resolveServiceName,
      path,
      budget,
      analyses,
      // An embedded text's path is where a script writes it, on some other machine: nothing is read beside it.
      scanEmbedded: (embeddedLanguage, embeddedText, embeddedPath) =>
        !embedsLanguage(definition, embeddedLanguage)
          ? failUndeclared(definition, embeddedLanguage)
          : depth >= MAX_EMBEDDING_DEPTH
            ? {
                mentions: [],
                signals: [],
                shortfalls: [
                  {
                    reason: `text nested more than ${MAX_EMBEDDING_DEPTH} formats deep was not read`,
                    span: { start: 0, end: 0 },
                  },
                ],
              }
            : this.scanAtDepth(
                embeddedLanguage,
                new TextAnalyses(embeddedText),
                resolveServiceName,
                embeddedPath,
                undefined,
                depth + 1,
                budget,
              ),
    };
    if (readFile && path) context.readNearby = (relativePath) => readFile(join(dirname(path), relativePath));
    return definition.scanner.scan(text, context);
  }
}

function embedsLanguage(definition: FormatDefinition, languageId: string): boolean {
  return definition.embeds === 'any' || (definition.embeds?.includes(languageId) ?? false);
}

/** `prepare` loads what a format's declared embeddings need, so an undeclared one is a bug, and fails as one. */
function failUndeclared(definition: FormatDefinition, languageId: string): never {
  throw new Error(`${definition.languageId} handed text to ${languageId}, which its definition does not declare`);
}

function replaceOrAdd(
  list: FormatDefinition[],
  known: FormatDefinition | undefined,
  definition: FormatDefinition,
): void {
  const at = known ? list.indexOf(known) : -1;
  if (at >= 0) list[at] = definition;
  else list.push(definition);
}

/**
 * The registry of every format that has landed. The shell parser loads asynchronously, once: at once, or with
 * `parserOnDemand` when the first text that can hold shell is about to be scanned (see FormatRegistry.prepare).
 */
export async function createFormatRegistry(
  options: { parserOnDemand?: boolean; loadParser?: () => Promise<unknown> } = {},
): Promise<FormatRegistry> {
  const registry = new FormatRegistry(options.loadParser);
  registry.register(shellFormat(loadedShellParser, registry));
  registry.register(sshdConfigFormat);
  for (const definition of serviceConfigFormats) registry.register(definition);
  // ufw's rule files are iptables-save files too: ufw goes first so its chains decide the content detection.
  registry.register(ufwRulesFormat);
  registry.register(ufwProfileFormat);
  registry.register(iptablesFormat);
  registry.register(firewalldFormat);
  registry.register(nftablesFormat);
  registry.register(pfFormat);
  for (const definition of connectDirectFormats()) registry.register(definition);
  if (!options.parserOnDemand) await registry.prepare(SHELL);
  return registry;
}
