import { looksLikeWindowsIni } from '../unix/unixConfigScanner';
import { type UnixRecord, fieldOf, readRecords } from '../unix/records';
import { type HoverCard, card, code, keyCard } from './card';
import { iniHover } from './iniHover';

/** What the records of the UNIX files are for. */
const RECORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'local.node': "this node's own settings: the API listener, session limits and netmap checking",
    'tcp.ip.default': 'defaults for TCP/IP partners that are not in the netmap',
    'rnode.listen': 'where this node listens for sessions from partner nodes',
    'ndm.path': 'where Connect:Direct is installed and keeps its work files',
    'ndm.node': "this node's name",
    'ndm.pam': 'the PAM service that authenticates users',
    'proc.prio': 'the default process priority',
    restrict: 'whether run task and run job commands may use special characters',
    tcq: 'how long processes stay in the queue',
    'copy.parms': 'defaults for COPY: checkpoints, sizes, retries',
    'runtask.parms': 'defaults for RUN TASK',
    stats: 'the statistics files',
    'firewall.parms': 'firewall navigation: the local ports outbound sessions leave from',
    'cli.parms': 'settings of the CLI (direct)',
    'api.parms': 'settings of the API programs',
  }),
);

/** What the settings mean, so a number that is not a port says what it is instead. */
const FIELDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'tcp.api':
      'Address and port of the API listener (`host;port`): the CLI, Control Center and API programs connect here. `0.0.0.0` listens on every interface.',
    'comm.info':
      "In a partner record: the address and port of the partner's server. In `rnode.listen`: where this node listens for partner sessions.",
    'alt.comm.outbound': 'Other `host;port` addresses to try when connecting to this partner.',
    'alternate.comminfo':
      'Other addresses this partner may connect from when the netmap is checked; `*` accepts any address.',
    'netmap.check': '`y`: only nodes in the netmap may start sessions; `n`: any node may.',
    'comm.transport': 'The transport: `tcp`, or `udt33` (UDT, over UDP).',
    'comm.bufsize': 'Buffer size for data, in bytes (not a port).',
    'tcp.api.bufsize': 'Buffer size of API connections, in bytes (not a port).',
    'tcp.max.time.to.wait': 'Seconds to wait for data on a TCP/IP session (not a port).',
    'runstep.max.time.to.wait': 'Seconds a run step may wait (not a port).',
    'api.max.connects': 'How many API connections may be open at once (not a port).',
    'sess.total': 'Most sessions at once (not a port).',
    'sess.pnode.max': 'Most sessions where this node is the PNODE (not a port).',
    'sess.snode.max': 'Most sessions where this node is the SNODE (not a port).',
    'sess.default': 'Default session class (not a port).',
    'pacing.send.count': 'Pacing: messages sent before waiting for a response (not a port).',
    'pacing.send.delay': 'Pacing: delay between sends, in milliseconds (not a port).',
    'conn.retry.stwait': 'Wait between short-term connection retries, hh.mm.ss (not a port).',
    'conn.retry.stattempts': 'Number of short-term connection retries (not a port).',
    'conn.retry.ltwait': 'Wait between long-term connection retries, hh.mm.ss (not a port).',
    'conn.retry.ltattempts': 'Number of long-term connection retries (not a port).',
    'max.age': 'Age in days after which entries are removed (not a port).',
    'file.size': 'Largest file size (not a port).',
    'tcp.hostname': 'Host of the Connect:Direct API that the CLI and API programs connect to.',
    'tcp.port': 'Port of the Connect:Direct API that the CLI and API programs connect to.',
    'tcp.src.ports':
      'Firewall navigation: `(address, ports...)` lists of the local ports outbound sessions to that address leave from.',
  }),
);

/** The card for a record name or a setting of a UNIX configuration file. */
export function recordHover(text: string, offset: number): HoverCard | undefined {
  if (looksLikeWindowsIni(text)) return iniHover(text, offset);
  for (const record of readRecords(text)) {
    if (offset < record.span.start || offset > record.span.end) continue;
    if (record.name && record.nameSpan && offset <= record.nameSpan.end) return recordCard(record);
    const field = record.fields.find(
      (candidate) => offset >= candidate.keySpan.start && offset <= candidate.valueStart + candidate.value.length,
    );
    return field ? keyCard(FIELDS, field.key, field.keySpan, field.key) : undefined;
  }
  return undefined;
}

function recordCard(record: UnixRecord): HoverCard {
  const name = record.name!;
  const span = record.nameSpan!;
  const known = RECORDS.get(name.toLowerCase());
  const comm = fieldOf(record, 'comm.info');
  const api = fieldOf(record, 'tcp.api');
  const details = [
    api && `API listener: ${code(api.value)}.`,
    comm &&
      `${name.toLowerCase() === 'rnode.listen' ? 'Listens on' : "Partner's server"}: ${code(comm.value)} (${fieldOf(record, 'comm.transport')?.value ?? 'tcp'}).`,
    fieldOf(record, 'netmap.check') && `netmap.check=${code(fieldOf(record, 'netmap.check')!.value)}.`,
  ];
  if (known) return card(span, `**${name}** · ${known}`, ...details);
  const proxy = /^([^@]+)@(.+)$/.exec(name);
  if (proxy) {
    const local = fieldOf(record, 'local.id');
    return card(
      span,
      `**${name}** · remote user proxy`,
      `User ${code(proxy[1])} of node ${code(proxy[2])}${local ? ` works here as local user ${code(local.value)}` : ''}.`,
    );
  }
  return card(span, `**${name}** · ${comm ? 'remote node record' : 'record'}`, ...details);
}
