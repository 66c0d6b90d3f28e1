--[==[
  Reads, atomically, the neighbourhood a cluster's thread is decided in:
  the clusters whose stories share a fact with it (through the term
  postings), the threads of those clusters and of the cluster itself with
  all their clusters, each cluster's stored story, and the editors'
  decisions on their articles.

  Input:
    KEYS[1] thread epoch
    KEYS[2] thread decisions
    ARGV[1] JSON {
      id,                     -- the cluster deciding
      quotes = [clusterId],   -- when it is a container: the clusters it quotes
      terms = [key...],       -- the term postings keys of its story's facts
      since,                  -- postings written before this (ms) are outside the window
      maxCandidates,          -- clusters read through the postings, most shared facts first
      maxThread,              -- clusters read per thread, latest first
      keys = {cluster, members, story, thread, threadClusters, article}  -- {prefix, suffix}
    }

  Output:
    { epoch, digest, metaJSON, profile... }
    digest: SHA-1 of the postings read (the commit re-reads them);
    metaJSON: {
      nodes = [{id, exists, ver, at, container, quotes, thread, v, src, roundup, profile (1|0),
                members (only when some editor decision is stored)}],
      threads = [{id, ver, size}],
      decisions = {articleId: json}
    }
    followed by the stored profile of each node whose `profile` is 1, in node order (binary).
]==]
local p = cjson.decode(ARGV[1])
local K = p.keys
local function key_of(t, id) return t[1] .. id .. t[2] end

local epoch = redis.call('GET', KEYS[1]) or '0'
local has_decisions = redis.call('HLEN', KEYS[2]) > 0
local counts = {}
local order = {}
local seen_postings = {}
for _, key in ipairs(p.terms) do
  local ids = redis.call('ZRANGEBYSCORE', key, p.since, '+inf')
  table.insert(seen_postings, table.concat(ids, ','))
  for _, c in ipairs(ids) do
    if c ~= p.id then
      if not counts[c] then
        counts[c] = 0
        table.insert(order, c)
      end
      counts[c] = counts[c] + 1
    end
  end
end
local digest = redis.sha1hex(table.concat(seen_postings, ';'))
table.sort(order, function(a, b)
  if counts[a] ~= counts[b] then return counts[a] > counts[b] end
  return a < b
end)

local nodes = {}
local node_of = {}
local threads = {}
local thread_of = {}
local profiles = {}

local function add_node(id)
  if node_of[id] then return node_of[id] end
  local n = {id = id}
  n.exists = redis.call('EXISTS', key_of(K.cluster, id))
  n.ver = redis.call('HGET', key_of(K.cluster, id), 'ver') or ''
  local s = redis.call('HMGET', key_of(K.story, id), 'at', 'container', 'quotes', 'thread', 'v', 'src',
    'roundup', 'profile')
  n.at = tonumber(s[1]) or 0
  n.container = s[2] or ''
  n.thread = s[4] or ''
  n.v = s[5] or ''
  n.src = s[6] or ''
  n.roundup = s[7] or ''
  n.profile = 0
  if s[8] then
    n.profile = 1
    table.insert(profiles, s[8])
  end
  -- A container's quotes are stored as article ids: their clusters now.
  n.quotes = {}
  for a in string.gmatch(s[3] or '', '[^,]+') do
    local c = redis.call('HGET', key_of(K.article, a), 'cluster')
    if c then table.insert(n.quotes, c) end
  end
  -- Members only matter to editors' decisions, which are stored by article: none, none read.
  n.members = has_decisions and redis.call('ZRANGE', key_of(K.members, id), 0, -1) or {}
  table.insert(nodes, n)
  node_of[id] = n
  return n
end

local function add_thread(t)
  if t == '' or thread_of[t] then return end
  local ver = redis.call('HGET', key_of(K.thread, t), 'ver')
  local entry = {id = t, ver = ver or '', size = redis.call('ZCARD', key_of(K.threadClusters, t))}
  thread_of[t] = entry
  table.insert(threads, entry)
  for _, c in ipairs(redis.call('ZREVRANGE', key_of(K.threadClusters, t), 0, p.maxThread - 1)) do
    add_node(c)
  end
end

local first = {add_node(p.id)}
for i = 1, math.min(#order, p.maxCandidates) do
  table.insert(first, add_node(order[i]))
end
-- A container is placed with every story it quotes, or not at all.
local quoted = {}
for _, q in ipairs(p.quotes) do table.insert(quoted, add_node(q)) end
for _, n in ipairs(first) do
  for _, q in ipairs(n.quotes) do table.insert(quoted, add_node(q)) end
end
for _, n in ipairs(quoted) do table.insert(first, n) end
for _, n in ipairs(first) do add_thread(n.thread) end
-- Clusters read through a thread may sit in no other thread; those that do are read as they are.

local decisions = {}
local asked = {}
local function read_decisions(from_node)
  local ids = {}
  for i = from_node, #nodes do
    for _, a in ipairs(nodes[i].members) do
      if not asked[a] then
        asked[a] = true
        table.insert(ids, a)
      end
    end
  end
  -- In slices: unpack() has a bound on how many values it spreads.
  local found = {}
  for from = 1, #ids, 1000 do
    local slice = {}
    for i = from, math.min(#ids, from + 999) do table.insert(slice, ids[i]) end
    local vals = redis.call('HMGET', KEYS[2], unpack(slice))
    for i, v in ipairs(vals) do
      if v then
        decisions[slice[i]] = v
        table.insert(found, v)
      end
    end
  end
  return found
end
-- An editor's join names clusters the facts may not reach: they are read too (once).
local before = #nodes
for _, raw in ipairs(read_decisions(1)) do
  local ok, d = pcall(cjson.decode, raw)
  if ok and type(d) == 'table' and type(d.together) == 'table' then
    for _, a in ipairs(d.together) do
      local c = redis.call('HGET', key_of(K.article, a), 'cluster')
      if c then add_thread(add_node(c).thread) end
    end
  end
end
read_decisions(before + 1)

local out = {epoch, digest, cjson.encode({nodes = nodes, threads = threads, decisions = decisions})}
for _, blob in ipairs(profiles) do table.insert(out, blob) end
return out
