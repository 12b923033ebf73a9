import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Reads `scan [PATH...] [--format F] [--fail-on S] [--language ID] [--config FILE] [--no-config-lookup]`, with
 * `--opt=value` or `--opt value`; after `--`, every argument is a path.
 */
export function parseArguments(argv: readonly string[]): ScanArguments {
  const [command, ...rest] = argv;
  if (command !== 'scan') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
  const parsed: ScanArguments = {
    paths: [],
    format: 'text',
    failOn: 'error',
    noConfigLookup: false,
    color: 'auto',
    rules: {},
    exclude: [],
  };
  let cache = false;
  let cacheLocation: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index];
    if (arg === '--') {
      for (const path of rest.slice(index + 1)) parsed.paths.push(path);
      break;
    }
    if (!arg.startsWith('--') && arg !== '-o') {
      parsed.paths.push(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = arg === '-o' ? '--output' : equals < 0 ? arg : arg.slice(0, equals);
    const value = () => {
      if (equals >= 0) return arg.slice(equals + 1);
      const next = rest[++index];
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--format':
        parsed.format = oneOf(name, value(), FORMATS);
        break;
      case '--fail-on':
        parsed.failOn = oneOf(name, value(), FAIL_ON);
        break;
      case '--language':
        parsed.language = value();
        break;
      case '--color':
        parsed.color = oneOf(name, value(), COLOUR_CHOICES);
        break;
      case '--config':
        parsed.config = value();
        break;
      case '--stdin-filename':
        parsed.stdinFilename = value();
        break;
      case '--no-config-lookup':
        if (equals >= 0) throw new UsageError(`${name} takes no value`);
        parsed.noConfigLookup = true;
        break;
      case '--cache':
        if (equals >= 0) throw new UsageError(`${name} takes no value`);
        cache = true;
        break;
      case '--cache-location':
        cacheLocation = value();
        break;
      case '--output':
        parsed.output = value();
        break;
      case '--exclude':
        parsed.exclude.push(value());
        break;
      case '--rule': {
        const rule = value();
        const equalsAt = rule.indexOf('=');
        if (equalsAt < 1) throw new UsageError(`--rule takes ID=SEVERITY, not '${rule}'`);
        parsed.rules[rule.slice(0, equalsAt)] = rule.slice(equalsAt + 1);
        break;
      }
      default:
        throw new UsageError(`unknown option '${name}'`);
    }
  }
  if (parsed.paths.length === 0) parsed.paths.push('.');
  if (cacheLocation !== undefined && !cache) throw new UsageError('--cache-location needs --cache');
  if (cache) parsed.cacheFile = cacheFileAt(cacheLocation ?? '.');
  if (parsed.stdinFilename !== undefined && !parsed.paths.includes('-'))
    throw new UsageError('--stdin-filename names the text read from standard input, given as -');
  return parsed;
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
