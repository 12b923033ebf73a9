import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { excludedIn } from '../../server/src/settings/clientSettings';
import { SETTINGS_SECTION, SETTING_DEFINITIONS, readSettings } from '../../server/src/settings/settings';
import { settingsFileProblems } from '../../server/src/settings/settingsFile';

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

  it('schemas/portlens.schema.json describes the settings .portlens.json may hold, with or without the prefix', () => {
    const schema = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'portlens.schema.json'), 'utf8'),
    ) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    const expected: Record<string, unknown> = {};
    for (const [name, definition] of Object.entries(SETTING_DEFINITIONS)) {
      const { scope: _scope, ...rest } = definition.schema;
      expected[name] = rest;
      expected[`${SETTINGS_SECTION}.${name}`] = rest;
    }
    assert.deepEqual(schema.properties, JSON.parse(JSON.stringify(expected)));
    assert.equal(schema.additionalProperties, false);
  });

  it('restricts in untrusted workspaces exactly the settings that change what a scan reports', () => {
    const { capabilities } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const scanSettings = Object.keys(readSettings(undefined)).map((name) => `${SETTINGS_SECTION}.${name}`);
    assert.deepEqual([...capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), scanSettings.sort());
  });

  it("turns the editor's exclude globs into .gitignore lines, braces expanded", () => {
    assert.deepEqual(excludedIn({ exclude: ['**/.git', '**/*.{md,txt}', 7, '', '{a,b}/{c,d}'] }), [
      '**/.git',
      '**/*.md',
      '**/*.txt',
      'a/c',
      'a/d',
      'b/c',
      'b/d',
    ]);
    assert.deepEqual(excludedIn({ exclude: ['{a,b}{c,d}{e,f}{g,h}'] }), ['{a,b}{c,d}{e,f}{g,h}']);
    assert.deepEqual(excludedIn(undefined), []);
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

  it('reports each invalid value with its key, and uses the default for it', () => {
    const problems: string[] = [];
    const settings = readSettings(
      {
        rules: { 'exposed-port': 'loud', 'no-such-rule': 'error', constructor: 'off', 'shadowed-rule': 'off' },
        trustedNetworks: ['10.20.0.0/16', 'not-a-net', 7, '0.0.0.0/0', '::/0', '192.0.2.0/00', '2001:db8::/32'],
        customPorts: {
          '70000': { name: 'too high' },
          '0': { name: 'too low' },
          '9010-9000': { name: 'backwards' },
          '9443/tcp': { name: 7, note: 'payroll', risk: 'extreme', owner: 'hr' },
          '8080': 'web',
        },
        maxFileSizeMB: 0,
        ignoreInlineSuppressions: 'yes',
        logLevel: 'loud',
        trace: { server: 'everything' },
        colour: 'red',
      },
      (key, message) => problems.push(`${key}: ${message}`),
    );
    assert.deepEqual(problems, [
      'colour: unknown setting',
      'rules.exposed-port: must be one of error, warning, information, hint, off',
      'rules.no-such-rule: unknown rule id (the rules are listed in docs/rules)',
      'rules.constructor: unknown rule id (the rules are listed in docs/rules)',
      'trustedNetworks[1]: must be an IPv4 or IPv6 address or CIDR (10.20.0.0/16)',
      'trustedNetworks[2]: must be an IPv4 or IPv6 address or CIDR (10.20.0.0/16)',
      'trustedNetworks[3]: counts as any source, so "Restrict the source" would restrict nothing',
      'trustedNetworks[4]: counts as any source, so "Restrict the source" would restrict nothing',
      'trustedNetworks[5]: counts as any source, so "Restrict the source" would restrict nothing',
      'customPorts.0: must be a port or range of ports from 1 to 65535 (9443, 9000-9010/udp)',
      'customPorts.8080: must be an object with name, note and risk',
      'customPorts.70000: must be a port or range of ports from 1 to 65535 (9443, 9000-9010/udp)',
      'customPorts.9010-9000: must be a port or range of ports from 1 to 65535 (9443, 9000-9010/udp)',
      'customPorts.9443/tcp.risk: must be one of critical, sensitive, standard',
      'customPorts.9443/tcp.owner: unknown property (name, note or risk)',
      'customPorts.9443/tcp.name: must be a string',
      'maxFileSizeMB: must be a number of megabytes above 0',
      'ignoreInlineSuppressions: must be true or false',
      'logLevel: must be one of error, warn, info, debug',
      'trace.server: must be one of off, messages, verbose',
    ]);
    assert.equal(settings.rules['exposed-port'], 'off');
    assert.equal(settings.rules['shadowed-rule'], 'off');
    assert.equal(Object.hasOwn(settings.rules, 'constructor'), false);
    assert.deepEqual(settings.trustedNetworks, ['10.20.0.0/16', '2001:db8::/32']);
    assert.deepEqual(settings.customPorts, { '9443/tcp': { name: undefined, note: 'payroll', risk: undefined } });
    assert.equal(settings.maxFileSizeMB, 5);
    assert.equal(settings.ignoreInlineSuppressions, false);
  });

  it('reports nothing for the settings an editor sends, defaults included', () => {
    const problems: string[] = [];
    const defaults = Object.entries(SETTING_DEFINITIONS)
      .filter(([name]) => name !== 'trace.server')
      .map(([name, { schema }]): [string, unknown] => [name, schema.default]);
    // VS Code sends `trace.server` nested, as `trace: { server }`.
    const fromEditor = { ...Object.fromEntries(defaults), trace: { server: 'verbose' } };
    readSettings(fromEditor, (key, message) => problems.push(`${key}: ${message}`));
    readSettings(undefined, (key, message) => problems.push(`${key}: ${message}`));
    assert.deepEqual(problems, []);
  });

  it('refuses every trusted network that counts as any source, and keeps narrower ones', () => {
    const refused: string[] = [];
    const networks = ['0.0.0.0/0', '::/0', '203.0.113.0/0', '0.0.0.0', '::', '0.0.0.0/1', '10.0.0.0/8', 'fd00::/8'];
    const settings = readSettings({ trustedNetworks: networks }, (key) => refused.push(key));
    assert.deepEqual(
      refused,
      [0, 1, 2, 3, 4, 5].map((index) => `trustedNetworks[${index}]`),
    );
    assert.deepEqual(settings.trustedNetworks, ['10.0.0.0/8', 'fd00::/8']);
  });
});

