import {
  type Assignment,
  type Atom,
  type Group,
  type Item,
  isAtom,
  keyOf,
  parseItems,
  slotsOf,
} from '../statement/items';

/** A network-map entry: `LOCAL.NODE=((name, acbname,, superuser-password) ...)` or `ADJACENT.NODE=((name, port, address, type) ...)`. */
export interface ZosNode {
  local: boolean;
  statement: Assignment;
  /** The positional tuple. */
  tuple?: Group;
  name?: Atom;
  /** The second positional: the port for TCP/IP sessions (a VTAM APPLID for SNA ones). */
  port?: Atom;
  address?: Atom;
  /** Upper case: `TCP`, `UDT33`, `SNA`, `LU62`, ... or undefined when not written. */
  sessionType?: string;
}

/** What a z/OS parameter member holds: its statements (initialization parameters or network-map source). */
export interface ZosMember {
  statements: Assignment[];
  nodes: ZosNode[];
  localName?: string;
}

export function readZosMember(text: string): ZosMember {
  const statements = parseItems(text).filter((item): item is Assignment => item.kind === 'assign');
  const nodes: ZosNode[] = [];
  for (const statement of statements) {
    const key = keyOf(statement);
    if (key === 'LOCAL.NODE' || key === 'ADJACENT.NODE') nodes.push(readNode(statement, key === 'LOCAL.NODE'));
  }
  const localName = nodes.find((node) => node.local)?.name?.text;
  return { statements, nodes, localName };
}

/**
 * The positional tuple is the first parenthesised group of the entry that is not a keyword's value, or the
 * entry's own parentheses when it holds nothing else (`ADJACENT.NODE=(NAME,1364,addr,TCP)`).
 */
function readNode(statement: Assignment, local: boolean): ZosNode {
  const value = statement.value;
  const nested = slotsOf(value).find((slot): slot is Group => slot?.kind === 'group');
  const tuple = nested ?? (value?.kind === 'group' && isAtom(value.slots[0]) ? value : undefined);
  const slots: (Item | undefined)[] = tuple?.slots ?? [];
  const atom = (index: number) => (isAtom(slots[index]) ? slots[index] : undefined);
  return {
    local,
    statement,
    tuple,
    name: atom(0),
    port: atom(1),
    address: atom(2),
    sessionType: atom(3)?.text.toUpperCase(),
  };
}

/** Keyword parameters of an entry, outside its positional tuple: `TCPAPI=(...)`, `ALTERNATE.COMMINFO=(...)`. */
export function nodeKeywords(node: ZosNode): Assignment[] {
  return slotsOf(node.statement.value).filter((slot): slot is Assignment => slot?.kind === 'assign');
}
