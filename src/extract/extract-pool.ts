/**
 * Page extraction on a pool of worker threads, each with a heap cap and every page
 * with a wall-clock deadline. Parsing is synchronous: on the main thread one hostile
 * page would hold every other job of the process (and BullMQ's lock renewals) for as
 * long as it takes. Here a page over budget costs its thread, which is terminated and
 * replaced, and its article fails with the reason; other pages run on the other threads.
 * Idle threads do not keep the process alive, so a CLI or a test ends without close().
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { startModuleWorker } from '../module-worker/module-worker.js';
import type { ExtractReply } from './extract-worker.js';
import { failedArticle } from './failed-article.js';
import { type ExtractRequest, runExtraction } from './guarded-extraction.js';
import type { MarkupLimits } from './strip-inert.js';
import type { ExtractedArticle, ExtractOptions } from './types.js';

export type ExtractPoolOptions = {
  /** Threads at most (started on demand). */
  threads: number;
  /** Wall-clock time one page may take on its thread. */
  timeoutMs: number;
  /** Heap cap of each thread. */
  maxHeapMb: number;
  maxBodyChars: number;
  limits: MarkupLimits;
  /**
   * Pages (and feed-item HTML) of at most this many bytes are extracted on the calling
   * thread: a message to a thread and back, and a thread's own JIT and GC, cost more than
   * extracting a small page, and the worst hostile page of this size still ends within
   * milliseconds (bench/in-place-worst.ts). 0 or absent: every page on a thread.
   */
  inPlaceMaxBytes?: number;
};

export type PageResult = ExtractedArticle & { charset: string };

type Job = {
  req: ExtractRequest;
  transfer: ArrayBuffer[];
  resolve: (r: ExtractedArticle & { charset?: string }) => void;
};

type Slot = { worker: Worker; ready: boolean; job: Job | null; timer: NodeJS.Timeout | null };

export function failedExtraction(reason: string): PageResult {
  return { ...failedArticle(reason), charset: '' };
}

