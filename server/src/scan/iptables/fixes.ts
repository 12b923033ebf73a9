import type { TextEdit } from '../format';
import { lineAround } from '../lines';
import type { PortMention, Span } from '../mention';
import { sourceRestrictionEdit } from './rule';
import { ruleLineTokens } from './saveFile';

// ip6tables files say so through their chains (ufw6-), their ICMP protocol, or an IPv6 address after -s/-d.
const IPV6_EVIDENCE = /\bufw6-|\bipv6-icmp\b|\bicmpv6\b|(?:^|[ \t])(?:-[sd]|--source|--destination|--src|--dst)[ \t]+(?:![ \t]+)?[0-9a-f]{0,4}::?(?:[0-9a-f]|\/)/im;

// The rules ask for a fix per finding, all on the same text: look at each text once.
let lastFamily: { text: string; ipv6: boolean } | undefined;

/** The networks an iptables-save text can take: ip6tables files only IPv6 ones, iptables files only IPv4 ones. */
export function networksForFile(text: string, networks: readonly string[]): string[] {
  if (lastFamily?.text !== text) lastFamily = { text, ipv6: IPV6_EVIDENCE.test(text) };
  const { ipv6 } = lastFamily;
  return networks.filter((network) => network.includes(':') === ipv6);
}

/** The edit that restricts the rule on `line` to `networks`, if it can take one. */
export function restrictRuleLine(text: string, line: Span, networks: readonly string[]): TextEdit | undefined {
  return sourceRestrictionEdit(ruleLineTokens(text, line.start, line.end), networks);
}

/** Only inbound allow rules let anyone reach a port; a source on another rule changes nothing worth fixing. */
export function opensInbound(mention: PortMention): boolean {
  return mention.role === 'allow' && mention.context.direction === 'inbound';
}

/** iptables-save: `-s NET[,NET]` after the chain name of an inbound allow rule that names no source. */
export function restrictIptablesSource(text: string, mention: PortMention, networks: readonly string[]): TextEdit[] | undefined {
  if (!opensInbound(mention)) return undefined;
  const edit = restrictRuleLine(text, lineAround(text, mention.span.start), networksForFile(text, networks));
  return edit ? [edit] : undefined;
}
