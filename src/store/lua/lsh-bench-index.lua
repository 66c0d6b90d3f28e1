--[==[
  Bench only (src/bench/lsh-bench.ts): the LSH index work of one dedup step in
  the current layout, with the functions lsh-query.lua uses (no placement
  reads, no ordering), to compare with the baseline layouts step for step:
  issue a ref, resize or move generations, write the signature record, read
  this article's groups and append to them, read the candidates' records.

  Input:
    KEYS[1] ref seq
    KEYS[2] refs by hour
    KEYS[3] generations HASH
    ARGV[1] JSON {now, window (s), recordSize, perBlock, tags, gen, keys = {block, bucket}} (as lsh-query.lua)
    ARGV[2] bucket spec, 4 bytes per band
    ARGV[3] this article's signature record (binary)
  Output:
    the number of candidate records read
]==]
--- @include "lsh-common"

local p = cjson.decode(ARGV[1])
local K, G, T = p.keys, p.gen, p.tags
local spec = ARGV[2]
local nb = #spec / 4
local hour = math.floor(p.now / 3600000)
local cutoff_hour = math.floor((p.now - p.window * 1000) / 3600000)
local ref = redis.call('INCR', KEYS[1])
note_hour(KEYS[2], ref, hour, cutoff_hour, G.keepFor)
local lowest = min_ref(KEYS[2], cutoff_hour)
local gens = maintain_gens(KEYS[3], read_gens(KEYS[3]), ref, ref - lowest + 1, nb, p.now, G, G.keepFor)
migrate_step(KEYS[3], gens, T, ref - lowest + 1, lowest, K.bucket, G.keepFor)
write_record(K.block, ref, ARGV[3], p.perBlock, T, G.keepFor)
local refs = bucket_refs(gens, spec, T, lowest, ref, K.bucket, ref_bytes(ref), true, G.keepFor)
local read = 0
for _, r in ipairs(refs) do
  if record_of(K.block, r, p.recordSize, p.perBlock, T) then read = read + 1 end
end
return read
