import type { Protocol } from '../../../catalog/types';
import { MentionCollector } from '../../collector';
import { classifyAddress } from '../../exposure';
import type { FormatScanner, ScanContext } from '../../format';
import type { ScanOutput } from '../../mention';
import { PlainToken } from '../../token';
import { ZOS_LANGUAGE } from '../languages';
import { isLiteralSecret } from '../security';
import {
  type Assignment,
  type Atom,
  type Item,
  atomToken,
  findAssignments,
  isAtom,
  keyOf,
  slotsOf,
} from '../statement/items';
import { type ZosNode, nodeKeywords, readZosMember } from './members';

const TOOL = 'Connect:Direct z/OS';

/**
 * The initialization parameters that list listeners as `(address, port)` pairs, with the service each runs: an
 * API listener is as critical on any port as on 1363.
 */
const LISTENERS = new Map([
  ['TCP.LISTEN', { note: 'server listener for partner sessions, TCP.LISTEN', service: 'ndm-server' }],
  ['TCP.API.LISTEN', { note: 'API listener, TCP.API.LISTEN', service: 'ndm-requester' }],
]);

/** Session types whose second positional is a port; SNA-family types put a VTAM APPLID there. */
const IP_SESSION_TYPES = new Set(['TCP', 'UDT33', undefined]);

/**
 * Reads z/OS members: initialization parameters (`TCP.LISTEN`, `TCP.API.LISTEN`,
 * `S+CMD.ENFORCE.SECURE.CONNECTION`) and network-map source (`ADJACENT.NODE` positional ports, `TCPAPI`,
 * `ALTERNATE.COMMINFO`, the LOCAL.NODE superuser password), with `-` continuations and `/* *\/` comments.
 * `PARSESS=(4,2)`, `MAXUSERS=10` and other counts are never read as ports.
 */
export const zosScanner: FormatScanner = {
  scan(text: string, context: ScanContext): ScanOutput {
    const out = new MentionCollector(ZOS_LANGUAGE, context.resolveServiceName);
    const member = readZosMember(text);
    for (const statement of member.statements) {
      const key = keyOf(statement)!;
      const listener = LISTENERS.get(key);
      if (listener) readListeners(statement, listener, out);
      else if (
        key === 'S+CMD.ENFORCE.SECURE.CONNECTION' &&
        isAtom(statement.value) &&
        /^N/i.test(statement.value.text)
      ) {
        const written = new PlainToken(text.slice(statement.span.start, statement.span.end), statement.span.start);
        out.addSignal(written, 0, written.text.length, 'secure-connection-not-enforced', written.text);
      }
    }
    for (const node of member.nodes) readNode(node, member.localName, out);
    return out.output;
  },
};

/** `KEY=(addr,port)` or `KEY=((addr,port),(addr,port))`. */
function readListeners(
  statement: Assignment,
  { note, service }: { note: string; service: string },
  out: MentionCollector,
): void {
  const slots = slotsOf(statement.value);
  const pairs = slots[0]?.kind === 'group' ? slots : [statement.value];
  for (const pair of pairs) {
    const [address, port] = slotsOf(pair);
    if (address?.kind === 'group' || port?.kind === 'group') {
      // Deeper than the pairs the parameter takes: whatever port is in there is not read, and the file says so.
      const at = (address ?? port)!.span.start;
      const reason = `${keyOf(statement)} nests its values deeper than (address,port) pairs`;
      out.shortfalls.push({ reason, span: { start: at, end: at } });
      continue;
    }
    if (!isAtom(port)) continue;
    const bindAddress = isAtom(address) ? address.text : undefined;
    out.addPort(atomToken(port), 0, port.text.length, {
      protocol: 'tcp',
      role: 'listen',
      exposure: bindAddress ? classifyAddress(bindAddress) : 'unknown',
      context: { tool: TOOL, direction: 'inbound', bindAddress, note },
      service,
    });
  }
}

function readNode(node: ZosNode, localName: string | undefined, out: MentionCollector): void {
  const name = node.name?.text ?? 'unnamed';
  const related = node.name
    ? [{ span: node.name.span, message: `${node.local ? 'LOCAL.NODE' : 'ADJACENT.NODE'} ${name}` }]
    : undefined;
  const self = !node.local && name.toUpperCase() === localName?.toUpperCase();
  const who = self ? `this node (${name})` : `partner ${name}`;
  const connect = (port: Atom, protocol: Protocol, peer: string, note: string) => {
    const mention = out.addPort(atomToken(port), 0, port.text.length, {
      protocol,
      role: 'connect',
      exposure: 'unknown',
      context: { tool: TOOL, direction: 'outbound', peer, note },
    });
    if (mention && related) mention.related = related;
  };
  if (node.local) {
    const password = node.tuple?.slots[3];
    if (isAtom(password) && isLiteralSecret(password.text)) {
      out.addSignal(
        atomToken(password),
        0,
        password.text.length,
        'password-in-text',
        `superuser password of LOCAL.NODE ${name}`,
      );
    }
    return;
  }
  const address = node.address?.text;
  if (node.port && IP_SESSION_TYPES.has(node.sessionType)) {
    connect(
      node.port,
      node.sessionType === 'UDT33' ? 'udp' : 'tcp',
      `the server of ${who}${address ? ` at ${address}` : ''}`,
      `server port of ${who}`,
    );
  }
  for (const keyword of nodeKeywords(node)) {
    const key = keyOf(keyword)!;
    if (key === 'TCPAPI') {
      const [port, apiAddress] = slotsOf(keyword.value);
      const at = isAtom(apiAddress) ? apiAddress.text : address;
      if (isAtom(port)) connect(port, 'tcp', `the API of ${who}${at ? ` at ${at}` : ''}`, `API port of ${who}, TCPAPI`);
    } else if (/^ALT(ERNATE)?\.COMM(INFO)?$/.test(key)) {
      for (const entry of alternateEntries(keyword.value)) {
        const protocol: Protocol = /^UDT/i.test(entry.type ?? '') ? 'udp' : 'tcp';
        if (entry.type && !/^(TCP|UDT)/i.test(entry.type)) continue;
        connect(
          entry.port,
          protocol,
          `the server of ${who} at alternate address ${entry.address ?? 'not given'}`,
          `alternate port of ${who}, ALTERNATE.COMMINFO`,
        );
      }
    }
  }
}

/** The `(ALT.ADDR=..., ALT.PORT=..., ALT.TYPE=...)` entries of an ALTERNATE.COMMINFO value, one or a list. */
function alternateEntries(value: Item | undefined): { port: Atom; address?: string; type?: string }[] {
  const slots = slotsOf(value);
  const groups = slots.some((slot) => slot?.kind === 'group')
    ? slots.filter((slot) => slot?.kind === 'group')
    : [value];
  return groups.flatMap((group) => {
    const settings = findAssignments(slotsOf(group), () => true);
    const valueOf = (pattern: RegExp) => {
      const found = settings.find((setting) => pattern.test(setting.key.text.toUpperCase()))?.value;
      return isAtom(found) ? found : undefined;
    };
    const port = valueOf(/^ALT(ERNATE)?\.PORT$/);
    const address = valueOf(/^ALT(ERNATE)?\.(ADDR(ESS)?|NODEDEF)$/)?.text;
    return port ? [{ port, address, type: valueOf(/^ALT(ERNATE)?\.TYPE$/)?.text }] : [];
  });
}
