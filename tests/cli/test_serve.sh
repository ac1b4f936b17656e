#!/usr/bin/env bash
# CLI tests of `backstep serve` and `backstep token` with the real binary: help, tokens (created,
# listed, revoked and then refused), a bad --listen, and SIGTERM while a phone is streaming: the
# server exits 0 and every sample it acknowledged is in the stored, finished session.
# Usage: test_serve.sh BACKSTEP SL_PUSH JSON_CHECK TMPDIR
set -u
BIN=$1
PUSH=$2
JQ=$3
TMP=$4
rm -rf "$TMP" && mkdir -p "$TMP"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
contains() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; head -5 "$2"; fi; }
db=$TMP/serve.db
srv_pid=

start_server() { # extra args...
  "$BIN" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$TMP/serve.out" 2>"$TMP/serve.err" &
  srv_pid=$!
  local n=0
  until grep -q '^listening on ' "$TMP/serve.out" 2>/dev/null; do
    n=$((n + 1)); if [ $n -gt 100 ]; then echo "server did not start"; cat "$TMP/serve.err"; return 1; fi
    sleep 0.1
  done
  URL=$(sed -n 's/^listening on //p' "$TMP/serve.out")
}
trap '[ -n "$srv_pid" ] && kill $srv_pid 2>/dev/null' EXIT

"$BIN" serve --help >"$TMP/h" 2>&1; contains "serve --help" "$TMP/h" "--listen HOST:PORT"
"$BIN" token --help >"$TMP/h" 2>&1; contains "token --help" "$TMP/h" "token create --user NAME"
"$BIN" --help >"$TMP/h" 2>&1; contains "backstep --help lists serve" "$TMP/h" "serve "

"$BIN" token create --db "$db" >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 2 ] && ok "token create without --user: usage error" || bad "token create without --user (exit $rc)"
TOKEN=$("$BIN" token create --user ann --label phone --db "$db" 2>"$TMP/e")
case "$TOKEN" in bst_*) ok "token create prints a token";; *) bad "token create: '$TOKEN'";; esac
contains "token create says it is shown once" "$TMP/e" "shown only now"
OLD=$("$BIN" token create --user ann --label old --db "$db" 2>/dev/null)
"$BIN" token list --user ann --db "$db" >"$TMP/list" 2>&1; contains "token list" "$TMP/list" "old"
if grep -qF "$TOKEN" "$TMP/list" "$db" 2>/dev/null; then bad "the token itself is stored or listed"; else ok "only the hash is stored"; fi
old_id=$(awk -F'\t' '$2 == "old" { print $1 }' "$TMP/list")
"$BIN" token revoke "$old_id" --db "$db" >"$TMP/o" 2>&1; contains "token revoke" "$TMP/o" "revoked"
"$BIN" token list --user ann --db "$db" >"$TMP/list" 2>&1; contains "revoked token listed as revoked" "$TMP/list" "revoked"

"$BIN" serve --db "$db" --listen nonsense >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 3 ] && ok "bad --listen: exit 3" || bad "bad --listen (exit $rc)"
contains "bad --listen names the option" "$TMP/e" "--listen nonsense"
"$BIN" serve --db "$db" --live-timeout 0 >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 2 ] && ok "bad --live-timeout: usage error" || bad "bad --live-timeout (exit $rc)"

start_server || exit 1
"$PUSH" --url "$URL" --token "$TOKEN" --get /api/me >"$TMP/me" 2>&1; contains "token works" "$TMP/me" '"name":"ann"'
"$PUSH" --url "$URL" --token "$OLD" --get /api/me >"$TMP/me" 2>&1; contains "revoked token refused" "$TMP/me" "valid access token is required"

# a phone streams a 40 s recording at 3x real time; the server is stopped after about 4 s (12 s of data)
"$BIN" simulate --placement foot-right --direction backward --duration 40 --format sensorlogger \
  --out "$TMP/walk" >/dev/null 2>&1
"$PUSH" --url "$URL" --token "$TOKEN" --placement foot-right --toe-axis +x --batch-ms 200 --speed 3 \
  --session stop-test "$TMP/walk" >"$TMP/push.out" 2>"$TMP/push.err" &
push_pid=$!
# under valgrind (BSTEP_TEST_UNDER_VALGRIND) the server takes in far fewer samples per second
if [ "${BSTEP_TEST_UNDER_VALGRIND:-0}" = 1 ]; then stream_s=15 stop_s=60; else stream_s=4 stop_s=10; fi
sleep $stream_s
kill -TERM $srv_pid
t0=$(date +%s)
wait $srv_pid; rc=$?
srv_pid=
[ $rc -eq 0 ] && ok "SIGTERM: exit 0" || bad "SIGTERM: exit $rc"
[ $(( $(date +%s) - t0 )) -le $stop_s ] && ok "SIGTERM: stopped within $stop_s s" || bad "SIGTERM: slow stop"
contains "SIGTERM: says it finishes live sessions" "$TMP/serve.err" "finishing requests and live sessions"
wait $push_pid
contains "the client saw the server go" "$TMP/push.out" '"lost_connection":true'
acked=$("$JQ" "$TMP/push.out" get acked)
[ "${acked:-0}" -gt 200 ] && ok "samples acknowledged before the stop ($acked)" || bad "acknowledged: '$acked'"

# a new server: the session is stored, finished, with every acknowledged sample
start_server || exit 1
"$PUSH" --url "$URL" --token "$TOKEN" --get /api/sessions >"$TMP/s.json" 2>&1
id=$("$JQ" "$TMP/s.json" get sessions.0.id)
state=$("$JQ" "$TMP/s.json" get sessions.0.state)
[ "$state" = "\"done\"" ] && ok "the live session was stored as finished" || bad "state '$state'"
"$PUSH" --url "$URL" --token "$TOKEN" --get "/api/sessions/$id" >"$TMP/one.json" 2>&1
raw=$("$JQ" "$TMP/one.json" get raw_samples)
[ "$raw" = "$acked" ] && ok "every acknowledged sample stored ($raw)" || bad "stored $raw, acknowledged $acked"
steps=$("$JQ" "$TMP/one.json" get steps)
[ "${steps:-0}" -ge 2 ] && ok "its steps were analysed ($steps)" || bad "steps '$steps'"
kill -TERM $srv_pid; wait $srv_pid; srv_pid=

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
