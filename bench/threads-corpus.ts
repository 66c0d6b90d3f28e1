/**
 * End to end on a shared corpus, threads included: serves the corpus folder
 * (its links rewritten from http://127.0.0.1:8080 to this server), runs every
 * role once against REDIS_URL under a throw-away prefix, and scores clusters
 * and stories (story = the cluster's thread, else the cluster) with the
 * corpus's score.mjs.
 *
 *   npx tsx bench/threads-corpus.ts [corpus-dir] [--port P] [--keep] [--dump FILE]
 *
 * Prints score.mjs's clustering and stories lines, then (when the truth has
 * `cases`, as adversarial-dev does) thread precision per case: the page pairs
 * put in one thread that the truth's family holds together, against those it
 * does not. `--dump` writes clusters, threads and bodies as JSON for study.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { runOnce } from '../src/app/run.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { getArticleBody } from '../src/store/articles.js';
import { listClusters } from '../src/store/cluster-read.js';
import { dropKeys } from '../src/store/key-scan.js';
import { keysFor } from '../src/store/keys.js';
import { threadOfClusters } from '../src/store/thread-read.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const corpus = path.resolve(
  args.find((a, i) => !a.startsWith('--') && !['--port', '--dump'].includes(args[i - 1] ?? '')) ??
    path.join(repoRoot, '..', 'shared', 'corpus', 'dev'),
);
const port = Number(opt('--port') ?? 8111);
const FROM = 'http://127.0.0.1:8080';

type TruthPage = { cluster: string; family: string | null; cases?: string[] };

function serve(root: string, origin: string) {
  const types: Record<string, string> = { '.xml': 'application/xml', '.html': 'text/html' };
  const server = createServer(async (req, res) => {
    const rel = path
      .normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!))
      .replace(/^(\.\.[/\\])+/, '');
    try {
      let body = await readFile(path.join(root, rel));
      const ext = path.extname(rel);
      if (ext === '.xml' || ext === '.html' || ext === '.opml')
        body = Buffer.from(body.toString('latin1').split(FROM).join(origin), 'latin1');
      res.writeHead(200, { 'content-type': types[ext] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise<typeof server>((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/** Thread precision per case: pairs threaded together that share a family (or cluster), among all threaded pairs. */
function perCase(truth: Record<string, TruthPage>, story: Map<string, string>, cluster: Map<string, string>) {
  const urls = Object.keys(truth);
  const stats = new Map<string, { right: number; wrong: number; examples: Set<string> }>();
  for (let i = 0; i < urls.length; i++)
    for (let j = i + 1; j < urls.length; j++) {
      const a = urls[i]!;
      const b = urls[j]!;
      const sa = story.get(a);
      if (!sa || sa !== story.get(b) || cluster.get(a) === cluster.get(b)) continue;
      const ta = truth[a]!;
      const tb = truth[b]!;
      const right = !!ta.family && ta.family === tb.family;
      for (const c of new Set([...(ta.cases ?? []), ...(tb.cases ?? [])].map((x) => x.split(/[-,]/)[0]!))) {
        const s = stats.get(c) ?? { right: 0, wrong: 0, examples: new Set<string>() };
        if (right) s.right++;
        else {
          s.wrong++;
          s.examples.add([ta.cluster, tb.cluster].sort().join(' + '));
        }
        stats.set(c, s);
      }
    }
  return stats;
}

async function main(): Promise<void> {
  const truthPath = path.join(corpus, 'truth.json');
  const scorePath = path.join(corpus, '..', 'score.mjs');
  if (!existsSync(truthPath)) {
    console.log(`skipped: ${truthPath} not found`);
    return;
  }
  const origin = `http://127.0.0.1:${port}`;
  const server = await serve(corpus, origin);
  const dir = mkdtempSync(path.join(tmpdir(), 'wiresift-threads-'));
  const list = path.join(dir, 'feeds.opml');
  writeFileSync(list, readFileSync(path.join(corpus, 'feeds.opml'), 'utf8').replaceAll(FROM, origin));
  const prefix = `bench-threads:${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({
    env: {
      ...process.env,
      WIRESIFT_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true',
      WIRESIFT_HOST_MAX_CONCURRENCY: '8',
      WIRESIFT_HOST_MIN_DELAY_MS: '0',
    },
  });
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const keys = keysFor(prefix);
  try {
    const summary = await runOnce(config, createLogger('silent'), {
      role: 'all',
      once: true,
      feedsList: list,
    });
    console.log(`run: ${JSON.stringify(summary)}`);
    const clusters = await listClusters(redis, keys);
    const threadOf = await threadOfClusters(
      redis,
      keys,
      clusters.map((c) => c.id),
    );
    const pages: Record<string, { cluster: string; story: string }> = {};
    const story = new Map<string, string>();
    const clusterOf = new Map<string, string>();
    for (const c of clusters)
      for (const m of c.members) {
        const p = new URL(m.url).pathname;
        const s = threadOf.get(c.id) ?? `cluster:${c.id}`;
        pages[p] = { cluster: c.id, story: s };
        if (threadOf.has(c.id)) story.set(p, s);
        clusterOf.set(p, c.id);
      }
    const predFile = path.join(dir, 'pred.json');
    writeFileSync(predFile, JSON.stringify({ pages }));
    const out = execFileSync('node', [scorePath, truthPath, predFile], { encoding: 'utf8' });
    const lines = out.split('\n');
    console.log(lines.slice(lines.findIndex((x) => x.startsWith('clustering'))).join('\n'));
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { pages: Record<string, TruthPage> };
    if (Object.values(truth.pages).some((p) => p.cases)) {
      console.log('threaded page pairs per case (right: same family; wrong: not):');
      for (const [c, s] of [...perCase(truth.pages, story, clusterOf)].sort())
        console.log(
          `  ${c.padEnd(11)} right ${String(s.right).padStart(4)}  wrong ${String(s.wrong).padStart(4)}${s.examples.size ? `  e.g. ${[...s.examples].slice(0, 3).join('; ')}` : ''}`,
        );
    }
    const dump = opt('--dump');
    if (dump) {
      const full = [];
      for (const c of clusters) {
        const members = [];
        for (const m of c.members)
          members.push({
            ...m,
            path: new URL(m.url).pathname,
            body: await getArticleBody(redis, keys, m.id),
          });
        full.push({ ...c, thread: threadOf.get(c.id) ?? null, members });
      }
      writeFileSync(dump, JSON.stringify(full, null, 1));
    }
  } finally {
    server.close();
    if (!args.includes('--keep')) await dropKeys(redis, `${prefix}*`);
    else console.log(`kept under prefix ${prefix}`);
    redis.disconnect();
  }
}

await main();
