import { parentPort } from 'node:worker_threads';
import { feedFromBytes } from './feed-bytes.js';
import type { FeedItem, ParsedFeed } from './parse-feed.js';

/** Worker thread side of parse-off-thread.ts: one feed per message. */
export type ParseRequest = { body: Uint8Array; contentType: string | undefined; url: string };

/**
 * The answer goes back in batches: one message with 70 000 items takes the
 * receiving thread about a second to deserialise in one go, which is the
 * stall this thread exists to avoid. Batches interleave with other work.
 */
export type ParseReply =
  | { kind: 'items'; items: FeedItem[] }
  | { kind: 'done'; feed: Omit<ParsedFeed, 'items'> }
  | { kind: 'error'; name: string; message: string };

export const ITEMS_PER_MESSAGE = 500;

parentPort?.on('message', (req: ParseRequest) => {
  const port = parentPort;
  if (!port) return;
  feedFromBytes(req.body, req.contentType, req.url).then(
    ({ items, ...feed }) => {
      for (let i = 0; i < items.length; i += ITEMS_PER_MESSAGE)
        port.postMessage({
          kind: 'items',
          items: items.slice(i, i + ITEMS_PER_MESSAGE),
        } satisfies ParseReply);
      port.postMessage({ kind: 'done', feed } satisfies ParseReply);
    },
    (err: unknown) =>
      port.postMessage({
        kind: 'error',
        name: err instanceof Error ? err.name : 'Error',
        message: err instanceof Error ? err.message : String(err),
      } satisfies ParseReply),
  );
});
