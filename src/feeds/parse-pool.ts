import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { feedFromBytes } from './feed-bytes.js';
import { type FeedItem, FeedParseError, type ParsedFeed } from './parse-feed.js';
import type { ParseReply, ParseRequest } from './parse-worker.js';

/**
 * Bodies at least this big are parsed on a worker thread: the XML parser is
 * synchronous, and a 50 MB feed would otherwise hold the event loop (and every
 * other job of the process, lock renewals included) for seconds.
 */
export const OFF_THREAD_MIN_BYTES = 1024 * 1024;

export type OffThreadOptions = {
  /** A parse running longer than this is abandoned (the thread is terminated). */
  timeoutMs: number;
  /** Heap cap of the parsing thread, so a pathological feed cannot take the process down. */
  maxHeapMb: number;
};

const DEFAULTS: OffThreadOptions = { timeoutMs: 60_000, maxHeapMb: 2048 };

// Run from source (tests, tsx) the worker is TypeScript too: it is started through tsx's loader,
// registered inside the thread (execArgv loaders do not reach a worker's entry module). Built, it is plain JS.
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSource ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

function startWorker(maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (!fromSource) return new Worker(workerUrl, { resourceLimits });
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(boot, { eval: true, resourceLimits });
}

/**
 * The bytes to transfer: the body's own memory when it owns all of it (a
 * fetched body does), so nothing is copied (copying 50 MB is itself a stall of
 * a few hundred ms on a small machine); a copy when it is a view into
 * something larger, such as Node's shared Buffer pool.
 */
function handOver(body: Uint8Array): Uint8Array {
  if (
    body.byteOffset === 0 &&
    body.byteLength === body.buffer.byteLength &&
    body.buffer instanceof ArrayBuffer
  )
    return body;
  const copy = new Uint8Array(body.byteLength);
  copy.set(body);
  return copy;
}

/**
 * Parses on a short-lived worker thread. The body's memory is moved to the
 * thread, not copied: the caller must not use `body` afterwards.
 */
export function parseFeedOffThread(
  body: Uint8Array,
  contentType: string | undefined,
  url: string,
  options: Partial<OffThreadOptions> = {},
): Promise<ParsedFeed> {
  const opts = { ...DEFAULTS, ...options };
  return new Promise((resolve, reject) => {
    const worker = startWorker(opts.maxHeapMb);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() => reject(new FeedParseError(`parsing took longer than ${opts.timeoutMs} ms, abandoned`))),
      opts.timeoutMs,
    );
    const items: FeedItem[] = [];
    worker.on('message', (msg: ParseReply) => {
      if (msg.kind === 'items') {
        for (const item of msg.items) items.push(item);
        return;
      }
      finish(() => {
        if (msg.kind === 'done') resolve({ ...msg.feed, items });
        else if (msg.name === 'FeedParseError')
          reject(new FeedParseError(msg.message.replace(/^feeds: /, '')));
        else reject(new Error(msg.message));
      });
    });
    worker.once('error', (err) =>
      finish(() => reject(new FeedParseError(`parser thread failed: ${err.message}`, { cause: err }))),
    );
    worker.once('exit', (code) =>
      finish(() => reject(new FeedParseError(`parser thread exited (code ${code}) before answering`))),
    );
    const owned = handOver(body);
    const req: ParseRequest = { body: owned, contentType, url };
    worker.postMessage(req, [owned.buffer as ArrayBuffer]);
  });
}

/** Small bodies are parsed in place (a thread costs more than they do); big ones off the event loop. */
export function parseFeedBytes(
  body: Uint8Array,
  contentType: string | undefined,
  url: string,
  options: Partial<OffThreadOptions> = {},
): Promise<ParsedFeed> {
  if (body.byteLength < OFF_THREAD_MIN_BYTES) return feedFromBytes(body, contentType, url);
  return parseFeedOffThread(body, contentType, url, options);
}
