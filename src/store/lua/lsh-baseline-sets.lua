--[==[
  Bench only (src/bench/lsh-bench.ts): the LSH index work of one dedup step in
  a naive layout, one SET of refs per band bucket (a key each), with a TTL
  renewed on every write. Signature records as in the current layout.

  Input:
    KEYS[1] ref seq
    KEYS[2] refs by hour
    KEYS[3..] the SET of each band's bucket, in band order
    ARGV[1] JSON {now, window (s), recordSize, perBlock, keys = {block}}
    ARGV[2] this article's signature record (binary)
  Output:
    the number of candidate records read
]==]
local function min_ref(hours_key, cutoff_hour)
  local first = redis.call('ZRANGEBYSCORE', hours_key, cutoff_hour, '+inf', 'LIMIT', 0, 1)[1]
  if first then return tonumber(first) end
  return math.huge
end

local p = cjson.decode(ARGV[1])
local K = p.keys
local function key_of(template, id) return template[1] .. id .. template[2] end
local hour = math.floor(p.now / 3600000)
local cutoff_hour = math.floor((p.now - p.window * 1000) / 3600000)
local keep_for = p.window + 3600

local lowest = min_ref(KEYS[2], cutoff_hour)
local seen, refs = {}, {}
for i = 3, #KEYS do
  for _, m in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    local ref = tonumber(m)
    if ref >= lowest and not seen[ref] then
      seen[ref] = true
      refs[#refs + 1] = ref
    end
  end
end
local read = 0
for _, ref in ipairs(refs) do
  local offset = (ref % p.perBlock) * p.recordSize
  local r = redis.call('GETRANGE', key_of(K.block, math.floor(ref / p.perBlock)), offset, offset + p.recordSize - 1)
  if #r == p.recordSize then read = read + 1 end
end

local ref = redis.call('INCR', KEYS[1])
if #redis.call('ZRANGEBYSCORE', KEYS[2], hour, hour, 'LIMIT', 0, 1) == 0 then
  redis.call('ZADD', KEYS[2], hour, ref)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. cutoff_hour)
redis.call('EXPIRE', KEYS[2], keep_for)
local block = key_of(K.block, math.floor(ref / p.perBlock))
if redis.call('EXISTS', block) == 0 then
  redis.call('SETRANGE', block, p.perBlock * p.recordSize - 1, '\0')
end
redis.call('SETRANGE', block, (ref % p.perBlock) * p.recordSize, ARGV[2])
redis.call('EXPIRE', block, keep_for)
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], ref)
  redis.call('EXPIRE', KEYS[i], keep_for)
end
return read
