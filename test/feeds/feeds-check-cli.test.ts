import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { itemFlood } from './attack-inputs.js';

describe('wiresift feeds check FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wiresift-feeds-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file over net.maxBodyBytes with an error naming the cap, without reading it', {
    timeout: 60_000,
  }, async () => {
    const big = join(dir, 'big.xml');
    writeFileSync(big, '<rss version="2.0"><channel><title>Gros</title>');
    truncateSync(big, 57 * 1024 * 1024); // sparse: 57 MB of NULs after the start of a feed
    const r = await runCli(['feeds', 'check', big, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, items: [], cut: 0 });
    expect(out.error).toBe(`feeds: ${big} is larger than the 10485760-byte cap (net.maxBodyBytes), not read`);
  });

  it('reports the items the per-poll cap cuts, and exits once done', { timeout: 60_000 }, async () => {
    const flood = join(dir, 'flood.xml');
    writeFileSync(flood, itemFlood('https://crue.example', 2000));
    const r = await runCli(['feeds', 'check', flood, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.items).toHaveLength(500);
    expect(out.cut).toBe(1500);
    expect(out.items[0].link).toBe('https://crue.example/n/1500');
  });
});
