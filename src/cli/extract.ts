import { boilerplatePhrases, type Config } from '../config.js';
import { extractPoolFor } from '../extract/extract-pool.js';
import { failedArticle } from '../extract/failed-article.js';
import { FileTooLargeError, readFileCapped, readStreamCapped } from './read-file-capped.js';

export type ExtractInput = { file: string; url?: string };

export type ExtractLine = {
  file: string;
  url: string | null;
  title: string | null;
  text: string;
  byline: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  lang: string | null;
  agency: string | null;
  dateline: string | null;
  /** Charset the page was decoded with. */
  charset: string | null;
  status: 'ok' | 'empty' | 'failed';
  reason?: string;
  /** The body was cut at articles.maxBodyChars. */
  truncated?: boolean;
  /** The file could not be opened or read (missing, no permission): the command exits 1. */
  unreadable?: true;
};

/**
 * Parses `--list` JSONL. A bad line is reported by number and skipped, so one
 * typo in a long list costs that line, not the run.
 */
export function parseExtractList(text: string, source: string): { inputs: ExtractInput[]; errors: string[] } {
  const inputs: ExtractInput[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const at = `extract: ${source}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      errors.push(`${at} is not JSON`);
      return;
    }
    const o = v as { file?: unknown; url?: unknown };
    if (!o || typeof o.file !== 'string' || !o.file) errors.push(`${at} needs a "file" string`);
    else if (o.url !== undefined && o.url !== null && typeof o.url !== 'string')
      errors.push(`${at} "url" must be a string`);
    else inputs.push({ file: o.file, ...(typeof o.url === 'string' ? { url: o.url } : {}) });
  });
  return { inputs, errors };
}

/** `-` is standard input (`curl … | wiresift extract -`). */
export const STDIN = '-';

export async function extractFile(input: ExtractInput, config: Config): Promise<ExtractLine> {
  const base = { file: input.file, url: input.url ?? null };
  let bytes: Buffer;
  try {
    bytes =
      input.file === STDIN
        ? await readStreamCapped(process.stdin, 'standard input', config.net.maxBodyBytes, 'extract')
        : await readFileCapped(input.file, config.net.maxBodyBytes, 'extract');
  } catch (err) {
    const reason =
      err instanceof FileTooLargeError
        ? `extract: ${input.file} is larger than net.maxBodyBytes (${err.maxBytes} bytes), the cap on fetched pages`
        : `extract: cannot read ${input.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    const line = { ...base, ...failedArticle(reason), dateline: null, charset: null };
    // Over the cap is a verdict on the page, like any failed extraction; a missing file is the caller's mistake.
    return err instanceof FileTooLargeError ? line : { ...line, unreadable: true };
  }
  // The pipeline's pool and budget: a hostile file fails with the reason instead of hanging the command.
  const r = await extractPoolFor(config).extractPage(bytes, {
    ...(input.url ? { url: input.url } : {}),
    boilerplate: boilerplatePhrases(config),
    siteRules: config.extract.siteRules,
  });
  return {
    ...base,
    title: r.title,
    text: r.text,
    byline: r.byline,
    publishedAt: r.publishedAt,
    updatedAt: r.updatedAt,
    lang: r.lang,
    agency: r.agency,
    dateline: r.dateline ?? null,
    charset: r.charset,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.truncated ? { truncated: true } : {}),
  };
}

/**
 * Extracts every input, as many at once as the pool has threads, and hands the lines
 * over in input order.
 */
export async function extractFiles(
  inputs: ExtractInput[],
  config: Config,
  emit: (line: ExtractLine) => void,
): Promise<void> {
  const window = extractPoolFor(config).options.threads;
  const running: Array<Promise<ExtractLine>> = [];
  let next = 0;
  while (next < inputs.length || running.length) {
    while (next < inputs.length && running.length < window)
      running.push(extractFile(inputs[next++]!, config));
    emit(await running.shift()!);
  }
}
