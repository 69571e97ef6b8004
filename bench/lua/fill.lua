-- Asks for a new URL every request (PATH?i=1, PATH?i=2, ...), so every response is a miss that the cache
-- stores and, once the cache is full, each store evicts. Use with one wrk thread (-t1): the counter is per thread.
local n = 0
local path = os.getenv("FILL_PATH") or "/1k"

request = function()
  n = n + 1
  return wrk.format("GET", path .. "?i=" .. n)
end

done = function(summary, latency, requests)
  io.write(string.format("FILL_RESULT requests=%d seconds=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
      + summary.errors.status))
end
