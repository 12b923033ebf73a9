import type { PortInfo, RiskClass } from '../catalog/types';
import type { Exposure, PortMention, RelatedSpan, Role } from '../scan/mention';
import { type Rule, type RuleContext, levelOf } from './context';
import type { Finding, FixAction } from './finding';
import { exposureSeverity } from './severity';

const EXPOSING_ROLES = new Set<Role>(['allow', 'listen', 'publish']);
const RULE_FOR_RISK: Record<RiskClass, string> = {
  critical: 'exposed-critical-port',
  sensitive: 'exposed-sensitive-port',
  standard: 'exposed-port',
};
const RISK_ORDER: Record<RiskClass, number> = { standard: 0, sensitive: 1, critical: 2 };

/** The port whose class decides the finding: the riskiest of a range, or the service behind a published port. */
function judgedPort(mention: PortMention, context: RuleContext): PortInfo {
  if (mention.endPort !== null) {
    const summary = context.catalog.summarizeRange(mention.port, mention.endPort, mention.protocol);
    return summary.riskiest ?? summary.first;
  }
  const own = context.catalog.lookup(mention.port, mention.protocol);
  const mapped = mention.context.mappedPort;
  if (mapped === undefined || mapped === mention.port) return own;
  const behind = context.catalog.lookup(mapped, mention.protocol);
  return RISK_ORDER[behind.risk] > RISK_ORDER[own.risk] ? behind : own;
}

export function portLabel(info: PortInfo): string {
  return info.custom?.name ?? info.curated?.title ?? info.service ?? 'Port';
}

/** "Connect:Direct API port 1363", "Port range 8470-8476 (includes ...)", "Port 8080 (Redis 6379 behind it)". */
function subjectOf(mention: PortMention, judged: PortInfo): string {
  if (mention.endPort !== null) {
    const holds = judged.risk === 'standard' ? '' : ` (includes ${portLabel(judged)} ${judged.port})`;
    return `Port range ${mention.port}-${mention.endPort}${holds}`;
  }
  if (judged.port !== mention.port) return `Port ${mention.port} (${portLabel(judged)} ${judged.port} behind it)`;
  return `${portLabel(judged)} port ${mention.port}`;
}

const REACH: Record<Exposure, string> = {
  any: 'any source',
  public: 'a public source',
  private: 'a private network',
  unknown: 'sources Port Lens cannot resolve',
  loopback: 'this host only',
};

function exposureMessage(mention: PortMention, judged: PortInfo): string {
  const subject = subjectOf(mention, judged);
  const where = mention.context.source ?? mention.context.bindAddress;
  const detail = mention.exposure === 'any' || !where ? '' : ` (${where})`;
  switch (mention.role) {
    case 'listen':
      return `${subject} listens ${mention.exposure === 'any' ? 'on every interface' : `for ${REACH[mention.exposure]}${detail}`}`;
    case 'publish':
      return `${subject} is published ${mention.exposure === 'any' ? 'on every host interface' : `for ${REACH[mention.exposure]}${detail}`}`;
    default:
      return `${subject} is open to ${REACH[mention.exposure]}${detail}`;
  }
}

/** The places that explain a mention: its related spans and the definition of the variable it came through. */
export function relatedOf(mention: PortMention): RelatedSpan[] {
  const related = [...(mention.related ?? [])];
  if (mention.variable)
    related.push({ span: mention.variable.definition, message: `$${mention.variable.name} is set here` });
  return related;
}

function exposureFixes(context: RuleContext, mention: PortMention): FixAction[] {
  const fixes = context.fixesFor(mention.language);
  const actions: FixAction[] = [];
  const networks = context.settings.trustedNetworks;
  const restrict =
    mention.role === 'allow' && networks.length > 0
      ? fixes?.restrictSource?.(context.text, mention, networks)
      : undefined;
  if (restrict) {
    actions.push({
      title: `Restrict the source to trusted networks (${networks.join(', ')})`,
      kind: 'restrict-source',
      edits: restrict,
      preferred: true,
      safeInBulk: true,
    });
  }
  const bind = mention.role !== 'allow' ? fixes?.bindToLoopback?.(context.text, mention) : undefined;
  if (bind)
    actions.push({
      title: 'Bind to loopback (127.0.0.1)',
      kind: 'bind-loopback',
      edits: bind,
      preferred: true,
      safeInBulk: true,
    });
  return actions;
}

/**
 * The severity policy's table: a port that a rule allows, a listener binds or Docker publishes, graded by the
 * port's class (critical, sensitive, other) and by who can reach it. Outbound use, denials and definitions never
 * count, and loopback never raises anything.
 */
export const exposureRule: Rule = (context) => {
  const findings: Finding[] = [];
  for (const mention of context.mentions) {
    // A shadowed accept is reported once for its rule (shadowed-rule): nothing reaches its ports.
    if (!EXPOSING_ROLES.has(mention.role) || mention.context.direction === 'outbound' || mention.shadowedBy) continue;
    const judged = judgedPort(mention, context);
    const ruleId = RULE_FOR_RISK[judged.risk];
    const severity = exposureSeverity(levelOf(context, ruleId), mention.exposure, judged.risk);
    if (!severity) continue;
    findings.push({
      ruleId,
      severity,
      span: mention.span,
      port: mention.port,
      endPort: mention.endPort,
      message: exposureMessage(mention, judged),
      fixes: exposureFixes(context, mention),
      related: relatedOf(mention),
    });
  }
  return findings;
};
