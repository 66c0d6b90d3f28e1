--[==[
  The thread step's first read, in one round trip (thread-source-read.lua).

  Input:
    KEYS[1] cluster HASH
    KEYS[2] cluster members ZSET
    KEYS[3] cluster story HASH
    ARGV[1], ARGV[2] an article's key around its id (prefix, suffix)
  Output:
    {exists, ver, {id1, score1, ...}, {field1, value1, ...}, {tokens1, kind1, contains1, ...}}
]==]
--- @include "thread-source-read"

return thread_source(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
