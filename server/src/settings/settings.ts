import type { CustomPortNote, RiskClass } from '../catalog/types';

/** Every setting of Port Lens, typed, as the server and the CLI use them. */
export interface PortLensSettings {
  customPorts: Record<string, CustomPortNote>;
  maxFileSizeMB: number;
}

const RISKS: readonly RiskClass[] = ['critical', 'sensitive', 'standard'];

/**
 * The settings, defined once: the JSON schema that package.json contributes (a test checks they agree) and
 * how a raw value from the editor or a `.portlens.json` becomes a typed one. Bad values fall back to defaults.
 */
export const SETTING_DEFINITIONS = {
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
} as const;

export type SettingName = keyof typeof SETTING_DEFINITIONS;

/** The namespace of every key in package.json and of the CLI's `.portlens.json` file. */
export const SETTINGS_SECTION = 'portLens';

export function readSettings(raw: unknown): PortLensSettings {
  const source = isRecord(raw) ? raw : {};
  return {
    customPorts: SETTING_DEFINITIONS.customPorts.read(source.customPorts),
    maxFileSizeMB: SETTING_DEFINITIONS.maxFileSizeMB.read(source.maxFileSizeMB),
  };
}

export const DEFAULT_SETTINGS: PortLensSettings = readSettings({});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
