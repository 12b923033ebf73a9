import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanAs } from './helpers';
import { checkAgainstSimulation, pfExpressible, pfRuleset } from './rulesetSimulation';

/** A pf filter rule as the simulation and the generated text both read it. */
interface SimRule {
  action: 'pass' | 'block';
  quick: boolean;
  direction?: 'in' | 'out';
  protocol?: 'tcp' | 'udp';
  /** `from 10.0.0.0/8` when set. */
  privateSourceOnly: boolean;
  ports?: number[];
}

interface Packet {
  direction: 'in' | 'out';
  protocol: 'tcp' | 'udp';
  privateSource: boolean;
  port: number;
}

function ruleText(rule: SimRule): string {
  const words: string[] = [rule.action];
  if (rule.direction) words.push(rule.direction);
  if (rule.quick) words.push('quick');
  if (rule.protocol) words.push('proto', rule.protocol);
  if (!rule.privateSourceOnly && !rule.ports) return [...words, 'all'].join(' ');
  words.push('from', rule.privateSourceOnly ? '10.0.0.0/8' : 'any', 'to', 'any');
  if (rule.ports) words.push('port', rule.ports.length === 1 ? String(rule.ports[0]) : `{ ${rule.ports.join(' ')} }`);
  return words.join(' ');
}

function matches(rule: SimRule, packet: Packet): boolean {
  // A rule that names ports matches only tcp and udp packets; this simulation sends nothing else.
  if (rule.direction && rule.direction !== packet.direction) return false;
  if (rule.protocol && rule.protocol !== packet.protocol) return false;
  if (rule.privateSourceOnly && !packet.privateSource) return false;
  return !rule.ports || rule.ports.includes(packet.port);
}

/** pf.conf(5): the last matching rule decides, a matching `quick` rule at once; with none, the packet passes. */
function decidingRule(rules: readonly SimRule[], packet: Packet): number | undefined {
  let decided: number | undefined;
  for (let index = 0; index < rules.length; index++) {
    if (!matches(rules[index], packet)) continue;
    decided = index;
    if (rules[index].quick) break;
  }
  return decided;
}

const PORTS = [22, 447, 1363];
const ruleArbitrary: fc.Arbitrary<SimRule> = fc.record({
  action: fc.constantFrom('pass' as const, 'block' as const),
  quick: fc.boolean(),
  direction: fc.constantFrom(undefined, 'in' as const, 'out' as const),
  protocol: fc.constantFrom(undefined, 'tcp' as const, 'udp' as const),
  privateSourceOnly: fc.boolean(),
  ports: fc.option(fc.subarray(PORTS, { minLength: 1 }), { nil: undefined }),
});

const scanRules = (rules: readonly SimRule[]) => scanAs('pf', `${rules.map(ruleText).join('\n')}\n`);

describe('pf rule order', () => {
  it('gives every passed port the exposure a packet-by-packet simulation finds', async () => {
    // Quick rules in order, then the others last to first: pf's last match, as the simulation's first match.
    await checkAgainstSimulation(pfRuleset, 'pf', 800, { expressible: pfExpressible, earlierAccepts: true });
  });

  it('reports a pass as never deciding only where no inbound packet of its port is decided by it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ruleArbitrary, { minLength: 1, maxLength: 6 }), async (rules) => {
        const scanned = await scanRules(rules);
        for (const mention of scanned.scan.mentions) {
          const index = scanned.lineOf(mention) - 1;
          const rule = rules[index];
          if (rule.action !== 'pass' || !mention.shadowedBy) continue;
          for (const protocol of rule.protocol ? [rule.protocol] : (['tcp', 'udp'] as const)) {
            for (const privateSource of rule.privateSourceOnly ? [true] : [true, false]) {
              const packet: Packet = { direction: 'in', protocol, privateSource, port: mention.port };
              if (rule.direction === 'out') continue;
              assert.notEqual(
                decidingRule(rules, packet),
                index,
                `line ${index + 1} decides ${JSON.stringify(packet)}, yet is reported as never deciding:\n${scanned.text}`,
              );
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('finds the block that decides instead, later or earlier with quick, and leaves quick passes and partial blocks', async () => {
    const scanned = await scanAs(
      'pf',
      [
        'pass in proto tcp to port 22',
        'block in all',
        'pass in proto tcp to port 1363',
        'block quick proto tcp to port 3306',
        'pass in proto tcp from any to any port { 3306 447 }',
        'pass quick proto tcp to port 6379',
        'pass in proto tcp to port 8471',
        'block all',
        'block in from 10.0.0.0/8',
        'block in proto udp all',
        'block in proto tcp from any to 192.0.2.1 port 5432',
        'pass in proto tcp to port 5432',
      ].join('\n'),
    );
    const judged = scanned.scan.mentions
      .filter((mention) => mention.role === 'allow')
      .map(
        (mention) =>
          `${scanned.lineOf(mention)} ${mention.port} ${mention.shadowedBy ? `by line ${scanned.lineOf(mention.shadowedBy)}` : mention.exposure}`,
      );
    assert.deepEqual(judged, [
      '1 22 by line 8',
      '3 1363 by line 8',
      '5 3306 by line 4',
      '5 447 by line 8',
      '6 6379 any',
      '7 8471 by line 8',
      '12 5432 any',
    ]);
    const shadowed = scanned.scan.findings.filter((finding) => finding.ruleId === 'shadowed-rule');
    assert.deepEqual(
      shadowed.map((finding) => `${scanned.lineOf(finding)} ${finding.message}`),
      [
        '1 This rule never decides a packet: another rule blocks these packets, and pf obeys the last rule that matches',
        '3 This rule never decides a packet: another rule blocks these packets, and pf obeys the last rule that matches',
        '5 This rule never decides a packet: another rule blocks these packets first (quick)',
        '7 This rule never decides a packet: another rule blocks these packets, and pf obeys the last rule that matches',
      ],
    );
    assert.deepEqual(
      scanned.scan.findings.filter((finding) => finding.ruleId.startsWith('exposed')).map((finding) => finding.port),
      [6379, 5432],
    );
  });

  it('reads a table declared empty, which a daemon fills at run time, as unknown rather than as no address', async () => {
    const scanned = await scanAs(
      'pf',
      'table <trusted> persist\ntable <bad> persist\nblock in quick from <bad>\npass in proto tcp from <trusted> to port 22\n',
    );
    assert.equal(scanned.at('22').shadowedBy, undefined);
    assert.deepEqual(
      scanned.scan.findings.filter((finding) => finding.ruleId === 'shadowed-rule'),
      [],
    );
  });

  it('leaves rdr pass alone, whose packets skip the filter rules', async () => {
    const scanned = await scanAs('pf', 'rdr pass on em0 proto tcp to port 1364 -> 10.0.0.5 port 1364\nblock all\n');
    const forwarded = scanned.at('1364');
    assert.equal(forwarded.shadowedBy, undefined);
    assert.equal(forwarded.exposure, 'any');
  });
});
