import { afterAll, describe, expect, it } from 'vitest';
import { boilerplateDomain, candidateLines } from '../../src/extract/learned-lines.js';
import { clusterArticle } from '../../src/pipeline/cluster-article.js';
import { ingestArticle } from '../../src/pipeline/ingest-article.js';
import { getArticleBody } from '../../src/store/articles.js';
import { learnedBoilerplate, recordStoryLines, storyLinesOf } from '../../src/store/boilerplate-stats.js';
import { keysFor } from '../../src/store/keys.js';
import { articleJobAt } from '../support/article-job.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { withPipeline } from './with-pipeline.js';

const PROMO = 'Suivez toute l’actualité de Métropole Info sur Google News et sur WhatsApp';
const SHARED = 'Le préfet a ordonné l’évacuation des trois quartiers les plus exposés au risque de crue.';

const WORDS =
  'préfet crue mairie témoins enquête quartier digue pompiers rivière conseil budget école tramway chantier récolte vignoble tribunal avocat grève usine port ferry stade club festival musée théâtre hôpital médecin vaccin forêt incendie sécheresse barrage élus syndicat marché loyer'.split(
    ' ',
  );

/** Sentences of words drawn from a seed: two seeds tell two unrelated stories (no shared run of words). */
function story(seed: number, sentences = 4): string {
  let x = (seed * 2654435761) >>> 0;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return WORDS[(x >>> 16) % WORDS.length]!;
  };
  return Array.from({ length: sentences }, () => `${Array.from({ length: 12 }, next).join(' ')}.`).join('\n');
}

/** A story of its own per n, the site's promo line under it. */
function page(n: number): string {
  return `<!doctype html><html lang="fr"><head><title>Article ${n} - Métropole Info</title></head><body>
  <article><h1>Titre numéro ${n} de la journée</h1>
  ${story(n)
    .split('\n')
    .map((p) => `<p>${p}</p>`)
    .join('')}
  <p>${PROMO}</p>
  </article></body></html>`;
}

/** One dispatch, as copy n of it (the same story on every copy). */
function copyPage(n: number): string {
  return `<!doctype html><html lang="fr"><head><title>Crue, copie ${n} - Métropole Info</title></head><body>
  <article><h1>Alerte à la crue</h1>
  <p>Premier paragraphe de la dépêche, qui raconte la montée des eaux, avec des détails précis sur les quartiers.</p>
  <p>Deuxième paragraphe : les témoins décrivent la scène, la mairie répond, et l'enquête continue demain.</p>
  <p>${SHARED}</p>
  <p>${PROMO}</p>
  </article></body></html>`;
}

const MIN_PAGES = 3;

describe('learned boilerplate, through the article worker on a real Redis and HTTP server', () => {
  const p = withPipeline('learned-bp', {
    serve: (req, res) => {
      const n = Number(req.url?.match(/\d+/)?.[0] ?? 0);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.url?.includes('cluster') ? copyPage(n) : page(n));
    },
    configure: (config) => {
      config.extract.learnedBoilerplate.minStories = MIN_PAGES;
      // Page N+1 must see what pages 1..N taught at once.
      config.extract.learnedBoilerplate.memoSeconds = 0;
    },
  });

  const job = (path: string) => articleJobAt(p.url, path, { outlet: 'Métropole Info' });
  const ingest = async (path: string) => {
    await ingestArticle(p.ctx, job(path), { isLastAttempt: true });
    return (await getArticleBody(p.ctx.redis, p.ctx.keys, job(path).articleId)) ?? '';
  };

  it('a line on N pages of a domain is dropped from page N+1, retries count once', async () => {
    for (let n = 1; n <= MIN_PAGES; n++) {
      // The article job counts the page's lines under the cluster it placed the page in.
      expect(await ingest(`/a/${n}`)).toContain(PROMO);
      // A dedup job for the same article (a retried step, reconcile) must not count its page twice.
      await clusterArticle(p.ctx, { articleId: job(`/a/${n}`).articleId });
      await clusterArticle(p.ctx, { articleId: job(`/a/${n}`).articleId });
    }
    const next = await ingest(`/a/${MIN_PAGES + 1}`);
    expect(next).not.toContain('Google News');
    expect(next).toContain(story(MIN_PAGES + 1).split('\n')[0]);
  });

  it('a line shared by the copies of one story is not learned from them, however many', async () => {
    // As many copies as it takes pages to learn a line: counted per page, the next copy would lose it.
    for (let n = 1; n <= MIN_PAGES; n++) await ingest(`/cluster/${100 + n}`);
    const next = await ingest(`/cluster/${101 + MIN_PAGES}`);
    expect(next).toContain(SHARED);
    // The copies did cluster together: one story.
    const ids = [101, 104].map((n) => job(`/cluster/${n}`).articleId);
    const [a, b] = await Promise.all(ids.map((id) => p.ctx.redis.hget(p.ctx.keys.article(id), 'cluster')));
    expect(a).toBeTruthy();
    expect(b).toBe(a);
  });
});

