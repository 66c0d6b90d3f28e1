import { firstDate } from './feed-dates.js';
import {
  atomLinks,
  coreChild,
  coreChildren,
  extensionContent,
  fallbackAuthor,
  fallbackDate,
  fallbackSummary,
  NON_ARTICLE_RELS,
  untypedTitle,
} from './feed-extensions.js';
import { decideIngest, type ItemDraft, nonEmpty, resolvedUrl, resolveLink } from './feed-item.js';
import { collapseSpace } from './feed-text.js';
import type { ParsedFeed } from './feed-types.js';
import { attr, textOf, type XmlElement } from './xml-tree.js';

/**
 * RSS 0.91, 0.92, 0.93, 0.94 and 2.0 (`<rss>`). RSS 0.90 and 1.0 are RDF
 * documents: see format-rdf.ts.
 */

/**
 * The article link: <link>, then an atom:link that is the alternate, then a
 * guid that is a permalink (isPermaLink is true by default) and an absolute
 * http(s) URL. The reason a given link is unusable is kept for the report.
 */
function link(item: XmlElement): { link: string | null; problem?: string } {
  let problem: string | undefined;
  for (const l of coreChildren(item, 'link')) {
    const r = resolveLink(textOf(l), l.base);
    if (r && 'url' in r) return { link: r.url };
    problem ??= r?.problem;
  }
  for (const l of atomLinks(item)) {
    const rel = attr(l, 'rel')?.trim().toLowerCase();
    if (rel && NON_ARTICLE_RELS.has(rel)) continue;
    const r = resolveLink(attr(l, 'href'), l.base);
    if (r && 'url' in r) return { link: r.url };
    problem ??= r?.problem;
  }
  const guid = coreChild(item, 'guid');
  if (guid && attr(guid, 'isPermaLink')?.trim().toLowerCase() !== 'false') {
    const text = textOf(guid).trim();
    if (/^https?:\/\//i.test(text)) {
      const url = resolvedUrl(text, guid.base);
      if (url) return { link: url };
    }
  }
  return problem ? { link: null, problem } : { link: null };
}

function draft(item: XmlElement): ItemDraft {
  const { link: url, problem } = link(item);
  const author = nonEmpty(textOf(coreChild(item, 'author')));
  return {
    title: untypedTitle(item),
    link: url,
    ...(problem ? { linkProblem: problem } : {}),
    guid: nonEmpty(textOf(coreChild(item, 'guid'))),
    published: firstDate(textOf(coreChild(item, 'pubdate'))) ?? fallbackDate(item),
    contentHtml: extensionContent(item),
    summary: nonEmpty(textOf(coreChild(item, 'description'))) ?? fallbackSummary(item),
    author: fallbackAuthor(item) ?? (author ? collapseSpace(author) : null),
  };
}

export function parseRss(root: XmlElement): ParsedFeed {
  const channel = coreChild(root, 'channel') ?? root;
  // Some 0.9x feeds put their items beside the channel rather than inside it.
  const items = [...coreChildren(channel, 'item'), ...(channel === root ? [] : coreChildren(root, 'item'))];
  const links = atomLinks(channel);
  const channelLink =
    resolvedUrl(textOf(coreChild(channel, 'link')), coreChild(channel, 'link')?.base ?? channel.base) ??
    resolvedUrl(
      attr(
        links.find((l) => (attr(l, 'rel') ?? 'alternate').trim().toLowerCase() === 'alternate') ?? channel,
        'href',
      ),
      channel.base,
    );
  const selfLink = links.find((l) => attr(l, 'rel')?.trim().toLowerCase() === 'self');
  const self = selfLink ? resolvedUrl(attr(selfLink, 'href'), selfLink.base) : null;
  return {
    ...(self ? { self } : {}),
    title: untypedTitle(channel),
    link: channelLink,
    items: decideIngest(items.map(draft)),
    format: 'rss',
    version: `rss ${attr(root, 'version')?.trim() || '2.0'}`,
    hubs: links
      .filter((l) => attr(l, 'rel')?.trim().toLowerCase() === 'hub')
      .map((l) => resolvedUrl(attr(l, 'href'), l.base))
      .filter((u): u is string => u !== null),
  };
}
