--[==[
  Stores one extracted article: its hash, its body (with its TTL) and its
  place in the time index, in one step, so a reader never sees the hash
  without the body. A script rather than MULTI/EXEC: the same atomicity for a
  third of the worker's CPU (ioredis builds a whole pipeline per MULTI), and
  every article is saved once.

  Input:
    KEYS[1] article HASH
    KEYS[2] article body STRING
    KEYS[3] articles-by-time ZSET
    ARGV[1] body TTL, seconds
    ARGV[2] time-index score (fetched ms); a stored article keeps its first one (NX)
    ARGV[3] article id
    ARGV[4] body
    ARGV[5..] hash field, value, field, value…
  Output:
    1
]==]
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[1])
redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[3])
return 1
