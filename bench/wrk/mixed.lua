-- wrk script: a YCSB-style mix of GETs and blind PUTs on random keys (workload A by default).
--
--   wrk -t2 -c64 -d30s --latency -s bench/wrk/mixed.lua http://127.0.0.1:8081 -- [read-proportion] [records] [value-size] [consistency] [bucket]
--
-- Defaults: 0.5 reads (A; 0.95 is B), 100000 records, 1024-byte values, QUORUM, bucket "bench".
-- Load the records and set the bucket to lww first (see put.lua), e.g.
--   bin/kvorum bench run --nodes 127.0.0.1:8081 --records 100000 --load --operations 0
-- wrk reports one latency distribution for both operations; `bin/kvorum bench run` separates them.

local reads, records, size, consistency, bucket = 0.5, 100000, 1024, "QUORUM", "bench"
local value
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  reads = tonumber(args[1]) or reads
  records = tonumber(args[2]) or records
  size = tonumber(args[3]) or size
  consistency = args[4] or consistency
  bucket = args[5] or bucket
  math.randomseed(os.time() * 1000 + (id or 0))
  local chars = {}
  for i = 1, size do
    chars[i] = string.char(math.random(97, 122))
  end
  value = table.concat(chars)
end

function request()
  local path = "/kv/" .. bucket .. "/user" .. math.random(0, records - 1) .. "?consistency=" .. consistency
  if math.random() < reads then
    return wrk.format("GET", path)
  end
  return wrk.format("PUT", path, { ["Content-Type"] = "application/octet-stream" }, value)
end
