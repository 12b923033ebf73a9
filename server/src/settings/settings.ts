import type { CustomPortNote, RiskClass } from '../catalog/types';
import { LOG_LEVELS, type LogLevel } from '../logging/logger';
import { parsePortKey } from '../catalog/catalog';
import { RULES, type RuleLevel } from '../rules/catalog';
import { classifyAddress, parseIpv4, parseIpv6 } from '../scan/exposure';

/** Every setting of Port Lens, typed, as the server and the CLI use them. */
export interface PortLensSettings {
  rules: Record<string, RuleLevel>;
  trustedNetworks: string[];
  customPorts: Record<string, CustomPortNote>;
  maxFileSizeMB: number;
  ignoreInlineSuppressions: boolean;
}

const LEVELS: readonly RuleLevel[] = ['error', 'warning', 'information', 'hint', 'off'];
const DEFAULT_TRUSTED_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** An IPv4 or IPv6 address, optionally with a prefix length: what the restrict-source fixes write into rules. */
export function isNetwork(text: string): boolean {
  const [address, prefix, extra] = text.split('/');
  if (extra !== undefined) return false;
  const v4 = parseIpv4(address) !== undefined;
  const v6 = !v4 && parseIpv6(address) !== undefined;
  if (!v4 && !v6) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128));
}

const RISKS: readonly RiskClass[] = ['critical', 'sensitive', 'standard'];
const NOTE_PROPERTIES = new Set(['name', 'note', 'risk']);

/**
 * Says what is wrong with a setting's value, or with the part of it at `key` (`.exposed-port`, `[2]`);
 * `beyondSchema` when the settings' JSON schema cannot see it (a string that is no network).
 */
type Complaint = (message: string, key?: string, beyondSchema?: boolean) => void;

/**
 * Receives each invalid setting: its key (`rules.exposed-port`, `trustedNetworks[2]`), what is wrong, and whether
 * the JSON schema that an editor checks `.portlens.json` with could not see it.
 */
export type SettingProblemHandler = (key: string, message: string, beyondSchema: boolean) => void;

/** A true-or-false setting: anything else takes the default, with a complaint. */
function booleanSetting(defaultValue: boolean, markdownDescription: string, scope: 'resource' | 'window') {
  return {
    schema: { type: 'boolean', default: defaultValue, markdownDescription, scope },
    read(value: unknown, complain: Complaint = () => {}): boolean {
      if (value !== undefined && typeof value !== 'boolean') complain('must be true or false');
      return typeof value === 'boolean' ? value : defaultValue;
    },
  } as const;
}

/**
 * The settings, defined once: the JSON schema that package.json contributes (a test checks they agree) and
 * how a raw value from the editor or a `.portlens.json` becomes a typed one. An absent value takes the default; a
 * bad one takes it too, with a complaint, so that a mistake in the settings is never silently a laxer scan.
 */
