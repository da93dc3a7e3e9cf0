-- wrk script: every request is a participant's write of an open-innovation idea, by one of
-- many signed-in people (their session cookies, one CSRF pair for all), each request a
-- different (person, idea) pair so that every support is a new row:
--   BENCH_KIND=support  POST <prefix><idea>/stod/       support=1
--   BENCH_KIND=comment  POST <prefix><idea>/kommentar/  body=...
--   BENCH_KIND=insert   POST /rad/                     who=<person>&what=<idea> (bare Django)
-- Request g (counted over all threads, from BENCH_OFFSET) is idea g % #ideas by person
-- (g // #ideas) % #people. Acknowledged = a 302 to the idea's "#support" / "#comment-"
-- anchor (a refused write also redirects, to the page itself) or, for the bare view, a 302.
-- Prints "status N: n", "ack: n", "max_g: n" and latency percentiles in ms.
local counter = 0
local tid = 0
local nthreads = 1
local offset = 0
local kind = "support"
local prefix = "/"
local sessions = {}
local ideas = {}
local max_g = -1
statuses = {}
acks = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if #line > 0 then table.insert(out, line) end
  end
  return out
end

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  nthreads = tonumber(os.getenv("BENCH_THREADS")) or 1
  offset = tonumber(os.getenv("BENCH_OFFSET")) or 0
  kind = os.getenv("BENCH_KIND") or "support"
  prefix = os.getenv("BENCH_PREFIX") or "/"
  sessions = lines(os.getenv("BENCH_SESSIONS_FILE"))
  for id in string.gmatch(os.getenv("BENCH_IDEAS"), "[^,]+") do table.insert(ideas, id) end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
  wrk.headers["Accept-Language"] = "sv-SE,sv;q=0.9"
end

function request()
  local g = offset + counter * nthreads + tid
  counter = counter + 1
  if g > max_g then max_g = g end
  local idea_index = g % #ideas
  local person = math.floor(g / #ideas) % #sessions
  local idea = ideas[idea_index + 1]
  local token = os.getenv("BENCH_CSRF_TOKEN")
  local cookie = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE")
  local path, body
  if kind == "insert" then
    path = "/rad/"
    body = "csrfmiddlewaretoken=" .. token .. "&who=" .. person .. "&what=" .. idea ..
      "&body=Bra+id%C3%A9%2C+jag+hj%C3%A4lper+g%C3%A4rna+till+" .. g
  else
    cookie = cookie .. "; sessionid=" .. sessions[person + 1]
    if kind == "support" then
      path = prefix .. idea .. "/stod/"
      body = "csrfmiddlewaretoken=" .. token .. "&support=1"
    else
      path = prefix .. idea .. "/kommentar/"
      body = "csrfmiddlewaretoken=" .. token ..
        "&body=Bra+id%C3%A9%2C+jag+hj%C3%A4lper+g%C3%A4rna+till+" .. g
    end
  end
  wrk.headers["Cookie"] = cookie
  return wrk.format("POST", path, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 302 then
    local location = headers["Location"] or headers["location"] or ""
    if kind == "insert" or location:find("#support", 1, true) or location:find("#comment-", 1, true) then
      acks = acks + 1
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  local ack = 0
  local top = -1
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses") or {}
    for code, n in pairs(s) do total[code] = (total[code] or 0) + n end
    ack = ack + (thread:get("acks") or 0)
  end
  for code, n in pairs(total) do io.write(string.format("status %d: %d\n", code, n)) end
  io.write(string.format("ack: %d\n", ack))
  io.write(string.format("requests: %d\n", summary.requests))
  io.write(string.format("seconds: %.3f\n", summary.duration / 1e6))
  io.write(string.format("p50_ms: %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p95_ms: %.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p99_ms: %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("errors: %d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
