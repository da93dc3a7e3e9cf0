-- wrk script: every request is a new respondent's survey submission (a unique submission id,
-- no device cookie), so the server must store each one. Counts status codes per thread.
local counter = 0
local tid = 0
statuses = {}  -- global: done() reads it from each thread
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE")
  wrk.headers["X-Forwarded-For"] = "10.0.0." .. tid
end

function request()
  counter = counter + 1
  local sid = string.format("%08x-0000-4000-8000-%012x", tid, counter)
  local body = os.getenv("BENCH_BODY") .. "&submission_id=" .. sid
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
end
