-- wrk script: every request reads one ticket with its holder token ($VQ_TICKET_ID, $VQ_TICKET_TOKEN).
wrk.method = "GET"
wrk.path = "/api/v1/tickets/" .. os.getenv("VQ_TICKET_ID")
wrk.headers["X-Ticket-Token"] = os.getenv("VQ_TICKET_TOKEN")

local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end
