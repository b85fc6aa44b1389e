#!/usr/bin/env bash
# Throwaway PostgreSQL 15 servers for tests. Usage:  source .ci/pg-throwaway.sh; pg_up [N]; ...; pg_down
#   pg_up N  -> starts N servers (default 2), each on a free 127.0.0.1 port in its own temp dir with a database
#               "custseg_test"; exports CUSTSEG_PG (the first server's Npgsql connection string),
#               CUSTSEG_PG_SHARDS (all of them, separated by '|') and PG_THROWAWAY_DIRS (for pg_down)
#   pg_down  -> stops every server started by pg_up and removes the temp dirs (safe to call twice)
# As root the servers run as the "postgres" user (initdb refuses root); otherwise as the current user.
# Run directly (bash .ci/pg-throwaway.sh up N) it prints the export lines and leaves the servers running.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

_pg_as() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_up() {
  local count=${1:-2} i p port dir shards=""
  [ -x "$PGBIN/initdb" ] || { echo "pg-throwaway: no PostgreSQL server binaries in $PGBIN (set PGBIN)" >&2; return 1; }
  PG_THROWAWAY_DIRS=${PG_THROWAWAY_DIRS:-}
  for i in $(seq 1 "$count"); do
    dir=$(mktemp -d /tmp/pgci.XXXXXX) || return 1
    PG_THROWAWAY_DIRS="$PG_THROWAWAY_DIRS $dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    port=
    for p in $(seq $((55432 + RANDOM % 400)) 55999); do
      (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { port=$p; break; }
    done
    [ -n "$port" ] || { echo "pg-throwaway: no free port" >&2; return 1; }
    _pg_as "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { echo "pg-throwaway: initdb failed:" >&2; cat "$dir/initdb.log" >&2; return 1; }
    _pg_as "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
      || { echo "pg-throwaway: server did not start:" >&2; cat "$dir/server.log" >&2; return 1; }
    "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres custseg_test || return 1
    shards="${shards:+$shards|}Host=127.0.0.1;Port=$port;Username=postgres;Database=custseg_test;Pooling=true;Maximum Pool Size=90"
  done
  export PG_THROWAWAY_DIRS
  export CUSTSEG_PG="${shards%%|*}"
  export CUSTSEG_PG_SHARDS="$shards"
}

pg_down() {
  local dir
  for dir in ${PG_THROWAWAY_DIRS:-}; do
    [ -d "$dir/data" ] && _pg_as "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$dir"
  done
  unset PG_THROWAWAY_DIRS CUSTSEG_PG CUSTSEG_PG_SHARDS
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    up) pg_up "${2:-2}" || { pg_down; exit 1; }
        printf 'PG_THROWAWAY_DIRS=%s\nCUSTSEG_PG=%s\nCUSTSEG_PG_SHARDS=%s\n' "$PG_THROWAWAY_DIRS" "$CUSTSEG_PG" "$CUSTSEG_PG_SHARDS" ;;
    down) shift; PG_THROWAWAY_DIRS="$*"; pg_down ;;
    *) echo "usage: $0 up [N] | down DIR..." >&2; exit 2 ;;
  esac
fi
