import { describe, expect, it } from 'vitest';
import { ingestArticle } from '../../src/pipeline/ingest-article.js';
import { getArticle, getArticleBody } from '../../src/store/articles.js';
import { articleJobAt } from '../support/article-job.js';
import { withPipeline } from './with-pipeline.js';

const FEED_TEXT =
  '<p>MARSEILLE, 3 juin 2025 (AFP) - Le port autonome a annoncé mardi la suspension du trafic des ferries vers la Corse après une grève surprise des agents de manœuvre, qui réclament une revalorisation de leurs primes de nuit.</p>' +
  '<p>Plusieurs centaines de passagers attendaient sur les quais en fin de journée, selon la direction du port, qui espère une reprise mercredi.</p>';

describe('article worker: explicit status and the feed item as fallback', () => {
  const p = withPipeline('feed-fallback', {
    serve: (req, res) => {
      if (req.url === '/gone') {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html><body>Not found</body></html>');
        return;
      }
      // A page that is only chrome: extracts empty.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><nav><a href="/">Accueil</a></nav><p>Connectez-vous.</p></body></html>');
    },
  });

  const job = (id: string, path: string, contentHtml: string | null) =>
    articleJobAt(p.url, path, {
      articleId: id,
      outlet: 'Le Port',
      item: { title: 'Ferries suspendus', published: '2025-06-03T09:00:00Z', contentHtml },
    });

  it('a page that cannot be fetched falls back to substantive feed content, recorded as from the feed', async () => {
    const r = await ingestArticle(p.ctx, job('a1', '/gone', FEED_TEXT), { isLastAttempt: true });
    // Stored and clustered in the same job.
    expect(r).toMatchObject({ status: 'ok', source: 'feed', clustered: { created: true, joined: false } });
    const stored = await getArticle(p.ctx.redis, p.ctx.keys, 'a1');
    expect(stored).toMatchObject({ status: 'ok', source: 'feed', agency: 'AFP' });
    expect(stored?.reason).toMatch(/^from feed: .*404/);
    expect(await getArticleBody(p.ctx.redis, p.ctx.keys, 'a1')).toContain('suspension du trafic des ferries');
  });

  it('a page that extracts empty falls back to the feed too', async () => {
    const r = await ingestArticle(p.ctx, job('a2', '/chrome-only', FEED_TEXT), { isLastAttempt: true });
    expect(r.source).toBe('feed');
    expect((await getArticle(p.ctx.redis, p.ctx.keys, 'a2'))?.reason).toMatch(
      /^from feed: extract: no article body/,
    );
  });

  it('without substantive feed content the article is stored with its status and reason, and the job fails', async () => {
    await expect(
      ingestArticle(p.ctx, job('a3', '/chrome-only', '<p>Trop court.</p>'), { isLastAttempt: true }),
    ).rejects.toThrow(/extract: no article body/);
    const stored = await getArticle(p.ctx.redis, p.ctx.keys, 'a3');
    expect(stored?.status).toBe('empty');
    expect(stored?.reason).toMatch(/^extract: no article body/);
    expect(stored?.title).toBe('Ferries suspendus');
  });
});
