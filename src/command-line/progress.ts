/** Counts and a rate for long CLI work: a live line on a terminal, a JSON line now and then otherwise. */
export type Progress = {
  update(counts: Record<string, number>): void;
  done(): void;
};

export type ProgressOptions = {
  label: string;
  /** Which count the rate is about (per second). */
  rateOf: string;
  stream?: NodeJS.WriteStream;
  /** Between JSON lines when not on a terminal. */
  jsonEveryMs?: number;
  now?: () => number;
};

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = Boolean(stream.isTTY);
  const started = now();
  const every = tty ? 250 : (opts.jsonEveryMs ?? 5_000);
  let last = 0;
  let latest: Record<string, number> = {};
  const render = (final: boolean) => {
    const secs = Math.max(0.001, (now() - started) / 1000);
    const rate = (latest[opts.rateOf] ?? 0) / secs;
    if (tty) {
      const counts = Object.entries(latest)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ');
      stream.write(
        `\r\x1b[2K${opts.label}: ${counts} · ${rate.toFixed(1)} ${opts.rateOf}/s · ${secs.toFixed(0)} s${final ? '\n' : ''}`,
      );
    } else {
      stream.write(
        `${JSON.stringify({ progress: opts.label, ...latest, ratePerSecond: Number(rate.toFixed(2)), elapsedSeconds: Number(secs.toFixed(1)), ...(final ? { done: true } : {}) })}\n`,
      );
    }
  };
  return {
    update(counts) {
      latest = counts;
      if (now() - last >= every) {
        last = now();
        render(false);
      }
    },
    done() {
      render(true);
    },
  };
}
