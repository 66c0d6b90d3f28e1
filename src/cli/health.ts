import type { Config } from '../config.js';

/**
 * `wiresift health`: GET the local /healthz, exit 0 when it answers 200, 1
 * otherwise. The image's HEALTHCHECK uses it, so the image needs no curl.
 */
export async function healthCommand(
  config: Config,
  opts: { url?: string; timeoutMs?: number },
  err: (s: string) => void,
): Promise<number> {
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  const url = opts.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}/healthz`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 3_000) });
    await res.body?.cancel();
    if (res.ok) return 0;
    err(`health: ${url} answered HTTP ${res.status}`);
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    err(`health: ${url} did not answer (${cause ?? (e as Error).message})`);
  }
  return 1;
}
