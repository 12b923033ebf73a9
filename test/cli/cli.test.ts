import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CLI, type JsonReport, portlens } from './runCli';

interface SarifLog {
  runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
}

/** One client per script of a large tree: ssh on a port of its own, and for one script a netcat to 2375. */
const client = (index: number) => (index === 375 ? 'nc -z host 2375' : `ssh -p ${2000 + index} deploy@host`);

describe('portlens scan (bundled CLI)', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'portlens-cli-'));
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('warns about a folder it cannot read, and lists it in the JSON and the summary', () => {
    writeFileSync(join(workspace, 'open.sh'), '#!/bin/sh\niptables -A INPUT -p tcp --dport 6379 -j ACCEPT\n');
    // A folder whose path is longer than PATH_MAX cannot be listed, even by root (chmod 000 can, for root).
    const name = 'd'.repeat(250);
    spawnSync('bash', ['-c', `mkdir deep && cd deep && for i in $(seq 18); do mkdir ${name} && cd ${name}; done`], {
      cwd: workspace,
    });
    try {
      const json = portlens(['scan', '--format', 'json'], workspace);
      assert.equal(json.status, 1, 'the scan goes on: the Redis rule is still an error');
      assert.match(
        json.stderr,
        /^portlens: warning: skipped .*deep\/d{250}.*: cannot read this folder \(ENAMETOOLONG\)$/m,
      );
      const report = JSON.parse(json.stdout) as JsonReport;
      assert.deepEqual(
        report.files.map((file) => file.path),
        ['open.sh'],
      );
      assert.equal(report.skipped.length, 1);
      assert.match(report.skipped[0].reason, /cannot read this folder \(ENAMETOOLONG\)/);
      const text = portlens(['scan'], workspace);
      assert.match(text.stdout, /1 finding .*; 1 skipped \(see above\)$/m);
    } finally {
      // GNU rm walks by file descriptor, which Node's rmSync cannot do for a path this long.
      spawnSync('rm', ['-rf', join(workspace, 'deep')]);
    }
  });

  it('prints one line per finding in --format compact, and workflow commands in --format github', () => {
    mkdirSync(join(workspace, 'deploy'));
    writeFileSync(
      join(workspace, 'deploy', 'open, now.sh'),
      '#!/bin/sh\n# portlens-ignore-next-line exposed-sensitive-port -- bastion\nufw allow 22/tcp\nufw allow 447/tcp\n',
    );
    writeFileSync(join(workspace, 'binary.sh'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]));
    const compact = portlens(['scan', '--format', 'compact'], workspace);
    assert.equal(compact.status, 1);
    assert.equal(
      compact.stdout,
      [
        'deploy/open, now.sh:4:11: information: IBM i DDM port 447 is clear text; port 448 (IBM i DDM/DRDA over TLS) is its secure counterpart [cleartext-protocol]',
        'deploy/open, now.sh:4:11: error: IBM i DDM port 447 is open to any source [exposed-critical-port]',
        'binary.sh: skipped: binary file',
        '',
      ].join('\n'),
    );
    const github = portlens(['scan', '--format', 'github', '--fail-on', 'none'], workspace);
    assert.equal(github.status, 0);
    assert.deepEqual(github.stdout.split('\n'), [
      '::notice file=deploy/open%2C now.sh,line=4,col=11,endLine=4,endColumn=14,title=Port Lens cleartext-protocol::IBM i DDM port 447 is clear text; port 448 (IBM i DDM/DRDA over TLS) is its secure counterpart',
      '::error file=deploy/open%2C now.sh,line=4,col=11,endLine=4,endColumn=14,title=Port Lens exposed-critical-port::IBM i DDM port 447 is open to any source',
      '::warning file=binary.sh::Port Lens skipped this: binary file',
      '',
    ]);
  });

  it('prints the JSON contract: one mention per port token, 1-based columns, exclusive end', () => {
    mkdirSync(join(workspace, 'deploy'));
    writeFileSync(
      join(workspace, 'deploy', 'open-ports.sh'),
      '#!/bin/sh\n# partners\niptables -A INPUT -p tcp --dport 1363 -j ACCEPT\n',
    );
    const { status, stdout } = portlens(['scan', '--format', 'json'], workspace);
    assert.equal(status, 1, 'the Connect:Direct API open to any source is an error');
    const report = JSON.parse(stdout) as JsonReport;
    assert.equal(report.version, 1);
    assert.equal(report.tool.name, 'portlens');
    assert.match(report.tool.version, /^\d+\.\d+\.\d+/);
    assert.equal(report.files.length, 1);
    const [file] = report.files;
    assert.equal(file.path, 'deploy/open-ports.sh');
    assert.equal(file.language, 'shellscript');
    assert.deepEqual(
      file.findings.map((finding) => (finding as { ruleId: string }).ruleId),
      ['exposed-critical-port'],
    );
    assert.deepEqual(file.mentions[0], {
      line: 3,
      column: 34,
      endLine: 3,
      endColumn: 38,
      port: 1363,
      endPort: null,
      protocol: 'tcp',
      service: 'ndm-requester',
      role: 'allow',
      exposure: 'any',
      description: 'allowed inbound from any source (iptables, chain INPUT)',
    });
  });

  it('walks folders, skipping .git, node_modules and what .gitignore and .portlensignore exclude, and detects scripts by shebang', () => {
    for (const folder of ['.git', 'node_modules', 'build', 'bin']) mkdirSync(join(workspace, folder));
    writeFileSync(join(workspace, '.gitignore'), 'build/\n');
    const script = 'nc -l -p 4444\n';
    writeFileSync(join(workspace, '.git', 'hook.sh'), script);
    writeFileSync(join(workspace, 'node_modules', 'x.sh'), script);
    writeFileSync(join(workspace, 'build', 'gen.sh'), script);
    writeFileSync(join(workspace, 'bin', 'start'), `#!/usr/bin/env bash\n${script}`);
    writeFileSync(join(workspace, 'README.md'), 'Run nc -l -p 4444\n');
    // Known by their first bytes only: one is read whole past its head, the other is too large to read.
    writeFileSync(join(workspace, 'bin', 'provision'), `#!/bin/sh\n${'# padding\n'.repeat(3000)}ssh -p 2202 host\n`);
    writeFileSync(join(workspace, 'bin', 'restore'), `#!/bin/sh\n${'# padding\n'.repeat(600_000)}ssh -p 2203 host\n`);
    // A .gitignore deeper down rules its own folder only.
    writeFileSync(join(workspace, 'bin', '.gitignore'), 'local-*\n');
    writeFileSync(join(workspace, 'bin', 'local-test.sh'), script);
    writeFileSync(join(workspace, 'local-keep.sh'), script);
    // .portlensignore, in the same syntax, for what only Port Lens should pass over.
    writeFileSync(join(workspace, '.portlensignore'), 'fixtures/\n*.example.sh\n');
    mkdirSync(join(workspace, 'fixtures'));
    writeFileSync(join(workspace, 'fixtures', 'hostile.sh'), script);
    writeFileSync(join(workspace, 'open.example.sh'), script);
    const report = JSON.parse(portlens(['scan', '.', '--format=json'], workspace).stdout) as JsonReport;
    assert.deepEqual(
      report.files.map((file) => file.path),
      ['bin/provision', 'bin/restore', 'bin/start', 'local-keep.sh'],
    );
    const [provision, restore] = report.files;
    assert.deepEqual(
      provision.mentions.map((mention) => [mention.line, mention.port]),
      [[3002, 2202]],
    );
    assert.match(restore.skipped!, /larger than the 5 MB limit/);
  });

  it('shows every path relative to the current folder, in every format, however the path was given', () => {
    mkdirSync(join(workspace, 'deploy'));
    writeFileSync(join(workspace, 'deploy', 'open-ports.sh'), 'iptables -A INPUT -p tcp --dport 1363 -j ACCEPT\n');
    const given = [
      'deploy/open-ports.sh',
      './deploy//open-ports.sh',
      join(workspace, 'deploy', 'open-ports.sh'),
      join('..', basename(workspace), 'deploy', 'open-ports.sh'),
    ];
    for (const path of given) {
      const json = JSON.parse(portlens(['scan', path, '--format', 'json'], workspace).stdout) as JsonReport;
      assert.equal(json.files[0].path, 'deploy/open-ports.sh', path);
      const sarif = JSON.parse(portlens(['scan', path, '--format', 'sarif'], workspace).stdout) as SarifLog;
      assert.equal(
        sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
        'deploy/open-ports.sh',
        path,
      );
    }
  });

  it('reads standard input as -, by the name --stdin-filename gives it, as editors and hooks pass a buffer', () => {
    const script = 'open_port() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }\nopen_port 1363\n';
    const named = spawnSync(
      process.execPath,
      [CLI, 'scan', '--stdin-filename', 'deploy/open.sh', '--format', 'compact', '-'],
      {
        cwd: workspace,
        encoding: 'utf8',
        input: script,
      },
    );
    assert.equal(named.status, 1, named.stderr);
    assert.equal(
      named.stdout,
      'deploy/open.sh:1:49: error: Connect:Direct API port 1363 is open to any source [exposed-critical-port]\n',
    );
    // Without a name, the text is recognised by its content, and reported as -.
    const rules = '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 1363 -j ACCEPT\nCOMMIT\n';
    const unnamed = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', '-'], {
      cwd: workspace,
      encoding: 'utf8',
      input: rules,
    });
    const [file] = (JSON.parse(unnamed.stdout) as JsonReport).files;
    assert.deepEqual(
      [file.path, file.language, file.mentions.map((mention) => mention.port)],
      ['-', 'iptables', [1363]],
    );
    const misplaced = spawnSync(process.execPath, [CLI, 'scan', '--stdin-filename', 'x.sh'], {
      cwd: workspace,
      encoding: 'utf8',
    });
    assert.equal(misplaced.status, 2);
    assert.match(misplaced.stderr, /--stdin-filename names the text read from standard input, given as -/);
  });

  it('reads a pipe to its end, as in portlens scan <(iptables-save)', () => {
    const rules = '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 1363 -j ACCEPT\nCOMMIT\n';
    const result = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" scan <(printf '%s' "$RULES") --language iptables --format json`],
      {
        cwd: workspace,
        encoding: 'utf8',
        env: { ...process.env, RULES: rules },
      },
    );
    const [file] = (JSON.parse(result.stdout) as JsonReport).files;
    assert.deepEqual(
      file.mentions.map((mention) => mention.port),
      [1363],
    );
    assert.equal(file.findings.length, 1);
  });

  it('prints a readable text report grouped by file, coloured only when asked', () => {
    writeFileSync(join(workspace, 'a.sh'), 'ssh -p 2222 host\ndocker run -p 6379:6379 redis:7\n');
    const plain = portlens(['scan', 'a.sh'], workspace, { NO_COLOR: '1' });
    assert.equal(plain.status, 1);
    assert.match(
      plain.stdout,
      /2:15 +error +Redis port 6379 is published on every host interface +exposed-critical-port/,
    );
    assert.match(plain.stdout, /^a\.sh shellscript\n/);
    // ssh says what it reaches on 2222, which the registry gives to EtherNet/IP-1.
    assert.match(plain.stdout, /1:8 +2222\/tcp +ssh +connects to host/);
    assert.match(plain.stdout, /2:15 +6379\/tcp +redis +published on every interface/);
    assert.match(plain.stdout, /3 port mentions in 1 file, 1 finding \(1 errors, 0 warnings, 0 information\)/);
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
    const coloured = (args: string[], env: NodeJS.ProcessEnv) =>
      /\u001b\[/.test(
        portlens(['scan', ...args, 'a.sh'], workspace, { NO_COLOR: undefined, FORCE_COLOR: undefined, ...env }).stdout,
      );
    assert.equal(coloured([], { FORCE_COLOR: '1' }), true);
    assert.equal(coloured([], { FORCE_COLOR: '1', NO_COLOR: '' }), true, 'an empty NO_COLOR asks for nothing');
    assert.equal(coloured([], { FORCE_COLOR: '1', NO_COLOR: '1' }), false);
    assert.equal(coloured(['--color', 'always'], { NO_COLOR: '1' }), true, 'the option wins over the environment');
    assert.equal(coloured(['--color=never'], { FORCE_COLOR: '1' }), false);
    assert.equal(coloured([], {}), false, 'a pipe is no terminal');
  });

  it('streams every format in walk order when worker threads share a large tree', () => {
    // 450 scripts: enough for the scan to split across worker threads.
    const names: string[] = [];
    for (let index = 0; index < 450; index++) {
      const name = `deploy-${String(index).padStart(3, '0')}.sh`;
      names.push(name);
      writeFileSync(
        join(workspace, name),
        `#!/bin/sh\n${client(index)}\n${index % 3 === 0 ? 'ufw allow 1363/tcp\n' : ''}`,
      );
    }
    const json = portlens(['scan', '--format', 'json', '--fail-on', 'none'], workspace);
    const report = JSON.parse(json.stdout) as JsonReport;
    assert.deepEqual(
      report.files.map((file) => file.path),
      names,
    );
    assert.deepEqual(
      report.files.map((file) => file.mentions[0].port),
      names.map((_, index) => 2000 + index),
    );
    const text = portlens(['scan', '--format', 'text'], workspace);
    assert.equal(text.status, 1, 'the exit status counts the findings of every worker');
    // 150 Connect:Direct API rules open to any source, and `nc` to 2375, whose Docker API port has a TLS partner.
    assert.match(
      text.stdout,
      /\n600 port mentions in 450 files, 151 findings \(150 errors, 0 warnings, 1 information\)\n$/,
    );
    const sarif = JSON.parse(portlens(['scan', '--format', 'sarif', '--fail-on', 'none'], workspace).stdout) as {
      runs: { results: unknown[] }[];
    };
    assert.equal(sarif.runs[0].results.length, 151);
  });

  it('keeps every character of paths and text beyond ASCII when workers hand their report over as UTF-8', () => {
    // Two-, three- and four-byte characters (an accent, CJK, an emoji written as a surrogate pair), across workers.
    const names: string[] = [];
    for (let index = 0; index < 450; index++) {
      const name = `régle-防火墙-🔥-${String(index).padStart(3, '0')}.sh`;
      names.push(name);
      writeFileSync(
        join(workspace, name),
        `#!/bin/sh\n# pare-feu « ${index} »\nufw allow in on wlän0 from 10.0.0.0/8 to any port ${3000 + index} proto tcp\n`,
      );
    }
    const json = portlens(['scan', '--format', 'json', '--fail-on', 'none'], workspace);
    const report = JSON.parse(json.stdout) as JsonReport;
    assert.deepEqual(
      report.files.map((file) => file.path),
      names,
    );
    assert.deepEqual(
      report.files.map((file) => file.mentions[0].port),
      names.map((_, index) => 3000 + index),
    );
    assert.equal(
      report.files[449].mentions[0].description,
      'allowed inbound on wlän0 from 10.0.0.0/8 (a private network) (ufw)',
    );
    const text = portlens(['scan', '--format', 'text', '--fail-on', 'none'], workspace);
    assert.ok(text.stdout.includes(`\n${names[449]} shellscript\n`), 'the text report names the last file whole');
  });

  it('scans the whole tree on one core, beyond the files read to decide on workers', () => {
    for (let index = 0; index < 450; index++)
      writeFileSync(join(workspace, `deploy-${String(index).padStart(3, '0')}.sh`), `#!/bin/sh\n${client(index)}\n`);
    // taskset limits the CPUs the scan may use, which is what Node counts as available.
    const result = spawnSync('taskset', ['-c', '0', process.execPath, CLI, 'scan', '--format', 'text'], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    // `nc` to 2375 is the one finding: the Docker API port has a TLS partner.
    assert.match(
      result.stdout,
      /\n450 port mentions in 450 files, 1 finding \(0 errors, 0 warnings, 1 information\)\n$/,
    );
  });

  it('stops quietly when the reader of its output goes away (portlens scan | head)', () => {
    for (let index = 0; index < 50; index++)
      writeFileSync(join(workspace, `deploy-${index}.sh`), 'ssh -p 2222 deploy@host\n'.repeat(200));
    const result = spawnSync('sh', ['-c', `node ${JSON.stringify(CLI)} scan --format json | head -c 100`], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.stdout.length, 100);
    assert.equal(result.stderr, '');
  });

  it('exits 2 with a clear message on usage errors', () => {
    for (const args of [
      ['scan', '--format', 'xml'],
      ['lint'],
      ['scan', 'missing.sh'],
      ['scan', '--language', 'cobol'],
    ]) {
      const { status, stderr, stdout } = portlens(args, workspace);
      assert.equal(status, 2, args.join(' '));
      assert.match(stderr, /^portlens: /);
      assert.equal(stdout, '');
    }
  });

  describe('bad input', () => {
    it('reports binary, oversized and invalid UTF-8 files and goes on with the rest', () => {
      writeFileSync(join(workspace, 'binary.sh'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0x32, 0x32]));
      writeFileSync(join(workspace, 'huge.sh'), `ssh -p 2222 host\n${'# padding\n'.repeat(600_000)}`);
      writeFileSync(
        join(workspace, 'latin1.sh'),
        Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nnc -l -p 4444\n')]),
      );
      writeFileSync(join(workspace, 'long-line.sh'), `echo ${'x'.repeat(1024 * 1024)}\nssh -p 2200 host\n`);
      writeFileSync(
        join(workspace, 'half-typed.sh'),
        'iptables -A INPUT -p tcp --dport\nssh -p 2201 "host\ncat <<EOF\nPort 9\n',
      );
      writeFileSync(join(workspace, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      const { status, stdout } = portlens(['scan', '--format', 'json', '--fail-on', 'none'], workspace);
      assert.equal(status, 0);
      const files = Object.fromEntries((JSON.parse(stdout) as JsonReport).files.map((file) => [file.path, file]));
      assert.deepEqual(Object.keys(files).sort(), [
        'binary.sh',
        'half-typed.sh',
        'huge.sh',
        'latin1.sh',
        'long-line.sh',
      ]);
      assert.equal(files['binary.sh'].skipped, 'binary file');
      assert.match(files['huge.sh'].skipped!, /larger than the 5 MB limit/);
      assert.match(files['latin1.sh'].notices![0], /invalid UTF-8/);
      assert.deepEqual(
        files['latin1.sh'].mentions.map((mention) => mention.port),
        [4444],
      );
      assert.deepEqual(
        files['long-line.sh'].mentions.map((mention) => mention.port),
        [2200],
      );
      assert.deepEqual(
        files['half-typed.sh'].mentions.map((mention) => mention.port),
        [2201],
      );
    });

    it('reads UTF-16 files with a byte-order mark, as Windows tools export them', () => {
      const utf16 = (text: string, bigEndian: boolean) => {
        const little = Buffer.from(`\ufeff${text}`, 'utf16le');
        return bigEndian ? Buffer.from(little).swap16() : little;
      };
      writeFileSync(join(workspace, 'open.sh'), utf16('#!/bin/sh\nufw allow 447/tcp\n', false));
      writeFileSync(
        join(workspace, 'rules.v4'),
        utf16('*filter\n-A INPUT -p tcp --dport 1363 -j ACCEPT\nCOMMIT\n', true),
      );
      const { stdout } = portlens(['scan', '--format', 'json', '--fail-on', 'none'], workspace);
      const files = (JSON.parse(stdout) as JsonReport).files;
      assert.deepEqual(
        files.map((file) => [file.path, file.language, file.skipped, file.mentions.map((mention) => mention.port)]),
        [
          ['open.sh', 'shellscript', undefined, [447]],
          ['rules.v4', 'iptables', undefined, [1363]],
        ],
      );
    });

    it('writes control characters of file names as escapes in the text report', () => {
      writeFileSync(join(workspace, 'evil\u001b[2J\u0007.sh'), 'ufw allow 447/tcp\n');
      const { stdout } = portlens(['scan', '--fail-on', 'none'], workspace);
      assert.match(stdout, /^evil\\x1b\[2J\\x07\.sh shellscript$/m);
      assert.doesNotMatch(stdout, /[\u0000-\u0008\u000b-\u001f]/, 'no raw control character reaches the terminal');
    });

    it('lists a binary file that the user names', () => {
      writeFileSync(join(workspace, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      const report = JSON.parse(portlens(['scan', 'photo.png', '--format', 'json'], workspace).stdout) as JsonReport;
      assert.equal(report.files[0].skipped, 'binary file');
    });
  });
});
