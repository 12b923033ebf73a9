import type { TextEdit } from '../format';
import { lineAround } from '../lines';
import type { PortMention, Span } from '../mention';
import { sourceRestrictionEdit } from './rule';
import { ruleLineTokens } from './saveFile';

// ip6tables files say so through their chains (ufw6-), their ICMP protocol, or an IPv6 address after -s/-d.
const IPV6_EVIDENCE =
  /\bufw6-|\bipv6-icmp\b|\bicmpv6\b|(?:^|[ \t])(?:-[sd]|--source|--destination|--src|--dst)[ \t]+(?:![ \t]+)?[0-9a-f]{0,4}::?(?:[0-9a-f]|\/)/im;

/**
 * The rules ask for a fix per finding, all on the same text, and in the order of the ports, so the ports of one
 * multiport rule ask for the same edit one after another: the last text's fitting networks and its last line's
 * edit are kept, for the trusted networks they were made for.
 */
interface TextFixes {
  text: string;
  networks: readonly string[];
  fitting: string[];
  lastLine?: { start: number; edit: TextEdit | undefined };
}
let lastText: TextFixes | undefined;

function fixesOfText(text: string, networks: readonly string[]): TextFixes {
  if (lastText?.text !== text || lastText.networks !== networks) {
    const ipv6 = IPV6_EVIDENCE.test(text);
    lastText = { text, networks, fitting: networks.filter((network) => network.includes(':') === ipv6) };
  }
  return lastText;
}

/** The networks an iptables-save text can take: ip6tables files only IPv6 ones, iptables files only IPv4 ones. */
export function networksForFile(text: string, networks: readonly string[]): string[] {
  return fixesOfText(text, networks).fitting;
}

/** The edit that restricts the rule on `line` to those of `networks` the file can take, if it can take one. */
export function restrictRuleLine(text: string, line: Span, networks: readonly string[]): TextEdit | undefined {
  const fixes = fixesOfText(text, networks);
  if (fixes.lastLine?.start !== line.start) {
    fixes.lastLine = {
      start: line.start,
      edit: sourceRestrictionEdit(ruleLineTokens(text, line.start, line.end), fixes.fitting),
    };
  }
  return fixes.lastLine.edit;
}

/** Only inbound allow and forward rules let anyone reach a port; a source on another rule changes nothing worth fixing. */
export function opensInbound(mention: PortMention): boolean {
  return (mention.role === 'allow' || mention.role === 'forward') && mention.context.direction === 'inbound';
}

/** iptables-save: `-s NET[,NET]` after the chain name of an inbound allow rule that names no source. */
export function restrictIptablesSource(
  text: string,
  mention: PortMention,
  networks: readonly string[],
): TextEdit[] | undefined {
  if (!opensInbound(mention)) return undefined;
  const edit = restrictRuleLine(text, lineAround(text, mention.span.start), networks);
  return edit ? [edit] : undefined;
}
