-- Load script for wrk (bench/support/load.ts). GET: cycles through the request paths listed one
-- per line in the file named by WRK_PATHS. POST: sends the bodies listed one per line in the file
-- named by WRK_BODIES, each once, in order (to WRK_PATHS's first path, with WRK_CONTENT_TYPE); a
-- run that outlasts them sends the last one again, which the ledger answers as a duplicate, so it
-- shows up among the non-2xx answers. Prints wrk's summary as one JSON line at the end.
local function lines(file)
  local out = {}
  for line in io.lines(file) do
    out[#out + 1] = line
  end
  return out
end

local paths = lines(os.getenv("WRK_PATHS"))
local bodies = os.getenv("WRK_BODIES") and lines(os.getenv("WRK_BODIES")) or nil
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

function init(args)
  if bodies then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE")
    sent = 0
  end
end

function request()
  if bodies then
    sent = sent + 1
    return wrk.format(nil, paths[1], nil, bodies[math.min(sent, #bodies)])
  end
  offset = (offset or 0) + 1
  return wrk.format(nil, paths[offset % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationMicros":%d,"non2xx":%d,"errors":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
