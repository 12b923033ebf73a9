import { type SemicolonHostPort, splitSemicolonHostPort } from '../hostPort';
import { type Assignment, type Atom, type Item, isAtom } from '../statement/items';
import type { ProcessText, Statement } from './statements';

/** Symbolics that name symbolics (`&node=&MYNODE`) are followed this far. */
const MAX_SYMBOLIC_HOPS = 4;

/** What `SNODE=` or `PNODE=` names, once symbolics are resolved within the file. */
export type NodeTarget =
  /** `host;port`, `TCPNAME=host;port` or `TCPNAME=host, port`: `port` lies in `portAtom` at [portFrom, portTo). */
  | {
      kind: 'address';
      host: string;
      portAtom: Atom;
      portFrom: number;
      portTo: number;
      written: Atom;
      via: Assignment[];
    }
  /** A node name, which the netmap defines. */
  | { kind: 'name'; name: string; written: Atom; via: Assignment[] }
  /** A symbolic that this file never sets: it comes with the submit. */
  | { kind: 'unset-symbolic'; name: string; written: Atom; via: Assignment[] }
  | { kind: 'missing' };

/** The node a statement's `SNODE=` (or `PNODE=`) names; `next` is the item after it (`TCPNAME=host, 1364`). */
export function resolveNode(value: Item | undefined, next: Item | undefined, text: ProcessText): NodeTarget {
  const via: Assignment[] = [];
  let current = value;
  let following = next;
  for (let hop = 0; hop <= MAX_SYMBOLIC_HOPS; hop++) {
    if (current?.kind === 'assign' && current.key.text.toUpperCase() === 'TCPNAME') current = current.value;
    if (!isAtom(current)) return { kind: 'missing' };
    if (!current.quoted && current.text.startsWith('&')) {
      const definition = text.symbolics.get(current.text.toUpperCase());
      if (!definition) return { kind: 'unset-symbolic', name: current.text, written: current, via };
      via.push(definition);
      current = definition.value;
      following = undefined;
      continue;
    }
    return addressOrName(current, following, via);
  }
  return { kind: 'missing' };
}

function addressOrName(atom: Atom, next: Item | undefined, via: Assignment[]): NodeTarget {
  const split: SemicolonHostPort | undefined = splitSemicolonHostPort(atom.text);
  if (split)
    return {
      kind: 'address',
      host: split.host,
      portAtom: atom,
      portFrom: split.portFrom,
      portTo: split.portTo,
      written: atom,
      via,
    };
  if (isAtom(next) && next.commaBefore && /^\d{1,5};?$/.test(next.text)) {
    return {
      kind: 'address',
      host: atom.text,
      portAtom: next,
      portFrom: 0,
      portTo: next.text.replace(/;$/, '').length,
      written: atom,
      via,
    };
  }
  return { kind: 'name', name: atom.text, written: atom, via };
}

/** The `KEY=` parameter of a statement and the item after it. */
export function nodeParameter(
  statement: Statement,
  key: 'SNODE' | 'PNODE',
): { assignment: Assignment; next: Item | undefined } | undefined {
  const index = statement.items.findIndex((item) => item.kind === 'assign' && item.key.text.toUpperCase() === key);
  if (index < 0) return undefined;
  return { assignment: statement.items[index] as Assignment, next: statement.items[index + 1] };
}
