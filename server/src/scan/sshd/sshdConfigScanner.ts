import { MentionCollector } from '../collector';
import { classifyAddress, widest } from '../exposure';
import { splitHostPort } from '../hostPort';
import type { FormatScanner, ScanContext } from '../format';
import type { Exposure } from '../mention';
import { PlainToken } from '../token';

export const SSHD_CONFIG = 'sshd_config';

/**
 * sshd_config lines met inside shell scripts (heredocs, `echo ... >> sshd_config`, `sed` edits):
 * `Port N` (repeatable) and `ListenAddress addr[:port]`. The daemon listens on every address unless
 * a ListenAddress narrows it.
 */
export const sshdConfigScanner: FormatScanner = {
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(SSHD_CONFIG, context.resolveServiceName);
    const listenAddresses: string[] = [];
    const portLines: { token: PlainToken }[] = [];
    const linePattern = /^[ \t]*(Port|ListenAddress)[ \t]+(\S+)/gim;
    for (let match = linePattern.exec(text); match; match = linePattern.exec(text)) {
      const valueStart = match.index + match[0].length - match[2].length;
      const token = new PlainToken(match[2], valueStart);
      if (match[1].toLowerCase() === 'port') {
        portLines.push({ token });
        continue;
      }
      const hostPort = splitHostPort(match[2]);
      const address = hostPort ? hostPort.host : match[2].replace(/^\[|\]$/g, '');
      listenAddresses.push(address);
      if (hostPort) {
        out.addPort(token, hostPort.portFrom, hostPort.portTo, {
          protocol: 'tcp',
          role: 'listen',
          exposure: classifyAddress(address),
          context: { tool: SSHD_CONFIG, direction: 'inbound', bindAddress: address },
          service: 'ssh',
        });
      }
    }
    const exposure: Exposure = listenAddresses.length === 0 ? 'any' : widest(listenAddresses.map(classifyAddress));
    // Joined once for every Port line: a file may have many of both.
    const bindAddress = listenAddresses.join(', ') || undefined;
    for (const { token } of portLines) {
      out.addPort(token, 0, token.text.length, {
        protocol: 'tcp',
        role: 'listen',
        exposure,
        context: { tool: SSHD_CONFIG, direction: 'inbound', bindAddress },
        service: 'ssh',
      });
    }
    return out.output;
  },
};
