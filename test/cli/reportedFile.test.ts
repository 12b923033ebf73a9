import * as assert from 'node:assert/strict';
import { reportFile } from '../../server/src/cli/reportedFile';
import type { MentionContext, PortMention } from '../../server/src/scan/mention';
import { testService } from '../unit/helpers';

describe('reported file', () => {
  it('describes each port from its own role and exposure, also where ports of one rule share their context', async () => {
    const service = await testService();
    const text = 'ports 22 80 443\n';
    const shared: MentionContext = { tool: 'iptables', chain: 'INPUT', source: '10.0.0.0/8' };
    const mention = (port: number, role: PortMention['role'], exposure: PortMention['exposure']): PortMention => {
      const start = text.indexOf(String(port));
      return {
        span: { start, end: start + String(port).length },
        port,
        endPort: null,
        protocol: 'tcp',
        role,
        exposure,
        language: 'iptables',
        context: shared,
      };
    };
    const mentions = [
      mention(22, 'allow', 'private'),
      mention(80, 'allow', 'private'),
      mention(443, 'deny', 'private'),
    ];
    const scan = { languageId: 'iptables', mentions, signals: [], findings: [], notices: [] };
    const report = reportFile({ path: 'rules.v4', text, scan }, service, false);
    assert.deepEqual(
      report.mentions.map((reported) => reported.description),
      [
        'allowed inbound from 10.0.0.0/8 (a private network) (iptables, chain INPUT)',
        'allowed inbound from 10.0.0.0/8 (a private network) (iptables, chain INPUT)',
        'denied inbound from 10.0.0.0/8 (iptables, chain INPUT)',
      ],
    );
  });
});
