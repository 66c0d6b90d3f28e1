import { parentPort } from 'node:worker_threads';
import type { FeedItem, ParsedFeed } from './parse-feed.js';
import { type ParseOptions, parseFeedRequest } from './parse-request.js';

/** Worker thread side of parse-pool.ts: one feed per message, one at a time, the thread reused. */
export type ParseRequest = {
  id: number;
  body: Uint8Array;
  contentType: string | undefined;
  url: string;
  options: ParseOptions;
};

/**
 * The answer goes back in batches: one message with 70 000 items takes the
 * receiving thread about a second to deserialise in one go, which is the
 * stall this thread exists to avoid. Batches interleave with other work.
 */
export type ParseReply =
  | { kind: 'ready' }
  | { kind: 'items'; id: number; items: FeedItem[] }
  | { kind: 'done'; id: number; feed: Omit<ParsedFeed, 'items'>; cut: number }
  | { kind: 'error'; id: number; name: string; message: string };

export const ITEMS_PER_MESSAGE = 500;

const port = parentPort;
if (port) {
  port.on('message', (req: ParseRequest) => {
    parseFeedRequest(req.body, req.contentType, req.url, req.options).then(
      ({ feed, items, cut }) => {
        for (let i = 0; i < items.length; i += ITEMS_PER_MESSAGE)
          port.postMessage({
            kind: 'items',
            id: req.id,
            items: items.slice(i, i + ITEMS_PER_MESSAGE),
          } satisfies ParseReply);
        port.postMessage({ kind: 'done', id: req.id, feed, cut } satisfies ParseReply);
      },
      (err: unknown) =>
        port.postMessage({
          kind: 'error',
          id: req.id,
          name: err instanceof Error ? err.name : 'Error',
          message: err instanceof Error ? err.message : String(err),
        } satisfies ParseReply),
    );
  });
  // Modules are loaded by now: the parse deadline starts from here, not from the thread's start-up.
  port.postMessage({ kind: 'ready' } satisfies ParseReply);
}
