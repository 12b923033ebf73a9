import type { Protocol } from '../../../catalog/types';
import { MentionCollector } from '../../collector';
import { classifyAddress } from '../../exposure';
import type { FormatScanner, ScanContext } from '../../format';
import type { Exposure, ScanOutput } from '../../mention';
import { listItems, splitSemicolonHostPort } from '../hostPort';
import { WINDOWS_INI_LANGUAGE } from '../languages';
import { isLiteralSecret, namesAPassword } from '../security';
import { settingToken, valueToken } from '../setting';
import { type IniEntry, type IniSection, entryOf, readIni } from './ini';

const NETMAP_TOOL = 'Connect:Direct netmap';
const INSTALL_TOOL = 'Connect:Direct cd_srvr.ini';

/** Node-section keys that hold `host;port` lists, with the transport they use and whether they are outbound. */
const NODE_ADDRESS_KEYS = new Map<string, { protocol: Protocol; alternate: boolean }>([
  ['ipaddress', { protocol: 'tcp', alternate: false }],
  ['altcommaddr', { protocol: 'tcp', alternate: true }],
  ['udt33ipaddress', { protocol: 'udp', alternate: false }],
  ['udt33altcommaddr', { protocol: 'udp', alternate: true }],
]);

/** What the listeners of cd_srvr.ini are, by the middle of their key (`CD_API_PORT`). */
const INSTALL_PORTS = new Map([
  ['API', { note: 'API listener', service: 'ndm-requester' }],
  ['HOST', { note: 'server listener for partner sessions', service: 'ndm-server' }],
  ['POSTGRESQL', { note: 'PostgreSQL database of this installation', service: 'postgresql' }],
]);

/**
 * Reads the Windows INI files: the netmap export (`[Node:NAME]` with `IPAddress=host;port`, the alternate and
 * UDT addresses) and the cd_srvr.ini response file (`CD_API_IP`/`CD_API_PORT`, `CD_HOST_IP`/`CD_HOST_PORT` and
 * every other `CD_*_PORT`, where the matching `_IP` key decides who can reach the listener).
 */
export const windowsIniScanner: FormatScanner = {
  scan(text: string, context: ScanContext): ScanOutput {
    const out = new MentionCollector(WINDOWS_INI_LANGUAGE, context.resolveServiceName);
    for (const section of readIni(text)) {
      if (section.kind === 'node') readNodeSection(text, section, out);
      for (const entry of section.entries) readInstallEntry(text, section, entry, out);
    }
    return out.output;
  },
};

function readNodeSection(text: string, section: IniSection, out: MentionCollector): void {
  const partner = `partner ${section.title}`;
  const related = section.nameSpan ? [{ span: section.nameSpan, message: `node ${section.title}` }] : undefined;
  for (const entry of section.entries) {
    const key = entry.key.toLowerCase();
    const address = NODE_ADDRESS_KEYS.get(key);
    if (address) {
      for (const item of listItems(entry.value)) {
        const split = splitSemicolonHostPort(entry.value, item.from, item.to);
        if (!split) continue;
        const at = address.alternate ? ' at alternate address ' : ' at ';
        const mention = out.addPort(
          valueToken(entry),
          split.portFrom,
          split.portTo,
          {
            protocol: address.protocol,
            role: 'connect',
            exposure: 'unknown',
            context: {
              tool: NETMAP_TOOL,
              direction: 'outbound',
              peer: `the server of ${partner}${at}${split.host}`,
              note: `server port of ${partner}`,
            },
          },
          { allowNames: true },
        );
        if (mention && related) mention.related = related;
      }
    } else if (/^(udt33)?altcomminfo$/.test(key) && entry.value === '*') {
      const setting = settingToken(text, entry);
      out.addSignal(setting, 0, setting.text.length, 'alternate-comminfo-any', `${entry.key}=* for ${partner}`);
    }
  }
}

/** `CD_*_PORT` (with its `_IP` or `_HOST` partner key), `CD_NETMAP_CHECK=N`, and passwords in `*_PWD` keys. */
function readInstallEntry(text: string, section: IniSection, entry: IniEntry, out: MentionCollector): void {
  const key = entry.key.toUpperCase();
  const port = /^CD_(\w+)_PORT$/.exec(key);
  if (port) {
    readInstallPort(section, entry, port[1], out);
  } else if (key === 'CD_NETMAP_CHECK' && /^n/i.test(entry.value)) {
    const setting = settingToken(text, entry);
    out.addSignal(setting, 0, setting.text.length, 'netmap-check-off', `${entry.key}=${entry.value}`);
  } else if (key.startsWith('CD_') && namesAPassword(key) && isLiteralSecret(entry.value)) {
    out.addSignal(valueToken(entry), 0, entry.value.length, 'password-in-text', entry.key);
  }
}

function readInstallPort(section: IniSection, entry: IniEntry, purpose: string, out: MentionCollector): void {
  const address = entryOf(section, `CD_${purpose}_IP`);
  const host = entryOf(section, `CD_${purpose}_HOST`);
  const installPort = INSTALL_PORTS.get(purpose);
  const note = installPort ? `${installPort.note}, ${entry.key}` : entry.key;
  const service = installPort ? { service: installPort.service } : {};
  const related = address
    ? [{ span: address.keySpan, message: `${address.key} sets the address it listens on` }]
    : undefined;
  if (host && !address) {
    out.addPort(valueToken(entry), 0, entry.value.length, {
      protocol: 'tcp',
      role: 'connect',
      exposure: 'unknown',
      context: { tool: INSTALL_TOOL, direction: 'outbound', peer: host.value || `the host of ${host.key}`, note },
      ...service,
    });
    return;
  }
  // A blank address makes the installer take this computer's own address: one interface, not every one.
  const exposure: Exposure = address?.value ? classifyAddress(address.value) : 'unknown';
  const mention = out.addPort(valueToken(entry), 0, entry.value.length, {
    protocol: 'tcp',
    role: 'listen',
    exposure,
    context: { tool: INSTALL_TOOL, direction: 'inbound', bindAddress: address?.value || undefined, note },
    ...service,
  });
  if (mention && related) mention.related = related;
}
