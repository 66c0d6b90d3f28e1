/**
 * The words of class and id names that say what an element is, defined once for their
 * readers: the noise filter (structural-noise.ts) drops what a noise word names, the
 * container search (main-content.ts) weighs candidates up by article words and down by
 * noise words, and metadata (page-index.ts) finds the byline by its words. Whole words
 * only (see hintWords in dom.ts).
 */

/** Words that name the article itself ("article-body", "story__text", "post-content"). */
export const ARTICLE_WORDS = new Set([
  'article',
  'articlebody',
  'body',
  'content',
  'contenu',
  'corps',
  'entry',
  'main',
  'post',
  'story',
  'text',
  'texte',
  'txt',
]);

/** Article words, and names that go with article text without naming it ("blog", "prose", "chapo"). */
export const POSITIVE_WORDS = new Set([
  ...ARTICLE_WORDS,
  'blog',
  'chapo',
  'chapeau',
  'hentry',
  'prose',
  'page',
]);

/** Share bars and links to social networks. */
export const SHARING_WORDS = new Set([
  'share',
  'shares',
  'sharing',
  'sharebar',
  'social',
  'socials',
  'partage',
  'partager',
]);

/** Comment threads: never the article, however long. */
export const COMMENT_WORDS = new Set([
  'comment',
  'comments',
  'commentaire',
  'commentaires',
  'disqus',
  'reactions',
]);

/**
 * Words that are never used for an article wrapper, unlike "sidebar", "hidden" or
 * "author", which also show up in wrapper names ("has-sidebar", "author-jane-doe").
 */
export const STRONG_NOISE_WORDS = new Set([
  ...SHARING_WORDS,
  ...COMMENT_WORDS,
  'newsletter',
  'newsletters',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'cmp',
  'rgpd',
  'related',
  'recommended',
  'outbrain',
  'taboola',
  'breadcrumb',
  'breadcrumbs',
  'ariane',
  'ad',
  'ads',
  'advert',
  'advertisement',
  'advertising',
  'dfp',
  'pub',
  'publicite',
  'sponsor',
  'sponsored',
  'promo',
]);

/**
 * Noise words met glued to another word ("newsletterbox", "footersocial"): a class word
 * that starts or ends with one of these is read as it (see structural-noise.ts).
 */
export const GLUED_NOISE_WORDS = [
  'share',
  'social',
  'newsletter',
  'cookie',
  'consent',
  'breadcrumb',
  'sidebar',
  'advert',
  'sponsor',
  'outbrain',
  'taboola',
  'disqus',
];

/** Who wrote it: a byline's names, also read by metadata for the author. */
export const BYLINE_WORDS = new Set(['byline', 'author', 'auteur', 'signature']);

/**
 * Words of an embedded post quoted in the article ("social-media-embed", "twitter-tweet"):
 * with them, the sharing words name the quoted network, not a share bar.
 */
export const EMBED_WORDS = new Set(['embed', 'embedded', 'tweet', 'oembed']);

/** Photo credits inside a caption: the picture's, not the page's text. */
export const CREDIT_WORDS = new Set(['credit', 'credits', 'copyright', 'photographer', 'source']);

/** Layers opened over the page: a newsletter or consent prompt, or a story opened from a stream. */
export const OVERLAY_WORDS = new Set(['popin', 'popup', 'modal', 'overlay', 'lightbox']);

/** Names of what the page does not show (screen-reader text, collapsed parts). */
export const HIDDEN_WORDS = new Set(['hidden', 'hide', 'invisible']);

/** Screen-reader-only classes, whole hyphenated names (their words alone say less). */
export const HIDDEN_CLASSES = ['sr-only', 'screen-reader', 'visually-hidden', 'visuallyhidden'];

/** Whole words of class/id that name non-article parts, English and French (the strong ones included). */
export const NOISE_WORDS = new Set([
  ...STRONG_NOISE_WORDS,
  // sharing and social
  'reseaux',
  // newsletters, subscriptions, paywall prompts
  'subscribe',
  'subscription',
  'signup',
  'abonnement',
  'abonnez',
  'inscription',
  ...OVERLAY_WORDS,
  // related / recommended links
  'recommendations',
  'recirc',
  'trending',
  'popular',
  'most',
  'more',
  'lire',
  'aussi',
  'meme',
  'sujet',
  'readmore',
  'teaser',
  'teasers',
  // advertising and promotion
  'adv',
  'adverts',
  'adslot',
  'promotion',
  'marketing',
  // navigation and page chrome
  'sidebar',
  'footer',
  'nav',
  'navbar',
  'navigation',
  'menu',
  'masthead',
  'header',
  'toolbar',
  'tools',
  'outils',
  'print',
  'pagination',
  'pager',
  'skip',
  // article furniture that is not body text
  ...BYLINE_WORDS,
  'caption',
  'legende',
  'tags',
  'keywords',
  ...HIDDEN_WORDS,
  'widget',
  'banner',
  'bandeau',
  'alert',
]);

/**
 * Noise words, and layout names that only weigh a candidate down: "card", "list" or "rail"
 * around text is seldom the article, but not reason enough to drop it.
 */
export const NEGATIVE_WORDS = new Set([...NOISE_WORDS, 'meta', 'shopping', 'aside', 'rail', 'card', 'list']);
