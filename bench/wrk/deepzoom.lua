-- OpenSeadragon deep-zoom sessions over IIIF, replayed: for each of IMAGES images (photo-00 ...,
-- WIDTHxHEIGHT), info.json, then the 512-pixel tiles of a 1024x768 window around a random point at
-- scale factors 16, 8, 4, 2 and 1, as the viewer asks for them zooming in. Every wrk thread walks
-- the same list from the start, round and round. Besides wrk's summary (RESULT), done() prints the
-- requests sent in each second of the clock (SENT epoch-second count, all threads together), so that a
-- run's rate can be followed over time; counting in request() adds no response hook, whose body
-- copies would slow wrk down.
local images = tonumber(os.getenv("IMAGES") or "20")
local W = tonumber(os.getenv("WIDTH") or "6000")
local H = tonumber(os.getenv("HEIGHT") or "4000")
local paths = {}
math.randomseed(26)
for i = 0, images - 1 do
  local id = string.format("photo-%02d", i)
  table.insert(paths, "/iiif/3/" .. id .. "/info.json")
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
end
local n = 0
sent = {}   -- this thread's requests by second of the clock: global, so that done() can read it
request = function()
  n = n % #paths + 1
  local second = os.time()
  sent[second] = (sent[second] or 0) + 1
  return wrk.format("GET", paths[n])
end
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d seconds=%.1f rps=%.1f p50ms=%.1f p90ms=%.1f p99ms=%.1f maxms=%.1f paths=%d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, #paths))
  local total, seconds = {}, {}
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("sent")) do
      if not total[second] then table.insert(seconds, second) end
      total[second] = (total[second] or 0) + count
    end
  end
  table.sort(seconds)
  for _, second in ipairs(seconds) do
    io.write(string.format("SENT %d %d\n", second, total[second]))
  end
end
