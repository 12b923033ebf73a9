import * as assert from 'node:assert/strict';
import { UsageError, parseArguments } from '../../server/src/cli/args';

function usageError(argv: string[]): string {
  try {
    parseArguments(argv);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail(`no usage error for ${argv.join(' ')}`);
}

describe('portlens scan arguments (node:util parseArgs)', () => {
  it('reads options before, between and after the paths, in both spellings, and repeats', () => {
    const parsed = parseArguments([
      'scan',
      'deploy/',
      '--format=json',
      'firewall/',
      '-o',
      'report.json',
      '--rule',
      'cleartext-protocol=off',
      '--rule=exposed-sensitive-port=error',
      '--exclude',
      'vendor/',
      '--no-config-lookup',
    ]);
    assert.deepEqual(parsed.paths, ['deploy/', 'firewall/']);
    assert.equal(parsed.format, 'json');
    assert.equal(parsed.output, 'report.json');
    assert.deepEqual(parsed.rules, { 'cleartext-protocol': 'off', 'exposed-sensitive-port': 'error' });
    assert.deepEqual(parsed.exclude, ['vendor/']);
    assert.equal(parsed.noConfigLookup, true);
    assert.equal(parsed.failOn, 'error', 'the default');
  });

  it('takes every argument after -- as a path, and - as standard input', () => {
    const parsed = parseArguments(['scan', '--stdin-filename', 'a.sh', '--', '-', '--format']);
    assert.deepEqual(parsed.paths, ['-', '--format']);
    assert.equal(parsed.format, 'text');
    assert.deepEqual(parseArguments(['scan']).paths, ['.']);
  });

  it('says which option is wrong, and how', () => {
    assert.equal(usageError(['lint']), "unknown command 'lint'");
    assert.equal(usageError(['scan', '--format']), '--format needs a value');
    assert.equal(usageError(['scan', '-o']), '--output needs a value');
    assert.equal(usageError(['scan', '--cache=yes']), '--cache takes no value');
    assert.equal(usageError(['scan', '--bogus']), "unknown option '--bogus'");
    assert.equal(usageError(['scan', '-x']), "unknown option '-x'");
    assert.equal(
      usageError(['scan', '--fail-on', 'fatal']),
      "--fail-on must be one of error, warning, information, hint, none, not 'fatal'",
    );
    assert.equal(usageError(['scan', '--cache-location', 'x']), '--cache-location needs --cache');
    assert.equal(usageError(['scan', '--rule', 'off']), "--rule takes ID=SEVERITY, not 'off'");
  });
});
