import type { Severity } from './finding';

/** A rule's configured severity: one of LSP's, or off. */
export type RuleLevel = Severity | 'off';

export interface RuleDefinition {
  id: string;
  /** The severity for the worst case the rule describes (a port open to any source); see `rules/exposure.ts`. */
  defaultLevel: RuleLevel;
  /** One line, for the rule list, SARIF's shortDescription and the docs page title. */
  description: string;
  /** GitHub's code-scanning scale (as a string in SARIF): 9+ critical, 7-8.9 high, 4-6.9 medium, below that low. */
  securitySeverity: string;
}

/**
 * Every rule Port Lens reports, by the id users name in settings and suppression comments.
 * Each has a page at docs/rules/<id>.md (what, why, how to fix, how to suppress).
 */
export const RULES: readonly RuleDefinition[] = [
  {
    id: 'exposed-critical-port',
    defaultLevel: 'error',
    description:
      'A port that gives unauthenticated or root-equivalent access, or clear-text administration, is reachable from beyond this host.',
    securitySeverity: '9.0',
  },
  {
    id: 'exposed-sensitive-port',
    defaultLevel: 'warning',
    description: 'A port for authenticated administration, a database or file transfer is reachable from any source.',
    securitySeverity: '6.5',
  },
  {
    id: 'exposed-port',
    defaultLevel: 'off',
    description: 'A port is reachable from any source (off by default: most such ports are meant to be public).',
    securitySeverity: '3.0',
  },
  {
    id: 'all-ports-exposed',
    defaultLevel: 'warning',
    description: 'A rule or policy accepts traffic to every port, so nothing below it restricts exposure.',
    securitySeverity: '7.0',
  },
  {
    id: 'shadowed-rule',
    defaultLevel: 'information',
    description: 'An accept rule never matches: earlier rules drop or accept every packet it would take.',
    securitySeverity: '2.0',
  },
  {
    id: 'cleartext-protocol',
    defaultLevel: 'information',
    description: 'A clear-text protocol is used where a TLS partner port exists.',
    securitySeverity: '4.0',
  },
  {
    id: 'docker-publish-bypasses-ufw',
    defaultLevel: 'warning',
    description:
      "Docker publishes a port on every interface that a ufw rule in the same file denies: Docker's own iptables rules bypass ufw.",
    securitySeverity: '7.0',
  },
  {
    id: 'connectdirect-netmap-check-off',
    defaultLevel: 'warning',
    description: 'Connect:Direct accepts sessions from nodes that are not in its network map (netmap.check=n).',
    securitySeverity: '7.0',
  },
  {
    id: 'connectdirect-alternate-comminfo-any',
    defaultLevel: 'warning',
    description: 'A Connect:Direct node record accepts connections from any address (alternate.comminfo=*).',
    securitySeverity: '7.0',
  },
  {
    id: 'connectdirect-insecure-protocol',
    defaultLevel: 'warning',
    description: 'Connect:Direct Secure Plus is turned off, or set to SSL, TLS 1.0 or TLS 1.1.',
    securitySeverity: '7.0',
  },
  {
    id: 'connectdirect-secure-connection-not-enforced',
    defaultLevel: 'warning',
    description: 'Connect:Direct for z/OS accepts clear-text API connections (S+CMD.ENFORCE.SECURE.CONNECTION=NO).',
    securitySeverity: '7.0',
  },
  {
    id: 'connectdirect-password-in-text',
    defaultLevel: 'warning',
    description: 'A password is written in Connect:Direct process text.',
    securitySeverity: '7.5',
  },
  {
    id: 'scan-incomplete',
    defaultLevel: 'error',
    description:
      'Port Lens could not read the whole file (its work budget ran out, a definition grew too large, or a reader failed): ports after that point may be missing.',
    securitySeverity: '5.0',
  },
  {
    id: 'suppression-without-reason',
    defaultLevel: 'hint',
    description: 'A portlens-ignore comment gives no reason after "--".',
    securitySeverity: '0.0',
  },
  {
    id: 'unused-suppression',
    defaultLevel: 'hint',
    description: 'A portlens-ignore comment suppresses nothing.',
    securitySeverity: '0.0',
  },
];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(RULES.map((rule) => [rule.id, rule]));

/** Where each rule's page lives in the repository; the editor links the copy shipped with the extension. */
export const RULE_DOCS_REPOSITORY_URL = 'https://github.com/port-lens/port-lens/blob/main/docs/rules';

export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
