#!/usr/bin/env bash
# CLI tests of `backstep batch`: every recording under a folder analysed and stored; a bad file
# reported and skipped; resumable after SIGKILL and after SIGINT (stored files skipped by
# checksum, nothing stored twice, every file reported stored is in the database); a second stop
# signal ends it at once without the file being analysed; one worker and several workers give the
# same results.
# Usage: test_batch.sh BACKSTEP JSON_CHECK TMPDIR
set -u
BIN=$1
JQ=$2
TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP/rec/a" "$TMP/rec/b"
export TZ=UTC BACKSTEP_USER=batcher
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
equals() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
contains() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; head -5 "$2"; fi; }
stored() { "$BIN" history --db "$1" --format json | "$JQ" - len sessions; }

for i in $(seq 1 8); do
  "$BIN" simulate --placement foot-right --direction backward --duration 30 --seed "$i" \
    --out "$TMP/rec/a/r$i.csv" >/dev/null
done
"$BIN" simulate --placement lower-back --duration 20 --seed 9 --out "$TMP/rec/b/lb.csv" >/dev/null
"$BIN" simulate --placement foot-right --format sensorlogger --duration 15 --seed 10 \
  --out "$TMP/rec/b/phone" >/dev/null
printf 'this is not a recording\n1,2\n' >"$TMP/rec/b/bad.csv"
head -c 2000 "$TMP/rec/a/r1.csv" >"$TMP/rec/b/truncated.csv"
echo "notes" >"$TMP/rec/README.md"
good=10 # 8 + lower back + Sensor Logger folder; truncated.csv is a valid (short) recording or not

DB="$TMP/one.db"
"$BIN" batch --db "$DB" --no-progress "$TMP/rec" >"$TMP/out" 2>"$TMP/err"
rc=$?
equals "a bad file makes the exit status 3" "$rc" 3
contains "the bad file is named" "$TMP/out" "FAILED $TMP/rec/b/bad.csv"
contains "summary line" "$TMP/out" "recordings:"
n=$(stored "$DB")
ntr=$(grep -c "stored $TMP/rec/b/truncated.csv" "$TMP/out")
equals "every good recording stored" "$n" $((good + ntr))
if grep -q "README" "$TMP/out" "$TMP/err"; then bad "other files are left alone"; else ok "other files are left alone"; fi
if grep -q "truth.json" "$TMP/out"; then bad "truth files are left alone"; else ok "truth files are left alone"; fi
contains "the Sensor Logger folder is one recording" "$TMP/out" "stored $TMP/rec/b/phone:"

"$BIN" batch --db "$DB" --no-progress "$TMP/rec" >"$TMP/out2" 2>&1
equals "a second run stores nothing new" "$(grep -c '] stored' "$TMP/out2")" 0
equals "a second run skips them all" "$(grep -c '] skip' "$TMP/out2")" "$n"
equals "nothing duplicated" "$(stored "$DB")" "$n"

# Every input analyze takes, the same way: a folder mixing a simulated CSV, a treadmill's FTMS log,
# the FIT and TCX files exported from it, a copy of the FIT under another name (the same
# recording: skipped by checksum) and a truncated FIT (reported and skipped). Each stored session
# equals the one `backstep analyze` stores for that file (by format: the four differ; which name
# of the copied FIT is stored depends on which worker gets there first).
mkdir -p "$TMP/mixed"
"$BIN" simulate --placement foot-right --direction backward --duration 30 --seed 21 \
  --out "$TMP/mixed/walk.csv" >/dev/null
