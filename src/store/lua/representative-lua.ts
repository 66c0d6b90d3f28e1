/**
 * The representative policy as Lua, shared by the dedup commit (lsh-scripts.ts)
 * and the review actions (review-actions.ts), so a split or merge picks the
 * representative the way clustering does: the earliest agency copy, else the
 * most complete (most tokens, then earliest), ties by id. A total order, so
 * the best of any subset's best and a newcomer is the best of the whole.
 * Needs a local function article_key(id) in the including script.
 */
export const REPRESENTATIVE_LUA = `
local function rep_rank(id, at)
  local f = redis.call('HMGET', article_key(id), 'agency', 'tokens')
  return {id = id, agency = (f[1] or '') ~= '', tokens = tonumber(f[2]) or 0, at = at}
end
local function rep_better(a, b)
  if a.agency ~= b.agency then return a.agency end
  if not a.agency and a.tokens ~= b.tokens then return a.tokens > b.tokens end
  if a.at ~= b.at then return a.at < b.at end
  return a.id < b.id
end
-- The best member of a members ZSET (scores: published ms), or nil when empty.
local function rep_best_of(members_zset)
  local m = redis.call('ZRANGE', members_zset, 0, -1, 'WITHSCORES')
  local best = nil
  for j = 1, #m, 2 do
    local r = rep_rank(m[j], tonumber(m[j + 1]) or 0)
    if not best or rep_better(r, best) then best = r end
  end
  return best
end
`;
