#!/usr/bin/env bash
# CLI tests for `backstep` (help, analyze, validate, errors). Inputs are generated here.
# Usage: test_cli.sh BACKSTEP JSON_CHECK TMPDIR SOURCE_DIR
set -u
BIN=$1
JQ=$2
TMP=$3
SRC=$4
rm -rf "$TMP" && mkdir -p "$TMP"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { # name, command...
  local name=$1; shift
  if "$@" >"$TMP/out" 2>"$TMP/err"; then ok "$name"; else bad "$name"; cat "$TMP/out" "$TMP/err" | head -20; fi
}
expect_exit() { # name, code, command...
  local name=$1 code=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  if [ "$rc" -eq "$code" ]; then ok "$name"; else bad "$name (exit $rc, expected $code)"; cat "$TMP/err" | head -5; fi
}
contains() { # name, file, text
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; head -5 "$2"; fi
}

# A lower-back recording: standing 3 s, then walking at 2 steps/s for 30 s on the sensor's z axis
# (upright), 100 Hz: at each contact (every 0.5 s from 3.0 s) the step-to-step collision, a
# Gaussian pulse of the vertical acceleration (SD 30 ms, 3 m/s^2) centred 30 ms after it, minus
# its mean. The steepest rise of each pulse is its contact.
awk 'BEGIN { print "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),gyr_x (deg/s),gyr_y (deg/s),gyr_z (deg/s)";
  pi = atan2(0, -1); sd = 0.03; m = 3.0 * sd * sqrt(2 * pi) / 0.5;
  for (i = 0; i <= 3300; i++) { t = i / 100.0; a = 0;
    if (t >= 2.9) { a = -m; for (k = 0; k < 61; k++) { x = (t - (3.0 + 0.5 * k + sd)) / sd; if (x > -6 && x < 6) a += 3.0 * exp(-0.5 * x * x) } }
    printf "%.2f,0.0000,0.0000,%.5f,0.000,0.000,0.000\n", t, 9.80665 + a } }' >"$TMP/walk.csv"
# Its truth: every contact from 3.5 s on (the first one falls in the filter's warm-up).
awk 'BEGIN { printf "{\"recording\": \"walk.csv\", \"placement\": \"lower-back\", \"sample_rate_hz\": 100, \"initial_contacts_s\": [";
  n = 0; for (t = 3.5; t <= 32.5; t += 0.5) { printf "%s%.2f", (n++ ? ", " : ""), t }
  print "], \"segments\": [{\"start_s\": 3.5, \"end_s\": 32.5, \"activity\": \"walk\"}]}" }' >"$TMP/walk.truth.json"

check "help" "$BIN" --help
contains "help lists analyze" "$TMP/out" "analyze"
contains "help lists validate" "$TMP/out" "validate"
check "version" "$BIN" --version
contains "version text" "$TMP/out" "backstep 0."
expect_exit "unknown command" 2 "$BIN" frobnicate
expect_exit "no arguments" 2 "$BIN"
check "analyze help" "$BIN" analyze --help
for opt in --placement --input-format --format --toe-axis --front-axis --height-m --step-scale \
    --walked-m --no-store --db; do
  contains "analyze help documents $opt" "$TMP/out" "$opt"
done
expect_exit "analyze without file" 2 "$BIN" analyze
expect_exit "analyze bad --format" 2 "$BIN" analyze --format xml "$TMP/walk.csv"
expect_exit "analyze bad --placement" 2 "$BIN" analyze --placement head "$TMP/walk.csv"
expect_exit "analyze unknown option" 2 "$BIN" analyze --frobnicate "$TMP/walk.csv"
expect_exit "analyze bad --step-scale" 2 "$BIN" analyze --step-scale 9 --no-store "$TMP/walk.csv"
expect_exit "analyze bad --height-m" 2 "$BIN" analyze --height-m abc --no-store "$TMP/walk.csv"
expect_exit "validate bad --front-axis" 2 "$BIN" validate "$TMP" --front-axis up

