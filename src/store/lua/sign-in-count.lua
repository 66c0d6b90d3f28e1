--[==[
  Wrong sign-in tokens: check and count in one step, so concurrent failures
  cannot all read the count before any of them adds to it; a counter never
  exceeds its limit. The window starts at the first failure.

  Input:
    KEYS[1] the group's counter
    KEYS[2] the global counter
    ARGV[1] group limit
    ARGV[2] global limit
    ARGV[3] window, seconds
  Output:
    {1, 0, ''} when the failure was counted (within both limits), else
    {0, seconds until the blocking window ends, 'address' | 'global'}
]==]
local window = tonumber(ARGV[3])
local function wait(k)
  local t = redis.call('TTL', k)
  if t < 1 then return window end
  return t
end
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return {0, wait(KEYS[1]), 'address'} end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[2]) then return {0, wait(KEYS[2]), 'global'} end
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  -- the window starts at the first failure and later ones do not push it back
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], window) end
end
return {1, 0, ''}
