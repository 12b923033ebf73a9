import { type NodeTarget, nodeParameter, resolveNode } from '../process/nodes';
import { type ProcessText, type Statement, processAt, readProcessText } from '../process/statements';
import { type AtomPlace, type Item, keyOf, locateAtom } from '../statement/items';
import { type HoverCard, card, code, lineNumber } from './card';

type NodeKey = 'SNODE' | 'PNODE';

const NODE_ROLES: Record<NodeKey, string> = { SNODE: 'secondary node', PNODE: 'primary node' };

/**
 * The card for `SNODE`/`PNODE` (the keyword, its value, or the bare word inside COPY and RUN TASK) and for
 * `&symbolics`: which node the process means, as far as this file says.
 */
export function processHover(text: string, offset: number): HoverCard | undefined {
  const process = readProcessText(text);
  const statement = process.statements.find(
    (candidate) => offset >= candidate.span.start && offset <= candidate.span.end,
  );
  if (!statement) return undefined;
  const words: Item[] = [...(statement.label ? [statement.label] : []), statement.keywordAtom, ...statement.items];
  const place = locateAtom(words, offset);
  if (!place || place.atom.quoted) return undefined;
  const node = nodeWord(place);
  if (node) {
    const header = place.owner ? statement : processAt(process, offset)?.header;
    return header ? nodeCard(text, process, header, node, place) : undefined;
  }
  if (place.atom.text.startsWith('&')) return symbolicCard(text, process, place);
  return undefined;
}

/** `SNODE=` / `PNODE=` (key or value), or the bare `SNODE` / `PNODE` that places a side of a COPY or a RUN TASK. */
function nodeWord(place: AtomPlace): NodeKey | undefined {
  const key = keyOf(place.owner);
  if (key === 'SNODE' || key === 'PNODE') return key;
  const word = place.atom.text.toUpperCase();
  return !place.owner && (word === 'SNODE' || word === 'PNODE') ? word : undefined;
}

function nodeCard(text: string, process: ProcessText, header: Statement, node: NodeKey, place: AtomPlace): HoverCard {
  const owner =
    header.keyword === 'SUBMIT' ? 'the submitted process' : `process ${code(header.label?.text ?? 'PROCESS')}`;
  const title = `**${node}** · ${NODE_ROLES[node]} of ${owner}`;
  const written = nodeParameter(header, node);
  if (!written) {
    const missing =
      node === 'PNODE'
        ? 'The node that runs the process: the Connect:Direct server it is submitted to.'
        : 'This process names no SNODE, so its copies and tasks have no partner node.';
    return card(place.atom.span, title, missing);
  }
  const target = resolveNode(written.assignment.value, written.next, process);
  return card(place.atom.span, title, describeTarget(target), viaLine(text, target));
}

function describeTarget(target: NodeTarget): string {
  switch (target.kind) {
    case 'address': {
      const port = target.portAtom.text.slice(target.portFrom, target.portTo);
      return `${code(`${target.host};${port}`)}: the address and port of the node, written in this file; no netmap record is needed.`;
    }
    case 'name':
      return `${code(target.name)} is a node name: the netmap of the node that runs the process gives its address. It is defined in the netmap, not in this file.`;
    case 'unset-symbolic':
      return `${code(target.name)} is not set in this file: its value comes with the submit (for example ${code(`submit file=... ${target.name}=host;1364`)}).`;
    case 'missing':
      return 'No node is written after the `=` yet.';
  }
}

function viaLine(text: string, target: NodeTarget): string | undefined {
  if (target.kind === 'missing' || target.via.length === 0) return undefined;
  return `Through ${target.via.map((step) => `${code(step.key.text)} (line ${lineNumber(text, step.span.start)})`).join(', then ')}.`;
}

function symbolicCard(text: string, process: ProcessText, place: AtomPlace): HoverCard {
  const name = place.atom.text;
  const definition = process.symbolics.get(name.toUpperCase());
  const title = `**${name}** · symbolic`;
  if (!definition) return card(place.atom.span, title, 'Not set in this file: its value comes with the submit.');
  const value = definition.value ? text.slice(definition.value.span.start, definition.value.span.end) : '';
  return card(place.atom.span, title, `Set to ${code(value)} on line ${lineNumber(text, definition.span.start)}.`);
}
