--[==[
  Commits an article's placement: applies the clustering policy's plan for
  its neighbourhood (computed in TypeScript from what lsh-query.lua read, which
  also indexed the article), in one atomic step.

  Input:
    KEYS[1] cluster seq
    KEYS[2] clusters by update
    KEYS[3] events stream
    KEYS[4] this article's hash
    KEYS[5], KEYS[6] (optional) the page's domain's learned-boilerplate lines ZSET and
            stories HASH: its lines are counted under the cluster it goes to, in this
            step (boilerplate-count.lua; on one Redis only: on Redis Cluster they live
            in a slot of their own)
    ARGV[1] JSON {
      id, iseq,                 -- the publish sequence the query gave (0: not indexed)
      vers = [[clusterId, ver]], -- the clusters it read and their versions
      publishedAt, now, maxLen, tokens,
      retain,                   -- seconds a cluster is kept after its last change (articles.retainDays)
      keys = {cluster, members, article, story},  -- {prefix, suffix}; story only with threads
      eventFields,              -- the event stream's field names (contract-types.ts)
      self = {to, kind, via, contains, inside},
      moves = [{id, to, kind, via, contains, inside}]  -- other pages whose placement changed
    }
      `to` is an existing cluster id or "+n", the n-th new cluster of this plan.
    ARGV[2] with KEYS[6]: JSON {ttl, cap, minStories}
    ARGV[3..] with KEYS[6]: the page's line keys

  Output:
    {'CONFLICT'} when a cluster read changed since the query, or this article was
      detached (its publish sequence changed: another worker took it for gone),
    {'ASSIGNED', clusterId} when the article already has a cluster, else
    {'OK', clusterId, created, joined, {mergedFrom...}, movedJSON, representative, source}
      source: with keys.story, what thread-source.lua reads of the article's cluster,
      read here after the commit so the thread step starts without a round trip
]==]
--- @include "lsh-common"
--- @include "thread-source-read"
--- @include "boilerplate-count"

local p = cjson.decode(ARGV[1])
local K = p.keys
local self_id = p.id
local now = p.now
local function cluster_key(id) return key_of(K.cluster, id) end
local function members_key(id) return key_of(K.members, id) end
local function article_key(id) return key_of(K.article, id) end

local f = redis.call('HMGET', KEYS[4], 'cluster', 'iseq')
if f[1] and f[1] ~= '' then
  return {'ASSIGNED', f[1]}
end
-- Optimistic concurrency: still published under the same sequence, and every
-- cluster the plan was made from unchanged (lsh-query.lua says why that is enough).
if p.iseq ~= 0 and tonumber(string.match(f[2] or '', '^(%d+):')) ~= p.iseq then
  return {'CONFLICT'}
end
for _, v in ipairs(p.vers) do
  if (tonumber(redis.call('HGET', cluster_key(v[1]), 'ver')) or 0) ~= v[2] then
    return {'CONFLICT'}
  end
end

redis.call('HSET', KEYS[4], 'tokens', p.tokens)
if p.iseq ~= 0 then redis.call('HDEL', KEYS[4], 'iseq') end

--- @include "representative"

local F = p.eventFields
local function emit(kind, cid, article, merged_from, rep)
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', p.maxLen, '*', F[1], kind, F[2], cid, F[3], article,
    F[4], merged_from, F[5], rep, F[6], now)
end

local new_ids, created = {}, {}
local function resolve(to)
  if string.sub(to, 1, 1) ~= '+' then return to end
  if not new_ids[to] then
    local seq = redis.call('INCR', KEYS[1])
    local cid = 'c' .. seq
    redis.call('HSET', cluster_key(cid), 'id', cid, 'seq', seq, 'createdAt', now)
    new_ids[to] = cid
    created[cid] = true
  end
  return new_ids[to]
end

