import * as assert from 'node:assert/strict';
import { countStartingBefore } from '../../server/src/scan/mention';

describe('items in text order', () => {
  // Ports of `-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT` and the rule two lines below.
  const items = [
    { span: { start: 42, end: 44 } },
    { span: { start: 45, end: 47 } },
    { span: { start: 48, end: 51 } },
    { span: { start: 140, end: 144 } },
  ];

  it('counts the items that start before an offset, as a scan from the front would', () => {
    for (let offset = 0; offset <= 150; offset++) {
      assert.equal(
        countStartingBefore(items, offset),
        items.filter((item) => item.span.start < offset).length,
        `offset ${offset}`,
      );
    }
    assert.equal(countStartingBefore([], 10), 0);
  });
});
