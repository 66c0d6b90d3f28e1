import { describeInfraCause, type InfraCause, infraCause } from '../infra-errors/infra-errors.js';
import type { Logger } from '../log.js';
import { backoffMs } from './redis-startup.js';

const PROBE_MAX_MS = 2_000;

export type RedisHealthState =
  | { ok: true }
  | { ok: false; cause: InfraCause; reason: string; sinceMs: number; failures: number };

export type RedisHealthOptions = {
  /** A small write that succeeds only when Redis takes writes again (SET … PX). */
  probe: () => Promise<unknown>;
  log: Logger;
  retryMinMs: number;
  retryMaxMs: number;
};

/**
 * What this process knows about Redis right now, fed by every connection's
 * errors, every worker's errors and every job that hit an infrastructure
 * error. It logs once per change of state — the first failure of an episode
 * (and a change of cause), then the recovery — however many jobs, retries and
 * reconnects happen in between; those are counted, not logged.
 *
 * Recovery is proved, not guessed: while failing, a write probe runs with
 * exponential backoff, and only its success ends the episode (a PING or a
 * reconnect says nothing about OOM or MISCONF).
 */
export class RedisHealth {
  private cause: InfraCause | null = null;
  private sinceMs = 0;
  private failures = 0;
  private suppressed = 0;
  /** Failures of this episode per source (job:articles, worker:feeds, store…), told at its end. */
  private bySource = new Map<string, number>();
  private probing = false;
  /** Probes run in this episode: the backoff grows with the episode, not with how many jobs hit it. */
  private attempt = 0;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];

  constructor(private readonly opts: RedisHealthOptions) {}

  /**
   * Records `err` when it is an infrastructure error and returns its cause;
   * null (nothing recorded) when the error is the caller's own.
   */
  report(err: unknown, source: string): InfraCause | null {
    const cause = infraCause(err);
    if (!cause) return null;
    this.failures++;
    this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
    if (!this.cause || this.cause.kind !== cause.kind) {
      const first = !this.cause;
      this.cause = cause;
      if (first) this.sinceMs = Date.now();
      this.opts.log.error(
        { redis: cause.kind, source, err: cause.detail, ...(first ? {} : { suppressed: this.suppressed }) },
        `${describeInfraCause(cause)}; jobs are waiting`,
      );
    } else {
      this.suppressed++;
    }
    this.startProbing();
    return cause;
  }

  /**
   * Counts an error that is not itself an infrastructure error when an episode
   * is on (a lock that could not be renewed while Redis is away): a symptom of
   * the episode, told in its end line. False when no episode is on.
   */
  absorb(source: string): boolean {
    if (!this.cause) return false;
    this.suppressed++;
    const key = `${source}:symptom`;
    this.bySource.set(key, (this.bySource.get(key) ?? 0) + 1);
    return true;
  }

  state(): RedisHealthState {
    if (!this.cause) return { ok: true };
    return {
      ok: false,
      cause: this.cause,
      reason: describeInfraCause(this.cause),
      sinceMs: this.sinceMs,
      failures: this.failures,
    };
  }

  /** How long a job that just hit the current episode waits before it runs again: doubles per probe. */
  retryDelayMs(): number {
    return backoffMs(this.attempt + 1, this.opts.retryMinMs, this.opts.retryMaxMs);
  }

  /** Resolves true as soon as writes succeed again (at once when they do now), false after maxMs. */
  writable(maxMs: number): Promise<boolean> {
    if (!this.cause) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        resolve(true);
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(false);
      }, maxMs);
      t.unref();
      this.waiters.push(done);
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.waiters.splice(0)) w();
  }

  private startProbing(): void {
    if (this.probing || this.closed) return;
    this.probing = true;
    this.attempt = 0;
    const next = () => {
      if (this.closed) return;
      // The probe is one small SET: it keeps to a short cadence so the end of an episode is
      // seen within PROBE_MAX_MS, while the jobs' own delays grow to retryMaxMs.
      const wait = backoffMs(++this.attempt, this.opts.retryMinMs, this.opts.retryMaxMs);
      this.timer = setTimeout(() => void tick(), Math.min(wait, PROBE_MAX_MS));
      this.timer.unref();
    };
    const tick = async () => {
      try {
        await this.opts.probe();
      } catch (err) {
        this.report(err, 'probe');
        next();
        return;
      }
      this.recovered();
    };
    next();
  }

  private recovered(): void {
    this.probing = false;
    if (!this.cause) return;
    this.opts.log.info(
      {
        redis: 'ok',
        was: this.cause.kind,
        downMs: Date.now() - this.sinceMs,
        failures: this.failures,
        suppressed: this.suppressed,
        bySource: Object.fromEntries(this.bySource),
      },
      'redis: writes succeed again',
    );
    this.bySource.clear();
    this.cause = null;
    this.failures = 0;
    this.attempt = 0;
    this.suppressed = 0;
    for (const w of this.waiters.splice(0)) w();
  }
}
