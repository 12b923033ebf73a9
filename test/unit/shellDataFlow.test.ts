import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeUse } from '../../server/src/features/describe';
import { type ScannedText, scanAs, scanShell, testService } from './helpers';

/** What the script does with each port at its uses: everything but where the value is written. */
function usesOf(script: ScannedText): string[] {
  return script.scan.mentions
    .filter((mention) => mention.role !== 'define')
    .map(
      (mention) => `${mention.port} ${mention.protocol} ${mention.role} ${mention.exposure}: ${describeUse(mention)}`,
    )
    .sort();
}

function findingsOf(script: ScannedText): string[] {
  return script.scan.findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.message}`).sort();
}

/** The uses a defined value lists, as `line: role exposure via`. */
function usesListed(script: ScannedText, written: string, occurrence = 0): string[] {
  const defined = script.at(written, occurrence);
  assert.equal(defined.role, 'define');
  return (defined.uses ?? []).map(
    (use) => `${script.lineOf(use)}: ${use.role} ${use.exposure}${use.via ? ` via ${use.via}` : ''}`,
  );
}

describe('shell data flow', () => {
  describe('command variables', () => {
    it('reads a command held in a variable, with its options, as the command itself', async () => {
      const script = await scanShell(
        [
          'IPT=/sbin/iptables',
          "ipi='iptables -I INPUT'",
          '$ipi 4 -p udp -m multiport --dports 500,4500 -j ACCEPT',
          '$IPT -A INPUT -s 10.0.0.0/8 -p tcp --dport 6379 -j ACCEPT',
          'fw=(ufw allow)',
          '"${fw[@]}" 1364/tcp',
        ].join('\n'),
      );
      assert.deepEqual(
        script.scan.mentions.map((mention) => `${mention.port} ${mention.role} ${mention.exposure}`),
        ['500 allow any', '4500 allow any', '6379 allow private', '1364 allow any'],
      );
      assert.equal(script.at('1364').context.tool, 'ufw');
    });

    it('reads a command whose program comes from a variable assigned later only where it is set', async () => {
      const script = await scanShell('$FW allow 1364/tcp\nFW=ufw\n$FW allow 1363/tcp');
      assert.deepEqual(script.tokens, ['1363']);
    });
  });

  describe('functions', () => {
    it('judges the command in a function with each call’s argument, reported where it is written', async () => {
      const script = await scanShell(
        [
          'open_port() {',
          '  local port=$1',
          '  iptables -A INPUT -p tcp --dport "$port" -j ACCEPT',
          '}',
          'open_port 8471',
          'open_port 447',
        ].join('\n'),
      );
      assert.deepEqual(usesListed(script, '8471'), ['3: allow any via open_port']);
      assert.deepEqual(usesListed(script, '447'), ['3: allow any via open_port']);
      const uses = script.scan.mentions.filter((mention) => mention.role === 'allow');
      assert.deepEqual(
        uses.map((use) => `${script.text.slice(use.span.start, use.span.end)} ${use.port}`),
        ['$port 8471', '$port 447'],
      );
      assert.equal(uses[0].variable?.note, 'argument 1 of open_port');
      assert.equal(script.lineOf({ span: uses[0].variable.definition }), 5);
      assert.deepEqual(
        script.scan.findings
          .filter((finding) => finding.ruleId === 'exposed-critical-port')
          .map((finding) => finding.port),
        [8471, 447],
      );
    });

    it('passes "$@" on to another function, and follows shift', async () => {
      const script = await scanShell(
        [
          'allow() { ufw allow "$1"/tcp; }',
          'allow_each() {',
          '  while [ $# -gt 0 ]; do',
          '    allow "$1"',
          '    shift',
          '  done',
          '}',
          'relay() { allow_each "$@"; }',
          'relay 446 448',
        ].join('\n'),
      );
      assert.deepEqual(usesListed(script, '446'), ['1: allow any via allow']);
      assert.deepEqual(usesListed(script, '448'), ['1: allow any via allow']);
    });

    it('reads a function the script never calls once, where it is defined', async () => {
      const script = await scanShell('open_ssh() {\n  ufw allow 22/tcp\n  ufw allow "$1"/tcp\n}\n');
      assert.deepEqual(script.tokens, ['22']);
    });

    it('keeps the locals of a call to the call', async () => {
      const script = await scanShell(
        ['PORT=1363', 'set_local() { local PORT=9999; }', 'set_local', 'nc -l -p "$PORT"'].join('\n'),
      );
      assert.equal(script.at('$PORT').port, 1363);
    });

    it('finds nothing in a function whose argument is not a port', async () => {
      const script = await scanShell(
        'backup() {\n  tar czf "/backup/$1.tgz" /srv/app\n  sleep "$2"\n}\nbackup 2024 447\n',
      );
      assert.deepEqual(script.tokens, []);
    });

    it('stops a function that calls itself, and reports a chain of calls past the depth it follows', async () => {
      const recursive = await scanShell('again() {\n  nc -l -p "$1"\n  again "$1"\n}\nagain 1364\n');
      assert.deepEqual(recursive.tokens.sort(), ['$1', '1364']);
      const steps = Array.from({ length: 40 }, (_, index) => `step${index}() { step${index + 1} "$1"; }`);
      const chain = await scanAs('shellscript', [...steps, 'step40() { nc -l -p "$1"; }', 'step0 1364'].join('\n'), {
        expectNotices: true,
      });
      const incomplete = chain.scan.findings.filter((finding) => finding.ruleId === 'scan-incomplete');
      assert.equal(incomplete.length, 1);
      assert.match(incomplete[0].message, /calls nested deeper than 32 functions are not followed/);
    });
  });

  describe('loops', () => {
    it('runs a loop body once per element of its list', async () => {
      const script = await scanShell('for p in 446 447 448; do\n  ufw allow "$p"/tcp\ndone');
      for (const port of ['446', '447', '448']) assert.deepEqual(usesListed(script, port), ['2: allow any']);
      assert.deepEqual(
        script.scan.mentions.filter((mention) => mention.role === 'allow').map((mention) => mention.port),
        [446, 447, 448],
      );
    });

    it('reads lists from variables and arrays, split as the shell splits them', async () => {
      const script = await scanShell(
        [
          'WEB="80 443"',
          'DDM=(446 "448")',
          'for p in $WEB; do nc -l -p "$p"; done',
          'for p in "${DDM[@]}"; do ufw allow "$p"; done',
          'for p in "$WEB"; do nc -l -p "$p"; done',
        ].join('\n'),
      );
      assert.deepEqual(usesListed(script, '80'), ['3: listen any']);
      assert.deepEqual(usesListed(script, '443'), ['3: listen any']);
      assert.deepEqual(usesListed(script, '446'), ['4: allow any']);
      assert.deepEqual(usesListed(script, '448'), ['4: allow any']);
      // Quoted, the list is one word, "80 443", which is no port.
      assert.equal(script.scan.mentions.filter((mention) => script.lineOf(mention) === 5).length, 0);
    });

    it('reports the list of a loop over a variable named for ports where it is written', async () => {
      const script = await scanShell('for port in 1363 1364; do echo "$port"; done');
      assert.deepEqual(script.tokens, ['1363', '1364']);
      assert.equal(script.at('1363').context.note, 'in the list of the loop over port');
    });
  });

  describe('variables not named for ports', () => {
    it('reports the value where it is written once a command uses it as a port', async () => {
      const script = await scanShell(
        'P=447\nT=30\nN=5\niptables -A INPUT -p tcp --dport "$P" -j ACCEPT\nsleep "$T"\nseq 1 "$N"\n',
      );
      assert.deepEqual(script.tokens, ['447', '$P']);
      assert.deepEqual(usesListed(script, '447'), ['4: allow any']);
    });

    it('assigns the default of ${VAR:=value} for the uses after it', async () => {
      const script = await scanShell(': "${API:=1363}"\nnc -l -p "$API"');
      assert.equal(script.at('$API').port, 1363);
      assert.deepEqual(usesListed(script, '1363'), ['2: listen any']);
    });
  });

  it('says on hover at a call which command of the function opens the port', async () => {
    const text = 'open_port() {\n  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT\n}\nopen_port 8471\n';
    const script = await scanShell(text);
    const service = await testService();
    const hover = service.hover(script.scan, text, text.indexOf('8471') + 1);
    assert.match(hover?.markdown ?? '', /IBM i/);
    assert.match(
      hover?.markdown ?? '',
      /\*\*Used:\*\* opened by open\\_port \(line 2\): allowed inbound from any source \(iptables, chain INPUT\)/,
    );
    const atUse = service.hover(script.scan, text, text.indexOf('"$1"') + 2);
    assert.match(atUse?.markdown ?? '', /Value of `\$1`, argument 1 of open\\_port, written on line 4\./);
  });

  it('says on hover that a port from a variable the file never sets cannot be judged', async () => {
    const text = 'source /etc/app/ports.env\niptables -A INPUT -p tcp --dport "$APP_PORT" -j ACCEPT\nsleep "$DELAY"\n';
    const script = await scanShell(text);
    assert.deepEqual(script.tokens, []);
    assert.deepEqual(
      (script.scan.unresolved ?? []).map((item) => `${text.slice(item.span.start, item.span.end)} ${item.variable}`),
      ['$APP_PORT APP_PORT'],
    );
    const service = await testService();
    const card = service.hover(script.scan, text, text.indexOf('APP_PORT'))?.markdown ?? '';
    assert.match(card, /^\*\*`\$APP_PORT`\*\* · a port this file does not set$/m);
    assert.match(card, /a file pulled in with `source` or `\.`, which Port Lens does not read/);
    assert.equal(service.hover(script.scan, text, text.indexOf('DELAY')), undefined);
  });

  describe('the same as the port written inline', () => {
    const COMMANDS = [
      (port: string) => `iptables -A INPUT -p tcp --dport ${port} -j ACCEPT`,
      (port: string) => `iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport ${port} -j ACCEPT`,
      (port: string) => `ufw allow ${port}/tcp`,
      (port: string) => `nc -l -p ${port}`,
      (port: string) => `docker run -d -p ${port}:${port} app:1`,
      (port: string) => `firewall-cmd --permanent --add-port=${port}/tcp`,
      (port: string) => `ssh -p ${port} admin@db.example.com`,
    ];
    /** Ways a script hands a port to a command, each given the command written with a placeholder. */
    const INDIRECTIONS: ((command: (port: string) => string, ports: string[]) => string)[] = [
      (command, ports) => ports.map((port, index) => `V${index}=${port}\n${command(`"$V${index}"`)}`).join('\n'),
      (command, ports) => `f() {\n  ${command('"$1"')}\n}\n${ports.map((port) => `f ${port}`).join('\n')}`,
      (command, ports) =>
        `f() {\n  local p=$1\n  ${command('"$p"')}\n}\n${ports.map((port) => `f ${port}`).join('\n')}`,
      (command, ports) => `for p in ${ports.join(' ')}; do\n  ${command('"$p"')}\ndone`,
      (command, ports) => `LIST="${ports.join(' ')}"\nfor p in $LIST; do ${command('$p')}; done`,
      (command, ports) => `g() { for p in "$@"; do ${command('"$p"')}; done; }\ng ${ports.join(' ')}`,
      (command, ports) => {
        const [program, ...rest] = command('PORT').split(' ');
        return `CMD="${program}"\n${ports.map((port) => `$CMD ${rest.join(' ').replace(/PORT/g, port)}`).join('\n')}`;
      },
    ];

    it('finds the same uses and findings as the script with the value written inline', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...COMMANDS),
          fc.constantFrom(...INDIRECTIONS),
          fc.uniqueArray(fc.constantFrom('22', '447', '1363', '6379', '8471', '8443', '9470'), {
            minLength: 1,
            maxLength: 3,
          }),
          async (command, indirection, ports) => {
            const inline = await scanShell(ports.map((port) => command(port)).join('\n'));
            const indirect = await scanShell(indirection(command, ports));
            assert.deepEqual(usesOf(indirect), usesOf(inline), indirect.text);
            assert.deepEqual(findingsOf(indirect), findingsOf(inline), indirect.text);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
