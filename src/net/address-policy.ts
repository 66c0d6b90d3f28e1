import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type NetworkPolicy = {
  /** Lets every destination through: for tests and closed networks only. */
  allowPrivateNetworks: boolean;
  /** Hostnames (exact, or "*.suffix") that may resolve to private addresses. */
  allowHosts: string[];
};

export const DEFAULT_NETWORK_POLICY: NetworkPolicy = { allowPrivateNetworks: false, allowHosts: [] };

const BLOCKED_V4_RANGES = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
]);

/** IPv6 ranges that carry an IPv4 address inside: the embedded address decides. */
const V4_EMBEDDING_V6_RANGES = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052', '6to4']);

function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 {
  const p = addr.parts;
  // 6to4 keeps the IPv4 address in bits 16..48; the others keep it in the last 32 bits.
  const [hi, lo] = addr.range() === '6to4' ? [p[1]!, p[2]!] : [p[6]!, p[7]!];
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/**
 * True for every address a fetch from the open internet must never reach:
 * loopback, RFC 1918, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * 0.0.0.0/8, multicast, reserved, ULA, IPv4-compatible ::/96, and IPv6 forms that
 * wrap one of those.
 * Unparseable input counts as private, so a parsing gap fails closed.
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // Zone ids (fe80::1%eth0) only exist on link-local addresses.
  if (bare.includes('%')) return true;
  if (!isIP(bare)) return true;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(bare);
  } catch {
    return true;
  }
  if (addr.kind() === 'ipv4') return BLOCKED_V4_RANGES.has(addr.range());
  const v6 = addr as ipaddr.IPv6;
  // ::/96 (IPv4-compatible, deprecated by RFC 4291) is no range of ipaddr.js's: ::7f00:1 reads as
  // "unicast" yet some stacks route it to 127.0.0.1. Nothing public lives there, so all of it is refused.
  if (v6.parts.slice(0, 6).every((p) => p === 0)) return true;
  const range = v6.range();
  if (V4_EMBEDDING_V6_RANGES.has(range)) return BLOCKED_V4_RANGES.has(embeddedIPv4(v6).range());
  return range !== 'unicast';
}

/** Does the policy let this hostname (as written in the URL) reach private addresses? */
export function hostMayBePrivate(hostname: string, policy: NetworkPolicy): boolean {
  if (policy.allowPrivateNetworks) return true;
  const host = normaliseHost(hostname);
  return policy.allowHosts.some((pattern) => {
    const p = normaliseHost(pattern);
    if (p.startsWith('*.')) {
      const suffix = p.slice(1);
      return host.endsWith(suffix) && host.length > suffix.length;
    }
    return host === p;
  });
}

function normaliseHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