python3 - "$TMP/mixed/tread.ftms" <<'PY'
import struct, sys
out = ["# backstep ftms log 1"]
dist = 0.0
for i in range(180):
    t = 1700000000 + i
    kmh = 2.5 if i >= 10 else 0.0
    dist += kmh / 3.6
    flags = 0x0004 | 0x0008 | 0x0400
    b = (struct.pack("<HH", flags, int(round(kmh * 100))) + struct.pack("<I", int(dist))[:3] +
         struct.pack("<hh", 30, 0) + struct.pack("<H", i))
    out.append("%d.000 2acd %s" % (t, " ".join("%02x" % x for x in b)))
    out.append("%d.500 2a37 00 %02x" % (t, 90 + i // 20))
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
"$BIN" export --from "$TMP/mixed/tread.ftms" --direction backward --out "$TMP/mixed/watch.fit" >/dev/null 2>&1
"$BIN" export --from "$TMP/mixed/tread.ftms" --out "$TMP/mixed/watch.tcx" >/dev/null 2>&1
cp "$TMP/mixed/watch.fit" "$TMP/mixed/copy-of-watch.FIT"
head -c 200 "$TMP/mixed/watch.fit" >"$TMP/mixed/cut.fit"
DBM="$TMP/mixed.db"
"$BIN" batch --db "$DBM" --jobs 2 --no-progress "$TMP/mixed" >"$TMP/mixed.out" 2>&1
equals "mixed folder: the bad file makes the exit status 3" "$?" 3
contains "mixed folder: six files found" "$TMP/mixed.out" "6 recordings: 4 stored, 1 already stored, 1 failed"
contains "the truncated FIT is reported" "$TMP/mixed.out" "FAILED $TMP/mixed/cut.fit: truncated"
for f in walk.csv tread.ftms watch.tcx; do
  contains "batch stores $f" "$TMP/mixed.out" "stored $TMP/mixed/$f: session"
done
equals "the FIT and its copy: one stored, one recognised" \
  "$(grep -cE "(stored|skip  ) $TMP/mixed/(watch.fit|copy-of-watch.FIT): " "$TMP/mixed.out")" 2
equals "the copy is one recording" "$(grep -c 'already stored as session' "$TMP/mixed.out")" 1
equals "mixed folder: four sessions" "$(stored "$DBM")" 4
DBA="$TMP/mixed-analyze.db"
for f in walk.csv tread.ftms watch.fit watch.tcx; do
  "$BIN" analyze --db "$DBA" "$TMP/mixed/$f" >/dev/null 2>&1 || bad "analyze $f"
done
rows() { # the stored sessions of a database, by file: what analyze and batch must agree on
  "$BIN" history --db "$1" --format json >"$TMP/rows.json"
  k=$("$JQ" "$TMP/rows.json" len sessions)
  for i in $(seq 0 $((k - 1))); do
    for key in format start_us duration_s steps walking_time_s backward_time_s \
      distance_m speed_mps cadence_spm energy_kcal hr_mean_bpm treadmill_incline_pct; do
      printf '%s ' "$("$JQ" "$TMP/rows.json" get sessions.$i.$key)"
    done
    echo
  done | sort
}
rows "$DBM" >"$TMP/rows.batch"
rows "$DBA" >"$TMP/rows.analyze"
if [ "$(wc -l <"$TMP/rows.batch")" -eq 4 ] && cmp -s "$TMP/rows.batch" "$TMP/rows.analyze"; then
  ok "batch stores each file as analyze does (CSV, FTMS, FIT, TCX)"
else
  bad "batch and analyze differ"; diff "$TMP/rows.batch" "$TMP/rows.analyze" | head
fi
"$BIN" batch --db "$DBM" --no-progress "$TMP/mixed" >"$TMP/mixed2.out" 2>&1
contains "mixed folder again: everything skipped" "$TMP/mixed2.out" "6 recordings: 0 stored, 5 already stored, 1 failed"

# --direction, as analyze has it: the activity files' walks were done backward (a treadmill and a
# watch cannot tell). Each session batch stores equals the one `analyze --direction backward`
# stores (backward time, energy of the backward model); without it the FTMS log's walk is not
# backward.
mkdir -p "$TMP/dir"
cp "$TMP/mixed/tread.ftms" "$TMP/mixed/watch.tcx" "$TMP/dir/"
DBD="$TMP/dir.db"
"$BIN" batch --db "$DBD" --jobs 2 --no-progress --direction backward "$TMP/dir" >"$TMP/dir.out" 2>&1
equals "batch --direction backward: exit 0" "$?" 0
DBDA="$TMP/dir-analyze.db"
for f in tread.ftms watch.tcx; do
  "$BIN" analyze --db "$DBDA" --direction backward "$TMP/dir/$f" >/dev/null 2>&1 || bad "analyze --direction $f"
done
rows "$DBD" >"$TMP/rows.dir.batch"
rows "$DBDA" >"$TMP/rows.dir.analyze"
if [ "$(wc -l <"$TMP/rows.dir.batch")" -eq 2 ] && cmp -s "$TMP/rows.dir.batch" "$TMP/rows.dir.analyze"; then
  ok "batch --direction stores each activity file as analyze --direction does"
else
  bad "batch --direction and analyze --direction differ"; diff "$TMP/rows.dir.batch" "$TMP/rows.dir.analyze" | head
fi
bw=$("$BIN" history --db "$DBD" --format json | "$JQ" - get sessions.0.backward_time_s)
if awk -v a="$bw" 'BEGIN { exit !(a + 0 > 100) }'; then ok "the walk is stored as backward ($bw s)"; else bad "backward time with --direction backward: $bw"; fi
# --accel-range, as analyze has it: a simulated 16 g foot sensor running at 5 m/s clips at the
# landings; told that it does not clip, the stride integration keeps the readings as they are, so
# the stored distance differs from the default (16 g) one, and batch stores what analyze does.
mkdir -p "$TMP/range"
"$BIN" simulate --placement foot-right --noise acc-range=156.9,gyro-range=2000 --rate 400 --seed 5 \
  --scenario-text "stand 2s;walk forward 8 strides speed=1.2;run forward 20 strides speed=5;stand 2s" \
  --out "$TMP/range/run.csv" >/dev/null 2>&1 || bad "simulate a run"
DBR="$TMP/range.db"; DBRA="$TMP/range-analyze.db"; DBR16="$TMP/range16.db"
"$BIN" batch --db "$DBR" --no-progress --accel-range none "$TMP/range" >/dev/null 2>&1
equals "batch --accel-range none: exit 0" "$?" 0
"$BIN" analyze --db "$DBRA" --placement auto --accel-range none "$TMP/range/run.csv" >/dev/null 2>&1 || bad "analyze --accel-range none"
"$BIN" batch --db "$DBR16" --no-progress "$TMP/range" >/dev/null 2>&1
d_none=$("$BIN" history --db "$DBR" --format json | "$JQ" - get sessions.0.distance_m)
d_an=$("$BIN" history --db "$DBRA" --format json | "$JQ" - get sessions.0.distance_m)
d_16=$("$BIN" history --db "$DBR16" --format json | "$JQ" - get sessions.0.distance_m)
equals "batch --accel-range none stores the distance analyze does" "$d_none" "$d_an"
if [ -n "$d_none" ] && [ "$d_none" != "$d_16" ]; then ok "the range changes the clipped run ($d_16 -> $d_none m)"; else bad "--accel-range has no effect ($d_16, $d_none)"; fi
"$BIN" batch --db "$DBR" --no-progress --accel-range 1 "$TMP/range" >/dev/null 2>"$TMP/range.err"
equals "batch --accel-range 1: usage error" "$?" 2
"$BIN" batch --db "$DBD" --no-progress --direction sideways "$TMP/dir" >/dev/null 2>"$TMP/dir.err"
equals "batch --direction sideways: usage error" "$?" 2
contains "batch --direction: the message" "$TMP/dir.err" "--direction: expected forward or backward"
"$BIN" batch --help >"$TMP/dir.help" 2>&1
contains "batch --help lists --direction" "$TMP/dir.help" "--direction D      forward | backward"

# The plan: a walker with a plan batch-stores three old recordings whose names run against the
# order they were walked (the start is the file's time). The plan is decided once after the
# workers, with the sessions in the order walked: three decisions, stored in that order.
mkdir -p "$TMP/plan"
for i in 1 2 3; do
  "$BIN" simulate --placement foot-right --direction backward --duration 20 --seed $((30 + i)) \
    --out "$TMP/plan/r$i.csv" >/dev/null
  touch -d "2026-01-0$((7 - 2 * i)) 10:00:20" "$TMP/plan/r$i.csv" # r1: the 5th, r2: 3rd, r3: 1st
done
DBP="$TMP/plan.db"
NO="--fell no --unsteady no --worried no --heart no --chest-pain no --dizziness no --told-supervised no --surgery no --balance-condition no"
# shellcheck disable=SC2086
"$BIN" plan start --db "$DBP" --plan general --start 2026-01-01 $NO --pain 1 --age 40 --no-ask \
  >/dev/null 2>&1 || bad "plan start"
"$BIN" batch --db "$DBP" --jobs 2 --no-progress "$TMP/plan" >"$TMP/plan.out" 2>&1
equals "batch with a plan: exit 0" "$?" 0
contains "batch says the plan was decided again" "$TMP/plan.out" "plan: decided again with every stored session in the order walked: level 1"
python3 - "$DBP" >"$TMP/progress.txt" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT p.kind, s.start_us FROM plan_progress p JOIN sessions s ON s.id = p.session_id "
                 "ORDER BY p.id").fetchall()
print(len(rows), "ordered" if [r[1] for r in rows] == sorted(r[1] for r in rows) else "unordered")
print(c.execute("SELECT params_json FROM plans").fetchone()[0])
PY
contains "three decisions stored, in the order walked" "$TMP/progress.txt" "3 ordered"
contains "the stored plan counts the three sessions" "$TMP/progress.txt" '"sessions":"3 sessions, 3 at this level"'
"$BIN" batch --db "$DBP" --no-progress "$TMP/plan" >/dev/null 2>&1
python3 - "$DBP" >"$TMP/progress2.txt" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT count(*) FROM plan_progress WHERE session_id IS NOT NULL").fetchone()[0])
PY
equals "a second batch decides nothing twice" "$(cat "$TMP/progress2.txt")" 3
# The plan cannot be decided (the database refuses the plan's write after the recordings were
# stored; a trigger makes that fault exact): the batch says so, exits 4 and the rerun decides it.
mkdir -p "$TMP/plan2"
"$BIN" simulate --placement foot-right --direction backward --duration 20 --seed 34 \
  --out "$TMP/plan2/r4.csv" >/dev/null
touch -d "2026-01-07 10:00:20" "$TMP/plan2/r4.csv"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TRIGGER t_fault BEFORE INSERT ON plan_progress BEGIN SELECT RAISE(ABORT, \"injected fault\"); END"); c.commit()' "$DBP"
"$BIN" batch --db "$DBP" --no-progress "$TMP/plan2" >"$TMP/plan2.out" 2>"$TMP/plan2.err"
equals "plan not decided: exit 4 (database error)" "$?" 4
contains "plan not decided: says why" "$TMP/plan2.err" "backstep batch: plan:"
contains "plan not decided: says the recordings are stored and how to go on" "$TMP/plan2.out" \
  "plan: not decided because of the database (the recordings are stored): run the same command again to decide it"
contains "plan not decided: the recording is stored" "$TMP/plan2.out" "stored $TMP/plan2/r4.csv: session"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("DROP TRIGGER t_fault"); c.commit()' "$DBP"
"$BIN" batch --db "$DBP" --no-progress "$TMP/plan2" >"$TMP/plan3.out" 2>&1
equals "plan not decided: the rerun exits 0" "$?" 0
contains "plan not decided: the rerun decides it" "$TMP/plan3.out" "plan: decided again with every stored session in the order walked"
equals "plan not decided: the rerun decided the fourth session" \
  "$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM plan_progress WHERE session_id IS NOT NULL").fetchone()[0])' "$DBP")" 4

