// Generates the benchmark workspace: a large, mixed tree like a real infrastructure repository, with shell
// scripts in every style the scanner reads and the documentation, data and code around them that it skips.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SHELL_FILES = 2000;
const OTHER_FILES = 3000;
const GENERATOR_VERSION = '2';

/** A small seeded generator, so every run benchmarks the same bytes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PORTS = [22, 23, 25, 53, 80, 443, 446, 447, 448, 1363, 1364, 2375, 3306, 3389, 5432, 6379, 8080, 8443, 8470, 9200, 9470, 10250, 27017];
const HOSTS = ['db01.internal', 'cache.internal', '10.20.4.7', 'cd-partner.example.com', 'api.example.com', '192.168.10.5'];
const SOURCES = ['10.0.0.0/8', '192.168.50.0/24', '203.0.113.0/24', '0.0.0.0/0'];

/**
 * A deployment script in the shape real ones have: mostly housekeeping (packages, files, services, logging,
 * conditionals and loops) with port-bearing statements at about one in six, plus comments, heredocs and
 * numbers that are not ports.
 */
function shellScript(next, index) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const port = () => pick(PORTS);
  const portStatements = [
    () => `iptables -A INPUT -s ${pick(SOURCES)} -p tcp --dport ${port()} -j ACCEPT`,
    () => `iptables -A INPUT -p tcp -m multiport --dports ${port()},${port()} -j DROP`,
    () => `ufw allow from ${pick(SOURCES)} to any port ${port()} proto tcp`,
    () => `ufw allow ${port()}/tcp`,
    () => `firewall-cmd --permanent --zone=public --add-port=${port()}/tcp`,
    () => `docker run -d -p ${port()}:${port()} --name svc${index} registry.example.com/app:1.${index % 9}`,
    () => `ssh -p ${port()} deploy@${pick(HOSTS)} 'sudo systemctl restart app'`,
    () => `curl -fsS --retry 3 https://${pick(HOSTS)}:${port()}/health`,
    () => `nc -z -w 3 ${pick(HOSTS)} ${port()}`,
    () => `psql -h ${pick(HOSTS)} -p ${port()} -U app -c 'select 1'`,
    () => `socat TCP-LISTEN:${port()},fork TCP:${pick(HOSTS)}:${port()} &`,
    () => `kubectl -n prod port-forward svc/app ${port()}:${port()} &`,
    () => `APP_PORT=${port()}`,
  ];
  const housekeeping = [
    () => `log "step ${index}: preparing ${pick(['release', 'backup', 'config', 'assets'])}"`,
    () => `mkdir -p /srv/app/releases/${index} /var/log/app`,
    () => `cp -r build/* "/srv/app/releases/${index}/"`,
    () => `chown -R app:app /srv/app && chmod 0750 /srv/app`,
    () => `systemctl ${pick(['restart', 'reload', 'enable --now'])} app-${pick(['web', 'worker', 'scheduler'])}.service`,
    () => `apt-get install -y --no-install-recommends ${pick(['jq', 'curl', 'rsync', 'postgresql-client', 'unzip'])}`,
    () => `if [ ! -d "/srv/app/shared" ]; then\n    ln -s /srv/shared /srv/app/shared\n  fi`,
    () => `for f in /etc/app/conf.d/*.conf; do\n    grep -q '^enabled=1' "$f" && echo "active: $f"\n  done`,
    () => `find /var/log/app -name '*.log' -mtime +${Math.floor(next() * 30)} -delete`,
    () => `tar czf "/backup/app-$(date +%Y%m%d).tgz" /srv/app/current`,
    () => `sleep ${Math.floor(next() * 600)}`,
    () => `for i in $(seq 1 ${Math.floor(next() * 100)}); do echo "attempt $i"; done`,
    () => `head -n ${Math.floor(next() * 500)} /var/log/app/app.log | awk '{print $4}' | sort | uniq -c`,
    () => `case "$ENVIRONMENT" in\n    prod) replicas=${Math.floor(next() * 9)} ;;\n    *) replicas=1 ;;\n  esac`,
    () => `git -C /srv/app/src fetch --tags && git -C /srv/app/src checkout "v1.${index % 20}.0"`,
    () => `echo "deployed build ${index} at $(date -Iseconds)" >> /var/log/app/deploy.log`,
    () => `# ${pick(['TODO: move to ansible', 'keep in sync with the runbook', 'see ticket OPS-' + (1000 + index)])}`,
    () => `ulimit -n 65535`,
    () => `cat > /etc/app/limits.conf <<'EOF'\n  max_workers=${Math.floor(next() * 64)}\n  timeout=30\nEOF`,
  ];
  const lines = [`#!/bin/bash`, `# Deployment step ${index}`, 'set -euo pipefail', 'log() { echo "[$(date +%T)] $*"; }'];
  const functions = 2 + Math.floor(next() * 6);
  for (let fn = 0; fn < functions; fn++) {
    lines.push('', `step_${fn}() {`);
    const count = 10 + Math.floor(next() * 40);
    for (let i = 0; i < count; i++) lines.push(`  ${(next() < 1 / 6 ? pick(portStatements) : pick(housekeeping))()}`);
    lines.push('}');
  }
  for (let fn = 0; fn < functions; fn++) lines.push(`step_${fn}`);
  return `${lines.join('\n')}\n`;
}

