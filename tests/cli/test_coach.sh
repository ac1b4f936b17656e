#!/usr/bin/env bash
# CLI tests of the session report (assessment, cues, safety wording) and of `backstep plan`.
# Recordings come from `backstep simulate`. Usage: test_coach.sh BACKSTEP JSON_CHECK TMPDIR SRC
set -u
BIN=$1
JQ=$2
TMP=$3
SRC=$4
rm -rf "$TMP" && mkdir -p "$TMP"
# Never the user's history: a private database, a fixed clock zone and user.
export BACKSTEP_DB="$TMP/history.db" TZ=UTC BACKSTEP_USER=tester
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

# Heart rate in the canonical CSV: the report gives it, and the energy from it (Keytel) beside
# the speed-based estimate, never blended.
awk -F, 'NR == 1 { print $0 ",hr (bpm)"; next } { printf "%s,%.0f\n", $0, 95 + 20 * $1 / 100 }' \
  "$TMP/clean.csv" >"$TMP/hr.csv"
check "analyze with heart rate" "$BIN" analyze --no-store --placement foot-right --age 40 --sex F --format json "$TMP/hr.csv"
cp "$TMP/out" "$TMP/hr.json"
hr=$("$JQ" "$TMP/hr.json" get summary.hr_mean_bpm)
case "$hr" in 10[0-9]*) ok "mean heart rate ($hr)" ;; *) bad "mean heart rate $hr" ;; esac
khr=$("$JQ" "$TMP/hr.json" get summary.energy_kcal_hr)
case "$khr" in null|"") bad "energy from heart rate missing" ;; *) ok "energy from heart rate ($khr kcal)" ;; esac
contains "heart-rate estimate flagged backward" "$TMP/hr.json" '"hr_backward"'
check "analyze with heart rate, text" "$BIN" analyze --no-store --placement foot-right "$TMP/hr.csv"
contains "text: heart rate" "$TMP/out" "Heart rate  "
contains "text: needs age and sex" "$TMP/out" "needs your age and sex"
nohr=$("$JQ" "$TMP/clean.json" get summary.hr_mean_bpm)
[ "$nohr" = "null" ] && ok "no heart rate: null" || bad "hr without a column: $nohr"

# ---- backstep plan: a new user, a week of simulated sessions ------------------------------------
# A private history database and clock zone: the plan is replayed from what the store holds.
export BACKSTEP_USER=newcomer
check "plan help" "$BIN" plan --help
for w in start show today adjust calendar --fell --unsteady --worried --heart --chest-pain \
  --dizziness --told-supervised --surgery --balance-condition --pain --age --cleared --level \
  --stumbled "Nobody moves up by the calendar alone" "not medical advice"; do
  contains "plan help documents $w" "$TMP/out" "$w"
done
expect_exit "plan show without a plan" 3 "$BIN" plan show
expect_exit "plan start bad plan" 2 "$BIN" plan start --plan yoga --no-ask
expect_exit "plan start bad answer" 2 "$BIN" plan start --fell maybe --no-ask
expect_exit "plan start bad pain" 2 "$BIN" plan start --pain 11 --no-ask
expect_exit "plan unknown subcommand" 2 "$BIN" plan frobnicate
NO="--fell no --unsteady no --worried no --heart no --chest-pain no --dizziness no --told-supervised no --surgery no --balance-condition no"
# shellcheck disable=SC2086
check "plan start (knee OA, screening by options)" "$BIN" plan start --plan knee-oa --start 2026-01-05 $NO --pain 3 --age 55 --no-ask
contains "start names the plan" "$TMP/out" "Knee osteoarthritis"
contains "start cites the source" "$TMP/out" "Alghadir"
contains "start: nothing in the screening" "$TMP/out" "No answer changes the plan"
contains "start: level 1" "$TMP/out" "level 1, Treadmill, slow, holding the rails"
contains "start: safety wording" "$TMP/out" "not medical advice"
check "plan today (first day)" "$BIN" plan today --date 2026-01-05
contains "today: 10 minutes" "$TMP/out" "10 minutes of backward walking"
check "plan today (Tuesday, nothing done yet)" "$BIN" plan today --date 2026-01-06
contains "today: catch up a missed Monday" "$TMP/out" "Catch-up session today"