# One worker and four workers: the same sessions (steps per file).
DB1="$TMP/j1.db"
"$BIN" batch --db "$DB1" --jobs 1 --no-progress "$TMP/rec/a" >/dev/null 2>&1
DB4="$TMP/j4.db"
"$BIN" batch --db "$DB4" --jobs 4 --no-progress "$TMP/rec/a" >/dev/null 2>&1
summary() { # path -> steps, distance per session, sorted by path
  "$BIN" history --db "$1" --format json >"$TMP/h.json"
  k=$("$JQ" "$TMP/h.json" len sessions)
  for i in $(seq 0 $((k - 1))); do
    echo "$("$JQ" "$TMP/h.json" get sessions.$i.source_path) $("$JQ" "$TMP/h.json" get sessions.$i.steps) $("$JQ" "$TMP/h.json" get sessions.$i.distance_m)"
  done | sort
}
summary "$DB1" >"$TMP/s1"
summary "$DB4" >"$TMP/s4"
if [ "$(wc -l <"$TMP/s1")" -eq 8 ] && cmp -s "$TMP/s1" "$TMP/s4"; then
  ok "one worker and four workers agree"
else
  bad "one worker and four workers agree"; diff "$TMP/s1" "$TMP/s4" | head
fi

# A batch held at a known point without timing: db_lock.py (its docstring; tests/faults uses it
# too) watches a recording with inotify and, once a worker of the batch has opened it, takes the
# database's write lock (BEGIN IMMEDIATE) and writes 'locked N' (N sessions stored), or 'late' when
# that recording is stored already. A batch run with BACKSTEP_DB_BUSY_MS=600000 then stores
# nothing until the helper ends (kill).
LOCK_PY=$(dirname "$0")/db_lock.py
wait_for() { # FILE EXTENDED-REGEX: polls for up to 120 s (valgrind), as tests/faults
  local n=0
  until grep -qE -- "$2" "$1" 2>/dev/null || [ $n -ge 2400 ]; do sleep 0.05; n=$((n + 1)); done
}
# Interrupted by SIGKILL at several moments, then resumed: everything reported stored is there,
# the database is intact, and the resumed run completes the set without duplicates.
mkdir -p "$TMP/big"
# under valgrind (BSTEP_TEST_UNDER_VALGRIND) fewer and shorter recordings: the same checks
if [ "${BSTEP_TEST_UNDER_VALGRIND:-0}" = 1 ]; then nbig=8 dbig=40; else nbig=24 dbig=120; fi
for i in $(seq 1 $nbig); do
  "$BIN" simulate --placement foot-right --direction backward --duration $dbig --seed $((100 + i)) \
    --out "$TMP/big/b$i.csv" >/dev/null
