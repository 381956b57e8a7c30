-- wrk script for B2 (scripts/bench-http): POSTs the bodies of a file, one body per line; thread i
-- of n takes lines i, i+n, i+2n, ... and cycles through them. Prints one JSON line at the end.
--   WRK_THREADS=2 EVENTS_PER_BODY=1 wrk -t2 -c64 -d30s -s post.lua URL -- BODIES TOKEN
local threads = {}
local counter = 0
local per_body = tonumber(os.getenv("EVENTS_PER_BODY") or "1")

function setup(thread)
    thread:set("index", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

local bodies = {}
local position = 1

function init(args)
    local file, token = args[1], args[2]
    local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
    local n = 0
    for line in io.lines(file) do
        if n % nthreads == index then table.insert(bodies, line) end
        n = n + 1
    end
    wrk.method = "POST"
    wrk.headers["Authorization"] = "Bearer " .. token
    wrk.headers["Content-Type"] = "application/json"
    created = 0
    other = 0
end

function request()
    local body = bodies[position]
    position = position + 1
    if position > #bodies then position = 1 end
    return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
    if status == 201 or status == 200 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
    local ok, bad = 0, 0
    for _, thread in ipairs(threads) do
        ok = ok + thread:get("created")
        bad = bad + thread:get("other")
    end
    local seconds = summary.duration / 1e6
    io.write(string.format(
        '{"bench": "http", "events_per_body": %d, "requests": %d, "ok": %d, "not_ok": %d, "socket_errors": %d, ' ..
        '"seconds": %.3f, "requests_per_s": %.1f, "events_per_s": %.1f, ' ..
        '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
        per_body, summary.requests, ok, bad,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        seconds, summary.requests / seconds, ok * per_body / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000))
end
