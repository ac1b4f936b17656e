#!/usr/bin/env bash
# Bad command-line options: for each, the exit status and the message the user sees (the first
# line on standard error; every usage error also says "Try 'backstep CMD --help'."). The list is
# the CLI part of docs/bad-input.md. Usage: test_bad_options.sh BACKSTEP TMPDIR
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TMP=$2
rm -rf "$TMP" && mkdir -p "$TMP"
export BACKSTEP_DB="$TMP/h.db" BACKSTEP_USER=opts TZ=UTC
pass=0
fail=0
"$BIN" simulate --duration 5 --out "$TMP/w.csv" >/dev/null 2>&1 || { echo "FAIL simulate"; exit 1; }
cd "$TMP" || exit 1
# arguments (split on spaces) | exit status | text the first line of standard error contains
while IFS='|' read -r args code text; do
  [ -z "$args" ] && continue
  # shellcheck disable=SC2086
  "$BIN" $args >out 2>err
  rc=$?
  first=$(head -n 1 err)
  if [ "$rc" -eq "$code" ] && grep -qF -- "$text" <<<"$first"; then
    pass=$((pass + 1)); echo "ok   backstep $args: $first"
  else
    fail=$((fail + 1)); echo "FAIL backstep $args: exit $rc, '$first' (want $code, '$text')"
  fi
  if [ "$code" -eq 2 ] && [[ "$args" != *scenario* ]] && ! grep -q "^Try 'backstep\|^Usage: backstep\|^Commands:" err; then
    fail=$((fail + 1)); echo "FAIL backstep $args: no hint to --help"
  fi