function otherFile(next, index) {
  const kind = index % 4;
  const paragraphs = 20 + Math.floor(next() * 60);
  const body = [];
  for (let i = 0; i < paragraphs; i++) {
    const port = PORTS[Math.floor(next() * PORTS.length)];
    if (kind === 0) body.push(`## Section ${i}\n\nThe service listens on port ${port} and retries ${i} times. See ticket 2024-${1000 + i}.\n`);
    if (kind === 1) body.push(`  "setting_${i}": { "port": ${port}, "timeout": ${i * 10}, "enabled": true },`);
    if (kind === 2) body.push(`def handler_${i}(request):\n    return connect("db01.internal", ${port}, retries=${i})\n`);
    if (kind === 3) body.push(`service_${i}:\n  image: app:1.${i}\n  ports:\n    - "${port}:${port}"\n`);
  }
  const extension = ['md', 'json', 'py', 'yaml'][kind];
  return { name: `doc-${index}.${extension}`, text: `${body.join('\n')}\n` };
}

/** Writes a workspace once per generator version (files from `write(next, add)`); later runs reuse it. */
function generateOnce(path, seed, write) {
  const marker = join(path, '.generated');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== GENERATOR_VERSION) {
    rmSync(path, { recursive: true, force: true });
    write(random(seed), (relativePath, text) => {
      const file = join(path, relativePath);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
    });
    writeFileSync(marker, GENERATOR_VERSION);
  }
  return measure(path);
}

/**
 * The mixed workspace of issue 2: deployment scripts among the docs, data and code around them. With
 * `smallFiles`, also that many short files of the kind most of a real repository is (issue 22's 28,000-file
 * workspace: the same 5,000 files and 23,000 small ones, about 30 MB).
 */
export function generateWorkspace(path, smallFiles = 0) {
  const size = generateOnce(path, 1363, (next, add) => {
    for (let index = 0; index < SHELL_FILES; index++) add(join(`service-${index % 40}`, 'scripts', `deploy-${index}.sh`), shellScript(next, index));
    for (let index = 0; index < OTHER_FILES; index++) {
      const { name, text } = otherFile(next, index);
      add(join(`service-${index % 40}`, 'docs', name), text);
    }
    for (let index = 0; index < smallFiles; index++) {
      const { name, text } = smallFile(next, index);
      add(join(`service-${index % 40}`, `module-${index % 23}`, name), text);
    }
  });
  const small = smallFiles > 0 ? `, ${smallFiles} small files` : '';
  return { path, ...size, summary: `${SHELL_FILES} shell scripts, ${OTHER_FILES} docs/data/code files${small}` };
}

/** A short file of the kind most of a repository is: a note, a manifest, a test, a template. */
function smallFile(next, index) {
  const port = PORTS[Math.floor(next() * PORTS.length)];
  const kind = index % 4;
  const texts = [
    `# module ${index}\n\nOwned by team ${index % 17}. Health checks on port ${port}.\n`,
    `{ "name": "module-${index}", "version": "1.${index % 50}.0", "private": true }\n`,
    `import unittest\n\nclass Test${index}(unittest.TestCase):\n    def test_port(self):\n        self.assertEqual(${port}, ${port})\n`,
    `server:\n  listen: ${port}\n  workers: ${1 + (index % 8)}\n`,
  ];
  return { name: `file-${index}.${['md', 'json', 'py', 'yaml'][kind]}`, text: texts[kind] };
}

/** How many files and bytes a generated workspace holds. */
function measure(path) {
  let bytes = 0;
  let files = 0;
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name !== '.generated') {
        files++;
        bytes += readFileSync(full).length;
      }
    }
  };
  walk(path);
  return { files, bytes };
}

