import { loadLua } from './load-lua.js';

/**
 * The representative policy as Lua (representative.lua), shared by the dedup
 * commit and the review actions (review-actions.ts). Needs a local function
 * article_key(id) in the including script.
 */
export const REPRESENTATIVE_LUA = loadLua('representative');
