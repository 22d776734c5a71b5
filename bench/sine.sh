#!/usr/bin/env bash
# Seed sine regression (WideNet 512 tanh, Adam 1e-3, MSE, 500 full-batch steps), side by side:
#   1. the seed's PyTorch loop in Python (shared/peers/seed_sine.py)
#   2. a bare DJL loop (shared/peers/djl-bare, smoke.Sine)
#   3. Dojo's training loop alone (dev.dojo.bench.SineLoopBench, the code a worker runs; run 1 is a cold JVM)
#   4. Dojo's service: seed jobs submitted over HTTP, timed from the job's own timestamps: a fresh
#      node's first jobs, right after its start-up warm-up, then the same node settled, in pairs
#      with the Python loop run just before each job
# Usage: [SETTLE=20] bench/sine.sh [runs]   (needs python3-torch: apt-get install -y python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
. bench/lib.sh

machine
build

echo "## peer: seed_sine.py (PyTorch, Python)"
for _ in $(seq "$RUNS"); do /usr/bin/python3 "$PEERS/seed_sine.py"; done

echo "## peer: djl-bare Sine"
rm -rf "$OUT/djl-bare" && cp -r "$PEERS/djl-bare" "$OUT/djl-bare" && chmod -R u+w "$OUT/djl-bare"
(cd "$OUT/djl-bare" && mvn -q -B package dependency:copy-dependencies >/dev/null)
java -cp "$OUT/djl-bare/target/classes:$OUT/djl-bare/target/dependency/*" smoke.Sine "$RUNS" 2>/dev/null | grep '^{'

echo "## dojo: training loop alone"
bench_main dev.dojo.bench.SineLoopBench "$RUNS" 2>/dev/null | grep '^{'

echo "## dojo: service jobs over HTTP"
# The first jobs timed are the first jobs of a fresh service, right after its warm-up: for them the
# JIT is still compiling the service's own code (HTTP, JSON, the database) on one of the two cores.
start_service sine 18080 warm-up
/usr/bin/python3 bench/sine_service.py "$BASE" "$RUNS" fresh
# Then the same node, settled: SETTLE more jobs, untimed, first.
/usr/bin/python3 bench/sine_service.py "$BASE" "${SETTLE:-20}" -

echo "## interleaved pairs: the Python loop, then a job on the settled node (this machine drifts by tens of percent)"
for _ in $(seq "$RUNS"); do
  /usr/bin/python3 "$PEERS/seed_sine.py"
  /usr/bin/python3 bench/sine_service.py "$BASE" 1 settled
done
