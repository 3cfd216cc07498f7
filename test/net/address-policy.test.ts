import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressRange, isPublicAddress } from '../../src/net/address-policy.ts';

test('public unicast addresses are allowed', () => {
  for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '[2a00:1450:4001:82a::200e]']) {
    assert.equal(isPublicAddress(address), true, address);
  }
});

test('loopback, private, link-local, metadata, multicast, unspecified, CGNAT and reserved are refused', () => {
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // IPv4-mapped IPv6 is judged as the IPv4 address inside.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    // Transition ranges that can embed private IPv4 addresses, and the rest of ::/8.
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::1', '6to4'],
    ['::7f00:1', 'reserved'],
  ];
  for (const [address, range] of refused) {
    assert.equal(isPublicAddress(address), false, address);
    assert.equal(addressRange(address), range, address);
  }
});

test('host names and garbage are not addresses', () => {
  assert.equal(isPublicAddress('example.com'), false);
  assert.equal(addressRange('not an ip'), 'invalid');
});
