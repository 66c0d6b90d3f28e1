import type { Redis } from 'ioredis';
import type { ReviewActions, UndoEntry } from '../../review/cluster-decisions.js';
import { getArticles } from '../../store/articles.js';
import type { Keys } from '../../store/keys.js';

/** What a cluster's page offers to undo: the newest action on it, in words, before anyone clicks. */
export type UndoOffer = {
  nonce: string;
  action: UndoEntry['action'];
  editor: string;
  at: number;
  /** Only the editor who acted may undo it. */
  mine: boolean;
  /** The action, seen from this cluster ("split of “…” (Le Courrier) out into c14"). */
  what: string;
  /** What undoing it does ("it comes back into this cluster"). */
  effect: string;
};

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export async function undoOffer(
  redis: Redis,
  keys: Keys,
  actions: ReviewActions,
  clusterId: string,
  editor: string,
): Promise<UndoOffer | null> {
  const u = await actions.lastActionOn(clusterId);
  if (!u) return null;
  const ids =
    u.action === 'split' ? [u.articleId] : u.action === 'representative' && u.previous ? [u.previous] : [];
  const articles = ids.length ? await getArticles(redis, keys, ids) : new Map();
  const named = (id: string) => {
    const a = articles.get(id);
    return a ? `“${a.title || '(no title)'}” (${a.outlet || id})` : id;
  };
  const offer = { nonce: u.nonce, action: u.action, editor: u.editor, at: u.at, mine: u.editor === editor };
  switch (u.action) {
    case 'split':
      return u.clusterId === clusterId
        ? {
            ...offer,
            what: `split of ${named(u.articleId)} out into ${u.newClusterId}`,
            effect: `it comes back into this cluster and ${u.newClusterId} goes`,
          }
        : {
            ...offer,
            what: `split of ${named(u.articleId)} out of ${u.clusterId} into this cluster`,
            effect: `it goes back into ${u.clusterId} and this cluster goes`,
          };
    case 'merge': {
      const n = u.sourceMembers.length;
      const articles = `${n} article${n === 1 ? '' : 's'}`;
      return {
        ...offer,
        what: `merge of ${u.sourceId} (${articles}) into this cluster`,
        effect: `${u.sourceId} comes back with its ${articles}`,
      };
    }
    case 'representative':
      return {
        ...offer,
        what: 'choice of representative',
        effect: `the representative goes back to ${u.previous ? named(u.previous) : 'the automatic choice'}`,
      };
    case 'reviewed': {
      const [, at, , by] = u.previous;
      return {
        ...offer,
        what: 'review mark',
        effect: at ? `back to reviewed by ${by || '?'} at ${utc(Number(at))}` : 'back to not reviewed',
      };
    }
  }
}
