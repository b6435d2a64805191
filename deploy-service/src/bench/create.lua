-- wrk script: POST /api/v1/deployments, every request a distinct service (so never 409 deployment-in-progress).
-- Usage: wrk -t2 -c8 -d30s --latency -s create.lua http://127.0.0.1:8081 -- <target-url>
-- ROLLWATCH_TOKEN: a token with the deployer role (run.sh mints one).
-- Each deployment sets 5% on the target once (one signed call), then waits at an open-ended gate.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  target = args[1] or "http://127.0.0.1:8090"
  run = tostring(os.time())
  counter = 0
  refused = 0
end

function request()
  counter = counter + 1
  local body = string.format('{"service": "bench-%s-%d-%d", "environment": "bench", "version": "2.0.0", '
    .. '"previousVersion": "1.0.0", "target": {"type": "http", "url": "%s"}, '
    .. '"strategy": {"steps": [{"setWeight": 5}, {"pause": {}}]}}',
    run, tid, counter, target)
  return wrk.format("POST", "/api/v1/deployments", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("ROLLWATCH_TOKEN")}, body)
end

function response(status, headers, body)
  if status ~= 202 then
    refused = refused + 1
    if refused <= 3 then
      print("unexpected " .. status .. ": " .. body)
    end
  end
end
