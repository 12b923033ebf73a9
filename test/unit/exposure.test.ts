import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyAddress } from '../../server/src/scan/exposure';

describe('address exposure', () => {
  const cases: [string, string][] = [
    ['0.0.0.0', 'any'],
    ['0.0.0.0/0', 'any'],
    ['::', 'any'],
    ['::/0', 'any'],
    ['[::]', 'any'],
    ['*', 'any'],
    ['any', 'any'],
    ['ANYADDR6', 'any'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10/8', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['localhost', 'loopback'],
    ['10.0.0.0/8', 'private'],
    ['172.16.4.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.0/24', 'private'],
    ['fd00::1', 'private'],
    ['fe80::1/64', 'private'],
    ['169.254.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['203.0.113.5', 'public'],
    ['45.77.200.160/32', 'public'],
    ['2001:db8::1', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['db.internal', 'unknown'],
    ['$ADMIN_NET', 'unknown'],
    ['10.0.0', 'unknown'],
    // A network is private or loopback only when all of it lies in the block.
    ['10.0.0.0/1', 'any'],
    ['128.0.0.0/1', 'any'],
    ['::/1', 'any'],
    ['2000::/3', 'any'],
    ['2000::/2', 'any'],
    ['172.16.0.0/8', 'public'],
    ['172.16.0.0/11', 'public'],
    ['172.16.0.0/12', 'private'],
    ['10.0.0.0/7', 'public'],
    ['192.168.0.0/15', 'public'],
    ['127.0.0.0/7', 'public'],
    ['fc00::/6', 'public'],
    ['fe80::/9', 'public'],
    ['2001:db8::/32', 'public'],
    ['2001::/16', 'public'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:10.0.0.0/104', 'private'],
    ['::ffff:10.0.0.0/100', 'public'],
    ['10.0.0.0/255.0.0.0', 'private'],
    ['10.0.0.0/254.0.0.0', 'public'],
    ['10.0.0.0/255.0.255.0', 'unknown'],
    ['10.0.0.0/33', 'unknown'],
    ['fd00::/129', 'unknown'],
  ];
  for (const [address, exposure] of cases) {
    it(`${address} is ${exposure}`, () => assert.equal(classifyAddress(address), exposure));
  }

  // A reference model in plain bit arithmetic: a prefix of length n lies in a block of length m when n >= m and
  // their first m bits agree. The engine works on interval sets instead (scan/addressSet.ts).
  const IPV4_BLOCKS: [number, number, string][] = [
    [0x7f000000, 8, 'loopback'],
    [0x0a000000, 8, 'private'],
    [0xac100000, 12, 'private'],
    [0xc0a80000, 16, 'private'],
    [0x64400000, 10, 'private'],
    [0xa9fe0000, 16, 'private'],
  ];
  function referenceIpv4(address: number, length: number): string {
    if (length <= 1) return 'any';
    if (length === 32 && address === 0) return 'any';
    const top = (value: number, bits: number) => Math.floor(value / 2 ** (32 - bits));
    return (
      IPV4_BLOCKS.find(([base, bits]) => length >= bits && top(address, bits) === top(base, bits))?.[2] ?? 'public'
    );
  }
  const dotted = (value: number) => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

  it('classifies every IPv4 network as the bit-arithmetic model does', () => {
    // Addresses near the class blocks' edges are where prefix mistakes show, so most samples start there.
    const nearBlock = fc.tuple(
      fc.constantFrom(...IPV4_BLOCKS.map(([base]) => base), 0, 0x80000000),
      fc.integer({ min: -(2 ** 20), max: 2 ** 20 }),
    );
    const address = fc.oneof(
      fc.nat({ max: 2 ** 32 - 1 }),
      nearBlock.map(([base, offset]) => Math.min(2 ** 32 - 1, Math.max(0, base + offset))),
    );
    fc.assert(
      fc.property(address, fc.integer({ min: 0, max: 32 }), (value, length) => {
        assert.equal(
          classifyAddress(`${dotted(value)}/${length}`),
          referenceIpv4(value, length),
          `${dotted(value)}/${length}`,
        );
      }),
      { numRuns: 3000 },
    );
  });

  const IPV6_BLOCKS: [bigint, number, string][] = [
    [1n, 128, 'loopback'],
    [0xfcn << 120n, 7, 'private'],
    [0xfe80n << 112n, 10, 'private'],
  ];
  function referenceIpv6(address: bigint, length: number): string {
    if (length <= 1) return 'any';
    if (length === 128 && address === 0n) return 'any';
    const top = (value: bigint, bits: number) => value >> BigInt(128 - bits);
    // Half of IPv6 global unicast (2000::/3), or the whole IPv4-mapped block (half of IPv4 and more), is any source.
    if (length <= 4 && top(address, Math.min(length, 3)) === top(0x2n << 124n, Math.min(length, 3))) return 'any';
    if (length <= 96 && top(address, length) === top(0xffffn << 32n, length)) return 'any';
    if (length >= 96 && top(address, 96) === 0xffffn) return referenceIpv4(Number(address & 0xffffffffn), length - 96);
    return (
      IPV6_BLOCKS.find(([base, bits]) => length >= bits && top(address, bits) === top(base, bits))?.[2] ?? 'public'
    );
  }
  const ipv6Text = (value: bigint) =>
    Array.from({ length: 8 }, (_, group) => ((value >> BigInt(112 - 16 * group)) & 0xffffn).toString(16)).join(':');

  it('classifies every IPv6 network as the bit-arithmetic model does', () => {
    const starts = [0n, 1n, 0xffffn << 32n, 0xfcn << 120n, 0xfe80n << 112n, 0x2n << 124n, 0x8n << 124n];
    const near = fc.tuple(
      fc.constantFrom(...starts),
      fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
      fc.bigInt({ min: 0n, max: 2n ** 120n }),
    );
    const address = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
      near.map(([base, offset, spread]) => {
        const value = base + offset * (spread % 2n === 0n ? 1n : 2n ** 80n);
        return value < 0n ? 0n : value >= 2n ** 128n ? 2n ** 128n - 1n : value;
      }),
    );
    fc.assert(
      fc.property(address, fc.integer({ min: 0, max: 128 }), (value, length) => {
        assert.equal(
          classifyAddress(`${ipv6Text(value)}/${length}`),
          referenceIpv6(value, length),
          `${ipv6Text(value)}/${length}`,
        );
      }),
      // The IPv4-mapped unspecified address, ::ffff:0.0.0.0, which the simulation once found.
      { numRuns: 3000, examples: [[0xffffn << 32n, 128]] },
    );
  });
});
