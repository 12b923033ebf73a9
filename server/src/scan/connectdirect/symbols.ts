import type { OutlineSymbol } from '../format';
import { nodeParameter } from './process/nodes';
import { type Statement, readProcessText } from './process/statements';
import { readSpcliScript } from './spcli/spcliScript';
import { keyOf } from './statement/items';
import { fieldOf, readRecords } from './unix/records';
import { looksLikeWindowsIni } from './unix/unixConfigScanner';
import { entryOf, readIni } from './windows/ini';
import { readZosMember } from './zos/members';

/** Values shown next to a symbol are cut to this length. */
const DETAIL_LENGTH = 60;

function brief(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > DETAIL_LENGTH ? `${folded.slice(0, DETAIL_LENGTH - 1)}…` : folded;
}

/** Processes (label + PROCESS, with SNODE as detail) and their labelled steps. */
export function processSymbols(text: string): OutlineSymbol[] {
  const process = readProcessText(text);
  return process.processes.map((block) => {
    const snode = nodeParameter(block.header, 'SNODE')?.assignment;
    return {
      name: block.name,
      detail: snode ? brief(text.slice(snode.span.start, snode.span.end)) : undefined,
      kind: 'process',
      span: block.span,
      selection: (block.header.label ?? block.header.keywordAtom).span,
      children: block.statements.filter((statement) => statement.label).map(stepSymbol),
    };
  });
}

function stepSymbol(statement: Statement): OutlineSymbol {
  const next = statement.items[0];
  const detail =
    statement.keyword === 'RUN' && next?.kind === 'atom' ? `RUN ${next.text.toUpperCase()}` : statement.keyword;
  return { name: statement.label!.text, detail, kind: 'step', span: statement.span, selection: statement.label!.span };
}

/** The records of a UNIX configuration file: this node, partners (with their `comm.info`) and the rest. */
export function unixRecordSymbols(text: string): OutlineSymbol[] {
  if (looksLikeWindowsIni(text)) return iniSymbols(text);
  return readRecords(text).flatMap((record): OutlineSymbol[] => {
    if (!record.name || !record.nameSpan) return [];
    const address = fieldOf(record, 'comm.info') ?? fieldOf(record, 'tcp.api');
    const name = record.name.toLowerCase();
    const isNode = name === 'local.node' || (name !== 'rnode.listen' && fieldOf(record, 'comm.info') !== undefined);
    return [
      {
        name: record.name,
        detail: address?.value,
        kind: isNode ? 'node' : 'record',
        span: record.span,
        selection: record.nameSpan,
      },
    ];
  });
}

/** `[Node:NAME]` sections as nodes, other sections by their bracketed name. */
export function iniSymbols(text: string): OutlineSymbol[] {
  return readIni(text).flatMap((section): OutlineSymbol[] => {
    if (!section.nameSpan) return [];
    const isNode = section.kind === 'node';
    return [
      {
        name: isNode ? section.title : text.slice(section.nameSpan.start, section.nameSpan.end),
        detail: isNode ? entryOf(section, 'IPAddress')?.value : undefined,
        kind: isNode ? 'node' : 'section',
        span: section.span,
        selection: section.nameSpan,
      },
    ];
  });
}

/** LOCAL.NODE and ADJACENT.NODE entries by node name; initialization parameters by keyword. */
export function zosSymbols(text: string): OutlineSymbol[] {
  const member = readZosMember(text);
  return member.statements.map((statement) => {
    const node = member.nodes.find((candidate) => candidate.statement === statement);
    if (node?.name) {
      const detail = [keyOf(statement), node.port?.text, node.address?.text].filter(Boolean).join(' ');
      return { name: node.name.text, detail, kind: 'node', span: statement.span, selection: node.name.span };
    }
    const value = statement.value ? brief(text.slice(statement.value.span.start, statement.value.span.end)) : undefined;
    return {
      name: statement.key.text,
      detail: value,
      kind: 'variable',
      span: statement.span,
      selection: statement.key.span,
    };
  });
}

/** spcli commands: `update localnode`, `import keycert`, with the node or file they name. */
export function spcliSymbols(text: string): OutlineSymbol[] {
  return readSpcliScript(text).map((command) => {
    const named = command.settings.find((setting) => setting.key === 'name' || setting.key === 'file');
    return {
      name: command.name,
      detail: named?.value,
      kind: 'section',
      span: command.span,
      selection: command.nameSpan,
    };
  });
}
