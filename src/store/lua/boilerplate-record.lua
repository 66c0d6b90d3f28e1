--[==[
  Learned boilerplate: counts one page's lines under its story. A story is
  counted once per line, so a retried job or a second copy of one story adds
  nothing; atomic, so two workers never lose a count. Past the cap, the lines
  seen under fewest stories go first. (On one Redis the dedup commit counts
  them itself, in its own step: this script is for Redis Cluster, where a
  domain's counts live in a slot of their own, and for an article found
  already placed.)

  Input:
    KEYS[1] the domain's lines ZSET (line key -> distinct stories seen under it)
    KEYS[2] the domain's stories HASH (line key -> story keys seen, comma-joined,
            up to minStories)
    ARGV[1] JSON {ttl, cap, minStories}
    ARGV[2] the story key
    ARGV[3..] the page's line keys
  Output:
    1
]==]
--- @include "boilerplate-count"

local p = cjson.decode(ARGV[1])
count_story_lines(KEYS[1], KEYS[2], p, ARGV[2], ARGV, 3)
return 1
