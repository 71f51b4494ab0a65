-- wrk script: GET the paths of $MILIEU_PATHS (one a line) round robin, with the session
-- cookie $MILIEU_COOKIE and a browser's Accept-Encoding; prints one RESULT line for run.sh.
local paths = {}
local cookie = os.getenv("MILIEU_COOKIE") or ""
for line in io.lines(os.getenv("MILIEU_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local i = math.random(#paths)

request = function()
  i = i % #paths + 1
  -- The Accept-Encoding a browser sends: the network JSON is then served gzip-compressed.
  return wrk.format("GET", paths[i], { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip, deflate, br, zstd" })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
