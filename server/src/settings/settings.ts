import type { CustomPortNote, RiskClass } from '../catalog/types';
import { LOG_LEVELS, type LogLevel } from '../logging/logger';
import { RULES, type RuleLevel } from '../rules/catalog';
import { parseIpv4, parseIpv6 } from '../scan/exposure';

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

/**
 * The settings, defined once: the JSON schema that package.json contributes (a test checks they agree) and
 * how a raw value from the editor or a `.portlens.json` becomes a typed one. Bad values fall back to defaults.
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
    read(value: unknown): Record<string, RuleLevel> {
      const levels: Record<string, RuleLevel> = Object.fromEntries(RULES.map((rule) => [rule.id, rule.defaultLevel]));
      if (!isRecord(value)) return levels;
      for (const [id, level] of Object.entries(value)) {
        if (id in levels && LEVELS.includes(level as RuleLevel)) levels[id] = level as RuleLevel;
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
    read(value: unknown): string[] {
      if (!Array.isArray(value)) return [...DEFAULT_TRUSTED_NETWORKS];
      return value
        .filter((item): item is string => typeof item === 'string' && isNetwork(item.trim()))
        .map((item) => item.trim());
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
    read(value: unknown): Record<string, CustomPortNote> {
      if (!isRecord(value)) return {};
      const notes: Record<string, CustomPortNote> = {};
      for (const [key, raw] of Object.entries(value)) {
        if (!isRecord(raw)) continue;
        notes[key] = {
          name: typeof raw.name === 'string' ? raw.name : undefined,
          note: typeof raw.note === 'string' ? raw.note : undefined,
          risk: RISKS.includes(raw.risk as RiskClass) ? (raw.risk as RiskClass) : undefined,
        };
      }
      return notes;
    },
  },
  maxFileSizeMB: {
    schema: {
      type: 'number',
      default: 5,
      minimum: 0,
      markdownDescription: 'Files larger than this many megabytes are reported as skipped instead of scanned.',
      scope: 'resource',
    },
    read(value: unknown): number {
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 5;
    },
  },
  ignoreInlineSuppressions: {
    schema: {
      type: 'boolean',
      default: false,
      markdownDescription:
        'Report findings even where a `portlens-ignore` comment suppresses them (for CI gates that must not be silenced in the file itself).',
      scope: 'resource',
    },
    read(value: unknown): boolean {
      return value === true;
    },
  },
  logLevel: {
    schema: {
      type: 'string',
      enum: [...LOG_LEVELS],
      default: 'info',
      markdownDescription:
        'How much the language server writes to its output channel (Output › Port Lens): `error`, `warn`, `info` or `debug`.',
      scope: 'window',
    },
    read(value: unknown): LogLevel {
      return LOG_LEVELS.includes(value as LogLevel) ? (value as LogLevel) : 'info';
    },
  },
  'trace.server': {
    schema: {
      type: 'string',
      enum: ['off', 'messages', 'verbose'],
      default: 'off',
      markdownDescription:
        "Traces the messages between VS Code and the Port Lens language server in its output channel; `verbose` also turns the server's own log to `debug`.",
      scope: 'window',
    },
    read(value: unknown): 'off' | 'messages' | 'verbose' {
      return value === 'messages' || value === 'verbose' ? value : 'off';
    },
  },
} as const;

export type SettingName = keyof typeof SETTING_DEFINITIONS;

/**
 * The server's log level from the editor's `portLens` settings: `logLevel`, raised to `debug` when the client
 * traces the protocol verbosely. Kept apart from PortLensSettings: it changes no scan.
 */
export function readLogLevel(raw: unknown): LogLevel {
  const source = isRecord(raw) ? raw : {};
  const trace = isRecord(source.trace) ? SETTING_DEFINITIONS['trace.server'].read(source.trace.server) : 'off';
  return trace === 'verbose' ? 'debug' : SETTING_DEFINITIONS.logLevel.read(source.logLevel);
}

/** The namespace of every key in package.json and of the CLI's `.portlens.json` file. */
export const SETTINGS_SECTION = 'portLens';

export function readSettings(raw: unknown): PortLensSettings {
  const source = isRecord(raw) ? raw : {};
  return {
    rules: SETTING_DEFINITIONS.rules.read(source.rules),
    trustedNetworks: SETTING_DEFINITIONS.trustedNetworks.read(source.trustedNetworks),
    customPorts: SETTING_DEFINITIONS.customPorts.read(source.customPorts),
    maxFileSizeMB: SETTING_DEFINITIONS.maxFileSizeMB.read(source.maxFileSizeMB),
    ignoreInlineSuppressions: SETTING_DEFINITIONS.ignoreInlineSuppressions.read(source.ignoreInlineSuppressions),
  };
}

export const DEFAULT_SETTINGS: PortLensSettings = readSettings({});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
