import type { Protocol } from '../../../catalog/types';
import { MentionCollector, type MentionFacts } from '../../collector';
import { classifyAddress } from '../../exposure';
import type { FormatScanner, ScanContext } from '../../format';
import type { MentionContext, ScanOutput } from '../../mention';
import { PlainToken, type Token } from '../../token';
import { listItems, splitSemicolonHostPort } from '../hostPort';
import {
  UNIX_CONFIG_LANGUAGE,
  UNIX_INITPARM_LANGUAGE,
  UNIX_NETMAP_LANGUAGE,
  type UnixRecordLanguage,
  WINDOWS_INI_LANGUAGE,
} from '../languages';
import { settingToken, valueToken } from '../setting';
import { type RecordField, type UnixRecord, fieldOf, readRecords } from './records';

/** Records whose `comm.info` is where this node listens, not where a partner is. */
const LISTENER_RECORDS = new Set(['rnode.listen', 'local.node']);

/** What the scanner of each UNIX record language calls its files, and the record a lone field belongs to. */
const DIALECTS: Record<UnixRecordLanguage, { tool: string; fragmentRecord?: string }> = {
  [UNIX_NETMAP_LANGUAGE]: { tool: 'Connect:Direct netmap' },
  // sed edits of initparm.cfg rewrite the only comm.info there is: the rnode.listen listener.
  [UNIX_INITPARM_LANGUAGE]: { tool: 'Connect:Direct initparm', fragmentRecord: 'rnode.listen' },
  [UNIX_CONFIG_LANGUAGE]: { tool: 'Connect:Direct configuration' },
};

/** A Windows netmap export (INI sections) saved under a UNIX file name is read as what it is. */
export function looksLikeWindowsIni(text: string): boolean {
  return /^\[(Node|Path|Mode|Server)[:\]]/im.test(text.slice(0, 4096));
}

/**
 * Reads the UNIX configuration records: `tcp.api` (the API listener), `comm.info` (a partner's server in a
 * node record, this node's listener in `rnode.listen`), `alt.comm.outbound`, `alternate.comminfo`,
 * `tcp.hostname`/`tcp.port` (ndmapi.cfg), firewall-navigation source ports, and `netmap.check`. Buffer sizes,
 * session counts, timers and ages are never ports: only the keys named here are read.
 */
export function unixConfigScanner(language: UnixRecordLanguage): FormatScanner {
  return {
    scan(text: string, context: ScanContext): ScanOutput {
      if (looksLikeWindowsIni(text)) return context.scanEmbedded(WINDOWS_INI_LANGUAGE, text);
      const out = new MentionCollector(language, context.resolveServiceName);
      const reader = new RecordReader(text, out, DIALECTS[language]);
      for (const record of readRecords(text)) reader.record(record);
      return out.output;
    },
  };
}

/** Adds the port at token.text[from, to) with the record's protocol, tool and related record name. */
type AddPort = (
  token: Token,
  from: number,
  to: number,
  context: Omit<MentionContext, 'tool'>,
  facts: Omit<MentionFacts, 'context' | 'protocol'>,
) => void;

/** What the readers of one record's fields share. */
interface RecordScope {
  record: UnixRecord;
  /** Lower case; for a lone field, the record it belongs to when the file tells (initparm.cfg). */
  name?: string;
  /** `key in record NAME`, or just the key when the record is not known. */
  where(key: string): string;
  add: AddPort;
}

type FieldReader = (reader: RecordReader, field: RecordField, scope: RecordScope) => void;

