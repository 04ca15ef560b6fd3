#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the journal tests on 127.0.0.1 and prints, on stdout only,
#   export ELASWAVE_PG_URL='jdbc:postgresql://127.0.0.1:PORT/elaswave?user=elaswave&password=elaswave'
# so that CI can run:  eval "$(persistence/scripts/start-postgres.sh)"
#
# Installs PostgreSQL with apt-get if no server binaries are found (needs root). The cluster
# lives in $ELASWAVE_PG_DIR (default ${TMPDIR:-/tmp}/elaswave-pg), owned by the postgres OS user
# when run as root (initdb refuses root), by the caller otherwise. The port is $ELASWAVE_PG_PORT
# if set, else 5432 if free, else the next free one. Idempotent: run again, it finds the running
# server, makes sure role and database exist, and prints the same line.
# Stop it with persistence/scripts/stop-postgres.sh.
set -euo pipefail

DIR="${ELASWAVE_PG_DIR:-${TMPDIR:-/tmp}/elaswave-pg}"
DATA="$DIR/data"
PORT_FILE="$DIR/port"
log() { echo "start-postgres: $*" >&2; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [[ -z "$(bindir)" || ! -x "$(bindir)/initdb" ]]; then
  [[ $(id -u) -eq 0 ]] || { log "PostgreSQL is not installed and installing it needs root"; exit 1; }
  log "installing PostgreSQL (apt-get)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
fi
BIN="$(bindir)"

# as root, everything runs as the postgres OS user; otherwise as the caller
if [[ $(id -u) -eq 0 ]]; then
  OWNER=postgres
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

mkdir -p "$DIR"
if [[ $(id -u) -eq 0 ]]; then chown "$OWNER": "$DIR"; fi
chmod 700 "$DIR"

if [[ ! -s "$DATA/PG_VERSION" ]]; then
  log "initdb into $DATA as $OWNER"
  rm -rf "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
fi

if running; then
  PORT="$(cat "$PORT_FILE")"
  log "already running on 127.0.0.1:$PORT"
else
  PORT="${ELASWAVE_PG_PORT:-}"
  if [[ -z "$PORT" ]]; then
    PORT=5432
    while ! port_is_free "$PORT"; do
      PORT=$((PORT + 1))
      (( PORT < 5532 )) || { log "no free port in 5432-5531"; exit 1; }
    done
  fi
  echo "$PORT" >"$PORT_FILE"
  log "starting on 127.0.0.1:$PORT (log: $DIR/postgres.log)"
  # sockets in $DIR: /var/run/postgresql may be missing or not ours
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c idle_in_transaction_session_timeout=2s" start >&2 \
    || { tail -n 20 "$DIR/postgres.log" >&2; exit 1; }
fi

psql_admin() { as_owner "$BIN/psql" -X -q -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tA "$@"; }
if [[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'elaswave'")" != 1 ]]; then
  psql_admin -c "CREATE ROLE elaswave LOGIN PASSWORD 'elaswave'"
fi
# a journal writer that froze or was cut off mid-transaction must not hold its locks against the
# scheduler that takes the job over: its session is ended after 2 s idle in a transaction
psql_admin -c "ALTER ROLE elaswave SET idle_in_transaction_session_timeout = '2s'"
if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'elaswave'")" != 1 ]]; then
  psql_admin -c "CREATE DATABASE elaswave OWNER elaswave"
fi

echo "export ELASWAVE_PG_URL='jdbc:postgresql://127.0.0.1:$PORT/elaswave?user=elaswave&password=elaswave'"
