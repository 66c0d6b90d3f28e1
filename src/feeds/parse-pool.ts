import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { startModuleWorker } from '../module-worker/module-worker.js';
import { type FeedItem, FeedParseError, type ParsedFeed } from './feed-types.js';
import { type ParseOptions, parseFeedRequest } from './parse-request.js';
import type { ParseReply, ParseRequest } from './parse-worker.js';

/**
 * Every feed is parsed on a pooled worker thread: the XML parser is
 * synchronous, so in place one big or pathological feed would hold the event
 * loop, and with it every other job of the process and its lock renewals.
 * A thread gets a heap cap and each parse a wall-clock deadline; a parse over
 * either budget loses its thread (terminated, replaced on demand) and fails
 * with the reason, while other parses run on their own threads.
 */
export type ParseLimits = {
  /** Wall-clock budget of one parse, from the moment its thread starts on it. */
  timeoutMs: number;
  /** Heap cap of each parsing thread (V8 old generation). */
  maxHeapMb: number;
  /** Threads at most; parses beyond that wait for one to come free. */
  threads: number;
  /**
   * Feeds of at most this many bytes are parsed on the calling thread: for a
   * typical feed the trip to a thread and back (the items cloned in a message)
   * and the thread's own JIT and GC cost more than the parse, and the worst
   * hostile feed of this size still ends within milliseconds
   * (bench/feed-in-place-worst.ts). 0 or absent: every feed on a thread.
   */
  inPlaceMaxBytes?: number;
};

/** What one poll gets back: the feed, and how many items the per-poll cap dropped. */
export type CappedFeed = ParsedFeed & { cut: number };

const STARTUP_ALLOWANCE_MS = 30_000;

export const DEFAULT_PARSE_LIMITS: ParseLimits = { timeoutMs: 20_000, maxHeapMb: 512, threads: 4 };

