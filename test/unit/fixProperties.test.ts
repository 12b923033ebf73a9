import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Finding, FixAction } from '../../server/src/rules/finding';
import type { PortMention } from '../../server/src/scan/mention';
import type { FileScan } from '../../server/src/service/portLensService';
import { cleanScan, testService } from './helpers';
import { applyEdits } from './textEdits';

const ROOT = join(__dirname, '..', '..', '..');
const FOLDERS = [join(ROOT, 'examples'), join(ROOT, '..', 'shared', 'corpus')];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'SOURCES.md')
    .map((entry) => join(entry.parentPath, entry.name));
}

/** What a mention is, apart from where: enough to recognise it after the text around it moves. */
function identity(text: string, mention: PortMention): string {
  return `${text.slice(mention.span.start, mention.span.end)} ${mention.port}-${mention.endPort} ${mention.role}`;
}

function key(finding: Finding): string {
  return `${finding.ruleId} ${finding.severity} ${finding.port}`;
}

function count(findings: readonly Finding[], wanted: string): number {
  return findings.filter((finding) => !finding.suppressed && key(finding) === wanted).length;
}

/**
 * Every fix Port Lens offers on the examples and the real corpus, applied: it changes only its own ranges, the rest
 * of the file still reads the same, the finding it fixes is gone, and no new error appears.
 */
describe('quick fixes on every example and corpus file', () => {
  const files = FOLDERS.flatMap(filesUnder);
  let fixesChecked = 0;

  after(() => {
    assert.ok(fixesChecked > 20, `only ${fixesChecked} fixes were offered across the examples and the corpus`);
  });

  for (const path of files) {
    it(relative(join(ROOT, '..'), path), async () => {
      const service = await testService();
      const text = readFileSync(path, 'utf8');
      const languageId = service.detectLanguage(path, text);
      if (languageId === 'unknown') return;
      const before = cleanScan(service, { text, languageId, path });
      for (const finding of before.findings.filter((candidate) => !candidate.suppressed)) {
        for (const fix of finding.fixes) {
          checkFix(
            text,
            before,
            finding,
            fix,
            cleanScan(service, { text: applyEdits(text, fix.edits), languageId, path }),
          );
          fixesChecked++;
        }
      }
    });
  }
});

function checkFix(text: string, before: FileScan, finding: Finding, fix: FixAction, after: FileScan): void {
  const label = `${finding.ruleId} at ${finding.span.start}: ${fix.title}`;
  const first = Math.min(...fix.edits.map((edit) => edit.span.start));
  const last = Math.max(...fix.edits.map((edit) => edit.span.end));
  const fixed = applyEdits(text, fix.edits);
  const tail = text.length - last;
  assert.equal(fixed.slice(0, first), text.slice(0, first), `${label}: text before the fix changed`);
  assert.equal(fixed.slice(fixed.length - tail), text.slice(last), `${label}: text after the fix changed`);

  assert.deepEqual([after.notices, after.incomplete ?? []], [[], []], `${label}: the fixed file no longer reads`);
  const shift = fixed.length - text.length;
  const untouched = (mention: PortMention) => mention.span.end <= first || mention.span.start >= last;
  const outside = before.mentions.filter(untouched).map((mention) => identity(text, mention));
  const outsideAfter = after.mentions
    .filter((mention) => mention.span.end <= first || mention.span.start >= last + shift)
    .map((mention) => identity(fixed, mention));
  for (const mention of outside)
    assert.ok(outsideAfter.includes(mention), `${label}: ${mention} outside the fix is no longer read`);

  assert.ok(
    count(after.findings, key(finding)) < count(before.findings, key(finding)),
    `${label}: the finding is still there`,
  );
  const errors = (scan: FileScan) =>
    scan.findings.filter((candidate) => candidate.severity === 'error' && !candidate.suppressed).length;
  assert.ok(errors(after) <= errors(before), `${label}: the fix adds an error`);
}
