-- wrk script: GET a random path from the file $WRK_PATHS (one per line) with Accept $WRK_ACCEPT.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end
local accept = os.getenv("WRK_ACCEPT") or "*/*"
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)], { ["Accept"] = accept })
end
