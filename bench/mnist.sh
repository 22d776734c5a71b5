#!/usr/bin/env bash
# MNIST MiniCNN, one epoch of 60,000 images with the seed's defaults, side by side in one run:
#   1. the seed's PyTorch loop in Python (shared/peers/seed_mnist.py)
#   2. a bare DJL loop (shared/peers/djl-bare, smoke.Main), as shipped and with Dojo's GLIBC_TUNABLES
#   3. Dojo's service: {"task":"mnist"} over HTTP; its images_per_second metric and test accuracy
# then interleaved pairs (bare DJL, service) of half epochs, prediction latency over HTTP (1 image per request, and 64), a 3-epoch Adam job, and with
# --memory the service's RSS after each epoch of a 10-epoch job.
# Usage: bench/mnist.sh [--memory]   (needs python3-torch and npm)
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
. bench/lib.sh
MNIST=$OUT/mnist

machine
mnist_files
build

echo "## yardstick: sgemm 2048x2048 through libtorch (all threads)"
bench_main dev.dojo.bench.SgemmBench 2>/dev/null | grep '^{'

echo "## peer: seed_mnist.py (PyTorch, Python, 2 threads)"
/usr/bin/python3 "$PEERS/seed_mnist.py" "$MNIST" 2

echo "## peer: djl-bare Main"
if [ ! -d "$OUT/djl-bare/target/dependency" ]; then
  rm -rf "$OUT/djl-bare" && cp -r "$PEERS/djl-bare" "$OUT/djl-bare" && chmod -R u+w "$OUT/djl-bare"
  (cd "$OUT/djl-bare" && mvn -q -B package dependency:copy-dependencies >/dev/null)
fi
java -cp "$OUT/djl-bare/target/classes:$OUT/djl-bare/target/dependency/*" smoke.Main "$MNIST" 1 60000 2>/dev/null | grep -v '^\['
echo "## peer: djl-bare Main, with Dojo's GLIBC_TUNABLES"
GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES java -cp "$OUT/djl-bare/target/classes:$OUT/djl-bare/target/dependency/*" smoke.Main "$MNIST" 1 60000 2>/dev/null | grep -v '^\['

echo "## dojo: the training loop alone (MnistLoopBench: a cold JVM, then a warm one)"
bench_main dev.dojo.bench.MnistLoopBench "$MNIST" 2 2>/dev/null | grep '^{'

echo "## dojo: service"
# --memory: a fixed, pre-touched heap, so that the RSS figures show native memory rather than the
# heap growing toward its default maximum; native memory tracking splits the JVM's share out.
JVM_FLAGS=""
if [ "${1:-}" = "--memory" ]; then JVM_FLAGS="-Xms768m -Xmx768m -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary"; fi
start_service mnist 18090 warm-up --dojo.datasets.mnist-dir="$(pwd)/$MNIST"
SEED=$(/usr/bin/python3 bench/service_client.py $BASE job '{"task":"mnist"}')
echo "$SEED"
JOB=$(echo "$SEED" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "## interleaved: 2 pairs of 30,000-image epochs, djl-bare with Dojo's GLIBC_TUNABLES, then the service"
# The machine's speed drifts by tens of percent over minutes; pairs run back to back compare fairly.
for _ in 1 2; do
  GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES java -cp "$OUT/djl-bare/target/classes:$OUT/djl-bare/target/dependency/*" smoke.Main "$MNIST" 1 30000 2>/dev/null | grep '^epoch'
  /usr/bin/python3 bench/service_client.py $BASE job '{"task":"mnist","hyperparameters":{"trainLimit":30000}}'
done

echo "## dojo: predictions over HTTP"
/usr/bin/python3 bench/service_client.py $BASE predict "$JOB" 300 1
/usr/bin/python3 bench/service_client.py $BASE predict "$JOB" 50 64

echo "## dojo: 3 epochs, Adam 1e-3"
/usr/bin/python3 bench/service_client.py $BASE job '{"task":"mnist","hyperparameters":{"epochs":3,"optimizer":"adam","learningRate":0.001}}'

if [ "${1:-}" = "--memory" ]; then
  echo "## dojo: RSS after each epoch of a 10-epoch job"
  ID=$(curl -s -X POST $BASE/api/jobs -H 'Content-Type: application/json' -d '{"task":"mnist","hyperparameters":{"epochs":10}}' \
       | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  /usr/bin/python3 bench/service_client.py $BASE rss "$ID" $PID
fi
