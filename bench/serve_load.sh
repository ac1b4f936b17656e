#!/bin/sh
# Load test of `backstep serve` on loopback (docs/server.md): PHONES phones stream SECONDS of
# 100 Hz data at once through live ingest into a fresh database (SQLite by default, or the
# PostgreSQL URL in BSTEP_LOAD_DB), then every stored sample is counted.
#   bench/serve_load.sh [BUILD_DIR] [PHONES] [SECONDS]      (defaults: build 50 120)
set -eu
build=${1:-build}
phones=${2:-50}
secs=${3:-120}
work=$(mktemp -d)
db=${BSTEP_LOAD_DB:-$work/load.db}
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
i=0
while [ $i -lt "$phones" ]; do
    "$build/backstep" token create --user "walker$i" --label phone --db "$db" 2>/dev/null >>"$work/tokens"
    i=$((i + 1))
done
"$build/backstep" serve --db "$db" --listen 127.0.0.1:0 --db-connections 8 >"$work/serve.out" &
pid=$!
n=0
until grep -q listening "$work/serve.out" 2>/dev/null; do
    n=$((n + 1)); [ $n -lt 100 ] || { echo "server did not start" >&2; exit 1; }; sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
rc=0
"$build/bench/bench_serve" --url "$url" --tokens "$work/tokens" --db "$db" --phones "$phones" \
    --seconds "$secs" || rc=$?
kill -TERM $pid
wait $pid || true

exit $rc
