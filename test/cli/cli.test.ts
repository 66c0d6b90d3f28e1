import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, spawnCli } from '../support/cli.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const redis = connectTestRedis();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  redis.disconnect();
});

function envFor(prefix: string): NodeJS.ProcessEnv {
  prefixes.push(prefix);
  return {
    REDIS_URL: testRedisUrl(),
    WIRESIFT_PREFIX: prefix,
    LOG_LEVEL: 'info',
    PORT: '0',
    HOST: '127.0.0.1',
  };
}

describe('wiresift CLI', () => {
  it('--help lists every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['run', 'extract', 'clusters', 'feeds', 'bench'])
      expect(r.stdout).toContain(`wiresift ${cmd}`);
  });

  it('--version prints the package version, run from source as well as built', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('a usage mistake exits 2 with a message', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    const bad = await runCli(['run', '--role', 'chef']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown role "chef"');
  });

  it('a bad config file exits 2 naming the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-cli-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'queues:\n  attempts: 0\n');
    const r = await runCli(['clusters', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('queues.attempts');
  });

  it('extract prints one JSON line per page in input order, without boilerplate', async () => {
    const pages = join(repoRoot, 'test', 'fixtures', 'e2e', 'pages');
    const files = [
      join(pages, 'le-courrier', 'brevannes-usine-en-feu.html'),
      join(pages, 'la-gazette', 'greve-controleurs.html'),
    ];
    const r = await runCli(['extract', ...files, join(pages, 'missing.html')]);
    // every page still gets its line; the file that could not be read makes the exit code 1
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.html');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual([...files, join(pages, 'missing.html')]);
    const [first, second, missing] = lines;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining([
        'file',
        'url',
        'title',
        'text',
        'byline',
        'publishedAt',
        'lang',
        'agency',
        'status',
      ]),
    );
    expect(first.status).toBe('ok');
    expect(first.text).toContain('Novachem de Brévannes');
    expect(second.text).toContain('Les contrôleurs du Réseau ferré');
    for (const l of [first, second]) {
      for (const junk of ['Avec AFP', 'Retour en haut', 'Partager']) expect(l.text).not.toContain(junk);
      expect(l.text.split('\n\n')).not.toContain('source');
    }
    expect(missing.status).toBe('failed');
    expect(missing.reason).toMatch(/cannot read/);
  });

  it('extract prints status and reason for an empty page, dateline, updatedAt and charset for an article', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-cli-'));
    const empty = join(dir, 'empty.html');
    const dispatch = join(dir, 'dispatch.html');
    await writeFile(
      empty,
      '<html><body><nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav></body></html>',
    );
    await writeFile(
      dispatch,
      '<html lang="fr"><head><meta property="article:published_time" content="2025-05-02T08:00:00Z">' +
        '<meta property="article:modified_time" content="2025-05-02T10:30:00Z"></head><body><article>' +
        "<p>LYON, 2 mai 2025 (AFP) - Un incendie s'est déclaré mardi dans une usine chimique de la banlieue est, selon la préfecture.</p>" +
        '<p>Les riverains ont été confinés plusieurs heures, le temps que les pompiers maîtrisent les flammes.</p>' +
        '</article></body></html>',
    );
    const r = await runCli(['extract', empty, dispatch]);
    expect(r.code).toBe(0);
    const [e, d] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(e.status).toBe('empty');
    expect(e.reason).toMatch(/^extract: no article body found/);
    expect(d).toMatchObject({
      status: 'ok',
      dateline: 'LYON, 2 mai 2025 (AFP)',
      agency: 'AFP',
      publishedAt: '2025-05-02T08:00:00Z',
      updatedAt: '2025-05-02T10:30:00Z',
      charset: 'utf-8',
    });
  });

  it('extract --list reports a malformed line by number and skips it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-cli-'));
    const list = join(dir, 'list.jsonl');
    const page = join(repoRoot, 'test', 'fixtures', 'e2e', 'pages', 'la-gazette', 'greve-controleurs.html');
    await writeFile(list, `${JSON.stringify({ file: page })}\nnot json\n{"url": "x"}\n`);
    const r = await runCli(['extract', '--list', list]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('list.jsonl:2 is not JSON; line skipped');
    expect(r.stderr).toContain('list.jsonl:3 needs a "file" string; line skipped');
    expect(r.stderr).not.toContain('Usage:');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ file: page, status: 'ok' });
  });

  it('run stops on SIGTERM within 10 s with exit code 0', { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-cli-'));
    const list = join(dir, 'feeds.txt');
    await writeFile(list, 'http://127.0.0.1:9/feed.xml\n');
    const child = spawnCli(['run', '--feeds', list], envFor(uniquePrefix('sigterm')));
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    const deadline = Date.now() + 20_000;
    while (!output.includes('wiresift running') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('wiresift running');
    const t0 = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
