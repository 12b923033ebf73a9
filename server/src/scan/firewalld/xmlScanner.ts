import { MentionCollector } from '../collector';
import { widest } from '../exposure';
import type { FormatScanner, ScanContext } from '../format';
import { type ChainPolicies, readIptablesRule } from '../iptables/rule';
import type { MentionContext, Role } from '../mention';
import { applyRulesetReach } from '../ruleset/applyReach';
import { PlainToken, splitWords } from '../token';
import { addPortElement, sliceText, withNote } from './portElements';
import { type ServiceDefinition, type ServiceLookup, addServiceReference, stockService } from './services';
import { type RuleScope, addRichRulePorts, readAddressMatch, readPortElement, readRichRuleElement } from './richRule';
import {
  type XmlElement,
  type XmlReadOptions,
  attribute,
  attributeValue,
  decodeEntities,
  readXml,
  textOf,
} from './xml';
import { ZoneRuleset } from './zoneRuleset';
import { DEFAULT_ZONE, describeMatch, isInternetFacing, matchExposure } from './zones';

export const FIREWALLD = 'firewalld';

/** Elements that hold no others; a `<port ...>` missing its `/` then stays a sibling of the next port. */
const LEAF_ELEMENTS = new Set([
  'port',
  'source-port',
  'forward-port',
  'source',
  'destination',
  'interface',
  'include',
  'helper',
  'module',
  'icmp-block',
  'icmp-type',
  'masquerade',
  'forward',
  'protocol',
  'ingress-zone',
  'egress-zone',
  'limit',
  'service',
  'disable',
]);

/** `service` is a leaf inside a zone but the root of a service file. */
const FIREWALLD_XML: XmlReadOptions = { isVoid: (name, depth) => depth > 0 && LEAF_ELEMENTS.has(name) };

/**
 * Reads a firewalld XML file (zone, policy, service or direct.xml). The scanner and then its fixes (once per
 * finding) share one reading of a text (`TextAnalyses`); the tree is never changed.
 */
export function readFirewalldXml(text: string): XmlElement[] {
  return readXml(text, FIREWALLD_XML);
}

/**
 * Service names resolve as firewalld resolves them: a definition in the configuration's own `services/` folder
 * (beside `zones/` and `policies/`) wins over the stock one (firewalld.service(5)). Each name is read once a scan.
 */
function workspaceServices(context: ScanContext): ServiceLookup {
  const folder =
    context.path && /(?:^|\/)(?:zones|policies)\/[^/]+\.xml$/.test(context.path.replace(/\\/g, '/'))
      ? '../services'
      : undefined;
  const read = new Map<string, ServiceDefinition | undefined>();
  return (name) => {
    if (!folder || !context.readNearby) return stockService(name);
    if (!read.has(name)) {
      const relative = `${folder}/${name}.xml`;
      const text = context.readNearby(relative);
      read.set(name, text === undefined ? undefined : serviceDefinition(text, `services/${name}.xml`));
    }
    return read.get(name) ?? stockService(name);
  };
}

