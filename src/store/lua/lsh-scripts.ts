/**
 * Lua for the LSH cluster index (src/store/cluster-index.ts). Inline strings
 * rather than .lua files so the build (tsc) ships them without a copy step.
 *
 * Key names the scripts build at run time (candidate signatures, other
 * articles, clusters) come in ARGV as prefix/suffix pairs taken from
 * src/store/keys.ts, so the schema has a single source. With a hash-tagged
 * prefix every such key shares the slot of the declared KEYS.
 */

/**
 * Digest of "who is in my buckets": SHA-1 of the sorted union of the members
 * of KEYS[first..#KEYS], minus the article itself. The commit script compares
 * it with the digest the query saw, so a write into any of this article's
 * buckets in between is detected exactly, without a per-bucket epoch key.
 */
const BUCKET_DIGEST = `
local function bucket_members(first, self_id)
  local seen, list = {}, {}
  for i = first, #KEYS do
    local members = redis.call('SMEMBERS', KEYS[i])
    for _, m in ipairs(members) do
      if m ~= self_id and not seen[m] then
        seen[m] = true
        list[#list + 1] = m
      end
    end
  end
  table.sort(list)
  return list
end
`;

/**
 * Query. KEYS: [1] lsh epoch, [2] this article's hash, [3..] its band buckets.
 * ARGV: [1] article id, [2] sig key prefix, [3] sig key suffix,
 *       [4] article key prefix, [5] article key suffix.
 * Reply: {'ASSIGNED', clusterId} when the article already has a cluster, else
 *        {'OK', epoch, digest, id1, sig1, shingles1, tokens1, id2, ...} for every
 *        bucket neighbour whose signature has not expired.
 */
export const LSH_QUERY_LUA = `${BUCKET_DIGEST}
local self_id = ARGV[1]
local assigned = redis.call('HGET', KEYS[2], 'cluster')
if assigned and assigned ~= '' then
  return {'ASSIGNED', assigned}
end
local epoch = redis.call('GET', KEYS[1]) or '0'
local members = bucket_members(3, self_id)
local out = {'OK', epoch, redis.sha1hex(table.concat(members, '\\n'))}
for _, m in ipairs(members) do
  local sig = redis.call('GET', ARGV[2] .. m .. ARGV[3])
  if sig then
    local sizes = redis.call('HMGET', ARGV[4] .. m .. ARGV[5], 'shingles', 'tokens')
    out[#out + 1] = m
    out[#out + 1] = sig
    out[#out + 1] = sizes[1] or '0'
    out[#out + 1] = sizes[2] or '0'
  end
end
return out
`;

/**
 * Commit. KEYS: [1] lsh epoch, [2] cluster seq, [3] clusters by update,
 *   [4] events stream, [5] blocked pairs, [6] this article's hash,
 *   [7] its signature key, [8..] its band buckets.
 * ARGV: [1] article id, [2] epoch read, [3] digest read, [4] signature bytes,
 *   [5] shingle count, [6] token count, [7] publishedAt ms, [8] ttl seconds,
 *   [9] now ms, [10] events MAXLEN (approximate), [11]/[12] cluster key
 *   prefix/suffix, [13]/[14] members key prefix/suffix, [15]/[16] article key
 *   prefix/suffix, [17..] ids of the candidates verified as the same story.
 * Reply: {'CONFLICT'} | {'ASSIGNED', clusterId} |
 *        {'OK', clusterId, created, joined, {mergedFrom...}, {matched ids used...}}
 */
export const LSH_COMMIT_LUA = `${BUCKET_DIGEST}
local self_id = ARGV[1]
local ttl = ARGV[8]
local now = ARGV[9]
local maxlen = ARGV[10]
local function cluster_key(id) return ARGV[11] .. id .. ARGV[12] end
local function members_key(id) return ARGV[13] .. id .. ARGV[14] end
local function article_key(id) return ARGV[15] .. id .. ARGV[16] end

local assigned = redis.call('HGET', KEYS[6], 'cluster')
if assigned and assigned ~= '' then
  return {'ASSIGNED', assigned}
end

-- Optimistic concurrency: nothing was written anywhere since the query (fast
-- path), or at least nothing new landed in this article's buckets.
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[2] then
  if redis.sha1hex(table.concat(bucket_members(8, self_id), '\\n')) ~= ARGV[3] then
    return {'CONFLICT'}
  end
end

redis.call('SET', KEYS[7], ARGV[4], 'EX', ttl)
redis.call('HSET', KEYS[6], 'shingles', ARGV[5], 'tokens', ARGV[6])
for i = 8, #KEYS do
  redis.call('SADD', KEYS[i], self_id)
  redis.call('EXPIRE', KEYS[i], ttl)
end
if #KEYS >= 8 then redis.call('INCR', KEYS[1]) end

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
for i = 17, #ARGV do
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

local function emit(kind, cid, merged_from)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', maxlen, '*', 'type', kind, 'clusterId', cid,
    'articleId', self_id, 'mergedFrom', merged_from, 'at', now)
end

local target, created, joined, merged_from = nil, 0, 0, {}
if #clusters == 0 then
  local seq = redis.call('INCR', KEYS[2])
  target = 'c' .. seq
  redis.call('HSET', cluster_key(target), 'id', target, 'seq', seq, 'createdAt', now)
  created = 1
else
  target = clusters[1].id
  joined = 1
  -- Merge every other matched cluster into the oldest one, unless an editor
  -- split some pair across the two.
  for i = 2, #clusters do
    local other = clusters[i].id
    if not blocked_between(target, other) then
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

redis.call('ZADD', members_key(target), ARGV[7], self_id)
redis.call('HSET', KEYS[6], 'cluster', target)
local representative = redis.call('ZRANGE', members_key(target), 0, 0)[1]
redis.call('HSET', cluster_key(target), 'size', redis.call('ZCARD', members_key(target)),
  'updatedAt', now, 'representative', representative)
redis.call('ZADD', KEYS[3], now, target)

if created == 1 then
  emit('cluster.created', target, '')
elseif #merged_from > 0 then
  emit('cluster.merged', target, table.concat(merged_from, ','))
else
  emit('cluster.updated', target, '')
end
emit('article.clustered', target, table.concat(merged_from, ','))

local accepted, used = {[target] = true}, {}
for _, cid in ipairs(merged_from) do accepted[cid] = true end
for _, match in ipairs(matches) do
  if accepted[match.cluster] then used[#used + 1] = match.id end
end
return {'OK', target, created, joined, merged_from, used}
`;