local function set_placement(key, m)
  -- kind, via, contains and inside as the plan says; '' clears a field.
  local set, del = {}, {}
  for _, f in ipairs({'kind', 'via', 'contains', 'inside'}) do
    local v = m[f] or ''
    if v ~= '' then
      set[#set + 1] = f
      set[#set + 1] = v
    else
      del[#del + 1] = f
    end
  end
  if #set > 0 then redis.call('HSET', key, unpack(set)) end
  if #del > 0 then redis.call('HDEL', key, unpack(del)) end
  -- The reverse link, for "quoted in" on the quoted stories' pages (readers
  -- re-check it against the container's own `contains`).
  for q in string.gmatch(m.contains or '', '[^,]+') do
    local qk = article_key(q)
    local list = redis.call('HGET', qk, 'quotedIn') or ''
    if not string.find(',' .. list .. ',', ',' .. m.id .. ',', 1, true) then
      redis.call('HSET', qk, 'quotedIn', list == '' and m.id or (list .. ',' .. m.id))
    end
  end
end

-- touched[cid] = {lost = a member left, gained = members that arrived}
local touched, order = {}, {}
local function touch(cid)
  if not touched[cid] then
    touched[cid] = {lost = false, gained = {}}
    order[#order + 1] = cid
  end
  return touched[cid]
end

local moved = {}
for _, m in ipairs(p.moves) do
  local akey = article_key(m.id)
  local from = redis.call('HGET', akey, 'cluster') or ''
  local to = resolve(m.to)
  if from ~= to then
    local score = (from ~= '' and redis.call('ZSCORE', members_key(from), m.id)) or now
    if from ~= '' then
      redis.call('ZREM', members_key(from), m.id)
      touch(from).lost = true
    end
    redis.call('ZADD', members_key(to), score, m.id)
    redis.call('HSET', akey, 'cluster', to)
    local t = touch(to)
    t.gained[#t.gained + 1] = m.id
    moved[#moved + 1] = {m.id, from, to}
  end
  set_placement(akey, m)
end

local target = resolve(p.self.to)
redis.call('ZADD', members_key(target), p.publishedAt, self_id)
redis.call('HSET', KEYS[4], 'cluster', target)
set_placement(KEYS[4], p.self)
local tt = touch(target)
tt.gained[#tt.gained + 1] = self_id
if KEYS[6] then count_story_lines(KEYS[5], KEYS[6], cjson.decode(ARGV[2]), target, ARGV, 3) end

-- Sizes, versions and representatives of every cluster the plan touched;
-- emptied clusters are deleted.
local merged_from, reps = {}, {}
for _, cid in ipairs(order) do
  local t = touched[cid]
  local ck, mk = cluster_key(cid), members_key(cid)
  local size = redis.call('ZCARD', mk)
  if size == 0 then
    redis.call('DEL', ck, mk)
    redis.call('ZREM', KEYS[2], cid)
    merged_from[#merged_from + 1] = cid
  else
    local best
    local old = redis.call('HGET', ck, 'representative')
    if t.lost or not old or redis.call('ZSCORE', mk, old) == false then
      best = rep_best_of(mk)
    else
      -- A total order: the best of the old representative and the newcomers.
      best = rep_rank(old, tonumber(redis.call('ZSCORE', mk, old)) or 0)
      for _, g in ipairs(t.gained) do
        local r = rep_rank(g, tonumber(redis.call('ZSCORE', mk, g)) or 0)
        if rep_better(r, best) then best = r end
      end
    end
    redis.call('HSET', ck, 'size', size, 'updatedAt', now, 'representative', best.id)
    redis.call('HINCRBY', ck, 'ver', 1)
    redis.call('EXPIRE', ck, p.retain)
    redis.call('EXPIRE', mk, p.retain)
    redis.call('ZADD', KEYS[2], now, cid)
    reps[cid] = best.id
  end
end
table.sort(merged_from)
-- clusters unchanged for the retention period expired with their keys
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - p.retain * 1000))

local rep = reps[target] or ''
local merged = table.concat(merged_from, ',')
if created[target] and #merged_from == 0 then
  emit('cluster.created', target, self_id, '', rep)
elseif #merged_from > 0 then
  emit('cluster.merged', target, self_id, merged, rep)
else
  emit('cluster.updated', target, self_id, '', rep)
end
for _, mv in ipairs(moved) do
  emit('article.moved', mv[3], mv[1], mv[2], reps[mv[3]] or '')
end
emit('article.clustered', target, self_id, merged, rep)

local is_created = created[target] and 1 or 0
local out = {'OK', target, is_created, 1 - is_created, merged_from, #moved > 0 and cjson.encode(moved) or '[]', rep}
if K.story then
  out[#out + 1] = thread_source(cluster_key(target), members_key(target), key_of(K.story, target), K.article[1], K.article[2])
end
return out
