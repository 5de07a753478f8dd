"""The engine's Lua scripts. Each runs atomically on the Redis server, with the server's clock (`TIME`), and names
every key it touches in KEYS (reference/engine.md §2). redis-py's `register_script` reloads a script Redis forgot."""

from __future__ import annotations

from typing import Final

# KEYS: priority, bulk, meta, ready.
# ARGV: entry, due (ms), lane name, interval (µs per segment), lane ("priority" or "bulk").
PUSH: Final = """
local key = KEYS[1]
if ARGV[5] == 'bulk' then key = KEYS[2] end
redis.call('ZADD', key, 'NX', ARGV[2], ARGV[1])
redis.call('HSET', KEYS[3], 'interval', ARGV[4])
redis.call('ZADD', KEYS[4], 'LT', ARGV[2], ARGV[3])
return 1
"""

# Take the next due message of a lane if the lane is not held and its bucket admits it; then say when the lane may
# next send. KEYS: priority, bulk, tat, meta, ready, tenant hold. ARGV: lane name, burst (µs).
# Returns {entry, 0} when taken, {'', wait_ms} when nothing may leave now (the lane is rescheduled), {'', -1} when the
# lane is empty (it leaves the ready set).
TAKE: Final = """
local t = redis.call('TIME')
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local now_ms = math.floor(now_us / 1000)
local name = ARGV[1]
local burst = tonumber(ARGV[2])
local function reschedule(wait_ms)
  redis.call('ZADD', KEYS[5], now_ms + wait_ms, name)
  return {'', wait_ms}
end
if redis.call('EXISTS', KEYS[6]) == 1 or redis.call('HGET', KEYS[4], 'hold') == '1' then
  return reschedule(1000)
end
local interval = tonumber(redis.call('HGET', KEYS[4], 'interval') or '0')
if interval <= 0 then return reschedule(1000) end
local priority = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local bulk = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local key, head, due = nil, nil, nil
if #priority > 0 and tonumber(priority[2]) <= now_ms then
  key, head = KEYS[1], priority[1]
elseif #bulk > 0 and tonumber(bulk[2]) <= now_ms then
  key, head = KEYS[2], bulk[1]
elseif #priority == 0 and #bulk == 0 then
  redis.call('ZREM', KEYS[5], name)
  return {'', -1}
else
  local next_due = math.huge
  if #priority > 0 then next_due = tonumber(priority[2]) end
  if #bulk > 0 and tonumber(bulk[2]) < next_due then next_due = tonumber(bulk[2]) end
  return reschedule(math.max(1, next_due - now_ms))
end
local cost = tonumber(string.match(head, ':(%d+)$'))
local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
if tat < now_us then tat = now_us end
if tat - now_us > burst then
  return reschedule(math.ceil((tat - now_us - burst) / 1000))
end
local new_tat = tat + cost * interval
redis.call('SET', KEYS[3], new_tat, 'PX', math.ceil((new_tat - now_us) / 1000) + 60000)
redis.call('ZREM', key, head)
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[5], name)
else
  redis.call('ZADD', KEYS[5], math.max(now_ms, math.ceil((new_tat - burst) / 1000)), name)
end
return {head, 0}
"""

# A leased counting semaphore. KEYS: the set. ARGV: holder, limit, lease (ms). 1 when acquired.
ACQUIRE: Final = """
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 1000)
  return 1
end
return 0
"""

# Holders whose lease has not run out. KEYS: the set.
LIVE: Final = """
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
return redis.call('ZCARD', KEYS[1])
"""

# Reserve the next slot of a rate shared by every worker (GCRA): returns the microseconds to wait before using it.
# KEYS: the slot key. ARGV: interval (µs between slots).
RESERVE: Final = """
local t = redis.call('TIME')
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now_us then tat = now_us end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil((tat + interval - now_us) / 1000) + 1000)
return tat - now_us
"""