/** A 50,000-line script and the ports to hover in it, spread over the whole file. */
export function hoverFile() {
  const next = random(447);
  const lines = [];
  const targets = [];
  for (let line = 0; lines.length < 50_000; line++) {
    const port = PORTS[Math.floor(next() * PORTS.length)];
    const text = line % 3 === 0 ? `iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport ${port} -j ACCEPT` : line % 3 === 1 ? `echo "step ${line}"` : `sleep ${line % 60}`;
    if (line % 3 === 0 && line % 250 === 0) targets.push({ line, character: text.indexOf(`--dport ${port}`) + 9 });
    lines.push(text);
  }
  return { uri: 'file:///bench/fifty-thousand-lines.sh', text: `${lines.join('\n')}\n`, targets };
}

const FIREWALL_FILES = 2500;

/** One firewall configuration in one of the five families, with the shape real ones have. */
function firewallFile(next, index) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const port = () => pick(PORTS);
  const rules = 40 + Math.floor(next() * 160);
  const lines = [];
  switch (index % 5) {
    case 0: {
      lines.push('# Generated by iptables-save v1.8.9', '*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [120:9000]');
      lines.push('-A INPUT -i lo -j ACCEPT', '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
      for (let i = 0; i < rules; i++) {
        lines.push(next() < 0.5
          ? `-A INPUT -s ${pick(SOURCES)} -p tcp -m tcp --dport ${port()} -m conntrack --ctstate NEW -j ACCEPT`
          : `-A INPUT -p tcp -m multiport --dports ${port()},${port()} -m comment --comment "rule ${i}" -j ${pick(['ACCEPT', 'DROP', 'REJECT'])}`);
      }
      lines.push('-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 2/sec -j ACCEPT', 'COMMIT');
      return { name: `rules-${index}.v4`, text: lines.join('\n') };
    }
    case 1: {
      lines.push('#!/usr/sbin/nft -f', 'flush ruleset', `define admin_ports = { ${port()}, ${port()} }`, 'table inet filter {', '  chain input {', '    type filter hook input priority filter; policy drop;', '    iif lo accept', '    ct state established,related accept');
      for (let i = 0; i < rules; i++) {
        lines.push(next() < 0.5 ? `    ip saddr ${pick(SOURCES)} tcp dport ${port()} accept` : `    tcp dport { ${port()}, ${port()} } counter ${pick(['accept', 'drop'])} comment "rule ${i}"`);
      }
      lines.push('    tcp dport $admin_ports ip saddr 10.0.0.0/8 accept', '    icmp type echo-request limit rate 5/second accept', '  }', '}');
      return { name: `nftables-${index}.nft`, text: lines.join('\n') };
    }
    case 2: {
      lines.push('*filter', ':ufw-user-input - [0:0]', ':ufw-user-output - [0:0]', '### RULES ###');
      for (let i = 0; i < rules; i++) {
        const p = port();
        const source = pick(SOURCES);
        lines.push(`### tuple ### allow tcp ${p} 0.0.0.0/0 any ${source} in`, `-A ufw-user-input -p tcp --dport ${p} -s ${source} -j ACCEPT`, '');
      }
      lines.push('### END RULES ###', 'COMMIT');
      return { name: `ufw-${index}/user.rules`, text: lines.join('\n') };
    }
    case 3: {
      lines.push('<?xml version="1.0" encoding="utf-8"?>', '<zone>', '  <short>Public</short>', '  <service name="ssh"/>');
      for (let i = 0; i < rules; i++) {
        lines.push(next() < 0.5
          ? `  <port protocol="tcp" port="${port()}"/>`
          : `  <rule family="ipv4"><source address="${pick(SOURCES)}"/><port port="${port()}" protocol="tcp"/><accept/></rule>`);
      }
      lines.push('</zone>');
      return { name: `firewalld-${index}/zones/public.xml`, text: lines.join('\n') };
    }
    default: {
      lines.push('ext_if = "em0"', `tcp_services = "{ ${port()}, ${port()} }"`, 'table <trusted> { 10.0.0.0/8 192.168.0.0/16 }', 'set skip on lo', 'block in all', 'pass out quick keep state');
      for (let i = 0; i < rules; i++) {
        lines.push(next() < 0.5
          ? `pass in on $ext_if proto tcp from <trusted> to any port ${port()} keep state`
          : `pass in on $ext_if inet proto tcp to port { ${port()} ${port()} } flags S/SA modulate state (max-src-conn 40, max-src-conn-rate 10/30)`);
      }
      lines.push('pass in on $ext_if proto tcp to port $tcp_services');
      return { name: `pf-${index}.conf`, text: lines.join('\n') };
    }
  }
}