check "analyze text" "$BIN" analyze --placement lower-back "$TMP/walk.csv"
contains "text report has steps" "$TMP/out" "Steps"
contains "text report has cadence 120" "$TMP/out" "120 steps/min"
contains "text report has safety wording" "$TMP/out" "Safety"
check "analyze --walked-m" "$BIN" analyze --placement lower-back --no-store --walked-m 20 "$TMP/walk.csv"
contains "calibration factor reported" "$TMP/out" "use --step-scale"

check "analyze json" "$BIN" analyze --placement lower-back --format json "$TMP/walk.csv"
cp "$TMP/out" "$TMP/walk.json"
check "json has every DESIGN key" "$JQ" "$TMP/walk.json" \
  has schema has recording.path has recording.format has recording.sample_rate_hz \
  has recording.duration_s has recording.samples has recording.gaps has placement \
  has summary.steps has summary.steps_forward has summary.steps_backward has summary.steps_sideways \
  has summary.walking_time_s has summary.cadence_spm has summary.distance_m \
  has summary.distance_backward_m has summary.speed_mps has summary.energy_kcal \
  has summary.toe_first_ratio has summary.stride_time_cv_pct has summary.step_time_asymmetry_pct \
  has summary.trunk_lean_deg has summary.look_backs has summary.stumbles has summary.falls \
  has bouts.0.start_s has bouts.0.end_s has bouts.0.activity has bouts.0.steps has bouts.0.distance_m \
  has steps.0.ic_s has steps.0.fc_s has steps.0.foot has steps.0.direction has steps.0.strike \
  has steps.0.strike_angle_deg has steps.0.stride_length_m has steps.0.stride_time_s has events \
  has summary.step_regularity has summary.stride_regularity has summary.side_lean_deg \
  has bouts.0.cadence_spm has bouts.0.direction_confidence has bouts.0.step_regularity \
  has steps.0.step_length_m has steps.0.trunk_lean_deg
steps=$("$JQ" "$TMP/walk.json" get summary.steps)
if [ "${steps:-0}" -ge 57 ] && [ "${steps:-0}" -le 61 ]; then ok "json step count ($steps)"; else bad "json step count ($steps)"; fi
schema=$("$JQ" "$TMP/walk.json" get schema)
[ "$schema" = '"backstep.analysis/1"' ] && ok "schema id" || bad "schema id ($schema)"
toe=$("$JQ" "$TMP/walk.json" get summary.toe_first_ratio)
[ "$toe" = "null" ] && ok "unknown values are null (a trunk sensor does not see the strike)" ||
  bad "toe_first_ratio should be null ($toe)"
placement=$("$JQ" "$TMP/walk.json" get placement)
[ "$placement" = '"lower-back"' ] && ok "placement in json" || bad "placement ($placement)"

check "analyze from stdin" "$BIN" analyze --placement lower-back --format json - <"$TMP/walk.csv"
cp "$TMP/out" "$TMP/stdin.json"
check "stdin json valid" "$JQ" "$TMP/stdin.json" has summary.steps
check "analyze auto placement" "$BIN" analyze --format json "$TMP/walk.csv"
placement=$("$JQ" "$TMP/out" get placement)
[ "$placement" = '"lower-back"' ] && ok "auto placement (no fast rotation) is lower back" || bad "auto placement ($placement)"

cp "$TMP/walk.csv" "$TMP/walk2.csv"
check "analyze two files json" "$BIN" analyze --placement lower-back --format json "$TMP/walk.csv" "$TMP/walk2.csv"
n=$("$JQ" "$TMP/out" len "")
[ "$n" = "2" ] && ok "two files give an array of two" || bad "array of two ($n)"

