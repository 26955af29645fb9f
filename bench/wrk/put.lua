-- wrk script: PUT a random value to random keys (blind writes; use an lww bucket).
--
--   wrk -t2 -c64 -d30s --latency -s bench/wrk/put.lua http://127.0.0.1:8081 -- [records] [value-size] [consistency] [bucket]
--
-- Defaults: 100000 records, 1024-byte values, QUORUM, bucket "bench". Set the bucket to
-- last-write-wins first, or blind writes pile up siblings until the sibling cap answers 409:
--   curl -X PUT http://127.0.0.1:8081/buckets/bench -H 'Content-Type: application/json' -d '{"conflict":"lww"}'
-- Keys are user0 .. user<records-1>, uniform; the value is random bytes (printable), made once per
-- thread. The body is sent as application/octet-stream (never form-encoded).

local records, size, consistency, bucket = 100000, 1024, "QUORUM", "bench"
local value
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  records = tonumber(args[1]) or records
  size = tonumber(args[2]) or size
  consistency = args[3] or consistency
  bucket = args[4] or bucket
  math.randomseed(os.time() * 1000 + (id or 0))
  local chars = {}
  for i = 1, size do
    chars[i] = string.char(math.random(97, 122))
  end
  value = table.concat(chars)
end

function request()
  local key = "user" .. math.random(0, records - 1)
  return wrk.format("PUT", "/kv/" .. bucket .. "/" .. key .. "?consistency=" .. consistency,
    { ["Content-Type"] = "application/octet-stream" }, value)
end
