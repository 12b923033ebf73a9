import * as assert from 'node:assert/strict';
import { createFormatRegistry } from '../../server/src/scan/registry';
import { PortLensService } from '../../server/src/service/portLensService';

describe('format registry', () => {
  describe('loads the shell parser only for texts that can hold shell', () => {
    let loads = 0;
    const countingLoad = () => {
      loads++;
      return Promise.resolve();
    };

    it('loads nothing for firewall and Connect:Direct configuration files', async () => {
      loads = 0;
      const registry = await createFormatRegistry({ parserOnDemand: true, loadParser: countingLoad });
      for (const languageId of ['iptables', 'nftables', 'ufw', 'firewalld', 'pf', 'connectdirect-netmap', 'unknown'])
        await registry.prepare(languageId);
      assert.equal(loads, 0);
    });

    it('loads it for scripts, and for the formats that hand command lines to the shell reader', async () => {
      for (const languageId of ['shellscript', 'systemd-unit', 'connectdirect']) {
        loads = 0;
        const registry = await createFormatRegistry({ parserOnDemand: true, loadParser: countingLoad });
        await registry.prepare(languageId);
        assert.equal(loads, 1, languageId);
      }
    });

    it('loads it at once unless asked to wait', async () => {
      loads = 0;
      await createFormatRegistry({ loadParser: countingLoad });
      assert.equal(loads, 1);
    });
  });

  it('reports a format that hands text to one it does not declare as not read whole, never as clean', async () => {
    const registry = await createFormatRegistry();
    // A format that hands its text to iptables-save without saying so, as a new format's first draft might.
    registry.register({
      ...registry.definition('ufw-profile')!,
      embeds: undefined,
      scanner: { scan: (text, context) => context.scanEmbedded('iptables', text) },
    });
    const service = await PortLensService.create(undefined, Promise.resolve(registry));
    const scan = service.scan({
      text: '*filter\n-A INPUT -p tcp --dport 1363 -j ACCEPT\nCOMMIT\n',
      languageId: 'ufw-profile',
      path: 'app',
    });
    assert.match(
      scan.incomplete?.[0].reason ?? '',
      /ufw-profile handed text to iptables, which its definition does not declare/,
    );
    assert.ok(scan.findings.some((finding) => finding.ruleId === 'scan-incomplete'));
  });
});
