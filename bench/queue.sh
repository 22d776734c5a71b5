#!/usr/bin/env bash
# Durable-queue figures on this machine's PostgreSQL: claim throughput of 4 worker JVMs (2 threads
# each) draining 2,000 short jobs, and the time from a worker's SIGKILL until its job runs again
# elsewhere (lease 3 s, sweep every 0.5 s). The figures come from the same real-process tests that
# CI runs; this script runs just those and prints their FIGURE lines.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
machine
./mvnw -q -B test -Dtest='ClaimRaceTest#fourWorkerProcessesOnPostgresRunTwoThousandJobsExactlyOnce+KillAndResumeTest' >/dev/null
grep -h '^FIGURE' target/surefire-reports/*ClaimRaceTest-output.txt target/surefire-reports/*KillAndResumeTest-output.txt
