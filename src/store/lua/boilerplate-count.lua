--[==[
  Learned boilerplate's count, shared by boilerplate-record.lua and the dedup
  commit (lsh-commit.lua, which counts a page's lines under the cluster it
  placed the page in, in the same step, on one Redis).

  count_story_lines(lines_key, stories_key, p, story, argv, first):
    lines_key   the domain's lines ZSET (line key -> distinct stories seen under it)
    stories_key the domain's stories HASH (line key -> story keys seen, comma-joined,
                up to minStories)
    p           {ttl, cap, minStories}
    story       the story (cluster) the page went to
    argv[first..] the page's line keys
]==]
local function count_story_lines(lines_key, stories_key, p, story, argv, first)
  -- In chunks: one HMGET and one HSET per chunk rather than two commands per line, and
  -- unpack stays far below Lua's stack limit however many lines a page has.
  local CHUNK = 200
  for from = first, #argv, CHUNK do
    local last = math.min(#argv, from + CHUNK - 1)
    local seenAll = redis.call('HMGET', stories_key, unpack(argv, from, last))
    local updates = {}
    for i = from, last do
      local line = argv[i]
      local seen = seenAll[i - from + 1] or ''
      if not string.find(',' .. seen .. ',', ',' .. story .. ',', 1, true) then
        local n = 0
        if seen ~= '' then n = select(2, string.gsub(seen, ',', ',')) + 1 end
        if n < p.minStories then
          updates[#updates + 1] = line
          updates[#updates + 1] = seen == '' and story or (seen .. ',' .. story)
          redis.call('ZINCRBY', lines_key, 1, line)
        end
      end
    end
    if #updates > 0 then redis.call('HSET', stories_key, unpack(updates)) end
  end
  local over = redis.call('ZCARD', lines_key) - p.cap
  if over > 0 then
    local gone = redis.call('ZRANGE', lines_key, 0, over - 1)
    redis.call('ZREMRANGEBYRANK', lines_key, 0, over - 1)
    redis.call('HDEL', stories_key, unpack(gone))
  end
  redis.call('EXPIRE', lines_key, p.ttl)
  redis.call('EXPIRE', stories_key, p.ttl)
end
