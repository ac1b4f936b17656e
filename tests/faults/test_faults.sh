#!/usr/bin/env bash
# Fault tests (issue 9): a full disk or a file-size limit while writing, output that cannot be
# written, a read-only database, a database deleted or dropped mid-run, a PostgreSQL server that
# restarts or goes away mid-batch, SIGKILL mid-write. In every case: no crash, a clear message,
# nothing reported as stored is lost, the database stays intact and a rerun completes the work.
# The cases and what the user sees are listed in docs/bad-input.md ("Faults").
# Usage: test_faults.sh BACKSTEP JSON_CHECK TMPDIR SOURCE_DIR
# Under valgrind (BSTEP_TEST_UNDER_VALGRIND=1) the recordings are shorter; the cases are the same.
set -u
BIN=$1
JQ=$2
TMP=$3
SRC=$4
rm -rf "$TMP" && mkdir -p "$TMP"
export TZ=UTC BACKSTEP_USER=faults
unset BACKSTEP_DB
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
equals() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
contains() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; head -5 "$2"; fi; }
stored() { "$BIN" history --db "$1" --all-users --format json | "$JQ" - len sessions; }
# The SQLite file passes the integrity and foreign-key checks (Python's sqlite3, not backstep).
intact() {
  python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ok = c.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
ok = ok and not c.execute("PRAGMA foreign_key_check").fetchall()
sys.exit(0 if ok else 1)
PY
}
# Every file a batch output reports stored is in the database (matched by its path).
reported_are_stored() { # batch output, database
  local missing=0 path
  "$BIN" history --db "$2" --all-users --format json >"$TMP/rs.json"
  while read -r path; do
    grep -qF "\"$path\"" "$TMP/rs.json" || missing=$((missing + 1))
  done < <(sed -n 's/^\[[0-9]*\/[0-9]*\] stored \(.*\): session .*/\1/p' "$1")
  echo "$missing"
}
A=(--placement foot-right --toe-axis +x)
if [ "${BSTEP_TEST_UNDER_VALGRIND:-0}" = 1 ]; then long=150; else long=300; fi
sim() { # out, seconds, seed
  "$BIN" simulate --placement foot-right --direction backward --duration "$2" --seed "$3" \
    --out "$1" >/dev/null || bad "simulate $1"
}
sim "$TMP/short1.csv" 20 1
sim "$TMP/short2.csv" 20 2
sim "$TMP/long.csv" "$long" 3

# ---- a file-size limit (RLIMIT_FSIZE, ulimit -f: writes fail with EFBIG) --------------------------
# The session of the long recording needs more than 48 KiB of write-ahead log; the database file
# (read, not grown) and its 32 KiB shared-memory index stay within the limit.
DB=$TMP/limit.db
"$BIN" analyze "${A[@]}" --db "$DB" "$TMP/short1.csv" >/dev/null 2>&1
"$BIN" analyze "${A[@]}" --db "$DB" "$TMP/short2.csv" >/dev/null 2>&1
equals "two sessions stored before the limit" "$(stored "$DB")" 2
(ulimit -f 48; exec "$BIN" analyze "${A[@]}" --db "$DB" "$TMP/long.csv") >"$TMP/out" 2>"$TMP/err"
equals "file-size limit while storing: exit 4, not killed by SIGXFSZ" "$?" 4
contains "file-size limit: says not stored" "$TMP/err" "long.csv: not stored:"
contains "file-size limit: says why" "$TMP/err" "the disk is full or a file-size limit was reached"
contains "file-size limit: the analysis is still shown" "$TMP/out" "Steps"
if intact "$DB"; then ok "file-size limit: the database is intact"; else bad "file-size limit: the database is intact"; fi
equals "file-size limit: the sessions stored before are all there" "$(stored "$DB")" 2
"$BIN" analyze "${A[@]}" --db "$DB" "$TMP/long.csv" >"$TMP/out" 2>&1
equals "without the limit the same file is stored" "$?" 0
equals "three sessions" "$(stored "$DB")" 3

