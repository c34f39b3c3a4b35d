-- bench/soak.lua - the mixed load of bench/soak: reads (JSON, Markdown,
-- HTML), lists and search, the audit trail and diffs, revisions with a real
-- If-Match, lint, creations, and a few requests that must fail (404, 400,
-- stale If-Match).  $BENCH_SOAK_DOCS holds "id version" lines; thread t of
-- $BENCH_THREADS revises only its own share of them, one request per
-- document at a time (as bench/put.lua: the slot travels in X-Request-Id,
-- which prfaqd echoes).  done() prints the answers by status class:
--   SOAK_RESULT {"requests":N,"2xx":N,"3xx":N,"4xx":N,"5xx":N,"other":N}
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local all, mine, free, body = {}, {}, {}, nil
local head, tail = 1, 0
local seq = 0
n2, n3, n4, n5, nother = 0, 0, 0, 0, 0

local threads = {}

function setup(thread)
   threads[#threads + 1] = thread
   thread:set("tid", #threads)
end

local function give_back(k)
   tail = tail + 1
   free[tail] = k
end

function init(args)
   seed_random()
   local nthreads = tonumber(os.getenv("BENCH_THREADS"))
   for i, line in ipairs(read_lines(os.getenv("BENCH_SOAK_DOCS"))) do
      local id, v = line:match("^(%S+)%s+(%d+)$")
      all[#all + 1] = id
      if (i - 1) % nthreads == tid - 1 then
         mine[#mine + 1] = { id = id, version = tonumber(v) }
         give_back(#mine)
      end
   end
   body = read_lines(os.getenv("BENCH_SOAK_BODY"))[1]
end

local function get(path, accept)
   return wrk.format("GET", path, { ["Authorization"] = auth, ["Accept"] = accept })
end

local function post(path, data)
   return wrk.format("POST", path, {
      ["Authorization"] = auth, ["Content-Type"] = "application/json" }, data)
end

-- A revision of one of this thread's documents that no other request is
-- revising, or nil when all are in flight.
local function revise()
   if head > tail then return nil end
   local k = free[head]
   free[head] = nil
   head = head + 1
   local d = mine[k]
   seq = seq + 1
   return wrk.format("PUT", "/v1/prfaqs/" .. d.id, {
      ["Authorization"] = auth,
      ["Content-Type"] = "application/json",
      ["If-Match"] = '"' .. d.version .. '"',
      ["X-Request-Id"] = "soak-" .. tid .. "-" .. k .. "-" .. seq,
   }, '{"title":"Soak ' .. seq .. '","team":"soak","tags":["soak"],' ..
      '"content":' .. body .. ',"change_note":"soak ' .. seq .. '"}')
end

function request()
   local id = all[math.random(#all)]
   local r = math.random(100)
   if r <= 35 then return get("/v1/prfaqs/" .. id, "application/json") end
   if r <= 40 then return get("/v1/prfaqs/" .. id, "text/markdown") end
   if r <= 45 then return get("/v1/prfaqs/" .. id, "text/html") end
   if r <= 52 then return get("/v1/prfaqs?limit=20&tag=soak") end
   if r <= 57 then return get("/v1/prfaqs?q=refund&limit=10") end
   if r <= 62 then return get("/v1/prfaqs/" .. id .. "/events?limit=50") end
   if r <= 66 then return get("/v1/prfaqs/" .. id .. "/versions") end
   if r <= 70 then return get("/v1/prfaqs/" .. id .. "/diff?from=1&to=2") end
   if r <= 85 then
      local req = revise()
      if req then return req end
      return get("/v1/prfaqs/" .. id)
   end
   if r <= 92 then return post("/v1/lint", '{"content":' .. body .. '}') end
   if r <= 94 then
      return post("/v1/prfaqs", '{"title":"Soak new","tags":["soak"],"content":' .. body .. '}')
   end
   if r <= 96 then return get("/v1/prfaqs/00000000-0000-0000-0000-000000000000") end
   if r <= 98 then return post("/v1/prfaqs", '{"title": ') end
   return wrk.format("PUT", "/v1/prfaqs/" .. id, {
      ["Authorization"] = auth, ["Content-Type"] = "application/json",
      ["If-Match"] = '"0"' }, '{"title":"stale","content":{}}')
end

function response(status, headers, data)
   if status >= 500 then n5 = n5 + 1
   elseif status >= 400 then n4 = n4 + 1
   elseif status >= 300 then n3 = n3 + 1
   elseif status >= 200 then n2 = n2 + 1
   else nother = nother + 1 end
   local rid = headers["X-Request-Id"] or ""
   local k = tonumber(rid:match("^soak%-%d+%-(%d+)%-"))
   if k == nil or mine[k] == nil then return end
   local v
   if status == 200 then
      v = (headers["ETag"] or ""):match('"(%d+)"')
   elseif status == 412 then
      v = data:match('"current_version":(%d+)')
   end
   if v then mine[k].version = tonumber(v) end
   give_back(k)
end

function done(summary, latency, requests)
   local t = { 0, 0, 0, 0, 0 }
   for _, thread in ipairs(threads) do
      t[1] = t[1] + thread:get("n2")
      t[2] = t[2] + thread:get("n3")
      t[3] = t[3] + thread:get("n4")
      t[4] = t[4] + thread:get("n5")
      t[5] = t[5] + thread:get("nother")
   end
   local e = summary.errors
   io.write(string.format(
      'SOAK_RESULT {"requests":%d,"2xx":%d,"3xx":%d,"4xx":%d,"5xx":%d,"other":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
      '"latency_us":{"p50":%d,"p99":%d,"max":%d}}\n',
      summary.requests, t[1], t[2], t[3], t[4], t[5],
      e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max))
end
