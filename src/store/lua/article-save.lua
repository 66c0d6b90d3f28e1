--[==[
  Stores one extracted article: its hash, its body (with its TTL) and its
  place in the time index, in one step, so a reader never sees the hash
  without the body. A script rather than MULTI/EXEC: the same atomicity for a
  third of the worker's CPU (ioredis builds a whole pipeline per MULTI), and
  every article is saved once.

  On Redis Cluster the body lives in a slot of its own (docs/redis.md, "Redis
  Cluster"): the caller writes it first and passes no KEYS[3], so a reader
  still never sees the hash without the body.

  Input:
    KEYS[1] article HASH
    KEYS[2] articles-by-time ZSET
    KEYS[3] article body STRING (absent: written by the caller)
    ARGV[1] body TTL, seconds
    ARGV[2] time-index score (fetched ms); a stored article keeps its first one (NX)
    ARGV[3] article id
    ARGV[4] body
    ARGV[5] hash TTL, seconds (articles.retainDays): set when the hash has none
    ARGV[6] the time index forgets entries scored below this (ms)
    ARGV[7..] hash field, value, field, value…
  Output:
    {1}, or {0, source} when the hash already holds an ok article: it is kept
    as it is (its signature and cluster were made from its body), so a job
    that runs again for it loses nothing and changes nothing; `source` is the
    stored article's
]==]
local stored = redis.call('HMGET', KEYS[1], 'status', 'source')
if stored[1] == 'ok' then return {0, stored[2] or ''} end
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
-- a retried save keeps the first expiry, as it keeps the first-seen time
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
if KEYS[3] then redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[1]) end
redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[6])
return {1}
