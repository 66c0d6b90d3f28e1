--[==[
  Shared by lsh-query.lua, lsh-commit.lua and the LSH bench scripts (included,
  see load-lua.ts).

  Layout (docs/dedup.md, "Redis layout"): every indexed article gets a numeric
  ref (INCR). Band buckets live in one HASH per index tag (a Redis Cluster
  hash tag; one on a single Redis) of the current generation: its fields are
  bucket groups (the bucket's 32-bit tag modulo 2^bits), each a string of
  8-byte records (4-byte bucket tag, 4-byte big-endian ref) in ref order. A
  dedup step reads one group per band and appends to it in place, dropping
  the records at its front that left the window, so a group holds the
  window's records of its buckets: about FILL of them, whatever the window
  holds, because the generation is resized (bits up or down) when the window's
  refs outgrow it or it stands mostly empty. A resize opens a new generation
  and the old one's groups are moved into it a few per step (MIGRATE), the
  old one read as well until it is empty. Signatures live in block STRINGs of
  fixed-size records addressed by ref. A ZSET maps each hour to the first ref
  issued in it, so "older than the window" is "ref below a cutoff".

  A bucket spec is the 4-byte tag of each band, in band order.
]==]
local REC = 8

local function ref_bytes(ref)
  return string.char(math.floor(ref / 16777216) % 256, math.floor(ref / 65536) % 256,
    math.floor(ref / 256) % 256, ref % 256)
end

local function u32_at(s, p)
  local b1, b2, b3, b4 = string.byte(s, p, p + 3)
  return ((b1 * 256 + b2) * 256 + b3) * 256 + b4
end

local function key_of(template, id) return template[1] .. id .. template[2] end

-- Index keys carry an index tag (a Redis Cluster hash tag): {prefix, middle} around it.
local function tagged_key(template, tag, id) return template[1] .. tag .. template[2] .. id end

-- First ref issued at or after the cutoff hour: older refs are out of the window.
local function min_ref(hours_key, cutoff_hour)
  local first = redis.call('ZRANGEBYSCORE', hours_key, cutoff_hour, '+inf', 'LIMIT', 0, 1)[1]
  if first then return tonumber(first) end
  return math.huge
end

-- Records the hour of a newly issued ref and forgets the hours that left the window.
local function note_hour(hours_key, ref, hour, cutoff_hour, keep_for)
  if #redis.call('ZRANGEBYSCORE', hours_key, hour, hour, 'LIMIT', 0, 1) == 0 then
    redis.call('ZADD', hours_key, hour, ref)
  end
  redis.call('ZREMRANGEBYSCORE', hours_key, '-inf', '(' .. cutoff_hour)
  redis.call('EXPIRE', hours_key, keep_for)
end

-- The generations: {cur = {id, bits}, old = {id, bits} or nil, opened = ms}, or nil before the first.
local function read_gens(gen_key)
  local h = redis.call('HMGET', gen_key, 'cur', 'old', 'opened')
  if not h[1] then return nil end
  local function parse(v)
    if not v then return nil end
    local id, bits = string.match(v, '^(%d+):(%d+)$')
    return {id = id, bits = tonumber(bits)}
  end
  return {cur = parse(h[1]), old = parse(h[2]), opened = tonumber(h[3])}
end

--[[
  For a newly issued ref: opens the first generation, or a resized one when
  the refs in the window average more than 2 x FILL records per group (to
  the fewest bits that hold them within that: FILL to 2 x FILL records a
  group as a window grows), or under FILL / 4 for a whole window (to FILL
  or more). Not while an old one is still moving.
  s = {fill, minBits, maxBits, window (ms)}; count = refs in the window.
]]
local function maintain_gens(gen_key, gens, ref, count, bands, now, s, keep_for)
  local bits
  if not gens then
    bits = s.minBits
  elseif not gens.old then
    local avg = count * bands / 2 ^ gens.cur.bits
    if avg > 2 * s.fill then
      bits = gens.cur.bits + math.ceil(math.log(avg / (2 * s.fill)) / math.log(2))
    elseif avg < s.fill / 4 and now - gens.opened >= s.window and gens.cur.bits > s.minBits then
      bits = gens.cur.bits - math.floor(math.log(s.fill / math.max(avg, 1e-9)) / math.log(2))
    end
  end
  if not bits then return gens end
  bits = math.max(s.minBits, math.min(s.maxBits, bits))
  local old = gens and gens.cur
  if old and old.bits == bits then return gens end
  local cur = {id = tostring(ref), bits = bits}
  redis.call('HSET', gen_key, 'cur', cur.id .. ':' .. bits, 'opened', now)
  if old then redis.call('HSET', gen_key, 'old', old.id .. ':' .. old.bits) end
  redis.call('EXPIRE', gen_key, keep_for)
  return {cur = cur, old = old, opened = now}
end

-- Drops the records at the front of a group that left the window (refs below lowest).
local function trim(v, lowest)
  local at = 1
  while at + REC - 1 <= #v and u32_at(v, at + 4) < lowest do at = at + REC end
  if at == 1 then return v end
  return string.sub(v, at)
end

-- Appends each ref recorded under `tag` in v (>= lowest, not `skip`) to list.
local function scan_group(v, tag, lowest, skip, seen, list)
  local at = 1
  while true do
    local p = string.find(v, tag, at, true)
    if not p then return end
    if (p - 1) % REC == 0 then
      local ref = u32_at(v, p + 4)
      if ref >= lowest and ref ~= skip and not seen[ref] then
        seen[ref] = true
        list[#list + 1] = ref
      end
      at = p + REC
    else
      at = p + 1
    end
  end
end

--[[
  Moves up to `k` groups of index tag t from the old generation into the
  current one (the old groups of tag t, in order, from a cursor kept in the
  old hash's field "~"). Records that left the window are dropped on the way.
  Returns true when the old generation's hash for t is empty (deleted).
]]
local function migrate(gens, t, tags, k, lowest, bucket_tpl, keep_for)
  local old, cur = gens.old, gens.cur
  local okey = tagged_key(bucket_tpl, t, old.id)
  local ckey = tagged_key(bucket_tpl, t, cur.id)
  local size = 2 ^ old.bits
  local c = tonumber(redis.call('HGET', okey, '~')) or 0
  local fields = {}
  for j = 0, k - 1 do
    local g = t + tags * (c + j)
    if g >= size then break end
    fields[#fields + 1] = tostring(g)
  end
  if #fields > 0 then
    local moved, order = {}, {}
    for _, v in ipairs(redis.call('HMGET', okey, unpack(fields))) do
      if v then
        for q = 1, #v - REC + 1, REC do
          if u32_at(v, q + 4) >= lowest then
            local f = tostring(u32_at(v, q) % 2 ^ cur.bits)
            if not moved[f] then
              moved[f] = {}
              order[#order + 1] = f
            end
            local m = moved[f]
            m[#m + 1] = string.sub(v, q, q + REC - 1)
          end
        end
      end
    end
    if #order > 0 then
      local now_v = redis.call('HMGET', ckey, unpack(order))
      local set = {}
      for i, f in ipairs(order) do
        -- older refs than any the current generation took in: in front
        set[#set + 1] = f
        set[#set + 1] = table.concat(moved[f]) .. (now_v[i] or '')
      end
      redis.call('HSET', ckey, unpack(set))
      redis.call('EXPIRE', ckey, keep_for)
    end
    redis.call('HDEL', okey, unpack(fields))
  end
  if t + tags * (c + #fields) >= size then
    redis.call('DEL', okey)
    return true
  end
  redis.call('HSET', okey, '~', c + #fields)
  redis.call('EXPIRE', okey, keep_for)
  return false
end

-- One step of an old generation's move, in every index tag: enough groups a
-- step that it is done within about half a window of articles.
local function migrate_step(gen_key, gens, tags, count, lowest, bucket_tpl, keep_for)
  if not gens or not gens.old then return end
  local k = math.max(2, math.ceil(2 * 2 ^ gens.old.bits / (tags * math.max(count, 1))))
  local done = true
  for t = 0, tags - 1 do
    if not migrate(gens, t, tags, k, lowest, bucket_tpl, keep_for) then done = false end
  end
  if done then
    redis.call('HDEL', gen_key, 'old')
    gens.old = nil
  end
end

--[[
  The refs in this article's band buckets (current generation, and the old
  one while it moves), sorted. With `append` (the article's 4-byte ref), the
  current generation gets one record per band in the same read (HMGET of the
  groups, then HSET of the grown values); `fresh` says the ref was just issued,
  so it cannot be recorded already.
]]
local function bucket_refs(gens, spec, tags, lowest, skip, bucket_tpl, append, fresh, keep_for)
  local seen, list = {}, {}
  if not gens then return list end
  local nb = #spec / 4
  for _, gen in ipairs({gens.cur, gens.old}) do
    local size = 2 ^ gen.bits
    local by_tag = {}
    for b = 1, nb do
      local o = (b - 1) * 4
      local g = u32_at(spec, o + 1) % size
      local t = g % tags
      local e = by_tag[t]
      if not e then
        e = {fields = {}, bands = {}}
        by_tag[t] = e
      end
      e.fields[#e.fields + 1] = tostring(g)
      e.bands[#e.bands + 1] = b
    end
    local grow = append and gen == gens.cur
    for t, e in pairs(by_tag) do
      local key = tagged_key(bucket_tpl, t, gen.id)
      local values = redis.call('HMGET', key, unpack(e.fields))
      local now_v, set = {}, {}
      for j, f in ipairs(e.fields) do
        local b = e.bands[j]
        local tag = string.sub(spec, (b - 1) * 4 + 1, (b - 1) * 4 + 4)
        local v = now_v[f] or values[j] or ''
        scan_group(v, tag, lowest, skip, seen, list)
        if grow then
          local rec = tag .. append
          local dup = false
          if not fresh then
            local q = string.find(v, rec, 1, true)
            while q and (q - 1) % REC ~= 0 do q = string.find(v, rec, q + 1, true) end
            dup = q ~= nil
          end
          if not dup then
            if not now_v[f] then set[#set + 1] = f end
            now_v[f] = trim(v, lowest) .. rec
          end
        end
      end
      if #set > 0 then
        local args = {}
        for _, f in ipairs(set) do
          args[#args + 1] = f
          args[#args + 1] = now_v[f]
        end
        redis.call('HSET', key, unpack(args))
        redis.call('EXPIRE', key, keep_for)
      end
    end
    if not gens.old then break end
  end
  table.sort(list)
  return list
end

local function block_key(tpl, ref, per_block, tags)
  local block = math.floor(ref / per_block)
  return tagged_key(tpl, block % tags, block)
end

-- The signature record of a ref, or nil when its block expired or was never written.
local function record_of(tpl, ref, rec, per_block, tags)
  local offset = (ref % per_block) * rec
  local r = redis.call('GETRANGE', block_key(tpl, ref, per_block, tags), offset, offset + rec - 1)
  if #r == rec and string.byte(r, 5) > 0 then return r end
  return nil
end

-- Writes a signature record; a new block is allocated at its full size at once,
-- so later writes never grow (and over-allocate) it.
local function write_record(tpl, ref, record, per_block, tags, keep_for)
  local key = block_key(tpl, ref, per_block, tags)
  local rec = #record
  if redis.call('EXISTS', key) == 0 then
    redis.call('SETRANGE', key, per_block * rec - 1, '\0')
  end
  redis.call('SETRANGE', key, (ref % per_block) * rec, record)
  redis.call('EXPIRE', key, keep_for)
end
