--[==[
  Learned boilerplate: counts one page's lines under its story. A story is
  counted once per line, so a retried job or a second copy of one story adds
  nothing; atomic, so two workers never lose a count. Past the cap, the lines
  seen under fewest stories go first.

  Input:
    KEYS[1] the domain's lines ZSET (line key -> distinct stories seen under it)
    KEYS[2] the domain's stories HASH (line key -> story keys seen, comma-joined,
            up to minStories)
    ARGV[1] JSON {ttl, cap, minStories, story}
    ARGV[2..] the page's line keys
  Output:
    1
]==]
local p = cjson.decode(ARGV[1])
local story = p.story
-- In chunks: one HMGET and one HSET per chunk rather than two commands per line, and
-- unpack stays far below Lua's stack limit however many lines a page has.
local CHUNK = 200
for first = 2, #ARGV, CHUNK do
  local last = math.min(#ARGV, first + CHUNK - 1)
  local seenAll = redis.call('HMGET', KEYS[2], unpack(ARGV, first, last))
  local updates = {}
  for i = first, last do
    local line = ARGV[i]
    local seen = seenAll[i - first + 1] or ''
    if not string.find(',' .. seen .. ',', ',' .. story .. ',', 1, true) then
      local n = 0
      if seen ~= '' then n = select(2, string.gsub(seen, ',', ',')) + 1 end
      if n < p.minStories then
        updates[#updates + 1] = line
        updates[#updates + 1] = seen == '' and story or (seen .. ',' .. story)
        redis.call('ZINCRBY', KEYS[1], 1, line)
      end
    end
  end
  if #updates > 0 then redis.call('HSET', KEYS[2], unpack(updates)) end
end
local over = redis.call('ZCARD', KEYS[1]) - p.cap
if over > 0 then
  local gone = redis.call('ZRANGE', KEYS[1], 0, over - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
  redis.call('HDEL', KEYS[2], unpack(gone))
end
redis.call('EXPIRE', KEYS[1], p.ttl)
redis.call('EXPIRE', KEYS[2], p.ttl)
return 1
