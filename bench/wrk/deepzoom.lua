-- OpenSeadragon deep-zoom sessions over IIIF, replayed. A session opens one of IMAGES images (photo-00 ...,
-- WIDTHxHEIGHT): info.json, then the 512-pixel tiles of a 1024x768 window around a random point at scale
-- factors 16, 8, 4, 2 and 1, as the viewer asks for them zooming in (its connections fetch a session's
-- tiles in parallel, as the viewer does).
-- Sessions pick their image by popularity, Zipf with exponent ZIPF (default 1) over the images: a few are
-- opened often, most now and then, as in any collection (with ZIPF=0 every image equally). Each session
-- looks at its own random point, so its coarse tiles (scale factors 16, 8, 4: the whole image) are those
-- earlier sessions of the image asked for, and its finest ones seldom are. Each wrk thread runs its own
-- seeded sequence of sessions, the same from run to run. Besides wrk's summary (RESULT), done() prints
-- the requests sent in each second of the clock (SENT epoch-second count, all threads together), so that
-- a run's rate can be followed over time; counting in request() adds no response hook, whose body copies
-- would slow wrk down.
local images = tonumber(os.getenv("IMAGES") or "20")
local W = tonumber(os.getenv("WIDTH") or "6000")
local H = tonumber(os.getenv("HEIGHT") or "4000")
local zipf = tonumber(os.getenv("ZIPF") or "1")

-- popularity[k]: the chance that a session opens one of images 1..k
local popularity, total = {}, 0
for k = 1, images do
  total = total + 1 / k ^ zipf
  popularity[k] = total
end
for k = 1, images do
  popularity[k] = popularity[k] / total
end

-- The paths of one new session, in the order the viewer asks for them.
local function session()
  local u, image = math.random(), images
  for k = 1, images do
    if u <= popularity[k] then
      image = k
      break
    end
  end
  local id = string.format("photo-%02d", image - 1)
  local paths = {"/iiif/3/" .. id .. "/info.json"}
  local cx, cy = math.random(512, W - 512), math.random(384, H - 384)
  for _, sf in ipairs({16, 8, 4, 2, 1}) do
    local span = 512 * sf
    local x0, x1 = math.max(0, cx - 512 * sf), math.min(W, cx + 512 * sf)
    local y0, y1 = math.max(0, cy - 384 * sf), math.min(H, cy + 384 * sf)
    for ty = math.floor(y0 / span), math.floor((y1 - 1) / span) do
      for tx = math.floor(x0 / span), math.floor((x1 - 1) / span) do
        local x, y = tx * span, ty * span
        local w, h = math.min(span, W - x), math.min(span, H - y)
        table.insert(paths, string.format("/iiif/3/%s/%d,%d,%d,%d/%d,%d/0/default.jpg", id, x, y, w, h,
          math.ceil(w / sf), math.ceil(h / sf)))
      end
    end
  end
  return paths
end

local current, n = {}, 0
sessions = 0   -- this thread's sessions begun: global, so that done() can read it
sent = {}      -- this thread's requests by second of the clock, likewise
init = function(args)
  math.randomseed(26 + (thread_id or 0))
end
request = function()
  if n == #current then
    current, n = session(), 0
    sessions = sessions + 1
  end
  n = n + 1
  local second = os.time()
  sent[second] = (sent[second] or 0) + 1
  return wrk.format("GET", current[n])
end
local threads = {}
setup = function(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end
done = function(summary, latency, requests)
  local total, seconds, begun = {}, {}, 0
  for _, thread in ipairs(threads) do
    begun = begun + thread:get("sessions")
    for second, count in pairs(thread:get("sent")) do
      if not total[second] then table.insert(seconds, second) end
      total[second] = (total[second] or 0) + count
    end
  end
  io.write(string.format("RESULT requests=%d errors=%d seconds=%.1f rps=%.1f p50ms=%.1f p90ms=%.1f p99ms=%.1f maxms=%.1f sessions=%d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, begun))
  table.sort(seconds)
  for _, second in ipairs(seconds) do
    io.write(string.format("SENT %d %d\n", second, total[second]))
  end
end
