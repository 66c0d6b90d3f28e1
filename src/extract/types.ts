import type { MarkupLimits } from './strip-inert.js';

export type ExtractStatus = 'ok' | 'empty' | 'failed';

/** Per-domain override: CSS selectors. */
export type SiteRule = { body?: string; remove?: string[] };

export type ExtractOptions = {
  url?: string;
  /** Boilerplate phrases of every configured language. */
  boilerplate: string[];
  /** Key: hostname; a rule matches that host and its subdomains. */
  siteRules?: Record<string, SiteRule>;
  /** Extra exact lines learned for this domain. */
  learnedBoilerplate?: string[];
  /** Bounds on the element tree (depth, element count); defaults in strip-inert.ts. */
  limits?: MarkupLimits;
};

export type ExtractedArticle = {
  status: ExtractStatus;
  reason?: string;
  title: string | null;
  /** Paragraphs joined by "\n\n". */
  text: string;
  byline: string | null;
  /** ISO 8601 UTC. */
  publishedAt: string | null;
  updatedAt: string | null;
  /** 'fr' | 'en' | ... */
  lang: string | null;
  /** 'AFP' | 'Reuters' | 'AP' | ... */
  agency: string | null;
  /** Place, date and credit opening a wire dispatch: "PARIS, 13 sept 2024 (AFP)"; kept in `text` too. */
  dateline?: string | null;
  /** The body was cut at articles.maxBodyChars. */
  truncated?: boolean;
};
