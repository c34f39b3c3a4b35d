-- bench/list.lua - GET a random path from $BENCH_PATHS (one a line, e.g.
-- /v1/prfaqs?status=in_review or /v1/prfaqs?q=lockers), authenticated.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local paths, headers

function init(args)
   seed_random()
   paths = read_lines(os.getenv("BENCH_PATHS"))
   headers = { ["Authorization"] = auth }
end

function request()
   return wrk.format("GET", paths[math.random(#paths)], headers)
end
