/**
 * Lua for the LSH cluster index (src/store/cluster-index.ts). Inline strings
 * rather than .lua files so the build (tsc) ships them without a copy step.
 *
 * Layout (docs/dedup.md, "Redis layout"): every indexed article gets a numeric
 * ref (INCR). Band buckets live in a fixed number of shard STRINGs, each a
 * packed array of 8-byte records (4-byte bucket tag, 4-byte big-endian ref);
 * the shard of a band bucket is a second hash of it. Signatures live in block
 * STRINGs of fixed-size records addressed by ref. A ZSET maps each hour to the
 * first ref issued in it, so "older than the window" is "ref below a cutoff",
 * checked exactly at query time; shards are swept of such refs a few at a
 * time and block keys expire.
 *
 * Key names built at run time (shards, blocks, clusters, articles) come in
 * ARGV as prefix/suffix pairs from src/store/keys.ts, so the schema has a
 * single source. With a hash-tagged prefix every such key shares the slot of
 * the declared KEYS.
 */
import { REPRESENTATIVE_LUA } from './representative-lua.js';

const COMMON = `
local function ref_bytes(ref)
  return string.char(math.floor(ref / 16777216) % 256, math.floor(ref / 65536) % 256,
    math.floor(ref / 256) % 256, ref % 256)
end

local function ref_at(s, p)
  local b1, b2, b3, b4 = string.byte(s, p, p + 3)
  return ((b1 * 256 + b2) * 256 + b3) * 256 + b4
end

-- First ref issued at or after the cutoff hour: older refs are out of the window.
local function min_ref(hours_key, cutoff_hour)
  local first = redis.call('ZRANGEBYSCORE', hours_key, cutoff_hour, '+inf', 'LIMIT', 0, 1)[1]
  if first then return tonumber(first) end
  return math.huge
end

-- Sorted, distinct refs in this article's band buckets (KEYS[first..]) that
-- are still in the window. tags holds one 4-byte bucket tag per band.
local function candidate_refs(first, tags, lowest)
  local seen, list = {}, {}
  for i = first, #KEYS do
    local s = redis.call('GET', KEYS[i])
    if s then
      local t = (i - first) * 4
      local tag = string.sub(tags, t + 1, t + 4)
      local at = 1
      while true do
        local p = string.find(s, tag, at, true)
        if not p then break end
        if (p - 1) % 8 == 0 then
          local ref = ref_at(s, p + 4)
          if ref >= lowest and not seen[ref] then
            seen[ref] = true
            list[#list + 1] = ref
          end
          at = p + 8
        else
          at = p + 1
        end
      end
    end
  end
  table.sort(list)
  return list
end
`;

/**
 * Query. KEYS: [1] lsh epoch, [2] this article's hash, [3] refs by hour,
 *   [4..] the shard of each band's bucket, in band order.
 * ARGV: [1] bucket tags (4 bytes per band), [2] cutoff hour, [3]/[4] signature
 *   block key prefix/suffix, [5] record bytes, [6] records per block.
 * Reply: {'ASSIGNED', clusterId} when the article already has a cluster, else
 *   {'OK', epoch, digest, record1, record2, ...}: the signature record of every
 *   bucket neighbour still in the window.
 */
export const LSH_QUERY_LUA = `${COMMON}
local assigned = redis.call('HGET', KEYS[2], 'cluster')
if assigned and assigned ~= '' then
  return {'ASSIGNED', assigned}
end
local epoch = redis.call('GET', KEYS[1]) or '0'
local refs = candidate_refs(4, ARGV[1], min_ref(KEYS[3], ARGV[2]))
local out = {'OK', epoch, redis.sha1hex(table.concat(refs, ','))}
local rec, per_block = tonumber(ARGV[5]), tonumber(ARGV[6])
for _, ref in ipairs(refs) do
  local block = math.floor(ref / per_block)
  local offset = (ref % per_block) * rec
  local r = redis.call('GETRANGE', ARGV[3] .. block .. ARGV[4], offset, offset + rec - 1)
  if #r == rec then out[#out + 1] = r end
end
return out
`;