# A new database cannot even be created under a 16 KiB limit (the shared-memory index needs 32).
(ulimit -f 16; exec "$BIN" analyze "${A[@]}" --db "$TMP/new.db" "$TMP/short1.csv") >"$TMP/out" 2>"$TMP/err"
equals "file-size limit while creating a database: exit 4" "$?" 4
contains "creating under the limit: says why" "$TMP/err" "the disk is full or a file-size limit was reached"
"$BIN" analyze "${A[@]}" --db "$TMP/new.db" "$TMP/short1.csv" >/dev/null 2>&1
equals "the half-created database is completed on the next run" "$?" 0
if intact "$TMP/new.db"; then ok "and is intact"; else bad "the half-created database is intact"; fi

# batch under the limit: the short file is stored, the long one is not, the batch stops and says
# how to continue; the rerun stores the rest.
mkdir -p "$TMP/set"
cp "$TMP/short1.csv" "$TMP/set/a-short.csv"
cp "$TMP/long.csv" "$TMP/set/b-long.csv"
cp "$TMP/short2.csv" "$TMP/set/c-short.csv"
DB=$TMP/limit-batch.db
"$BIN" history --db "$DB" >/dev/null 2>&1 # created without the limit
(ulimit -f 48; exec "$BIN" batch --db "$DB" --jobs 1 --no-progress "$TMP/set") >"$TMP/out" 2>&1
equals "batch under a file-size limit: exit 4" "$?" 4
contains "batch: the small file was stored" "$TMP/out" "stored $TMP/set/a-short.csv"
contains "batch: the large one was not, with the reason" "$TMP/out" "DB ERR $TMP/set/b-long.csv: not stored:"
contains "batch: stops and says how to continue" "$TMP/out" "stopped with 1 not started because the database cannot be used: run the same command again to continue"
equals "batch: every file reported stored is stored" "$(reported_are_stored "$TMP/out" "$DB")" 0
"$BIN" batch --db "$DB" --jobs 1 --no-progress "$TMP/set" >"$TMP/out" 2>&1
equals "batch rerun without the limit: exit 0" "$?" 0
equals "batch rerun: all three stored once" "$(stored "$DB")" 3

# ---- a really full file system (a 1 MiB tmpfs, in a private mount namespace) ------------------------
if unshare -m sh -c "mount -t tmpfs -o size=1m tmpfs '$TMP/set'" 2>/dev/null; then
  mkdir -p "$TMP/full"
  unshare -m bash -c '
    BIN=$1; M=$2; T=$3; shift 3
    mount -t tmpfs -o size=1m tmpfs "$M" || exit 1
    "$BIN" analyze "$@" --db "$M/h.db" "$T/short1.csv" >/dev/null 2>&1; echo $? >"$T/enospc.rc1"
    dd if=/dev/zero of="$M/filler" bs=4k >/dev/null 2>&1
    "$BIN" analyze "$@" --db "$M/h.db" "$T/long.csv" >"$T/enospc.out" 2>"$T/enospc.err"
    echo $? >"$T/enospc.rc2"
    "$BIN" history --db "$M/h.db" --format json >"$T/enospc.h1" 2>"$T/enospc.h1err"
    echo $? >"$T/enospc.rch"
    rm -f "$M/filler"
    "$BIN" analyze "$@" --db "$M/h.db" "$T/long.csv" >/dev/null 2>&1; echo $? >"$T/enospc.rc3"
    "$BIN" history --db "$M/h.db" --format json >"$T/enospc.h2" 2>&1
    cp "$M/h.db" "$T/enospc.db"
  ' _ "$BIN" "$TMP/full" "$TMP" "${A[@]}"
  equals "full disk: the first session stored" "$(cat "$TMP/enospc.rc1")" 0
  equals "full disk: storing fails with exit 4" "$(cat "$TMP/enospc.rc2")" 4
  contains "full disk: says not stored and why" "$TMP/enospc.err" "the disk is full or a file-size limit was reached"
  # SQLite's write-ahead log needs its 32 KiB shared-memory index even to read: on a disk that is
  # full to the last byte the history cannot be opened, and says why.
  equals "full disk: history cannot open it either: exit 4" "$(cat "$TMP/enospc.rch")" 4
  contains "full disk: history says why" "$TMP/enospc.h1err" "the disk is full or a file-size limit was reached (No space left on device)"
  equals "full disk: after space is freed the file is stored" "$(cat "$TMP/enospc.rc3")" 0
  equals "full disk: two sessions" "$("$JQ" "$TMP/enospc.h2" len sessions)" 2
  if intact "$TMP/enospc.db"; then ok "full disk: the database is intact"; else bad "full disk: the database is intact"; fi
