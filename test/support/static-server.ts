import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { startHttpServer } from './http-server.js';

const TYPES: Record<string, string> = {
  '.xml': 'application/xml',
  '.html': 'text/html',
  '.opml': 'text/x-opml',
  '.txt': 'text/plain',
};

/**
 * Serves a fixture folder like a plain static server (no charset in
 * Content-Type), rewriting `from` (a placeholder or a fixed origin) to this
 * server's own origin so absolute links point back at it.
 */
export async function serveFolder(root: string, from: string[]) {
  let origin = '';
  const srv = await startHttpServer(async (req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    try {
      let body = await readFile(join(root, path));
      if (['.xml', '.html', '.txt', '.opml'].includes(extname(path))) {
        let text = body.toString('latin1');
        for (const f of from) text = text.split(f).join(origin);
        body = Buffer.from(text, 'latin1');
      }
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  origin = srv.url;
  return srv;
}
