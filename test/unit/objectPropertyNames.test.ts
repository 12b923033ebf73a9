import * as assert from 'node:assert/strict';
import { scanAs, scanShell, testService } from './helpers';

// Words that name properties every JavaScript object has. Keyword tables that were plain objects read them as
// keywords: `port constructor` became the port `function Object()`, and `ufw constructor 22` an allow rule.
describe('words that name Object properties', () => {
  it('pf: `port constructor` is an unknown service name, and the next rule still reads', async () => {
    const scan = await scanAs(
      'pf',
      'pass in proto tcp to port constructor\npass in proto tcp to port toString\npass in proto tcp to port 22\n',
    );
    assert.deepEqual(scan.tokens, ['22']);
    assert.equal(typeof scan.scan.mentions[0].port, 'number');
  });

  it('ufw: `constructor` and `__proto__` are no actions', async () => {
    const scan = await scanShell('#!/bin/sh\nufw constructor 22\nufw __proto__ 23\nufw allow 2222/tcp\n');
    assert.deepEqual(scan.tokens, ['2222']);
    assert.equal(scan.scan.mentions[0].role, 'allow');
  });

  it('nftables: a chain on `hook constructor` has no direction, and its ports still read', async () => {
    const scan = await scanAs(
      'nftables',
      'table inet f {\n  chain c {\n    type filter hook constructor priority 0;\n    tcp dport 22 accept\n  }\n}\n',
    );
    const mention = scan.at('22');
    assert.equal(mention.context.direction, undefined);
    assert.doesNotMatch(JSON.stringify(mention.context), /function/);
  });

  it('firewalld: `&constructor;` is no entity and `<constructor>` no named element', async () => {
    const text =
      '<?xml version="1.0"?>\n<zone>\n  <constructor name="x"/>\n  <port port="22&constructor;" protocol="tcp"/>\n  <port port="2222" protocol="tcp"/>\n</zone>\n';
    const scan = await scanAs('firewalld', text);
    assert.deepEqual(scan.tokens, ['2222']);
    const service = await testService();
    const outline = JSON.stringify(service.symbols(scan.scan, text));
    assert.doesNotMatch(outline, /"constructor x"|function/);
    assert.match(outline, /port 22&constructor;\/tcp/, 'the value is shown as written');
  });

  it('shell: a program named `constructor` is no wrapper, and the script reads on', async () => {
    const scan = await scanShell('#!/bin/sh\nconstructor -x foo\nhasOwnProperty -u nc -l 4444\nnc -l 4445\n');
    assert.ok(scan.tokens.includes('4445'));
  });
});