# Bad input: clear message with file and line, non-zero exit, nothing on stdout.
expect_exit "missing file" 3 "$BIN" analyze "$TMP/nope.csv"
contains "missing file named" "$TMP/err" "nope.csv"
{ head -n 100 "$TMP/walk.csv"; echo "1.00,0.1x,0,9.8,0,0,0"; } >"$TMP/badnum.csv"
expect_exit "text in a number" 3 "$BIN" analyze --placement lower-back "$TMP/badnum.csv"
contains "bad number names file and line" "$TMP/err" "badnum.csv:101:"
[ ! -s "$TMP/out" ] && ok "no partial report on bad input" || bad "partial report printed on bad input"
: >"$TMP/empty.csv"
expect_exit "empty file" 3 "$BIN" analyze "$TMP/empty.csv"
contains "empty file named" "$TMP/err" "empty.csv"
head -c 4096 /dev/urandom >"$TMP/garbage.bin"
expect_exit "binary garbage" 3 "$BIN" analyze "$TMP/garbage.bin"
# 10 GB of one line on standard input: must fail as soon as the line limit is hit, not read it all.
start=$(date +%s)
( yes a | tr -d '\n' | head -c 10000000000 | "$BIN" analyze - >/dev/null 2>"$TMP/err"; echo $? >"$TMP/rc" )
end=$(date +%s)
rc=$(cat "$TMP/rc")
if [ "$rc" -eq 3 ] && [ $((end - start)) -lt 60 ]; then ok "10 GB single line fails fast"; else bad "10 GB single line (exit $rc, $((end - start)) s)"; fi

# validate: perfect detection on the generated walk, thresholds pass and fail as asked.
check "validate" "$BIN" validate "$TMP" --min-f1 0.95 --max-timing-ms 20
contains "validate table has the dataset" "$TMP/out" "lower-back"
# The same walk against a truth shifted by 50 ms: the timing threshold must fail.
mkdir -p "$TMP/shifted" && cp "$TMP/walk.csv" "$TMP/shifted/" &&
  awk 'BEGIN { printf "{\"recording\": \"walk.csv\", \"placement\": \"lower-back\", \"initial_contacts_s\": [";
    n = 0; for (t = 3.55; t <= 32.55; t += 0.5) { printf "%s%.2f", (n++ ? ", " : ""), t } print "]}" }' \
    >"$TMP/shifted/walk.truth.json"
expect_exit "validate threshold fails" 1 "$BIN" validate "$TMP/shifted" --max-timing-ms 20
contains "validate names the failed threshold" "$TMP/out" "FAIL"
expect_exit "validate bad option" 2 "$BIN" validate "$TMP" --min-f1 2
# Truth files written by Python may hold NaN: read as unknown, not rejected.
mkdir -p "$TMP/pynan" && cp "$TMP/walk.csv" "$TMP/pynan/" &&
  sed 's/"sample_rate_hz": 100,/"sample_rate_hz": 100, "subject": {"height_m": NaN, "note": "NaN in a string"},/' \
    "$TMP/walk.truth.json" >"$TMP/pynan/walk.truth.json"
check "validate truth with NaN" "$BIN" validate "$TMP/pynan" --min-f1 0.95
# A second reference system (mobgap's alt_reference): the two references are compared with each
# other inside its bouts. Here it agrees for the first 29 contacts and is 200 ms late for the other
# 30, so the reference-vs-reference F1 is 2 x 29 / (59 + 59) = 0.492.
mkdir -p "$TMP/altref" && cp "$TMP/walk.csv" "$TMP/altref/" &&
  awk 'BEGIN { printf "{\"recording\": \"walk.csv\", \"placement\": \"lower-back\", \"initial_contacts_s\": [";
    n = 0; for (t = 3.5; t <= 32.5; t += 0.5) { printf "%s%.2f", (n++ ? ", " : ""), t }
    printf "], \"segments\": [{\"start_s\": 3.5, \"end_s\": 32.5, \"activity\": \"walk\"}], ";
    printf "\"alt_reference\": {\"system\": \"Optical\", \"initial_contacts_s\": [";
    n = 0; for (t = 3.5; t <= 32.5; t += 0.5) { printf "%s%.2f", (n++ ? ", " : ""), (t < 17.9 ? t : t + 0.2) }
    print "], \"bouts\": [{\"start_s\": 3.5, \"end_s\": 32.5}]}}" }' >"$TMP/altref/walk.truth.json"
