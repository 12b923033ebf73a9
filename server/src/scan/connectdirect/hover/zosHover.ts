import { keyOf, locateAtom } from '../statement/items';
import { type ZosNode, readZosMember } from '../zos/members';
import { type HoverCard, card, code, keyCard } from './card';

/** What the z/OS parameters mean, so counts and sizes say what they are. */
const PARAMETERS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'tcp.listen':
      'Listeners for sessions from partner nodes: `(address, port)` pairs, default port 1364. `ANYADDR`/`ANYADDR6` is every interface.',
    'tcp.api.listen':
      'Listeners for API sign-ons: `(address, port)` pairs, default port 1363. `ANYADDR`/`ANYADDR6` is every interface.',
    's+cmd.enforce.secure.connection':
      '`YES`: API clients must sign on over Secure+; `NO`: plain TCP sign-ons are accepted.',
    tcpapi: "`(port, address)` of the node's API.",
    'alternate.comminfo': 'Other addresses and ports to try for this partner.',
    parsess: '`(most, default)` parallel sessions (not ports).',
    maxusers: 'Most concurrent API sign-ons (not a port).',
    maxprimary: 'Most sessions where this node is the PNODE (not a port).',
    maxsecondary: 'Most sessions where this node is the SNODE (not a port).',
    sourceip: 'The local address that sessions to this partner leave from.',
    ldns: 'Host name resolved for the partner instead of the positional address.',
  }),
);

/** The card for a node name of a network-map source, or for a parameter of an INITPARM or NETMAP member. */
export function zosHover(text: string, offset: number): HoverCard | undefined {
  const member = readZosMember(text);
  const node = member.nodes.find(
    (candidate) => candidate.name && offset >= candidate.name.span.start && offset <= candidate.name.span.end,
  );
  if (node) return nodeCard(node, member.localName);
  const place = locateAtom(member.statements, offset);
  const key = keyOf(place?.owner);
  return place?.owner && key ? keyCard(PARAMETERS, key, place.owner.key.span, place.owner.key.text) : undefined;
}

function nodeCard(node: ZosNode, localName: string | undefined): HoverCard {
  const name = node.name!;
  if (node.local) return card(name.span, `**${name.text}** · this node (LOCAL.NODE)`);
  const self = name.text.toUpperCase() === localName?.toUpperCase();
  const kind = self ? "this node's own entry (ADJACENT.NODE)" : 'adjacent node';
  const type = node.sessionType ?? 'TCP';
  const where = node.address ? ` at ${code(node.address.text)}` : '';
  const port = node.port ? `port ${code(node.port.text)}` : 'the default port';
  const line = /^(TCP|UDT)/.test(type) ? `${type} sessions to ${port}${where}.` : `${type} sessions (no TCP/IP port).`;
  return card(name.span, `**${name.text}** · ${kind}`, line);
}
