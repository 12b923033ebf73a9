import { entryOf, readIni } from '../windows/ini';
import { type HoverCard, card, code, keyCard } from './card';

/** What the settings of the Windows files mean. */
const ENTRIES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    ipaddress: "Address and port of the partner's server (`host;port`).",
    altcommaddr: 'Other `host;port` addresses to try when connecting to this partner.',
    altcomminfo: 'Other addresses this partner may connect from; `*` accepts any address.',
    udt33ipaddress: "Address and port of the partner's server for UDT sessions (over UDP).",
    buffersize: 'Buffer size, in bytes (not a port).',
    lretrytime: 'Wait between long-term retries (not a port).',
    sretrytime: 'Wait between short-term retries (not a port).',
    sesspnodemax: 'Most sessions where this node is the PNODE (not a port).',
    sesssnodemax: 'Most sessions where this node is the SNODE (not a port).',
    cd_api_ip: 'Address the API listener binds to; `0.0.0.0` is every interface.',
    cd_api_port: 'Port of the API listener (default 1363).',
    cd_host_ip:
      "Address the server listens on for partner sessions; `0.0.0.0` is every interface, blank is this computer's address.",
    cd_host_port: 'Port of the server for partner sessions (default 1364).',
    cd_netmap_check: '`Y`: only nodes in the netmap may start sessions; `N`: any node may.',
  }),
);

/** The card for a `[Node:NAME]` section name or a setting of a Windows netmap export or cd_srvr.ini. */
export function iniHover(text: string, offset: number): HoverCard | undefined {
  for (const section of readIni(text)) {
    if (section.nameSpan && offset >= section.nameSpan.start && offset <= section.nameSpan.end) {
      if (section.kind !== 'node') return undefined;
      const address = entryOf(section, 'IPAddress')?.value;
      return card(
        section.nameSpan,
        `**${section.title}** · remote node (Windows netmap)`,
        address ? `Partner's server: ${code(address)}.` : 'No address: the name is resolved when a session starts.',
      );
    }
    const entry = section.entries.find(
      (candidate) => offset >= candidate.keySpan.start && offset <= candidate.valueStart + candidate.value.length,
    );
    if (entry) return keyCard(ENTRIES, entry.key, entry.keySpan, entry.key);
  }
  return undefined;
}
