#!/usr/bin/env bash
# The fast-cnn's NaN at its smallest (ConvChannelsRepro): libtorch's CPU convolution, the fast-cnn's
# second (3×3, 32 filters, 12×12 input, batch 256), for each input channel count given, on
# well-defined operands before and after tensors full of NaN were freed; in ROUNDS fresh JVMs with
# glibc's allocator tuned as Dojo runs it (freed memory goes to the next allocation), then ROUNDS
# with glibc's defaults (large blocks come fresh and zeroed from mmap). A convolution that reads
# memory it never wrote shows as NaN, or outputs that differ, after the dirty heap. One JSON line
# per channel count and JVM.
# Usage: [ROUNDS=3] bench/conv-channels.sh [CHANNELS...]   (default 16 20 24 32 40)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

machine
build
for round in $(seq "${ROUNDS:-3}"); do
  echo "## glibc tuned as Dojo runs it ($DOJO_GLIBC_TUNABLES), JVM $round"
  bench_main dev.dojo.bench.ConvChannelsRepro "$@" 2>/dev/null | grep '^{'
done
for round in $(seq "${ROUNDS:-3}"); do
  echo "## glibc's defaults, JVM $round"
  DOJO_GLIBC_TUNABLES= bench_main dev.dojo.bench.ConvChannelsRepro "$@" 2>/dev/null | grep '^{'
done
