-- Requests through a forward proxy: the request line carries the absolute form (RFC 9112 section 3.2.2),
-- BENCH_FORWARD_URL (http://127.0.0.1:PORT/1k), and Host names the origin, not the proxy wrk connects to.
-- Only the request is changed, once, so wrk keeps its fast path; the summary line comes from report.lua.
local url = os.getenv("BENCH_FORWARD_URL")
wrk.path = url
wrk.headers["Host"] = url:match("^http://([^/]+)")
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
