import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { hostMayBePrivate, isPrivateAddress, type NetworkPolicy } from './address-policy.js';
import { FetchError } from './fetch-error.js';

/** What an operator who meant to fetch a private host can do about it. */
export const PRIVATE_ADDRESS_FIX =
  'to allow it, list the host in net.allowHosts (WIRESIFT_ALLOW_HOSTS) or set net.allowPrivateNetworks (WIRESIFT_ALLOW_PRIVATE_NETWORKS=true)';

/**
 * The SSRF check has to sit where the socket picks its address: checking DNS
 * beforehand and connecting later lets a rebinding resolver answer differently
 * the second time. This lookup is handed to the socket itself, so the address
 * it approves is the one connected to.
 */
export function guardedLookup(
  url: string,
  hostname: string,
  policy: NetworkPolicy,
): LookupFunction | undefined {
  if (hostMayBePrivate(hostname, policy)) return undefined;
  return (host, options, callback) => {
    dnsLookup(host, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) {
        callback(err, '', 0);
        return;
      }
      const blocked = addresses.find((a) => isPrivateAddress(a.address));
      if (blocked) {
        callback(
          new FetchError(
            'ssrf_blocked',
            url,
            `${host} resolves to private address ${blocked.address}; ${PRIVATE_ADDRESS_FIX}`,
          ),
          '',
          0,
        );
        return;
      }
      const first = addresses[0];
      if (!first) {
        callback(new FetchError('network', url, `${host} has no address`), '', 0);
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/** Sockets skip the lookup for IP literals, so those are judged before connecting. */
export function assertLiteralHostAllowed(url: string, hostname: string, policy: NetworkPolicy): void {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (!isIP(bare)) return;
  if (hostMayBePrivate(hostname, policy)) return;
  if (isPrivateAddress(bare)) {
    throw new FetchError(
      'ssrf_blocked',
      url,
      `private address ${bare} is not allowed; ${PRIVATE_ADDRESS_FIX}`,
    );
  }
}
