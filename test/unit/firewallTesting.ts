import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PortMention } from '../../server/src/scan/mention';
import { fuzzFormat } from './fuzz';
import { type ScannedText, cleanScan, scanAs, testService } from './helpers';

export { applyEdits } from './textEdits';

/** The mention of `written` on a 1-based line, where the text repeats the number elsewhere (comments, other ports). */
export function on(scan: ScannedText, line: number, written: string): PortMention {
  return scan.atLine(line, written);
}

const repositoryRoot = join(__dirname, '..', '..', '..');

export function readFixture(format: string, name: string): string {
  return readFileSync(join(repositoryRoot, 'test', 'fixtures', format, name), 'utf8');
}

/**
 * Every file of `../shared/corpus/<folder>` must be detected as `languageId` and read as `expectations` says
 * (each file needs one); then the scanner is fuzzed with the corpus and `extraSamples`.
 */
export function corpusTests(
  languageId: string,
  folder: string,
  expectations: Record<string, (scan: ScannedText) => void>,
  extraSamples: readonly string[],
): void {
  const corpusFolder = join(repositoryRoot, '..', 'shared', 'corpus', folder);
  const corpus = readdirSync(corpusFolder).map((name) => ({
    name,
    text: readFileSync(join(corpusFolder, name), 'utf8'),
  }));
  describe(`${languageId} corpus`, () => {
    it(`recognises every corpus file as ${languageId} and reads it without a problem`, async () => {
      const service = await testService();
      for (const { name, text } of corpus) {
        const path = `corpus/${folder}/${name}`;
        assert.equal(service.detectLanguage(path, text), languageId, name);
        assert.equal(cleanScan(service, { text, path }).languageId, languageId, name);
      }
    });
    for (const { name, text } of corpus) {
      it(`reads the ports of ${name}`, async () => {
        const check = expectations[name];
        assert.ok(check, `no expectation written for corpus file ${name}`);
        check(await scanAs(languageId, text));
      });
    }
  });
  describe(`${languageId} scanner fuzzing`, () => {
    fuzzFormat(languageId, [...corpus.map((file) => file.text), ...extraSamples]);
  });
}
