--[==[
  Reads an article's neighbourhood for the clustering policy: its LSH bucket
  neighbours in the window, and the other members of their clusters, each
  with its signature record and placement.

  Input:
    KEYS[1] lsh epoch
    KEYS[2] this article's hash
    KEYS[3] refs by hour (the time window)
    KEYS[4] blocked pairs (editors' "not the same story")
    KEYS[5..] the shard of each band's bucket, in band order
    ARGV[1] JSON {
      cutoffHour,            -- refs issued before this hour are out of the window
      recordSize, perBlock,  -- signature record bytes, records per block string
      maxClusters,           -- neighbour clusters read whole (the rest: neighbours only)
      maxMembers,            -- members read per cluster (most recent first)
      maxBlocked,            -- blocked pairs returned at most
      keys = {cluster, members, article, block}  -- {prefix, suffix} of run-time keys
    }
    ARGV[2] bucket tags, 4 bytes per band (binary)

  Output:
    {'ASSIGNED', clusterId} when the article already has a cluster, else
    {'OK', epoch, digest, clustersJSON, blockedJSON, rec1, meta1, rec2, meta2, ...}
      digest       SHA-1 of this article's bucket refs (the commit re-checks it)
      clustersJSON [[clusterId, ver, seq], ...] of every cluster read
      blockedJSON  ["a|b", ...] (empty when no pair is blocked)
      meta         JSON [clusterId, kind, via, role, contains, inside]: role 1 a bucket
                   neighbour, 0 a member of a cluster read whole, 2 evidence only
]==]
--- @include "lsh-common"

local p = cjson.decode(ARGV[1])
local assigned = redis.call('HGET', KEYS[2], 'cluster')
if assigned and assigned ~= '' then
  return {'ASSIGNED', assigned}
end
local epoch = redis.call('GET', KEYS[1]) or '0'
local lowest = min_ref(KEYS[3], p.cutoffHour)
local refs = candidate_refs(5, ARGV[2], lowest)
local out = {'OK', epoch, redis.sha1hex(table.concat(refs, ','))}
local rec, per_block = p.recordSize, p.perBlock
local K = p.keys

local function record_of(ref)
  local block = math.floor(ref / per_block)
  local offset = (ref % per_block) * rec
  local r = redis.call('GETRANGE', key_of(K.block, block), offset, offset + rec - 1)
  if #r == rec then return r end
  return nil
end

local records, metas, seen_ids, evidence = {}, {}, {}, {}
local clusters, cluster_list = {}, {}
local function add(r, neighbour)
  local id = string.sub(r, 6, 5 + string.byte(r, 5))
  if seen_ids[id] then return nil end
  seen_ids[id] = true
  local f = redis.call('HMGET', key_of(K.article, id), 'cluster', 'kind', 'via', 'contains', 'inside')
  local cid = f[1] or ''
  records[#records + 1] = r
  metas[#metas + 1] = cjson.encode({cid, f[2] or '', f[3] or '', neighbour, f[4] or '', f[5] or ''})
  if f[5] and f[5] ~= '' then evidence[#evidence + 1] = f[5] end
  if cid ~= '' and not clusters[cid] then
    clusters[cid] = true
    cluster_list[#cluster_list + 1] = cid
  end
  return id
end

for _, ref in ipairs(refs) do
  local r = record_of(ref)
  if r then add(r, 1) end
end

-- A page by id, when it is still indexed inside the window and not read yet.
local function add_member(m, neighbour)
  if seen_ids[m] then return end
  local ref = tonumber(redis.call('HGET', key_of(K.article, m), 'ref'))
  if ref and ref >= lowest then
    local r = record_of(ref)
    if r then add(r, neighbour) end
  end
end

-- The other members of the neighbours' clusters: the policy places the whole
-- neighbourhood, so a page that joined through a since-detected container can
-- be moved out again.
local read = {}
for i = 1, math.min(#cluster_list, p.maxClusters) do
  local cid = cluster_list[i]
  local h = redis.call('HMGET', key_of(K.cluster, cid), 'ver', 'seq')
  read[#read + 1] = {cid, tonumber(h[1]) or 0, tonumber(h[2]) or 0}
  for _, m in ipairs(redis.call('ZRANGE', key_of(K.members, cid), -p.maxMembers, -1)) do add_member(m, 0) end
end

-- The pages earlier seen inside a neighbour (its `inside` evidence): with
-- them a container is recognised whatever order its quoted stories came in.
local e = 1
while e <= #evidence and e <= p.maxClusters do
  for m in string.gmatch(evidence[e], '[^,]+') do add_member(m, 2) end
  e = e + 1
end

out[#out + 1] = cjson.encode(read)
local blocked = {}
if redis.call('SCARD', KEYS[4]) > 0 then
  blocked = redis.call('SRANDMEMBER', KEYS[4], p.maxBlocked)
end
out[#out + 1] = #blocked > 0 and cjson.encode(blocked) or '[]'
for i = 1, #records do
  out[#out + 1] = records[i]
  out[#out + 1] = metas[i]
end
return out
