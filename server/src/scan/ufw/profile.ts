import type { Protocol } from '../../catalog/types';
import type { MentionCollector, MentionFacts } from '../collector';
import type { OutlineSymbol } from '../format';
import { forEachLine } from '../lines';
import type { RelatedSpan, Span } from '../mention';
import { PlainToken } from '../token';

/** One `[Name]` section of an application profile file, with the lines up to the next section. */
interface ProfileSection {
  name: PlainToken;
  header: Span;
  span: Span;
  title?: string;
  ports: PlainToken[];
}

const KEY_VALUE = /^[ \t]*([A-Za-z]+)[ \t]*=[ \t]*(.*)$/;

/**
 * Reads the sections of a ufw application profile file (INI: `[Name]`, `title=`, `description=`, `ports=`).
 * `ports=` lines before any section still count, in a section without a name.
 */
function readProfiles(text: string): ProfileSection[] {
  const sections: ProfileSection[] = [];
  let current: ProfileSection | undefined;
  forEachLine(text, (start, end) => {
    const line = text.slice(start, end);
    const header = /^[ \t]*\[([^\]]*)\]/.exec(line);
    if (header) {
      const nameStart = start + line.indexOf('[') + 1;
      current = { name: new PlainToken(header[1], nameStart), header: { start, end }, span: { start, end }, ports: [] };
      sections.push(current);
      return;
    }
    const setting = KEY_VALUE.exec(line);
    if (!setting) return;
    if (!current) {
      current = { name: new PlainToken('', start), header: { start, end: start }, span: { start, end }, ports: [] };
      sections.push(current);
    }
    current.span.end = end;
    const key = setting[1].toLowerCase();
    const value = setting[2].trimEnd();
    if (key === 'title') current.title = value;
    else if (key === 'ports') current.ports.push(new PlainToken(value, start + line.length - setting[2].length));
  });
  return sections;
}

function protocolOf(group: string, slash: number): Protocol {
  const written =
    slash >= 0
      ? group
          .slice(slash + 1)
          .trim()
          .toLowerCase()
      : '';
  // A group without /proto opens tcp and udp.
  return written === 'tcp' || written === 'udp' ? written : 'any';
}

/**
 * Adds the ports of `ports=80,443/tcp|53|6881:6891/tcp`: groups split by `|`, each a comma list of ports and
 * `a:b` ranges with an optional protocol. A profile defines ports and opens nothing by itself.
 */
function addProfilePorts(section: ProfileSection, value: PlainToken, out: MentionCollector): void {
  const related: RelatedSpan[] = section.name.text
    ? [{ span: section.header, message: `application profile [${section.name.text}]` }]
    : [];
  const note = section.name.text
    ? `ports of the ufw application profile ${section.name.text}`
    : 'ports of a ufw application profile';
  let groupStart = 0;
  for (const group of value.text.split('|')) {
    const slash = group.indexOf('/');
    const facts: MentionFacts = {
      protocol: protocolOf(group, slash),
      role: 'define',
      exposure: 'unknown',
      context: { tool: 'ufw', note },
    };
    const portsEnd = groupStart + (slash >= 0 ? slash : group.length);
    for (const mention of out.addPortList(value, groupStart, portsEnd, facts, { rangeSeparators: ':' }))
      mention.related = related;
    groupStart += group.length + 1;
  }
}

export function scanUfwProfiles(text: string, out: MentionCollector): void {
  for (const section of readProfiles(text)) for (const value of section.ports) addProfilePorts(section, value, out);
}

/** One outline entry per profile, named as `ufw allow` takes it, with its title. */
export function profileSymbols(text: string): OutlineSymbol[] {
  return readProfiles(text)
    .filter((section) => section.name.text)
    .map((section) => ({
      name: section.name.text,
      detail: section.title,
      kind: 'section',
      span: section.span,
      selection: section.name.span,
    }));
}
