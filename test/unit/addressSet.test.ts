import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { AddressSet } from '../../server/src/scan/addressSet';

/** An IPv4 network with a short prefix over a few octets, so that random networks overlap often. */
const network = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 6, max: 32 }))
  .map(([first, second, bits]) => `10.${first}.${second}.0/${Math.min(bits, 24)}`);
const address = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .map(([first, second, third]) => `10.${first}.${second}.${third}`);
const networks = fc.array(network, { maxLength: 6 });

function setOf(list: readonly string[]): AddressSet {
  return AddressSet.unionAll(list.map((item) => AddressSet.ofNetwork(item)!));
}

function holds(set: AddressSet, host: string): boolean {
  return set.covers(AddressSet.ofNetwork(host)!);
}

/** The reference: an address is in a list of networks when one of them holds it, checked one network at a time. */
function inList(list: readonly string[], host: string): boolean {
  return list.some((item) => holds(AddressSet.ofNetwork(item)!, host));
}

describe('address sets', () => {
  it('union, intersection, difference and complement agree with membership, address by address', () => {
    fc.assert(
      fc.property(networks, networks, fc.array(address, { minLength: 1, maxLength: 20 }), (a, b, hosts) => {
        const first = setOf(a);
        const second = setOf(b);
        for (const host of hosts) {
          const [x, y] = [inList(a, host), inList(b, host)];
          assert.equal(holds(first.union(second), host), x || y, `union at ${host}`);
          assert.equal(holds(first.intersect(second), host), x && y, `intersection at ${host}`);
          assert.equal(holds(first.subtract(second), host), x && !y, `difference at ${host}`);
          assert.equal(holds(first.complement(), host), !x, `complement at ${host}`);
        }
        assert.ok(first.intersect(second).equals(second.intersect(first)));
        assert.ok(AddressSet.unionAll([first, second, first]).equals(first.union(second)));
      }),
      { numRuns: 500 },
    );
  });
});
