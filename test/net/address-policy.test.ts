import { describe, expect, it } from 'vitest';
import { hostMayBePrivate, isPrivateAddress } from '../../src/net/address-policy.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '192.0.2.10',
    '::1',
    '::',
    '[::1]',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    '2001:db8::1',
    // IPv4-compatible ::/96: ::7f00:1 is 127.0.0.1 and ::a9fe:a9fe is 169.254.169.254 on stacks
    // that still route them; the whole range is refused, public-looking embedded addresses too.
    '::7f00:1',
    '::a9fe:a9fe',
    '::a00:1',
    '::808:808',
    '[::7f00:1]',
    'not-an-ip',
    '',
  ])('refuses %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::1',
  ])('lets %s through', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe('hostMayBePrivate', () => {
  const policy = {
    allowPrivateNetworks: false,
    allowHosts: ['intranet.example', '*.corp.example', '127.0.0.1'],
  };

  it('matches exact hosts, wildcard suffixes and IP literals', () => {
    expect(hostMayBePrivate('intranet.example', policy)).toBe(true);
    expect(hostMayBePrivate('INTRANET.example.', policy)).toBe(true);
    expect(hostMayBePrivate('news.corp.example', policy)).toBe(true);
    expect(hostMayBePrivate('a.b.corp.example', policy)).toBe(true);
    expect(hostMayBePrivate('127.0.0.1', policy)).toBe(true);
  });

  it('does not match look-alikes', () => {
    expect(hostMayBePrivate('corp.example', policy)).toBe(false);
    expect(hostMayBePrivate('evilcorp.example', policy)).toBe(false);
    expect(hostMayBePrivate('intranet.example.evil.test', policy)).toBe(false);
    expect(hostMayBePrivate('127.0.0.2', policy)).toBe(false);
  });

  it('allowPrivateNetworks lets everything through', () => {
    expect(hostMayBePrivate('anything', { allowPrivateNetworks: true, allowHosts: [] })).toBe(true);
  });
});
