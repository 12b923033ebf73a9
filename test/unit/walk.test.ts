import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { filesToScan, walkPassesOver } from '../../server/src/cli/walk';

const FILES = [
  'deploy/open.sh',
  'deploy/debug.log',
  'deploy/fixtures/case.sh',
  'deploy/fixtures/keep/rules.v4',
  'build/out.sh',
  'firewall/rules.v4',
  'firewall/old/rules.v4',
  'node_modules/pkg/install.sh',
  'notes.txt',
];
/** Ignore files that may sit in a folder of the tree, and what each may say. */
const IGNORE_FILES = ['.gitignore', 'deploy/.portlensignore', 'firewall/.gitignore'];
const PATTERNS = ['*.log', 'build/', 'fixtures/', '!fixtures/keep/', 'old', '*.sh', '/rules.v4', 'keep/**'];

describe('walkPassesOver: one changed file judged as the walk judges it', () => {
  it('agrees with the walk of the whole folder, for any ignore files and exclude patterns', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...IGNORE_FILES), fc.subarray(PATTERNS)), { maxLength: 3 }),
        fc.subarray(['*.txt', 'firewall/old/', '**/case.sh']),
        (ignoreFiles, exclude) => {
          const root = mkdtempSync(join(tmpdir(), 'portlens-walk-'));
          try {
            for (const file of FILES) {
              mkdirSync(dirname(join(root, file)), { recursive: true });
              writeFileSync(join(root, file), 'x\n');
            }
            for (const [file, patterns] of ignoreFiles) writeFileSync(join(root, file), `${patterns.join('\n')}\n`);
            const walked = new Set([...filesToScan([root], () => {}, undefined, exclude)].map((file) => file.path));
            for (const file of FILES) {
              const path = join(root, file);
              assert.equal(walkPassesOver(root, path, exclude), !walked.has(path), relative(root, path));
            }
          } finally {
            rmSync(root, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('passes over a path outside the folder', () => {
    assert.equal(walkPassesOver('/srv/repo', '/srv/other/open.sh'), true);
  });
});
