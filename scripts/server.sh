#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, benchmarks and the demo, run as the postgres
# user (initdb refuses root). usage: server.sh start|stop DATA_DIR PORT
# PG_LENS_PG: the major (14-18, default 15); a data directory remembers its own.
# Sockets go into DATA_DIR/sock; connect with: psql -h DATA_DIR/sock -p PORT -U postgres
# PG_LENS_SERVER_OPTS: more server options (the test server preloads pgaudit and pg_cron).
set -euo pipefail
action=$1; data=$(realpath -m "$2"); port=$3
cd "$(dirname "$0")/.."
if [ -f "$data/db/PG_VERSION" ]; then major=$(cat "$data/db/PG_VERSION"); else major=${PG_LENS_PG:-15}; fi
BIN=$("$PWD/scripts/pg.sh" "$major" | xargs dirname)
# a relocatable build's programs and modules (postgres_fdw) must find its own libpq, not the
# system's older one; sudo drops LD_LIBRARY_PATH, so it goes through env
LIBS=$("$BIN/pg_config" --libdir)
as_postgres() {
    if [ "$(id -un)" = postgres ]; then env LD_LIBRARY_PATH="$LIBS" "$@"; else sudo -u postgres env LD_LIBRARY_PATH="$LIBS" "$@"; fi
}

case "$action" in
start)
    mkdir -p "$data"
    chown postgres "$data" 2>/dev/null || true
    if [ ! -f "$data/db/PG_VERSION" ]; then
        as_postgres "$BIN/initdb" -D "$data/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
        as_postgres mkdir -p "$data/sock"
    fi
    if ! as_postgres "$BIN/pg_ctl" -D "$data/db" status >/dev/null 2>&1; then
        as_postgres "$BIN/pg_ctl" -D "$data/db" -l "$data/db/server.log" -w -o \
            "-p $port -k $data/sock -c listen_addresses='' -c max_locks_per_transaction=1024 \
             -c shared_buffers=512MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=100 ${PG_LENS_SERVER_OPTS:-}" start >/dev/null
    fi
    ;;
stop)
    as_postgres "$BIN/pg_ctl" -D "$data/db" -m fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop DATA_DIR PORT" >&2; exit 2 ;;
esac
