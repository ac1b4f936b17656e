#!/usr/bin/env python3
"""Holds a backstep batch at a known point, without timing (tests/cli/test_batch.sh and
tests/faults/test_faults.sh).

    db_lock.py RECORDING DB STATUS [USER]

Watches RECORDING with inotify and, once a process has opened it (a worker of the batch took that
file: the batch opens it for nothing else), takes the SQLite database DB's write lock (BEGIN
IMMEDIATE) and appends to STATUS 'locked N' (N sessions stored, of USER if given), or 'late' when
RECORDING is stored already (the worker came first: the caller starts again on a new database).
STATUS reads 'watching' once the watch is set, 'error' if it cannot be. A batch run with
BACKSTEP_DB_BUSY_MS=600000 then stores nothing until this helper is killed (`kill`, SIGTERM):
it dies holding the lock, without closing the database, so nothing is done to the database's
files by name (a test may have deleted or replaced them meanwhile)."""
import ctypes
import os
import sqlite3
import sys
import time

IN_OPEN = 0x20


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    rec, db, status = sys.argv[1:4]
    user = sys.argv[4] if len(sys.argv) == 5 else None
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(0)
    if fd < 0 or libc.inotify_add_watch(fd, rec.encode(), IN_OPEN) < 0:
        with open(status, "w") as f:
            f.write("error\n")
        sys.exit(1)
    with open(status, "w") as f:
        f.write("watching\n")
    os.read(fd, 4096)  # blocks until the recording is opened
    c = sqlite3.connect(db, timeout=600, isolation_level=None)
    c.execute("BEGIN IMMEDIATE")
    q = "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE 1 = 1"
    args = ()
    if user is not None:
        q += " AND u.name = ?"
        args = (user,)
    n = c.execute(q + " AND s.source_path = ?", args + (os.path.realpath(rec),)).fetchone()[0]
    total = c.execute(q, args).fetchone()[0]
    with open(status, "a") as f:
        f.write("late\n" if n else "locked %d\n" % total)
    while True:  # until killed, holding the lock
        time.sleep(3600)


main()
