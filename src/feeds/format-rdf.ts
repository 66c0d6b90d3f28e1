import {
  coreChild,
  coreChildren,
  extensionContent,
  fallbackAuthor,
  fallbackDate,
  fallbackSummary,
  untypedTitle,
} from './feed-extensions.js';
import { decideIngest, type ItemDraft, nonEmpty, resolvedUrl, resolveLink } from './feed-item.js';
import type { ParsedFeed } from './feed-types.js';
import { NS, nsAttr, textOf, type XmlElement } from './xml-tree.js';

/**
 * RDF Site Summary: RSS 1.0 and its ancestor RSS 0.90 (`<rdf:RDF>`). Items
 * are children of the root, beside the channel; dates and authors come from
 * Dublin Core, full text from content:encoded.
 */

function draft(item: XmlElement): ItemDraft {
  const about = nonEmpty(nsAttr(item, NS.rdf, 'about'));
  const linkEl = coreChild(item, 'link');
  const own = resolveLink(textOf(linkEl), linkEl?.base ?? item.base);
  const fromAbout = own && 'url' in own ? null : resolvedUrl(about, item.base);
  const link = own && 'url' in own ? own.url : fromAbout;
  const problem = !link && own && 'problem' in own ? own.problem : undefined;
  return {
    title: untypedTitle(item),
    link,
    ...(problem ? { linkProblem: problem } : {}),
    guid: about,
    published: fallbackDate(item),
    contentHtml: extensionContent(item),
    summary: nonEmpty(textOf(coreChild(item, 'description'))) ?? fallbackSummary(item),
    author: fallbackAuthor(item),
  };
}

export function parseRdf(root: XmlElement): ParsedFeed {
  const channel = coreChild(root, 'channel');
  // Items belong beside the channel; a few feeds nest them inside it.
  const items = [...coreChildren(root, 'item'), ...(channel ? coreChildren(channel, 'item') : [])];
  const linkEl = channel && coreChild(channel, 'link');
  const is090 = root.children.some((c) => typeof c !== 'string' && c.ns === NS.rss090);
  return {
    title: channel ? untypedTitle(channel) : '',
    link: linkEl ? resolvedUrl(textOf(linkEl), linkEl.base) : null,
    items: decideIngest(items.map(draft)),
    format: 'rdf',
    version: is090 ? 'rss 0.90' : 'rss 1.0',
    hubs: [],
  };
}
