import { firstDate } from './feed-dates.js';
import { coreChild } from './feed-extensions.js';
import { decideIngest, type ItemDraft, nonEmpty, resolvedUrl, resolveLink } from './feed-item.js';
import { untypedText } from './feed-text.js';
import type { ParsedFeed } from './feed-types.js';
import { attr, textOf, type XmlElement } from './xml-tree.js';

/**
 * Microsoft's Channel Definition Format (1997), still served by a few old
 * publishing systems: `<CHANNEL HREF>` holding `<ITEM HREF LASTMOD>` with
 * `<TITLE>` and `<ABSTRACT>`. Channels nest; their items are read in order.
 */

function draft(item: XmlElement): ItemDraft {
  const r = resolveLink(attr(item, 'href'), item.base);
  const title = nonEmpty(textOf(coreChild(item, 'title')));
  return {
    title: title ? untypedText(title) : '',
    link: r && 'url' in r ? r.url : null,
    ...(r && 'problem' in r ? { linkProblem: r.problem } : {}),
    guid: null,
    published: firstDate(attr(item, 'lastmod')),
    contentHtml: null,
    summary: nonEmpty(textOf(coreChild(item, 'abstract'))),
    author: null,
  };
}

function itemsOf(channel: XmlElement): XmlElement[] {
  return channel.children.flatMap((c) => {
    if (typeof c === 'string') return [];
    const local = c.local.toLowerCase();
    return local === 'item' ? [c] : local === 'channel' ? itemsOf(c) : [];
  });
}

export function parseCdf(root: XmlElement): ParsedFeed {
  const title = nonEmpty(textOf(coreChild(root, 'title')));
  return {
    title: title ? untypedText(title) : '',
    link: resolvedUrl(attr(root, 'href'), root.base),
    items: decideIngest(itemsOf(root).map(draft)),
    format: 'cdf',
    version: 'cdf',
    hubs: [],
  };
}
