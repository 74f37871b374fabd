-- wrk script for the tile server: a population of map users looking at places of the Mandelbrot set.
-- Each request picks a place by a Zipf-like law (rank r with probability ~ 1/r^s: a few places are
-- very popular, most are rarely seen), a zoom level uniformly from ZMIN..ZMAX, and one tile of a
-- VIEW_W x VIEW_H viewport centred on the place at that zoom: what a slippy map asks for when many
-- people pan and zoom around a few hundred places.
--   wrk -t16 -c16 -d60s --timeout 30s -s bench/wrk/viewports.lua http://127.0.0.1:8080
-- Settings through the environment: PLACES (default 2000), ZIPF_S (1.0), ZMIN (6), ZMAX (10),
-- VIEW_W (5), VIEW_H (4), SEED (1), METATILE (2: tiles per side of the server's metatiles, for the
-- count below). At the end it prints one line: RESULT key=value ..., with the distinct tiles and
-- metatiles this run asked for (its working set: tiles_asked, metatiles_asked).
-- Latency: each request is timed here, from request() (called as wrk writes it) to response(), so
-- run ONE CONNECTION PER THREAD (-tN -cN). A request that got no response (a timeout, a closed
-- connection) is counted as untimed; more than 1 % of them means two connections shared a thread,
-- and the script then reports no result.
-- wrk's own percentiles are not used: at the end wrk adds made-up samples for every response slower
-- than twice the mean interval of a connection (its coordinated-omission correction, wrk.c), which
-- in a closed loop mixing 1 ms hits with 1 s renders turns one slow response into hundreds of
-- samples. They are printed beside, as wrk_p99_ms.
-- MIX names a preset of these defaults (a variable set explicitly still wins):
--   MIX=uniform-zipf (the default): ZIPF_S=1.0, as above.
--   MIX=published: ZIPF_S=1.2, the skew measured in map-tile server logs. Four GlobeSIGht servers'
--     logs (Wuhan University, "Geomatics and Information Science of Wuhan University", abstract 873 at
--     ch.whu.edu.cn) follow a Zipf-like law where 5 % of the tiles requested get about 50 % of the
--     requests and 20 % get about 80 %; with ZIPF_S=1.2 this script gives 50 % and 78 % over 100,000
--     requests (ZIPF_S=1.0: 40 % and 72 %). The other settings stay, so the working set still
--     exceeds bench/server-load's budgets (8,500 tiles and 3,300 2x2 metatiles in 100,000 requests).
--     OpenStreetMap's standard layer sees 5 to 10 tile requests per CDN miss (P. Norman's log
--     analysis, openstreetmap.org/user/pnorman/diary/395961), a hit ratio of 80-90 % in front of
--     its renderers.

local presets = {
  ["uniform-zipf"] = { zipf_s = "1.0" },
  ["published"] = { zipf_s = "1.2" },
}
local mix = os.getenv("MIX") or "uniform-zipf"
local preset = presets[mix]
if preset == nil then
  error("viewports.lua: no MIX " .. mix .. " (uniform-zipf, published)")
end
local places = tonumber(os.getenv("PLACES") or "2000")
local zipf_s = tonumber(os.getenv("ZIPF_S") or preset.zipf_s)
local zmin = tonumber(os.getenv("ZMIN") or "6")
local zmax = tonumber(os.getenv("ZMAX") or "10")
local view_w = tonumber(os.getenv("VIEW_W") or "5")
local view_h = tonumber(os.getenv("VIEW_H") or "4")
local seed = tonumber(os.getenv("SEED") or "1")
local metatile = tonumber(os.getenv("METATILE") or "2")

-- Places on the boundary of the set, where the detail is: alternately on the main cardioid,
-- c = e^(it)/2 - e^(2it)/4, and on the period-2 bulb, c = -1 + e^(it)/4. The same list in every
-- thread (a fixed generator), in world coordinates u, v in [0, 1) as the server maps the plane
-- (z 0 spans [-2.5, 1.5] x [-2, 2], imaginary axis up).
local place_u, place_v = {}, {}
local state = 12345
local function next_unit()   -- a small LCG, so the places do not depend on Lua's random
  state = (state * 1103515245 + 12345) % 2147483648
  return state / 2147483648
