-- bench/lint.lua - POST /v1/lint with the body in $BENCH_BODY.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local req

function init(args)
   local f = assert(io.open(os.getenv("BENCH_BODY"), "r"))
   local body = f:read("*a")
   f:close()
   req = wrk.format("POST", "/v1/lint", {
      ["Authorization"] = auth,
      ["Content-Type"] = "application/json",
   }, body)
end

function request()
   return req
end
