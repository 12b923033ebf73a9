import * as assert from 'node:assert/strict';
import { type ScannedText, scanAs, scanShell, testService } from './helpers';

/** `line port role exposure service`, for each mention. */
function summary(script: ScannedText): string[] {
  return script.scan.mentions.map(
    (mention) =>
      `${script.lineOf(mention)} ${mention.port}${mention.endPort === null ? '' : `-${mention.endPort}`}/${mention.protocol} ${mention.role} ${mention.exposure} ${mention.service ?? '-'}`,
  );
}

function findings(script: ScannedText): string[] {
  return script.scan.findings.map((finding) => `${script.lineOf(finding)} ${finding.ruleId} ${finding.message}`);
}

describe('the service the line itself names', () => {
  describe('servers started from a script', () => {
    it('reads dockerd -H tcp:// as the Docker API listening on that address, not as a URL it connects to', async () => {
      const script = await scanShell(
        [
          'dockerd -H unix:///var/run/docker.sock -H tcp://0.0.0.0:2375',
          'dockerd --tlsverify -H=tcp://10.0.0.5:2376',
          'dockerd --host tcp://127.0.0.1:12375',
        ].join('\n'),
      );
      assert.deepEqual(summary(script), [
        '1 2375/tcp listen any docker',
        '2 2376/tcp listen private docker-s',
        '3 12375/tcp listen loopback docker',
      ]);
      assert.ok(
        findings(script).includes(
          '1 exposed-critical-port Docker Engine API (plain text) port 2375 listens on every interface',
        ),
      );
    });

    it('reads mongod, which binds localhost unless told otherwise, and redis-server, which binds everything', async () => {
      const script = await scanShell(
        [
          'mongod --port 27018 --bind_ip_all',
          'mongod --dbpath /data --port 27019',
          'mongod --port=27020 --bind_ip 127.0.0.1,10.0.0.5',
          'redis-server --port 7000',
          'redis-server /etc/redis/redis.conf --port 7001 --bind 127.0.0.1 ::1 --protected-mode yes',
        ].join('\n'),
      );
      assert.deepEqual(summary(script), [
        '1 27018/tcp listen any mongodb',
        '2 27019/tcp listen loopback mongodb',
        '3 27020/tcp listen private mongodb',
        '4 7000/tcp listen any redis',
        '5 7001/tcp listen loopback redis',
      ]);
      assert.deepEqual(findings(script), [
        '1 exposed-critical-port MongoDB port 27018 listens on every interface',
        '3 exposed-critical-port MongoDB port 27020 listens for a private network (127.0.0.1,10.0.0.5)',
        '4 exposed-critical-port Redis port 7000 listens on every interface',
      ]);
    });
  });

  describe('clients, scanners and queries, which open nothing here', () => {
    it('reads nmap -p lists with their protocols, ss filters, curl --connect-to and psql connection strings', async () => {
      const script = await scanShell(
        [
          'nmap -sS -sU -p T:22,1363,U:161,8000-8100 10.0.0.5',
          "ss -ltn 'sport = :1363'",
          'curl --connect-to api.example.com:443:10.0.0.5:8443 https://api.example.com/',
          'psql "host=db.internal port=5433 dbname=app"',
        ].join('\n'),
      );
      assert.deepEqual(summary(script), [
        '1 22/tcp connect unknown -',
        '1 1363/tcp connect unknown -',
        '1 161/udp connect unknown -',
        '1 8000-8100/udp connect unknown -',
        '2 1363/tcp other unknown -',
        '3 8443/tcp connect unknown -',
        '4 5433/tcp connect unknown postgresql',
      ]);
      assert.deepEqual(findings(script), []);
    });

    it('reads the port a grep after netstat or ss looks for, and lsof -i and fuser queries', async () => {
      const script = await scanShell(
        [
          'netstat -tlnp | grep :1363',
          "ss -ltn | grep -E ':(1364|446)\\b' > /dev/null",
          'lsof -iTCP:8470-8476',
          'lsof -i udp@10.0.0.5:161',
          'fuser -k 8471/tcp',
          'fuser -n tcp 447',
          "sockstat -4l | grep '*.22 '",
        ].join('\n'),
      );
      assert.deepEqual(summary(script), [
        '1 1363/any other unknown -',
        '2 1364/any other unknown -',
        '2 446/any other unknown -',
        '3 8470-8476/tcp other unknown -',
        '4 161/udp other unknown -',
        '5 8471/tcp other unknown -',
        '6 447/tcp other unknown -',
        '7 22/any other unknown -',
      ]);
      assert.deepEqual(findings(script), []);
    });

    it('finds no port in a grep that no socket lister feeds, or in addresses and dates it looks for', async () => {
      const script = await scanShell(
        [
          'grep 1363 /etc/services',
          'netstat -an | grep 10.0.0.5',
          'ss -tn | grep 2024-01-01',
          'lsof -i @10.0.0.5',
        ].join('\n'),
      );
      assert.deepEqual(script.tokens, []);
    });

    it('finds no port in nmap timing options, ss states or curl options that are not addresses', async () => {
      const script = await scanShell(
        'nmap -T4 --max-retries 447 -sV 10.0.0.5\nss -s\nss -tn state established\ncurl -m 447 --retry 22 https://example.com/',
      );
      assert.deepEqual(script.tokens, []);
    });
  });

  describe('commands that ssh, docker and kubectl run elsewhere', () => {
    it('reads them as commands, saying where they run, and never takes their options for the wrapper’s', async () => {
      const script = await scanShell(
        [
          'ssh -p 2222 admin@db01 iptables -A INPUT -p tcp --dport 447 -j ACCEPT',
          "ssh admin@db02 'ufw allow 1363/tcp && nc -l -p 9000'",
          'docker run --rm -p 8080:80 alpine nc -l -p 8081',
          'docker run --network host alpine nc -l -p 8082',
          'kubectl exec -n prod deploy/api -- redis-cli -h cache -p 6379 ping',
        ].join('\n'),
      );
      assert.deepEqual(summary(script), [
        '1 2222/tcp connect unknown ssh',
        '1 447/tcp allow any -',
        '2 1363/tcp allow any -',
        '2 9000/tcp listen any -',
        '3 8080/tcp publish any -',
        '3 80/tcp forward any -',
        // Inside the container's own network, only what it publishes is reached.
        '3 8081/tcp listen unknown -',
        '4 8082/tcp listen any -',
        '5 6379/tcp connect unknown redis',
      ]);
      assert.equal(script.at('9000').context.note, 'on db02 (through ssh)');
      assert.equal(script.at('8081').context.note, 'in a docker container (image alpine)');
      assert.equal(script.at('6379').context.note, 'in pod deploy/api');
    });
  });

  describe('what the text says runs wins over the registry', () => {
    it('judges ssh on 2222 as SSH, with the registry entry of 2222 as a second line', async () => {
      const text = 'sshd -p 2222\nssh -p 2222 admin@bastion.example.com\n';
      const script = await scanShell(text);
      assert.deepEqual(findings(script), ['1 exposed-sensitive-port SSH port 2222 listens on every interface']);
      const service = await testService();
      const card = service.hover(script.scan, text, text.indexOf('2222') + 1)?.markdown ?? '';
      assert.match(card, /^\*\*2222\/tcp\*\* · SSH$/m);
      assert.match(card, /^IANA: `EtherNet\/IP-1`/m);
    });

    it('takes the service from an sshd_config Port and from a variable named for a service', async () => {
      const sshd = await scanShell("cat > /etc/ssh/sshd_config <<'EOF'\nPort 2222\nListenAddress 0.0.0.0:2200\nEOF\n");
      assert.deepEqual(
        sshd.scan.mentions.map((mention) => mention.service),
        ['ssh', 'ssh'],
      );
      const script = await scanShell('REDIS_PORT=7002\niptables -A INPUT -p tcp --dport "$REDIS_PORT" -j ACCEPT\n');
      assert.deepEqual(summary(script), ['1 7002/any define unknown redis', '2 7002/tcp allow any redis']);
      assert.deepEqual(findings(script), ['2 exposed-critical-port Redis port 7002 is open to any source']);
    });

    it('judges a Connect:Direct API listener as critical whatever port it uses, in every platform’s files', async () => {
      const unix = await scanAs(
        'connectdirect-netmap',
        'local.node:\\\n :tcp.api=0.0.0.0;11363:\\\n :comm.info=0.0.0.0;11364:\n',
      );
      assert.deepEqual(
        unix.scan.mentions.map((mention) => mention.service),
        ['ndm-requester', 'ndm-server'],
      );
      assert.ok(
        findings(unix).some(
          (finding) => finding === '2 exposed-critical-port Connect:Direct API port 11363 listens on every interface',
        ),
        findings(unix).join('\n'),
      );
      const zos = await scanAs('connectdirect-zos', 'TCP.API.LISTEN=(ANYADDR,11363)\n');
      assert.equal(zos.scan.findings.find((finding) => finding.ruleId === 'exposed-critical-port')?.port, 11363);
      const windows = await scanAs('connectdirect-ini', '[Server]\nCD_API_IP=0.0.0.0\nCD_API_PORT=11363\n');
      assert.equal(windows.at('11363').service, 'ndm-requester');
      assert.equal(windows.scan.findings.find((finding) => finding.ruleId === 'exposed-critical-port')?.port, 11363);
    });

    it('names the IBM i host servers in reports as IBM i does', async () => {
      const script = await scanShell('ufw allow 8470:8476/tcp\n');
      const service = await testService();
      assert.equal(service.serviceName(script.at('8470:8476')), 'as-central');
    });
  });
});
