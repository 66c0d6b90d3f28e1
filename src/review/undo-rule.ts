import { randomBytes } from 'node:crypto';
import { ReviewError } from './review-error.js';

/** What every undo record carries besides what its action needs to be reversed. */
export type UndoStamp = { action: string; editor: string; at: number; nonce: string };

/** An undo record as the undo list holds it (`raw`, removed by value) and as read. */
export type StoredUndo<E> = { raw: string; entry: E };

/**
 * An action's undo record as the undo list keeps it. The nonce names this one
 * action, so a page's undo button reverses what it showed and nothing newer.
 */
export function stampUndo<R extends object, X extends object>(
  record: R,
  editor: string,
  at: number,
  extra: X,
): string {
  return JSON.stringify({ ...record, editor, at, nonce: randomBytes(6).toString('hex'), ...extra });
}

/** Reads the undo list (newest first) into records. */
export function readUndoList<E>(raw: string[]): StoredUndo<E>[] {
  return raw.map((r) => ({ raw: r, entry: JSON.parse(r) as E }));
}

/**
 * What an undo list is kept for: a cluster or a thread, and the ones each
 * record touched (the pages that offer its undo).
 */
export type UndoScope<E> = {
  noun: 'cluster' | 'thread';
  touched: (entry: E) => string[];
  /** The refusal's words when a later action touched what this one did. */
  later: (undone: E, later: E, shared: string) => string;
};

/**
 * The newest action not yet undone that touched `id`, by any editor, or null.
 * It is the only one that page may undo: reversing an older one would clobber
 * what came after it.
 */
export function lastUndoOn<E>(records: StoredUndo<E>[], scope: UndoScope<E>, id: string): E | null {
  return records.find((r) => scope.touched(r.entry).includes(id))?.entry ?? null;
}

/**
 * The record an editor may undo from `id`'s page, or a refusal: it must be the
 * newest action on `id` (the nonce the page showed), the editor's own, and no
 * later action may have touched anything else it changed — so an editor undoes
 * exactly what their page said it would, never a colleague's action elsewhere.
 */
export function undoableOn<E extends UndoStamp>(
  records: StoredUndo<E>[],
  scope: UndoScope<E>,
  id: string,
  nonce: string,
  editor: string,
): StoredUndo<E> {
  const at = records.findIndex((r) => scope.touched(r.entry).includes(id));
  const found = records[at];
  if (!found) throw new ReviewError(`review: nothing to undo on ${scope.noun} ${id}`, 'invalid');
  const u = found.entry;
  if (u.nonce !== nonce)
    throw new ReviewError(
      `review: ${scope.noun} ${id} changed since this page was shown (last: ${u.action} by ${u.editor}); nothing was undone, reload`,
      'conflict',
    );
  if (u.editor !== editor)
    throw new ReviewError(`review: only ${u.editor} can undo their ${u.action}`, 'conflict');
  const mine = scope.touched(u);
  for (const r of records.slice(0, at)) {
    const shared = scope.touched(r.entry).find((c) => mine.includes(c));
    if (shared !== undefined) throw new ReviewError(scope.later(u, r.entry, shared), 'conflict');
  }
  return found;
}
