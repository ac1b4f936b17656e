#!/usr/bin/env bash
# CLI tests of the session report (assessment, cues, safety wording) and of `backstep plan`.
# Recordings come from `backstep simulate`. Usage: test_coach.sh BACKSTEP JSON_CHECK TMPDIR
set -u
BIN=$1
JQ=$2
TMP=$3
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
  if [ "$rc" -eq "$code" ]; then ok "$name"; else bad "$name (exit $rc, expected $code)"; head -5 "$TMP/err"; fi
}
contains() { # name, file, text
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; head -40 "$2"; fi
}
lacks() { # name, file, text
  if grep -qF -- "$3" "$2"; then bad "$1: '$3' in $2"; else ok "$1"; fi
}
sim() { # name, scenario, out [extra options]
  local name=$1 sc=$2 out=$3; shift 3
  check "simulate $name" "$BIN" simulate --placement foot-right --noise imu --seed 5 \
    --scenario-text "$sc" --out "$out" "$@"
}

# ---- the session report ------------------------------------------------------------------------
# Heel-first backward walking, too fast for level 1: the report names both, cues were given.
sim "faulty session" "stand 3s;walk forward 8 strides speed=1.1;turn 180;walk backward 60s speed=0.9 strike=heel;stand 3s" "$TMP/faulty.csv"
check "analyze faulty json" "$BIN" analyze --placement foot-right --level 1 --format json "$TMP/faulty.csv"
cp "$TMP/out" "$TMP/faulty.json"
check "assessment keys" "$JQ" "$TMP/faulty.json" has assessment.scores.toe_first.value \
  has assessment.scores.toe_first.band has assessment.scores.rhythm.unit \
  has assessment.scores.evenness has assessment.scores.symmetry has assessment.scores.posture \
  has assessment.scores.look_backs has assessment.work_on.0.id has assessment.work_on.0.text \
  has assessment.work_on.0.reason has assessment.safety has assessment.not_measured \
  has cues.0.t_s has cues.0.type has cues.0.text has summary.time_backward_s \
  has summary.speed_backward_mps has summary.pace_backward_s_per_km \
  has summary.backward_stride_time_cv_pct has summary.backward_stride_length_cv_pct
w0=$("$JQ" "$TMP/faulty.json" get assessment.work_on.0.id)
w1=$("$JQ" "$TMP/faulty.json" get assessment.work_on.1.id)
[ "$w0" = '"slow_down"' ] && ok "first thing to work on: slow down" || bad "work_on.0 is $w0"
[ "$w1" = '"toes_first"' ] && ok "second: toes first" || bad "work_on.1 is $w1"
band=$("$JQ" "$TMP/faulty.json" get assessment.scores.toe_first.band)
[ "$band" = '"work on"' ] && ok "toe-first band" || bad "toe-first band $band"
stumbles=$("$JQ" "$TMP/faulty.json" get summary.stumbles)
[ "$stumbles" = "null" ] && ok "stumbles not measured by a shoe sensor: null" || bad "stumbles $stumbles"
contains "safety wording in json" "$TMP/faulty.json" "does not give medical advice"
cue_types=$(grep -o '"type": "[a-z_]*"' "$TMP/faulty.json" | sort | uniq -c)
case "$cue_types" in *slow_down*) ok "cue slow down given" ;; *) bad "no slow-down cue: $cue_types" ;; esac
case "$cue_types" in *toes_first*) ok "cue toes first given" ;; *) bad "no toes-first cue: $cue_types" ;; esac
check "analyze faulty text" "$BIN" analyze --placement foot-right --level 1 "$TMP/faulty.csv"
contains "text: technique" "$TMP/out" "Technique"
contains "text: toes first score" "$TMP/out" "landed toes first (work on)"
contains "text: work on" "$TMP/out" "Next time, work on:"
contains "text: slow down advice" "$TMP/out" "1. Walk more slowly"
contains "text: cues" "$TMP/out" "x \"Slow down\""
contains "text: safety" "$TMP/out" "does not give medical advice"
contains "text: stumbles not detected" "$TMP/out" "not detected by this sensor"
lacks "text: no medical claims" "$TMP/out" "cure"
expect_exit "analyze bad --level" 2 "$BIN" analyze --level 9 "$TMP/faulty.csv"
expect_exit "analyze bad --speed-max" 2 "$BIN" analyze --speed-max 0 "$TMP/faulty.csv"

# A clean slow toe-first session at level 1: nothing to work on, no cues.
sim "clean session" "stand 3s;walk forward 8 strides speed=1.1;turn 180;walk backward 90s speed=0.5 strike=toe;stand 3s" "$TMP/clean.csv"
check "analyze clean json" "$BIN" analyze --placement foot-right --level 1 --format json "$TMP/clean.csv"
cp "$TMP/out" "$TMP/clean.json"
n=$("$JQ" "$TMP/clean.json" len cues)
[ "$n" = "0" ] && ok "clean session: no cues" || bad "clean session gave $n cues"
band=$("$JQ" "$TMP/clean.json" get assessment.scores.toe_first.band)
[ "$band" = '"good"' ] && ok "clean toe-first good" || bad "clean toe-first band $band"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
