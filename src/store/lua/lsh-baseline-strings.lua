--[==[
  Bench only (src/bench/lsh-bench.ts): the LSH index work of one dedup step in
  the layout of 19d51e0, kept as it was there, to measure against. Band buckets
  live in a fixed number of shard STRINGs of packed 8-byte records (4-byte
  bucket tag, 4-byte big-endian ref); the query reads this article's 51 shards
  whole, the commit rewrites them (GET + SET) and sweeps one shard of refs that
  left the window, round robin. Signature records as in the current layout.

  Input:
    KEYS[1] ref seq
    KEYS[2] refs by hour
    KEYS[3..] the shard of each band's bucket, in band order
    ARGV[1] JSON {now, window (s), recordSize, perBlock, shards, keys = {block, shard}}
    ARGV[2] bucket tags, 4 bytes per band (binary)
    ARGV[3] this article's signature record (binary)
  Output:
    the number of candidate records read
]==]
local function ref_bytes(ref)
  return string.char(math.floor(ref / 16777216) % 256, math.floor(ref / 65536) % 256,
    math.floor(ref / 256) % 256, ref % 256)
end

local function ref_at(s, p)
  local b1, b2, b3, b4 = string.byte(s, p, p + 3)
  return ((b1 * 256 + b2) * 256 + b3) * 256 + b4
end

local function min_ref(hours_key, cutoff_hour)
  local first = redis.call('ZRANGEBYSCORE', hours_key, cutoff_hour, '+inf', 'LIMIT', 0, 1)[1]
  if first then return tonumber(first) end
  return math.huge
end

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

local p = cjson.decode(ARGV[1])
local K = p.keys
local function key_of(template, id) return template[1] .. id .. template[2] end
local hour = math.floor(p.now / 3600000)
local cutoff_hour = math.floor((p.now - p.window * 1000) / 3600000)
local keep_for = p.window + 3600

-- the query: this article's shards whole, then the records of the refs found
local lowest = min_ref(KEYS[2], cutoff_hour)
local refs = candidate_refs(3, ARGV[2], lowest)
local read = 0
for _, ref in ipairs(refs) do
  local block = math.floor(ref / p.perBlock)
  local offset = (ref % p.perBlock) * p.recordSize
  local r = redis.call('GETRANGE', key_of(K.block, block), offset, offset + p.recordSize - 1)
  if #r == p.recordSize then read = read + 1 end
end

-- the commit's index part
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
redis.call('SETRANGE', block, (ref % p.perBlock) * p.recordSize, ARGV[3])
redis.call('EXPIRE', block, keep_for)
local rb = ref_bytes(ref)
for i = 3, #KEYS do
  local t = (i - 3) * 4
  local s = redis.call('GET', KEYS[i]) or ''
  redis.call('SET', KEYS[i], s .. string.sub(ARGV[2], t + 1, t + 4) .. rb, 'EX', keep_for)
end
local sweep = key_of(K.shard, ref % p.shards)
local s = redis.call('GET', sweep)
if s and #s >= 8 and ref_at(s, 5) < lowest then
  local kept = {}
  for q = 1, #s, 8 do
    if ref_at(s, q + 4) >= lowest then kept[#kept + 1] = string.sub(s, q, q + 7) end
  end
  if #kept == 0 then
    redis.call('DEL', sweep)
  else
    redis.call('SET', sweep, table.concat(kept), 'KEEPTTL')
  end
end
return read
