-- wrk script: GET /api/v1/deployments/{id}, round-robin over the ids in the file named by the first argument
-- (one id a line; run.sh writes it from the list API).
-- Usage: wrk -t2 -c8 -d30s --latency -s get.lua http://127.0.0.1:8081 -- ids.txt
function init(args)
  ids = {}
  for line in io.lines(args[1] or "ids.txt") do
    if #line > 0 then
      ids[#ids + 1] = line
    end
  end
  next_id = math.random(#ids)
end

function request()
  next_id = next_id % #ids + 1
  return wrk.format("GET", "/api/v1/deployments/" .. ids[next_id],
    {["Authorization"] = "Bearer " .. os.getenv("ROLLWATCH_TOKEN")})
end