good="stand 3s;walk forward 8 strides speed=1.1;turn 180;walk backward 9min speed=0.5 strike=toe;stand 3s"
session() { # name, date, scenario, seed, extra analyze options...
  local name=$1 day=$2 sc=$3 seed=$4; shift 4
  "$BIN" simulate --placement foot-right --noise imu --seed "$seed" --scenario-text "$sc" \
    --out "$TMP/$name.csv" >/dev/null 2>&1 || bad "simulate $name"
  check "analyze $name ($day)" "$BIN" analyze --placement foot-right --start "${day}T10:00" "$@" "$TMP/$name.csv"
  cp "$TMP/out" "$TMP/$name.txt"
}
level_on() { # date -> level
  "$BIN" plan show --date "$1" --format json >"$TMP/show.json" 2>/dev/null
  "$JQ" "$TMP/show.json" get level
}
session mon 2026-01-05 "$good" 31 --stumbled no --pain 3
contains "Monday: held, too few sessions" "$TMP/mon.txt" "sessions     NOT MET  1 of 3 sessions at this level"
contains "Monday: dose passes" "$TMP/mon.txt" "dose         pass"
contains "Monday: toes first passes" "$TMP/mon.txt" "toe_first    pass"
contains "Monday: posture not measured by a shoe sensor" "$TMP/mon.txt" "posture      -"
check "plan today (Tuesday after Monday's session)" "$BIN" plan today --date 2026-01-06
contains "today: rest" "$TMP/out" "Rest day (1 of 3 sessions done"
session wed 2026-01-07 "$good" 32 --stumbled no --pain 3
contains "Wednesday: still level 1" "$TMP/wed.txt" "Stay at level 1"
# Friday: no check-in answer, and a shoe sensor cannot see stumbles: the gate is unknown.
session fri 2026-01-09 "$good" 33 --pain 2
contains "Friday: stumble gate unknown without an answer" "$TMP/fri.txt" "no_stumbles  unknown"
contains "Friday: held" "$TMP/fri.txt" "Stay at level 1"
fri_id=$(grep -o "stored as session [0-9]*" "$TMP/fri.txt" | grep -o "[0-9]*$")
check "check-in answers the stumble question for Friday" "$BIN" checkin --session "$fri_id" --stumbled no
contains "check-in: the plan moves up" "$TMP/out" "plan: level 2 (moved up)"
[ "$(level_on 2026-01-09)" = "2" ] && ok "level 2 after three passing sessions" || bad "level after Friday: $(level_on 2026-01-09)"
# Saturday at level 2: faster, but landing heel first: held for toe-first.
session sat 2026-01-10 "stand 3s;walk forward 8 strides speed=1.1;turn 180;walk backward 9min speed=0.8 strike=heel;stand 3s" 34 --stumbled no --pain 2
contains "Saturday: toes first not met" "$TMP/sat.txt" "toe_first    NOT MET"
contains "Saturday: advice toes first" "$TMP/sat.txt" "Land on your toes first"
contains "Saturday: cue toes first" "$TMP/sat.txt" "x \"Toes first\""
contains "Saturday: level 2 held" "$TMP/sat.txt" "Stay at level 2"
sat_id=$(grep -o "stored as session [0-9]*" "$TMP/sat.txt" | grep -o "[0-9]*$")
n_cues=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"select count(*) from cues where session_id=? and kind='toes_first'\", (int(sys.argv[2]),)).fetchone()[0])" "$BACKSTEP_DB" "$sat_id" 2>&1)
case "$n_cues" in [1-9]*) ok "Saturday's toes-first cues stored with the session ($n_cues)" ;; *) bad "stored cues: $n_cues" ;; esac
# Sunday: a stumble, told in the check-in: back to level 1.
session sun 2026-01-11 "stand 3s;walk forward 8 strides speed=1.1;turn 180;walk backward 9min speed=0.8 strike=toe;stand 3s" 35 --stumbled yes --pain 2
contains "Sunday: moved back" "$TMP/sun.txt" "Move back: level 2 -> 1"
contains "Sunday: the stated reason" "$TMP/sun.txt" "a stumble: move back one level"
[ "$(level_on 2026-01-11)" = "1" ] && ok "level 1 after the stumble" || bad "level after Sunday: $(level_on 2026-01-11)"
check "plan show json" "$BIN" plan show --date 2026-01-11 --format json
cp "$TMP/out" "$TMP/week.json"
check "plan json keys" "$JQ" "$TMP/week.json" has schema has level has adherence.sessions_done \
  has adherence.sessions_planned has screening.level_max has last_decision.reason \
  has today.minutes has history.4.decision.gates.0.gate has history.5.decision.reason
