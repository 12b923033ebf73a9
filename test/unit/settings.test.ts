import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_SECTION, SETTING_DEFINITIONS, readSettings } from '../../server/src/settings/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, unknown> } };
};

describe('settings', () => {
  it('package.json contributes exactly the settings the server defines, with the same schema', () => {
    const contributed = manifest.contributes.configuration.properties;
    const defined = Object.fromEntries(
      Object.entries(SETTING_DEFINITIONS).map(([name, definition]) => [
        `${SETTINGS_SECTION}.${name}`,
        definition.schema,
      ]),
    );
    assert.deepEqual(contributed, JSON.parse(JSON.stringify(defined)));
  });

  it('reads raw values and falls back to defaults for bad ones', () => {
    const defaults = readSettings(undefined);
    assert.equal(defaults.rules['exposed-critical-port'], 'error');
    assert.equal(defaults.rules['exposed-port'], 'off');
    assert.deepEqual(defaults.trustedNetworks, ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
    assert.deepEqual(defaults.customPorts, {});
    assert.equal(defaults.maxFileSizeMB, 5);
    assert.equal(defaults.ignoreInlineSuppressions, false);
    const custom = readSettings({
      rules: { 'cleartext-protocol': 'off', 'no-such-rule': 'error', 'exposed-port': 'loud' },
      trustedNetworks: ['10.20.0.0/16', 'not-a-net', '2001:db8::/32', '10.0.0.0/33'],
    });
    assert.equal(custom.rules['cleartext-protocol'], 'off');
    assert.equal(custom.rules['exposed-port'], 'off');
    assert.equal('no-such-rule' in custom.rules, false);
    assert.deepEqual(custom.trustedNetworks, ['10.20.0.0/16', '2001:db8::/32']);
    assert.equal(readSettings({ maxFileSizeMB: -1 }).maxFileSizeMB, 5);
    assert.equal(readSettings({ maxFileSizeMB: 0.5 }).maxFileSizeMB, 0.5);
    const notes = readSettings({
      customPorts: { '9443/tcp': { name: 'payroll', risk: 'extreme' }, bad: 3 },
    }).customPorts;
    assert.deepEqual(notes, { '9443/tcp': { name: 'payroll', note: undefined, risk: undefined } });
  });
});
