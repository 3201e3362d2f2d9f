#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, from Debian's
# packages.
#
#   scripts/postgres.sh start   # prints the DSN of an empty database
#   scripts/postgres.sh stop    # stops the server and deletes its files
#
# start installs the postgresql package through apt-get when its binaries
# are missing (as root), makes a cluster in $NEWSA11Y_PG_DIR (default
# /tmp/newsa11y-postgres), listening on 127.0.0.1:$NEWSA11Y_PG_PORT
# (default 54329) only, with trust authentication and no durability
# (fsync off: the data is thrown away), creates the database newsa11y and
# prints its DSN on standard output, everything else on standard error:
#
#   export NEWSA11Y_TEST_POSTGRES=$(scripts/postgres.sh start)
#
# A server already running in that folder is reused. initdb refuses to
# run as root, so as root the server runs as the postgres user.
set -euo pipefail

dir=${NEWSA11Y_PG_DIR:-/tmp/newsa11y-postgres}
port=${NEWSA11Y_PG_PORT:-54329}
db=newsa11y
dsn="postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"

say() { echo "postgres.sh: $*" >&2; }

# bindir prints the folder of the newest installed server's binaries.
bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

# as_owner runs a command as the cluster's owner: postgres under root,
# the caller otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  if ! bin=$(bindir); then
    if [ "$(id -u)" != 0 ]; then
      say "no PostgreSQL server binaries under /usr/lib/postgresql; install Debian's postgresql package (as root: apt-get install postgresql)"
      exit 1
    fi
    say "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bin=$(bindir) || { say "postgresql installed but no initdb found"; exit 1; }
  fi
  if [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    say "reusing the server running in $dir"
    echo "$dsn"
    return
  fi
  rm -rf "$dir"
  mkdir -p "$dir/socket"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db" >&2
  say "server on 127.0.0.1:$port, files in $dir; stop it with scripts/postgres.sh stop"
  echo "$dsn"
}

stop() {
  local bin
  if [ -f "$dir/data/PG_VERSION" ] && bin=$(bindir); then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
