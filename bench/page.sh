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
OUT=bench/out
mkdir -p "$OUT"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
./mvnw -q -B -DskipTests package
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null

PORT=18100
DATA=$(mktemp -d)
cp target/dojo-*.jar "$OUT/dojo-page.jar"   # a copy: a build during the run must not swap the jar under the service
java -jar "$OUT/dojo-page.jar" --server.port=$PORT --dojo.data-dir="$DATA" > "$OUT/page-service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
BASE=http://127.0.0.1:$PORT

# One finished seed job, so the list has a row and the job page has a curve, a fit plot and 500 metrics.
JOB=$(curl -s -X POST $BASE/api/jobs -H 'Content-Type: application/json' -d '{"task":"sine-regression","name":"page bench"}' \
      | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -s "$BASE/api/jobs/$JOB?waitSeconds=120" >/dev/null

java -cp "target/classes:target/test-classes:$(cat "$OUT/classpath.txt")" dev.dojo.bench.PageLoadBench "$BASE" "$JOB" "$RUNS" 2>/dev/null \
  | grep '^{'
