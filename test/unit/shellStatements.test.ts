import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { IanaRegistry } from '../../server/src/catalog/iana';
import type { ScanContext } from '../../server/src/scan/format';
import { loadShellParser } from '../../server/src/scan/shell/parser';
import { ShellScanner } from '../../server/src/scan/shell/shellScanner';
import { logicalLines } from '../../server/src/scan/shell/statements';
import { WorkBudget } from '../../server/src/scan/workBudget';

const iana = new IanaRegistry();
const noEmbedded = { languageForPath: () => undefined, languageForConsumer: () => undefined };
// The shell scanner keeps no analysis of its text: one context serves every text here.
const context: ScanContext = {
  resolveServiceName: (name, protocol) => iana.portForName(name, protocol),
  scanEmbedded: () => ({ mentions: [], signals: [] }),
  budget: new WorkBudget(Number.POSITIVE_INFINITY),
  analyses: new TextAnalyses(''),
};

/** Statements as scripts write them, ports and traps mixed, with the quoting and layout that trip lexers. */
const STATEMENTS = [
  'iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport 1363 -j ACCEPT',
  'ufw allow 447/tcp',
  'docker run -d -p 6379:6379 redis:7.2',
  "ssh -p 2222 admin@host \"echo 'it's' done\"",
  'CD_PORT=1364',
  'nc -l -p "$CD_PORT"',
  'curl -fsS https://api.example.com:8443/health',
  'echo "multi\nline \\"quoted\\" text with ssh -p 22"',
  "echo 'single\nquoted nc -l -p 9'",
  'cat <<EOF\nPort 2222\niptables -A INPUT --dport 23 -j ACCEPT\nEOF',
  "cat <<-'END'\n\tssh -p 1 h\n\tEND",
  'result=$(curl -s http://h:9000/ |\n  grep ok)',
  'ls |\n  nc -z host 5432',
  'test -f x &&\n  ufw allow 3389/tcp',
  'echo `nc -z h 22`',
  'sleep 447 # ssh -p 3 in a comment',
  'for p in 22 80; do ufw allow $p/tcp; done',
  'if nc -z db 5432; then\n  echo up\nfi',
  "echo $'it\\'s ssh -p 7'",
  'x="${HOME}/a#b" && psql -h db -p 5433',
  'mkdir -p /srv/app && cp -r dist /srv/app',
  'printf "%s\\n" done > /tmp/x',
  'BASE_URL="https://cd.example.com:9443"',
  'HEALTH=$BASE_URL/health',
  'wget -qO- "$HEALTH"',
  // Data flow: functions, loops and command variables, whose structure the skipped lines must keep.
  'open_port() {\n  local port=$1\n  sleep 3\n  iptables -A INPUT -p tcp --dport "$port" -j ACCEPT\n}',
  'function allow_all {\n  for p in "$@"; do\n    echo "opening $p"\n    ufw allow "$p"/tcp\n  done\n}',
  'open_port 8471',
  'allow_all 446 447',
  'shifting() {\n  shift\n  echo skipped\n  nc -l -p "$1"\n}\nshifting x 1364',
  'IPT=/sbin/iptables',
  "ipi='iptables -I INPUT'",
  '$ipi 4 -p udp --dport 500 -j ACCEPT',
  '$IPT -A INPUT -p tcp --dport 6379 -j ACCEPT',
  'cmd=(ufw allow)',
  '"${cmd[@]}" 8470/tcp',
  'P=447',
  'PORTS=(446 448)',
  'for port in "${PORTS[@]}"\ndo\n  date\n  ufw allow "$port"\ndone',
  'while read -r line; do\n  echo "$line"\ndone < /etc/hosts',
  '{\n  echo grouped\n  nc -z h "$P"\n} > /tmp/log',
];

describe('skipping statements that cannot hold a port', () => {
  let skipping: ShellScanner;
  let parsingAll: ShellScanner;

  before(async () => {
    const parser = await loadShellParser();
    skipping = new ShellScanner(() => parser, noEmbedded);
    parsingAll = new ShellScanner(() => parser, noEmbedded, false);
  });

  function assertSameAsFullParse(text: string): void {
    assert.deepEqual(skipping.scan(text, context), parsingAll.scan(text, context), text);
  }

  it('finds exactly what a full parse finds, on random scripts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATEMENTS), { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n', '\n\n'),
        (statements, newline) => {
          assertSameAsFullParse(statements.join(newline).replace(/\n/g, newline));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives up a parse past the budget, and says where it stopped', () => {
    const text = 'nc -l 1363\niptables -A INPUT -p tcp --dport 6379 -j ACCEPT\n';
    const overdue = { ...context, budget: new WorkBudget(Number.POSITIVE_INFINITY, -1) };
    // The parser asks whether to go on every so many steps: the text must be long enough to be asked at all.
    const output = skipping.scan(text.repeat(200), overdue);
    assert.deepEqual(output.mentions, []);
    assert.equal(output.shortfalls?.length, 1);
    assert.equal(output.shortfalls[0].reason, 'the shell parser ran out of time on this text');
    // The parser is usable again: the next text is parsed from its own start.
    assert.deepEqual(
      skipping.scan(text, context).mentions.map((mention) => mention.port),
      [1363, 6379],
    );
  });

  it('finds exactly what a full parse finds, on the examples', () => {
    const folder = join(__dirname, '..', '..', '..', 'examples', 'shell');
    for (const name of readdirSync(folder)) assertSameAsFullParse(readFileSync(join(folder, name), 'utf8'));
  });

  it('splits logical lines at statement ends, keeping continuations, open quotes and heredoc bodies together', () => {
    const text = 'a=1\nls |\n  wc -l\necho "x\ny"\ncat <<EOF\nbody\nEOF\nz=2\n';
    assert.deepEqual(
      logicalLines(text).map((line) => text.slice(line.start, line.end)),
      ['a=1\n', 'ls |\n  wc -l\n', 'echo "x\ny"\n', 'cat <<EOF\nbody\nEOF\n', 'z=2\n'],
    );
  });

  it('covers the whole text, even when quotes never close', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', ' ', '\n', "'", '"', '\\', '`', '$', '(', ')', '#', '<', '-', 'E', 'O', 'F'),
        }),
        (text) => {
          const lines = logicalLines(text);
          assert.equal(lines.map((line) => text.slice(line.start, line.end)).join(''), text);
        },
      ),
      { numRuns: 500 },
    );
  });
});
