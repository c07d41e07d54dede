package redislimit

import "github.com/redis/go-redis/v9"

// takeScript counts one request on KEYS[1] if the rule allows it, as
// ratelimit's in-process take does. ARGV: now, window, interval (µs).
// It returns allowed (1 or 0), remaining, retry-in and reset-in (µs).
// Every number is a whole number of microseconds, exact in Lua's doubles.
// The key expires a minute after its burst is whole again: the expiry
// only collects unused keys, and the slack keeps a key that a replica
// whose clock is behind still needs.
var takeScript = redis.NewScript(`
local now, window, interval = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call("GET", KEYS[1])) or now
if tat < now then tat = now end
local next = tat + interval
local allow_at = next - window
if allow_at > now then
  return {0, 0, allow_at - now, tat - now}
end
redis.call("SET", KEYS[1], string.format("%d", next), "PX", math.ceil((next - now) / 1000) + 60000)
return {1, math.floor((now - allow_at) / interval), 0, next - now}
`)

// giveBackScript takes one request off KEYS[1], as ratelimit's giveBack
// does: its TAT moves one interval earlier, and the key goes when that is
// not after now. ARGV as takeScript's.
var giveBackScript = redis.NewScript(`
local now, interval = tonumber(ARGV[1]), tonumber(ARGV[3])
local tat = tonumber(redis.call("GET", KEYS[1]))
if not tat then return 0 end
local back = tat - interval
if back <= now then
  redis.call("DEL", KEYS[1])
else
  redis.call("SET", KEYS[1], string.format("%d", back), "PX", math.ceil((back - now) / 1000) + 60000)
end
return 0
`)
