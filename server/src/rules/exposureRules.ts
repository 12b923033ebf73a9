import type { PortInfo, RiskClass } from '../catalog/types';
import { type Exposure, OPENING_ROLES, type PortMention, type RelatedSpan } from '../scan/mention';
import { type Rule, type RuleContext, levelOf } from './context';
import type { Finding, FixAction } from './finding';
import { exposureSeverity } from './severity';

const RULE_FOR_RISK: Record<RiskClass, string> = {
  critical: 'exposed-critical-port',
  sensitive: 'exposed-sensitive-port',
  standard: 'exposed-port',
};
const RISK_ORDER: Record<RiskClass, number> = { standard: 0, sensitive: 1, critical: 2 };

/**
 * Where a forward (DNAT, REDIRECT, `rdr-to`, firewalld `forward-port`) sends the port it matches: the host and
 * the port after the last colon of `mappedTo` (`10.0.0.9:447`, `this host:8080`, `local port 9040`), or the
 * matched port itself when the forward keeps it. Undefined for the other mentions of a forward (its target).
 */
function forwardDestination(mention: PortMention, context: RuleContext): { host?: string; port: number } | undefined {
  const { mappedTo, mappedPort, tool } = mention.context;
  if (mention.role !== 'forward' || mappedTo === undefined || CLIENT_FORWARDERS.test(tool)) return undefined;
  // `10.0.0.9:447`, `127.0.0.1:spamd` (a service name, as pf writes it), `local port 9040`, `this host:8080`.
  const written = /^(.*?)(?::|\bport )([\w-]+)$/.exec(mappedTo);
  const named =
    written && !/^\d+$/.test(written[2]) ? context.catalog.iana.portForName(written[2], mention.protocol) : undefined;
  const port = mappedPort ?? named ?? (written && /^\d{1,5}$/.test(written[2]) ? Number(written[2]) : mention.port);
  const host = written ? written[1].trim() : mappedTo;
  return { host: host && host !== 'this host' && host !== 'local' ? host : undefined, port };
}

/**
 * Container runtimes and clients forward too (`docker run -p`, `ssh -L`, `kubectl port-forward`), but they are
 * judged where they publish or listen; their forward mentions point back at that side.
 */
const CLIENT_FORWARDERS = /^(docker|podman|nerdctl|kubectl|oc|ssh)\b/;

/**
 * The port whose class decides the finding: the riskiest of a range, the service behind a published port, or
 * the destination of a forward, which is what the forward makes reachable.
 */
function judgedPort(mention: PortMention, context: RuleContext): PortInfo {
  const forwarded = forwardDestination(mention, context);
  if (forwarded && mention.endPort === null) return context.catalog.lookup(forwarded.port, mention.protocol);
  if (mention.endPort !== null) {
    const summary = context.catalog.summarizeRange(mention.port, mention.endPort, mention.protocol);
    return summary.riskiest ?? summary.first;
  }
  const own = context.catalog.describe(mention);
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

function exposureMessage(mention: PortMention, judged: PortInfo, context: RuleContext): string {
  const subject = subjectOf(mention, judged);
  const where = mention.context.source ?? mention.context.bindAddress;
  const detail = mention.exposure === 'any' || !where ? '' : ` (${where})`;
  switch (mention.role) {
    case 'forward': {
      const host = forwardDestination(mention, context)?.host;
      const service = mention.endPort === null ? `${portLabel(judged)} port ${judged.port}` : subject;
      return `${service}${host ? ` on ${host}` : ''} is reachable from ${REACH[mention.exposure]}${detail} through this forward`;
    }
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
    (mention.role === 'allow' || mention.role === 'forward') && networks.length > 0
      ? fixes?.restrictSource?.(context.text, mention, networks, context.analyses)
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
  const bind =
    mention.role !== 'allow' && mention.role !== 'forward'
      ? fixes?.bindToLoopback?.(context.text, mention, context.analyses)
      : undefined;
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
    if (!OPENING_ROLES.has(mention.role) || mention.context.direction === 'outbound' || mention.shadowedBy) continue;
    // A forward's own ports are judged at the port it matches, by where it sends them; its target port is not.
    if (mention.role === 'forward' && !forwardDestination(mention, context)) continue;
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
      message: exposureMessage(mention, judged, context),
      fixes: exposureFixes(context, mention),
      related: relatedOf(mention),
    });
  }
  return findings;
};
