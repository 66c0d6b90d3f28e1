-- The thread step's first read (thread-index.ts sourceOf): the cluster, its
-- members with their join times, its stored story, and each member's tokens,
-- kind and contains (the member its story comes from is chosen by them).
-- Shared by thread-source.lua and lsh-commit.lua, which hands it back with
-- the placement so the thread step after a commit needs no read of its own.
-- Output: {exists, ver, {id1, score1, ...}, {field1, value1, ...}, {tokens1, kind1, contains1, ...}}
local function thread_source(cluster_key, members_key, story_key, article_prefix, article_suffix)
  local exists = redis.call('EXISTS', cluster_key)
  local ver = redis.call('HGET', cluster_key, 'ver') or ''
  local members = redis.call('ZRANGE', members_key, 0, -1, 'WITHSCORES')
  local story = redis.call('HGETALL', story_key)
  local fields = {}
  for i = 1, #members, 2 do
    local f = redis.call('HMGET', article_prefix .. members[i] .. article_suffix, 'tokens', 'kind', 'contains')
    -- A missing field is false in a Lua array, which the reply would end at: '' keeps the places.
    fields[#fields + 1] = f[1] or ''
    fields[#fields + 1] = f[2] or ''
    fields[#fields + 1] = f[3] or ''
  end
  return {exists, ver, members, story, fields}
end
