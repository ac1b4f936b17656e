/*
 * SQLite driver of the database layer. The file is opened in WAL mode (readers never block the
 * writer, and a crash never leaves a half-written transaction: https://sqlite.org/wal.html), with
 * synchronous=FULL (a committed transaction survives a power loss, not only a process crash),
 * foreign keys on, and a busy timeout after which a writer gets BSTEP_EBUSY. Write transactions
 * start with BEGIN IMMEDIATE so the lock is taken (and waited for) before anything is read, which
 * avoids the deadlock of two readers upgrading to writers
 * (https://sqlite.org/lang_transaction.html).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/db.h"

typedef struct {
    bstep__db base;
    sqlite3 *h;
    int busy_ms;
    int have_id; /* the file's identity at open, to notice it was deleted or replaced */
    dev_t dev;
    ino_t ino;
} sq_db;

typedef struct {
    bstep__stmt base;
    sqlite3_stmt *st;
} sq_stmt;

static bstep__dberr classify(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return BSTEP__DBERR_NONE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return BSTEP__DBERR_BUSY;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return BSTEP__DBERR_UNIQUE;
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return BSTEP__DBERR_FOREIGN;
        return BSTEP__DBERR_CHECK;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
        return BSTEP__DBERR_CONN;
    default:
        return BSTEP__DBERR_OTHER;
    }
}

/* SQLite's message, said plainly for the faults a user can meet (docs/bad-input.md): which file
 * operation failed and, when SQLite kept it, the operating system's reason. */
static void describe(sqlite3 *h, int rc, char *out, size_t cap)
{
    const int sys = sqlite3_system_errno(h);
    const char *msg = sqlite3_errmsg(h), *what = NULL;
    switch (rc) {
    case SQLITE_READONLY_DBMOVED:
        msg = "the database file was moved or deleted while in use: nothing more can be "
              "stored in it";
        break;
    case SQLITE_READONLY:
    case SQLITE_READONLY_RECOVERY:
    case SQLITE_READONLY_CANTINIT:
    case SQLITE_READONLY_CANTLOCK:
    case SQLITE_READONLY_DIRECTORY:
        msg = "the database is read-only (no permission to write the file, its -wal and -shm "
              "files or its folder)";
        break;
    case SQLITE_FULL:
    case SQLITE_IOERR_WRITE:
    case SQLITE_IOERR_TRUNCATE:
    case SQLITE_IOERR_SHMSIZE:
        what = "writing failed: the disk is full or a file-size limit was reached";
        break;
    case SQLITE_IOERR_FSYNC:
    case SQLITE_IOERR_DIR_FSYNC:
        what = "the data could not be synced to the disk";
        break;
    case SQLITE_IOERR_READ:
    case SQLITE_IOERR_SHORT_READ:
        what = "reading the file failed";
        break;
    default:
        break;
    }
    if (what != NULL && sys != 0)
        snprintf(out, cap, "%s: %s (%s)", msg, what, strerror(sys));
    else if (what != NULL)
        snprintf(out, cap, "%s: %s", msg, what);
    else if (sys != 0 && ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN))
        snprintf(out, cap, "%s (%s)", msg, strerror(sys));
    else
        snprintf(out, cap, "%s", msg);
}

static int fail(sq_db *d, int rc)
{
    bstep__dberr k = classify(rc);
    char why[300];
    if (k == BSTEP__DBERR_BUSY)
        return bstep__db_fail(&d->base, k,
                              "database busy, retry: %s is being written by another process "
                              "(waited %d ms)",
                              d->base.location, d->busy_ms);
    describe(d->h, rc, why, sizeof(why));
    return bstep__db_fail(&d->base, k, "%s: %s", d->base.location, why);
}

static void sq_close(bstep__db *db)
{
    sq_db *d = (sq_db *)db;
    sqlite3_close_v2(d->h);
    free(d);
}

static int sq_exec(bstep__db *db, const char *sql)
{
    sq_db *d = (sq_db *)db;
    char buf[65536];
    int rc;
    if (bstep__db_dialect(BSTEP_STORE_SQLITE, sql, buf, sizeof(buf)) != 0)
        return bstep__db_fail(db, BSTEP__DBERR_OTHER, "SQL text too long");
    rc = sqlite3_exec(d->h, buf, NULL, NULL, NULL);
    return rc == SQLITE_OK ? BSTEP_OK : fail(d, rc);
}

/* Is the file at the path still the one this connection has open? A database deleted or
 * replaced while in use would otherwise take every later write into a file nobody can open
 * again, each reported as stored (SQLite notices this only in rollback-journal mode). */
