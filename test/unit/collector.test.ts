import * as assert from 'node:assert/strict';
import { MentionCollector, type MentionFacts, parsePortNumber } from '../../server/src/scan/collector';
import { PlainToken } from '../../server/src/scan/token';

const ALLOWED: MentionFacts = { protocol: 'tcp', role: 'allow', exposure: 'any', context: { tool: 'iptables' } };
const noNames = () => undefined;

describe('mention collector', () => {
  it('reads a port written as one to five ASCII digits, and nothing else', () => {
    assert.equal(parsePortNumber('1363'), 1363);
    assert.equal(parsePortNumber('00447'), 447);
    assert.equal(parsePortNumber('65535'), 65535);
    for (const text of [
      '',
      '65536',
      '123456',
      '0x16',
      '+22',
      '-22',
      '22 ',
      ' 22',
      '2.2',
      '1e3',
      '٤٤٧',
      '４４７',
      'ssh',
    ]) {
      assert.equal(parsePortNumber(text), undefined, `'${text}' is no port number`);
    }
    assert.equal(parsePortNumber('0'), undefined, 'port 0 only where the syntax gives it a meaning');
    assert.equal(parsePortNumber('0', true), 0);
  });

  it('keeps one mention per span, however many readers meet the same words', () => {
    // `--dport 8080` read twice (as an option and inside a URL), and a range that starts where a port does.
    const line = '-A INPUT -p tcp --dport 8080:8090 -j ACCEPT';
    const range = new PlainToken('8080:8090', line.indexOf('8080'));
    const out = new MentionCollector('iptables', noNames);
    assert.ok(out.addPort(range, 0, 9, ALLOWED, { rangeSeparators: ':' }));
    assert.equal(out.addPort(range, 0, 9, ALLOWED, { rangeSeparators: ':' }), undefined, 'the same span again');
    const first = out.addPort(range, 0, 4, ALLOWED);
    assert.ok(first, 'a span that starts alike but ends apart is another mention');
    assert.equal(out.addPort(range, 0, 4, ALLOWED), undefined, 'and it too is kept once');
    assert.ok(out.addPort(range, 5, 9, ALLOWED));
    assert.deepEqual(
      out.mentions.map((mention) => [line.slice(mention.span.start, mention.span.end), mention.port, mention.endPort]),
      [
        ['8080:8090', 8080, 8090],
        ['8080', 8080, null],
        ['8090', 8090, null],
      ],
    );
  });
});
