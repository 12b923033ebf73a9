import { parseIpv4 } from '../exposure';
import { lineAround } from '../lines';
import { richRuleOptions } from '../firewalld/fixes';
import { sourceRestrictionEdit } from '../iptables/rule';
import type { FormatFixes, TextEdit } from '../format';
import type { PortMention } from '../mention';
import { type Token, splitWords } from '../token';

/** The physical line around an offset: its start, and its text without the line break. */
function physicalLine(text: string, offset: number): { start: number; text: string } {
  const { start, end } = lineAround(text, offset);
  return { start, text: text.slice(start, end) };
}

function insertAt(offset: number, newText: string): TextEdit {
  return { span: { start: offset, end: offset }, newText };
}

/** The word of the line that holds the mention, and the words of the whole line. */
function wordsAround(
  text: string,
  mention: PortMention,
): { words: Token[]; at: number; line: { start: number; text: string } } | undefined {
  const line = physicalLine(text, mention.span.start);
  const words = splitWords(line.text, line.start);
  const at = words.findIndex((word) => word.span.start <= mention.span.start && word.span.end >= mention.span.end);
  return at < 0 ? undefined : { words, at, line };
}

function networksForFamily(networks: readonly string[], ipv6: boolean): string[] {
  return networks.filter((network) => (parseIpv4(network.split('/')[0]) === undefined) === ipv6);
}

/** `iptables -A INPUT -p tcp --dport 1363 -j ACCEPT` gets ` -s NETS` of its family right after the chain. */
function restrictIptables(words: Token[], networks: readonly string[]): TextEdit[] | undefined {
  const ipv6 = words.some((word) => /^ip6tables/.test(word.text.replace(/^.*\//, '')));
  const edit = sourceRestrictionEdit(words, networksForFamily(networks, ipv6));
  return edit && [edit];
}

/**
 * ufw takes one `from` per rule: `ufw allow 447/tcp` becomes one `ufw allow from NET to any port 447 proto tcp`
 * line per network, and a full rule without `from` gets `from NET` before its `to`.
 */
function restrictUfw(
  words: Token[],
  line: { start: number; text: string },
  networks: readonly string[],
): TextEdit[] | undefined {
  if (words.some((word) => word.text === 'from')) return undefined;
  const actionAt = words.findIndex((word) => /^(allow|limit)$/.test(word.text));
  if (actionAt < 0) return undefined;
  const toAt = words.findIndex((word) => word.text === 'to');
  let variant: (network: string) => string;
  if (toAt >= 0) {
    const cut = words[toAt].span.start - line.start;
    variant = (network) => `${line.text.slice(0, cut)}from ${network} ${line.text.slice(cut)}`;
  } else {
    const target = words[actionAt + 1];
    const [ports, protocol] = target?.text.split('/') ?? [];
    if (!target || words.length !== actionAt + 2 || !/^[\d,:]+$/.test(ports)) return undefined;
    const head = line.text.slice(0, target.span.start - line.start);
    const rule = `to any port ${ports}${protocol ? ` proto ${protocol}` : ''}`;
    variant = (network) => `${head}from ${network} ${rule}${line.text.slice(target.span.end - line.start)}`;
  }
  return [
    { span: { start: line.start, end: line.start + line.text.length }, newText: networks.map(variant).join('\n') },
  ];
}

/** `--add-port=1364/tcp` becomes one `--add-rich-rule` per network that accepts that port from it. */
function restrictFirewallCmd(
  words: Token[],
  mention: PortMention,
  networks: readonly string[],
): TextEdit[] | undefined {
  const option = words.find(
    (word) =>
      word.text.startsWith('--add-port') && word.span.start <= mention.span.start && word.span.end >= mention.span.end,
  );
  if (!option) return undefined;
  const [ports, protocol] = option.text.replace(/^--add-port=?/, '').split('/');
  if (!ports || !protocol) return undefined;
  return [{ span: option.span, newText: richRuleOptions(ports, protocol, networks) }];
}

/** `-p 8080:80` becomes `-p 127.0.0.1:8080:80`; a bare `-p 80` becomes `-p 127.0.0.1::80`. */
function bindPublish(word: Token): TextEdit[] | undefined {
  const valueStart = word.text.startsWith('-') ? word.text.indexOf('=') + 1 : 0;
  const value = word.text.slice(valueStart);
  if (value.includes('=') || value.split(':').length > 2) return undefined;
  const offset = word.spanOf(valueStart, valueStart).start;
  return [insertAt(offset, value.includes(':') ? '127.0.0.1:' : '127.0.0.1::')];
}

function replaceOrInsert(words: Token[], names: RegExp, afterWord: Token, insertion: string): TextEdit[] {
  const at = words.findIndex((word) => names.test(word.text));
  if (at >= 0 && words[at + 1] && !words[at].text.includes('='))
    return [{ span: words[at + 1].span, newText: '127.0.0.1' }];
  if (at >= 0 && words[at].text.includes('=')) {
    const equals = words[at].text.indexOf('=');
    return [{ span: words[at].spanOf(equals + 1, words[at].text.length), newText: '127.0.0.1' }];
  }
  return [insertAt(afterWord.span.end, insertion)];
}

/** Quick fixes for commands in shell scripts, by the program that holds the port. */
export const shellFixes: FormatFixes = {
  restrictSource(text, mention, networks) {
    const found = wordsAround(text, mention);
    if (!found || mention.context.source !== undefined) return undefined;
    const tool = mention.context.tool;
    if (/^ip6?tables/.test(tool)) return restrictIptables(found.words, networks);
    if (tool === 'ufw') return restrictUfw(found.words, found.line, networks);
    if (tool === 'firewall-cmd') return restrictFirewallCmd(found.words, mention, networks);
    return undefined;
  },

  bindToLoopback(text, mention) {
    const found = wordsAround(text, mention);
    if (!found) return undefined;
    const { words, at } = found;
    const tool = mention.context.tool;
    if (/^(docker|podman|nerdctl) /.test(tool) && mention.role === 'publish') return bindPublish(words[at]);
    if (tool.startsWith('python -m'))
      return replaceOrInsert(words, /^(-b|--bind)(=|$)/, words[at], ' --bind 127.0.0.1');
    if (tool === 'kubectl port-forward')
      return replaceOrInsert(words, /^--address(=|$)/, words[words.length - 1], ' --address 127.0.0.1');
    if (tool === 'socat') {
      const word = words[at];
      const bind = /bind=([^,]*)/.exec(word.text);
      if (bind) return [{ span: word.spanOf(bind.index + 5, bind.index + 5 + bind[1].length), newText: '127.0.0.1' }];
      return [insertAt(mention.span.end, ',bind=127.0.0.1')];
    }
    if (tool === 'ssh -L' || tool === 'ssh -D' || tool === 'php -S') {
      const bindAddress = mention.context.bindAddress;
      const word = words[at];
      if (bindAddress === undefined) return undefined;
      const from = word.text.indexOf(bindAddress);
      return from < 0 ? undefined : [{ span: word.spanOf(from, from + bindAddress.length), newText: '127.0.0.1' }];
    }
    return undefined;
  },
};
