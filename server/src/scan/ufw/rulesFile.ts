import type { MentionCollector, MentionFacts } from '../collector';
import type { TextEdit } from '../format';
import { networksForFile, opensInbound, restrictRuleLine } from '../iptables/fixes';
import { lineAround } from '../lines';
import type { IptablesRule } from '../iptables/rule';
import { type RuleReading, type SaveFileLine, readSaveFile, scanSaveFile } from '../iptables/saveFile';
import type { PortMention, Span } from '../mention';
import { ROUTED_NOTE, TUPLE_MARK, type UfwTuple, fromAnySource, parseUfwTuple, tupleMeaning } from './tuple';

const TUPLE_PORT_SPEC = { rangeSeparators: ':' };

/**
 * Reads the rules of one `### tuple ###` comment: the tuple says what the rule does, and the `-A` lines right
 * after it carry the ports. ufw writes one rule as several lines (tcp and udp for `any`, three for `limit`):
 * the first line with a given port reports the rule's exposure, the others point back at it.
 */
class TupleScope {
  private readonly seen = new Set<string>();
  private ported = false;

  constructor(readonly tuple: UfwTuple) {}

  restate(rule: IptablesRule, reading: RuleReading): RuleReading {
    const related = [...reading.related, { span: this.tuple.line, message: 'the ufw rule these lines implement' }];
    if (rule.destinationPorts.length > 0) this.ported = true;
    const key = `${rule.protocol} ${rule.destinationPorts.map((option) => option.token.text).join(' ')}`;
    const { role, exposure, source, note } = tupleMeaning(this.tuple);
    const context = {
      ...reading.facts.context,
      direction: this.tuple.direction,
      source,
      interface: this.tuple.interfaceIn ?? this.tuple.interfaceOut,
      note,
    };
    if (this.seen.has(key)) {
      return {
        facts: {
          ...reading.facts,
          role: 'other',
          exposure: 'unknown',
          context: { ...context, note: 'another line of the same ufw rule' },
        },
        related,
      };
    }
    this.seen.add(key);
    return { facts: { ...reading.facts, role, exposure, context }, related };
  }

  /** A tuple whose lines carry no port (hand-edited, cut short) still names its ports in its own fields. */
  close(out: MentionCollector): void {
    if (this.ported) return;
    const { role, exposure, source, note } = tupleMeaning(this.tuple);
    const context = {
      tool: 'ufw',
      direction: this.tuple.direction,
      source,
      interface: this.tuple.interfaceIn ?? this.tuple.interfaceOut,
      note,
    };
    const facts: MentionFacts = { protocol: this.tuple.protocol, role, exposure, context };
    const related = [{ span: this.tuple.line, message: 'the ufw rule' }];
    const add = (mentions: PortMention[]) => mentions.forEach((mention) => (mention.related = related));
    const { destinationPort, sourcePort } = this.tuple;
    add(out.addPortList(destinationPort, 0, destinationPort.text.length, facts, TUPLE_PORT_SPEC));
    const sourceFacts: MentionFacts = {
      ...facts,
      role: 'other',
      exposure: 'unknown',
      context: { ...context, note: 'source port of the matched packets' },
    };
    add(out.addPortList(sourcePort, 0, sourcePort.text.length, sourceFacts, TUPLE_PORT_SPEC));
  }
}

/** ufw's `*-forward` chains hold the rules for traffic routed through the host. */
function routedReading(rule: IptablesRule, reading: RuleReading): RuleReading {
  const { facts } = reading;
  if (!/^ufw6?-.*forward$/.test(rule.chain ?? '') || facts.role === 'other') return reading;
  return { ...reading, facts: { ...facts, context: { ...facts.context, note: ROUTED_NOTE } } };
}

/**
 * ufw's rule files (user.rules, user6.rules, before.rules, after.rules): iptables-restore syntax with `ufw-*`
 * chains, read like any iptables-save file, with the tuple comments of user.rules restating their rules.
 */
export function scanUfwRules(text: string, out: MentionCollector): void {
  let scope: TupleScope | undefined;
  const visit = (line: SaveFileLine, reading?: RuleReading): RuleReading | undefined => {
    if (line.kind === 'rule') {
      const own = reading && routedReading(line.rule, reading);
      return scope && own ? scope.restate(line.rule, own) : own;
    }
    scope?.close(out);
    const tuple = line.kind === 'comment' ? parseUfwTuple(text, line.line.start, line.line.end) : undefined;
    scope = tuple && new TupleScope(tuple);
    return undefined;
  };
  scanSaveFile(readSaveFile(text), out, { tool: 'ufw', visit });
  scope?.close(out);
}

type LineKind = 'tuple' | 'rule' | 'other';

function lineKind(text: string, line: Span): LineKind {
  const content = text.slice(line.start, line.end).trimStart();
  if (content.startsWith(TUPLE_MARK)) return 'tuple';
  return content.startsWith('-') || content.startsWith('[') ? 'rule' : 'other';
}

/** The tuple comment whose scope holds `line` (only rule lines between them), if there is one. */
function tupleAbove(text: string, line: Span): Span | undefined {
  for (let above = line; above.start > 0; ) {
    above = lineAround(text, above.start - 1);
    const kind = lineKind(text, above);
    if (kind !== 'rule') return kind === 'tuple' ? above : undefined;
  }
  return undefined;
}

/** The rule lines right after a tuple comment. */
function linesOfTuple(text: string, tupleLine: Span): Span[] {
  const lines: Span[] = [];
  for (let next = tupleLine.end; next < text.length; ) {
    const line = lineAround(text, text.indexOf('\n', next) + 1);
    if (line.start <= next || lineKind(text, line) !== 'rule') break;
    lines.push(line);
    next = line.end;
  }
  return lines;
}

/**
 * `-s NET` after the chain name of an allow rule without a source. In user.rules the tuple comment is changed
 * too (its SRC field, which holds one network), on every line of the rule, or ufw would write the rule back
 * as it was.
 */
export function restrictUfwSource(
  text: string,
  mention: PortMention,
  networks: readonly string[],
): TextEdit[] | undefined {
  if (!opensInbound(mention)) return undefined;
  const line = lineAround(text, mention.span.start);
  const tupleLine = tupleAbove(text, line);
  if (!tupleLine) {
    const edit = restrictRuleLine(text, line, networks);
    return edit ? [edit] : undefined;
  }
  const fitting = networksForFile(text, networks);
  const tuple = parseUfwTuple(text, tupleLine.start, tupleLine.end);
  if (!tuple || !fromAnySource(tuple) || fitting.length !== 1) return undefined;
  const edits: TextEdit[] = [{ span: tuple.source.span, newText: fitting[0] }];
  for (const ruleLine of linesOfTuple(text, tupleLine)) {
    const edit = restrictRuleLine(text, ruleLine, networks);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return edits;
}