class RecordReader {
  /** The readers of the fields that hold ports or weaken security; every other key is skipped. */
  private static readonly FIELDS: { test: (key: string, scope: RecordScope) => boolean; read: FieldReader }[] = [
    { test: (key) => key === 'tcp.api', read: (reader, field, scope) => reader.apiListener(field, scope) },
    {
      test: (key, scope) => key === 'comm.info' && LISTENER_RECORDS.has(scope.name ?? ''),
      read: (reader, field, scope) => reader.serverListener(field, scope),
    },
    {
      test: (key) => key === 'comm.info' || key === 'alt.comm.outbound' || key === 'tcp.hostname',
      read: (reader, field, scope) => reader.partnerAddress(field, scope),
    },
    {
      test: (key) => key === 'alternate.comminfo',
      read: (reader, field, scope) => reader.alternateComminfo(field, scope),
    },
    { test: (key) => key === 'tcp.port', read: (reader, field, scope) => reader.apiPort(field, scope) },
    { test: (key) => /^(tcp|udp)\.src\.ports$/.test(key), read: (reader, field) => reader.sourcePorts(field) },
    { test: (key) => key.endsWith('.port'), read: (reader, field, scope) => reader.otherPort(field, scope) },
    { test: (key) => key === 'netmap.check', read: (reader, field, scope) => reader.netmapCheck(field, scope) },
  ];

  constructor(
    private readonly text: string,
    private readonly out: MentionCollector,
    private readonly dialect: { tool: string; fragmentRecord?: string },
  ) {}

  record(record: UnixRecord): void {
    const scope = this.scopeOf(record);
    this.addressedRecordName(scope);
    for (const field of record.fields)
      RecordReader.FIELDS.find((reader) => reader.test(field.key, scope))?.read(this, field, scope);
  }

  private scopeOf(record: UnixRecord): RecordScope {
    const name = record.name?.toLowerCase() ?? this.dialect.fragmentRecord;
    const protocol: Protocol = /^udt/i.test(fieldOf(record, 'comm.transport')?.value ?? '') ? 'udp' : 'tcp';
    const related = record.nameSpan ? [{ span: record.nameSpan, message: `record ${record.name}` }] : undefined;
    return {
      record,
      name,
      where: (key) => (name ? `${key} in record ${record.name ?? name}` : key),
      add: (token, from, to, context, facts) => {
        const mention = this.out.addPort(
          token,
          from,
          to,
          { ...facts, protocol, context: { tool: this.dialect.tool, ...context } },
          { allowNames: true },
        );
        if (mention && related) mention.related = related;
      },
    };
  }

  // The role decides the service, whatever port it is given: an API listener on 11363 is as critical as on 1363.
  private apiListener(field: RecordField, scope: RecordScope): void {
    this.listener(field, scope, `API listener, ${scope.where('tcp.api')}`, 'ndm-requester');
  }

  private serverListener(field: RecordField, scope: RecordScope): void {
    this.listener(field, scope, `server listener for partner sessions, ${scope.where('comm.info')}`, 'ndm-server');
  }

  /** A listener bound to the host of each `host;port`; a port alone listens on every interface. */
  private listener(field: RecordField, scope: RecordScope, note: string, service: string): void {
    this.eachAddress(field, (host, from, to) =>
      scope.add(
        valueToken(field),
        from,
        to,
        { direction: 'inbound', bindAddress: host || undefined, note },
        { role: 'listen', exposure: host ? classifyAddress(host) : 'any', service },
      ),
    );
  }

  /** `comm.info` of a partner record, its `alt.comm.outbound` alternatives, and a `tcp.hostname` written with a port. */
  private partnerAddress(field: RecordField, scope: RecordScope): void {
    const whose = partnerOf(scope.record);
    const alternate = field.key === 'alt.comm.outbound' ? 'alternate address ' : '';
    this.eachAddress(field, (host, from, to) =>
      scope.add(
        valueToken(field),
        from,
        to,
        {
          direction: 'outbound',
          peer: `the server of ${whose}${host ? ` at ${alternate}${host}` : ''}`,
          note: `server port of ${whose}`,
        },
        {
          role: 'connect',
          exposure: 'unknown',
        },
      ),
    );
  }

  /** ndmapi.cfg: the API port the CLI connects to, at `tcp.hostname`. */
  private apiPort(field: RecordField, scope: RecordScope): void {
    const host = fieldOf(scope.record, 'tcp.hostname')?.value || 'the configured host';
    scope.add(
      valueToken(field),
      0,
      field.value.length,
      {
        direction: 'outbound',
        peer: `the Connect:Direct API at ${host}`,
        note: 'API port the CLI and API programs connect to',
      },
      {
        role: 'connect',
        exposure: 'unknown',
      },
    );
  }