function startWorker(maxHeapMb: number): Worker {
  return startModuleWorker(import.meta.url, 'parse-worker', {
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
  });
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

/** A failed parse as the poll sees it, the same whether it ran on a thread or in place. */
function asParseError(failure: { name: string; message: string }): FeedParseError {
  if (failure.name === 'FeedParseError') return new FeedParseError(failure.message.replace(/^feeds: /, ''));
  // Anything else (a stack overflow on deep nesting, a library's own error) is still this stage's.
  return new FeedParseError(`parser failed: ${failure.name}: ${failure.message}`);
}

type Task = {
  req: ParseRequest;
  items: FeedItem[];
  resolve: (feed: CappedFeed) => void;
  reject: (err: Error) => void;
};

type ParserThread = {
  worker: Worker;
  ready: boolean;
  task: Task | undefined;
  timer: NodeJS.Timeout | undefined;
};

export class FeedParsePool {
  private readonly threads = new Set<ParserThread>();
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private started = 0;
  private closed = false;

  constructor(readonly limits: ParseLimits = DEFAULT_PARSE_LIMITS) {}

  /**
   * Parses `body` (bytes as served) against `url`, keeping at most `maxItems`
   * items (see capItems), with the feed's settings (charset, trustFeedText). The body's memory is moved to the thread, not
   * copied: the caller must not use `body` afterwards.
   */
  parse(
    body: Uint8Array,
    contentType: string | undefined,
    url: string,
    options: ParseOptions = {},
  ): Promise<CappedFeed> {
    if (this.closed) return Promise.reject(new FeedParseError('the parser pool is shut down'));
    if (body.byteLength <= (this.limits.inPlaceMaxBytes ?? 0))
      return parseFeedRequest(body, contentType, url, options).then(
        ({ feed, items, cut }) => ({ ...feed, items, cut }),
        (err: unknown) => {
          throw asParseError(err instanceof Error ? err : { name: 'Error', message: String(err) });
        },
      );
    return new Promise((resolve, reject) => {
      const req: ParseRequest = { id: this.nextId++, body: handOver(body), contentType, url, options };
      this.waiting.push({ req, items: [], resolve, reject });
      this.dispatch();
    });
  }

  /** Threads alive now (busy or idle). */
  get size(): number {
    return this.threads.size;
  }

  /** Threads started over the pool's life: stays low while threads are reused. */
  get threadsStarted(): number {
    return this.started;
  }

  /** Terminates every thread; parses still running or waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0))
      task.reject(new FeedParseError('the parser pool is shut down'));
    const threads = [...this.threads];
    for (const t of threads) this.fail(t, new FeedParseError('the parser pool is shut down'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let thread = [...this.threads].find((t) => t.task === undefined);
      if (!thread) {
        if (this.threads.size >= this.limits.threads) return;
        thread = this.spawn();
      }
      this.assign(thread, this.waiting.shift() as Task);
    }
  }

  private spawn(): ParserThread {
    const thread: ParserThread = {
      worker: startWorker(this.limits.maxHeapMb),
      ready: false,
      task: undefined,
      timer: undefined,
    };
    this.threads.add(thread);
    this.started++;
    thread.worker.on('message', (msg: ParseReply) => this.onMessage(thread, msg));
    thread.worker.on('error', (err: Error & { code?: string }) => {
      const reason =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `parsing needed more than ${this.limits.maxHeapMb} MB of memory; the feed is too big or too complex`
          : `parser thread failed: ${err.message}`;
      this.retire(thread, new FeedParseError(reason, { cause: err }));
    });
    thread.worker.on('exit', (code) =>
      this.retire(thread, new FeedParseError(`parser thread exited (code ${code}) before answering`)),
    );
    return thread;
  }

  private assign(thread: ParserThread, task: Task): void {
    thread.task = task;
    // Busy threads keep the process alive until they answer; idle ones never hold it open.
    thread.worker.ref();
    const transfer = [task.req.body.buffer as ArrayBuffer];
    thread.worker.postMessage(task.req, transfer);
    // A fresh thread loads its modules first (seconds from source on a busy machine), which is
    // not the feed's fault; the deadline starts at 'ready', with a start-up allowance until then.
    this.startDeadline(thread, thread.ready ? 0 : STARTUP_ALLOWANCE_MS);
  }

  private startDeadline(thread: ParserThread, allowanceMs: number): void {
    const { timeoutMs } = this.limits;
    clearTimeout(thread.timer);
    thread.timer = setTimeout(() => {
      this.retire(
        thread,
        new FeedParseError(`parsing took longer than ${timeoutMs} ms; the feed is too complex`),
      );
      void thread.worker.terminate();
    }, timeoutMs + allowanceMs);
  }

  private onMessage(thread: ParserThread, msg: ParseReply): void {
    if (msg.kind === 'ready') {
      thread.ready = true;
      if (thread.task) this.startDeadline(thread, 0);
      return;
    }
    const task = thread.task;
    if (!task || task.req.id !== msg.id) return;
    if (msg.kind === 'items') {
      for (const item of msg.items) task.items.push(item);
      return;
    }
    clearTimeout(thread.timer);
    thread.task = undefined;
    thread.worker.unref();
    if (msg.kind === 'done') task.resolve({ ...msg.feed, items: task.items, cut: msg.cut });
    else task.reject(asParseError(msg));
    this.dispatch();
  }

  private fail(thread: ParserThread, err: Error): void {
    clearTimeout(thread.timer);
    const task = thread.task;
    thread.task = undefined;
    task?.reject(err);
  }

  /** The thread is gone or going: fail its parse, forget it, and let waiting parses start another. */
  private retire(thread: ParserThread, err: Error): void {
    if (!this.threads.delete(thread)) return;
    this.fail(thread, err);
    thread.worker.unref();
    if (!this.closed) this.dispatch();
  }
}

/**
 * The configured limits. 0 threads: one per concurrent feed job, but no more
 * than the machine has cores (at least two, so one slow parse never holds up
 * the rest): more CPU-bound threads than cores only stretch every parse's wall
 * clock towards its deadline.
 */
export function parseLimitsFrom(config: Config): ParseLimits {
  const f = config.feedLimits;
  const auto = Math.min(config.queues.concurrency.feeds, Math.max(2, availableParallelism()));
  return {
    timeoutMs: f.parseTimeoutMs,
    maxHeapMb: f.parseMaxHeapMb,
    threads: f.parseThreads || auto,
    inPlaceMaxBytes: f.parseInPlaceMaxKb * 1024,
  };
}

let shared: FeedParsePool | undefined;

/** A process-wide pool with the default limits, for callers without a configured one. */
export function sharedFeedParsePool(): FeedParsePool {
  shared ??= new FeedParsePool();
  return shared;
}