end
for i = 1, places do
  local t = 2 * math.pi * next_unit()
  local cr, ci
  if i % 2 == 1 then
    cr, ci = math.cos(t) / 2 - math.cos(2 * t) / 4, math.sin(t) / 2 - math.sin(2 * t) / 4
  else
    cr, ci = -1 + math.cos(t) / 4, math.sin(t) / 4
  end
  place_u[i] = (cr + 2.5) / 4
  place_v[i] = (2 - ci) / 4
end

-- The cumulative Zipf weights over ranks 1..places, for a binary search per request.
local cdf, total = {}, 0
for r = 1, places do
  total = total + 1 / r ^ zipf_s
  cdf[r] = total
end

local function pick_place()
  local x = math.random() * total
  local lo, hi = 1, places
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < x then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- A monotonic clock in microseconds, through LuaJIT's FFI (wrk's Lua has no clock of its own).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } viewports_timespec;
int clock_gettime(int clock_id, viewports_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock_now = ffi.new("viewports_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock_now)
  return tonumber(clock_now.tv_sec) * 1000000 + math.floor(tonumber(clock_now.tv_nsec) / 1000)
end

local threads = {}
local thread_id = 0
function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
  threads[#threads + 1] = thread
end

-- This thread's state: its one request in flight (sent_at, nil when none), each response's latency in
-- us, and the requests that got no response.
latencies = {}
untimed = 0
tiles_asked, metatiles_asked = {}, {}   -- sets of this thread's requested tiles and their metatiles
local sent_at = nil

function init(args)
  math.randomseed(seed * 1000 + (id or 0))
end

function request()
  local p = pick_place()
  local z = math.random(zmin, zmax)
  local side = 2 ^ z
  local cx = math.floor(place_u[p] * side)
  local cy = math.floor(place_v[p] * side)
  local x = cx - math.floor(view_w / 2) + math.random(0, view_w - 1)
  local y = cy - math.floor(view_h / 2) + math.random(0, view_h - 1)
  x = math.max(0, math.min(side - 1, x))
  y = math.max(0, math.min(side - 1, y))
  if sent_at ~= nil then
    untimed = untimed + 1
  end
  local path = string.format("/tiles/%d/%d/%d.png", z, x, y)
  tiles_asked[path] = true
  metatiles_asked[string.format("%d/%d/%d", z, math.floor(x / metatile), math.floor(y / metatile))] = true
  sent_at = now_us()
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if sent_at == nil then
    untimed = untimed + 1   -- a response to no request of this thread's: another connection's
  else
    latencies[#latencies + 1] = now_us() - sent_at
    sent_at = nil
  end
end

local function count(set)
  local n = 0
  for _ in pairs(set) do
    n = n + 1
  end
  return n
end

-- The p-th percentile (nearest rank) of sorted values, in ms.
local function percentile_ms(sorted, p)
  if #sorted == 0 then
    return 0
  end
  return sorted[math.max(1, math.ceil(p / 100 * #sorted))] / 1000
end

function done(summary, latency, requests)
  local all, lost, tiles, metatiles = {}, 0, {}, {}
  for _, thread in ipairs(threads) do
    for _, us in ipairs(thread:get("latencies")) do
      all[#all + 1] = us
    end
    lost = lost + thread:get("untimed")
    for path in pairs(thread:get("tiles_asked")) do
      tiles[path] = true
    end
    for key in pairs(thread:get("metatiles_asked")) do
      metatiles[key] = true
    end
  end
  lost = lost - 1   -- wrk calls request() once more, on its first thread, to check the script (script_verify_request)
  if lost > summary.requests / 100 then
    io.stderr:write(string.format("viewports.lua: %d of %d requests untimed: run one connection per thread (wrk -tN -cN)\n",
      lost, summary.requests))
    os.exit(2)
  end
  table.sort(all)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f timed=%d "
      .. "wrk_p99_ms=%.2f tiles_asked=%d metatiles_asked=%d non2xx=%d connect_errors=%d read_errors=%d "
      .. "write_errors=%d timeouts=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    percentile_ms(all, 50), percentile_ms(all, 99), percentile_ms(all, 99.9), percentile_ms(all, 100), #all,
    latency:percentile(99) / 1000, count(tiles), count(metatiles), e.status, e.connect, e.read, e.write,
    e.timeout, summary.bytes))
end