done
DBK="$TMP/kill.db"
reported_missing() { # the files $TMP/kill.out reports stored that are not in $DBK
  local missing=0 path
  while read -r path; do
    "$BIN" history --db "$DBK" --format json | grep -qF "\"$path\"" || missing=$((missing + 1))
  done < <(sed -n 's/^\[[0-9]*\/[0-9]*\] stored \(.*\): session .*/\1/p' "$TMP/kill.out")
  echo "$missing"
}
third=$(printf '%s\n' "$TMP"/big/*.csv | LC_ALL=C sort | sed -n 3p) # in the order the batch takes them
# The first kill provably hits a running batch: it comes while the helper holds the lock, taken
# once a worker opened the third recording and that file is not stored yet (the workers wait to
# store, so the batch cannot finish; a helper late to the lock makes the attempt start again on a
# new database). Before, only the timed kills below were there, and 'a kill hit a running batch'
# needed the batch (about 0.4 s) to be still running at one of them.
hattempt=0 held=0
while [ $held -eq 0 ] && [ $hattempt -lt 5 ]; do
  hattempt=$((hattempt + 1))
  rm -f "$DBK" "$DBK-wal" "$DBK-shm" "$TMP/kill.status"
  python3 "$LOCK_PY" "$third" "$DBK" "$TMP/kill.status" &
  lockpid=$!
  wait_for "$TMP/kill.status" 'watching|error'
  BACKSTEP_DB_BUSY_MS=600000 "$BIN" batch --db "$DBK" --jobs 2 --no-progress "$TMP/big" >"$TMP/kill.out" 2>&1 &
  pid=$!
  wait_for "$TMP/kill.status" 'locked|late|error'
  grep -q locked "$TMP/kill.status" && held=1
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  kill "$lockpid"
  wait "$lockpid" 2>/dev/null
done
equals "a SIGKILL hit a running batch, held at the database (attempt $hattempt)" "$held" 1
equals "after that SIGKILL every reported session is stored" "$(reported_missing)" 0
# The timed kills hit whatever moment they hit: analysing, committing, or after the batch finished
# (later runs have fewer files left). A kill that comes after everything finished is fine: the
# checks hold all the same, so how many of them hit a running batch is only reported.
partial=0
for delay in 0.05 0.15 0.3 0.45 0.6; do
  "$BIN" batch --db "$DBK" --jobs 2 --no-progress "$TMP/big" >"$TMP/kill.out" 2>&1 &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  equals "after SIGKILL at ${delay} s every reported session is stored" "$(reported_missing)" 0
  grep -q "recordings:" "$TMP/kill.out" || partial=$((partial + 1))
done
echo "note $partial of the 5 timed kills hit a running batch"
if "$BIN" history --db "$DBK" >/dev/null 2>&1; then ok "the killed database opens"; else bad "the killed database opens"; fi
before=$(stored "$DBK")
"$BIN" batch --db "$DBK" --no-progress "$TMP/big" >"$TMP/resume.out" 2>&1
equals "the resumed batch succeeds" "$?" 0
equals "resumed: all $nbig stored once" "$(stored "$DBK")" $nbig
equals "resumed: the stored ones were skipped" "$(grep -c '] skip' "$TMP/resume.out")" "$before"

# SIGINT: the running files are finished, then it stops with 130 and says how to continue.
# The signal must reach a batch that is still working with its signals blocked: after the workers
# started (the signals are blocked, and a handler installed, before; a background job of a script
# starts with SIGINT ignored, so a signal before that would be lost, as under valgrind's slow
# start) and while a file is still to be started (after the workers the batch has nothing left to
# interrupt, and the ignored SIGINT it inherited is back). No timing is assumed: a python helper
# (db_lock.py) watches the third recording with inotify and, once a worker has opened it (so the
# workers run), takes the database's write lock (BEGIN IMMEDIATE) and counts the sessions stored.
# The batch runs with BACKSTEP_DB_BUSY_MS=600000: while the helper holds the lock no worker stores
# a file, so none takes another, and at most JOBS files are being analysed. The signal is sent
# then, if a file is still to be started (else the attempt starts again on a new database: the
# condition is checked, not assumed), and only after it is the lock released. (Before, the batch
# was frozen with SIGSTOP once the shell saw a first '] stored' line; the whole set takes about
# 0.4 s, and on a loaded machine every attempt could come after the batch had stored too many.)
sessions_in() { # read only: WAL readers do not wait for a writer
  python3 -c 'import sqlite3, sys; print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=30).execute("SELECT count(*) FROM sessions").fetchone()[0])' "$1"
}
# The batch blocks the two signals in all its threads while the workers run and each worker asks
# whether one is pending before it takes a file (cmd_batch.c), so a signal sent while the helper
# holds the lock is seen by the first worker to finish after the lock is released, whichever thread
# runs first: with N workers at most N more files are stored (the ones being analysed), exactly,
# with no timing race.
# stop_test SIGNAL JOBS: sets rc, at_stop, after, DBI, attempt, hit.
stop_test() {
  attempt=0 hit=0
  while [ $hit -eq 0 ] && [ $attempt -lt 5 ]; do
    attempt=$((attempt + 1))
    DBI="$TMP/int-$1-$attempt.db"
    rm -f "$TMP/int.out" "$TMP/int.err" "$TMP/int.status" # the previous attempt's are not this one's
    python3 "$LOCK_PY" "$third" "$DBI" "$TMP/int.status" &
    lockpid=$!
    wait_for "$TMP/int.status" 'watching|error'
    BACKSTEP_DB_BUSY_MS=600000 "$BIN" batch --db "$DBI" --jobs "$2" --no-progress "$TMP/big" \
      >"$TMP/int.out" 2>"$TMP/int.err" &
    pid=$!
    wait_for "$TMP/int.status" 'locked|late|error'
    at_stop=$(sed -n 's/^locked //p' "$TMP/int.status")
    if [ -n "$at_stop" ] && [ "$at_stop" -le $((nbig - $2 - 1)) ]; then hit=1; kill -"$1" "$pid"; fi
    kill "$lockpid" # the lock is released (the helper ends)
    wait "$lockpid" 2>/dev/null
    wait "$pid"
    rc=$?
  done
  after=$(sessions_in "$DBI")
}
# stop_checks SIGNAL JOBS: stop_test, then what the stop must give: exit 130 and the messages, the
# files being analysed (at most JOBS) finished and no other started, every file reported stored
# stored, the files not started counted, and a rerun that completes the set.
stop_checks() {
  local sig=SIG$1
  stop_test "$1" "$2"
  equals "$sig reached a running batch (attempt $attempt)" "$hit" 1
  equals "$sig exit status" "$rc" 130
  contains "$sig says how to continue" "$TMP/int.out" "run the same command again"
  contains "$sig: no new file, said when it comes" "$TMP/int.err" "backstep batch: $sig: no new file is started"
  if [ "$after" -ge "$at_stop" ] && [ "$after" -le $((at_stop + $2)) ]; then
    ok "$sig: $2 worker(s), at most the running files finished, no new one started ($at_stop stored when it came, $after after)"
  else
    bad "$sig: $at_stop stored when it came, $after after ($2 worker(s): at most $2 more)"
  fi
  equals "$sig: every file reported stored is stored" \
    "$(grep -c '^\[[0-9]*/[0-9]*\] stored' "$TMP/int.out")" "$after"
  equals "$sig: the files not started are counted" \
    "$(grep -c "interrupted with $((nbig - after)) not started" "$TMP/int.out")" 1
  "$BIN" batch --db "$DBI" --no-progress "$TMP/big" >/dev/null 2>&1
  equals "after $sig the rerun completes" "$(stored "$DBI")" $nbig
}
stop_checks INT 1  # one worker: the file it was on is finished, no other is started
stop_checks TERM 2 # two workers: the two files being analysed are finished, no third is started

