import { FeedParseError, type ParsedFeed } from './feed-types.js';
import { parseAtom } from './format-atom.js';
import { parseCdf } from './format-cdf.js';
import { parseJsonFeed } from './format-json-feed.js';
import { parseSitemap } from './format-news-sitemap.js';
import { parseRdf } from './format-rdf.js';
import { parseRss } from './format-rss.js';
import { repairEntities, stripDoctype } from './xml-repair.js';
import { findRootElement, localName } from './xml-scan.js';
import { parseXmlTree, type XmlElement, XmlSyntaxError } from './xml-tree.js';

export type { FeedFormat, FeedItem, Ingest, ParsedFeed } from './feed-types.js';
export { FeedParseError } from './feed-types.js';

/**
 * The one entry to feed parsing, as Miniflux's parser.ParseFeed: the content
 * decides the format (JSON or XML, then the root element), each format has
 * its module, and they all answer with the same ParsedFeed.
 */

const JSON_TYPES = /^\s*application\/(?:feed\+json|json)\b/i;

type XmlFormat = (root: XmlElement) => ParsedFeed;

const XML_FORMATS: Record<string, XmlFormat> = {
  rss: parseRss,
  feed: parseAtom,
  rdf: parseRdf,
  urlset: parseSitemap,
  sitemapindex: parseSitemap,
  channel: parseCdf,
};

/** Whether a root element (its local name, lowercased) is one of a format this module reads. */
export function isFeedRoot(local: string): boolean {
  return Object.hasOwn(XML_FORMATS, local);
}

/** Whether `text` is JSON rather than XML: its first character, or failing that the server's type. */
export function looksLikeJson(text: string, contentType?: string): boolean {
  const first = /\S/.exec(text.slice(0, 1024))?.[0];
  if (first === '{' || first === '[') return true;
  return first !== '<' && JSON_TYPES.test(contentType ?? '');
}

function xmlFormatFor(text: string): XmlFormat {
  const root = findRootElement(text);
  if (!root) throw new FeedParseError('no root element found, not an XML feed');
  const local = localName(root.name);
  if (local === 'html' || root.doctype?.toLowerCase() === 'html')
    throw new FeedParseError('this resource is an HTML page, not a feed');
  const format = XML_FORMATS[local];
  if (!format)
    throw new FeedParseError(`root element <${root.name}> is not RSS, Atom, RDF, CDF or a sitemap`);
  return format;
}

function parseXml(xml: string, feedUrl: string): XmlElement {
  const cleaned = stripDoctype(xml);
  try {
    return parseXmlTree(cleaned, feedUrl);
  } catch (first) {
    if (!(first instanceof XmlSyntaxError)) throw first;
    const malformed = () => new FeedParseError(`malformed feed XML: ${first.message}`, { cause: first });
    // Only repair when strict parsing fails: valid XML comes through untouched, and a repair
    // that changes nothing would fail the same way at the cost of a second parse.
    const repaired = repairEntities(cleaned);
    if (repaired === cleaned) throw malformed();
    try {
      return parseXmlTree(repaired, feedUrl);
    } catch (second) {
      if (second instanceof XmlSyntaxError) throw malformed();
      throw second;
    }
  }
}

/**
 * Parses an already-decoded feed document of any supported format against
 * the URL it lives at. Every item is listed, in document order, with how it
 * is to be ingested (see decideIngest).
 */
export async function parseFeed(text: string, feedUrl: string, contentType?: string): Promise<ParsedFeed> {
  if (!URL.canParse(feedUrl)) throw new FeedParseError(`invalid feed URL ${JSON.stringify(feedUrl)}`);
  const doc = text.replace(/^\uFEFF/, '');
  if (looksLikeJson(doc, contentType)) return parseJsonFeed(doc, feedUrl, contentType);
  const format = xmlFormatFor(doc);
  return format(parseXml(doc, feedUrl));
}
