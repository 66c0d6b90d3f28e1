--[==[
  Records an editor's thread decision (a cluster moved out of a thread, two
  threads joined, or the undo of one) in one atomic step: the articles'
  decisions, the audit entry and the undo list, after checking that the
  threads it was planned from are unchanged. The thread step that follows
  (thread-commit.lua) applies the decisions to the threads.

  Input:
    KEYS[1] thread decisions (HASH article id -> JSON {apart = [ids], together = [ids]})
    KEYS[2] review audit stream
    KEYS[3] thread undo list
    ARGV[1] JSON {
      guards = [[threadKey, ver]],      -- each thread's `ver` when the plan was made
      changes = [{article, addApart, remApart, addTogether, remTogether}],
      audit = [field, value, ...],
      undoHead,                          -- the undo list's head the plan saw ('' for none)
      undoRemove,                        -- the undo record this plan reverses, or absent
      undoPush,                          -- this action's undo record, or absent
      maxLen
    }

  Output:
    {'OK'} | {'CONFLICT', reason}
]==]
local p = cjson.decode(ARGV[1])
for _, g in ipairs(p.guards) do
  if (redis.call('HGET', g[1], 'ver') or '') ~= g[2] then
    return {'CONFLICT', 'the thread changed'}
  end
end
if (redis.call('LINDEX', KEYS[3], 0) or '') ~= p.undoHead then
  return {'CONFLICT', 'the last thread action changed'}
end

local function as_set(list)
  local s = {}
  for _, v in ipairs(type(list) == 'table' and list or {}) do s[v] = true end
  return s
end
local function as_list(set)
  local out = {}
  for v in pairs(set) do table.insert(out, v) end
  table.sort(out)
  return out
end

for _, c in ipairs(p.changes) do
  local raw = redis.call('HGET', KEYS[1], c.article)
  local d = {}
  if raw then
    local ok, v = pcall(cjson.decode, raw)
    if ok and type(v) == 'table' then d = v end
  end
  local apart = as_set(d.apart)
  local together = as_set(d.together)
  for _, v in ipairs(c.addApart or {}) do apart[v] = true end
  for _, v in ipairs(c.remApart or {}) do apart[v] = nil end
  for _, v in ipairs(c.addTogether or {}) do together[v] = true end
  for _, v in ipairs(c.remTogether or {}) do together[v] = nil end
  local a = as_list(apart)
  local t = as_list(together)
  if #a == 0 and #t == 0 then
    redis.call('HDEL', KEYS[1], c.article)
  else
    local out = {}
    -- cjson encodes an empty table as an object: only non-empty lists are written.
    if #a > 0 then out.apart = a end
    if #t > 0 then out.together = t end
    redis.call('HSET', KEYS[1], c.article, cjson.encode(out))
  end
end

redis.call('XADD', KEYS[2], 'MAXLEN', '~', p.maxLen, '*', unpack(p.audit))
if p.undoRemove then redis.call('LREM', KEYS[3], 1, p.undoRemove) end
if p.undoPush then
  redis.call('LPUSH', KEYS[3], p.undoPush)
  redis.call('LTRIM', KEYS[3], 0, 999)
end
return {'OK'}
