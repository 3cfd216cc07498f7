/**
 * Which IP addresses a server-side URL download may connect to. Only ordinary public unicast
 * addresses: everything ipaddr.js classifies as anything other than `unicast` is refused (loopback,
 * RFC 1918 private, link-local incl. the 169.254.169.254 cloud metadata address, multicast,
 * broadcast, unspecified, CGNAT 100.64/10, unique-local fc00::/7, documentation/benchmark/reserved
 * ranges, and IPv6 transition ranges such as 6to4 and NAT64 that embed an IPv4 address which could be
 * private). IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is unwrapped and judged as the IPv4 address.
 */
import ipaddr from 'ipaddr.js';

/** The range name ipaddr.js gives `address` after unwrapping IPv4-mapped IPv6, or `invalid`. */
export function addressRange(address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // Zone ids (fe80::1%eth0) only occur on link-local addresses; strip for parsing, the range still says so.
  const withoutZone = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
  if (!ipaddr.isValid(withoutZone)) return 'invalid';
  const parsed = ipaddr.process(withoutZone);
  if (parsed.kind() === 'ipv6') {
    const parts = (parsed as ipaddr.IPv6).parts;
    // ::/8 is IETF-reserved; ipaddr.js calls most of it `unicast`, but it includes the deprecated
    // IPv4-compatible form (::127.0.0.1) and ::ffff:0:0/96 siblings. Nothing public lives there.
    if (parts[0] < 0x100) return parsed.range() === 'unicast' ? 'reserved' : parsed.range();
  }
  return parsed.range();
}

/** True when `address` (an IP literal, IPv6 optionally bracketed) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}
