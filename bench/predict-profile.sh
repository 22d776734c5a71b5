#!/usr/bin/env bash
# Where a prediction's time goes at 32 concurrent single-image clients, with batching on (the
# default, wait-for=auto) and off (max-size 1), two nodes side by side in one run. For each it prints
# ApacheBench's throughput and latency, the CPU seconds each kind of thread used per request (from
# /proc/PID/task/*/stat: request threads, libtorch's OpenMP helpers, GC, JIT; and ab's own), the
# forward passes the batcher ran and their time (its dojo_prediction_forward_seconds meter), and, for
# the batching node, what its request threads' Java code was doing (a JFR recording of the measured
# run, its samples grouped by library). A floor with the same HTTP stack and no model: GET /api/tasks.
# Usage: [REQUESTS=10000] [WARMUP=60000] [SPEC='{"task":"mnist",...}'] bench/predict-profile.sh   (needs apache2-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MNIST=$OUT/mnist
REQUESTS=${REQUESTS:-10000}
WARMUP=${WARMUP:-60000}
SPEC=${SPEC:-'{"task":"mnist","hyperparameters":{"epochs":1,"optimizer":"adam","learningRate":0.001,"seed":0}}'}
command -v ab >/dev/null || { echo "needs ab: apt-get install -y apache2-utils" >&2; exit 1; }

machine
mnist_files
build

trap stop_nodes EXIT
start_node profile-auto 18196 --dojo.datasets.mnist-dir="$(pwd)/$MNIST" --dojo.prediction.batch.wait-for=auto
start_node profile-off 18197 --dojo.datasets.mnist-dir="$(pwd)/$MNIST" --dojo.prediction.batch.max-size=1
NAMES=(auto off)
PORTS=(18196 18197)

JOBS=()
for i in 0 1; do
  out=$(/usr/bin/python3 bench/service_client.py "http://127.0.0.1:${PORTS[$i]}" job "$SPEC")
  echo "${NAMES[$i]}: $(echo "$out" | cut -c1-200)"
  JOBS+=("$(echo "$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
done

predict_body

# load N PORT PATH [BODY]: ab at 32 clients; prints ab's summary line, its own CPU seconds last
load() {
  local n=$1 port=$2 path=$3 body=${4:-} out t
  TIMEFORMAT='%U %S'
  if [ -n "$body" ]; then
    { t=$( { time ab -k -q -c 32 -n "$n" -p "$body" -T application/json "http://127.0.0.1:$port$path" > "$OUT/profile-ab.txt" 2>&1; } 2>&1 ); }
  else
    { t=$( { time ab -k -q -c 32 -n "$n" "http://127.0.0.1:$port$path" > "$OUT/profile-ab.txt" 2>&1; } 2>&1 ); }
  fi
  awk -v t="$t" '/Requests per second/ {rps=$4} /^  50%/ {p50=$2} /^  99%/ {p99=$2} /^Non-2xx/ {bad=$3}
       END {split(t, c, " "); printf "%.0f req/s, p50 %d ms, p99 %d ms, non-2xx %d, ab used %.2f CPU s\n", rps, p50, p99, bad, c[1] + c[2]}' "$OUT/profile-ab.txt"
}

# meters PORT: the batcher's forward-pass seconds and count, and its instances, from /actuator/prometheus
meters() {
  curl -s "http://127.0.0.1:$1/actuator/prometheus" | awk '
    /^dojo_prediction_forward_seconds_sum/ {fs=$2} /^dojo_prediction_forward_seconds_count/ {fc=$2}
    /^dojo_prediction_batch_size_instances_sum/ {is=$2}
    END {printf "%s %s %s\n", fs, fc, is}'
}
# passes PORT BEFORE REQUESTS: the forward passes between BEFORE (meters' line) and now
passes() {
  read -r fs0 fc0 is0 <<<"$2"
  read -r fs1 fc1 is1 <<<"$(meters "$1")"
  awk -v fs="$(echo "$fs1 - $fs0" | bc -l)" -v fc="$(echo "$fc1 - $fc0" | bc -l)" -v is="$(echo "$is1 - $is0" | bc -l)" -v n="$3" \
    'BEGIN {printf "  forward passes: %d for %d instances (%.1f per pass), %.3f ms each, %.3f ms of pass per request\n", fc, is, is / fc, 1000 * fs / fc, 1000 * fs / n}'
}

# On two cores the JIT goes on compiling the request path for tens of thousands of requests.
echo "## warm-up: $WARMUP predictions per node at 32 clients, and 10,000 GET /api/tasks (untimed)"
for i in 0 1; do
  for _ in $(seq $(( WARMUP / 10000 ))); do
    load 10000 "${PORTS[$i]}" "/api/jobs/${JOBS[$i]}/predictions" "$OUT/predict-body.json" >/dev/null
  done
  load 10000 "${PORTS[$i]}" /api/tasks >/dev/null
done

for round in 1 2; do
  for i in 0 1; do
    pid=${NODE_PIDS[$i]}
    /usr/bin/python3 bench/thread_cpu.py snapshot "$pid" > "$OUT/profile-before.json"
    before=$(meters "${PORTS[$i]}")
    if [ "$round" = 1 ] && [ "$i" = 0 ]; then
      jcmd "$pid" JFR.start name=predict settings=profile filename="$OUT/profile-predict.jfr" >/dev/null
    fi
    line=$(load "$REQUESTS" "${PORTS[$i]}" "/api/jobs/${JOBS[$i]}/predictions" "$OUT/predict-body.json")
    if [ "$round" = 1 ] && [ "$i" = 0 ]; then
      jcmd "$pid" JFR.stop name=predict >/dev/null
    fi
    echo "## round $round, ${NAMES[$i]}, predictions: $line"
    /usr/bin/python3 bench/thread_cpu.py diff "$pid" "$OUT/profile-before.json" "$REQUESTS"
    passes "${PORTS[$i]}" "$before" "$REQUESTS"
  done
  for i in 0; do
    pid=${NODE_PIDS[$i]}
    /usr/bin/python3 bench/thread_cpu.py snapshot "$pid" > "$OUT/profile-before.json"
    line=$(load "$REQUESTS" "${PORTS[$i]}" /api/tasks)
    echo "## round $round, ${NAMES[$i]}, GET /api/tasks (the same HTTP stack, no model): $line"
    /usr/bin/python3 bench/thread_cpu.py diff "$pid" "$OUT/profile-before.json" "$REQUESTS"
  done
done

echo "## what the default node's request threads did in round 1 (JFR samples of Java code, by library; the"
echo "## forward pass itself runs in libtorch's native code, which the meters above time instead)"
jfr print --json --events jdk.ExecutionSample --stack-depth 96 "$OUT/profile-predict.jfr" \
  | /usr/bin/python3 bench/jfr_split.py

echo "## one forward pass alone, in a quiet JVM (ForwardPassBench): CPU per pass and per instance, by batch size"
bench_main dev.dojo.bench.ForwardPassBench "$MNIST" 2>/dev/null | grep '^{'
