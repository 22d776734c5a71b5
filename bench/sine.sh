#!/usr/bin/env bash
# Seed sine regression (WideNet 512 tanh, Adam 1e-3, MSE, 500 full-batch steps), side by side:
#   1. the seed's PyTorch loop in Python (shared/peers/seed_sine.py)
#   2. a bare DJL loop (shared/peers/djl-bare, smoke.Sine)
#   3. Dojo's training loop alone (dev.dojo.bench.SineLoopBench, the code a worker runs; run 1 is a cold JVM)
#   4. Dojo's service: seed jobs submitted over HTTP, timed from the job's own timestamps, the first
#      one right after the node's start-up warm-up
# Usage: bench/sine.sh [runs]   (needs python3-torch: apt-get install -y python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
OUT=bench/out
mkdir -p "$OUT"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -q -B -DskipTests package
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null

echo "## peer: seed_sine.py (PyTorch, Python)"
for _ in $(seq "$RUNS"); do /usr/bin/python3 "$PEERS/seed_sine.py"; done

echo "## peer: djl-bare Sine"
rm -rf "$OUT/djl-bare" && cp -r "$PEERS/djl-bare" "$OUT/djl-bare" && chmod -R u+w "$OUT/djl-bare"
(cd "$OUT/djl-bare" && mvn -q -B package dependency:copy-dependencies >/dev/null)
java -cp "$OUT/djl-bare/target/classes:$OUT/djl-bare/target/dependency/*" smoke.Sine "$RUNS" 2>/dev/null | grep '^{'

echo "## dojo: training loop alone"
java -cp "target/classes:target/test-classes:$(cat "$OUT/classpath.txt")" dev.dojo.bench.SineLoopBench "$RUNS" 2>/dev/null | grep '^{'

echo "## dojo: service jobs over HTTP"
PORT=18080
DATA=$(mktemp -d)
cp target/dojo-*.jar "$OUT/dojo-sine.jar"   # a copy: a build during the run must not swap the jar under the service
java -jar "$OUT/dojo-sine.jar" --server.port=$PORT --dojo.data-dir="$DATA" > "$OUT/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
# The node warms its JIT up before its first claim (dojo.worker.warm-up-steps); a submit would cut
# that short, so wait for it to end: the first job timed is then the first job of a fresh service.
for _ in $(seq 120); do grep -q "warm-up: " "$OUT/service.log" && break; sleep 0.5; done
grep -o "warm-up: .*" "$OUT/service.log" | head -1
/usr/bin/python3 bench/sine_service.py "http://127.0.0.1:$PORT" "$RUNS"
