import ipaddr from 'ipaddr.js';

/**
 * The unit a sign-in limit counts against: an IPv4 address, or the /64 of an
 * IPv6 address (one subscriber or one host gets a whole /64 and can pick any
 * address in it, so counting single IPv6 addresses would limit nothing).
 * IPv4-mapped IPv6 (::ffff:192.0.2.1, what a dual-stack socket reports) is the
 * IPv4 address. Anything unparseable shares one group, so it fails closed.
 */
export function addressGroup(ip: string | undefined): string {
  const unbracketed = (ip ?? '').replace(/^\[|\]$/g, '');
  const zone = unbracketed.indexOf('%');
  const bare = zone < 0 ? unbracketed : unbracketed.slice(0, zone);
  if (!ipaddr.isValid(bare)) return 'unparseable';
  const addr = ipaddr.process(bare);
  if (addr.kind() === 'ipv4') return addr.toString();
  const p = (addr as ipaddr.IPv6).parts;
  return `${new ipaddr.IPv6([p[0]!, p[1]!, p[2]!, p[3]!, 0, 0, 0, 0]).toString()}/64`;
}
