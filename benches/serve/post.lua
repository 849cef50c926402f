-- wrk: POST the change file named by CHANGE to /v1/evaluate; at the end,
-- count the answers that were not 2xx/3xx (a figure counts only if none).
local f = assert(io.open(os.getenv("CHANGE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  io.write(string.format("non-2xx answers: %d, socket errors: %d\n",
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
