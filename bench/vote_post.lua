-- wrk script: every request is a vote from a phone (a new participant every fourth request,
-- otherwise the same phone voting on its next statement). Counts status codes per thread.
local counter = 0
local tid = 0
statuses = {}
local threads = {}
local statements = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  for id in string.gmatch(os.getenv("BENCH_STATEMENTS"), "[^,]+") do table.insert(statements, id) end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  counter = counter + 1
  local phone = math.floor(counter / 4)
  local token = string.format("bench%04d%034d", tid, phone)
  local statement = statements[(counter % #statements) + 1]
  wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE") .. "; platsa_voter=" .. token
  local body = "csrfmiddlewaretoken=" .. os.getenv("BENCH_CSRF_TOKEN") .. "&statement=" .. statement .. "&vote=" .. ((counter % 3) - 1)
  return wrk.format(nil, nil, nil, body)
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
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95) / 1000))
end
