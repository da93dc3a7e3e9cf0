-- wrk script: GET with a browser's Accept-Encoding; prints status counts and the latency
-- percentiles wrk's own report leaves out (p95), in milliseconds, as "key: value" lines.
statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
  wrk.headers["Accept-Language"] = "sv-SE,sv;q=0.9"
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses") or {}
    for code, n in pairs(s) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("status %d: %d\n", code, n)) end
  io.write(string.format("requests: %d\n", summary.requests))
  io.write(string.format("seconds: %.3f\n", summary.duration / 1e6))
  io.write(string.format("p50_ms: %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p95_ms: %.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p99_ms: %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("errors: %d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
