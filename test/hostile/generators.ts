/**
 * Hostile inputs, one generator per case of issue 25 and per format: deep nesting, very long lines, huge lists,
 * self-referring and chained definitions. Each builds text that grows linearly with `n` and ends with a sentinel
 * rule that a complete scan must report: a blow-up that drops it without a `scan-incomplete` finding is the
 * failure these exist to catch. The suite (hostile.test.ts) and `npm run bench hostile` both use them.
 */

/** The finding a complete scan reports for the sentinel, written after the hostile part. */
export interface Sentinel {
  /** The sentinel as written; the finding must start at or after its last occurrence in the text. */
  marker: string;
  port: number | null;
  severity: 'error' | 'warning';
  ruleId?: string;
}

export interface HostileGenerator {
  name: string;
  languageId: string;
  path: string;
  /** What `n` counts: "rules", "levels of nesting". */
  unit: string;
  build(n: number): string;
  sentinel: Sentinel;
  /**
   * How many port mentions a scan that read the whole text reports, where that is clear-cut: a list that drops
   * its ports with no notice leaves the sentinel standing, so the sentinel alone would not show it.
   */
  ports?: (n: number) => number;
}

/** Ports of lists and rules that are not the sentinel: high, unclassified, never a sentinel's port. */
const port = (index: number) => 30000 + (index % 30000);
const privateHost = (index: number) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
const times = <T>(n: number, item: (index: number) => T): T[] => Array.from({ length: n }, (_, index) => item(index));
const repeat = (n: number, item: (index: number) => string | number, separator = '') => times(n, item).join(separator);

const REDIS = (marker: string): Sentinel => ({ marker, port: 6379, severity: 'error' });
const CD_API = (marker: string): Sentinel => ({ marker, port: 1363, severity: 'error' });

// ---------------------------------------------------------------------------------------------------------------
// Shell scripts

const SHELL_SENTINEL = 'iptables -A INPUT -p tcp --dport 6379 -j ACCEPT';

function shell(name: string, unit: string, body: (n: number) => string): HostileGenerator {
  return {
    name,
    languageId: 'shellscript',
    path: 'deploy/setup.sh',
    unit,
    build: (n) =>
      `#!/bin/bash\nset -euo pipefail\n\n${body(n)}\n\n# open the cache to the app tier\n${SHELL_SENTINEL}\n`,
    sentinel: REDIS(SHELL_SENTINEL),
  };
}

