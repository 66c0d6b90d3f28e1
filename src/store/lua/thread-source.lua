--[==[
  The thread step's first read (thread-index.ts sourceOf), in one round trip:
  the cluster, its members with their join times, its stored story, and each
  member's tokens, kind and contains (the member its story comes from is
  chosen by them).

  Input:
    KEYS[1] cluster HASH
    KEYS[2] cluster members ZSET
    KEYS[3] cluster story HASH
    ARGV[1], ARGV[2] an article's key around its id (prefix, suffix)
  Output:
    {exists, ver, {id1, score1, ...}, {field1, value1, ...}, {tokens1, kind1, contains1, ...}}
]==]
local exists = redis.call('EXISTS', KEYS[1])
local ver = redis.call('HGET', KEYS[1], 'ver') or ''
local members = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
local story = redis.call('HGETALL', KEYS[3])
local fields = {}
for i = 1, #members, 2 do
  local f = redis.call('HMGET', ARGV[1] .. members[i] .. ARGV[2], 'tokens', 'kind', 'contains')
  -- A missing field is false in a Lua array, which the reply would end at: '' keeps the places.
  fields[#fields + 1] = f[1] or ''
  fields[#fields + 1] = f[2] or ''
  fields[#fields + 1] = f[3] or ''
end
return {exists, ver, members, story, fields}