describe('learned boilerplate counts in Redis', () => {
  const prefix = uniquePrefix('learned-bp-store');
  const redis = connectTestRedis();
  const keys = keysFor(prefix);
  const cfg = { minStories: 3, maxLinesPerDomain: 50, maxLineChars: 200, ttlDays: 2 };
  /** One page's body counted as the dedup step counts it. */
  const recordPage = async (domain: string, storyKey: string, text: string, c = cfg) => {
    const count = storyLinesOf(keys, domain, candidateLines(text, c.maxLineChars), c);
    if (count) await recordStoryLines(redis, storyKey, count);
  };
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('are per domain: a line learned on one domain is not learned on another', async () => {
    for (let n = 0; n < 3; n++)
      await recordPage('a.example', `p${n}`, `Story ${n} text here.\n${PROMO}`, cfg);
    await recordPage('b.example', 'q1', `Other story.\n${PROMO}`, cfg);
    const learnedA = await learnedBoilerplate(redis, keys, 'a.example', cfg);
    expect(learnedA).toHaveLength(1);
    expect(learnedA[0]).toMatch(/^suivez toute lactualite/);
    expect(await learnedBoilerplate(redis, keys, 'b.example', cfg)).toEqual([]);
  });

  it('count every line of a long page once per story (lines are read and written in chunks)', async () => {
    const lines = Array.from({ length: 450 }, (_, i) => `Ligne ${i} d'une page très longue`).join('\n');
    const big = { ...cfg, maxLinesPerDomain: 1000 };
    await recordPage('long.example', 's1', lines, big);
    await recordPage('long.example', 's1', lines, big);
    await recordPage('long.example', 's2', lines, big);
    const key = keys.boilerplateLines('long.example');
    expect(await redis.zcard(key)).toBe(450);
    const scores = await redis.zrange(key, 0, -1, 'WITHSCORES');
    expect(new Set(scores.filter((_, i) => i % 2 === 1))).toEqual(new Set(['2']));
  });

  it('stay bounded: a cap on lines per domain, long lines never counted, keys expire', async () => {
    const long = 'x'.repeat(201);
    for (let n = 0; n < 80; n++)
      await recordPage('c.example', `p${n}`, `Unique line number ${n}\n${long}\n${PROMO}`, cfg);
    const key = keys.boilerplateLines('c.example');
    expect(await redis.zcard(key)).toBeLessThanOrEqual(cfg.maxLinesPerDomain);
    // The line on every page survives eviction of the one-page lines.
    // counted up to minStories stories, enough to call it template
    expect(await redis.zscore(key, (await learnedBoilerplate(redis, keys, 'c.example', cfg))[0]!)).toBe('3');
    expect(await redis.zscore(key, long)).toBeNull();
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(86_400);
    expect(ttl).toBeLessThanOrEqual(2 * 86_400);
    expect(await redis.ttl(keys.boilerplateStories('c.example'))).toBeGreaterThan(0);
  });

  it('count stories, not pages: a dispatch paragraph on five copies of one story is not template', async () => {
    const paragraph = 'Le conseil municipal de Vernoux a voté jeudi un budget de 4,2 millions.';
    const promo = 'Abonnez-vous à notre lettre du matin pour ne rien manquer.';
    // five copies (versions, updates) of one story: one cluster, one story key
    for (let n = 0; n < 5; n++)
      await recordPage('d.example', 'c7', `Version ${n} du titre.\n${paragraph}\n${promo}`, cfg);
    expect(await learnedBoilerplate(redis, keys, 'd.example', cfg)).toEqual([]);
    // the promo line under two more stories: three distinct stories make it template
    await recordPage('d.example', 'c8', `Autre sujet.\n${promo}`, cfg);
    await recordPage('d.example', 'c9', `Troisième sujet.\n${promo}`, cfg);
    const learned = await learnedBoilerplate(redis, keys, 'd.example', cfg);
    expect(learned).toHaveLength(1);
    expect(learned[0]).toMatch(/^abonnez vous/);
  });

  it('domain keys come from the host without www.', () => {
    expect(boilerplateDomain('https://WWW.Example.org/a/b')).toBe('example.org');
    expect(boilerplateDomain('not a url')).toBeNull();
  });
});
