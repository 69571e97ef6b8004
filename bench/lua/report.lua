-- Prints one machine-readable line when a wrk run ends; run.sh tabulates it.
-- Only `done` is defined, so wrk keeps its fast path (no Lua per request).
-- Latencies are in microseconds inside wrk; printed in milliseconds.
-- wrk counts a response as a status error when its code is 400 or above.
done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f bytes=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.bytes,
    e.connect, e.read, e.write, e.timeout, e.status))
end
