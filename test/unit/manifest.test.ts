import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../../client/src/languages';
import { createFormatRegistry } from '../../server/src/scan/registry';

interface Manifest {
  activationEvents: string[];
  contributes: { languages: { id: string }[]; grammars: { language: string }[] };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
/** VS Code ships the shell language itself; the extension only reads it. */
const BUILT_IN = ['shellscript'];

describe('the format registry is the one list of languages', () => {
  let registered: string[];
  before(async () => {
    registered = [...(await createFormatRegistry()).languageIds].sort();
  });

  it('package.json contributes every registered language VS Code does not know, and no other', () => {
    const contributed = manifest.contributes.languages.map((language) => language.id).sort();
    assert.deepEqual(
      contributed,
      registered.filter((id) => !BUILT_IN.includes(id)),
    );
  });

  it('activates on every registered language, and in a workspace that holds files of one', () => {
    const onLanguage = manifest.activationEvents.filter((event) => event.startsWith('onLanguage:'));
    assert.deepEqual(onLanguage.sort(), registered.map((id) => `onLanguage:${id}`).sort());
    // The Ports view's status bar item counts the workspace's ports before any file is opened.
    const others = manifest.activationEvents.filter((event) => !event.startsWith('onLanguage:'));
    assert.ok(others.length > 0 && others.every((event) => event.startsWith('workspaceContains:')), others.join());
  });

  it('gives grammars only to registered languages', () => {
    for (const grammar of manifest.contributes.grammars)
      assert.ok(registered.includes(grammar.language), grammar.language);
  });

  it('has the client select documents of every registered language', () => {
    assert.deepEqual([...LANGUAGES].sort(), registered);
  });
});