static int unmoved(const sq_db *d)
{
    struct stat sb;
    if (!d->have_id)
        return 1;
    return stat(d->base.location, &sb) == 0 && sb.st_dev == d->dev && sb.st_ino == d->ino;
}

static int moved_error(sq_db *d)
{
    return bstep__db_fail(&d->base, BSTEP__DBERR_CONN,
                          "%s: the database file was moved or deleted while in use: nothing more "
                          "can be stored in it",
                          d->base.location);
}

/* Checked once a write transaction holds the lock, and before every write outside one. */
static int sq_begin(bstep__db *db)
{
    sq_db *d = (sq_db *)db;
    int rc = sq_exec(db, "BEGIN IMMEDIATE");
    if (rc == BSTEP_OK && !unmoved(d)) {
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
        return moved_error(d);
    }
    return rc;
}

static void st_finalize(bstep__stmt *s)
{
    sq_stmt *q = (sq_stmt *)s;
    sqlite3_finalize(q->st);
    free(q);
}

static int st_reset(bstep__stmt *s)
{
    sq_stmt *q = (sq_stmt *)s;
    sqlite3_reset(q->st);
    sqlite3_clear_bindings(q->st);
    s->bind_error = 0;
    return BSTEP_OK;
}

static void st_bind_int(bstep__stmt *s, int i, int64_t v)
{
    if (sqlite3_bind_int64(((sq_stmt *)s)->st, i, (sqlite3_int64)v) != SQLITE_OK)
        s->bind_error = i;
}

static void st_bind_double(bstep__stmt *s, int i, double v)
{
    if (sqlite3_bind_double(((sq_stmt *)s)->st, i, v) != SQLITE_OK)
        s->bind_error = i;
}

