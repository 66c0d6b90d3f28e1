import { describe, expect, it } from 'vitest';
import { keysFor } from '../../src/store/keys.js';

describe('key layout', () => {
  it('on one Redis keeps every documented name under the prefix as it is', () => {
    const k = keysFor('{w}:v1:');
    expect(k.onCluster).toBe(false);
    expect([
      k.articleBody('a'),
      k.hostLeases('h'),
      k.outboundLeases,
      k.boilerplateLines('d'),
      k.signInFailuresAll,
    ]).toEqual([
      '{w}:v1:article:a:body',
      '{w}:v1:host:h:leases',
      '{w}:v1:net:outbound:leases',
      '{w}:v1:boilerplate:d:lines',
      '{w}:v1:review:signin-failures-all',
    ]);
  });

  it('on Redis Cluster moves the families no shared step touches off the prefix tag, onto tags of their own', () => {
    const k = keysFor('{w}:v1:', { cluster: true });
    // The keys a dedup, review or thread step touches stay under the prefix's tag.
    expect([k.article('a'), k.cluster('c1'), k.lshBuckets(0, 1), k.story('c1')]).toEqual([
      '{w}:v1:article:a',
      '{w}:v1:cluster:c1',
      '{w}:v1:lsh:{i0}:b:1',
      '{w}:v1:story:c1',
    ]);
    expect([
      k.articleBody('a'),
      k.hostNextAt('h'),
      k.outboundNextAt,
      k.boilerplateStories('d'),
      k.signInFailures('g'),
      k.robots('https://x.org'),
    ]).toEqual([
      'w:v1:article:{a}:body',
      'w:v1:{politeness}:host:h:next',
      'w:v1:{politeness}:net:outbound:next',
      'w:v1:boilerplate:{d}:stories',
      'w:v1:{signin}:review:signin-failures:g',
      'w:v1:robots:https://x.org',
    ]);
  });
});
