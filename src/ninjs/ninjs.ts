import type { ArticleRecord } from '../store/articles.js';
import type { ApiThread } from '../store/contract-types.js';

/**
 * IPTC ninjs 2.4 (News in JSON) for what wiresift keeps: an article, a cluster
 * (its representative, with every other copy as an association) and a story
 * thread (its clusters as associations, in time order, each named by what it
 * is to the story). Only properties of the schema are written (it allows no
 * other), and only those wiresift knows: no rights, urgency or subjects.
 * Schema: schemas/ninjs/ninjs-schema_2.4.json.
 */
export const NINJS_SCHEMA = 'http://www.iptc.org/std/ninjs/ninjs-schema_2.4.json#';
/** The media type the API answers ninjs with (and accepts in `Accept`). */
export const NINJS_MEDIA_TYPE = 'application/ninjs+json';

type Text = { role?: string; contenttype?: string; value: string };
type InfoSource = { name?: string; role?: string; uri?: string };

export type Ninjs = {
  uri: string;
  type: 'text' | 'composite';
  representationtype: 'full' | 'partial';
  profile: string;
  version?: string;
  firstcreated?: string;
  versioncreated?: string;
  pubstatus: 'usable';
  language?: string;
  title?: string;
  by?: string;
  headlines?: Text[];
  descriptions?: Text[];
  bodies?: (Text & { wordcount?: number; charcount?: number })[];
  infosources?: InfoSource[];
  altids?: { role: string; value: string }[];
  renditions?: { name: string; href?: string; contenttype?: string; title?: string }[];
  associations?: (Ninjs & { name: string })[];
  standard?: { name: string; version: string; schema: string };
};

const STANDARD = { name: 'ninjs', version: '2.4', schema: NINJS_SCHEMA };

/** Stable identifiers for what wiresift stores (ninjs `uri` identifies the object, not a link). */
export const ninjsUri = {
  article: (id: string) => `urn:wiresift:article:${id}`,
  cluster: (id: string) => `urn:wiresift:cluster:${id}`,
  thread: (id: string) => `urn:wiresift:thread:${id}`,
};