else
  echo "skip a full tmpfs: this machine does not allow a private mount (the file-size limit above covers the same code)"
fi

# ---- output that cannot be written (the full device /dev/full, ENOSPC) -------------------------------
DB=$TMP/limit.db
"$BIN" analyze "${A[@]}" --no-store --format json "$TMP/short1.csv" >/dev/full 2>"$TMP/err"
equals "analyze > full disk: exit 3" "$?" 3
contains "analyze > full disk: says so" "$TMP/err" "standard output: write error"
"$BIN" history --db "$DB" >/dev/full 2>"$TMP/err"
equals "history > full disk: exit 3" "$?" 3
contains "history > full disk: says so" "$TMP/err" "standard output: write error"
"$BIN" report --db "$DB" --format html --out /dev/full >/dev/null 2>"$TMP/err"
equals "report --out on a full disk: exit 3" "$?" 3
contains "report --out on a full disk: says so" "$TMP/err" "backstep report: /dev/full: write error: No space left on device"
for f in fit tcx csv json; do
  "$BIN" export --db "$DB" --session 1 --format $f --out /dev/full >/dev/null 2>"$TMP/err"
  equals "export --format $f on a full disk: exit 3" "$?" 3
  contains "export --format $f on a full disk: says so" "$TMP/err" "/dev/full: write error: No space left on device"
done
(ulimit -f 100; exec "$BIN" simulate --duration "$long" --out "$TMP/big.csv") >/dev/null 2>"$TMP/err"
equals "simulate --out beyond a file-size limit: exit 3" "$?" 3
contains "simulate: says why" "$TMP/err" "big.csv: write error: File too large"

# ---- a read-only database ----------------------------------------------------------------------------
# As root, file permissions bind only without CAP_DAC_OVERRIDE: the commands run without it.
ro() { if [ "$(id -u)" -eq 0 ]; then setpriv --bounding-set -dac_override,-dac_read_search \
         --inh-caps -dac_override,-dac_read_search "$@"; else "$@"; fi; }
cp "$TMP/limit.db" "$TMP/ro.db"
chmod 0444 "$TMP/ro.db"
ro "$BIN" history --db "$TMP/ro.db" --format json >"$TMP/out" 2>"$TMP/err"
equals "read-only file: history reads it" "$?" 0
equals "read-only file: every session listed" "$("$JQ" "$TMP/out" len sessions)" 3
sim "$TMP/short3.csv" 20 4
ro "$BIN" analyze "${A[@]}" --db "$TMP/ro.db" "$TMP/short3.csv" >"$TMP/out" 2>"$TMP/err"
equals "read-only file: storing fails with exit 4" "$?" 4
contains "read-only file: says read-only" "$TMP/err" "short3.csv: not stored: $TMP/ro.db: the database is read-only"
contains "read-only file: the analysis is still shown" "$TMP/out" "Steps"
mkdir -p "$TMP/rodir"
cp "$TMP/limit.db" "$TMP/rodir/h.db"
chmod 0555 "$TMP/rodir"
ro "$BIN" history --db "$TMP/rodir/h.db" >"$TMP/out" 2>"$TMP/err"
equals "read-only folder (no -wal/-shm possible): exit 4" "$?" 4
contains "read-only folder: says read-only" "$TMP/err" "the database is read-only"
chmod 0755 "$TMP/rodir"
equals "read-only folder: nothing changed" "$(stored "$TMP/rodir/h.db")" 3

