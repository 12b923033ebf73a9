import { dirname, join } from 'node:path';
import type { ServiceNameResolver } from './collector';
import type { FormatDefinition, ScanContext } from './format';
import type { ScanOutput } from './mention';
import { WorkBudget } from './workBudget';
import { loadShellParser } from './shell/parser';
import { serviceConfigFormats } from './serviceConfigs/format';
import { shellFormat } from './shell/format';
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

  /** `readFile` reads a file the scanned file points to (see ScanContext.readNearby); given only for a file on disk. */
  scan(
    languageId: string,
    text: string,
    resolveServiceName: ServiceNameResolver,
    path?: string,
    readFile?: (path: string) => string | undefined,
  ): ScanOutput {
    return this.scanAtDepth(languageId, text, resolveServiceName, path, readFile, 0, WorkBudget.forText(text.length));
  }

  private scanAtDepth(
    languageId: string,
    text: string,
    resolveServiceName: ServiceNameResolver,
    path: string | undefined,
    readFile: ((path: string) => string | undefined) | undefined,
    depth: number,
    budget: WorkBudget,
  ): ScanOutput {
    const definition = this.byLanguage.get(languageId);
    if (!definition) return { mentions: [], signals: [] };
    const context: ScanContext = {
      resolveServiceName,
      path,
      budget,
      // An embedded text's path is where a script writes it, on some other machine: nothing is read beside it.
      scanEmbedded: (embeddedLanguage, embeddedText, embeddedPath) =>
        depth >= MAX_EMBEDDING_DEPTH
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
              embeddedText,
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

function replaceOrAdd(
  list: FormatDefinition[],
  known: FormatDefinition | undefined,
  definition: FormatDefinition,
): void {
  const at = known ? list.indexOf(known) : -1;
  if (at >= 0) list[at] = definition;
  else list.push(definition);
}

/** The registry of every format that has landed; the shell parser loads asynchronously, once. */
export async function createFormatRegistry(): Promise<FormatRegistry> {
  const parser = await loadShellParser();
  const registry = new FormatRegistry();
  registry.register(shellFormat(parser, registry));
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
  return registry;
}