[ "$("$JQ" "$TMP/week.json" len history)" = "6" ] && ok "history: start + 5 sessions" || bad "history length"
[ "$("$JQ" "$TMP/week.json" get history.3.decision.action)" = '"advance"' ] && ok "history: advance on Friday" || bad "history 3"
[ "$("$JQ" "$TMP/week.json" get history.5.decision.reason)" = '"stumble"' ] && ok "history: stumble on Sunday" || bad "history 5"
[ "$("$JQ" "$TMP/week.json" get adherence.sessions_done)" = "5" ] && ok "adherence: 5 sessions done" || bad "sessions done"
[ "$("$JQ" "$TMP/week.json" get adherence.sessions_planned)" = "3" ] && ok "adherence: 3 planned in the first week" || bad "sessions planned"
check "plan show text" "$BIN" plan show --date 2026-01-11
contains "show: adherence" "$TMP/out" "Adherence   5 of 3 planned sessions"
contains "show: history with reasons" "$TMP/out" "level 1 -> 2: every gate passed"
# Nobody moves up by the calendar alone: a year later, no new sessions, still level 1.
[ "$(level_on 2027-01-11)" = "1" ] && ok "no move up by the calendar" || bad "calendar moved the level"
# The dashboard's copy in the store follows the coach.
level=$("$BIN" plan list | grep -o "level [0-9]")
[ "$level" = "level 1" ] && ok "stored plan level follows the coach ($level)" || bad "stored level: $level"

# Calendar: a strict RFC 5545 structure check (python3 standard library).
check "plan calendar" "$BIN" plan calendar --from 2026-01-05 --time 07:30 --out "$TMP/plan.ics"
contains "calendar: 18 sessions of 6 weeks" "$TMP/out" "18 sessions"
check "calendar is valid iCalendar with 18 events" python3 "$SRC/tests/cli/ics_check.py" "$TMP/plan.ics" 18
contains "calendar: local start time" "$TMP/plan.ics" "DTSTART:20260105T073000"
check "calendar: 2 weeks" "$BIN" plan calendar --from 2026-01-12 --weeks 2 --out "$TMP/two.ics"
check "two weeks: 6 events" python3 "$SRC/tests/cli/ics_check.py" "$TMP/two.ics" 6
expect_exit "calendar bad --time" 2 "$BIN" plan calendar --time 25:00

# A stumble told in a check-in that names no session (a walk without the sensor) moves back too.
export BACKSTEP_USER=tripped
# shellcheck disable=SC2086
check "plan start (tripped)" "$BIN" plan start --plan general --start 2026-01-05 $NO --pain 1 --age 40 --no-ask
for d in mon:2026-01-05 wed:2026-01-07 fri:2026-01-09; do
  check "analyze ${d%%:*} (tripped)" "$BIN" analyze --placement foot-right --start "${d#*:}T10:00" --stumbled no "$TMP/${d%%:*}.csv"
