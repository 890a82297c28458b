-- wrk: replays distinct pre-signed callbacks from a file (one per line: METHOD query body), each thread its own
-- share, never repeating one unless the file runs out (then it says WRAPPED, and the run does not count).
-- WRK_THINK_MS in the environment: milliseconds each connection waits between its requests (wrk's delay(), not
-- counted in the latency), for a load below saturation, where latency is the callback's own and not a queue's.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  local n = 0
  local i = 0
  for line in io.lines(args[1]) do
    if i % 2 == id then
      local method, query, body = line:match("^(%S+) (%S+) (.*)$")
      local path = wrk.path .. "?" .. query
      if method == "GET" then
        n = n + 1
        requests[n] = wrk.format("GET", path)
      else
        n = n + 1
        requests[n] = wrk.format("POST", path, {["Content-Type"] = "text/xml"}, body)
      end
    end
    i = i + 1
  end
  index = 0
  wrapped = false
end

-- Defined only when asked for: with a delay() at all, wrk schedules every request through a timer.
local think = tonumber(os.getenv("WRK_THINK_MS") or "")
if think ~= nil then
  function delay()
    return think
  end
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    wrapped = true
  end
  return requests[index]
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") then
      print("WRAPPED")
    end
  end
end
