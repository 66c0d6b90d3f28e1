--[==[
  Shared by lsh-query.lua and lsh-commit.lua (included, see load-lua.ts).

  Layout (docs/dedup.md, "Redis layout"): every indexed article gets a numeric
  ref (INCR). Band buckets live in a fixed number of shard STRINGs, each a
  packed array of 8-byte records (4-byte bucket tag, 4-byte big-endian ref);
  the shard of a band bucket is a second hash of it. Signatures live in block
  STRINGs of fixed-size records addressed by ref. A ZSET maps each hour to the
  first ref issued in it, so "older than the window" is "ref below a cutoff".
]==]
local function ref_bytes(ref)
  return string.char(math.floor(ref / 16777216) % 256, math.floor(ref / 65536) % 256,
    math.floor(ref / 256) % 256, ref % 256)
end

local function ref_at(s, p)
  local b1, b2, b3, b4 = string.byte(s, p, p + 3)
  return ((b1 * 256 + b2) * 256 + b3) * 256 + b4
end

-- First ref issued at or after the cutoff hour: older refs are out of the window.
local function min_ref(hours_key, cutoff_hour)
  local first = redis.call('ZRANGEBYSCORE', hours_key, cutoff_hour, '+inf', 'LIMIT', 0, 1)[1]
  if first then return tonumber(first) end
  return math.huge
end

-- Sorted, distinct refs in this article's band buckets (KEYS[first..]) that
-- are still in the window. tags holds one 4-byte bucket tag per band.
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

local function key_of(template, id) return template[1] .. id .. template[2] end
