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
