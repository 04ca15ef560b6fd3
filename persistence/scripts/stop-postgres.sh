#!/usr/bin/env bash
# Stops the PostgreSQL that start-postgres.sh started (same $ELASWAVE_PG_DIR). Safe to run when
# it is not running, or twice. The data stays in $ELASWAVE_PG_DIR for the next start; delete the
# directory to start from nothing.
set -euo pipefail

DIR="${ELASWAVE_PG_DIR:-${TMPDIR:-/tmp}/elaswave-pg}"
DATA="$DIR/data"
log() { echo "stop-postgres: $*" >&2; }

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$BIN" || ! -s "$DATA/PG_VERSION" ]]; then
  log "no cluster in $DATA: nothing to stop"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_owner() { (cd / && runuser -u "$(stat -c %U "$DATA")" -- "$@"); }
else
  as_owner() { "$@"; }
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >&2
  log "stopped"
else
  log "not running"
fi
