-- Lowers the tokens of buckets to at most ARGV[1] (after refill): the provider said we have fewer.
-- KEYS[i]: one hash {tokens, ts} per bucket; ARGV[2..]: 3 numbers per bucket: capacity, refill
-- tokens, refill period (ms).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ceiling = tonumber(ARGV[1])
for i = 1, #KEYS do
  local b = 1 + (i - 1) * 3
  local cap, refill, period = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tk, ts = tonumber(state[1]), tonumber(state[2])
  if tk == nil or ts == nil then
    tk, ts = cap, now
  end
  tk = math.min(cap, tk + math.max(0, now - ts) * refill / period, ceiling)
  redis.call('HSET', KEYS[i], 'tokens', tostring(tk), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(cap * period / refill) * 2 + 1000)
end
return 0
