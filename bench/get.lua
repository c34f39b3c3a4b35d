-- bench/get.lua - GET /v1/prfaqs/{id} for random ids ($BENCH_IDS: one id a
-- line), with the bearer token when $BENCH_TOKEN is set (the floor ignores it).
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local ids, headers

function init(args)
   seed_random()
   ids = read_lines(os.getenv("BENCH_IDS"))
   headers = { ["Authorization"] = auth }
end

function request()
   return wrk.format("GET", "/v1/prfaqs/" .. ids[math.random(#ids)], headers)
end
