-- wrk script: every request takes a ticket in the public queue given by $VQ_BENCH_PATH.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"bench"}'
wrk.path = os.getenv("VQ_BENCH_PATH")

local failures = 0
function response(status, headers, body)
  if status ~= 201 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end

-- VQ_BENCH_DELAY_MS paces each connection: it waits that long before each request, so N connections
-- offer at most N * 1000 / delay joins/s and the latencies are those of an unsaturated server.
local pace = tonumber(os.getenv("VQ_BENCH_DELAY_MS") or "")
if pace then
  function delay()
    return pace
  end
end
