import type { MentionFacts } from '../collector';
import type { Exposure, RelatedSpan, Role } from '../mention';

const EXPOSURE_RANK: readonly Exposure[] = ['any', 'public', 'unknown', 'private', 'loopback'];
const ROLE_RANK: readonly Role[] = ['allow', 'forward', 'publish', 'listen', 'connect', 'deny', 'other', 'define'];

/** Orders the uses of one port: those that open it first, the widest exposure first, then by role. */
function rank(facts: MentionFacts, opens: boolean): number[] {
  return [opens ? EXPOSURE_RANK.indexOf(facts.exposure) : EXPOSURE_RANK.length, ROLE_RANK.indexOf(facts.role)];
}

function outranks(a: number[], b: number[]): boolean {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index] < b[index];
  return false;
}

interface DefinitionUse<T> {
  written: T;
  /** Every use added under the key, `written` among them. */
  uses: T[];
  facts: MentionFacts;
  rank: number[];
  related: RelatedSpan[];
}

/**
 * A port written once in a define, a named set or a macro and reached by several rules: it gets one mention with
 * the widest exposure of its uses, and every using rule among its related spans.
 */
export class DefinitionUses<T> {
  private readonly uses = new Map<string, DefinitionUse<T>>();

  /**
   * `key` identifies the port token; `opens` says whether this use lets traffic in (an inbound allow or forward);
   * `usedBy` points at the rule, `context` at what else explains it (a chain policy).
   */
  add(
    key: string,
    written: T,
    facts: MentionFacts,
    opens: boolean,
    usedBy: RelatedSpan,
    context: readonly RelatedSpan[] = [],
  ): void {
    const known = this.uses.get(key);
    const rankOfUse = rank(facts, opens);
    if (!known) {
      this.uses.set(key, { written, uses: [written], facts, rank: rankOfUse, related: [usedBy, ...context] });
      return;
    }
    known.uses.push(written);
    known.related.push(usedBy);
    if (outranks(rankOfUse, known.rank)) Object.assign(known, { written, facts, rank: rankOfUse });
  }

  values(): Iterable<DefinitionUse<T>> {
    return this.uses.values();
  }
}

/** A define's or macro's name says it holds ports: `tcp_ports`, `monitoring_ports`, `tcp_services`. */
export function namesPorts(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[_-]/)
    .some((word) => /^(ports?|services?|tcp|udp)$/.test(word));
}

/** The facts of a port that a define, set or macro holds while no rule uses it: it exposes nothing by itself. */
export function definitionFacts(tool: string, note: string): MentionFacts {
  return { protocol: 'any', role: 'define', exposure: 'unknown', context: { tool, note } };
}
