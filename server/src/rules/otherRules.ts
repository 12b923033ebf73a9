import type { RiskSignal, Role, SignalKind } from '../scan/mention';
import { type Rule, levelOf } from './context';
import { portLabel, relatedOf } from './exposureRules';
import type { Finding, FixAction } from './finding';
import { fixedSeverity } from './severity';

const CLEARTEXT_ROLES = new Set<Role>(['allow', 'listen', 'publish', 'connect', 'forward']);

/**
 * Plain-text protocols that have a TLS partner port (446/447 to 448, 8470-8476 to 9470-9476, 23 to 22, ...):
 * an information finding wherever the port is used, with a fix that switches to the partner.
 */
export const cleartextRule: Rule = (context) => {
  const severity = fixedSeverity(levelOf(context, 'cleartext-protocol'));
  if (!severity) return [];
  const findings: Finding[] = [];
  for (const mention of context.mentions) {
    if (!CLEARTEXT_ROLES.has(mention.role) || mention.endPort !== null) continue;
    const info = context.catalog.describe(mention);
    const alternative = info.curated?.secureAlternative;
    if (alternative?.kind !== 'tls-port') continue;
    const partner = context.catalog.lookup(alternative.port, mention.protocol);
    const fixes: FixAction[] = [];
    const written = context.text.slice(mention.span.start, mention.span.end);
    // Only a port written right here can be switched; a variable's value is changed where it is set.
    if (!mention.variable && (written === String(mention.port) || written === mention.writtenName)) {
      fixes.push({
        title: `Switch to port ${alternative.port} (${portLabel(partner)})`,
        kind: 'tls-port',
        edits: [{ span: mention.span, newText: String(alternative.port) }],
        preferred: true,
        safeInBulk: false,
      });
    }
    findings.push({
      ruleId: 'cleartext-protocol',
      severity,
      span: mention.span,
      port: mention.port,
      endPort: null,
      message: `${portLabel(info)} port ${mention.port} is clear text; port ${alternative.port} (${portLabel(partner)}) is its secure counterpart`,
      fixes,
      related: relatedOf(mention),
    });
  }
  return findings;
};

/**
 * Docker publishes through its own iptables chains, ahead of ufw's: a `ufw deny` for the same port in the same
 * file does not protect a `docker run -p` without an address.
 */
export const dockerUfwRule: Rule = (context) => {
  const severity = fixedSeverity(levelOf(context, 'docker-publish-bypasses-ufw'));
  if (!severity) return [];
  const denied = context.mentions.filter((mention) => mention.role === 'deny' && mention.context.tool === 'ufw');
  const findings: Finding[] = [];
  for (const mention of context.mentions) {
    if (
      mention.role !== 'publish' ||
      mention.exposure !== 'any' ||
      !/^(docker|podman|nerdctl)\b/.test(mention.context.tool)
    )
      continue;
    const last = mention.endPort ?? mention.port;
    const deny = denied.find(
      (rule) =>
        rule.port <= last &&
        (rule.endPort ?? rule.port) >= mention.port &&
        (rule.protocol === 'any' || rule.protocol === mention.protocol),
    );
    if (!deny) continue;
    const bind = context.fixesFor(mention.language)?.bindToLoopback?.(context.text, mention, context.analyses);
    findings.push({
      ruleId: 'docker-publish-bypasses-ufw',
      severity,
      span: mention.span,
      port: mention.port,
      endPort: mention.endPort,
      message: `Docker publishes port ${mention.port} on every interface, past the ufw rule that denies it`,
      fixes: bind
        ? [
            {
              title: 'Bind to loopback (127.0.0.1)',
              kind: 'bind-loopback',
              edits: bind,
              preferred: true,
              safeInBulk: true,
            },
          ]
        : [],
      related: [
        { span: deny.span, message: "ufw denies this port, but Docker's published ports do not pass through ufw" },
      ],
    });
  }
  return findings;
};

const SIGNAL_RULES: Record<SignalKind, { ruleId: string; message: (signal: RiskSignal) => string; fixTitle?: string }> =
  {
    'all-ports-open': { ruleId: 'all-ports-exposed', message: (signal) => `Every port is open: ${signal.detail}` },
    // No line number in the message: findings of untouched lines are kept across edits that move lines.
    'shadowed-rule': {
      ruleId: 'shadowed-rule',
      message: (signal) =>
        `${capitalized(signal.detail)}: another rule ${signal.related?.[0]?.message ?? 'takes its packets first'}`,
    },
    'netmap-check-off': {
      ruleId: 'connectdirect-netmap-check-off',
      message: (signal) => `Connect:Direct accepts sessions from nodes outside its network map: ${signal.detail}`,
      fixTitle: 'Turn netmap checking on',
    },
    'alternate-comminfo-any': {
      ruleId: 'connectdirect-alternate-comminfo-any',
      message: (signal) => `Connect:Direct accepts this node from any address: ${signal.detail}`,
    },
    'secure-off': {
      ruleId: 'connectdirect-insecure-protocol',
      message: (signal) => `Secure Plus is turned off: ${signal.detail}`,
    },
    'weak-protocol': {
      ruleId: 'connectdirect-insecure-protocol',
      message: (signal) => `An outdated TLS/SSL protocol is allowed: ${signal.detail}`,
    },
    'secure-connection-not-enforced': {
      ruleId: 'connectdirect-secure-connection-not-enforced',
      message: (signal) => `Clear-text API connections are accepted: ${signal.detail}`,
      fixTitle: 'Enforce secure API connections',
    },
    'password-in-text': {
      ruleId: 'connectdirect-password-in-text',
      message: (signal) => `A password is written in the file: ${signal.detail}`,
    },
  };

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Settings that weaken security without naming a port, as the scanners recorded them. */
export const signalRule: Rule = (context) => {
  const findings: Finding[] = [];
  for (const signal of context.signals) {
    const rule = SIGNAL_RULES[signal.kind];
    const severity = fixedSeverity(levelOf(context, rule.ruleId));
    if (!severity) continue;
    const edits = context.fixesFor(signal.language)?.resolveSignal?.(context.text, signal, context.analyses);
    findings.push({
      ruleId: rule.ruleId,
      severity,
      span: signal.span,
      port: null,
      endPort: null,
      message: rule.message(signal),
      fixes: edits
        ? [
            {
              title: rule.fixTitle ?? 'Fix this setting',
              kind: 'resolve-signal',
              edits,
              preferred: true,
              safeInBulk: true,
            },
          ]
        : [],
      related: signal.related ?? [],
    });
  }
  return findings;
};
