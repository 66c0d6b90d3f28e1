--[==[
  The representative policy, shared by the dedup commit and the review
  actions, so a split or merge picks the representative the way clustering
  does: the earliest agency copy, else the most complete (most tokens, then
  earliest), ties by id. Containers (digests, live pages) come last. A total
  order, so the best of any subset's best and a newcomer is the best of the
  whole. Needs a local function article_key(id) in the including script.
]==]
local function rep_rank(id, at)
  local f = redis.call('HMGET', article_key(id), 'agency', 'tokens', 'kind')
  return {id = id, agency = (f[1] or '') ~= '', tokens = tonumber(f[2]) or 0, at = at,
    container = (f[3] or '') ~= ''}
end
local function rep_better(a, b)
  if a.container ~= b.container then return b.container end
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
