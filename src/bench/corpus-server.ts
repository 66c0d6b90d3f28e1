// Child process for `bench load`: serves the generated corpus so the pipeline
// under test keeps its own process (and core) to itself.
import { generateCorpus, serveCorpus } from './generated-corpus.js';

const [articles, feeds, pageBytes] = process.argv.slice(2).map(Number);
const corpus = generateCorpus({ articles: articles!, feeds: feeds!, ...(pageBytes ? { pageBytes } : {}) });
const server = await serveCorpus(corpus);
process.send?.({ url: server.url, feedPaths: corpus.feedPaths, articles: corpus.truth.size });
process.on('message', (m) => {
  if (m === 'bytes') process.send?.({ bytes: server.bytesSent() });
});
process.on('disconnect', () => {
  server.close().then(() => process.exit(0));
});