export const SETTING_DEFINITIONS = {
  rules: {
    schema: {
      type: 'object',
      default: {},
      markdownDescription:
        'Severity per rule, or `off`. Keys are rule ids (see docs/rules); for exposure rules the value is the severity for a port open to any source, and narrower sources are one level lower per step. Example: `{ "exposed-sensitive-port": "error", "cleartext-protocol": "off" }`.',
      properties: Object.fromEntries(
        RULES.map((rule) => [
          rule.id,
          { type: 'string', enum: [...LEVELS], default: rule.defaultLevel, description: rule.description },
        ]),
      ),
      additionalProperties: false,
      scope: 'resource',
    },
    read(value: unknown, complain: Complaint): Record<string, RuleLevel> {
      const levels: Record<string, RuleLevel> = Object.fromEntries(RULES.map((rule) => [rule.id, rule.defaultLevel]));
      if (!isObjectSetting(value, complain, 'an object of rule ids and levels')) return levels;
      for (const [id, level] of Object.entries(value)) {
        if (!Object.hasOwn(levels, id)) complain('unknown rule id (the rules are listed in docs/rules)', `.${id}`);
        else if (!LEVELS.includes(level as RuleLevel)) complain(`must be one of ${LEVELS.join(', ')}`, `.${id}`);
        else levels[id] = level as RuleLevel;
      }
      return levels;
    },
  },
  trustedNetworks: {
    schema: {
      type: 'array',
      items: { type: 'string' },
      default: DEFAULT_TRUSTED_NETWORKS,
      markdownDescription:
        'The networks that the "Restrict the source" quick fix lets in, written as addresses or CIDRs (`10.20.0.0/16`, `2001:db8::/32`).',
      scope: 'resource',
    },
    read(value: unknown, complain: Complaint): string[] {
      if (value === undefined) return [...DEFAULT_TRUSTED_NETWORKS];
      if (!Array.isArray(value)) {
        complain('must be a list of addresses or CIDRs');
        return [...DEFAULT_TRUSTED_NETWORKS];
      }
      const networks: string[] = [];
      value.forEach((item: unknown, index) => {
        const network = typeof item === 'string' ? item.trim() : '';
        if (!isNetwork(network))
          complain('must be an IPv4 or IPv6 address or CIDR (10.20.0.0/16)', `[${index}]`, typeof item === 'string');
        // Restricting a rule's source to one the scan reads as any source would leave it as open as before.
        else if (classifyAddress(network) === 'any')
          complain('counts as any source, so "Restrict the source" would restrict nothing', `[${index}]`, true);
        else networks.push(network);
      });
      return networks;
    },
  },
  customPorts: {
    schema: {
      type: 'object',
      default: {},
      markdownDescription:
        'Your own notes on ports, which win over the built-in catalog. Keys are a port, a range or either with a protocol (`9443`, `9000-9010/udp`). Example: `{ "9443/tcp": { "name": "payroll-api", "note": "In-house payroll API; only from 10.20.0.0/16", "risk": "critical" } }`.',
      patternProperties: {
        '^\\d{1,5}(-\\d{1,5})?(/(tcp|udp|sctp|dccp))?$': {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'The service name to show for this port.' },
            note: { type: 'string', description: 'What the port is for in your organisation.' },
            risk: { type: 'string', enum: [...RISKS], description: 'The risk class that the severity policy applies.' },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
      scope: 'resource',
    },
    read(value: unknown, complain: Complaint): Record<string, CustomPortNote> {
      const notes: Record<string, CustomPortNote> = {};
      if (!isObjectSetting(value, complain, 'an object of port notes')) return notes;
      for (const [key, raw] of Object.entries(value)) {
        const at = `.${key}`;
        const ports = parsePortKey(key);
        if (!ports || ports.first < 1) {
          complain('must be a port or range of ports from 1 to 65535 (9443, 9000-9010/udp)', at, true);
          continue;
        }
        if (!isObjectSetting(raw, (message) => complain(message, at), 'an object with name, note and risk')) continue;
        const text = (property: 'name' | 'note'): string | undefined => {
          const field = raw[property];
          if (typeof field === 'string') return field;
          if (field !== undefined) complain('must be a string', `${at}.${property}`);
          return undefined;
        };
        const risk = RISKS.find((known) => known === raw.risk);
        if (raw.risk !== undefined && !risk) complain(`must be one of ${RISKS.join(', ')}`, `${at}.risk`);
        for (const property of Object.keys(raw))
          if (!NOTE_PROPERTIES.has(property)) complain('unknown property (name, note or risk)', `${at}.${property}`);
        notes[key] = { name: text('name'), note: text('note'), risk };
      }
      return notes;
    },
  },
  maxFileSizeMB: {
    schema: {
      type: 'number',
      default: 5,
      exclusiveMinimum: 0,
      markdownDescription: 'Files larger than this many megabytes are reported as skipped instead of scanned.',
      scope: 'resource',
    },
    read(value: unknown, complain: Complaint): number {
      if (value === undefined) return 5;
      // A limit of 0 would skip every file, and a scan that reads nothing finds nothing.
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
      complain('must be a number of megabytes above 0');
      return 5;
    },
  },
  ignoreInlineSuppressions: booleanSetting(
    false,
    'Report findings even where a `portlens-ignore` comment suppresses them (for CI gates that must not be silenced in the file itself).',
    'resource',
  ),
  logLevel: {
    schema: {
      type: 'string',
      enum: [...LOG_LEVELS],
      default: 'info',
      markdownDescription:
        'How much the language server writes to its output channel (Output › Port Lens): `error`, `warn`, `info` or `debug`.',
      scope: 'window',
    },
    read(value: unknown, complain: Complaint = () => {}): LogLevel {
      if (LOG_LEVELS.includes(value as LogLevel)) return value as LogLevel;
      if (value !== undefined) complain(`must be one of ${LOG_LEVELS.join(', ')}`);
      return 'info';
    },
  },
  workspaceDiagnostics: booleanSetting(
    true,
    'Show the findings of files that are not open in the Problems panel, from the background scan of the workspace that the Ports view also reads.',
    'window',
  ),
  inlayHints: booleanSetting(
    false,
    'Show the service name after a bare port number (`1363` → `ndm-requester`), except where the line already names it.',
    'window',
  ),
  'trace.server': {
    schema: {
      type: 'string',
      enum: ['off', 'messages', 'verbose'],
      default: 'off',
      markdownDescription:
        "Traces the messages between VS Code and the Port Lens language server in its output channel; `verbose` also turns the server's own log to `debug`.",
      scope: 'window',
    },
    read(value: unknown, complain: Complaint = () => {}): 'off' | 'messages' | 'verbose' {
      if (value === 'off' || value === 'messages' || value === 'verbose') return value;
      if (value !== undefined) complain('must be one of off, messages, verbose');
      return 'off';
    },
  },
} as const;

export type SettingName = keyof typeof SETTING_DEFINITIONS;

/** The settings that shape what the editor shows, not what a scan finds: kept apart from PortLensSettings. */
export interface EditorSettings {
  /** `logLevel`, raised to `debug` when the client traces the protocol verbosely. */
  logLevel: LogLevel;
  workspaceDiagnostics: boolean;
  inlayHints: boolean;
}

/** The editor's settings from the `portLens` section; bad values take their defaults (readSettings reports them). */
export function readEditorSettings(raw: unknown): EditorSettings {
  const source = isRecord(raw) ? raw : {};
  const trace = isRecord(source.trace) ? SETTING_DEFINITIONS['trace.server'].read(source.trace.server) : 'off';
  return {
    logLevel: trace === 'verbose' ? 'debug' : SETTING_DEFINITIONS.logLevel.read(source.logLevel),
    workspaceDiagnostics: SETTING_DEFINITIONS.workspaceDiagnostics.read(source.workspaceDiagnostics),
    inlayHints: SETTING_DEFINITIONS.inlayHints.read(source.inlayHints),
  };
}

/** The namespace of every key in package.json and of the CLI's `.portlens.json` file. */
export const SETTINGS_SECTION = 'portLens';

/**
 * The scan's settings from the `portLens` section (or a `.portlens.json`), each invalid value replaced by its
 * default and handed to `onProblem`, as are keys that are no setting. Plain data in and out: the CLI prints the
 * problems, and an editor can show them where they are written.
 */
export function readSettings(raw: unknown, onProblem: SettingProblemHandler = () => {}): PortLensSettings {
  const source = isRecord(raw) ? raw : {};
  const complaint =
    (name: string): Complaint =>
    (message, key = '', beyondSchema = false) =>
      onProblem(`${name}${key}`, message, beyondSchema);
  for (const key of Object.keys(source))
    if (!Object.hasOwn(SETTING_DEFINITIONS, key) && key !== 'trace') onProblem(key, 'unknown setting', false);
  const settings: PortLensSettings = {
    rules: SETTING_DEFINITIONS.rules.read(source.rules, complaint('rules')),
    trustedNetworks: SETTING_DEFINITIONS.trustedNetworks.read(source.trustedNetworks, complaint('trustedNetworks')),
    customPorts: SETTING_DEFINITIONS.customPorts.read(source.customPorts, complaint('customPorts')),
    maxFileSizeMB: SETTING_DEFINITIONS.maxFileSizeMB.read(source.maxFileSizeMB, complaint('maxFileSizeMB')),
    ignoreInlineSuppressions: SETTING_DEFINITIONS.ignoreInlineSuppressions.read(
      source.ignoreInlineSuppressions,
      complaint('ignoreInlineSuppressions'),
    ),
  };
  // The editor's settings change no scan (readEditorSettings reads them), but they are checked like the rest.
  SETTING_DEFINITIONS.logLevel.read(source.logLevel, complaint('logLevel'));
  SETTING_DEFINITIONS.workspaceDiagnostics.read(source.workspaceDiagnostics, complaint('workspaceDiagnostics'));
  SETTING_DEFINITIONS.inlayHints.read(source.inlayHints, complaint('inlayHints'));
  const trace = isRecord(source.trace) ? source.trace.server : source['trace.server'];
  SETTING_DEFINITIONS['trace.server'].read(trace, complaint('trace.server'));
  return settings;
}

export const DEFAULT_SETTINGS: PortLensSettings = readSettings({});

/** A setting's name as a settings file may write it, with or without the `portLens.` prefix, as it is read. */
export function unprefixed(key: string): string {
  return key.startsWith(`${SETTINGS_SECTION}.`) ? key.slice(SETTINGS_SECTION.length + 1) : key;
}

/** A JSON object (not an array, not null): the shape of every settings source. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a setting's value is a JSON object; one that is present but is not is complained about. */
function isObjectSetting(value: unknown, complain: Complaint, what: string): value is Record<string, unknown> {
  if (isRecord(value)) return true;
  if (value !== undefined) complain(`must be ${what}`);
  return false;
}
