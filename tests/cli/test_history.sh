#!/usr/bin/env bash
# CLI tests of the history: analyze stores (and recognises a file analysed again), --no-store,
# --db, --user, --start, history filters, text and JSON. Every database lives in TMPDIR.
# Usage: test_history.sh BACKSTEP JSON_CHECK TMPDIR
set -u
BIN=$1
JQ=$2
TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP"
export BACKSTEP_DB="$TMP/default.db"
export TZ=UTC
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
run() { "$@" >"$TMP/out" 2>"$TMP/err"; }
expect_exit() { # name, code, command...
  local name=$1 code=$2; shift 2
  run "$@"
  local rc=$?
  if [ "$rc" -eq "$code" ]; then ok "$name"; else bad "$name (exit $rc, expected $code)"; head -5 "$TMP/err" "$TMP/out"; fi
}
contains() { # name, file, text
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; head -8 "$2"; fi
}
lacks() {
  if grep -qF -- "$3" "$2"; then bad "$1: '$3' in $2"; else ok "$1"; fi
}
equals() { # name, got, want
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}

"$BIN" simulate --placement foot-right --direction backward --duration 40 --seed 1 --out "$TMP/bw.csv" >/dev/null
"$BIN" simulate --placement foot-right --direction forward --duration 20 --seed 2 --out "$TMP/fw.csv" >/dev/null
cp "$TMP/bw.csv" "$TMP/bw-copy.csv"
A=(--placement foot-right --toe-axis +x)

expect_exit "analyze stores" 0 "$BIN" analyze "${A[@]}" --start 2026-03-02T08:00Z "$TMP/bw.csv"
contains "analyze says stored" "$TMP/out" "stored as session 1"
contains "the default database is BACKSTEP_DB" "$TMP/out" "$TMP/default.db"
expect_exit "analyze again" 0 "$BIN" analyze "${A[@]}" "$TMP/bw.csv"
contains "second time recognised" "$TMP/out" "already stored as session 1"
contains "recognised by checksum" "$TMP/out" "SHA-256"
expect_exit "a copy elsewhere" 0 "$BIN" analyze "${A[@]}" "$TMP/bw-copy.csv"
contains "a copy is the same recording" "$TMP/out" "already stored as session 1"
expect_exit "json analyze" 0 "$BIN" analyze "${A[@]}" --format json --start 2026-03-05T18:30:00Z "$TMP/fw.csv"
cp "$TMP/out" "$TMP/a.json"
contains "json store note on stderr" "$TMP/err" "stored as session 2"
expect_exit "json output stays valid" 0 "$JQ" "$TMP/a.json"
expect_exit "no-store" 0 "$BIN" analyze "${A[@]}" --no-store --db "$TMP/never.db" "$TMP/fw.csv"
lacks "no-store prints no history line" "$TMP/out" "History"
if [ -e "$TMP/never.db" ]; then bad "no-store creates no database"; else ok "no-store creates no database"; fi
expect_exit "stdin is not stored" 0 sh -c "\"$BIN\" analyze --placement foot-right - <\"$TMP/fw.csv\""
contains "stdin note" "$TMP/out" "standard input is not stored"

expect_exit "history" 0 "$BIN" history
contains "history lists session 1" "$TMP/out" "2026-03-02 08:00"
contains "history lists session 2" "$TMP/out" "2026-03-05 18:30"
contains "history totals" "$TMP/out" "2 sessions"
expect_exit "history json" 0 "$BIN" history --format json
cp "$TMP/out" "$TMP/h.json"
equals "json schema" "$("$JQ" "$TMP/h.json" get schema)" '"backstep.history/1"'
equals "json two sessions" "$("$JQ" "$TMP/h.json" len sessions)" 2
equals "json first is backward" "$("$JQ" "$TMP/h.json" get sessions.0.steps_forward)" 0
equals "json source is absolute" "$("$JQ" "$TMP/h.json" get sessions.0.source_path)" "\"$TMP/bw.csv\""
expect_exit "history --direction backward" 0 "$BIN" history --direction backward --format json
equals "only the backward session" "$("$JQ" "$TMP/out" len sessions)" 1
expect_exit "history --from" 0 "$BIN" history --from 2026-03-03 --format json
equals "from a date" "$("$JQ" "$TMP/out" get sessions.0.start)" '"2026-03-05 18:30"'
expect_exit "history --to includes the day" 0 "$BIN" history --to 2026-03-02 --format json
equals "to a date, inclusive" "$("$JQ" "$TMP/out" len sessions)" 1
expect_exit "history --last 1" 0 "$BIN" history --last 1 --format json
equals "last one" "$("$JQ" "$TMP/out" get sessions.0.id)" 2
expect_exit "another user has none" 0 "$BIN" history --user somebody-else
contains "empty history says so" "$TMP/out" "No stored sessions"
expect_exit "all users" 0 "$BIN" history --all-users --format json
equals "all users see both" "$("$JQ" "$TMP/out" len sessions)" 2
expect_exit "user option" 0 "$BIN" analyze "${A[@]}" --user ann --start 2026-03-06 "$TMP/fw.csv"
contains "ann's own session" "$TMP/out" "stored as session 3 of ann"
expect_exit "ann's history" 0 "$BIN" history --user ann --format json
equals "ann has one" "$("$JQ" "$TMP/out" len sessions)" 1

expect_exit "bad --from" 2 "$BIN" history --from 2026-02-30
expect_exit "bad --direction" 2 "$BIN" history --direction up
expect_exit "bad --start" 2 "$BIN" analyze --start yesterday "$TMP/fw.csv"
expect_exit "history help" 0 "$BIN" history --help
for opt in --from --to --direction --last --user --all-users --format --db; do
  contains "history help documents $opt" "$TMP/out" "$opt"
done
echo "not a database, but long enough to be read as one ......................................" >"$TMP/bad.db"
expect_exit "a corrupt database is a database error" 4 "$BIN" history --db "$TMP/bad.db"
contains "corrupt database named" "$TMP/err" "$TMP/bad.db"
expect_exit "analyze with a bad database" 4 "$BIN" analyze --db "$TMP/bad.db" "$TMP/fw.csv"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