# ---- the database file deleted while a batch runs -------------------------------------------------------
# No timing is assumed. A python helper (tests/cli/db_lock.py) watches the second recording with
# inotify; once the batch's one worker has opened it (the first file is stored by then: it takes
# the next file only after storing the last) it takes the write lock (BEGIN IMMEDIATE) and checks
# that this file is not stored yet. The worker's store of that file waits for the lock
# (BACKSTEP_DB_BUSY_MS=600000); the file is deleted or replaced while the helper holds it, and only
# then is the helper killed (it dies holding the lock, touching nothing): the worker's next store
# comes after the change, with all files but the first to store. (Before, the change came after
# the first '] stored' line, and on a loaded machine the batch could store all 16 before the rm:
# exit 0.) A helper late to the lock (the worker stored that file first) makes the attempt start
# again on a fresh database.
mkdir -p "$TMP/many"
if [ "${BSTEP_TEST_UNDER_VALGRIND:-0}" = 1 ]; then nmany=6; dmany=30; else nmany=16; dmany=300; fi
for i in $(seq 1 $nmany); do sim "$TMP/many/m$(printf %02d "$i").csv" $dmany $((20 + i)); done
wait_for() { # FILE EXTENDED-REGEX: polls for up to 120 s (valgrind)
  local n=0
  until grep -qE -- "$2" "$1" 2>/dev/null || [ $n -ge 2400 ]; do sleep 0.05; n=$((n + 1)); done
}
# held_batch OUT USER CHANGE: the batch of $TMP/many into $DB held at its second file while the
# command CHANGE runs; sets brc (exit status), held (1 once the change came while it waited),
# hattempt. PREPARE (a function, if set) runs before each attempt.
held_batch() {
  hattempt=0 held=0 brc=-
  while [ $held -eq 0 ] && [ $hattempt -lt 5 ]; do
    hattempt=$((hattempt + 1))
    ${PREPARE:-true}
    rm -f "$TMP/lock.status"
    python3 "$SRC/tests/cli/db_lock.py" "$TMP/many/m02.csv" "$DB" "$TMP/lock.status" "$2" &
    lockpid=$!
    wait_for "$TMP/lock.status" 'watching|error'
    BACKSTEP_DB_BUSY_MS=600000 "$BIN" batch --db "$DB" --user "$2" --jobs 1 --no-progress \
      "$TMP/many" >"$1" 2>&1 &
    pid=$!
    wait_for "$TMP/lock.status" 'locked|late|error'
    if grep -q locked "$TMP/lock.status"; then
      held=1
      $3
    fi
    kill -TERM $lockpid
    wait $lockpid 2>/dev/null
    wait $pid
    brc=$?
  done
}
DB=$TMP/deleted-1.db
PREPARE=next_deleted_db
next_deleted_db() { DB=$TMP/deleted-$hattempt.db; }
delete_db() { rm -f "$DB" "$DB-wal" "$DB-shm"; }
held_batch "$TMP/del.out" faults delete_db
equals "deleted: the batch waited at its second file when the file was deleted (attempt $hattempt)" "$held" 1
equals "database deleted mid-batch: exit 4" "$brc" 4
contains "deleted: the next file says why" "$TMP/del.out" "DB ERR $TMP/many/m02.csv: not stored: $DB: the database file was moved or deleted while in use: nothing more can be stored in it"
contains "deleted: the batch stops and says how to continue" "$TMP/del.out" "stopped with $((nmany - 2)) not started because the database cannot be used: run the same command again to continue"
if [ -e "$DB" ]; then bad "deleted: no new file is made behind the user's back"; else ok "deleted: no new file is made behind the user's back"; fi
"$BIN" batch --db "$DB" --jobs 1 --no-progress "$TMP/many" >"$TMP/out" 2>&1
equals "deleted: the rerun (a new database) stores every file" "$(stored "$DB")" $nmany
# replaced by another file (a backup put back) while in use: the same
cp "$DB" "$TMP/pristine.db"
PREPARE=fresh_copies
fresh_copies() { rm -f "$DB-wal" "$DB-shm"; cp "$TMP/pristine.db" "$DB"; cp "$TMP/pristine.db" "$TMP/backup.db"; }
replace_db() { mv "$TMP/backup.db" "$DB"; }
held_batch "$TMP/rep.out" replaced replace_db
equals "replaced: the batch waited at its second file when the file was replaced (attempt $hattempt)" "$held" 1
equals "database replaced mid-batch: exit 4" "$brc" 4
contains "replaced: says why" "$TMP/rep.out" "DB ERR $TMP/many/m02.csv: not stored: $DB: the database file was moved or deleted while in use"
unset PREPARE

