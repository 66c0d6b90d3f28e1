--[==[
  Applies an editor's review plan (split, merge, representative, reviewed,
  undo; planned in src/review/cluster-decisions.ts from what it read) in one atomic step,
  after checking that nothing it was planned from has changed.

  Input:
    KEYS[1] cluster seq
    KEYS[2] clusters by update
    KEYS[3] events stream
    KEYS[4] blocked pairs
    KEYS[5] review audit stream
    KEYS[6] undo list

    ARGV[1] the plan (JSON): guards, create, members moves, set/unset fields,
            touch, block pairs, event and audit entries, undo list changes
    ARGV[2] now (ms)
    ARGV[3] events MAXLEN
    ARGV[4] 1 when the plan needs a new cluster
    ARGV[5]/[6] cluster key prefix/suffix, [7]/[8] members, [9]/[10] article
    ARGV[11] seconds a cluster is kept after its last change (articles.retainDays)
            "$NEWSEQ" / "$NEWID" in the plan become the new cluster's seq and
            id, the way the assign script names clusters ("c" .. seq).

  Output:
    {'OK', newId} | {'CONFLICT', reason}
]==]
local now = ARGV[2]
local raw = ARGV[1]
local new_id = ''
local function cluster_key(id) return ARGV[5] .. id .. ARGV[6] end
local function members_key(id) return ARGV[7] .. id .. ARGV[8] end
local function article_key(id) return ARGV[9] .. id .. ARGV[10] end
--- @include "representative"

local probe = cjson.decode(raw)
for _, g in ipairs(probe.guards) do
  if redis.call('EXISTS', cluster_key(g.cluster)) == 0 then
    return {'CONFLICT', 'cluster ' .. g.cluster .. ' no longer exists'}
  end
  if redis.call('ZCARD', members_key(g.cluster)) ~= #g.members then
    return {'CONFLICT', 'cluster ' .. g.cluster .. ' changed'}
  end
  for _, m in ipairs(g.members) do
    if not redis.call('ZSCORE', members_key(g.cluster), m) then
      return {'CONFLICT', 'cluster ' .. g.cluster .. ' changed'}
    end
  end
end
if probe.undoHead and redis.call('LINDEX', KEYS[6], 0) ~= probe.undoHead then
  return {'CONFLICT', 'the last action changed'}
end
for _, c in ipairs(probe.create) do
  if c.id ~= '$NEWID' and redis.call('EXISTS', cluster_key(c.id), members_key(c.id)) > 0 then
    return {'CONFLICT', 'cluster ' .. c.id .. ' exists again'}
  end
end

if ARGV[4] == '1' then
  local seq = redis.call('INCR', KEYS[1])
  new_id = 'c' .. seq
  raw = raw:gsub('%$NEWSEQ', tostring(seq)):gsub('%$NEWID', new_id)
end
local plan = cjson.decode(raw)

for _, c in ipairs(plan.create) do
  redis.call('HSET', cluster_key(c.id), unpack(c.fields))
end
for _, mv in ipairs(plan.moves) do
  local score = redis.call('ZSCORE', members_key(mv.from), mv.article)
  if not score then return redis.error_reply('review: ' .. mv.article .. ' left ' .. mv.from .. ' mid-script') end
  redis.call('ZREM', members_key(mv.from), mv.article)
  redis.call('ZADD', members_key(mv.to), score, mv.article)
  redis.call('HSET', article_key(mv.article), 'cluster', mv.to)
end
for _, id in ipairs(plan.del) do
  redis.call('DEL', cluster_key(id), members_key(id))
  redis.call('ZREM', KEYS[2], id)
end
for _, s in ipairs(plan.set) do
  redis.call('HSET', cluster_key(s.cluster), unpack(s.fields))
end
for _, u in ipairs(plan.unset) do
  redis.call('HDEL', cluster_key(u.cluster), unpack(u.fields))
end
for _, id in ipairs(plan.touch) do
  local mk = members_key(id)
  local rep = redis.call('HGET', cluster_key(id), 'editorRepresentative')
  if not rep or rep == '' or not redis.call('ZSCORE', mk, rep) then
    if rep then redis.call('HDEL', cluster_key(id), 'editorRepresentative') end
    local best = rep_best_of(mk)
    rep = best and best.id or ''
  end
  redis.call('HSET', cluster_key(id), 'size', redis.call('ZCARD', mk), 'updatedAt', now, 'representative', rep)
  -- the dedup commit re-checks the versions of the clusters it read
  redis.call('HINCRBY', cluster_key(id), 'ver', 1)
  redis.call('EXPIRE', cluster_key(id), ARGV[11])
  redis.call('EXPIRE', mk, ARGV[11])
  redis.call('ZADD', KEYS[2], now, id)
end
for _, p in ipairs(plan.blockAdd) do redis.call('SADD', KEYS[4], p) end
for _, p in ipairs(plan.blockRem) do redis.call('SREM', KEYS[4], p) end

redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(plan.event))
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[3], '*', unpack(plan.audit))
if plan.undoRemove then redis.call('LREM', KEYS[6], 1, plan.undoRemove) end
if plan.undoPush then
  redis.call('LPUSH', KEYS[6], plan.undoPush)
  redis.call('LTRIM', KEYS[6], 0, 999)
end
return {'OK', new_id}
