import type { RiskClass } from '../catalog/types';
import type { Exposure } from '../scan/mention';
import type { RuleLevel } from './catalog';
import type { Severity } from './finding';

const LADDER: readonly Severity[] = ['error', 'warning', 'information'];

/** How many levels below the rule's severity each exposure falls (GUIDE section 2's table). */
const EXPOSURE_STEPS: Record<Exposure, number | undefined> = {
  any: 0,
  public: 1,
  private: 2,
  unknown: undefined,
  loopback: undefined,
};

/**
 * The severity of an exposure finding. The rule's level applies to a port open to any source; a public source is
 * one level lower and a private one two, falling off the ladder below information. Loopback never reports.
 * Unresolved sources earn information at most, and only for critical and sensitive ports.
 */
export function exposureSeverity(level: RuleLevel, exposure: Exposure, risk: RiskClass): Severity | undefined {
  if (level === 'off' || exposure === 'loopback') return undefined;
  if (exposure === 'unknown') {
    if (risk === 'standard') return undefined;
    return level === 'hint' ? 'hint' : 'information';
  }
  const steps = EXPOSURE_STEPS[exposure]!;
  if (level === 'hint') return steps === 0 ? 'hint' : undefined;
  return LADDER[LADDER.indexOf(level) + steps];
}

/** The configured level as a severity, for rules that do not grade by exposure. */
export function fixedSeverity(level: RuleLevel): Severity | undefined {
  return level === 'off' ? undefined : level;
}
