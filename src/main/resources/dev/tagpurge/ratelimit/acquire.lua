-- Takes a request's cost from several token buckets atomically: all or none.
-- KEYS[i]: one hash {tokens, ts} per bucket. ARGV: 5 numbers per bucket:
--   capacity, refill tokens, refill period (ms), cost, tokens needed (at least the cost; more
--   for a request that is not full, which may only spend a token the cap would otherwise lose).
-- Time is the Redis server's, so every replica sees the same clock.
-- Returns 0 when taken, else the milliseconds until it could be (nothing taken).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens = {}
local wait = 0
for i = 1, #KEYS do
  local b = (i - 1) * 5
  local cap, refill, period, need =
    tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 5])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tk, ts = tonumber(state[1]), tonumber(state[2])
  if tk == nil or ts == nil then
    tk, ts = cap, now
  end
  tk = math.min(cap, tk + math.max(0, now - ts) * refill / period)
  tokens[i] = tk
  if tk < need then
    wait = math.max(wait, (need - tk) * period / refill)
  end
end
for i = 1, #KEYS do
  local b = (i - 1) * 5
  local cap, refill, period, cost =
    tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  local left = tokens[i]
  if wait == 0 then
    left = left - cost
  end
  redis.call('HSET', KEYS[i], 'tokens', tostring(left), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(cap * period / refill) * 2 + 1000)
end
if wait > 0 then
  return math.max(1, math.ceil(wait))
end
return 0
