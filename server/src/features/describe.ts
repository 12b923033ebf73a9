import type { Exposure, MentionContext, PortMention } from '../scan/mention';

/** What the sentence about a port's use reads: a mention, or one of the uses a defined value lists. */
type DescribedUse = Pick<PortMention, 'role' | 'exposure' | 'context' | 'shadowedBy'>;

const EXPOSURE_NOTES: Record<Exposure, string> = {
  any: '',
  public: ' (a public address)',
  private: ' (a private network)',
  loopback: ' (loopback only)',
  unknown: '',
};

function fromWhom(mention: DescribedUse): string {
  const { source } = mention.context;
  if (mention.exposure === 'any') return source ? `from ${source}, which is any source` : 'from any source';
  if (source) return `from ${source}${EXPOSURE_NOTES[mention.exposure]}`;
  if (mention.exposure === 'loopback') return 'from this host only';
  return '';
}

function boundTo(mention: DescribedUse): string {
  const { bindAddress } = mention.context;
  if (bindAddress)
    return mention.exposure === 'any'
      ? `on ${bindAddress}, every interface`
      : `on ${bindAddress}${EXPOSURE_NOTES[mention.exposure]}`;
  return mention.exposure === 'any' ? 'on every interface' : mention.exposure === 'loopback' ? 'on loopback only' : '';
}

function where(mention: DescribedUse): string {
  const { interface: iface, zone } = mention.context;
  return sentence(iface ? `on ${iface}` : '', zone ? `in zone ${zone}` : '');
}

/** The rule's surroundings, in brackets: `(chain INPUT, policy DROP)`. */
function surroundings(mention: DescribedUse): string {
  const { chain, policy, table, tool } = mention.context;
  let parts = tool ?? '';
  if (table && table !== 'filter') parts = joined(parts, `table ${table}`, ', ');
  if (chain) parts = joined(parts, `chain ${chain}`, ', ');
  if (policy) parts = joined(parts, `policy ${policy}`, ', ');
  return parts ? ` (${parts})` : '';
}

// Every port of a report gets a sentence: these build it without arrays, so a large report stays cheap.
function joined(first: string, second: string, separator: string): string {
  return first && second ? `${first}${separator}${second}` : first || second;
}

function sentence(first: string, second: string, third = '', fourth = ''): string {
  return joined(joined(joined(first, second, ' '), third, ' '), fourth, ' ');
}

/** Values from the file may hold line breaks or runs of spaces, or start or end with a space; a description is one line. */
const LOOSE_SPACE = /\s\s|[^\S ]|^ | $/;

/**
 * What the text does with the port, in words: "allowed inbound on eth0 from any source (iptables, chain INPUT,
 * policy DROP)", "forwarded to 10.0.5.20:80". The hover card and the CLI's text report both print it; `lineOf`
 * (1-based) lets a shadowed rule name the line that shadows it.
 */
export function describeUse(mention: DescribedUse, lineOf?: (offset: number) => number): string {
  const { direction, peer, mappedTo, note } = mention.context;
  if (mention.shadowedBy) {
    const by = lineOf ? `line ${lineOf(mention.shadowedBy.span.start)}` : 'another rule';
    return `never matches: ${by} ${mention.shadowedBy.message}${surroundings(mention)}`;
  }
  const bound = direction === 'outbound' ? 'outbound' : 'inbound';
  let text: string;
  switch (mention.role) {
    case 'allow':
      text = sentence(`allowed ${bound}`, where(mention), direction === 'outbound' ? '' : fromWhom(mention));
      break;
    case 'deny':
      text = sentence(
        `denied ${bound}`,
        where(mention),
        mention.context.source ? `from ${mention.context.source}` : '',
      );
      break;
    case 'listen':
      text = sentence(
        'listening',
        boundTo(mention),
        mappedTo ? `and forwarding to ${mappedTo}` : '',
        note ? `(${note})` : '',
      );
      break;
    case 'publish':
      text = sentence('published', boundTo(mention), mappedTo ? `to ${mappedTo}` : '', note ? `(${note})` : '');
      break;
    case 'forward':
      text = mappedTo
        ? sentence(`forwarded to ${mappedTo}`, note ? `(${note})` : '')
        : sentence('forwarded to', peer ? `${peer}` : 'this port', note ? `(${note})` : '');
      break;
    case 'connect':
      text = sentence('connects to', peer ?? 'a remote host', '(outbound; opens nothing on this host)');
      break;
    case 'define':
      text = sentence(note ?? 'defined', '(opens nothing by itself)');
      break;
    case 'other':
      text = note ?? 'mentioned';
      break;
  }
  const described = `${text}${surroundings(mention)}`;
  return LOOSE_SPACE.test(described) ? described.replace(/\s+/g, ' ').trim() : described;
}

/**
 * Whether two contexts hold the same values in every field, which is all describeUse reads of them. The fields
 * are named one by one: a loop over the keys read them more slowly than the sentence is built. A unit test
 * changes each field of a complete context in turn, so a field added to MentionContext cannot be left out here.
 */
export function sameContext(a: MentionContext, b: MentionContext): boolean {
  return (
    a === b ||
    (a.tool === b.tool &&
      a.direction === b.direction &&
      a.source === b.source &&
      a.bindAddress === b.bindAddress &&
      a.interface === b.interface &&
      a.zone === b.zone &&
      a.table === b.table &&
      a.chain === b.chain &&
      a.policy === b.policy &&
      a.peer === b.peer &&
      a.mappedTo === b.mappedTo &&
      a.mappedPort === b.mappedPort &&
      a.note === b.note)
  );
}

/**
 * describeUse for the ports of one file in order, as a report prints them. The ports of one rule say the same,
 * but most scanners give each port a context object of its own: the sentence is built again only when the role,
 * the exposure or a field of the context differs from the port before.
 */
export function consecutiveDescriber(): (mention: PortMention) => string {
  let last: PortMention | undefined;
  let description = '';
  return (mention) => {
    const changed =
      !last ||
      last.role !== mention.role ||
      last.exposure !== mention.exposure ||
      last.shadowedBy !== mention.shadowedBy;
    if (changed || !sameContext(last!.context, mention.context)) {
      description = describeUse(mention);
    }
    last = mention;
    return description;
  };
}
