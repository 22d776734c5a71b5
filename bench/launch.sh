#!/usr/bin/env bash
# The README's first command against the jar: the same seed sine jobs through
#   1. ./dojo, the README's first command (it starts the jar it builds with java -jar)
#   2. java -jar target/dojo-*.jar, as the bench scripts and the images start it
#   3. ./mvnw spring-boot:run (optimizedLaunch off in the pom, so C2 runs), the README's first
#      command until 2026-12-05, for comparison
#   4. with C1=1: ./mvnw spring-boot:run with -XX:TieredStopAtLevel=1, what the plugin's default
#      optimized launch adds (the pom's optimizedLaunch=false outranks a
#      -Dspring-boot.run.optimizedLaunch=true on the command line, so the flag is passed itself)
# each node warmed with SETTLE untimed jobs, then RUNS timed jobs per node in interleaved rounds, the
# order rotated from round to round so that no node always runs first.
# Prints each JVM's TieredStopAtLevel as the running process has it.
# Usage: [SETTLE=10] [COPIES=1] [C1=1] bench/launch.sh [runs]   (needs python3 for bench/sine_service.py)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
. bench/lib.sh

machine
build

PIDS=()
DIRS=()
cleanup() { for p in "${PIDS[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; rm -rf "${DIRS[@]}"; }
trap cleanup EXIT

# start NAME PORT COMMAND...: starts a node on a fresh data directory; the command gets the Spring arguments.
start() {
  local name=$1 port=$2
  shift 2
  local data
  data=$(mktemp -d); DIRS+=("$data")
  "$@" "--server.port=$port --dojo.data-dir=$data" > "$OUT/launch-$name.log" 2>&1 &
  PIDS+=($!)
}

cp target/dojo-*.jar "$OUT/dojo-launch.jar"
# COPIES nodes of each kind (default 1): with two, a difference between two nodes of one kind shows
# how much of a difference between kinds is only one JVM against another.
NODES=()
for copy in $(seq "${COPIES:-1}"); do
  base=$(( 18181 + 4 * (copy - 1) ))
  start "readme$copy" "$base" sh -c 'exec ./dojo $0'
  start "jar$copy" $(( base + 1 )) sh -c "GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES exec java -jar $OUT/dojo-launch.jar \$0"
  start "run$copy" $(( base + 2 )) sh -c './mvnw -q spring-boot:run -Dspring-boot.run.arguments="$0"'
  NODES+=("$base readme-./dojo#$copy" "$(( base + 1 )) java-jar#$copy" "$(( base + 2 )) spring-boot-run#$copy")
  if [ -n "${C1:-}" ]; then
    start "run-c1-$copy" $(( base + 3 )) sh -c './mvnw -q spring-boot:run -Dspring-boot.run.jvmArguments=-XX:TieredStopAtLevel=1 -Dspring-boot.run.arguments="$0"'
    NODES+=("$(( base + 3 )) spring-boot-run-c1#$copy")
  fi
done
for node in "${NODES[@]}"; do await_health "${node%% *}" "${node#* }"; done

for node in "${NODES[@]}"; do
  port=${node%% *}
  pid=$(ss -ltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  cmd=$(tr '\0' ' ' < /proc/$pid/cmdline)
  echo "# ${node#* } on port $port: pid $pid, $(grep -o 'TieredStopAtLevel=[0-9]' <<<"$cmd" || echo 'no TieredStopAtLevel (C2 on)'); ${cmd:0:90}"
  /usr/bin/python3 bench/sine_service.py "http://127.0.0.1:$port" "${SETTLE:-10}" -
done

echo "## interleaved rounds over ${#NODES[@]} nodes; each round starts one later"
n=${#NODES[@]}
for round in $(seq "$RUNS"); do
  for i in $(seq 0 $(( n - 1 ))); do
    read -r port label <<<"${NODES[$(( (round + i) % n ))]}"
    /usr/bin/python3 bench/sine_service.py "http://127.0.0.1:$port" 1 "$label"
  done
done