done
[ "$(level_on 2026-01-09)" = "2" ] && ok "tripped: level 2 after three passing sessions" || bad "tripped: level $(level_on 2026-01-09)"
check "check-in without a session: no stumble" "$BIN" checkin --date 2026-01-10 --stumbled no
contains "told no: the level stays" "$TMP/out" "plan: level 2"
lacks "told no: not moved" "$TMP/out" "moved back"
check "check-in without a session: a stumble" "$BIN" checkin --date 2026-01-10 --stumbled yes
contains "told stumble without --session: moved back" "$TMP/out" "plan: level 1 (moved back)"
[ "$(level_on 2026-01-10)" = "1" ] && ok "tripped: level 1 after the told stumble" || bad "tripped: level $(level_on 2026-01-10)"
check "tripped: plan show" "$BIN" plan show --date 2026-01-10
contains "tripped: the stated reason" "$TMP/out" "a stumble: move back one level"
level=$("$BIN" plan list | grep -o "level [0-9]")
[ "$level" = "level 1" ] && ok "tripped: stored plan level follows ($level)" || bad "tripped: stored level: $level"

# Screening that asks for a professional first: the plan starts paused; sessions do not count.
export BACKSTEP_USER=careful
# shellcheck disable=SC2086
check "plan start with a heart condition" "$BIN" plan start --start 2026-01-05 $NO --heart yes --pain 1 --age 50 --no-ask
contains "consult first" "$TMP/out" "Talk to a health professional before you start"
contains "starts paused" "$TMP/out" "The plan starts paused"
session early 2026-01-06 "$good" 41 --stumbled no
contains "session while paused does not count" "$TMP/early.txt" "the plan is paused: this session was recorded but does not count"
expect_exit "resume refused without clearance" 1 "$BIN" plan adjust --resume --date 2026-01-07
contains "resume: says why" "$TMP/err" "clearance"
check "cleared by a professional" "$BIN" plan adjust --cleared --date 2026-01-07 --note "GP visit"
contains "cleared: goes on" "$TMP/out" "a health professional has cleared you"
expect_exit "adjust needs a kind" 2 "$BIN" plan adjust

# Screening answered interactively (--ask reads the answers from standard input).
export BACKSTEP_USER=asked
printf 'yes\nno\nno\nno\nno\nno\nno\nno\nno\n2\n70\n' >"$TMP/answers"
check "plan start with questions" sh -c "\"\$1\" plan start --start 2026-01-05 --ask <\"\$2\"" _ "$BIN" "$TMP/answers"
contains "asked: a fall in the past year means supported walking" "$TMP/out" "You have fallen in the past year"
contains "asked: treadmill only" "$TMP/out" "top level 3"
contains "asked: questions went to stderr" "$TMP/err" "Have you fallen in the past 12 months?"
# Unanswered questions count as yes.
export BACKSTEP_USER=silent
check "plan start without answers" "$BIN" plan start --start 2026-01-05 --no-ask
contains "unanswered counted as yes" "$TMP/out" "counted as 'yes'"
contains "unanswered: paused" "$TMP/out" "The plan starts paused"

# Looking at a past day does not rewrite the plan: `plan show --date` of a day before a check-in
# that paused the plan shows that day, and the stored plan (what the dashboard shows) stays paused.
PS="$TMP/pastshow.db"
# shellcheck disable=SC2086
check "plan start (past show)" "$BIN" plan start --db "$PS" --plan general --start 2026-01-01 $NO \
  --pain 1 --age 40 --no-ask
check "check-in with high pain pauses" "$BIN" checkin --db "$PS" --date 2026-01-05 --pain 9
contains "paused by the check-in" "$TMP/out" "paused"
check "plan show of a day before the pause" "$BIN" plan show --db "$PS" --date 2026-01-03 --format json
contains "that day: not paused" "$TMP/out" '"paused": false,'
python3 - "$PS" >"$TMP/stored-plan.txt" <<'PY'
import json, sqlite3, sys
print(json.loads(sqlite3.connect(sys.argv[1]).execute("SELECT params_json FROM plans").fetchone()[0])["status"])
PY
contains "the stored plan is still paused" "$TMP/stored-plan.txt" "pain of 7 or more"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