const shellGenerators: HostileGenerator[] = [
  // Issue 25: nested "$(echo " took minutes on a file of a few hundred KB.
  shell('shell-nested-echo-quotes', 'levels of "$(echo "', (n) => `nc -l ${'"$(echo '.repeat(n)}8080${')"'.repeat(n)}`),
  // Issue 25: tens of thousands of nested `$(` lost the port inside.
  shell(
    'shell-deep-dollar-paren',
    'levels of $(',
    (n) => `nc -l -p $(echo ${'$(echo '.repeat(n)}8080${')'.repeat(n)})`,
  ),
  // Issue 25: deep backticks. Nesting backticks doubles the escapes per level, so depth cannot grow linearly:
  // this is many backtick substitutions, each three deep, in one command.
  shell(
    'shell-backticks',
    'backtick substitutions',
    (n) =>
      `PORTS="${repeat(n, (index) => `\`echo \\\`echo \\\\\\\`echo ${port(index)}\\\\\\\`\\\`\``, ' ')}"\nnc -l -p 8080`,
  ),
  // Issue 25: many heredoc markers on one line.
  shell(
    'shell-heredoc-markers',
    'heredocs on one line',
    (n) =>
      `cat ${repeat(n, (index) => `<<EOF${index}`, ' ')} > /etc/ssh/sshd_config\n` +
      repeat(n, (index) => `Port ${port(index)}\nEOF${index}\n`),
  ),
  // Issue 25: a long --dports list overflowed the stack.
  shell(
    'shell-multiport-long',
    'ports in one --dports list',
    (n) => `iptables -A INPUT -p tcp -m multiport --dports ${repeat(n, port, ',')} -s 10.0.0.0/8 -j ACCEPT`,
  ),
  shell(
    'shell-deep-subshells',
    'levels of ( and {',
    (n) => `${'( { '.repeat(n)}iptables -A INPUT -p tcp -s 10.0.0.0/8 --dport 8080 -j ACCEPT${'; } )'.repeat(n)}`,
  ),
  shell(
    'shell-deep-if',
    'levels of if',
    (n) =>
      `${repeat(n, (index) => `if [ -d /etc/app${index} ]; then\n`)}iptables -A INPUT -p tcp -s 10.0.0.0/8 --dport 8080 -j ACCEPT\n${'fi\n'.repeat(n)}`,
  ),
  shell('shell-long-line', 'commands on one line', (n) =>
    repeat(n, (index) => `iptables -A INPUT -p tcp -s ${privateHost(index)} --dport ${port(index)} -j ACCEPT`, ' && '),
  ),
  shell(
    'shell-for-list',
    'words in a for list',
    (n) =>
      `for p in ${repeat(n, port, ' ')}; do\n  iptables -A INPUT -p tcp -s 10.0.0.0/8 --dport "$p" -j ACCEPT\ndone`,
  ),
  // Each variable names the one before: a chain of definitions.
  shell(
    'shell-variable-chain',
    'variables in a chain',
    (n) => `PORT0=8080\n${repeat(n, (index) => `PORT${index + 1}=$PORT${index}\n`)}nc -l -p "$PORT${n}"`,
  ),
  // Each variable names the one before twice: the value doubles per line.
  shell(
    'shell-variable-doubling',
    'variables, each twice the last',
    (n) =>
      `P0=8080\n${repeat(n, (index) => `P${index + 1}="$P${index} $P${index}"\n`)}for p in $P${n}; do\n  iptables -A INPUT -p tcp -s 10.0.0.0/8 --dport "$p" -j ACCEPT\ndone`,
  ),
  // The common idiom of a list that names itself as it grows.
  shell(
    'shell-self-appending-variable',
    'appends to one variable',
    (n) =>
      `PORTS=""\n${repeat(n, (index) => `PORTS="$PORTS ${port(index)}"\n`)}for p in $PORTS; do\n  iptables -A INPUT -p tcp -s 10.0.0.0/8 --dport "$p" -j ACCEPT\ndone`,
  ),
  shell(
    'shell-function-chain',
    'functions, each calling the next',
    (n) =>
      `${repeat(n, (index) => `step${index}() {\n  step${index + 1} "$1"\n}\n`)}step${n}() {\n  nc -l -p "$1"\n}\nstep0 8080`,
  ),
  // Functions that call each other in a cycle, each opening the port it is given.
  shell(
    'shell-function-cycle',
    'functions in a cycle',
    (n) =>
      `${repeat(n, (index) => `open${index}() {\n  iptables -A INPUT -p tcp -s 10.0.0.0/8 --dport "$1" -j ACCEPT\n  open${(index + 1) % n} "$1"\n}\n`)}open0 8080`,
  ),
  // Each function calls the next twice, with different arguments: a tree of calls that doubles per level.
  shell(
    'shell-call-tree',
    'functions, each calling the next twice',
    (n) =>
      `${repeat(n, (index) => `tree${index}() {\n  tree${index + 1} "$1"1\n  tree${index + 1} "$1"2\n}\n`)}tree${n}() {\n  nc -l -p "$1"\n}\ntree0 8`,
  ),
  // Loops inside loops, two elements each: the innermost body runs once per combination.
  shell(
    'shell-nested-loops',
    'levels of for loops',
    (n) =>
      `${repeat(n, (index) => `for v${index} in 1 2; do\n`)}iptables -A INPUT -p tcp -s 10.0.0.0/8 --dport 8080 -j ACCEPT\n${'done\n'.repeat(n)}`,
  ),
  {
    name: 'sshd-heredoc-many-lines',
    languageId: 'shellscript',
    path: 'deploy/harden-ssh.sh',
    unit: 'sshd_config lines',
    build: (n) =>
      `#!/bin/bash\ncat > /etc/ssh/sshd_config <<'EOF'\n${repeat(n, (index) => (index % 2 === 0 ? `Port ${port(index)}\n` : `ListenAddress ${privateHost(index)}:${port(index)}\n`))}PermitRootLogin no\nEOF\n\n${SHELL_SENTINEL}\n`,
    sentinel: REDIS(SHELL_SENTINEL),
  },
];

// ---------------------------------------------------------------------------------------------------------------
// iptables-save files

const IPTABLES_SENTINEL = '-A INPUT -p tcp --dport 6379 -j ACCEPT';

function iptables(
  name: string,
  unit: string,
  chains: (n: number) => string[],
  rules: (n: number) => string,
): HostileGenerator {
  return {
    name,
    languageId: 'iptables',
    path: 'etc/iptables/rules.v4',
    unit,
    build: (n) =>
      [
        '# Generated by iptables-save v1.8.7 on Mon Jan  6 10:00:00 2025',
        '*filter',
        ':INPUT DROP [0:0]',
        ':FORWARD DROP [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        ...chains(n),
        '-A INPUT -i lo -j ACCEPT',
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        rules(n),
        IPTABLES_SENTINEL,
        'COMMIT',
        '# Completed on Mon Jan  6 10:00:00 2025',
        '',
      ].join('\n'),
    sentinel: REDIS(IPTABLES_SENTINEL),
  };
}