static void st_bind_text(bstep__stmt *s, int i, const char *v)
{
    if (sqlite3_bind_text(((sq_stmt *)s)->st, i, v, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        s->bind_error = i;
}

static void st_bind_blob(bstep__stmt *s, int i, const void *p, size_t n)
{
    if (sqlite3_bind_blob(((sq_stmt *)s)->st, i, p, (int)n, SQLITE_TRANSIENT) != SQLITE_OK)
        s->bind_error = i;
}

static void st_bind_null(bstep__stmt *s, int i)
{
    if (sqlite3_bind_null(((sq_stmt *)s)->st, i) != SQLITE_OK)
        s->bind_error = i;
}

static int st_step(bstep__stmt *s)
{
    sq_stmt *q = (sq_stmt *)s;
    int rc;
    if (s->bind_error)
        return bstep__db_fail(s->db, BSTEP__DBERR_OTHER, "internal error: parameter %d not bound",
                              s->bind_error);
    if (!s->db->in_txn && !sqlite3_stmt_readonly(q->st) && !sqlite3_stmt_busy(q->st) &&
        !unmoved((sq_db *)s->db))
        return moved_error((sq_db *)s->db);
    rc = sqlite3_step(q->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    rc = sqlite3_extended_errcode(sqlite3_db_handle(q->st));
    return fail((sq_db *)s->db, rc);
}

static int st_is_null(bstep__stmt *s, int c)
{
    return sqlite3_column_type(((sq_stmt *)s)->st, c) == SQLITE_NULL;
}

static int64_t st_int(bstep__stmt *s, int c)
{
    return (int64_t)sqlite3_column_int64(((sq_stmt *)s)->st, c);
}

static double st_double(bstep__stmt *s, int c)
{
    return sqlite3_column_double(((sq_stmt *)s)->st, c);
}

static const char *st_text(bstep__stmt *s, int c)
{
    return (const char *)sqlite3_column_text(((sq_stmt *)s)->st, c);
}

static size_t st_blob(bstep__stmt *s, int c, void *buf, size_t cap)
{
    sq_stmt *q = (sq_stmt *)s;
    const void *p = sqlite3_column_blob(q->st, c);
    size_t n = (size_t)sqlite3_column_bytes(q->st, c);
    if (p == NULL)
        return 0;
    if (n > cap)
        n = cap;
    memcpy(buf, p, n);
    return n;
}

static const bstep__stmt_ops stmt_ops = {
    st_finalize, st_reset,   st_bind_int, st_bind_double, st_bind_text, st_bind_blob, st_bind_null,
    st_step,     st_is_null, st_int,      st_double,      st_text,      st_blob};

static int sq_prepare(bstep__db *db, const char *sql, bstep__stmt **out)
{
    sq_db *d = (sq_db *)db;
    sq_stmt *q = calloc(1, sizeof(*q));
    int rc;
    *out = NULL;
    if (q == NULL)
        return bstep__db_fail(db, BSTEP__DBERR_OTHER, "out of memory");
    rc = sqlite3_prepare_v2(d->h, sql, -1, &q->st, NULL);
    if (rc != SQLITE_OK) {
        free(q);
        return fail(d, rc);
    }
    q->base.ops = &stmt_ops;
    q->base.db = db;
    *out = &q->base;
    return BSTEP_OK;
}

static const bstep__db_ops ops = {BSTEP_STORE_SQLITE, sq_close, sq_exec, sq_prepare, sq_begin};

/* A pragma that returns one text value. */
static int pragma_text(sq_db *d, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, sql, -1, &st, NULL);
    out[0] = '\0';
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(out, cap, "%s", t ? (const char *)t : "");
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK)
        rc = sqlite3_extended_errcode(d->h);
    sqlite3_finalize(st);
    return rc;
}

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The pragmas of a new connection. Switching a database that other processes are creating at
 * the same moment to WAL needs the exclusive lock while they hold a shared one; SQLite then
 * answers SQLITE_BUSY at once instead of calling the busy handler, because waiting could deadlock
 * (https://sqlite.org/c3ref/busy_handler.html). Each attempt releases its locks when it ends, so
 * the pragmas are tried again every 2 ms until the busy timeout has passed; *waited_ms is how long
 * that took. */
static int open_pragmas(sq_db *d, char *mode, size_t cap, int *waited_ms)
{
    const int64_t t0 = mono_ms();
    const struct timespec pause = {0, 2000000L};
    int rc;
    for (;;) {
        rc = pragma_text(d, "PRAGMA journal_mode=WAL", mode, cap);
        if (rc == SQLITE_OK && strcmp(mode, "wal") != 0)
            break; /* reported by the caller */
        if (rc == SQLITE_OK)
            rc = pragma_text(d, "PRAGMA synchronous=FULL", mode, cap);
        if (rc == SQLITE_OK)
            rc = pragma_text(d, "PRAGMA foreign_keys=ON", mode, cap);
        if (rc == SQLITE_OK) {
            snprintf(mode, cap, "wal");
            break;
        }
        *waited_ms = (int)(mono_ms() - t0);
        if (classify(rc) != BSTEP__DBERR_BUSY || *waited_ms >= d->busy_ms)
            break;
        nanosleep(&pause, NULL);
    }
    *waited_ms = (int)(mono_ms() - t0);
    return rc;
}

int bstep__db_open_sqlite(bstep__db **out, const char *path, int busy_ms, char *err, size_t err_len)
{
    int waited_ms = 0;
    sq_db *d = calloc(1, sizeof(*d));
    char mode[32];
    int rc;
    *out = NULL;
    if (d == NULL) {
        snprintf(err, err_len, "out of memory");
        return BSTEP_ENOMEM;
    }
    d->base.ops = &ops;
    d->busy_ms = busy_ms;
    snprintf(d->base.location, sizeof(d->base.location), "%s", path);
    rc = sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        char why[300];
        if (d->h != NULL)
            describe(d->h, sqlite3_extended_errcode(d->h), why, sizeof(why));
        else
            snprintf(why, sizeof(why), "%s", sqlite3_errstr(rc));
        snprintf(err, err_len, "%s: cannot open the database: %s", path, why);
        sqlite3_close_v2(d->h);
        free(d);
        return BSTEP_EIO;
    }
    sqlite3_extended_result_codes(d->h, 1);
    sqlite3_busy_timeout(d->h, busy_ms);
    /* journal_mode answers with the mode in force; anything but "wal" (e.g. a file on a file
     * system without shared memory) is reported rather than silently accepted. */
    rc = open_pragmas(d, mode, sizeof(mode), &waited_ms);
    if (rc == SQLITE_OK && strcmp(mode, "wal") != 0) {
        snprintf(err, err_len, "%s: cannot use write-ahead logging (journal mode is '%s')", path,
                 mode);
        sq_close(&d->base);
        return BSTEP_EIO;
    }
    if (rc != SQLITE_OK) {
        const int busy = classify(rc) == BSTEP__DBERR_BUSY;
        if (busy)
            snprintf(err, err_len,
                     "database busy, retry: %s is being written by another process (waited "
                     "%d ms)",
                     path, waited_ms);
        else if ((rc & 0xff) == SQLITE_NOTADB)
            snprintf(err, err_len, "%s: not a database file", path);
        else {
            char why[300];
            describe(d->h, rc, why, sizeof(why));
            snprintf(err, err_len, "%s: %s", path, why);
        }
        sq_close(&d->base);
        return busy ? BSTEP_EBUSY : BSTEP_EDB;
    }
    {
        struct stat sb;
        if (stat(path, &sb) == 0) {
            d->have_id = 1;
            d->dev = sb.st_dev;
            d->ino = sb.st_ino;
        }
    }
    *out = &d->base;
    return BSTEP_OK;
}