check "validate with a second reference" "$BIN" validate "$TMP/altref"
contains "detections scored against the second reference" "$TMP/out" "vs Optical"
xf1=$(awk '/reference vs Optical/ { print $(NF - 1) }' "$TMP/out")
[ "$xf1" = "0.492" ] && ok "the two references compared (F1 $xf1)" || bad "reference vs reference F1 ($xf1, want 0.492)"
# The scored part of a recording (docs/validation.md): a truth's segments widened by 0.5 s on each
# side. A segment 10.2-20.2 s listing the walk's 20 contacts 10.5-20.0 s: the detections at 10.0
# and 20.5 s (0.2 and 0.3 s outside) are scored, as false positives; those at 9.5 and 21.0 s
# (0.7 and 0.8 s outside) and beyond are not. 22 detections scored, precision 20/22.
mkdir -p "$TMP/margin" && cp "$TMP/walk.csv" "$TMP/margin/" &&
  awk 'BEGIN { printf "{\"recording\": \"walk.csv\", \"placement\": \"lower-back\", \"initial_contacts_s\": [";
    n = 0; for (t = 10.5; t <= 20.01; t += 0.5) { printf "%s%.2f", (n++ ? ", " : ""), t }
    print "], \"segments\": [{\"start_s\": 10.2, \"end_s\": 20.2, \"activity\": \"walk\"}]}" }' \
    >"$TMP/margin/walk.truth.json"
check "validate: segment margin" "$BIN" validate "$TMP/margin"
row=$(awk '$1 == "margin" { print $4, $5, $6, $7 }' "$TMP/out")
[ "$row" = "20 22 0.909 1.000" ] && ok "detections 0.5 s around a segment scored, farther ones not ($row)" ||
  bad "segment margin: ref det prec recall '$row', want '20 22 0.909 1.000'"
"$BIN" validate --help >"$TMP/h" 2>&1
contains "validate --help states the 0.5 s margin" "$TMP/h" "its segments widened by 0.5 s on each side"
mkdir -p "$TMP/broken" && echo '{"recording": 5' >"$TMP/broken/x.truth.json"
expect_exit "validate broken truth" 3 "$BIN" validate "$TMP/broken"
contains "broken truth named" "$TMP/err" "x.truth.json"

# simulate -> validate, end to end: forward heel-first then backward toe-first with heel faults,
# a foot sensor with IMU noise. Contacts, direction and strike must come out right.
mkdir -p "$TMP/simfoot"
check "simulate a session" "$BIN" simulate --placement foot-right --noise imu --seed 3 \
  --scenario-text "stand 4s;walk forward 10 strides speed=1.2;turn 180;walk backward 30s speed=0.7 strike=toe heel-faults=3;stand 3s" \
  --out "$TMP/simfoot/s.csv"
check "simulated truth written" test -s "$TMP/simfoot/s.truth.json"
check "validate simulated foot session" "$BIN" validate "$TMP/simfoot" --min-f1 0.98 \
  --max-timing-ms 25 --min-backward-inside-pct 95 --max-backward-outside-pct 2
contains "validate reports strike per step" "$TMP/out" "strike class per step"
# --accel-range: a simulated 16 g sensor running at 5 m/s clips at the landings. The default is
# 16 g; 'none' (does not clip) and 64 g (nothing reaches 95 % of it) keep the readings as they
# are, so they give the same strides, different from the default's.
check "simulate a clipped run" "$BIN" simulate --placement foot-right --noise acc-range=156.9,gyro-range=2000 \
  --rate 400 --seed 5 --scenario-text "stand 2s;walk forward 8 strides speed=1.2;run forward 20 strides speed=5;stand 2s" \
  --out "$TMP/run16.csv"
range_dist() { "$BIN" analyze --no-store --placement foot-right --format json "$@" "$TMP/run16.csv" >"$TMP/range.json" 2>/dev/null &&
  "$JQ" "$TMP/range.json" get summary.distance_m; }