describe('the .portlens.json checks an editor shows', () => {
  const text = [
    '{',
    '  "portLens.trustedNetworks": ["10.0.0.0/8", "10.0.0.300/8", "0.0.0.0/0"],',
    '  "rules": { "exposed-critical-port": "loud", "no-such-rule": "off", "cleartext-protocol": "off" },',
    '  "customPorts": { "70000": { "name": "x" }, "9443/tcp": { "risk": "extreme", "colour": "red" } },',
    '  "maxFileSizeMB": 0,',
    '  "trace.server": "chatty",',
    '  "speed": "fast"',
    '}',
  ].join('\n');

  it('says what the CLI warns about, each under the value it is about', () => {
    const shown = settingsFileProblems(text).map(({ message, span }) => [message, text.slice(span.start, span.end)]);
    // The CLI's own checks, as the reference: the same problems, no more and no fewer.
    const warned: string[] = [];
    const raw = JSON.parse(text) as Record<string, unknown>;
    readSettings(
      Object.fromEntries(Object.entries(raw).map(([key, value]) => [key.replace(/^portLens\./, ''), value])),
      (key, message) => warned.push(`${key}: ${message}`),
    );
    assert.deepEqual(shown.map(([message]) => message).sort(), warned.sort());
    const at = (prefix: string) => shown.find(([message]) => message.startsWith(prefix))?.[1];
    assert.equal(at('trustedNetworks[1]'), '"10.0.0.300/8"');
    assert.equal(at('trustedNetworks[2]'), '"0.0.0.0/0"');
    assert.equal(at('rules.exposed-critical-port'), '"exposed-critical-port": "loud"');
    assert.equal(at('rules.no-such-rule'), '"no-such-rule": "off"');
    assert.equal(at('customPorts.70000'), '"70000": { "name": "x" }');
    assert.equal(at('customPorts.9443/tcp.risk'), '"risk": "extreme"');
    assert.equal(at('customPorts.9443/tcp.colour'), '"colour": "red"');
    assert.equal(at('maxFileSizeMB'), '"maxFileSizeMB": 0');
    assert.equal(at('trace.server'), '"trace.server": "chatty"');
    assert.equal(at('speed'), '"speed": "fast"');
  });

  it('leaves to an editor that checks the schema what the schema sees, and shows the rest', () => {
    const shown = settingsFileProblems(text, true).map(({ message, span }) => [
      message,
      text.slice(span.start, span.end),
    ]);
    assert.deepEqual(shown, [
      ['trustedNetworks[1]: must be an IPv4 or IPv6 address or CIDR (10.20.0.0/16)', '"10.0.0.300/8"'],
      ['trustedNetworks[2]: counts as any source, so "Restrict the source" would restrict nothing', '"0.0.0.0/0"'],
      [
        'customPorts.70000: must be a port or range of ports from 1 to 65535 (9443, 9000-9010/udp)',
        '"70000": { "name": "x" }',
      ],
    ]);
    assert.deepEqual(settingsFileProblems('{ "rules": ', true), [], "a JSON error is the editor's to show");
  });

  it('says where JSON that the CLI cannot read goes wrong, and that a list is no settings', () => {
    const broken = '{\n  "rules": { "cleartext-protocol": }\n}';
    const [problem, ...more] = settingsFileProblems(broken);
    assert.deepEqual(more, []);
    assert.match(problem.message, /^not valid JSON/);
    assert.equal(broken.slice(problem.span.start, problem.span.end), '}');
    assert.deepEqual(
      settingsFileProblems('["10.0.0.0/8"]').map(({ message }) => message),
      ['must hold a JSON object of settings'],
    );
    assert.deepEqual(settingsFileProblems('{ "portLens.rules": { "cleartext-protocol": "off" } }'), []);
  });
});
