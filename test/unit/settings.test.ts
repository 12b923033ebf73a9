import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_SECTION, SETTING_DEFINITIONS, readSettings } from '../../server/src/settings/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('settings', () => {
  it('package.json contributes exactly the settings the server defines, with the same schema', () => {
    const contributed = manifest.contributes.configuration.properties as Record<string, unknown>;
    const defined = Object.fromEntries(Object.entries(SETTING_DEFINITIONS).map(([name, definition]) => [`${SETTINGS_SECTION}.${name}`, definition.schema]));
    assert.deepEqual(contributed, JSON.parse(JSON.stringify(defined)));
  });

  it('reads raw values and falls back to defaults for bad ones', () => {
    assert.deepEqual(readSettings(undefined), { customPorts: {}, maxFileSizeMB: 5 });
    assert.equal(readSettings({ maxFileSizeMB: -1 }).maxFileSizeMB, 5);
    assert.equal(readSettings({ maxFileSizeMB: 0.5 }).maxFileSizeMB, 0.5);
    const notes = readSettings({ customPorts: { '9443/tcp': { name: 'payroll', risk: 'extreme' }, bad: 3 } }).customPorts;
    assert.deepEqual(notes, { '9443/tcp': { name: 'payroll', note: undefined, risk: undefined } });
  });
});