dist_default=$(range_dist); dist_16=$(range_dist --accel-range 16)
dist_none=$(range_dist --accel-range none); dist_64=$(range_dist --accel-range 64)
[ "$dist_default" = "$dist_16" ] && ok "--accel-range 16 is the default ($dist_16 m)" || bad "--accel-range 16 ($dist_16) vs default ($dist_default)"
[ "$dist_none" = "$dist_64" ] && ok "--accel-range none = 64 g on a 16 g run ($dist_none m)" || bad "--accel-range none ($dist_none) vs 64 ($dist_64)"
[ "$dist_none" != "$dist_default" ] && ok "--accel-range changes the clipped run" || bad "--accel-range has no effect ($dist_none)"
expect_exit "--accel-range below 2 g" 2 "$BIN" analyze --no-store --accel-range 1 "$TMP/run16.csv"
contains "--accel-range range named" "$TMP/err" "--accel-range: 1 is outside 2..400"
# validate --accel-range: the same run scored against its truth (simulate wrote it next to the
# recording): 'none' and 64 g score the same strides as each other, not as the default (16 g).
mkdir -p "$TMP/range" && mv "$TMP/run16.csv" "$TMP/run16.truth.json" "$TMP/range/"
strides() { grep 'stride length:' "$TMP/out"; }
check "validate the clipped run" "$BIN" validate "$TMP/range"; v_default=$(strides)
check "validate --accel-range 16" "$BIN" validate "$TMP/range" --accel-range 16; v_16=$(strides)
check "validate --accel-range none" "$BIN" validate "$TMP/range" --accel-range none; v_none=$(strides)
check "validate --accel-range 64" "$BIN" validate "$TMP/range" --accel-range 64; v_64=$(strides)
[ -n "$v_default" ] && [ "$v_default" = "$v_16" ] && ok "validate: 16 g is the default ($v_16)" || bad "validate --accel-range 16 ($v_16) vs default ($v_default)"
[ -n "$v_none" ] && [ "$v_none" = "$v_64" ] && ok "validate --accel-range none = 64 g ($v_none)" || bad "validate --accel-range none ($v_none) vs 64 ($v_64)"
[ "$v_none" != "$v_default" ] && ok "validate --accel-range changes the clipped run's strides" || bad "validate --accel-range has no effect ($v_none)"
expect_exit "validate --accel-range below 2 g" 2 "$BIN" validate "$TMP/range" --accel-range 1
contains "validate --accel-range range named" "$TMP/err" "backstep validate: --accel-range: 1 is outside 2..400"
expect_exit "validate --accel-range not a number" 2 "$BIN" validate "$TMP/range" --accel-range sixteen
contains "validate --accel-range: not a number" "$TMP/err" "--accel-range: 'sixteen' is not a number"
"$BIN" validate --help >"$TMP/h" 2>&1
contains "validate --help documents --accel-range" "$TMP/h" "--accel-range G"
check "analyze simulated session json" "$BIN" analyze --placement foot-right --format json "$TMP/simfoot/s.csv"
cp "$TMP/out" "$TMP/simfoot.json"
bw=$("$JQ" "$TMP/simfoot.json" get summary.steps_backward)
if [ "${bw:-0}" -ge 40 ]; then ok "backward steps counted ($bw)"; else bad "backward steps ($bw)"; fi
toe=$("$JQ" "$TMP/simfoot.json" get summary.toe_first_ratio)
case "$toe" in 0.[6-9]*|1.0*) ok "toe-first ratio measured ($toe)" ;; *) bad "toe-first ratio ($toe)" ;; esac

# Progress on standard error (--progress; by default only on a terminal): a bar of the file read,
# the time of data analysed, then the line is erased; from standard input (no size) the samples.
check "analyze --progress" "$BIN" analyze --progress --no-store "$TMP/walk.csv"
contains "progress: a bar of the file" "$TMP/err" "analysing"
contains "progress: the bar" "$TMP/err" "] "
contains "progress: percent" "$TMP/err" " %"
contains "progress: data time" "$TMP/err" "of data"
if grep -q "analysing" "$TMP/out"; then bad "progress kept off standard output"; else ok "progress kept off standard output"; fi
"$BIN" analyze --progress --no-store - <"$TMP/walk.csv" >"$TMP/out" 2>"$TMP/err"
contains "progress from standard input: samples" "$TMP/err" "samples"
"$BIN" analyze --no-store "$TMP/walk.csv" >"$TMP/out" 2>"$TMP/err"
if grep -q "analysing" "$TMP/err"; then bad "no progress when stderr is not a terminal"; else ok "no progress when stderr is not a terminal"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
