-- wrk script: GET random keys of a loaded bench bucket.
--
--   wrk -t2 -c64 -d30s --latency -s bench/wrk/get.lua http://127.0.0.1:8081 -- [records] [consistency] [bucket]
--
-- Defaults: 100000 records, QUORUM, bucket "bench". Keys are user0 .. user<records-1>, as written by
-- `bin/kvorum bench run --load` (load them first, or every GET is a 404, which wrk reports as
-- "Non-2xx or 3xx responses"). Keys are uniform; each wrk thread has its own random stream.
-- wrk measures latency from the actual send, so it omits coordinated waits; use wrk2 (-R rate)
-- or `bin/kvorum bench run --rate` for corrected latencies.

local records, consistency, bucket = 100000, "QUORUM", "bench"
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  records = tonumber(args[1]) or records
  consistency = args[2] or consistency
  bucket = args[3] or bucket
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  local key = "user" .. math.random(0, records - 1)
  return wrk.format("GET", "/kv/" .. bucket .. "/" .. key .. "?consistency=" .. consistency)
end