/** The firewall-heavy workspace of issue 3: thousands of rule files in the five families. */
export function generateFirewallWorkspace(path) {
  const size = generateOnce(path, 447, (next, add) => {
    for (let index = 0; index < FIREWALL_FILES; index++) {
      const { name, text } = firewallFile(next, index);
      add(join(`site-${index % 50}`, name), `${text}\n`);
    }
  });
  return { path, ...size, summary: `${FIREWALL_FILES} rule files: iptables-save, nftables, ufw user.rules, firewalld zones, pf` };
}

const CORPUS_FAMILIES = ['iptables', 'nftables', 'ufw', 'firewalld', 'pf'];
const CORPUS_COPIES = 300;

/**
 * The firewall files of ../shared/corpus, real files written by others, copied into 300 sites (or `copies`): the
 * density of ports and findings that real rule files have, which the generated firewall workspace far exceeds.
 */
export function copyCorpusWorkspace(path, corpus, copies = CORPUS_COPIES) {
  const files = CORPUS_FAMILIES.flatMap((family) => readdirSync(join(corpus, family)).map((name) => join(family, name)));
  const size = generateOnce(path, 0, (_next, add) => {
    // Bytes, not text: the corpus keeps its files byte for byte, invalid UTF-8 included.
    const texts = files.map((file) => readFileSync(join(corpus, file)));
    for (let site = 0; site < copies; site++) files.forEach((file, index) => add(join(`site-${site}`, file), texts[index]));
  });
  return { path, ...size, summary: `the ${CORPUS_FAMILIES.join(', ')} files of the corpus, ${copies} copies of each` };
}

/** A 50,000-rule iptables-save file, and the one-rule edit the re-scan benchmark makes in its middle. */
export function largeRuleset() {
  const lines = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < 50_000; i++) lines.push(`-A INPUT -s 10.${i % 250}.${i % 200}.0/24 -p tcp -m tcp --dport ${1024 + (i % 60000)} -m conntrack --ctstate NEW -j ACCEPT`);
  lines.push('COMMIT');
  const editLine = 25_004;
  return { uri: 'file:///bench/rules.v4', text: `${lines.join('\n')}\n`, editLine, original: lines[editLine], edited: '-A INPUT -p tcp -m tcp --dport 1363 -j ACCEPT' };
}

/** A deployment script of about 200 lines, written to `path`: what a pre-commit hook hands the CLI. */
export function oneScript(path) {
  const next = random(7);
  let text = '';
  for (let index = 0; text.split('\n').length <= 200; index++) text += shellScript(next, index).replace(/\bstep_(\d+)/g, `step_${index}_$1`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return { path, lines: text.split('\n').length - 1, kind: 'script' };
}

/** An iptables-save file of 200 rules, written to `path`: a one-file run that needs no shell parser. */
export function oneRuleFile(path) {
  const lines = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < 200; i++) lines.push(`-A INPUT -s 10.${i % 250}.0.0/16 -p tcp -m tcp --dport ${PORTS[i % PORTS.length]} -j ACCEPT`);
  lines.push('COMMIT');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, lines: lines.length, kind: 'iptables-save file' };
}

/**
 * A 20,000-line deployment script: the mixed workspace's scripts one after another, each one's functions named
 * apart, and a housekeeping line in its middle that the re-scan benchmark turns into an open Connect:Direct port.
 */
export function largeScript() {
  const next = random(2024);
  const parts = [];
  let lines = 0;
  for (let index = 0; lines < 20_000; index++) {
    const text = shellScript(next, index).replace(/\bstep_(\d+)/g, `step_${index}_$1`);
    parts.push(text);
    lines += text.split('\n').length - 1;
  }
  const text = parts.join('');
  const all = text.split('\n');
  const editLine = all.findIndex((line, index) => index >= 10_000 && /^ {2}(mkdir|cp|chown|ulimit) /.test(line));
  return {
    uri: 'file:///bench/deploy-20000.sh',
    text,
    editLine,
    original: all[editLine],
    edited: '  iptables -A INPUT -p tcp --dport 1363 -j ACCEPT',
  };
}
