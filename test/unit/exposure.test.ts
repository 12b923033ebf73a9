import * as assert from 'node:assert/strict';
import { classifyAddress } from '../../server/src/scan/exposure';

describe('address exposure', () => {
  const cases: [string, string][] = [
    ['0.0.0.0', 'any'], ['0.0.0.0/0', 'any'], ['::', 'any'], ['::/0', 'any'], ['[::]', 'any'], ['*', 'any'], ['any', 'any'], ['ANYADDR6', 'any'],
    ['127.0.0.1', 'loopback'], ['127.8.9.10/8', 'loopback'], ['::1', 'loopback'], ['[::1]', 'loopback'], ['localhost', 'loopback'],
    ['10.0.0.0/8', 'private'], ['172.16.4.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.0/24', 'private'], ['fd00::1', 'private'], ['fe80::1/64', 'private'], ['169.254.0.1', 'private'],
    ['172.32.0.1', 'public'], ['203.0.113.5', 'public'], ['45.77.200.160/32', 'public'], ['2001:db8::1', 'public'], ['::ffff:8.8.8.8', 'public'],
    ['db.internal', 'unknown'], ['$ADMIN_NET', 'unknown'], ['10.0.0', 'unknown'],
  ];
  for (const [address, exposure] of cases) {
    it(`${address} is ${exposure}`, () => assert.equal(classifyAddress(address), exposure));
  }
});
