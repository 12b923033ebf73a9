import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Severity } from '../rules/finding';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'compact' | 'github';
export type FailOn = Severity | 'none';
export type ColourChoice = 'auto' | 'always' | 'never';

export interface ScanArguments {
  paths: string[];
  format: OutputFormat;
  failOn: FailOn;
  language?: string;
  config?: string;
  /** Read settings only from `--config`, never from a `.portlens.json` in the scanned folder. */
  noConfigLookup: boolean;
  /** Colours in the text report: `auto` for a terminal, unless NO_COLOR is set. */
  color: ColourChoice;
  /** The name that the text read from standard input (PATH `-`) is reported and recognised by. */
  stdinFilename?: string;
  /** Where the scan cache is kept, when `--cache` asks for one. */
  cacheFile?: string;
  /** The file the report is written to (`-o`), instead of standard output. */
  output?: string;
  /** Severities set on the command line (`--rule ID=SEVERITY`), over the settings file's. */
  rules: Record<string, string>;
  /** `.gitignore` patterns of files and folders the walk passes over (`--exclude`). */
  exclude: string[];
}

export class UsageError extends Error {}

export const USAGE = `Usage: portlens scan [--format text|json|sarif|compact|github] [--fail-on error|warning|information|none] [--language ID]
                     [--config FILE] [--no-config-lookup] [--color auto|always|never]
                     [--stdin-filename NAME] [--cache [--cache-location PATH]] [-o FILE]
                     [--rule ID=SEVERITY]... [--exclude PATTERN]... [--] [PATH...]
       portlens --version | --help

Finds every port in shell scripts (and the formats Port Lens reads) under each PATH (default: the current
folder), says what each line does with it, and reports risky exposure.

  --format     text (default): a readable report grouped by file; json: one JSON document (the contract);
               sarif: SARIF 2.1.0 for code-scanning services; compact: one finding per line,
               FILE:LINE:COL: SEVERITY: MESSAGE [RULE], for editors' problem matchers; github: workflow
               commands that annotate a pull request (::error file=...,line=...::message)
  --fail-on    exit 1 when a finding is at or above this severity (default: error)
  --language   read every file as this language instead of detecting it
  --config     settings as in the editor (rules, trustedNetworks, customPorts, maxFileSizeMB,
               ignoreInlineSuppressions); default: the nearest .portlens.json from the scanned folder up to
               the root of its git repository (outside a repository, only the scanned folder's)
  --no-config-lookup
               never read a .portlens.json from the scanned folder, only --config: in CI on pull requests, so
               that a change cannot carry settings that let itself through the gate
  --color      colours in the text report: auto (default) for a terminal unless NO_COLOR is set and not
               empty; always; never
  --stdin-filename
               the name of the text read from standard input (PATH -), for its language and the report;
               an editor or a pre-commit hook passes the file's own path
  -o, --output FILE
               write the report to FILE instead of standard output (no colours unless --color always)
  --rule ID=SEVERITY
               set a rule's severity (error, warning, information, hint, off) over the settings file's; may
               be given more than once
  --exclude PATTERN
               pass over what this .gitignore pattern matches under each scanned folder (vendor/, *.test.sh);
               may be given more than once; a file named as a PATH is scanned all the same
  --cache      keep what each file gave in a cache, and read again only the files that changed since
  --cache-location
               the cache file, or a folder to keep .portlenscache in (default: ./.portlenscache)
  --           every argument after it is a PATH, even one that starts with -

A PATH of - reads the text of one file from standard input.

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or internal error.`;

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'compact', 'github'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'information', 'hint', 'none'];
const COLOUR_CHOICES: readonly ColourChoice[] = ['auto', 'always', 'never'];

/** The options of `portlens scan`, as `node:util` `parseArgs` reads them. */
const OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  language: { type: 'string' },
  config: { type: 'string' },
  'no-config-lookup': { type: 'boolean' },
  color: { type: 'string' },
  'stdin-filename': { type: 'string' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  output: { type: 'string', short: 'o' },
  rule: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

/**
 * Reads `scan [OPTION...] [--] [PATH...]` with `node:util` `parseArgs`: `--opt=value` or `--opt value`, `-o FILE`,
 * options anywhere among the paths, and after `--` every argument a path. Its errors become usage errors that
 * name the option as the user wrote it.
 */
export function parseArguments(argv: readonly string[]): ScanArguments {
  const [command, ...rest] = argv;
  if (command !== 'scan') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
  let values: ReturnType<typeof readOptions>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = readOptions(rest));
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }, rest));
  }
  const rules: Record<string, string> = {};
  for (const rule of values.rule ?? []) {
    const equalsAt = rule.indexOf('=');
    if (equalsAt < 1) throw new UsageError(`--rule takes ID=SEVERITY, not '${rule}'`);
    rules[rule.slice(0, equalsAt)] = rule.slice(equalsAt + 1);
  }
  const parsed: ScanArguments = {
    paths: positionals.length > 0 ? positionals : ['.'],
    format: oneOf('--format', values.format ?? 'text', FORMATS),
    failOn: oneOf('--fail-on', values['fail-on'] ?? 'error', FAIL_ON),
    language: values.language,
    config: values.config,
    noConfigLookup: values['no-config-lookup'] ?? false,
    color: oneOf('--color', values.color ?? 'auto', COLOUR_CHOICES),
    stdinFilename: values['stdin-filename'],
    output: values.output,
    rules,
    exclude: values.exclude ?? [],
  };
  const cacheLocation = values['cache-location'];
  if (cacheLocation !== undefined && !values.cache) throw new UsageError('--cache-location needs --cache');
  if (values.cache) parsed.cacheFile = cacheFileAt(cacheLocation ?? '.');
  if (parsed.stdinFilename !== undefined && !parsed.paths.includes('-'))
    throw new UsageError('--stdin-filename names the text read from standard input, given as -');
  return parsed;
}

function readOptions(args: readonly string[]) {
  return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
}

/** What went wrong, in the words of the usage text: `--format needs a value`, `--cache takes no value`. */
function usageMessage(error: Error & { code?: string }, args: readonly string[]): string {
  const name = /--[a-z][a-z-]*/.exec(error.message)?.[0] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${/'([^']*)'/.exec(error.message)?.[1] ?? ''}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // A boolean given a value (`--cache=yes`), or a string option at the end with none.
      return args.some((arg) => arg.startsWith(`${name}=`)) ? `${name} takes no value` : `${name} needs a value`;
    default:
      return error.message;
  }
}

/** `--cache-location`: a folder (existing, or written with a trailing slash) holds `.portlenscache`; else it is the file. */
function cacheFileAt(location: string): string {
  const isFolder = /[/\\]$/.test(location) || (existsSync(location) && statSync(location).isDirectory());
  return isFolder ? join(location, CACHE_FILE_NAME) : location;
}

const CACHE_FILE_NAME = '.portlenscache';

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not '${value}'`);
  return value as T;
}
