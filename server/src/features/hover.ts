import { IANA_REGISTRY_URL, type PortCatalog, ianaRegistryLink } from '../catalog/catalog';
import type { PortInfo, RiskClass } from '../catalog/types';
import { OPENING_ROLES, type PortMention } from '../scan/mention';
import { describeUse } from './describe';

const RISK_LABELS: Record<RiskClass, string> = {
  critical: '**critical**: never expose to any source',
  sensitive: '**sensitive**: restrict who reaches it',
  standard: '',
};

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

function portLabel(mention: PortMention): string {
  const protocol = mention.protocol === 'any' ? 'tcp/udp' : mention.protocol;
  const ports = mention.endPort === null ? `${mention.port}` : `${mention.port}-${mention.endPort}`;
  return `${ports}/${protocol}`;
}

function ianaLines(info: PortInfo): string[] {
  const named = info.iana.filter((entry) => entry.name);
  if (named.length === 0)
    return [`IANA: ${info.iana.length > 0 ? escapeMarkdown(info.iana[0].description) : 'unassigned'}`];
  return named.map((entry) => `IANA: \`${entry.name}\`: ${escapeMarkdown(entry.description)}`);
}

function knowledgeLines(info: PortInfo): string[] {
  const lines: string[] = [];
  if (info.custom?.note) lines.push(`**Your note:** ${escapeMarkdown(info.custom.note)}`);
  lines.push(...ianaLines(info));
  // The IANA line above already names the registry's service.
  const uses = info.curated?.uses.filter((use) => !/^IANA name\b/i.test(use)) ?? [];
  if (uses.length > 0) lines.push(`In practice: ${uses.map(escapeMarkdown).join(' ')}`);
  return lines;
}

function securityLines(info: PortInfo): string[] {
  const lines: string[] = [];
  const risk = RISK_LABELS[info.risk];
  const note = info.curated?.securityNote;
  if (risk || note) lines.push(`⚠️ ${[risk, note && escapeMarkdown(note)].filter(Boolean).join('. ')}`);
  const alternative = info.curated?.secureAlternative;
  if (alternative) {
    const tls = alternative.kind === 'tls-port' ? `use ${alternative.port} (TLS). ` : '';
    lines.push(`**Safer:** ${tls}${escapeMarkdown(alternative.text)}`);
  }
  return lines;
}

/** Cards stay compact: the registry link, then the first sources of the curated notes. */
const SOURCES_ON_CARD = 3;

function linkLine(port: number, info: PortInfo): string {
  const links = [`[IANA registry](${ianaRegistryLink(port)})`];
  const sources = (info.curated?.sources ?? []).filter((source) => !source.url.startsWith(IANA_REGISTRY_URL));
  for (const source of sources.slice(0, SOURCES_ON_CARD))
    links.push(`[${escapeMarkdown(source.title)}](${source.url})`);
  return links.join(' · ');
}

function title(mention: PortMention, info: PortInfo): string {
  const name = info.custom?.name ?? info.curated?.title ?? info.service;
  const written = mention.writtenName && !mention.reference ? ` (written \`${mention.writtenName}\`)` : '';
  return `**${portLabel(mention)}**${name ? ` · ${escapeMarkdown(name)}` : ''}${written}`;
}

/** A value used by many commands lists the first few on its card. */
const USES_ON_CARD = 5;

type LineOf = (offset: number) => number;

/** Where a port's value comes from when the line does not write it: "Value of `$port`, argument 1 of f, on line 9". */
function originLine(variable: NonNullable<PortMention['variable']>, lineOf?: LineOf): string {
  const how = variable.note && !variable.note.startsWith('assigned to') ? `, ${variable.note}` : '';
  const where = lineOf ? `, written on line ${lineOf(variable.definition.start)}` : '';
  return `Value of \`$${variable.name}\`${escapeMarkdown(how)}${where}.`;
}