/** An ISO date-time the schema accepts, or undefined (the source gave none, or gave nonsense). */
function dateTime(v: string | number | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  const ms = typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/** A link only when it is an absolute http(s) URL (the schema's `uri` format). */
function httpUrl(v: string | undefined): string | undefined {
  try {
    const u = new URL(v ?? '');
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    const v = o[k];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete o[k];
  }
  return o;
}

function sources(a: ArticleRecord): InfoSource[] {
  const out: InfoSource[] = [];
  if (a.outlet) out.push(compact({ name: a.outlet, role: 'publisher', uri: httpUrl(a.feedUrl) }));
  if (a.agency) out.push({ name: a.agency, role: 'originator' });
  return out;
}

/** The article as a ninjs text item; `body` null (expired) makes it a partial representation. */
export function articleNinjs(
  a: ArticleRecord,
  body: string | null,
  opts: { standard?: boolean } = {},
): Ninjs {
  const href = httpUrl(a.url);
  return compact({
    uri: ninjsUri.article(a.id),
    type: 'text',
    representationtype: body ? 'full' : 'partial',
    profile: 'wiresift-article',
    firstcreated: dateTime(a.publishedAt),
    versioncreated: dateTime(a.publishedAt) ?? dateTime(a.fetchedAt),
    pubstatus: 'usable',
    language: a.lang || undefined,
    by: a.byline || undefined,
    headlines: a.title ? [{ value: a.title }] : [],
    bodies: body
      ? [{ role: 'main', contenttype: 'text/plain', value: body, wordcount: a.words, charcount: body.length }]
      : [],
    infosources: sources(a),
    altids: [
      { role: 'wiresift-article', value: a.id },
      ...(a.cluster ? [{ role: 'wiresift-cluster', value: a.cluster }] : []),
      ...(a.canonicalUrl ? [{ role: 'canonical-url', value: a.canonicalUrl }] : []),
    ],
    renditions: href
      ? [{ name: 'web', href, contenttype: 'text/html', ...(a.title ? { title: a.title } : {}) }]
      : [],
    ...(opts.standard === false ? {} : { standard: STANDARD }),
  });
}

export type ClusterForNinjs = {
  id: string;
  thread: string | null;
  ver: string;
  updatedAt: string;
  representative: ArticleRecord;
  /** Its body, or null once expired. */
  body: string | null;
  /** The other members, in the cluster's order. */
  others: ArticleRecord[];
};

/**
 * A cluster as the ninjs of its representative copy (headline, body, credits)
 * under the cluster's own uri, each other copy an association named `copy`
 * (or `container` for a digest or live page), without its body: its own uri
 * leads to it.
 */
export function clusterNinjs(c: ClusterForNinjs, opts: { standard?: boolean } = {}): Ninjs {
  const rep = articleNinjs(c.representative, c.body, { standard: false });
  const firsts = [c.representative, ...c.others]
    .map((a) => Date.parse(a.publishedAt))
    .filter(Number.isFinite);
  return compact({
    ...rep,
    uri: ninjsUri.cluster(c.id),
    profile: 'wiresift-cluster',
    version: c.ver || undefined,
    firstcreated: firsts.length ? new Date(Math.min(...firsts)).toISOString() : rep.firstcreated,
    versioncreated: dateTime(c.updatedAt) ?? rep.versioncreated,
    altids: [
      { role: 'wiresift-cluster', value: c.id },
      { role: 'wiresift-representative', value: c.representative.id },
      ...(c.thread ? [{ role: 'wiresift-thread', value: c.thread }] : []),
    ],
    associations: c.others.map((a) => ({
      ...articleNinjs(a, null, { standard: false }),
      name: a.kind === 'container' ? 'container' : 'copy',
    })),
    ...(opts.standard === false ? {} : { standard: STANDARD }),
  });
}

/**
 * A thread as a composite item: its latest headline, and each cluster an
 * association in time order, named by its version (flash, first, full,
 * update, follow-up, other agency, original, translation, container).
 */
export function threadNinjs(t: ApiThread, opts: { standard?: boolean } = {}): Ninjs {
  return compact({
    uri: ninjsUri.thread(t.id),
    type: 'composite',
    representationtype: 'partial',
    profile: 'wiresift-thread',
    firstcreated: dateTime(t.clusters[0]?.at) ?? dateTime(t.createdAt),
    versioncreated: dateTime(t.updatedAt),
    pubstatus: 'usable',
    language: t.clusters.find((c) => c.id === t.headline?.clusterId)?.lang || undefined,
    headlines: t.headline?.title ? [{ value: t.headline.title }] : [],
    descriptions: [
      {
        role: 'timeline',
        value: t.clusters.map((c) => `${c.at} ${c.version}: ${c.representative?.title ?? c.id}`).join('\n'),
      },
    ],
    altids: [{ role: 'wiresift-thread', value: t.id }],
    associations: t.clusters.map((c) => {
      const href = httpUrl(c.representative?.url);
      return compact({
        uri: ninjsUri.cluster(c.id),
        name: c.version,
        type: 'text' as const,
        representationtype: 'partial' as const,
        profile: 'wiresift-cluster',
        firstcreated: dateTime(c.at),
        pubstatus: 'usable' as const,
        language: c.lang || undefined,
        headlines: c.representative?.title ? [{ value: c.representative.title }] : [],
        infosources: [
          ...c.outlets.map((o) => ({ name: o, role: 'publisher' })),
          ...(c.agency ? [{ name: c.agency, role: 'originator' }] : []),
        ],
        altids: [{ role: 'wiresift-cluster', value: c.id }],
        renditions: href ? [{ name: 'web', href, contenttype: 'text/html' }] : [],
      });
    }),
    ...(opts.standard === false ? {} : { standard: STANDARD }),
  });
}
