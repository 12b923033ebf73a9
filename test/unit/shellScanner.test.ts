import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzFormat } from './fuzz';
import { MAX_NESTING } from '../../server/src/scan/shell/dataflow/relevance';
import { scanAs, scanShell, assertEvery } from './helpers';

describe('shell scanner', () => {
  describe('remote shells', () => {
    it('reads ssh -p, -oPort= and forwards, and scp/sftp -P but not scp -p', async () => {
      const script = await scanShell(
        [
          'ssh -p 2222 admin@bastion.example.com uptime',
          'ssh -oPort=2200 deploy@web1',
          'ssh -N -L 0.0.0.0:15432:db.internal:5432 jump',
          'ssh -D 1080 jump',
          'scp -p -P 2022 backup.tar admin@vault:/srv/',
          'sftp -P 2023 admin@vault',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['2222', '2200', '15432', '5432', '1080', '2022', '2023']);
      const sshPort = script.at('2222');
      assert.equal(sshPort.role, 'connect');
      assert.equal(sshPort.context.peer, 'bastion.example.com');
      const forward = script.at('15432');
      assert.equal(forward.role, 'listen');
      assert.equal(forward.exposure, 'any', '-L bound to 0.0.0.0 is open to every interface');
      assert.equal(script.at('1080').exposure, 'loopback', 'ssh binds forwards to loopback by default');
      assert.equal(script.at('2022').role, 'connect');
    });

    it('reads the ssh command inside rsync -e', async () => {
      const script = await scanShell(`rsync -az -e 'ssh -p 2201' ./site/ deploy@web1:/var/www/`);
      assert.deepEqual(script.tokens, ['2201']);
      assert.equal(script.at('2201').role, 'connect');
    });
  });

  describe('listeners', () => {
    it('reads nc -l -p, clustered nc -lvnp, OpenBSD nc -l PORT and ncat --listen with an address', async () => {
      const script = await scanShell(
        [
          'nc -l -p 4444',
          'nc -lvnp 4445',
          'nc -l 4446',
          'ncat --listen 127.0.0.1 4447',
          'nc -s 10.1.2.3 -l -p 4448',
        ].join('\n'),
      );
      assert.deepEqual(script.ports, [4444, 4445, 4446, 4447, 4448]);
      assertEvery(script.scan.mentions, (mention) => mention.role === 'listen');
      assert.equal(script.at('4444').exposure, 'any');
      assert.equal(script.at('4447').exposure, 'loopback');
      assert.equal(script.at('4448').exposure, 'private');
    });

    it('reads nc as a client without mistaking its timeouts for ports', async () => {
      const script = await scanShell('nc -w 5 -q 1 cd-server.example.com 1364\nnc -zv db 5430-5440');
      assert.deepEqual(script.tokens, ['1364', '5430-5440']);
      assert.equal(script.at('1364').role, 'connect');
      assert.equal(script.at('5430-5440').endPort, 5440);
    });

    it('reads socat listeners with and without bind=, and socat client addresses', async () => {
      const script = await scanShell(
        'socat TCP-LISTEN:1364,fork,reuseaddr TCP:cd-server.example.com:1364\nsocat UDP4-LISTEN:5514,bind=127.0.0.1 STDOUT',
      );
      const listener = script.at('1364', 0);
      assert.equal(listener.role, 'listen');
      assert.equal(listener.exposure, 'any');
      const client = script.at('1364', 1);
      assert.equal(client.role, 'connect');
      assert.equal(client.context.peer, 'cd-server.example.com');
      const udp = script.at('5514');
      assert.equal(udp.protocol, 'udp');
      assert.equal(udp.exposure, 'loopback');
    });

    it('reads python -m http.server PORT --bind ADDR, which binds every interface by default', async () => {
      const script = await scanShell(
        'python3 -m http.server 8000\npython3 -m http.server 8001 --bind 127.0.0.1\npython -m SimpleHTTPServer 8002',
      );
      assert.deepEqual(script.ports, [8000, 8001, 8002]);
      assert.equal(script.at('8000').exposure, 'any');
      assert.equal(script.at('8001').exposure, 'loopback');
    });
  });

  describe('containers', () => {
    it('reads docker run -p in every shape, and never the image tag', async () => {
      const script = await scanShell(
        [
          'docker run -d -p 6379:6379 --name cache redis:7.2',
          'docker run -it -p 127.0.0.1:8080:80 nginx:1.25',
          'docker run --publish 53:53/udp dns:latest',
          'docker run -p [::1]:9090:9090 prom/prometheus:v2.53.0',
          'podman run -p 49160-49170:3300-3310 app:2024.1',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, [
        '6379',
        '6379',
        '8080',
        '80',
        '53',
        '53',
        '9090',
        '9090',
        '49160-49170',
        '3300-3310',
      ]);
      const redis = script.at('6379', 0);
      assert.equal(redis.role, 'publish');
      assert.equal(redis.exposure, 'any', 'a publish without an address is on every interface');
      assert.equal(script.at('6379', 1).role, 'forward');
      assert.equal(script.at('8080').exposure, 'loopback');
      assert.equal(script.at('53').protocol, 'udp');
      assert.equal(script.at('9090').exposure, 'loopback');
      assert.equal(script.at('49160-49170').endPort, 49170);
      assert.equal(script.find('7.2'), undefined);
    });

    it('reads kubectl port-forward, local side on localhost unless --address says otherwise', async () => {
      const script = await scanShell(
        'kubectl port-forward svc/db 15432:5432\nkubectl -n ops port-forward pod/web 8080:80 --address 0.0.0.0',
      );
      assert.deepEqual(script.tokens, ['15432', '5432', '8080', '80']);
      assert.equal(script.at('15432').role, 'listen');
      assert.equal(script.at('15432').exposure, 'loopback');
      assert.equal(script.at('5432', 1).role, 'forward');
      assert.equal(script.at('8080').exposure, 'any');
    });
  });

  describe('clients and URLs', () => {
    it('reads ports in URLs of any argument, IPv6 included', async () => {
      const script = await scanShell(
        'curl -fsS --retry 5 -m 10 https://api.example.com:8443/health\nwget -q "http://[2001:db8::7]:8080/metrics" -O -\ngit clone https://github.com/org/repo.git',
      );
      assert.deepEqual(script.tokens, ['8443', '8080']);
      assert.equal(script.at('8443').role, 'connect');
      assert.equal(script.at('8080').context.peer, '2001:db8::7');
    });

    it('reads redis-cli -p, psql -p/--port and mysql -P, but not the mysql password', async () => {
      const script = await scanShell(
        'redis-cli -h cache -p 6380 ping\npsql -h db --port=5433 -U app\nmysql -h db -P 3307 -p1363secret -u app',
      );
      assert.deepEqual(script.tokens, ['6380', '5433', '3307']);
      assert.equal(script.at('6380').context.peer, 'cache');
    });

    it('reads bash /dev/tcp redirections', async () => {
      const script = await scanShell(
        'exec 3<>/dev/tcp/cd-server.example.com/1364\ntimeout 1 bash -c "</dev/tcp/db/5432"',
      );
      assert.deepEqual(script.tokens, ['1364', '5432']);
    });
  });

  describe('variables', () => {
    it('reports assignments to variables named for ports, and not others', async () => {
      const script = await scanShell(
        'CD_API_PORT=1363\nexport CD_HOST_PORT=1364\nlocal dbPort=5432\nSSH_PORTS="22 2222"\nRETRIES=1363\nSUPPORT_LEVEL=3\nTIMEOUT=447',
      );
      assert.deepEqual(script.tokens, ['1363', '1364', '5432', '22', '2222']);
      assertEvery(script.scan.mentions, (mention) => mention.role === 'define');
    });

    it('resolves a variable where a command uses it, and points back at its definition', async () => {
      const text = 'CD_API_PORT=1363\niptables -A INPUT -p tcp --dport "$CD_API_PORT" -j ACCEPT';
      const script = await scanShell(text);
      const use = script.at('$CD_API_PORT');
      assert.equal(use.port, 1363);
      assert.equal(use.role, 'allow');
      assert.equal(use.variable?.name, 'CD_API_PORT');
      assert.equal(text.slice(use.variable.definition.start, use.variable.definition.end), '1363');
    });

    it('uses the default of ${PORT:-8080} when the variable is unset', async () => {
      const script = await scanShell('nc -l -p "${LISTEN_PORT:-8080}"');
      assert.equal(script.at('8080').role, 'listen');
    });
  });

  describe('firewall command lines', () => {
    it('reads iptables ports with source, action, chain and policy, and skips rule positions', async () => {
      const script = await scanShell(
        [
          'iptables -P INPUT DROP',
          'iptables -I INPUT 3 -i eth0 -p tcp --dport 1363 -j ACCEPT',
          'iptables -A INPUT -s 10.20.0.0/16 -p tcp -m multiport --dports 1364,446:448 -j ACCEPT',
          'ip6tables -A INPUT -p tcp --destination-port ssh -j DROP',
          'iptables -A INPUT -p udp --sport 53 -j ACCEPT',
          'iptables -t nat -A PREROUTING -p tcp --dport 8443 -j DNAT --to-destination 10.0.5.20:443',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['1363', '1364', '446:448', 'ssh', '53', '8443', '443']);
      const api = script.at('1363');
      assert.equal(api.role, 'allow');
      assert.equal(api.exposure, 'any');
      assert.equal(api.context.chain, 'INPUT');
      assert.equal(api.context.policy, 'DROP');
      assert.equal(api.context.interface, 'eth0');
      assert.equal(script.at('1364').exposure, 'private');
      assert.equal(script.at('446:448').endPort, 448);
      const ssh = script.at('ssh');
      assert.equal(ssh.port, 22);
      assert.equal(ssh.writtenName, 'ssh');
      assert.equal(ssh.role, 'deny');
      assert.equal(script.at('53').role, 'other', 'a source port does not open the port on this host');
      assert.equal(script.at('8443').role, 'forward');
      assert.equal(script.at('443', 1).context.peer, '10.0.5.20');
    });

    it('reads ufw rules in the short and the full syntax', async () => {
      const script = await scanShell(
        [
          'ufw allow 447/tcp',
          'ufw allow 80,443/tcp',
          'sudo ufw allow from 10.0.0.0/8 to any port 1364 proto tcp',
          'ufw deny 23',
          'ufw allow 6000:6007/tcp',
          'ufw default deny incoming',
          'ufw allow OpenSSH',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['447', '80', '443', '1364', '23', '6000:6007']);
      assert.equal(script.at('447').exposure, 'any');
      assert.equal(script.at('447').protocol, 'tcp');
      assert.equal(script.at('1364').exposure, 'private');
      assert.equal(script.at('23').role, 'deny');
      assert.equal(script.at('23').protocol, 'any');
    });

    it('reads firewall-cmd ports, forwards and direct rules, with the zone deciding exposure', async () => {
      const script = await scanShell(
        [
          'firewall-cmd --permanent --zone=public --add-port=1364/tcp',
          'firewall-cmd --zone=internal --add-source=10.10.0.0/16',
          'firewall-cmd --zone=internal --add-port=5000-5100/udp',
          'firewall-cmd --zone=work --add-port 9090/tcp',
          'firewall-cmd --add-forward-port=port=80:proto=tcp:toport=8080:toaddr=10.0.0.2',
          'firewall-cmd --direct --add-rule ipv4 filter INPUT 0 -p tcp --dport 1363 -j ACCEPT',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, ['1364', '5000-5100', '9090', '80', '8080', '1363']);
      assert.equal(script.at('1364').exposure, 'any', 'the public zone faces the internet');
      assert.equal(script.at('1364').context.zone, 'public');
      assert.equal(script.at('5000-5100').exposure, 'private', 'the zone has a private source');
      assert.equal(script.at('9090').exposure, 'unknown', 'an internal zone without a source');
      assert.equal(script.at('8080').context.peer, '10.0.0.2');
      assert.equal(script.at('1363').context.chain, 'INPUT');
    });
  });

  describe('embedded formats', () => {
    it('hands an sshd_config heredoc to the sshd scanner', async () => {
      const script = await scanShell(
        "cat > /etc/ssh/sshd_config <<'EOF'\nPort 2222\nListenAddress 127.0.0.1\nPermitRootLogin no\nEOF\n",
      );
      const port = script.at('2222');
      assert.equal(port.language, 'sshd_config');
      assert.equal(port.role, 'listen');
      assert.equal(port.exposure, 'loopback');
    });

    it('reads a heredoc whatever the order of its redirections', async () => {
      const script = await scanShell(
        'cat <<EOF > /etc/ssh/sshd_config\nPort 2201\nEOF\ncat > /etc/ssh/sshd_config <<EOF\nPort 2202\nEOF\n' +
          "cat <<'EOF' >>/etc/ssh/sshd_config 2>/dev/null\nPort 2203\nEOF\n",
      );
      assert.deepEqual(script.tokens, ['2201', '2202', '2203']);
      assertEvery(script.scan.mentions, (mention) => mention.language === 'sshd_config' && mention.role === 'listen');
    });

    it('follows heredocs through a pipeline into tee', async () => {
      const script = await scanShell('cat <<EOF | sudo tee /etc/ssh/sshd_config.d/10-port.conf\nPort 2200\nEOF\n');
      assert.equal(script.at('2200').language, 'sshd_config');
    });

    it('reads sshd_config lines written by echo and by sed', async () => {
      const script = await scanShell(
        "echo 'Port 2201' >> /etc/ssh/sshd_config\nsed -i 's/^#\\?Port .*/Port 2202/' /etc/ssh/sshd_config\nsed -i 's/^Port 22$/Port 2203/' notes.txt",
      );
      assert.deepEqual(script.tokens, ['2201', '2202']);
      assert.equal(script.at('2202').exposure, 'any');
    });

    it('reads commands inside bash -c strings', async () => {
      const script = await scanShell(`sudo bash -c 'iptables -A INPUT -p tcp --dport 8471 -j ACCEPT'`);
      assert.equal(script.at('8471').role, 'allow');
    });

    it('leaves heredocs of unknown formats alone', async () => {
      const script = await scanShell('cat > notes.txt <<EOF\nPort 2222 is the admin port\nEOF\n');
      assert.deepEqual(script.tokens, []);
    });
  });

  describe('numbers that are not ports', () => {
    const cases = [
      'sleep 447',
      'seq 1 22',
      'head -n 448 access.log',
      'ulimit -n 65535',
      'chmod 0755 deploy.sh',
      'exit 12',
      'RETRIES=1363',
      'for i in {1..1364}; do echo "$i"; done',
      'echo $((1363 + 1))',
      'useradd -u 1364 cdadmin',
      'dd if=/dev/zero of=blob bs=1364 count=10',
      'tar czf backup-2024-11-21.tgz /etc',
      'docker run -d redis:7.2',
      'kill -9 1363',
      'date -d "2024-01-01 12:30"',
      'iptables -I INPUT 3 -p icmp --icmp-type 8 -m limit --limit 3/min -j ACCEPT',
      'nice -n 10 ./batch.sh',
      'curl -m 10 --retry 5 https://example.com/path',
      'chown www-data:www-data /srv',
      'echo "Port 2222"',
    ];
    for (const text of cases) {
      it(`finds no port in: ${text}`, async () => {
        const script = await scanShell(text);
        assert.deepEqual(script.tokens, []);
      });
    }
  });

  describe('half-typed and hostile input', () => {
    it('keeps the ports it can read around an unterminated quote and heredoc', async () => {
      const script = await scanShell('ssh -p 2222 host\necho "unterminated\nnc -l -p 4444\ncat <<EOF\nPort 1');
      assert.ok(script.tokens.includes('2222'));
    });

    it('survives a line of a megabyte of regex-hostile text', async () => {
      const hostile = `curl ${'a.'.repeat(500_000)}:// ${'/dev/tcp/'.repeat(10_000)}`;
      const script = await scanShell(`${hostile}\nssh -p 2222 host\n`);
      assert.deepEqual(script.tokens, ['2222']);
    });
  });
});

describe('shell statements nested deeper than the parser can read', () => {
  const nested = (levels: number) => `${'( '.repeat(levels)}nc -l -p 1363${' )'.repeat(levels)}`;

  it('reads a statement nested as deep as a script could mean, and stops at one nested past that', async () => {
    const script = ['#!/bin/sh', nested(40), nested(MAX_NESTING + 1), 'redis-server --port 6379 --bind 0.0.0.0'];
    const scan = await scanAs('shellscript', script.join('\n'), { expectNotices: true });
    // The listener in 40 subshells is read; the one deeper is not, and the file says so at its line.
    assert.deepEqual(
      scan.scan.mentions.map((mention) => [scan.lineOf(mention), mention.port]),
      [
        [2, 1363],
        [4, 6379],
      ],
    );
    const incomplete = scan.scan.findings.filter((finding) => finding.ruleId === 'scan-incomplete');
    assert.deepEqual(
      incomplete.map((finding) => [finding.severity, scan.lineOf(finding)]),
      [['error', 3]],
    );
    assert.match(incomplete[0].message, /nests quotes, substitutions or subshells more than 1000 deep/);
  });

  it('does the same for loops nested past the limit, and reads what follows them', async () => {
    const loops = (levels: number, body: string): string[] => [
      ...Array.from({ length: levels }, (_, index) => `for v${index} in 1 2; do`),
      body,
      ...Array.from({ length: levels }, () => 'done'),
    ];
    const script = [
      '#!/bin/sh',
      ...loops(10, 'nc -l -p 1363'),
      ...loops(MAX_NESTING + 1, 'nc -l -p 1364'),
      'redis-server --port 6379 --bind 0.0.0.0',
    ];
    const scan = await scanAs('shellscript', script.join('\n'), { expectNotices: true });
    assert.deepEqual(
      scan.scan.mentions.map((mention) => mention.port),
      [1363, 6379],
    );
    // The thousand loops around it are also more than the walk follows: those say so too.
    const reasons = scan.scan.findings
      .filter((finding) => finding.ruleId === 'scan-incomplete')
      .map((finding) => finding.message.replace(/^.*: (.*)\. Ports from here.*$/, '$1'));
    assert.ok(
      reasons.includes('loops and braces nest more than 1000 deep, which the shell parser cannot read'),
      JSON.stringify(reasons),
    );
  });
});

describe('shell scanner fuzzing', () => {
  const folder = join(__dirname, '..', '..', '..', 'examples', 'shell');
  fuzzFormat(
    'shellscript',
    readdirSync(folder).map((name) => readFileSync(join(folder, name), 'utf8')),
  );
});

describe('shell paths that tree-sitter splits or quotes', () => {
  it('routes a heredoc written to a path built from variables', async () => {
    const script = await scanShell(
      'cat >> $CDHOME/ndm/cfg/$NODE/netmap.cfg <<EOF\nlocal.node:\\\n  :tcp.api=0.0.0.0;1363:\nEOF\n',
    );
    assert.equal(script.at('1363').language, 'connectdirect-netmap');
    assert.equal(script.at('1363').exposure, 'any');
  });

  it('knows a program called through a quoted path', async () => {
    const script = await scanShell(
      '"$CDHOME/ndm/bin/direct" -x <<EOJ\nsubmit proc1 process snode=cd.partner.example;1364 pend;\nEOJ\n"/usr/sbin/iptables" -A INPUT -p tcp --dport 1363 -j ACCEPT\n',
    );
    assert.equal(script.at('1364').role, 'connect');
    assert.equal(script.at('1363').role, 'allow');
  });
});