/**
 * Commit. KEYS: [1] lsh epoch, [2] cluster seq, [3] clusters by update,
 *   [4] events stream, [5] blocked pairs, [6] this article's hash, [7] ref seq,
 *   [8] refs by hour, [9..] the shard of each band's bucket, in band order.
 * ARGV: [1] article id, [2] epoch read, [3] digest read, [4] signature record,
 *   [5] bucket tags, [6] publishedAt ms, [7] window seconds, [8] now ms,
 *   [9] events MAXLEN (approximate), [10]/[11] cluster key, [12]/[13] members
 *   key, [14]/[15] article key, [16]/[17] signature block key, [18]/[19] shard
 *   key (prefix/suffix pairs), [20] record bytes, [21] records per block,
 *   [22] shard count, [23] token count, [24..] ids of the candidates verified as the same story.
 * Reply: {'CONFLICT'} | {'ASSIGNED', clusterId} |
 *        {'OK', clusterId, created, joined, {mergedFrom...}, {matched ids used...}, representative}
 */
export const LSH_COMMIT_LUA = `${COMMON}
local self_id = ARGV[1]
local window = tonumber(ARGV[7])
local now = ARGV[8]
local maxlen = ARGV[9]
local function cluster_key(id) return ARGV[10] .. id .. ARGV[11] end
local function members_key(id) return ARGV[12] .. id .. ARGV[13] end
local function article_key(id) return ARGV[14] .. id .. ARGV[15] end
local function block_key(n) return ARGV[16] .. n .. ARGV[17] end
local function shard_key(n) return ARGV[18] .. n .. ARGV[19] end
local rec_size, per_block, shards = tonumber(ARGV[20]), tonumber(ARGV[21]), tonumber(ARGV[22])
local hour = math.floor(tonumber(now) / 3600000)
local cutoff_hour = math.floor((tonumber(now) - window * 1000) / 3600000)
local keep_for = window + 3600

local assigned = redis.call('HGET', KEYS[6], 'cluster')
if assigned and assigned ~= '' then
  return {'ASSIGNED', assigned}
end

local lowest = min_ref(KEYS[8], cutoff_hour)
-- Optimistic concurrency: nothing was written anywhere since the query (fast
-- path), or at least the refs in this article's buckets are the same.
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[2] then
  if redis.sha1hex(table.concat(candidate_refs(9, ARGV[5], lowest), ',')) ~= ARGV[3] then
    return {'CONFLICT'}
  end
end

redis.call('HSET', KEYS[6], 'tokens', ARGV[23])
if #KEYS >= 9 then
  local ref = redis.call('INCR', KEYS[7])
  if ref >= 4294967296 then return redis.error_reply('dedup: LSH ref space exhausted') end
  if #redis.call('ZRANGEBYSCORE', KEYS[8], hour, hour, 'LIMIT', 0, 1) == 0 then
    redis.call('ZADD', KEYS[8], hour, ref)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[8], '-inf', '(' .. cutoff_hour)
  redis.call('EXPIRE', KEYS[8], keep_for)
  redis.call('HSET', KEYS[6], 'ref', ref)
  -- Signature record; a new block is allocated at its full size at once, so
  -- later writes never grow (and over-allocate) it.
  local block = block_key(math.floor(ref / per_block))
  if redis.call('EXISTS', block) == 0 then
    redis.call('SETRANGE', block, per_block * rec_size - 1, '\\0')
  end
  redis.call('SETRANGE', block, (ref % per_block) * rec_size, ARGV[4])
  redis.call('EXPIRE', block, keep_for)
  -- GET + SET rather than APPEND: APPEND doubles the allocation as it grows.
  local rb = ref_bytes(ref)
  for i = 9, #KEYS do
    local t = (i - 9) * 4
    local s = redis.call('GET', KEYS[i]) or ''
    redis.call('SET', KEYS[i], s .. string.sub(ARGV[5], t + 1, t + 4) .. rb, 'EX', keep_for)
  end
  redis.call('INCR', KEYS[1])
  -- Sweep one shard of refs that left the window, round robin.
  local sweep = shard_key(ref % shards)
  local s = redis.call('GET', sweep)
  if s and #s >= 8 and ref_at(s, 5) < lowest then
    local kept = {}
    for p = 1, #s, 8 do
      if ref_at(s, p + 4) >= lowest then kept[#kept + 1] = string.sub(s, p, p + 7) end
    end
    if #kept == 0 then
      redis.call('DEL', sweep)
    else
      redis.call('SET', sweep, table.concat(kept), 'KEEPTTL')
    end
  end
end

-- Editors' "not the same story" decisions, checked in both orders so the
-- result does not depend on Lua's locale-sensitive string comparison.
local any_blocked = redis.call('SCARD', KEYS[5]) > 0
local function blocked(a, b)
  if not any_blocked then return false end
  return redis.call('SISMEMBER', KEYS[5], a .. '|' .. b) == 1
      or redis.call('SISMEMBER', KEYS[5], b .. '|' .. a) == 1
end
local function blocked_with_cluster(a, cid)
  if not any_blocked then return false end
  for _, m in ipairs(redis.call('ZRANGE', members_key(cid), 0, -1)) do
    if blocked(a, m) then return true end
  end
  return false
end
local function blocked_between(cid1, cid2)
  if not any_blocked then return false end
  for _, m in ipairs(redis.call('ZRANGE', members_key(cid1), 0, -1)) do
    if blocked_with_cluster(m, cid2) then return true end
  end
  return false
end

local matches, clusters, seen = {}, {}, {}
for i = 24, #ARGV do
  local m = ARGV[i]
  if m ~= self_id and not blocked(self_id, m) then
    local cid = redis.call('HGET', article_key(m), 'cluster')
    if cid and cid ~= '' and redis.call('EXISTS', cluster_key(cid)) == 1 then
      matches[#matches + 1] = {id = m, cluster = cid}
      if not seen[cid] then
        seen[cid] = true
        if not blocked_with_cluster(self_id, cid) then
          clusters[#clusters + 1] = {id = cid, seq = tonumber(redis.call('HGET', cluster_key(cid), 'seq')) or 0}
        end
      end
    end
  end
end
table.sort(clusters, function(a, b) return a.seq < b.seq end)

-- Representative (REPRESENTATIVE_LUA): a total order, so the best of the
-- old representative(s) and the newcomer is the best of the whole cluster.
${REPRESENTATIVE_LUA}
local function rank(id, cid)
  return rep_rank(id, tonumber(redis.call('ZSCORE', members_key(cid), id)) or 0)
end
local better = rep_better

local function emit(kind, cid, merged_from, rep)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', maxlen, '*', 'type', kind, 'clusterId', cid,
    'articleId', self_id, 'mergedFrom', merged_from, 'representative', rep, 'at', now)
end

local target, created, joined, merged_from, reps = nil, 0, 0, {}, {}
if #clusters == 0 then
  local seq = redis.call('INCR', KEYS[2])
  target = 'c' .. seq
  redis.call('HSET', cluster_key(target), 'id', target, 'seq', seq, 'createdAt', now)
  created = 1
else
  target = clusters[1].id
  joined = 1
  reps[#reps + 1] = redis.call('HGET', cluster_key(target), 'representative')
  -- Merge every other matched cluster into the oldest one, unless an editor
  -- split some pair across the two.
  for i = 2, #clusters do
    local other = clusters[i].id
    if not blocked_between(target, other) then
      reps[#reps + 1] = redis.call('HGET', cluster_key(other), 'representative')
      local moved = redis.call('ZRANGE', members_key(other), 0, -1, 'WITHSCORES')
      for j = 1, #moved, 2 do
        redis.call('ZADD', members_key(target), moved[j + 1], moved[j])
        redis.call('HSET', article_key(moved[j]), 'cluster', target)
      end
      redis.call('DEL', cluster_key(other), members_key(other))
      redis.call('ZREM', KEYS[3], other)
      merged_from[#merged_from + 1] = other
    end
  end
end

redis.call('ZADD', members_key(target), ARGV[6], self_id)
redis.call('HSET', KEYS[6], 'cluster', target)
local best = rank(self_id, target)
for _, r in ipairs(reps) do
  -- An editor may have split the old representative out: only members count.
  if r and r ~= '' and redis.call('ZSCORE', members_key(target), r) then
    local other = rank(r, target)
    if better(other, best) then best = other end
  end
end
redis.call('HSET', cluster_key(target), 'size', redis.call('ZCARD', members_key(target)),
  'updatedAt', now, 'representative', best.id)
redis.call('ZADD', KEYS[3], now, target)

if created == 1 then
  emit('cluster.created', target, '', best.id)
elseif #merged_from > 0 then
  emit('cluster.merged', target, table.concat(merged_from, ','), best.id)
else
  emit('cluster.updated', target, '', best.id)
end
emit('article.clustered', target, table.concat(merged_from, ','), best.id)

local accepted, used = {[target] = true}, {}
for _, cid in ipairs(merged_from) do accepted[cid] = true end
for _, match in ipairs(matches) do
  if accepted[match.cluster] then used[#used + 1] = match.id end
end
return {'OK', target, created, joined, merged_from, used, best.id}
`;
