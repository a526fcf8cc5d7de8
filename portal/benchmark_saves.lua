-- wrk script of `manage.py benchmark_saves` (portal/benchmark_saves.py).
-- Arguments after "--": the request file (school id, path, cookie, CSRF token, body; tab
-- separated, one principal a line), the folder for the acknowledgements, the number of threads.
-- Thread i posts lines i, i+threads, ... so no two threads post as the same principal. Every
-- redirect (an acknowledged save) has its Location written to acks-<thread>.txt; a 200 is the
-- form coming back (a refusal or a conflict), counted as "refused".

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, out, nthreads = args[1], args[2], tonumber(args[3])
  requests = {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == id then
      local school, path, cookie, csrf, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", path, {
        ["Cookie"] = cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-CSRFToken"] = csrf,
      }, body)
    end
    i = i + 1
  end
  n = 0
  refused = 0
  acks = io.open(out .. "/acks-" .. id .. ".txt", "w")
  acks:setvbuf("line")
end

function request()
  n = n + 1
  return requests[((n - 1) % #requests) + 1]
end

function response(status, headers, body)
  if status == 302 then
    acks:write((headers["Location"] or "") .. "\n")
  elseif status == 200 then
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local refused_total = 0
  for _, thread in ipairs(threads) do
    refused_total = refused_total + (thread:get("refused") or 0)
  end
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p99_us": %d, "refused": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(99), refused_total))
end