# A second stop signal stops at once. The first file of the batch is held up by a database that
# another process is writing (a python helper holds BEGIN IMMEDIATE, with a 600 s busy timeout
# for the batch), after sessions were stored before; the first signal says it finishes the one
# file being analysed, the second ends the batch with 130 in seconds, without that file: its
# transaction is never committed. No timing is assumed: the helper watches the recording with
# inotify and takes the lock once the batch's worker has opened it (so the worker took that file
# and its own database connection is open), then checks that it is not stored yet (a worker that
# stored it first makes the attempt start again on a new database).
mkdir -p "$TMP/force/pre" "$TMP/force/new"
for i in 1 2; do
  "$BIN" simulate --placement foot-right --direction backward --duration 20 --seed $((40 + i)) \
    --out "$TMP/force/pre/p$i.csv" >/dev/null
done
for i in 1 2 3; do # long enough that the helper is at the lock well before the worker is
  "$BIN" simulate --placement foot-right --direction backward --duration 300 --seed $((50 + i)) \
    --out "$TMP/force/new/n$i.csv" >/dev/null
done
force_db() { # DB QUERY: one value, read only
  python3 -c 'import sqlite3, sys; print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=30).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}
# force_test FIRST SECOND: sets frc (exit status), fexited (1 when it ended within 20 s of the
# second signal), flocked, fattempt, DBF.
force_test() {
  fattempt=0 flocked=0 frc=- fexited=0
  while [ $flocked -eq 0 ] && [ $fattempt -lt 5 ]; do
    fattempt=$((fattempt + 1))
    DBF="$TMP/force-$1-$2-$fattempt.db"
    "$BIN" batch --db "$DBF" --no-progress "$TMP/force/pre" >/dev/null 2>&1 || bad "force: the earlier sessions stored"
    rm -f "$TMP/force.status" "$TMP/force.out" "$TMP/force.err"
    python3 "$LOCK_PY" "$TMP/force/new/n1.csv" "$DBF" "$TMP/force.status" &
    lockpid=$!
    wait_for "$TMP/force.status" 'watching|error'
    BACKSTEP_DB_BUSY_MS=600000 "$BIN" batch --db "$DBF" --jobs 1 --no-progress "$TMP/force/new" \
      >"$TMP/force.out" 2>"$TMP/force.err" &
    pid=$!
    wait_for "$TMP/force.status" 'locked|late|error'
    if grep -q locked "$TMP/force.status"; then
      flocked=1
      kill -"$1" "$pid"
      wait_for "$TMP/force.err" 'finishing the 1 being analysed'
      kill -"$2" "$pid"
      n=0 # ended: a zombie (state Z) or already reaped by the shell (no /proc entry)
      while [ $n -lt 400 ] && [ -e "/proc/$pid" ] &&
        [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
        sleep 0.05
        n=$((n + 1))
      done
      if [ $n -lt 400 ]; then fexited=1; else kill -KILL "$pid"; fi
    fi
    wait "$pid"
    frc=$?
    kill "$lockpid"
    wait "$lockpid" 2>/dev/null
  done
}
for first in INT TERM; do # any second stop signal: SIGINT after SIGINT and after SIGTERM
  force_test "$first" INT
  what="SIG$first then SIGINT"
  equals "$what: the file was held up by the database (attempt $fattempt)" "$flocked" 1
  equals "$what: the batch ends within 20 s (the database wait is 600 s)" "$fexited" 1
  equals "$what: exit status" "$frc" 130
  contains "$what: the first signal finishes the file" "$TMP/force.err" \
    "backstep batch: SIG$first: no new file is started; finishing the 1 being analysed"
  contains "$what: the second stops now" "$TMP/force.err" \
    "backstep batch: second SIGINT: stopping now without storing the 1 being analysed"
  contains "$what: the summary" "$TMP/force.out" \
    "3 recordings: 0 stored, 0 already stored, 0 failed; interrupted with 2 not started and 1 being analysed not stored: run the same command again to continue"
  equals "$what: the database is intact" "$(force_db "$DBF" 'PRAGMA integrity_check')" ok
  equals "$what: the sessions stored before are there" "$(stored "$DBF")" 2
  equals "$what: the file being analysed is not stored" \
    "$(force_db "$DBF" "SELECT count(*) FROM sessions WHERE source_path LIKE '%/force/new/%'")" 0
  "$BIN" batch --db "$DBF" --jobs 1 --no-progress "$TMP/force/new" >"$TMP/force2.out" 2>&1
  equals "$what: the rerun succeeds" "$?" 0
  contains "$what: the rerun stores the file" "$TMP/force2.out" "stored $TMP/force/new/n1.csv: session"
  equals "$what: the rerun stores all three" "$(stored "$DBF")" 5
done

# Usage
"$BIN" batch >/dev/null 2>&1
equals "no folder is a usage error" "$?" 2
"$BIN" batch --db "$TMP/x.db" "$TMP/nonexistent" >/dev/null 2>&1
equals "a missing folder fails" "$?" 3
"$BIN" batch --help >"$TMP/help"
for opt in --jobs --placement --toe-axis --user --db --progress --no-progress; do
  contains "batch help documents $opt" "$TMP/help" "$opt"
done
contains "batch help documents the second stop signal" "$TMP/help" "second Ctrl-C or SIGTERM stops at once"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
