#!/bin/bash
# Entrypoint of the PostgreSQL stand-in base (deploy/smoke/bases/postgres.Containerfile), with the
# interface of the official postgres image's entrypoint, as far as Dojo's deployments use it:
#   POSTGRES_PASSWORD  required (the password of POSTGRES_USER; host connections use scram-sha-256)
#   POSTGRES_USER      the superuser to create (default postgres)
#   POSTGRES_DB        a database to create for it (default: POSTGRES_USER)
#   PGDATA             the data directory (default /var/lib/postgresql/data); initdb runs when it
#                      holds no cluster yet, so a volume keeps its data across restarts
# Started as root it prepares PGDATA and drops to the postgres user (uid 999); started as 999 (as
# the Kubernetes StatefulSet does) it runs as that. Extra arguments go to postgres.
set -euo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA POSTGRES_USER POSTGRES_DB

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres entrypoint: POSTGRES_PASSWORD is not set; the database is not initialised" >&2
    exit 1
  fi
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  # The official image's rule: password authentication from anywhere.
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl --wait --silent -o "-c listen_addresses=''" start
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname=postgres --quiet \
      --set=db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  pg_ctl --wait --silent -m fast stop
  echo "postgres entrypoint: initialised $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)"
fi

exec postgres -c listen_addresses='*' "$@"
