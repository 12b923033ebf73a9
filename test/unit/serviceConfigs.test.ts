import * as assert from 'node:assert/strict';
import { type ScannedText, scanShell } from './helpers';

/** `line port role exposure`, for each mention of the language a script wrote. */
function summary(script: ScannedText, language: string): string[] {
  return script.scan.mentions
    .filter((mention) => mention.language === language)
    .map(
      (mention) => `${script.lineOf(mention)} ${mention.port}/${mention.protocol} ${mention.role} ${mention.exposure}`,
    );
}

describe('service configuration files a script writes', () => {
  it('reads systemd units: ExecStart lines as commands, with the script’s variables, and socket listeners', async () => {
    const script = await scanShell(
      [
        'port=8471',
        'cat > /etc/systemd/system/fw.service <<EOF',
        '[Service]',
        'ExecStartPre=-/sbin/iptables -A INPUT -p tcp --dport $port -j ACCEPT',
        'ExecStart=/usr/bin/redis-server --port 7000',
        'EOF',
        "cat > /etc/systemd/system/app.socket <<'EOF'",
        '[Socket]',
        'ListenStream=0.0.0.0:1363',
        'ListenStream=127.0.0.1:9000',
        'ListenDatagram=514',
        'ListenStream=/run/app.sock',
        'EOF',
      ].join('\n'),
    );
    assert.deepEqual(summary(script, 'shellscript'), [
      '1 8471/any define unknown',
      '4 8471/tcp allow any',
      '5 7000/tcp listen any',
    ]);
    assert.deepEqual(summary(script, 'systemd-unit'), [
      '9 1363/tcp listen any',
      '10 9000/tcp listen loopback',
      '11 514/udp listen any',
    ]);
  });

  it('reads docker-compose ports in the short, flow and long syntax, and expose as opening nothing', async () => {
    const script = await scanShell(
      [
        "cat > docker-compose.yml <<'EOF'",
        'services:',
        '  redis:',
        '    ports:',
        '      - "6379:6379"',
        '      - "127.0.0.1:6380:6379"',
        '    expose:',
        '      - "6381"',
        '  web:',
        '    ports: ["8080:80", \'443\']',
        '  api:',
        '    ports:',
        '      - target: 1363',
        '        published: 11363',
        '        host_ip: 10.0.0.5',
        'EOF',
      ].join('\n'),
    );
    assert.deepEqual(summary(script, 'docker-compose'), [
      '5 6379/tcp publish any',
      '5 6379/tcp forward any',
      '6 6380/tcp publish loopback',
      '6 6379/tcp forward loopback',
      '8 6381/tcp other unknown',
      '10 8080/tcp publish any',
      '10 80/tcp forward any',
      '10 443/tcp publish any',
      '13 1363/tcp forward private',
      '14 11363/tcp publish private',
    ]);
    const errors = script.scan.findings.filter((finding) => finding.severity === 'error');
    assert.deepEqual(
      errors.map((finding) => `${script.lineOf(finding)} ${finding.message}`),
      ['5 Redis port 6379 is published on every host interface'],
    );
  });

  it('reads .env ports as definitions, and redis.conf and my.cnf listeners with their bind addresses', async () => {
    const script = await scanShell(
      [
        "cat > .env <<'EOF'",
        'SMTP_PORT=25',
        'REDIS_PORT=6390',
        'APP_NAME=demo',
        'WORKERS=447',
        'EOF',
        "cat > /etc/redis/redis.conf <<'EOF'",
        'bind 127.0.0.1 -::1',
        'port 6400',
        'EOF',
        "tee /etc/mysql/my.cnf > /dev/null <<'EOF'",
        '[client]',
        'port = 3307',
        '[mysqld]',
        'bind-address = 0.0.0.0',
        'port = 3308',
        'EOF',
      ].join('\n'),
    );
    assert.deepEqual(summary(script, 'dotenv'), ['2 25/any define unknown', '3 6390/any define unknown']);
    assert.equal(script.at('6390').service, 'redis');
    assert.deepEqual(summary(script, 'redis-conf'), ['9 6400/tcp listen loopback']);
    assert.deepEqual(summary(script, 'mysql-cnf'), ['13 3307/tcp connect unknown', '16 3308/tcp listen any']);
  });
});
