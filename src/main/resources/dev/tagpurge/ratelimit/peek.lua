-- Reads the tokens of token buckets after refill, changing nothing (an operator's preview).
-- KEYS[i]: one hash {tokens, ts} per bucket; ARGV: 3 numbers per bucket: capacity, refill tokens,
-- refill period (ms). A missing bucket is full. Returns the tokens of each, as strings (fractions).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i = 1, #KEYS do
  local b = (i - 1) * 3
  local cap, refill, period = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tk, ts = tonumber(state[1]), tonumber(state[2])
  if tk == nil or ts == nil then
    tk, ts = cap, now
  end
  out[i] = tostring(math.min(cap, tk + math.max(0, now - ts) * refill / period))
end
return out
