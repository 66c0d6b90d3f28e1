--[==[
  Indexes an article and reads its neighbourhood for the clustering policy:
  its LSH bucket neighbours in the window, and the other members of their
  clusters, each with its signature record and placement.

  Indexing comes first and is published with a sequence number (iseq): of two
  near-duplicates in flight at once, the one published later always finds the
  earlier one in its buckets, and waits until that one is placed (answer
  WAIT); the earlier one ignores the later one. So placements are made in
  publish order, each seeing every neighbour placed before it, which is what
  one worker does (docs/dedup.md, "Atomic assignment").

  Input:
    KEYS[1] this article's hash
    KEYS[2] ref seq
    KEYS[3] refs by hour (the time window)
    KEYS[4] generations HASH
    KEYS[5] publish seq
    KEYS[6] blocked pairs (editors' "not the same story")
    ARGV[1] JSON {
      index,                 -- false: read only (candidates), nothing written, no ordering
      now, window,           -- ms; the window in seconds (refs issued before its first hour are out)
      recordSize, perBlock, tags,  -- tags: index tags, a power of two
      gen = {fill, minBits, maxBits, window (ms), keepFor},
      staleMs,               -- an earlier neighbour published this long ago and still unplaced is detached
      maxClusters,           -- neighbour clusters read whole (the rest: neighbours only)
      maxMembers,            -- members read per cluster (most recent first)
      maxBlocked,            -- blocked pairs returned at most
      keys = {cluster, members, article, block, bucket}  -- {prefix, suffix} or, tagged, {prefix, middle}
    }
    ARGV[2] bucket spec, 4 bytes per band (lsh-common.lua)
    ARGV[3] this article's signature record (binary)

  Output:
    {'ASSIGNED', clusterId} when the article already has a cluster,
    {'WAIT', articleId} when a neighbour published earlier is not placed yet, else
    {'OK', iseq, clustersJSON, blockedJSON, rec1, meta1, rec2, meta2, ...}
      iseq         this article's publish sequence (0: not indexed); the commit re-checks it
      clustersJSON [[clusterId, ver, seq], ...] of every cluster read
      blockedJSON  ["a|b", ...] (empty when no pair is blocked)
      meta         JSON [clusterId, kind, via, role, contains, inside]: role 1 a bucket
                   neighbour, 0 a member of a cluster read whole, 2 evidence only
]==]
--- @include "lsh-common"

local p = cjson.decode(ARGV[1])
local spec, mine = ARGV[2], ARGV[3]
local K = p.keys
local now = p.now
local G = p.gen
local T = p.tags
local nb = #spec / 4
local akey = KEYS[1]
local f = redis.call('HMGET', akey, 'cluster', 'ref', 'iseq')
if p.index and f[1] and f[1] ~= '' then
  return {'ASSIGNED', f[1]}
end
local hour = math.floor(now / 3600000)
local cutoff_hour = math.floor((now - p.window * 1000) / 3600000)
local lowest = min_ref(KEYS[3], cutoff_hour)
local gens = read_gens(KEYS[4])

local my_ref, my_seq, append, fresh = nil, 0, nil, false
if p.index and nb > 0 then
  my_ref = tonumber(f[2])
  if not my_ref then
    my_ref = redis.call('INCR', KEYS[2])
    if my_ref >= 4294967296 then return redis.error_reply('dedup: LSH ref space exhausted') end
    redis.call('HSET', akey, 'ref', my_ref)
    note_hour(KEYS[3], my_ref, hour, cutoff_hour, G.keepFor)
    lowest = min_ref(KEYS[3], cutoff_hour)
    fresh = true
    gens = maintain_gens(KEYS[4], gens, my_ref, my_ref - lowest + 1, nb, now, G, G.keepFor)
  end
  migrate_step(KEYS[4], gens, T, my_ref - lowest + 1, lowest, K.bucket, G.keepFor)
  -- iseq: absent until the article is indexed whole, '0' once detached (see below), else "seq:ms"
  if not f[3] then
    write_record(K.block, my_ref, mine, p.perBlock, T, G.keepFor)
    append = ref_bytes(my_ref)
  end
end

local refs = bucket_refs(gens, spec, T, lowest, my_ref, K.bucket, append, fresh, G.keepFor)

if my_ref then
  local published = f[3] and string.match(f[3], '^(%d+):')
  if published then
    my_seq = tonumber(published)
  else
    my_seq = redis.call('INCR', KEYS[5])
    redis.call('HSET', akey, 'iseq', my_seq .. ':' .. now)
  end
end

local rec, per_block = p.recordSize, p.perBlock
local records, metas, seen_ids, evidence = {}, {}, {}, {}
local clusters, cluster_list = {}, {}
local self_id = string.sub(mine, 6, 5 + string.byte(mine, 5))
local PLACEMENT = {'cluster', 'kind', 'via', 'contains', 'inside', 'iseq'}

local function add(r, id, h, role)
  seen_ids[id] = true
  local cid = h[1] or ''
  records[#records + 1] = r
  metas[#metas + 1] = cjson.encode({cid, h[2] or '', h[3] or '', role, h[4] or '', h[5] or ''})
  if h[5] and h[5] ~= '' then evidence[#evidence + 1] = h[5] end
  if cid ~= '' and not clusters[cid] then
    clusters[cid] = true
    cluster_list[#cluster_list + 1] = cid
  end
end

for _, ref in ipairs(refs) do
  local r = record_of(K.block, ref, rec, per_block, T)
  if r then
    local id = string.sub(r, 6, 5 + string.byte(r, 5))
    if id ~= self_id and not seen_ids[id] then
      local h = redis.call('HMGET', key_of(K.article, id), unpack(PLACEMENT))
      if (h[1] or '') ~= '' or not p.index then
        add(r, id, h, 1)
      elseif h[6] and h[6] ~= '0' then
        -- Indexed, not placed yet. Published before this article: wait for it, unless it
        -- has been in flight so long that its worker is gone (then it is detached: ignored by
        -- everyone, and its own commit, if it comes, conflicts and starts over). Published
        -- after: it will find this article and wait for it.
        local seq, at = string.match(h[6], '^(%d+):(%d+)$')
        if tonumber(seq) < my_seq then
          if now - tonumber(at) > p.staleMs then
            redis.call('HSET', key_of(K.article, id), 'iseq', '0')
          else
            return {'WAIT', id}
          end
        end
      end
    end
  end
end

-- A page by id, when it is still indexed inside the window and not read yet.
-- (Its ref and placement in one read: the script is atomic, so nothing moves between them.)
local MEMBER = {'ref', 'cluster', 'kind', 'via', 'contains', 'inside', 'iseq'}
local function add_member(m, role)
  if seen_ids[m] then return end
  local h = redis.call('HMGET', key_of(K.article, m), unpack(MEMBER))
  local ref = tonumber(h[1])
  if ref and ref >= lowest then
    local r = record_of(K.block, ref, rec, per_block, T)
    if r then add(r, m, {h[2], h[3], h[4], h[5], h[6], h[7]}, role) end
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

local out = {'OK', my_seq, cjson.encode(read)}
local blocked = {}
if redis.call('SCARD', KEYS[6]) > 0 then
  blocked = redis.call('SRANDMEMBER', KEYS[6], p.maxBlocked)
end
out[#out + 1] = #blocked > 0 and cjson.encode(blocked) or '[]'
for i = 1, #records do
  out[#out + 1] = records[i]
  out[#out + 1] = metas[i]
end
return out
