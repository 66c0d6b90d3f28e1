--[==[
  Commits a cluster's thread step: stores the cluster's story and indexes
  its facts, then applies the thread policy's plan for its neighbourhood
  (computed in TypeScript from what thread-query.lua read), in one atomic
  step, with the events.

  Input:
    KEYS[1] thread epoch
    KEYS[2] thread seq
    KEYS[3] threads by update
    KEYS[4] events stream
    ARGV[1] JSON {
      id, epoch, digest, terms, since,  -- what the query read (optimistic concurrency)
      ver,                              -- the cluster's own `ver` when its story was read
      guards = {threads = [[id, ver]], stories = [[clusterId, v]]},
      story = {at, container, quotes, src, terms = [hex], stale = [hex]} | false,
      assign = [[clusterId, thread]],   -- thread: an id, "+n" (the n-th new thread of this plan) or "" (none)
      roundups = [clusterId],           -- clusters newly found to be roundups (they stay so)
      gone = [clusterId],               -- clusters that no longer exist
      merged = [[into, from]],          -- threads folded into another
      now, window, maxPostings, maxLen, eventFields,
      keys = {cluster, story, storyTerm, thread, threadClusters}   -- {prefix, suffix}
    }
    ARGV[2] the cluster's story profile (binary), when `story` is given

  Output:
    {'CONFLICT', reason} when what the plan was made from changed, else
    {'OK', resultJSON}: {thread, created = [ids], merged = [[into, from]], updated = [ids], dissolved = [ids]}
]==]
local p = cjson.decode(ARGV[1])
local K = p.keys
local function key_of(t, id) return t[1] .. id .. t[2] end
local now = p.now
local keep_for = p.window + 3600

local cluster_key = key_of(K.cluster, p.id)
if redis.call('EXISTS', cluster_key) == 0 and #p.gone == 0 then
  return {'CONFLICT', 'cluster ' .. p.id .. ' no longer exists'}
end
if (redis.call('HGET', cluster_key, 'ver') or '') ~= p.ver then
  return {'CONFLICT', 'cluster ' .. p.id .. ' changed'}
end
-- Optimistic concurrency: no thread commit since the query (fast path), or at
-- least the postings, threads and stories the plan was made from are unchanged.
if (redis.call('GET', KEYS[1]) or '0') ~= p.epoch then
  local seen = {}
  for _, key in ipairs(p.terms) do
    table.insert(seen, table.concat(redis.call('ZRANGEBYSCORE', key, p.since, '+inf'), ','))
  end
  if redis.sha1hex(table.concat(seen, ';')) ~= p.digest then return {'CONFLICT', 'postings changed'} end
  for _, g in ipairs(p.guards.threads) do
    if (redis.call('HGET', key_of(K.thread, g[1]), 'ver') or '') ~= g[2] then
      return {'CONFLICT', 'thread ' .. g[1] .. ' changed'}
    end
  end
  for _, g in ipairs(p.guards.stories) do
    if (redis.call('HGET', key_of(K.story, g[1]), 'v') or '') ~= g[2] then
      return {'CONFLICT', 'story ' .. g[1] .. ' changed'}
    end
  end
end

local story_key = key_of(K.story, p.id)
if p.story then
  local s = p.story
  local was = redis.call('HGET', story_key, 'src')
  redis.call('HSET', story_key, 'profile', ARGV[2], 'at', s.at, 'container', s.container,
    'quotes', s.quotes, 'src', s.src, 'terms', table.concat(s.terms, ','))
  -- A story read anew is judged anew.
  if was ~= s.src then redis.call('HDEL', story_key, 'roundup') end
  redis.call('HINCRBY', story_key, 'v', 1)
  redis.call('EXPIRE', story_key, keep_for)
  for _, t in ipairs(s.stale) do redis.call('ZREM', key_of(K.storyTerm, t), p.id) end
  for _, t in ipairs(s.terms) do
    local tk = key_of(K.storyTerm, t)
    redis.call('ZADD', tk, now, p.id)
    redis.call('ZREMRANGEBYSCORE', tk, '-inf', '(' .. (now - p.window * 1000))
    -- A fact held by more clusters than this says little: the latest are enough.
    redis.call('ZREMRANGEBYRANK', tk, 0, -(p.maxPostings + 1))
    redis.call('EXPIRE', tk, keep_for)
  end
end

local fresh = {}
local created = {}
local function thread_id(t)
  if string.sub(t, 1, 1) ~= '+' then return t end
  if not fresh[t] then
    local seq = redis.call('INCR', KEYS[2])
    fresh[t] = 't' .. seq
    redis.call('HSET', key_of(K.thread, fresh[t]), 'id', fresh[t], 'seq', seq, 'createdAt', now)
    table.insert(created, fresh[t])
  end
  return fresh[t]
