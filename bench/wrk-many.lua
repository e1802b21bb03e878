-- SPDX-License-Identifier: Apache-2.0
-- wrk script of bench/ab-pair.sh with AB_SESSIONS: each request sends the next of the
-- Cookie headers in BENCH_COOKIES (a file, one per line), as many users' browsers would;
-- prints the same BENCH line as bench/wrk.lua.
local cookies = {}
local path = os.getenv("BENCH_COOKIES")
if path then
    for line in io.lines(path) do
        if line ~= "" then cookies[#cookies + 1] = line end
    end
end
local n = 0

function init(args)
    n = math.random(#cookies > 0 and #cookies or 1)
end

function request()
    if #cookies == 0 then return wrk.format() end
    n = n % #cookies + 1
    return wrk.format(nil, nil, { Cookie = cookies[n] })
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d socket_errors=%d status_errors=%d\n",
        summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(99),
        e.connect + e.read + e.write + e.timeout, e.status))
end
