--[==[
  Commits an article's placement: indexes it and applies the clustering
  policy's plan for its neighbourhood (computed in TypeScript from what
  lsh-query.lua read), in one atomic step.

  Input:
    KEYS[1] lsh epoch
    KEYS[2] cluster seq
    KEYS[3] clusters by update
    KEYS[4] events stream
    KEYS[5] this article's hash
    KEYS[6] ref seq
    KEYS[7] refs by hour
    KEYS[8..] the shard of each band's bucket, in band order
    ARGV[1] JSON {
      id, epoch, digest,        -- what the query read (optimistic concurrency)
      vers = [[clusterId, ver]], -- the clusters it read and their versions
      publishedAt, window, now, maxLen, tokens,
      recordSize, perBlock, shards,
      keys = {cluster, members, article, block, shard},  -- {prefix, suffix}
      eventFields,              -- the event stream's field names (contract-types.ts)
      self = {to, kind, via, contains, inside},
      moves = [{id, to, kind, via, contains, inside}]  -- other pages whose placement changed
    }
      `to` is an existing cluster id or "+n", the n-th new cluster of this plan.
    ARGV[2] this article's signature record (binary)
    ARGV[3] bucket tags, 4 bytes per band (binary)

  Output:
    {'CONFLICT'} when the neighbourhood changed since the query,
    {'ASSIGNED', clusterId} when the article already has a cluster, else
    {'OK', clusterId, created, joined, {mergedFrom...}, movedJSON, representative}
]==]
--- @include "lsh-common"

local p = cjson.decode(ARGV[1])
local K = p.keys
local self_id = p.id
local now = p.now
local function cluster_key(id) return key_of(K.cluster, id) end
local function members_key(id) return key_of(K.members, id) end
local function article_key(id) return key_of(K.article, id) end
local function block_key(n) return key_of(K.block, n) end
local function shard_key(n) return key_of(K.shard, n) end
local hour = math.floor(now / 3600000)
local cutoff_hour = math.floor((now - p.window * 1000) / 3600000)
local keep_for = p.window + 3600

local assigned = redis.call('HGET', KEYS[5], 'cluster')
if assigned and assigned ~= '' then
  return {'ASSIGNED', assigned}
end

local lowest = min_ref(KEYS[7], cutoff_hour)
-- Optimistic concurrency: nothing was written anywhere since the query (fast
-- path), or at least this article's bucket refs and every cluster the plan
-- was made from are unchanged.
if (redis.call('GET', KEYS[1]) or '0') ~= p.epoch then
  if redis.sha1hex(table.concat(candidate_refs(8, ARGV[3], lowest), ',')) ~= p.digest then
    return {'CONFLICT'}
  end
  for _, v in ipairs(p.vers) do
    if (tonumber(redis.call('HGET', cluster_key(v[1]), 'ver')) or 0) ~= v[2] then
      return {'CONFLICT'}
    end
  end
end

redis.call('HSET', KEYS[5], 'tokens', p.tokens)
if #KEYS >= 8 then
  local ref = redis.call('INCR', KEYS[6])
  if ref >= 4294967296 then return redis.error_reply('dedup: LSH ref space exhausted') end
  if #redis.call('ZRANGEBYSCORE', KEYS[7], hour, hour, 'LIMIT', 0, 1) == 0 then
    redis.call('ZADD', KEYS[7], hour, ref)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', '(' .. cutoff_hour)
  redis.call('EXPIRE', KEYS[7], keep_for)
  redis.call('HSET', KEYS[5], 'ref', ref)
  -- Signature record; a new block is allocated at its full size at once, so
  -- later writes never grow (and over-allocate) it.
  local block = block_key(math.floor(ref / p.perBlock))
  if redis.call('EXISTS', block) == 0 then
    redis.call('SETRANGE', block, p.perBlock * p.recordSize - 1, '\0')
  end
  redis.call('SETRANGE', block, (ref % p.perBlock) * p.recordSize, ARGV[2])
  redis.call('EXPIRE', block, keep_for)
  -- GET + SET rather than APPEND: APPEND doubles the allocation as it grows.
  local rb = ref_bytes(ref)
  for i = 8, #KEYS do
    local t = (i - 8) * 4
    local s = redis.call('GET', KEYS[i]) or ''
    redis.call('SET', KEYS[i], s .. string.sub(ARGV[3], t + 1, t + 4) .. rb, 'EX', keep_for)
  end
  redis.call('INCR', KEYS[1])
  -- Sweep one shard of refs that left the window, round robin.
  local sweep = shard_key(ref % p.shards)
  local s = redis.call('GET', sweep)
  if s and #s >= 8 and ref_at(s, 5) < lowest then
    local kept = {}
    for q = 1, #s, 8 do
      if ref_at(s, q + 4) >= lowest then kept[#kept + 1] = string.sub(s, q, q + 7) end
    end
    if #kept == 0 then
      redis.call('DEL', sweep)
    else
      redis.call('SET', sweep, table.concat(kept), 'KEEPTTL')
    end
  end
end

--- @include "representative"

local F = p.eventFields
local function emit(kind, cid, article, merged_from, rep)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', p.maxLen, '*', F[1], kind, F[2], cid, F[3], article,
    F[4], merged_from, F[5], rep, F[6], now)
end

local new_ids, created = {}, {}
local function resolve(to)
  if string.sub(to, 1, 1) ~= '+' then return to end
  if not new_ids[to] then
    local seq = redis.call('INCR', KEYS[2])
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
redis.call('HSET', KEYS[5], 'cluster', target)
set_placement(KEYS[5], p.self)
local tt = touch(target)
tt.gained[#tt.gained + 1] = self_id

-- Sizes, versions and representatives of every cluster the plan touched;
-- emptied clusters are deleted.
local merged_from, reps = {}, {}
for _, cid in ipairs(order) do
  local t = touched[cid]
  local ck, mk = cluster_key(cid), members_key(cid)
  local size = redis.call('ZCARD', mk)
  if size == 0 then
    redis.call('DEL', ck, mk)
    redis.call('ZREM', KEYS[3], cid)
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
    redis.call('ZADD', KEYS[3], now, cid)
    reps[cid] = best.id
  end
end
table.sort(merged_from)

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
return {'OK', target, is_created, 1 - is_created, merged_from, #moved > 0 and cjson.encode(moved) or '[]', rep}
