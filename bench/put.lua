-- bench/put.lua - PUT /v1/prfaqs/{id} with a real If-Match, every document
-- edited by one connection at a time.
--
-- $BENCH_PUT_DOCS holds "id version" lines; thread t of $BENCH_THREADS takes
-- every lines with (i - 1) % threads == t - 1, so no two threads share a
-- document.  Within a thread, a document is taken from a FIFO of free ones
-- for each request and given back when its response arrives, with the new
-- version from the ETag (or, after a 412, the current_version the problem
-- names).  wrk's Lua does not say which connection a response belongs to,
-- so the request carries its slot in X-Request-Id, which prfaqd echoes.
-- Bodies ({title, team, tags, content, change_note}, one a line) come from
-- $BENCH_PUT_BODIES in turn.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local docs, free, bodies = {}, {}, nil
local head, tail = 1, 0
local seq = 0

local function give_back(k)
   tail = tail + 1
   free[tail] = k
end

function init(args)
   local nthreads = tonumber(os.getenv("BENCH_THREADS"))
   for i, line in ipairs(read_lines(os.getenv("BENCH_PUT_DOCS"))) do
      if (i - 1) % nthreads == tid - 1 then
         local id, v = line:match("^(%S+)%s+(%d+)$")
         docs[#docs + 1] = { id = id, version = tonumber(v) }
         give_back(#docs)
      end
   end
   bodies = read_lines(os.getenv("BENCH_PUT_BODIES"))
end

function request()
   local k
   if head <= tail then
      k = free[head]
      free[head] = nil
      head = head + 1
   else
      -- Only after transport errors lost some responses: share a document.
      k = math.random(#docs)
   end
   local d = docs[k]
   seq = seq + 1
   return wrk.format("PUT", "/v1/prfaqs/" .. d.id, {
      ["Authorization"] = auth,
      ["Content-Type"] = "application/json",
      ["If-Match"] = '"' .. d.version .. '"',
      ["X-Request-Id"] = "bench-" .. tid .. "-" .. k .. "-" .. seq,
   }, bodies[1 + seq % #bodies])
end

function response(status, headers, body)
   local rid = headers["X-Request-Id"] or ""
   local k = tonumber(rid:match("^bench%-%d+%-(%d+)%-"))
   if k == nil or docs[k] == nil then return end
   local v
   if status == 200 then
      v = (headers["ETag"] or ""):match('"(%d+)"')
   elseif status == 412 then
      v = body:match('"current_version":(%d+)')
   end
   if v then docs[k].version = tonumber(v) end
   give_back(k)
end
