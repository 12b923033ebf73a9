import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { consecutiveDescriber, describeUse, sameContext } from '../../server/src/features/describe';
import type { MentionContext } from '../../server/src/scan/mention';
import { scanAs } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

describe('descriptions of a file’s ports in order', () => {
  it('tells contexts apart by every field', () => {
    // Required: a field added to MentionContext must be added here, and then sameContext must compare it.
    const complete: Required<MentionContext> = {
      tool: 'nftables',
      direction: 'inbound',
      source: '10.0.0.0/8',
      bindAddress: '0.0.0.0',
      interface: 'eth0',
      zone: 'public',
      table: 'inet/filter',
      chain: 'input',
      policy: 'drop',
      peer: '10.0.5.20',
      mappedTo: '10.0.5.20:80',
      mappedPort: 80,
      note: 'a note',
    };
    assert.ok(sameContext(complete, { ...complete }));
    for (const field of Object.keys(complete) as (keyof MentionContext)[]) {
      assert.equal(sameContext(complete, { ...complete, [field]: undefined }), false, field);
      const { [field]: _, ...without } = complete;
      assert.equal(sameContext(without as MentionContext, complete), false, `${field} absent`);
    }
  });

  it('gives every port the sentence describeUse builds for it, over real nftables and pf files', async () => {
    const files = [
      ['nftables', join(FIXTURES, 'nftables', 'gateway.nft')],
      ['pf', join(FIXTURES, 'pf', 'gateway.pf')],
      ...readdirSync(join(CORPUS, 'nftables')).map((name) => ['nftables', join(CORPUS, 'nftables', name)]),
      ...readdirSync(join(CORPUS, 'pf')).map((name) => ['pf', join(CORPUS, 'pf', name)]),
    ];
    for (const [language, path] of files) {
      const { scan } = await scanAs(language, readFileSync(path, 'utf8'));
      const describe = consecutiveDescriber();
      for (const mention of scan.mentions)
        assert.equal(describe(mention), describeUse(mention), `${path} at ${mention.span.start}`);
    }
  });
});
