import type { MentionCollector } from '../collector';
import type { Token } from '../token';

// Bounded repetitions keep both patterns linear on hostile input such as a megabyte of `a.a.a.a`.
const URL_PATTERN =
  /\b[a-z][a-z0-9+.-]{0,30}:\/\/(?:[^\s/?#@'"]{0,256}@)?(\[[0-9a-f:.]{2,45}\]|[^\s/?#:@[\]'"$]{1,253}):(\d{1,5})(?![\d.])/gi;
const DEV_TCP_PATTERN = /\/dev\/(tcp|udp)\/([^\s/]{1,253})\/(\d{1,5})(?!\d)/g;

/**
 * Ports in URLs (`curl http://h:8080/`, `DB_URL=postgres://db:5432/app`) and bash's `/dev/tcp/host/port`:
 * in any argument of any command, these are ports the script connects to. With `writtenOnly`, a port that
 * came in through a variable is left to the places that use the variable (`BASE=$URL/x` repeats nothing).
 */
export function addUrlPorts(token: Token, out: MentionCollector, tool: string, writtenOnly = false): void {
  const text = token.text;
  if (text.includes('://')) {
    for (const match of text.matchAll(URL_PATTERN)) {
      const portFrom = match.index + match[0].length - match[2].length;
      if (writtenOnly && token.variableOf(portFrom, portFrom + match[2].length)) continue;
      out.addPort(token, portFrom, portFrom + match[2].length, {
        protocol: 'tcp',
        role: 'connect',
        exposure: 'unknown',
        context: { tool, direction: 'outbound', peer: match[1].replace(/^\[|\]$/g, '') },
      });
    }
  }
  if (text.includes('/dev/')) {
    for (const match of text.matchAll(DEV_TCP_PATTERN)) {
      const portFrom = match.index + match[0].length - match[3].length;
      out.addPort(token, portFrom, portFrom + match[3].length, {
        protocol: match[1] === 'udp' ? 'udp' : 'tcp',
        role: 'connect',
        exposure: 'unknown',
        context: { tool: 'bash /dev/tcp', direction: 'outbound', peer: match[2] },
      });
    }
  }
}