# ---- PostgreSQL: a private server that the test restarts, stops, makes read-only -------------------------
PGDIR=$TMP/pg
"$SRC/scripts/pg-test-server" start "$PGDIR" >/dev/null || { bad "PostgreSQL test server"; echo "$pass passed, $fail failed"; exit 1; }
trap '"$SRC/scripts/pg-test-server" stop "$PGDIR" >/dev/null 2>&1' EXIT
set -a; . "$PGDIR/env"; set +a
createdb faults && createdb dropped && createdb ro || bad "createdb"
URL="postgresql:///faults?host=$PGHOST"

# The cases below that change the server mid-batch hold the batch in flight without timing:
# another client holds a SHARE lock on the sessions table (it conflicts only with writes: the
# batch still reads, and skips by checksum), granted before the batch starts, so every worker's
# first INSERT waits on it, with every file still to store; the server is changed once
# pg_stat_activity shows that many INSERTs waiting. Before, the change came after the first
# '] stored' line, and on a loaded machine the batch could store every file first.
# lock_sessions DB: starts that client (lockpid) and returns once pg_locks shows the lock granted.
lock_sessions() {
  local n=0 granted=0
  psql -q -X -c "BEGIN; LOCK TABLE sessions IN SHARE MODE; SELECT pg_sleep(600)" "$1" >/dev/null 2>&1 &
  lockpid=$!
  until [ "$granted" = 1 ] || [ $n -gt 2400 ]; do # up to 120 s (valgrind)
    granted=$(psql -q -X -At -c "SELECT count(*) FROM pg_locks WHERE relation = 'sessions'::regclass AND mode = 'ShareLock' AND granted" "$1" 2>/dev/null)
    [ "$granted" = 1 ] || sleep 0.05
    n=$((n + 1))
  done
}
# inserts_waiting DB N: waits (up to 120 s, valgrind) until N INSERTs into sessions of DB wait on a
# lock; prints how many do.
inserts_waiting() {
  local n=0 waiting=0
  until [ "$waiting" = "$2" ] || [ $n -gt 2400 ]; do
    sleep 0.05
    n=$((n + 1))
    waiting=$(psql -q -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$1' AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO sessions%'" postgres 2>/dev/null)
  done
  echo "$waiting"
}

# the server restarted mid-batch (fast shutdown: every connection is cut, 2 s down): the workers
# wait for it, try the file in flight again, and the batch completes. Both workers' first INSERT
# waits on the locked table (the schema made first by `history`) when the server is restarted.
"$BIN" history --db "$URL" >/dev/null 2>&1 || bad "restarted: the schema is made"
lock_sessions faults
"$BIN" batch --db "$URL" --jobs 2 --no-progress "$TMP/many" >"$TMP/pg.out" 2>&1 &
pid=$!
equals "restarted: both workers wait on the locked table, in flight" "$(inserts_waiting faults 2)" 2
"$SRC/scripts/pg-test-server" restart "$PGDIR" 2 >/dev/null || bad "restart the server"
wait $pid
equals "server restarted mid-batch: the batch completes (exit 0)" "$?" 0
contains "restarted: the files in flight say so" "$TMP/pg.out" "after the database connection was lost: waited"
equals "restarted: every file reported stored is stored" "$(reported_are_stored "$TMP/pg.out" "$URL")" 0
equals "restarted: all stored once" "$(stored "$URL")" $nmany
"$BIN" batch --db "$URL" --no-progress "$TMP/many" >"$TMP/out" 2>&1
equals "restarted: a rerun skips them all" "$(grep -c '] skip' "$TMP/out")" $nmany
wait $lockpid 2>/dev/null # its connection was cut by the restart

# SIGKILL mid-batch on PostgreSQL: every file reported stored is stored; the rerun completes.
# The kills are timed and hit whatever moment they hit (connecting, analysing, mid-INSERT or
# COMMIT); a kill that comes after the batch finished is fine: no check here needs it to be
# still running (every reported file stored, then the rerun stores the rest once), so these are
# left timed on purpose.
URLK="postgresql:///dropped?host=$PGHOST"
for delay in 0.2 0.6; do
  "$BIN" batch --db "$URLK" --jobs 2 --no-progress "$TMP/many" >"$TMP/kill.out" 2>&1 &
  pid=$!
  sleep $delay
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  equals "SIGKILL after ${delay} s: every reported session is stored" "$(reported_are_stored "$TMP/kill.out" "$URLK")" 0
done
"$BIN" batch --db "$URLK" --no-progress "$TMP/many" >"$TMP/out" 2>&1
equals "after the kills the rerun succeeds" "$?" 0
equals "after the kills: all stored once" "$(stored "$URLK")" $nmany

# the database dropped mid-batch (DROP DATABASE ... WITH (FORCE) cuts the connections), while the
# worker's first INSERT waits on the locked table (the schema is there from the kills above)
lock_sessions dropped
BACKSTEP_DB_RETRY_S=2 "$BIN" batch --db "$URLK" --user dropped --jobs 1 --no-progress "$TMP/many" \
  >"$TMP/drop.out" 2>&1 &
pid=$!
equals "dropped: the worker waits on the locked table, in flight" "$(inserts_waiting dropped 1)" 1
psql -q -c "DROP DATABASE dropped WITH (FORCE)" postgres >/dev/null 2>&1 || bad "drop database"
wait $lockpid 2>/dev/null # its connection was cut by the drop
wait $pid
equals "database dropped mid-batch: exit 4" "$?" 4
contains "dropped: says the database is gone" "$TMP/drop.out" 'database "dropped" does not exist'
contains "dropped: stops, the files after the one in flight not started, and says how to continue" "$TMP/drop.out" \
  "stopped with $((nmany - 1)) not started because the database cannot be used: run the same command again to continue"
"$BIN" history --db "$URLK" >"$TMP/out" 2>"$TMP/err"
equals "dropped: opening it again fails with exit 4" "$?" 4
contains "dropped: and says why" "$TMP/err" "cannot connect"

# a read-only database (default_transaction_read_only): reading works, storing says why
URLR="postgresql:///ro?host=$PGHOST"
"$BIN" analyze "${A[@]}" --db "$URLR" "$TMP/short1.csv" >/dev/null 2>&1
psql -q -c "ALTER DATABASE ro SET default_transaction_read_only = on" postgres || bad "alter database"
"$BIN" history --db "$URLR" --format json >"$TMP/out" 2>"$TMP/err"
equals "read-only PostgreSQL: history works" "$?" 0
equals "read-only PostgreSQL: the session is listed" "$("$JQ" "$TMP/out" len sessions)" 1
"$BIN" analyze "${A[@]}" --db "$URLR" "$TMP/short2.csv" >"$TMP/out" 2>"$TMP/err"
equals "read-only PostgreSQL: storing fails with exit 4" "$?" 4
contains "read-only PostgreSQL: says why" "$TMP/err" "short2.csv: not stored: postgresql:///ro?host=$PGHOST: ERROR:  cannot execute INSERT in a read-only transaction"

# the server gone for good mid-batch: the workers wait BACKSTEP_DB_RETRY_S, then the batch stops.
# The server is stopped while the worker's first INSERT waits on the locked table.
lock_sessions faults
BACKSTEP_DB_RETRY_S=2 "$BIN" batch --db "$URL" --user gone --jobs 1 --no-progress "$TMP/many" \
  >"$TMP/gone.out" 2>&1 &
pid=$!
equals "gone: the worker waits on the locked table, in flight" "$(inserts_waiting faults 1)" 1
"$SRC/scripts/pg-test-server" stop "$PGDIR" >/dev/null
trap - EXIT
wait $lockpid 2>/dev/null # its connection was cut by the stop
wait $pid
equals "server gone mid-batch: exit 4" "$?" 4
contains "gone: says the connection was lost" "$TMP/gone.out" "the connection was lost and cannot be opened again"
contains "gone: stops, the files after the one in flight not started, and says how to continue" "$TMP/gone.out" \
  "stopped with $((nmany - 1)) not started because the database cannot be used: run the same command again to continue"
"$BIN" history --db "$URL" >"$TMP/out" 2>"$TMP/err"
equals "no server: history exit 4" "$?" 4
contains "no server: says it cannot connect" "$TMP/err" "cannot connect"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
