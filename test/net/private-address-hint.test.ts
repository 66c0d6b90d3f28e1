import { describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK_POLICY } from '../../src/net/address-policy.js';
import { safeFetch } from '../../src/net/fetch.js';

const opts = {
  timeoutMs: 2000,
  maxBytes: 1024,
  maxRedirects: 0,
  userAgent: 'wiresift-test/1.0',
  policy: DEFAULT_NETWORK_POLICY,
};

describe('a private-address refusal', () => {
  it.each(['http://127.0.0.1:9/feed.xml', 'http://localhost:9/feed.xml'])(
    'names the setting that allows it (%s)',
    async (url) => {
      const err = await safeFetch(url, opts).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(/private address/);
      expect(err?.message).toContain('WIRESIFT_ALLOW_PRIVATE_NETWORKS=true');
      expect(err?.message).toContain('net.allowHosts (WIRESIFT_ALLOW_HOSTS)');
    },
  );
});
