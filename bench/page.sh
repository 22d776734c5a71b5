#!/usr/bin/env bash
# The web page's load time on loopback, in Debian's headless Chromium driven by Selenium
# (dev.dojo.bench.PageLoadBench): the job list (/) and a finished seed sine job's page
# (/#/jobs/{id}), each loaded cold (a fresh browser profile: empty cache, new connection) and then
# twice warm in the same browser. Prints one JSON line per load with the Navigation Timing figures
# (ttfb, domContentLoaded, load: each the event's end, in ms from navigation start) and "rendered"
# (the page's content is in the DOM), then min-max and median per page and cache.
# Usage: bench/page.sh [runs]   (needs apt-get install -y chromium chromium-driver)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
. bench/lib.sh

machine
echo "# browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
build

start_service page 18100 health

# One finished seed job, so the list has a row and the job page has a curve, a fit plot and 500 metrics.
JOB=$(curl -s -X POST $BASE/api/jobs -H 'Content-Type: application/json' -d '{"task":"sine-regression","name":"page bench"}' \
      | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -s "$BASE/api/jobs/$JOB?waitSeconds=120" >/dev/null

bench_main dev.dojo.bench.PageLoadBench "$BASE" "$JOB" "$RUNS" 2>/dev/null \
  | grep '^{'
