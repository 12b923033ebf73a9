import { MentionCollector, type MentionFacts } from '../../collector';
import type { FormatScanner, ScanContext } from '../../format';
import type { ScanOutput, Span } from '../../mention';
import { SHELL } from '../../shell/scriptWalk';
import { PlainToken } from '../../token';
import { splitSemicolonHostPort } from '../hostPort';
import { PROCESS_LANGUAGE } from '../languages';
import { isLiteralSecret, namesAPassword, weakProtocolName } from '../security';
import { type Assignment, atomToken, findAssignments, isAtom, slotsOf } from '../statement/items';
import { type NodeTarget, nodeParameter, resolveNode } from './nodes';
import { type ProcessText, type Statement, parameter, readProcessText } from './statements';

/** A symbolic's value is taken for an address only in this strict shape: a host name or address, `;`, a number. */
const SYMBOLIC_ADDRESS = /^[\w.\-:%[\]]+;\d{1,5};?$/;

/**
 * Reads Connect:Direct process text (`.cdp` files, z/OS members, and the CLI input fed to `direct`/`ndmcli`):
 * `SNODE=host;port` and `SNODE=TCPNAME=host;port` (also through `&symbolics` set in the file), the shell
 * commands in RUN TASK / RUN JOB `SYSOPTS`, and settings that weaken security.
 */
export const processScanner: FormatScanner = {
  scan(text: string, context: ScanContext): ScanOutput {
    const reader = new ProcessReader(text, readProcessText(text), context);
    reader.read();
    return reader.out.output;
  },
};

class ProcessReader {
  readonly out: MentionCollector;

  constructor(
    private readonly text: string,
    private readonly process: ProcessText,
    private readonly context: ScanContext,
  ) {
    this.out = new MentionCollector(PROCESS_LANGUAGE, context.resolveServiceName);
  }

  read(): void {
    for (const block of this.process.processes) this.nodeStatement(block.header, `process ${block.name}`);
    for (const statement of this.process.statements) {
      if (statement.keyword === 'SUBMIT') this.nodeStatement(statement, 'SUBMIT');
      if (statement.keyword === 'RUN') this.sysopts(statement);
    }
    this.symbolics();
  }

  /** PROCESS and SUBMIT: the nodes, their user ids and passwords, and the Secure+ override. */
  private nodeStatement(statement: Statement, owner: string): void {
    const tool = `Connect:Direct ${owner}`;
    this.node(statement, 'SNODE', (host) => ({
      protocol: 'tcp',
      role: 'connect',
      exposure: 'unknown',
      context: {
        tool,
        direction: 'outbound',
        peer: `the partner's server at ${host} (SNODE)`,
        note: `SNODE of ${owner}`,
      },
    }));
    this.node(statement, 'PNODE', () => ({
      protocol: 'tcp',
      role: 'other',
      exposure: 'unknown',
      context: { tool, note: `address of the PNODE, the primary node of ${owner}` },
    }));
    for (const key of ['SNODEID', 'PNODEID'] as const) this.nodeIdPasswords(parameter(statement, key), owner);
    const secure = parameter(statement, 'SECURE');
    if (secure) this.secure(secure, owner);
  }

  private node(statement: Statement, key: 'SNODE' | 'PNODE', facts: (host: string) => MentionFacts): void {
    const written = nodeParameter(statement, key);
    if (!written) return;
    const target: NodeTarget = resolveNode(written.assignment.value, written.next, this.process);
    if (target.kind !== 'address') return;
    const mention = this.out.addPort(atomToken(target.portAtom), target.portFrom, target.portTo, facts(target.host), {
      allowNames: true,
    });
    if (mention && target.via.length > 0) {
      const chain = target.via.map((step) => step.key.text).join(' → ');
      mention.related = [{ span: written.assignment.span, message: `${key} takes its value from ${chain}` }];
    }
  }

  /** `SNODEID=(id,pswd[,newpswd])`: the signal covers the password only, and its detail never repeats it. */
  private nodeIdPasswords(assignment: Assignment | undefined, owner: string): void {
    if (!assignment) return;
    const [user, ...passwords] = slotsOf(assignment.value);
    const whose = isAtom(user) ? ` of user ${user.text}` : '';
    for (const password of passwords) {
      if (!isAtom(password) || !isLiteralSecret(password.text)) continue;
      const detail = `${assignment.key.text.toUpperCase()} password${whose} in ${owner}`;
      this.out.addSignal(atomToken(password), 0, password.text.length, 'password-in-text', detail);
    }
  }

  /** `SECURE=OFF`, `SECURE=(OFF)`, and a protocol older than TLS 1.2 first in the value (`SECURE=(TLS,cipher)`). */
  private secure(secure: Assignment, owner: string): void {
    const first = slotsOf(secure.value)[0];
    if (!isAtom(first)) return;
    if (first.text.toUpperCase() === 'OFF') {
      const written = this.spanToken(secure.span);
      this.out.addSignal(written, 0, written.text.length, 'secure-off', `SECURE=OFF in ${owner}`);
      return;
    }
    const weak = weakProtocolName(first.text);
    if (weak)
      this.out.addSignal(
        atomToken(first),
        0,
        first.text.length,
        'weak-protocol',
        `SECURE=${first.text} (${weak}) in ${owner}`,
      );
  }

  /** The shell command of `RUN TASK ... SYSOPTS="..."` and `RUN JOB`, read by the shell scanner. */
  private sysopts(statement: Statement): void {
    for (const sysopts of findAssignments(statement.items, (key) => key === 'SYSOPTS')) {
      if (!isAtom(sysopts.value) || !sysopts.value.quoted) continue;
      this.out.addEmbedded(atomToken(sysopts.value), 0, this.context.scanEmbedded(SHELL, sysopts.value.text));
    }
  }

  /** `&name=host;port` that no SNODE used, and passwords held in symbolics (`&pw=...`). */
  private symbolics(): void {
    for (const definition of this.process.symbolicDefinitions) {
      const value = definition.value;
      if (!isAtom(value)) continue;
      if (namesAPassword(definition.key.text) && isLiteralSecret(value.text)) {
        this.out.addSignal(
          atomToken(value),
          0,
          value.text.length,
          'password-in-text',
          `symbolic ${definition.key.text}`,
        );
        continue;
      }
      if (!SYMBOLIC_ADDRESS.test(value.text)) continue;
      const split = splitSemicolonHostPort(value.text)!;
      this.out.addPort(atomToken(value), split.portFrom, split.portTo, {
        protocol: 'tcp',
        role: 'connect',
        exposure: 'unknown',
        context: {
          tool: 'Connect:Direct symbolic',
          direction: 'outbound',
          peer: `the node at ${split.host}`,
          note: `value of ${definition.key.text}`,
        },
      });
    }
  }

  private spanToken(span: Span): PlainToken {
    return new PlainToken(this.text.slice(span.start, span.end), span.start);
  }
}