end

local touched = {}
local touched_order = {}
local function touch(t)
  if t ~= '' and not touched[t] then
    touched[t] = true
    table.insert(touched_order, t)
  end
end

local function leave(c)
  local old = redis.call('HGET', key_of(K.story, c), 'thread') or ''
  if old ~= '' then
    redis.call('ZREM', key_of(K.threadClusters, old), c)
    touch(old)
  end
  return old
end

for _, c in ipairs(p.roundups) do
  if redis.call('EXISTS', key_of(K.story, c)) == 1 then redis.call('HSET', key_of(K.story, c), 'roundup', '1') end
end

for _, c in ipairs(p.gone) do
  leave(c)
  local sk = key_of(K.story, c)
  for t in string.gmatch(redis.call('HGET', sk, 'terms') or '', '[^,]+') do
    redis.call('ZREM', key_of(K.storyTerm, t), c)
  end
  redis.call('DEL', sk)
end

for _, a in ipairs(p.assign) do
  local c = a[1]
  local sk = key_of(K.story, c)
  local ck = key_of(K.cluster, c)
  leave(c)
  local t = a[2] ~= '' and thread_id(a[2]) or ''
  if t ~= '' and redis.call('EXISTS', ck) == 1 then
    local at = tonumber(redis.call('HGET', sk, 'at')) or now
    redis.call('ZADD', key_of(K.threadClusters, t), at, c)
    redis.call('HSET', ck, 'thread', t)
    redis.call('HSET', sk, 'thread', t)
    touch(t)
  else
    redis.call('HDEL', ck, 'thread')
    if redis.call('EXISTS', sk) == 1 then redis.call('HSET', sk, 'thread', '') end
  end
end

local merged_into = {}
local merged = {}
for _, m in ipairs(p.merged) do
  local into = thread_id(m[1])
  merged_into[m[2]] = into
  table.insert(merged, {into, m[2]})
end

-- A thread links two clusters or more: one left alone is in no thread.
local updated = {}
local dissolved = {}
local is_new = {}
for _, t in ipairs(created) do is_new[t] = true end
for _, t in ipairs(touched_order) do
  local tk = key_of(K.threadClusters, t)
  local size = redis.call('ZCARD', tk)
  if size < 2 then
    for _, c in ipairs(redis.call('ZRANGE', tk, 0, -1)) do
      redis.call('HDEL', key_of(K.cluster, c), 'thread')
      if redis.call('EXISTS', key_of(K.story, c)) == 1 then redis.call('HSET', key_of(K.story, c), 'thread', '') end
    end
    redis.call('DEL', tk, key_of(K.thread, t))
    redis.call('ZREM', KEYS[3], t)
    if not is_new[t] and not merged_into[t] then table.insert(dissolved, t) end
  else
    redis.call('HSET', key_of(K.thread, t), 'size', size, 'updatedAt', now)
    redis.call('HINCRBY', key_of(K.thread, t), 'ver', 1)
    redis.call('ZADD', KEYS[3], now, t)
    if not is_new[t] then table.insert(updated, t) end
  end
end

-- Events, in the stream's field order (contract-types.ts), then threadId.
local function event(type, thread, merged_from)
  local values = {type = type, clusterId = p.id, articleId = '', mergedFrom = merged_from,
    representative = '', at = tostring(now)}
  local e = {}
  for _, f in ipairs(p.eventFields) do
    table.insert(e, f)
    table.insert(e, values[f] or '')
  end
  table.insert(e, 'threadId')
  table.insert(e, thread)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', p.maxLen, '*', unpack(e))
end
local alive = {}
for _, t in ipairs(created) do
  if redis.call('EXISTS', key_of(K.thread, t)) == 1 then
    alive[t] = true
    event('thread.created', t, '')
  end
end
local froms = {}
local intos = {}
for _, m in ipairs(merged) do
  if not froms[m[1]] then table.insert(intos, m[1]) end
  froms[m[1]] = froms[m[1]] and (froms[m[1]] .. ',' .. m[2]) or m[2]
end
for _, into in ipairs(intos) do
  if redis.call('EXISTS', key_of(K.thread, into)) == 1 then event('thread.merged', into, froms[into]) end
end
for _, t in ipairs(updated) do
  if not froms[t] then event('thread.updated', t, '') end
end
for _, t in ipairs(dissolved) do event('thread.updated', t, '') end

redis.call('INCR', KEYS[1])
local now_thread = redis.call('HGET', cluster_key, 'thread') or ''
local created_alive = {}
for _, t in ipairs(created) do
  if alive[t] then table.insert(created_alive, t) end
end
return {'OK', cjson.encode({thread = now_thread, created = created_alive, merged = merged,
  updated = updated, dissolved = dissolved})}