/** The ports and includes of a service file's text (firewalld.service(5)). */
export function serviceDefinition(text: string, origin: string): ServiceDefinition | undefined {
  const root = readXml(text, FIREWALLD_XML).find((element) => element.name === 'service');
  if (!root) return undefined;
  const ports: string[] = [];
  for (const child of root.children) {
    const element = readPortElement(child);
    if (element?.kind === 'port' && element.port) ports.push(`${sliceText(element.port)}/${element.protocol}`);
  }
  const includes = childrenNamed(root, 'include')
    .map((include) => attributeValue(include, 'service') ?? '')
    .filter(Boolean);
  return { ports, includes, origin };
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The `<short>` name of a zone, service or policy, as written. */
export function shortName(text: string, element: XmlElement): string | undefined {
  const short = childrenNamed(element, 'short')[0];
  const name = short && decodeEntities(textOf(text, short)).trim();
  return name || undefined;
}

/** `ACCEPT`, `REJECT` (written `%%REJECT%%` in zones), `DROP`; undefined for `default`. */
function targetOf(element: XmlElement): string | undefined {
  const target = attributeValue(element, 'target')?.replace(/%/g, '').toUpperCase();
  return target && target !== 'DEFAULT' ? target : undefined;
}

/**
 * Adds the ports directly in a zone, policy or service (`<port>`, `<source-port>`, `<forward-port>`) with `role`,
 * and those of its rich rules, which decide their own role from their action.
 */
function readPortHolder(
  text: string,
  holder: XmlElement,
  out: MentionCollector,
  scope: RuleScope,
  role: Role,
  ruleset?: ZoneRuleset,
): void {
  const exposure = scope.opens ? scope.exposure : 'unknown';
  for (const child of holder.children) {
    const before = out.mentions.length;
    const added = () => out.mentions.slice(before);
    if (child.name === 'rule') {
      const nested = child.children.find((inner) => inner.name === 'rule');
      if (nested) {
        // Not firewalld syntax (firewalld.zone(5)): the ports of a rule inside a rule are not read, and the file says so.
        const reason = 'a <rule> inside another <rule> is not firewalld syntax';
        out.shortfalls.push({ reason, span: { start: nested.span.start, end: nested.span.start } });
      }
      const rule = readRichRuleElement(child);
      addRichRulePorts(rule, out, scope);
      const action = child.children.find((inner) => /^(accept|reject|drop|mark)$/.test(inner.name));
      ruleset?.addRichRule(rule, added(), child.span, elementNameToken(text, action ?? child));
      continue;
    }
    const name = child.name === 'service' ? attribute(child, 'name') : undefined;
    if (name) {
      // A zone or policy opens the ports of each service it names, as it would a `<port>` (firewalld.zone(5)).
      const facts = { protocol: 'any' as const, role, exposure, context: scope.context };
      addServiceReference(out, new PlainToken(name.raw, name.valueStart), 0, name.raw.length, facts, scope.services);
      ruleset?.addAllow(added(), child.span, elementNameToken(text, child));
      continue;
    }
    const element = readPortElement(child);
    if (!element) continue;
    addPortElement(out, element, { protocol: element.protocol, role, exposure, context: scope.context });
    if (element.kind === 'port') ruleset?.addAllow(added(), child.span, elementNameToken(text, child));
  }
}

/** The name in an element's start tag (`port` in `<port port="22"/>`), where a finding about the element goes. */
function elementNameToken(text: string, element: XmlElement): PlainToken {
  const start = element.startTag.start + 1;
  return new PlainToken(text.slice(start, start + element.name.length), start);
}

/** firewalld names a zone after its file: `zones/public.xml` is the zone `public`. */
function zoneOfPath(path: string | undefined): string | undefined {
  return path && /(?:^|\/)zones\/([^/]+)\.xml$/.exec(path.replace(/\\/g, '/'))?.[1];
}

/**
 * A zone admits its sources, or when it names none, whatever reaches its interfaces: anyone in an internet-facing
 * zone. The file name names the zone; without a path the `<short>` name stands for it, and a zone with neither is
 * taken for the default zone.
 */
function readZone(text: string, zone: XmlElement, out: MentionCollector, file: FirewalldFile): void {
  const written = zoneOfPath(file.path) ?? shortName(text, zone);
  const name = written ?? DEFAULT_ZONE;
  const sources = childrenNamed(zone, 'source')
    .map(readAddressMatch)
    .filter((match) => match !== undefined);
  const interfaces = childrenNamed(zone, 'interface')
    .map((item) => attributeValue(item, 'name') ?? '')
    .filter(Boolean);
  const target = targetOf(zone);
  // A zone takes the packets of its sources and those that arrive on its interfaces (firewalld.zone(5)); with
  // neither, the default zone takes every interface no other zone claims.
  const loopbackOnly = interfaces.length > 0 && interfaces.every((item) => item === 'lo');
  const bySource = sources.length > 0 && (interfaces.length === 0 || loopbackOnly);
  const byInterface = loopbackOnly ? 'loopback' : isInternetFacing(name) ? 'any' : 'unknown';
  const exposure = bySource
    ? widest(sources.map(matchExposure))
    : sources.length > 0
      ? widest([...sources.map(matchExposure), byInterface])
      : byInterface;
  let context: MentionContext = {
    tool: 'firewalld',
    direction: 'inbound',
    zone: name,
    source: sources.map(describeMatch).join(', ') || undefined,
    interface: interfaces.join(', ') || undefined,
    policy: target,
  };
  if (!written) context = withNote(context, `zone without a name, read as the default zone ${DEFAULT_ZONE}`);
  const firstSource = childrenNamed(zone, 'source')[0];
  const ruleset = new ZoneRuleset();
  if (target === 'ACCEPT') {
    context = withNote(context, 'zone target ACCEPT accepts every other port too');
    const written = attribute(zone, 'target')!;
    // Everything that reaches this zone is accepted: report that once, at the target, when the world reaches it.
    if (exposure === 'any' || exposure === 'public') {
      const signal = out.addSignal(
        new PlainToken(written.raw, written.valueStart),
        0,
        written.raw.length,
        'all-ports-open',
        `zone ${name} has target ACCEPT${context.source ? ` for ${context.source}` : ''}`,
      );
      ruleset.acceptsByTarget(signal);
    }
  }
  readPortHolder(text, zone, out, { exposure, context, opens: true, services: file.services }, 'allow', ruleset);
  const reach = {
    sources: bySource ? sources : [],
    loopback: exposure === 'loopback',
    internetFacing: byInterface === 'any',
    line: (firstSource ?? zone).startTag,
  };
  applyRulesetReach(ruleset.chainSets(reach), out);
}

/**
 * A policy's ingress zones say where traffic comes from: `HOST` is this host's own outbound traffic, `ANY` or an
 * internet-facing zone is anyone. An egress zone other than `HOST` means the traffic is forwarded through.
 */
function readPolicy(text: string, policy: XmlElement, out: MentionCollector, file: FirewalldFile): void {
  const zonesOf = (name: string) =>
    childrenNamed(policy, name)
      .map((item) => attributeValue(item, 'name') ?? '')
      .filter(Boolean);
  const ingress = zonesOf('ingress-zone');
  const egress = zonesOf('egress-zone');
  const isHost = (zone: string) => zone.toUpperCase() === 'HOST';
  const outbound = ingress.some(isHost);
  const disabled = childrenNamed(policy, 'disable').length > 0;
  const fromAnyone = ingress.some((zone) => zone.toUpperCase() === 'ANY' || isInternetFacing(zone));
  let context: MentionContext = {
    tool: 'firewalld policy',
    direction: outbound ? 'outbound' : 'inbound',
    zone: (outbound ? egress : ingress).join(', ') || undefined,
    policy: targetOf(policy),
  };
  if (!outbound && egress.length > 0 && !egress.some(isHost))
    context = withNote(context, `forwarded to zone ${egress.join(', ')}`);
  if (disabled) context = withNote(context, 'the policy is disabled');
  const opens = !outbound && !disabled;
  // A policy orders its rich rules, ports and services as a zone does (firewalld.policy(5)).
  const ruleset = opens ? new ZoneRuleset() : undefined;
  const scope = {
    exposure: fromAnyone ? ('any' as const) : ('unknown' as const),
    context,
    opens,
    services: file.services,
  };
  readPortHolder(text, policy, out, scope, 'allow', ruleset);
  const reach = { sources: [], loopback: false, internetFacing: fromAnyone, line: policy.startTag };
  if (ruleset) applyRulesetReach(ruleset.chainSets(reach), out);
}

/** A service file defines ports that zones and policies open by naming the service; it opens nothing itself. */
function readService(text: string, service: XmlElement, out: MentionCollector, file: FirewalldFile): void {
  const name = shortName(text, service);
  const context: MentionContext = {
    tool: 'firewalld service',
    note: name ? `defines a port of service ${name}` : 'defines a port of this service',
  };
  readPortHolder(text, service, out, { exposure: 'unknown', context, opens: false, services: file.services }, 'define');
}

/** direct.xml: `<rule ipv table chain priority>` holds the words of an iptables rule of that chain; a passthrough, a whole one. */
function readDirect(text: string, direct: XmlElement, out: MentionCollector): void {
  const policies: ChainPolicies = new Map();
  for (const child of direct.children) {
    if (child.name !== 'rule' && child.name !== 'passthrough') continue;
    const tokens = splitWords(textOf(text, child), child.content.start);
    const where =
      child.name === 'rule' ? { table: attributeValue(child, 'table'), chain: attributeValue(child, 'chain') } : {};
    readIptablesRule(tokens, out, policies, 'firewalld direct', where);
  }
}

/**
 * Elements outside any root are a fragment of a zone file, as a script's `echo '<port .../>' >> zones/public.xml`
 * or `sed` edit writes them: they are read as the children of a zone without a name.
 */
function impliedZone(children: XmlElement[]): XmlElement {
  const span = { start: children[0].span.start, end: children[children.length - 1].span.end };
  return {
    name: 'zone',
    attributes: [],
    span,
    startTag: { start: span.start, end: span.start },
    content: span,
    children,
  };
}

/** What a reader knows of the file besides its text. */
interface FirewalldFile {
  path: string | undefined;
  services: ServiceLookup;
}

const ROOT_READERS: Record<
  string,
  (text: string, root: XmlElement, out: MentionCollector, file: FirewalldFile) => void
> = {
  zone: readZone,
  policy: readPolicy,
  service: readService,
  direct: readDirect,
};

/** firewalld zone, policy and service files and direct.xml. */
export const firewalldScanner: FormatScanner = {
  scan(text, context) {
    const out = new MentionCollector(FIREWALLD, context.resolveServiceName);
    const file: FirewalldFile = { path: context.path, services: workspaceServices(context) };
    const strays: XmlElement[] = [];
    for (const root of context.analyses.of(readFirewalldXml)) {
      if (Object.hasOwn(ROOT_READERS, root.name)) ROOT_READERS[root.name](text, root, out, file);
      else strays.push(root);
    }
    if (strays.length > 0) readZone(text, impliedZone(strays), out, file);
    return out.output;
  },
};