done <<'TABLE'
frobnicate|2|backstep: unknown command 'frobnicate'
analyze|2|backstep analyze: no recording given
analyze --frobnicate w.csv|2|backstep analyze: unknown option --frobnicate
analyze --format xml w.csv|2|backstep analyze: --format: expected text or json, not 'xml'
analyze --placement head w.csv|2|backstep analyze: --placement: unknown placement 'head'
analyze --toe-axis up w.csv|2|backstep analyze: --toe-axis: expected +x|-x|+y|-y|+z|-z|auto
analyze --front-axis up w.csv|2|backstep analyze: --front-axis: expected +x|-x|+y|-y|+z|-z|auto
analyze --input-format doc w.csv|2|backstep analyze: --input-format: unknown format 'doc'
analyze --mass-kg 5 w.csv|2|backstep analyze: --mass-kg: 5 is outside 20..300
analyze --mass-kg abc w.csv|2|backstep analyze: --mass-kg: 'abc' is not a number
analyze --height-m 9 w.csv|2|backstep analyze: --height-m: 9 is outside 0.8..2.5
analyze --step-scale 9 w.csv|2|backstep analyze: --step-scale: 9 is outside 0.3..3
analyze --start yesterday w.csv|2|backstep analyze: --start: expected YYYY-MM-DD[THH:MM[:SS]][Z] or @EPOCH_SECONDS, not 'yesterday'
analyze --db|2|backstep analyze: option --db needs a value
analyze --pain 11 w.csv|2|backstep analyze: --pain: 11 is outside 0..10
analyze --stumbled maybe w.csv|2|backstep analyze: --stumbled: expected yes or no, not 'maybe'
analyze --age 500 w.csv|2|backstep analyze: --age: 500 is outside 5..110
analyze --sex X w.csv|2|backstep analyze: --sex: expected F or M, not 'X'
analyze --direction up w.csv|2|backstep analyze: --direction: expected forward or backward
analyze nope.csv|3|nope.csv
simulate --speed 99|2|backstep simulate: --speed: 99 is outside 0.05..8
simulate --duration -1|2|backstep simulate: --duration: -1 is outside 0.5..86400
simulate --placement hand|2|backstep simulate: --placement: unknown placement 'hand'
simulate --strike ball|2|backstep simulate: --strike: toe, heel or flat, not 'ball'
simulate --rate 1|2|backstep simulate: --rate: 1 is outside 10..4000
simulate --scenario-text fly|2|backstep simulate: scenario: line 1: unknown segment 'fly'
simulate --seed x|2|backstep simulate: --seed: 'x' is not a number
energy --speed 99|2|backstep energy: --speed: 99 is outside 0..10
energy --grade 90|2|backstep energy: --grade: 90 is outside -20..40
energy --hr 300 --age 40 --sex F|2|backstep energy: --hr: 300 is outside 30..230
energy --gait crawl|2|backstep energy: --gait: expected walk, run or auto, not 'crawl'
history --from 2026-02-30|2|backstep history: --from: expected YYYY-MM-DD, not '2026-02-30'
history --direction up|2|backstep history: --direction: forward, backward or sideways
history --last 0|2|backstep history: --last: 0 is outside 1..1e+09
history --format xml|2|backstep history: --format: text or json, not 'xml'
report --period decade|2|backstep report: --period: week, month or year, not 'decade'
report --format pdf|2|backstep report: --format: text, json or html, not 'pdf'
export --session x --out a.fit|2|backstep export: --session: expected a session number, not 'x'
export --out a.fit|2|backstep export: a fit file holds one session: give --session ID (backstep history lists them)
export --session 1 --out a.xyz|2|backstep export: give --format (the name 'a.xyz' does not say fit, tcx, csv or json)
import|2|backstep import: no file given
import nofile.fit|3|backstep import: nofile.fit: No such file or directory
plan start --plan marathon|2|backstep plan: --plan: unknown plan 'marathon' (general, knee-oa, stroke, hamstring-lbp, backward-running)
plan frobnicate|2|backstep plan: unknown subcommand 'frobnicate' (start, show, today, adjust, calendar, list)
checkin --pain 11|2|backstep checkin: --pain: 11 is outside 0..10
checkin --date 2026-13-01 --pain 2|2|backstep checkin: --date: expected YYYY-MM-DD, not '2026-13-01'
batch|2|backstep batch: no folder given
batch --jobs 0 .|2|backstep batch: --jobs: 0 is outside 1..64
batch nofolder|3|backstep batch: nofolder: not a folder
serve --listen nonsense|3|backstep serve: --listen nonsense: expected HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)
serve --live-timeout 0|2|backstep serve: --live-timeout: 0 is outside 1..86400
serve --max-body-kb 0|2|backstep serve: --max-body-kb: 0 is outside 1..16384
token create|2|backstep token: create needs --user NAME
token revoke abc|2|backstep token: token id 'abc' is not a positive number
validate|2|backstep validate: no folder given
validate --min-f1 2 .|2|backstep validate: --min-f1: 2 is outside 0..1
TABLE
# a recording at 1 Hz: read, but too slow to analyse
printf 'time (s),acc_x (g),acc_y (g),acc_z (g)\n0,0,0,1\n1,0,0,1\n2,0,0,1\n' >slow.csv
"$BIN" analyze --no-store slow.csv >out 2>err
rc=$?
want="slow.csv: sample rate 1.0 Hz cannot be analysed (needs 5 to 2000 Hz and at least two samples)"
if [ "$rc" -eq 3 ] && grep -qF -- "$want" err; then
  pass=$((pass + 1)); echo "ok   backstep analyze slow.csv: $(head -n 1 err)"
else
  fail=$((fail + 1)); echo "FAIL backstep analyze slow.csv: exit $rc, '$(head -n 1 err)'"
fi
# standard input: a zip archive cannot be read from a pipe; nothing at all is an empty file
python3 -c "import zipfile; z = zipfile.ZipFile('x.zip', 'w'); z.writestr('TotalAcceleration.csv', 'time,seconds_elapsed,z,y,x\n'); z.close()"
for input in x.zip /dev/null; do
  "$BIN" analyze --no-store - <"$input" >out 2>err
  rc=$?
  case $input in x.zip) want="<stdin>: a zip archive cannot be read from standard input" ;; *) want="<stdin>: empty file" ;; esac
  if [ "$rc" -eq 3 ] && grep -qF -- "$want" err; then
    pass=$((pass + 1)); echo "ok   backstep analyze - <$input: $(head -n 1 err)"
  else
    fail=$((fail + 1)); echo "FAIL backstep analyze - <$input: exit $rc, '$(head -n 1 err)' (want 3, '$want')"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
