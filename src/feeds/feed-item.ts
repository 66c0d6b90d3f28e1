import { htmlToText } from './feed-text.js';
import type { FeedItem } from './feed-types.js';

/** An item as a format module reads it, before the ingest decision. */
export type ItemDraft = {
  title: string;
  link: string | null;
  /** Why a link given by the feed could not be used (not http(s), unparsable). */
  linkProblem?: string;
  guid: string | null;
  published: string | null;
  contentHtml: string | null;
  summary: string | null;
  author: string | null;
};

/** `href` made absolute against `base`; only http(s) counts as an article link. */
export function resolveLink(
  href: string | undefined | null,
  base: string,
): { url: string } | { problem: string } | null {
  const h = href?.trim();
  if (!h) return null;
  let url: URL;
  try {
    url = base ? new URL(h, base) : new URL(h);
  } catch {
    return { problem: `link ${JSON.stringify(h.slice(0, 200))} is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `link ${JSON.stringify(h.slice(0, 200))} is not http(s)` };
  return { url: url.href };
}

export function resolvedUrl(href: string | undefined | null, base: string): string | null {
  const r = resolveLink(href, base);
  return r && 'url' in r ? r.url : null;
}

export function nonEmpty(value: string | undefined | null): string | null {
  const s = value?.trim();
  return s ? s : null;
}

function hasText(d: Pick<ItemDraft, 'contentHtml' | 'summary'>): boolean {
  return htmlToText(d.contentHtml ?? '') !== '' || htmlToText(d.summary ?? '') !== '';
}

/**
 * Decides, in document order, how each item is ingested: from its page when
 * it has a link, from its own text when it has none but carries text, and
 * otherwise not at all — with the reason. An item repeating an earlier
 * item's guid is the same story listed twice: skipped, naming the first.
 */
export function decideIngest(drafts: ItemDraft[]): FeedItem[] {
  const firstByGuid = new Map<string, number>();
  return drafts.map((d, index) => {
    const { linkProblem, ...rest } = d;
    const guid = d.guid ?? d.link;
    const item: FeedItem = { ...rest, guid, ingest: 'page' };
    const earlier = guid === null ? undefined : firstByGuid.get(guid);
    if (earlier !== undefined) return { ...item, ingest: 'skip', reason: `same guid as item ${earlier + 1}` };
    if (guid !== null) firstByGuid.set(guid, index);
    if (d.link) return item;
    const noLink = linkProblem ?? 'no link';
    if (hasText(d)) return { ...item, ingest: 'feed', reason: `${noLink}: the feed's text is the article` };
    return { ...item, ingest: 'skip', reason: `${noLink} and no text` };
  });
}

/**
 * A feed set to be trusted (fetchPages: false) is read from its own text:
 * items with a link and text are ingested from the text, the link kept as
 * the article's URL; an item without text still needs its page.
 */
export function trustFeedText(items: FeedItem[]): FeedItem[] {
  return items.map((item) =>
    item.ingest === 'page' && hasText(item)
      ? {
          ...item,
          ingest: 'feed',
          reason: "feed setting fetchPages is false: the feed's text is the article",
        }
      : item,
  );
}
