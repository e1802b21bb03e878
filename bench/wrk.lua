-- SPDX-License-Identifier: Apache-2.0
-- wrk script of `make bench`: sends BENCH_COOKIE (if set) as the Cookie header and prints
-- one machine-readable line at the end (latencies in microseconds).
local cookie = os.getenv("BENCH_COOKIE")
if cookie ~= nil and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d socket_errors=%d status_errors=%d\n",
        summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(99),
        e.connect + e.read + e.write + e.timeout, e.status))
end
