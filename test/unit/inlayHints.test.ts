import * as assert from 'node:assert/strict';
import { testService } from './helpers';

/** The hints of a whole text, each as the text up to it and its label. */
async function hintsOf(text: string, path = 'deploy.sh'): Promise<string[]> {
  const service = await testService();
  const scan = service.scan({ text, path });
  assert.deepEqual(scan.notices, []);
  return service
    .inlayHints(scan, text, 0, text.length)
    .map((hint) => `${text.slice(text.lastIndexOf('\n', hint.offset - 1) + 1, hint.offset)} → ${hint.label}`);
}

describe('inlay hints: the service after a bare port number', () => {
  it('names the service of a bare number, and of each port of a list', async () => {
    assert.deepEqual(await hintsOf('iptables -A INPUT -p tcp -m multiport --dports 446,447,1363 -j ACCEPT\n'), [
      'iptables -A INPUT -p tcp -m multiport --dports 446 → ddm-rdb',
      'iptables -A INPUT -p tcp -m multiport --dports 446,447 → ddm-dfm',
      'iptables -A INPUT -p tcp -m multiport --dports 446,447,1363 → ndm-requester',
    ]);
  });

  it('says nothing where the line names the service, for a range, a name or a variable', async () => {
    const text = [
      'ssh -p 22 admin@host',
      'ufw allow 8470:8476/tcp',
      'iptables -A INPUT -p tcp --dport ssh -j ACCEPT',
      'iptables -A INPUT -p tcp --dport "$APP_PORT" -j ACCEPT',
      'firewall-cmd --add-port=5432/tcp  # postgresql for the reports',
      'iptables -A INPUT -p tcp --dport 1364 -j ACCEPT',
      '',
    ].join('\n');
    // Only the last line, which names no service, gets one.
    assert.deepEqual(await hintsOf(text), ['iptables -A INPUT -p tcp --dport 1364 → ndm-server']);
  });

  it('gives only the hints that start in the range asked for', async () => {
    const text = 'ufw allow 1363/tcp\nufw allow 1364/tcp\n';
    const service = await testService();
    const scan = service.scan({ text, path: 'ufw.sh' });
    const second = text.indexOf('\n') + 1;
    assert.deepEqual(
      service.inlayHints(scan, text, second, text.length).map((hint) => hint.label),
      ['ndm-server'],
    );
  });
});
