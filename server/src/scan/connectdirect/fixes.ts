import { parseIpv6 } from '../exposure';
import type { FormatFixes, TextEdit } from '../format';
import type { RiskSignal, Span } from '../mention';
import { weakProtocolName } from './security';
import { type SpcliSetting, readSpcliScript } from './spcli/spcliScript';
import { type Group, isAtom, keyOf, slotsOf } from './statement/items';
import { entryOf, readIni } from './windows/ini';
import { readZosMember } from './zos/members';

/*
 * Only API listeners get "bind to loopback": the CLI, Control Center and API programs can reach the API on
 * this host through 127.0.0.1, while the server port (comm.info in rnode.listen, TCP.LISTEN, CD_HOST_IP) must
 * stay reachable by partners, so no address can be chosen for it automatically. `SECURE=OFF`,
 * `alternate.comminfo=*` and passwords have no safe automatic value either.
 */

function contains(outer: Span, inner: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** 127.0.0.1, or ::1 where the listener was written with an IPv6 address. */
function loopbackLike(address: string): string {
  return parseIpv6(address.replace(/^\[|\]$/g, '')) ? '::1' : '127.0.0.1';
}

/** The new value in the case the old one was written in (`n` becomes `y`, `NO` becomes `YES`). */
function inCaseOf(old: string, value: string): string {
  return old === old.toLowerCase() ? value.toLowerCase() : value.toUpperCase();
}

/** Replaces the value after the `=` of a setting signal (`netmap.check=n`, `S+CMD.ENFORCE.SECURE.CONNECTION=NO`). */
function replaceSettingValue(text: string, span: Span, value: string): TextEdit[] {
  const written = text.slice(span.start, span.end);
  const equals = written.indexOf('=');
  let valueStart = equals + 1;
  while (valueStart < written.length && /[\s(]/.test(written[valueStart])) valueStart++;
  const old = written.slice(valueStart).replace(/[\s)]+$/, '');
  const start = span.start + valueStart;
  return [{ span: { start, end: start + old.length }, newText: inCaseOf(old, value) }];
}

/** `netmap.check=n`, `CD_NETMAP_CHECK=N` and `S+CMD.ENFORCE.SECURE.CONNECTION=NO` have a safe opposite. */
function resolveSettingSignal(text: string, signal: RiskSignal): TextEdit[] | undefined {
  if (signal.kind === 'netmap-check-off') return replaceSettingValue(text, signal.span, 'y');
  if (signal.kind === 'secure-connection-not-enforced') return replaceSettingValue(text, signal.span, 'YES');
  return undefined;
}

/** `SECURE=TLS11` becomes `SECURE=TLS12`; the cipher suites after it stay. */
export const processFixes: FormatFixes = {
  resolveSignal(text, signal) {
    if (signal.kind !== 'weak-protocol') return undefined;
    const old = text.slice(signal.span.start, signal.span.end);
    return [{ span: signal.span, newText: inCaseOf(old, 'TLS12') }];
  },
};

/**
 * `tcp.api=0.0.0.0;1363` becomes `tcp.api=127.0.0.1;1363`; `netmap.check=n` becomes `netmap.check=y`. Both
 * read only the line around the setting, so they work where the record is a heredoc or a sed edit in a script.
 */
export const unixRecordFixes: FormatFixes = {
  bindToLoopback(text, mention) {
    const lineStart = text.lastIndexOf('\n', mention.span.start - 1) + 1;
    const before = text.slice(lineStart, mention.span.start);
    const equals = before.lastIndexOf('=');
    if (equals < 0 || !/(^|:)tcp\.api$/i.test(before.slice(0, equals).trimStart())) return undefined;
    const itemStart = lineStart + Math.max(equals, before.lastIndexOf(',')) + 1;
    const semicolon = text.lastIndexOf(';', mention.span.start - 1);
    if (semicolon < itemStart)
      return [{ span: { start: mention.span.start, end: mention.span.start }, newText: '127.0.0.1;' }];
    const host = text.slice(itemStart, semicolon);
    const hostStart = itemStart + (host.length - host.trimStart().length);
    return [{ span: { start: hostStart, end: semicolon }, newText: loopbackLike(host.trim()) }];
  },
  resolveSignal: resolveSettingSignal,
};

/** `CD_API_IP=0.0.0.0` becomes `CD_API_IP=127.0.0.1` (or the line is added); `CD_NETMAP_CHECK=N` becomes `Y`. */
export const windowsIniFixes: FormatFixes = {
  bindToLoopback(text, mention) {
    for (const section of readIni(text)) {
      const port = section.entries.find(
        (entry) =>
          entry.key.toUpperCase() === 'CD_API_PORT' &&
          contains({ start: entry.valueStart, end: entry.valueStart + entry.value.length }, mention.span),
      );
      if (!port) continue;
      const address = entryOf(section, 'CD_API_IP');
      if (address)
        return [
          {
            span: { start: address.valueStart, end: address.valueStart + address.value.length },
            newText: loopbackLike(address.value),
          },
        ];
      const newline = text.includes('\r\n') ? '\r\n' : '\n';
      return [
        { span: { start: port.keySpan.start, end: port.keySpan.start }, newText: `CD_API_IP=127.0.0.1${newline}` },
      ];
    }
    return undefined;
  },
  resolveSignal: resolveSettingSignal,
};

/** `TCP.API.LISTEN=(ANYADDR6,1363)` becomes `(127.0.0.1,1363)`; `S+CMD.ENFORCE.SECURE.CONNECTION=NO` becomes `YES`. */
export const zosFixes: FormatFixes = {
  bindToLoopback(text, mention) {
    for (const statement of readZosMember(text).statements) {
      if (keyOf(statement) !== 'TCP.API.LISTEN' || !contains(statement.span, mention.span)) continue;
      const slots = slotsOf(statement.value);
      const pairs = slots[0]?.kind === 'group' ? slots : [statement.value];
      const pair = pairs.find(
        (candidate): candidate is Group => candidate?.kind === 'group' && contains(candidate.span, mention.span),
      );
      if (!pair) return undefined;
      const address = pair.slots[0];
      if (isAtom(address)) return [{ span: address.span, newText: parseIpv6(address.text) ? '::1' : '127.0.0.1' }];
      return [{ span: { start: pair.span.start + 1, end: pair.span.start + 1 }, newText: '127.0.0.1' }];
    }
    return undefined;
  },
  resolveSignal: resolveSettingSignal,
};

/**
 * `protocol=(tls1.0)` becomes `protocol=(tls1.2)`; in a list that already holds a current protocol
 * (`protocol=(tls1.1,tls1.2)`) the old one is removed instead.
 */
export const spcliFixes: FormatFixes = {
  resolveSignal(_text, signal, analyses) {
    if (signal.kind !== 'weak-protocol') return undefined;
    const found = analyses.of(protocolItems).get(signal.span.start);
    if (!found) return undefined;
    const { items, index } = found;
    const item = items[index];
    if (items.every((other) => weakProtocolName(other.text)))
      return [{ span: signal.span, newText: inCaseOf(item.text, 'tls1.2') }];
    const next = items[index + 1];
    const previous = items[index - 1];
    const span = next
      ? { start: item.start, end: next.start }
      : { start: previous.start + previous.text.length, end: item.start + item.text.length };
    return [{ span, newText: '' }];
  },
};

/**
 * Each item of the script's `protocol=` lists by where it starts, read once per text: a script has a finding per
 * weak protocol, and reading the whole script again for each made long scripts cost the square of their length.
 */
function protocolItems(text: string) {
  const byStart = new Map<number, { items: SpcliSetting['items']; index: number }>();
  for (const command of readSpcliScript(text)) {
    for (const setting of command.settings) {
      if (setting.key !== 'protocol') continue;
      setting.items.forEach((item, index) => byStart.set(item.start, { items: setting.items, index }));
    }
  }
  return byStart;
}
