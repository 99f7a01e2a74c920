#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the store tests: Debian's `postgresql` package,
# a fresh data directory, trust authentication on loopback only, one database `icesco_test`.
# Prints the SQLAlchemy URL on stdout (the caller exports it as TEST_POSTGRES_URL).
# Idempotent: a cluster already running from an earlier call is reused.
set -euo pipefail
port="${TEST_POSTGRES_PORT:-55432}"
root="${TEST_POSTGRES_DIR:-/tmp/icesco-watch-pg}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    # The package starts its own cluster on 5432; ours is separate, stop theirs to save memory.
    service postgresql stop >/dev/null 2>&1 || true
fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

as_postgres() { runuser -u postgres -- "$@"; }

if ! as_postgres "$bin/pg_ctl" -D "$root/data" status >/dev/null 2>&1; then
    rm -rf "$root"
    mkdir -p "$root/socket"
    chown -R postgres:postgres "$root"
    as_postgres "$bin/initdb" -D "$root/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -o \
        "-p $port -c listen_addresses=127.0.0.1 -k $root/socket -c fsync=off -c max_connections=200" \
        start >/dev/null
fi
if ! as_postgres psql -h 127.0.0.1 -p "$port" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='icesco_test'" | grep -q 1; then
    as_postgres psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE icesco_test" >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$port/icesco_test"
