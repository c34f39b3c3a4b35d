-- bench/common.lua - shared by the wrk scripts of bench/run (loaded with
-- dofile from $BENCH_DIR).  Each wrk thread has its own Lua state: setup()
-- runs in the main state and hands every thread its number (tid, from 1);
-- done() prints one machine-readable line that bench/run collects.

token = os.getenv("BENCH_TOKEN")
auth = token and ("Bearer " .. token) or nil

-- The lines of a file, without empty ones.
function read_lines(path)
   local lines = {}
   local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
   for line in f:lines() do
      if line ~= "" then lines[#lines + 1] = line end
   end
   f:close()
   return lines
end

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function seed_random()
   math.randomseed(os.time() * 1000 + tid * 7919)
   math.random(); math.random()
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max))
end
