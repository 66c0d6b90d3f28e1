/**
 * Prompts to the reader that templates drop inside the article body: "Want more news like
 * this? Follow us and download our app", "Témoin d'un événement ? Envoyez-nous vos photos",
 * "This story is being updated. Please refresh the page". They are plain paragraphs, often
 * with no class to tell them apart, so they are told by what they say: a sentence that
 * calls on the reader (an imperative opening it, or a question to "you") in a paragraph
 * about the outlet itself (our app, the newsroom, this page). News text reports what others
 * said; it does not give its own reader orders.
 */

/** Whole words or phrases, letters outside ASCII included (\b is ASCII-only). */
const words = (alternation: string, flags = 'iu') =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation})(?![\\p{L}\\p{N}])`, flags);

/** A sentence opening on an order to the reader, English and French. */
const IMPERATIVE =
  /^(?:please\s+|pour ne rien manquer,?\s+)?(?:follow|download|subscribe|sign up|send|tell|contact|email|get in touch|refresh|reload|join|turn on|catch up|don't miss|share (?:it|this)|suivez|t[ée]l[ée]chargez|abonnez|inscrivez|envoyez|contactez|rechargez|actualisez|retrouvez|activez|rejoignez|alertez|[ée]crivez|ne manquez|partagez)(?![\p{L}\p{N}])/iu;

/** The reader addressed. */
const YOU = words('you|your|vous|vos|votre');

/** The outlet ("our", "notre rédaction") or the page itself. */
const OUTLET = words(
  'our|us|nos|notre|nous|the page|this page|la page|cette page|this (?:article|story|report)|cet article|newsdesk|newsroom|r[ée]daction',
);

/** The outlet as the owner of something offered ("our briefs", "a story for us"). */
const OURS = words('our|nos|notre|for us|pour nous');

/** "Like our briefs?": a question this short about "our" things speaks to the reader without a "you". */
const MAX_SHORT_QUESTION = 40;

/** Longer than this, a paragraph is text even when it ends on a call. */
const MAX_PROMPT_CHARS = 500;

/** Quoted speech (not a quoted label): a source asking people to come forward is news, not a prompt. */
const QUOTED = /"[^"]{40,}"|“[^“”]{40,}”|«[^«»]{40,}»/u;

/** An order to the reader, or a question to "you" about the outlet ("Vous aimez nos brèves ?"). */
function callsOnReader(sentence: string): boolean {
  if (IMPERATIVE.test(sentence)) return true;
  return (
    sentence.endsWith('?') &&
    OURS.test(sentence) &&
    (YOU.test(sentence) || sentence.length <= MAX_SHORT_QUESTION)
  );
}

export function isReaderPrompt(paragraph: string): boolean {
  if (paragraph.length > MAX_PROMPT_CHARS) return false;
  // A colon opens an order as well as a full stop does ("Our newsdesk wants to hear from you: send us…").
  // The sentences are looked at first: few paragraphs of a story open one on an order or end one
  // on a question, and the tests of the whole paragraph cost more.
  return (
    paragraph.split(/(?<=[.!?:])\s+/).some(callsOnReader) && !QUOTED.test(paragraph) && OUTLET.test(paragraph)
  );
}

/**
 * A note of the template about the page itself: "Ce direct est actualisé automatiquement",
 * "This story has been updated", "Ce live est terminé". Its subject is the page (nothing
 * between "this page" and the verb: "cet article du code pénal a été mis à jour" is news),
 * and it says only that the page changes or ended.
 */
const PAGE_NOTE =
  /^(?:this|ce|cet|cette)\s+(?:page|article|story|live(?:[\s-]?blog)?|liveblog|direct|post)\s+(?:(?:is|was|has been|will be|est|a été|sera)\s+(?:(?:being|now|regularly|automatically|désormais|régulièrement|automatiquement)\s+)?(?:updated|refreshed|actualisée?|mise? à jour|rafra[iî]chie?|terminée?|ended|closed|over)|has ended)(?![\p{L}\p{N}])[^.!?]{0,80}[.!]?$/iu;

/**
 * The page telling the reader its script did not run: "This slideshow requires JavaScript",
 * "Please enable JavaScript to view the comments", "Veuillez activer JavaScript".
 */
const SCRIPT_NOTICE =
  /^(?:this|the)\s+(?:slideshow|video|gallery|page|content|site|player|app|map|chart|form|comments?)\s+(?:requires?|needs?)\s+javascript|(?:^|please\s+|you need to\s+|you must\s+)(?:enable|turn on)\s+javascript|^javascript\s+(?:is\s+)?(?:required|disabled|must be enabled)|(?:^|veuillez\s+|merci d'|vous devez\s+)activer\s+(?:le\s+)?javascript|^activez\s+(?:le\s+)?javascript|^javascript\s+est\s+(?:requis|désactivé|nécessaire)/iu;

export function isPageNote(paragraph: string): boolean {
  return paragraph.length <= 160 && (PAGE_NOTE.test(paragraph) || SCRIPT_NOTICE.test(paragraph));
}
