import { boilerplatePhrases, type Config } from '../config.js';
import { extractPoolFor } from '../extract/extract-pool.js';
import { failedArticle } from '../extract/failed-article.js';
import { FileTooLargeError, readFileCapped } from './read-file-capped.js';
import { UsageError } from './usage-error.js';

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
};

/** Parses `--list` JSONL; a bad line is an error naming its number, before any page is read. */
export function parseExtractList(text: string, source: string): ExtractInput[] {
  const out: ExtractInput[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UsageError(`extract: ${source}:${i + 1} is not JSON`);
    }
    const o = v as { file?: unknown; url?: unknown };
    if (!o || typeof o.file !== 'string' || !o.file)
      throw new UsageError(`extract: ${source}:${i + 1} needs a "file" string`);
    if (o.url !== undefined && o.url !== null && typeof o.url !== 'string')
      throw new UsageError(`extract: ${source}:${i + 1} "url" must be a string`);
    out.push({ file: o.file, ...(typeof o.url === 'string' ? { url: o.url } : {}) });
  });
  return out;
}

export async function extractFile(input: ExtractInput, config: Config): Promise<ExtractLine> {
  const base = { file: input.file, url: input.url ?? null };
  let bytes: Buffer;
  try {
    bytes = await readFileCapped(input.file, config.net.maxBodyBytes, 'extract');
  } catch (err) {
    const reason =
      err instanceof FileTooLargeError
        ? `extract: ${input.file} is larger than net.maxBodyBytes (${err.maxBytes} bytes), the cap on fetched pages`
        : `extract: cannot read ${input.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    return { ...base, ...failedArticle(reason), dateline: null, charset: null };
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