  /** Other `*.port` keys (the Install Agent's, for one): ports whose direction the text does not tell. */
  private otherPort(field: RecordField, scope: RecordScope): void {
    scope.add(
      valueToken(field),
      0,
      field.value.length,
      { note: scope.where(field.key) },
      { role: 'other', exposure: 'unknown' },
    );
  }

  private netmapCheck(field: RecordField, scope: RecordScope): void {
    if (!/^n/i.test(field.value)) return;
    const setting = settingToken(this.text, field);
    this.out.addSignal(setting, 0, setting.text.length, 'netmap-check-off', scope.where(`netmap.check=${field.value}`));
  }

  /** A remote node may be named by its address: `10.20.1.5;1364:\`. */
  private addressedRecordName({ record, add }: RecordScope): void {
    if (!record.name || !record.nameSpan) return;
    const split = splitSemicolonHostPort(record.name);
    if (!split) return;
    add(
      new PlainToken(record.name, record.nameSpan.start),
      split.portFrom,
      split.portTo,
      {
        direction: 'outbound',
        peer: `the partner's server at ${split.host}`,
        note: 'partner named by its address and port',
      },
      { role: 'connect', exposure: 'unknown' },
    );
  }

  /** `alternate.comminfo=*` accepts any address for the partner; listed `host;port` are where it may connect from. */
  private alternateComminfo(field: RecordField, { record, add }: RecordScope): void {
    const whose = partnerOf(record);
    if (field.value.trim() === '*') {
      const setting = settingToken(this.text, field);
      this.out.addSignal(
        setting,
        0,
        setting.text.length,
        'alternate-comminfo-any',
        `alternate.comminfo=* for ${whose}`,
      );
      return;
    }
    this.eachAddress(field, (host, from, to) =>
      add(
        valueToken(field),
        from,
        to,
        { note: `alternate.comminfo: ${whose} may connect from ${host || 'this address'}` },
        { role: 'other', exposure: 'unknown' },
      ),
    );
  }

  /** Firewall navigation: `(address, port|range, ...), ...`, the local ports outbound sessions leave from. */
  private sourcePorts(field: RecordField): void {
    const protocol: Protocol = field.key.startsWith('udp') ? 'udp' : 'tcp';
    const token = valueToken(field);
    const groups = [...field.value.matchAll(/\(([^()]*)\)/g)];
    const spans =
      groups.length > 0
        ? groups.map((group) => ({ from: group.index + 1, to: group.index + 1 + group[1].length }))
        : [{ from: 0, to: field.value.length }];
    for (const span of spans) {
      const [address, ...ports] = listItems(field.value, span.from, span.to);
      const destination = address ? field.value.slice(address.from, address.to) : 'any address';
      for (const port of ports) {
        this.out.addPort(
          token,
          port.from,
          port.to,
          {
            protocol,
            role: 'other',
            exposure: 'unknown',
            context: {
              tool: this.dialect.tool,
              direction: 'outbound',
              note: `source port for outbound sessions to ${destination}, ${field.key}`,
            },
          },
          { rangeSeparators: '-' },
        );
      }
    }
  }

  /** Each `host;port` of a comma-separated value, as the host and the port's offsets in the value. */
  private eachAddress(field: RecordField, visit: (host: string, from: number, to: number) => void): void {
    for (const item of listItems(field.value)) {
      const split = splitSemicolonHostPort(field.value, item.from, item.to);
      if (split) visit(split.host, split.portFrom, split.portTo);
      else if (/^\d{1,5}$/.test(field.value.slice(item.from, item.to))) visit('', item.from, item.to);
    }
  }
}

/** "partner DEMOBANK", or what a record without a partner name stands for. */
function partnerOf(record: UnixRecord): string {
  const name = record.name;
  if (!name) return 'a partner';
  if (name.toLowerCase() === 'tcp.ip.default') return 'partners not in the netmap (tcp.ip.default)';
  return `partner ${name}`;
}
