#!/usr/bin/env bash
# The README's first command against the jar: the same seed sine jobs through
#   1. ./mvnw spring-boot:run as the README starts it (optimizedLaunch off in the pom, so C2 runs)
#   2. ./mvnw spring-boot:run with -XX:TieredStopAtLevel=1, what the plugin's default optimized launch
#      adds (the JIT stopped at C1), for comparison (the pom's optimizedLaunch=false outranks a
#      -Dspring-boot.run.optimizedLaunch=true on the command line, so the flag is passed itself)
#   3. java -jar target/dojo-*.jar
# each node warmed with SETTLE untimed jobs, then RUNS timed jobs per node in interleaved rounds, the
# order rotated from round to round so that no node always runs first.
# Prints each JVM's TieredStopAtLevel as the running process has it.
# Usage: [SETTLE=10] bench/launch.sh [runs]   (needs python3 for bench/sine_service.py)
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

wait_health() {
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$1/actuator/health" >/dev/null && return 0; sleep 0.5; done
  echo "no health on port $1" >&2; return 1
}

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
start run 18181 sh -c './mvnw -q spring-boot:run -Dspring-boot.run.arguments="$0"'
start run-c1 18182 sh -c './mvnw -q spring-boot:run -Dspring-boot.run.jvmArguments=-XX:TieredStopAtLevel=1 -Dspring-boot.run.arguments="$0"'
start jar 18183 sh -c "GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES exec java -jar $OUT/dojo-launch.jar \$0"
for port in 18181 18182 18183; do wait_health $port; done

for port in 18181 18182 18183; do
  pid=$(ss -ltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  echo "# port $port: pid $pid, $(tr '\0' ' ' < /proc/$pid/cmdline | grep -o 'TieredStopAtLevel=[0-9]' || echo 'no TieredStopAtLevel (C2 on)')"
  /usr/bin/python3 bench/sine_service.py "http://127.0.0.1:$port" "${SETTLE:-10}" -
done

echo "## interleaved rounds: spring-boot:run (README), spring-boot:run with C1 only, java -jar; each round starts one later"
NODES=("18181 spring-boot-run" "18182 spring-boot-run-c1" "18183 java-jar")
for round in $(seq "$RUNS"); do
  for i in 0 1 2; do
    read -r port label <<<"${NODES[$(( (round + i) % 3 ))]}"
    /usr/bin/python3 bench/sine_service.py "http://127.0.0.1:$port" 1 "$label"
  done
done