const userChains = (n: number) => times(n, (index) => `:svc${index} - [0:0]`);

const iptablesGenerators: HostileGenerator[] = [
  // Issue 25: a long --dports list on one line made the whole file report nothing.
  iptables(
    'iptables-multiport-long',
    'ports in one --dports list',
    () => [],
    (n) => `-A INPUT -s 10.0.0.0/8 -p tcp -m multiport --dports ${repeat(n, port, ',')} -j ACCEPT`,
  ),
  iptables(
    'iptables-source-list',
    'addresses in one -s list',
    () => [],
    (n) => `-A INPUT -s ${repeat(n, (index) => `${privateHost(index)}/32`, ',')} -p tcp --dport 8080 -j ACCEPT`,
  ),
  iptables(
    'iptables-long-comment',
    'words in one comment',
    () => [],
    (n) =>
      `-A INPUT -s 10.0.0.0/8 -p tcp --dport 8080 -m comment --comment "${repeat(n, (index) => `app${index}`, ' ')}" -j ACCEPT`,
  ),
  iptables(
    'iptables-many-rules',
    'rules',
    () => [],
    (n) =>
      repeat(
        n,
        (index) =>
          `-A INPUT -s ${privateHost(index)}/${24 + (index % 9)} -p ${index % 3 === 0 ? 'udp' : 'tcp'} --dport ${port(index)} -j ${index % 5 === 0 ? 'DROP' : 'ACCEPT'}`,
        '\n',
      ),
  ),
  // Chains that jump to chains, n deep.
  iptables('iptables-chain-depth', 'chains deep', userChains, (n) =>
    [
      '-A INPUT -j svc0',
      ...times(n, (index) =>
        [
          `-A svc${index} -s ${privateHost(index)}/32 -p tcp --dport ${port(index)} -j ACCEPT`,
          ...(index + 1 < n ? [`-A svc${index} -p tcp -j svc${index + 1}`] : []),
        ].join('\n'),
      ),
    ].join('\n'),
  ),
  // Chains that jump in a cycle.
  iptables('iptables-chain-cycle', 'chains in a cycle', userChains, (n) =>
    [
      '-A INPUT -j svc0',
      ...times(n, (index) =>
        [
          `-A svc${index} -s ${privateHost(index)}/32 -p tcp --dport ${port(index)} -j ACCEPT`,
          `-A svc${index} -p tcp -j svc${(index + 1) % n}`,
        ].join('\n'),
      ),
    ].join('\n'),
  ),
  // Each chain jumps to the next twice, under different conditions: the paths double per chain.
  iptables('iptables-chain-diamonds', 'chains, each jumping twice to the next', userChains, (n) =>
    [
      '-A INPUT -j svc0',
      ...times(n, (index) =>
        [
          `-A svc${index} -s ${privateHost(index)}/32 -p tcp --dport ${port(index)} -j ACCEPT`,
          ...(index + 1 < n
            ? [`-A svc${index} -p tcp -j svc${index + 1}`, `-A svc${index} -p udp -j svc${index + 1}`]
            : []),
        ].join('\n'),
      ),
    ].join('\n'),
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// ufw user.rules

const UFW_SENTINEL =
  '### tuple ### allow tcp 6379 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 6379 -j ACCEPT';

function ufw(name: string, unit: string, chains: (n: number) => string[], rules: (n: number) => string) {
  return {
    name,
    languageId: 'ufw',
    path: 'etc/ufw/user.rules',
    unit,
    build: (n: number) =>
      [
        '*filter',
        ':ufw-user-input - [0:0]',
        ':ufw-user-output - [0:0]',
        ':ufw-user-forward - [0:0]',
        ':ufw-user-limit - [0:0]',
        ':ufw-user-limit-accept - [0:0]',
        ...chains(n),
        '### RULES ###',
        '',
        rules(n),
        '',
        UFW_SENTINEL,
        '',
        '### END RULES ###',
        'COMMIT',
        '',
      ].join('\n'),
    sentinel: REDIS(UFW_SENTINEL),
  } satisfies HostileGenerator;
}

const ufwTuple = (index: number) =>
  `### tuple ### allow tcp ${port(index)} 0.0.0.0/0 any ${privateHost(index)} in\n-A ufw-user-input -p tcp --dport ${port(index)} -s ${privateHost(index)} -j ACCEPT`;

const ufwGenerators: HostileGenerator[] = [
  ufw(
    'ufw-many-tuples',
    'rules',
    () => [],
    (n) => repeat(n, ufwTuple, '\n\n'),
  ),
  ufw(
    'ufw-multiport-long',
    'ports in one rule',
    () => [],
    (n) =>
      `### tuple ### allow tcp ${repeat(n, port, ',')} 0.0.0.0/0 any 10.0.0.0/8 in\n-A ufw-user-input -p tcp -m multiport --dports ${repeat(n, port, ',')} -s 10.0.0.0/8 -j ACCEPT`,
  ),
  // ufw writes comments hex-encoded on the tuple line.
  ufw(
    'ufw-long-comment',
    'bytes of comment',
    () => [],
    (n) =>
      `### tuple ### allow tcp 8080 0.0.0.0/0 any 10.0.0.0/8 in comment=${'61'.repeat(n)}\n-A ufw-user-input -p tcp --dport 8080 -s 10.0.0.0/8 -j ACCEPT`,
  ),
  ufw(
    'ufw-chain-cycle',
    'chains in a cycle',
    (n) => times(n, (index) => `:ufw-user-app${index} - [0:0]`),
    (n) =>
      [
        '-A ufw-user-input -j ufw-user-app0',
        ...times(n, (index) =>
          [
            `-A ufw-user-app${index} -p tcp --dport ${port(index)} -s ${privateHost(index)} -j ACCEPT`,
            `-A ufw-user-app${index} -p tcp -j ufw-user-app${(index + 1) % n}`,
          ].join('\n'),
        ),
      ].join('\n'),
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// firewalld zones

const FIREWALLD_SENTINEL = '<port port="6379" protocol="tcp"/>';

function firewalld(name: string, unit: string, body: (n: number) => string, prolog = (_n: number) => '') {
  return {
    name,
    languageId: 'firewalld',
    path: 'etc/firewalld/zones/public.xml',
    unit,
    build: (n: number) =>
      `<?xml version="1.0" encoding="utf-8"?>\n${prolog(n)}<zone>\n  <short>Public</short>\n  <description>For use in public areas.</description>\n  <interface name="eth0"/>\n${body(n)}\n  ${FIREWALLD_SENTINEL}\n</zone>\n`,
    sentinel: REDIS(FIREWALLD_SENTINEL),
  } satisfies HostileGenerator;
}

const richRule = (index: number) =>
  `<rule family="ipv4"><source address="${privateHost(index)}/32"/><port protocol="tcp" port="${port(index)}"/><accept/></rule>`;

const firewalldGenerators: HostileGenerator[] = [
  firewalld(
    'firewalld-deep-elements',
    'levels of nested elements',
    (n) => `  ${'<rule family="ipv4">'.repeat(n)}<port protocol="tcp" port="8080"/>${'</rule>'.repeat(n)}`,
  ),
  firewalld('firewalld-many-ports', 'port elements and rich rules', (n) =>
    repeat(n, (index) => `  <port protocol="tcp" port="${port(index)}"/>\n  ${richRule(index)}`, '\n'),
  ),
  firewalld('firewalld-long-line', 'rich rules on one line', (n) => `  ${repeat(n, richRule)}`),
  // Entities that each name the one before twice: the "billion laughs" of XML.
  firewalld(
    'firewalld-entity-chain',
    'entities, each twice the last',
    (n) => `  <description>&e${n};</description>`,
    (n) =>
      `<!DOCTYPE zone [\n<!ENTITY e0 "8080">\n${repeat(n, (index) => `<!ENTITY e${index + 1} "&e${index};&e${index};">\n`)}]>\n`,
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// nftables

const NFT_SENTINEL = 'tcp dport 6379 accept';

function nft(
  name: string,
  unit: string,
  rules: (n: number) => string,
  defines = (_n: number) => '',
  chains = (_n: number) => '',
) {
  return {
    name,
    languageId: 'nftables',
    path: 'etc/nftables.conf',
    unit,
    build: (n: number) =>
      `#!/usr/sbin/nft -f\nflush ruleset\n\n${defines(n)}\ntable inet filter {\n${chains(n)}\n    chain input {\n        type filter hook input priority filter; policy drop;\n        iif lo accept\n        ct state established,related accept\n${rules(n)}\n        ${NFT_SENTINEL}\n    }\n}\n`,
    sentinel: REDIS(NFT_SENTINEL),
  } satisfies HostileGenerator;
}

const nftChains = (n: number, body: (index: number) => string) =>
  repeat(n, (index) => `    chain svc${index} {\n${body(index)}\n    }\n`);

const nftGenerators: HostileGenerator[] = [
  // Issue 25: large define sets dropped their ports with no notice.
  nft(
    'nft-define-set',
    'elements in one define',
    () => '        ip saddr 10.0.0.0/8 tcp dport $app_ports accept',
    (n) => `define app_ports = { ${repeat(n, port, ', ')} }\n`,
  ),
  nft(
    'nft-anonymous-set',
    'elements in one rule',
    (n) => `        ip saddr 10.0.0.0/8 tcp dport { ${repeat(n, port, ', ')} } accept`,
  ),
  nft(
    'nft-vmap',
    'verdict map entries',
    (n) =>
      `        tcp dport vmap { ${repeat(n, (index) => `${port(index)} : ${index % 2 ? 'drop' : 'jump svc'}`, ', ')} }`,
    () => '',
    () => '    chain svc {\n        ip saddr 10.0.0.0/8 accept\n    }\n',
  ),
  // Each define names the one before twice: the value doubles per line.
  nft(
    'nft-define-doubling',
    'defines, each twice the last',
    (n) => `        ip saddr 10.0.0.0/8 tcp dport $p${n} accept`,
    (n) => `define p0 = { 8080 }\n${repeat(n, (index) => `define p${index + 1} = { $p${index}, $p${index} }\n`)}`,
  ),
  // A define that names itself, used by every rule.
  nft(
    'nft-define-self',
    'rules using a self-referring define',
    (n) => repeat(n, (index) => `        ip saddr ${privateHost(index)} tcp dport $app_ports accept`, '\n'),
    () => 'define app_ports = { $app_ports, $app_ports, 8080 }\n',
  ),
  nft(
    'nft-deep-braces',
    'levels of nested sets',
    (n) => `        ip saddr 10.0.0.0/8 tcp dport ${'{ '.repeat(n)}8080${' }'.repeat(n)} accept`,
  ),
  nft(
    'nft-long-line',
    'rules on one line',
    (n) => `        ${repeat(n, (index) => `ip saddr ${privateHost(index)} tcp dport ${port(index)} accept`, '; ')}`,
  ),
  nft(
    'nft-jump-depth',
    'chains deep',
    () => '        jump svc0',
    () => '',
    (n) =>
      nftChains(
        n,
        (index) =>
          `        ip saddr ${privateHost(index)} tcp dport ${port(index)} accept${index + 1 < n ? `\n        meta l4proto tcp jump svc${index + 1}` : ''}`,
      ),
  ),
  nft(
    'nft-jump-cycle',
    'chains in a cycle',
    () => '        jump svc0',
    () => '',
    (n) =>
      nftChains(
        n,
        (index) =>
          `        ip saddr ${privateHost(index)} tcp dport ${port(index)} accept\n        meta l4proto tcp jump svc${(index + 1) % n}`,
      ),
  ),
  nft(
    'nft-jump-diamonds',
    'chains, each jumping twice to the next',
    () => '        jump svc0',
    () => '',
    (n) =>
      nftChains(
        n,
        (index) =>
          `        ip saddr ${privateHost(index)} tcp dport ${port(index)} accept${index + 1 < n ? `\n        meta l4proto tcp jump svc${index + 1}\n        meta l4proto udp jump svc${index + 1}` : ''}`,
      ),
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// pf.conf

const PF_SENTINEL = 'pass in proto tcp to any port 6379';

function pf(name: string, unit: string, body: (n: number) => string): HostileGenerator {
  return {
    name,
    languageId: 'pf',
    path: 'etc/pf.conf',
    unit,
    build: (n) =>
      `# pf.conf for the transfer host\next_if = "em0"\nset skip on lo\nblock in all\npass out quick keep state\n\n${body(n)}\n\n${PF_SENTINEL}\n`,
    sentinel: REDIS(PF_SENTINEL),
  };
}

const pfGenerators: HostileGenerator[] = [
  // Issue 25: a small pf.conf whose macro names itself ten times, used by a few rules, took most of a minute.
  pf(
    'pf-self-macro',
    'rules using a self-referring macro',
    (n) =>
      `app_ports = "{ ${'$app_ports '.repeat(10)}}"\n${repeat(n, (index) => `pass in on $ext_if proto tcp from ${privateHost(index)} to any port $app_ports\n`)}`,
  ),
  // Issue 25: large pf lists and macros dropped their ports.
  pf(
    'pf-port-list',
    'ports in one list',
    (n) => `pass in on $ext_if proto tcp from 10.0.0.0/8 to any port { ${repeat(n, port, ', ')} }`,
  ),
  pf(
    'pf-macro-list',
    'ports in one macro',
    (n) =>
      `app_ports = "{ ${repeat(n, port, ' ')} }"\npass in on $ext_if proto tcp from 10.0.0.0/8 to any port $app_ports`,
  ),
  // Each macro names the one before twice: the value doubles per line.
  pf(
    'pf-macro-doubling',
    'macros, each twice the last',
    (n) =>
      `m0 = "8080"\n${repeat(n, (index) => `m${index + 1} = "$m${index} $m${index}"\n`)}pass in on $ext_if proto tcp from 10.0.0.0/8 to any port { $m${n} }`,
  ),
  pf(
    'pf-macro-chain',
    'macros in a chain',
    (n) =>
      `m0 = "8080"\n${repeat(n, (index) => `m${index + 1} = "$m${index}"\n`)}pass in on $ext_if proto tcp from 10.0.0.0/8 to any port $m${n}`,
  ),
  pf(
    'pf-deep-braces',
    'levels of nested lists',
    (n) => `pass in on $ext_if proto tcp from 10.0.0.0/8 to any port ${'{ '.repeat(n)}8080${' }'.repeat(n)}`,
  ),
  pf(
    'pf-anchor-nesting',
    'levels of anchors',
    (n) =>
      `${repeat(n, (index) => `anchor "app${index}" {\n`)}pass in on $ext_if proto tcp from 10.0.0.0/8 to any port 8080\n${'}\n'.repeat(n)}`,
  ),
  pf(
    'pf-source-list',
    'addresses in one list',
    (n) => `pass in on $ext_if proto tcp from { ${repeat(n, privateHost, ' ')} } to any port 8080`,
  ),
  // One rule continued over n lines.
  pf(
    'pf-continued-rule',
    'continuation lines',
    (n) =>
      `pass in on $ext_if proto tcp from 10.0.0.0/8 to any port { \\\n${repeat(n, (index) => `    ${port(index)} \\\n`)}}`,
  ),
  pf('pf-many-rules', 'rules', (n) =>
    repeat(
      n,
      (index) =>
        `${index % 5 === 0 ? 'block' : 'pass'} in ${index % 7 === 0 ? 'quick ' : ''}on $ext_if proto tcp from ${privateHost(index)}/${24 + (index % 9)} to any port ${port(index)}`,
      '\n',
    ),
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// Connect:Direct

const SPCLI_SENTINEL = 'update remotenode name=LEGACY protocol=ssl3.0;';
// spcli scripts name no ports: the strongest thing they say is an outdated protocol, a warning.
const spcliSentinel: Sentinel = {
  marker: SPCLI_SENTINEL,
  port: null,
  severity: 'warning',
  ruleId: 'connectdirect-insecure-protocol',
};

const PROCESS_SENTINEL = 'OPEN     RUN TASK (PGM=UNIX) PNODE SYSOPTS="iptables -A INPUT -p tcp --dport 6379 -j ACCEPT"';
const UNIX_API_SENTINEL = 'local.node:\\\n :tcp.api=0.0.0.0;1363:\n';
const ZOS_API_SENTINEL = 'TCP.API.LISTEN=(ANYADDR,1363)';
const INI_API_SENTINEL = '[Server]\nCD_API_IP=0.0.0.0\nCD_API_PORT=1363\n';

function cdProcess(name: string, unit: string, steps: (n: number) => string): HostileGenerator {
  return {
    name,
    languageId: 'connectdirect',
    path: 'processes/nightly.cdp',
    unit,
    build: (n) =>
      `/* Nightly transfer to the clearing house */\nNIGHTLY  PROCESS SNODE=cd.clearhouse.example.com;1364\n${steps(n)}\n${PROCESS_SENTINEL}\n         PEND\n`,
    sentinel: REDIS(PROCESS_SENTINEL),
  };
}

const connectDirectGenerators: HostileGenerator[] = [
  // Issue 25: a long spcli script took most of a minute: the fix builder re-parsed it per finding.
  {
    name: 'spcli-many-findings',
    languageId: 'connectdirect-spcli',
    path: 'cd/spcli-hardening.txt',
    unit: 'commands with an outdated protocol',
    build: (n) =>
      `; Secure+ settings applied with spcli.sh\n${repeat(n, (index) => `update remotenode name=PARTNER${index} protocol=(tls1.0,tls1.2) override=n;\n`)}${SPCLI_SENTINEL}\nquit;\n`,
    sentinel: spcliSentinel,
  },
  {
    name: 'spcli-long-command',
    languageId: 'connectdirect-spcli',
    path: 'cd/spcli-hardening.txt',
    unit: 'cipher suites in one command',
    build: (n) =>
      `; Secure+ settings applied with spcli.sh\nupdate localnode protocol=tls1.2 ciphersuites=(${repeat(n, (index) => `TLS_SUITE_${index}`, ',')});\n${SPCLI_SENTINEL}\nquit;\n`,
    sentinel: spcliSentinel,
  },
  cdProcess(
    'cd-process-deep-parens',
    'levels of parentheses',
    (n) =>
      `SEND     COPY FROM (FILE=/data/out.csv PNODE SYSOPTS=${'('.repeat(n)}X${')'.repeat(n)})\n              TO   (FILE=/in/out.csv SNODE DISP=RPL)`,
  ),
  cdProcess('cd-process-many-sysopts', 'steps running shell commands', (n) =>
    repeat(
      n,
      (index) => `S${index}       RUN TASK (PGM=UNIX) PNODE SYSOPTS="nc -z ${privateHost(index)} ${port(index)}"`,
      '\n',
    ),
  ),
  cdProcess(
    'cd-process-long-sysopts',
    'shell commands in one SYSOPTS',
    (n) =>
      `PREP     RUN TASK (PGM=UNIX) PNODE SYSOPTS="${repeat(n, (index) => `iptables -A INPUT -p tcp -s ${privateHost(index)} --dport ${port(index)} -j ACCEPT`, ' && ')}"`,
  ),
  {
    name: 'cd-netmap-long-record',
    languageId: 'connectdirect-netmap',
    path: 'cd/netmap.cfg',
    unit: 'fields in one record',
    build: (n) =>
      `# Connect:Direct for UNIX network map\nCLEARHOUSE:\\\n :comm.info=cd.clearhouse.example.com;1364:\\\n${repeat(n, (index) => ` :sess.opt${index}=${index}:\\\n`)} :comm.transport=tcp:\n\n${UNIX_API_SENTINEL}`,
    sentinel: CD_API(UNIX_API_SENTINEL),
  },
  {
    name: 'cd-netmap-alt-comm-list',
    languageId: 'connectdirect-netmap',
    path: 'cd/netmap.cfg',
    unit: 'addresses in one list',
    build: (n) =>
      `# Connect:Direct for UNIX network map\nCLEARHOUSE:\\\n :comm.info=cd.clearhouse.example.com;1364:\\\n :alt.comm.outbound=${repeat(n, (index) => `${privateHost(index)};${port(index)}`, ',')}:\n\n${UNIX_API_SENTINEL}`,
    sentinel: CD_API(UNIX_API_SENTINEL),
  },
  {
    name: 'cd-initparm-src-ports',
    languageId: 'connectdirect-initparm',
    path: 'cd/initparm.cfg',
    unit: 'entries in tcp.src.ports',
    build: (n) =>
      `# Connect:Direct for UNIX initialization parameters\nfirewall.parms:\\\n :tcp.src.ports=${repeat(n, (index) => `(${privateHost(index)}, ${port(index)}-${port(index) + 10})`, ', ')}:\n\n${UNIX_API_SENTINEL}`,
    sentinel: CD_API(UNIX_API_SENTINEL),
  },
  {
    name: 'cd-initparm-deep-parens',
    languageId: 'connectdirect-initparm',
    path: 'cd/initparm.cfg',
    unit: 'levels of parentheses',
    build: (n) =>
      `# Connect:Direct for UNIX initialization parameters\nfirewall.parms:\\\n :tcp.src.ports=${'('.repeat(n)}10.0.0.1, 5000-5050${')'.repeat(n)}:\n\n${UNIX_API_SENTINEL}`,
    sentinel: CD_API(UNIX_API_SENTINEL),
  },
  {
    name: 'cd-ini-long-line',
    languageId: 'connectdirect-ini',
    path: 'cd/cd_srvr.ini',
    unit: 'addresses on one line',
    build: (n) =>
      `;\n; Connect:Direct for Windows netmap export\n;\n[Node:CLEARHOUSE]\nIPAddress=cd.clearhouse.example.com;1364\nAltCommAddr=${repeat(n, (index) => `${privateHost(index)};${port(index)}`, ',')}\n\n${INI_API_SENTINEL}`,
    sentinel: CD_API(INI_API_SENTINEL),
  },
  {
    name: 'cd-ini-many-nodes',
    languageId: 'connectdirect-ini',
    path: 'cd/cd_srvr.ini',
    unit: 'node sections',
    build: (n) =>
      `;\n; Connect:Direct for Windows netmap export\n;\n${repeat(n, (index) => `[Node:PARTNER${index}]\nIPAddress=${privateHost(index)};${port(index)}\nSessPnodeMax=5\n\n`)}${INI_API_SENTINEL}`,
    sentinel: CD_API(INI_API_SENTINEL),
  },
  {
    name: 'cd-zos-deep-parens',
    languageId: 'connectdirect-zos',
    path: 'cd/INITPARM.txt',
    unit: 'levels of parentheses',
    build: (n) =>
      `/* CD.ZOS.PAYMENTS INITIALIZATION PARAMETERS */\nTCP.LISTEN=${'('.repeat(n)}10.0.0.1,1364${')'.repeat(n)}\nMAXUSERS=10\n${ZOS_API_SENTINEL}\n`,
    sentinel: CD_API(ZOS_API_SENTINEL),
  },
  {
    name: 'cd-zos-continuations',
    languageId: 'connectdirect-zos',
    path: 'cd/NETMAP.txt',
    unit: 'continuation lines',
    build: (n) =>
      `/* CD.ZOS.PAYMENTS NETWORK MAP SOURCE */\nADJACENT.NODE=((CLEARHOUSE,1364,cd.clearhouse.example.com,TCP)    -\n${repeat(n, (index) => `            PARSESS=(4,${index % 9})                                  -\n`)}            ENVIRONMENT=UNIX)\n${ZOS_API_SENTINEL}\n`,
    sentinel: CD_API(ZOS_API_SENTINEL),
  },
  {
    name: 'cd-zos-listen-list',
    languageId: 'connectdirect-zos',
    path: 'cd/INITPARM.txt',
    unit: 'addresses in one list',
    build: (n) =>
      `/* CD.ZOS.PAYMENTS INITIALIZATION PARAMETERS */\nTCP.LISTEN=(${repeat(n, (index) => `(${privateHost(index)},${port(index)})`, ',')})\n${ZOS_API_SENTINEL}\n`,
    sentinel: CD_API(ZOS_API_SENTINEL),
  },
];

/** The port mentions of a complete scan: one per list element, rule or line, and the sentinel's. */
const plus = (extra: number) => (n: number) => n + extra;
const COMPLETE_PORTS: Record<string, (n: number) => number> = {
  'shell-backticks': () => 2,
  // Of many heredocs on one command only the last is its standard input.
  'shell-heredoc-markers': () => 2,
  'shell-multiport-long': plus(1),
  'shell-deep-subshells': () => 2,
  'shell-deep-if': () => 2,
  'shell-long-line': plus(1),
  'shell-variable-chain': () => 2,
  // Each element where it is written and at its use, and the sentinel.
  'shell-for-list': (n) => 2 * n + 1,
  // The argument where it is written, its use at the end of the chain, and the sentinel.
  'shell-function-chain': () => 3,
  // The argument where it is written, its use in each function of the cycle, and the sentinel.
  'shell-function-cycle': plus(2),
  'sshd-heredoc-many-lines': plus(1),
  'iptables-multiport-long': plus(1),
  'iptables-source-list': () => 2,
  'iptables-long-comment': () => 2,
  'iptables-many-rules': plus(1),
  'iptables-chain-depth': plus(1),
  'iptables-chain-cycle': plus(1),
  'iptables-chain-diamonds': plus(1),
  'ufw-many-tuples': plus(1),
  'ufw-multiport-long': plus(1),
  'ufw-long-comment': () => 2,
  'ufw-chain-cycle': plus(1),
  // The port inside the nested rules, and the sentinel.
  'firewalld-deep-elements': () => 2,
  'firewalld-many-ports': (n) => 2 * n + 1,
  'firewalld-long-line': plus(1),
  'nft-define-set': plus(1),
  'nft-anonymous-set': plus(1),
  'nft-vmap': plus(1),
  'nft-long-line': plus(1),
  'nft-jump-depth': plus(1),
  'nft-jump-cycle': plus(1),
  'nft-jump-diamonds': plus(1),
  'pf-port-list': plus(1),
  'pf-macro-list': plus(1),
  'pf-deep-braces': () => 2,
  'pf-anchor-nesting': () => 2,
  'pf-source-list': () => 2,
  'pf-continued-rule': plus(1),
  'pf-many-rules': plus(1),
  'cd-process-deep-parens': () => 2,
  'cd-process-many-sysopts': plus(2),
  'cd-process-long-sysopts': plus(2),
  'cd-netmap-long-record': () => 2,
  'cd-netmap-alt-comm-list': plus(2),
  'cd-initparm-src-ports': plus(1),
  'cd-initparm-deep-parens': () => 2,
  'cd-ini-long-line': plus(2),
  'cd-ini-many-nodes': plus(1),
  'cd-zos-continuations': () => 2,
  'cd-zos-deep-parens': () => 2,
  'cd-zos-listen-list': plus(1),
};

export const HOSTILE_GENERATORS: readonly HostileGenerator[] = [
  ...shellGenerators,
  ...iptablesGenerators,
  ...ufwGenerators,
  ...firewalldGenerators,
  ...nftGenerators,
  ...pfGenerators,
  ...connectDirectGenerators,
].map((generator) => ({ ...generator, ports: COMPLETE_PORTS[generator.name] }));

export function generatorNamed(name: string): HostileGenerator {
  const generator = HOSTILE_GENERATORS.find((candidate) => candidate.name === name);
  if (!generator) throw new Error(`no hostile generator named ${name}`);
  return generator;
}