/** For a value written here, what the commands that use it do: "opened by open_port (line 6): allowed inbound ...". */
function useLines(mention: PortMention, lineOf?: LineOf): string[] {
  const uses = mention.uses ?? [];
  const lines = uses.slice(0, USES_ON_CARD).map((use) => {
    const verb = OPENING_ROLES.has(use.role) ? 'opened' : 'used';
    const line = lineOf ? `line ${lineOf(use.span.start)}` : '';
    const by = use.via ? `${verb} by ${use.via}${line ? ` (${line})` : ''}` : `${verb}${line ? ` on ${line}` : ''}`;
    return `**Used:** ${escapeMarkdown(`${by}: ${describeUse(use, lineOf)}`)}`;
  });
  if (uses.length > USES_ON_CARD) lines.push(`… and ${uses.length - USES_ON_CARD} more uses`);
  return lines;
}

/** A firewall's line about the port that another file of the workspace holds. */
export interface Decision {
  /** The file, as the workspace shows it. */
  path: string;
  line: number;
  role: string;
  description: string;
}

/** The rules elsewhere in the workspace that open or block a listener's port: the first few, and how many in all. */
export interface Decisions {
  lines: Decision[];
  total: number;
}

function decisionLines({ lines, total }: Decisions): string[] {
  const shown = lines.map(({ path, line, role, description }) => {
    const verb = role === 'allow' ? 'Opened' : 'Blocked';
    return `**Firewall:** ${verb} in \`${path.replace(/`/g, "'")}\` line ${line}: ${escapeMarkdown(description)}`;
  });
  if (total > lines.length) shown.push(`… and ${total - lines.length} more rules in the workspace`);
  return shown;
}

/**
 * The hover card for one port: what it is, what this line does with it, how risky that is, and the sources.
 * `decisions` are the rules of other files about a listener's port.
 */
export function portHover(mention: PortMention, catalog: PortCatalog, lineOf?: LineOf, decisions?: Decisions): string {
  const useLine = `**Here:** ${escapeMarkdown(describeUse(mention, lineOf))}`;
  const originLines = [
    ...useLines(mention, lineOf),
    ...(mention.variable ? [originLine(mention.variable, lineOf)] : []),
    ...(decisions ? decisionLines(decisions) : []),
  ];
  if (mention.reference) originLines.push(escapeMarkdown(mention.reference));
  if (mention.endPort !== null) return rangeHover(mention, catalog, [useLine, ...originLines]);
  const info = catalog.describe(mention);
  return [
    title(mention, info),
    ...knowledgeLines(info),
    useLine,
    ...originLines,
    ...securityLines(info),
    linkLine(mention.port, info),
  ].join('\n\n');
}

/** A range shows its first and last service, how many assigned services it holds, and its riskiest port. */
function rangeHover(mention: PortMention, catalog: PortCatalog, useLines: string[]): string {
  const endPort = mention.endPort!;
  const summary = catalog.summarizeRange(mention.port, endPort, mention.protocol);
  const serviceOf = (info: PortInfo) => (info.service ? `\`${info.service}\`` : 'unassigned');
  const count = endPort - mention.port + 1;
  const lines = [
    `**${portLabel(mention)}** · ${count} ports, ${summary.assignedCount} with an IANA service`,
    `From ${mention.port} ${serviceOf(summary.first)} to ${endPort} ${serviceOf(summary.last)}`,
    ...useLines,
  ];
  if (summary.riskiest) {
    lines.push(
      `⚠️ Holds ${summary.riskiest.port} ${escapeMarkdown(summary.riskiest.curated?.title ?? summary.riskiest.service ?? '')}: ${RISK_LABELS[summary.riskiest.risk]}`,
    );
  }
  lines.push(`[IANA registry](${ianaRegistryLink(mention.port)})`);
  return lines.join('\n\n');
}

/** The card for a port that a variable the text never sets gives: why no port is read there. */
export function unresolvedHover(variable: string): string {
  return [
    `**\`$${variable}\`** · a port this file does not set`,
    "Its value comes from outside the file: the environment, the script's arguments, or a file pulled in with " +
      '`source` or `.`, which Port Lens does not read. The port, and who can reach it, cannot be judged here.',
  ].join('\n\n');
}