export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly options: ExtractPoolOptions) {}

  /**
   * Extracts fetched page bytes (see extractPage). Never rejects: a page over budget,
   * or a thread that died, is a 'failed' article with the reason. The bytes are copied
   * to the thread (a few ms for the largest page), so the caller's stay usable.
   */
  extractPage(bytes: Uint8Array, options: ExtractOptions & { contentType?: string }): Promise<PageResult> {
    if (this.inPlace(bytes.byteLength))
      return Promise.resolve(
        runExtraction({
          kind: 'page',
          id: 0,
          bytes,
          options: this.withLimits(options),
          maxBodyChars: this.options.maxBodyChars,
        }),
      ).then((r) => ({ ...r, charset: r.charset ?? '' }));
    const owned = new Uint8Array(bytes);
    return this.submit(
      {
        kind: 'page',
        id: 0,
        bytes: owned,
        options: this.withLimits(options),
        maxBodyChars: this.options.maxBodyChars,
      },
      [owned.buffer as ArrayBuffer],
    ).then((r) => ({ ...r, charset: r.charset ?? '' }));
  }

  /** Extracts decoded HTML (see extractArticle), e.g. a feed item's content, under the same budget. */
  extractHtml(html: string, options: ExtractOptions): Promise<ExtractedArticle> {
    // Characters are at most 3 UTF-8 bytes each: the bound holds for the bytes the HTML stands for.
    if (this.inPlace(html.length * 3))
      return Promise.resolve(
        runExtraction({
          kind: 'html',
          id: 0,
          html,
          options: this.withLimits(options),
          maxBodyChars: this.options.maxBodyChars,
        }),
      );
    return this.submit(
      {
        kind: 'html',
        id: 0,
        html,
        options: this.withLimits(options),
        maxBodyChars: this.options.maxBodyChars,
      },
      [],
    );
  }

  /** Stops every thread; pages not finished yet fail. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.queue.splice(0);
    for (const job of pending)
      job.resolve(failedExtraction('extract: shut down before the page was extracted'));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        this.settle(slot, failedExtraction('extract: shut down before the page was extracted'));
        return slot.worker.terminate();
      }),
    );
  }

  /** Threads running now (none until a page goes to one). */
  get threads(): number {
    return this.slots.length;
  }

  private inPlace(bytes: number): boolean {
    return !this.closed && bytes <= (this.options.inPlaceMaxBytes ?? 0);
  }

  private withLimits<T extends ExtractOptions>(options: T): T {
    return options.limits ? options : { ...options, limits: this.options.limits };
  }

  private submit(
    req: ExtractRequest,
    transfer: ArrayBuffer[],
  ): Promise<ExtractedArticle & { charset?: string }> {
    if (this.closed) return Promise.resolve(failedExtraction('extract: the extraction pool is closed'));
    return new Promise((resolve) => {
      req.id = this.nextId++;
      this.queue.push({ req, transfer, resolve });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) break;
      if (slot.ready && !slot.job) this.assign(slot, this.queue.shift()!);
    }
    // More threads for what still waits, up to the pool size.
    let waiting = this.queue.length - this.slots.filter((s) => !s.ready).length;
    while (waiting-- > 0 && this.slots.length < this.options.threads) this.spawn();
  }

  private assign(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    // The deadline counts from the moment the page reaches its thread, not its time in the queue.
    slot.timer = setTimeout(() => {
      this.retire(
        slot,
        `extract: page took longer than ${this.options.timeoutMs} ms (its thread was stopped)`,
      );
    }, this.options.timeoutMs);
    slot.worker.postMessage(job.req, job.transfer);
  }

  private settle(slot: Slot, result: ExtractedArticle & { charset?: string }): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.job;
    slot.job = null;
    job?.resolve(result);
  }

  /** Ends a thread that went over budget or died, fails its page, and lets the queue go on. */
  private retire(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    const booting = !slot.ready;
    this.settle(slot, failedExtraction(reason));
    void slot.worker.terminate();
    // A thread that cannot even start would be restarted forever: fail what waits instead.
    if (booting) for (const job of this.queue.splice(0)) job.resolve(failedExtraction(reason));
    this.pump();
  }

  private spawn(): void {
    const worker = startModuleWorker(import.meta.url, 'extract-worker', {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
    });
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    this.slots.push(slot);
    worker.on('message', (msg: ExtractReply) => {
      if (msg.kind === 'ready') slot.ready = true;
      else if (slot.job?.req.id === msg.id) this.settle(slot, msg.result);
      if (!slot.job) worker.unref();
      this.pump();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      this.retire(
        slot,
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `extract: page needed more than ${this.options.maxHeapMb} MB of heap (its thread was stopped)`
          : `extract: extraction thread failed: ${err.message}`,
      );
    });
    worker.on('exit', (code) => this.retire(slot, `extract: extraction thread exited (code ${code})`));
  }
}

export function extractPoolOptions(config: Config): ExtractPoolOptions {
  const e = config.extract;
  return {
    threads: e.threads || availableParallelism(),
    timeoutMs: e.timeoutMs,
    maxHeapMb: e.maxHeapMb,
    maxBodyChars: config.articles.maxBodyChars,
    limits: { maxDepth: e.maxDepth, maxElements: e.maxElements },
    inPlaceMaxBytes: e.inPlaceMaxKb * 1024,
  };
}

const shared = new Map<string, ExtractPool>();
const byConfig = new WeakMap<Config, { pool: ExtractPool; generation: number }>();
let generation = 0;

/** The process's pool for this configuration, started on first use. */
export function extractPoolFor(config: Config): ExtractPool {
  // Asked for on every page: the options key is built once per config object.
  const known = byConfig.get(config);
  if (known?.generation === generation) return known.pool;
  const options = extractPoolOptions(config);
  const key = JSON.stringify(options);
  let pool = shared.get(key);
  if (!pool) {
    pool = new ExtractPool(options);
    shared.set(key, pool);
  }
  byConfig.set(config, { pool, generation });
  return pool;
}

/** Stops the process's pools (graceful shutdown; idle threads never hold the process anyway). */
export async function closeExtractPools(): Promise<void> {
  const pools = [...shared.values()];
  shared.clear();
  generation++;
  await Promise.all(pools.map((p) => p.close()));
}
