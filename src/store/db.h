/*
 * The thin database layer under the store (internal to src/store): one statement API over SQLite
 * (db_sqlite.c) and libpq (db_pg.c). SQL is written once with '?' placeholders; the PostgreSQL
 * driver numbers them $1, $2, ... DDL may use the tokens {ID} (an auto-numbered BIGINT primary
 * key) and {BLOB} (bytes), replaced per backend. Nothing here builds SQL from data.
 */
#ifndef BSTEP_STORE_DB_H
#define BSTEP_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct bstep__db bstep__db;
typedef struct bstep__stmt bstep__stmt;

/** Kinds of database error the store reacts to. */
typedef enum {
    BSTEP__DBERR_NONE = 0,
    BSTEP__DBERR_OTHER,
    BSTEP__DBERR_UNIQUE,  /**< unique or primary-key violation */
    BSTEP__DBERR_FOREIGN, /**< foreign-key violation */
    BSTEP__DBERR_CHECK,   /**< CHECK or NOT NULL violation */
    BSTEP__DBERR_BUSY,    /**< lock not obtained in time, serialization failure, deadlock */
    BSTEP__DBERR_CONN     /**< connection lost / server unreachable */
} bstep__dberr;

typedef struct {
    bstep_store_backend backend;
    void (*close)(bstep__db *db);
    int (*exec)(bstep__db *db, const char *sql);
    int (*prepare)(bstep__db *db, const char *sql, bstep__stmt **out);
    int (*begin)(bstep__db *db);
} bstep__db_ops;

/* Common part of every connection (each driver embeds it first). */
struct bstep__db {
    const bstep__db_ops *ops;
    char errmsg[1024];
    bstep__dberr last_error;
    char location[1024];
    int in_txn;
    int txn_depth;  /* transactions begun and not yet ended: > 1 when nested (one open) */
    int txn_failed; /* a nested transaction was rolled back: the open one can only roll back */
};

/* Statement: drivers embed this first. Parameters are 1-based, columns 0-based. */
typedef struct {
    void (*finalize)(bstep__stmt *s);
    int (*reset)(bstep__stmt *s); /* clear bindings and results for reuse */
    void (*bind_int)(bstep__stmt *s, int i, int64_t v);
    void (*bind_double)(bstep__stmt *s, int i, double v);
    void (*bind_text)(bstep__stmt *s, int i, const char *v);
    void (*bind_blob)(bstep__stmt *s, int i, const void *p, size_t n);
    void (*bind_null)(bstep__stmt *s, int i);
    int (*step)(bstep__stmt *s);
    int (*is_null)(bstep__stmt *s, int c);
    int64_t (*col_int)(bstep__stmt *s, int c);
    double (*col_double)(bstep__stmt *s, int c);
    const char *(*col_text)(bstep__stmt *s, int c);
    size_t (*col_blob)(bstep__stmt *s, int c, void *buf, size_t cap);
} bstep__stmt_ops;

struct bstep__stmt {
    const bstep__stmt_ops *ops;
    bstep__db *db;
    int bind_error; /* a parameter index out of range or a value not bound: step fails */
};

/** Open a driver connection. url is already classified: a file path or a libpq URI. */
int bstep__db_open_sqlite(bstep__db **out, const char *path, int busy_ms, char *err,
                          size_t err_len);
int bstep__db_open_pg(bstep__db **out, const char *uri, char *err, size_t err_len);

void bstep__db_close(bstep__db *db);
/** Run SQL text without parameters (DDL; several statements allowed). {ID}/{BLOB} replaced. */
int bstep__db_exec(bstep__db *db, const char *sql);
int bstep__db_prepare(bstep__db *db, const char *sql, bstep__stmt **out);
/** A write transaction (SQLite: BEGIN IMMEDIATE, so the wait for the lock is at the start). */
int bstep__db_begin(bstep__db *db);
int bstep__db_commit(bstep__db *db);
/** Roll back if a transaction is open; keeps the current error message. */
void bstep__db_rollback(bstep__db *db);

/* Statement helpers (NAN and infinities bind as NULL; NULL text binds as NULL). */
void bstep__stmt_finalize(bstep__stmt *s);
int bstep__stmt_reset(bstep__stmt *s);
void bstep__bind_int(bstep__stmt *s, int i, int64_t v);
void bstep__bind_double(bstep__stmt *s, int i, double v);
void bstep__bind_text(bstep__stmt *s, int i, const char *v);
void bstep__bind_blob(bstep__stmt *s, int i, const void *p, size_t n);
void bstep__bind_null(bstep__stmt *s, int i);
/** Bind 0 as NULL (unknown ids), else the id. */
void bstep__bind_id(bstep__stmt *s, int i, int64_t id);
/** Bind -1 as NULL (unknown counts). */
void bstep__bind_count(bstep__stmt *s, int i, int64_t v);
/** 1: a row is available; 0: done; < 0: a bstep_status (message in the db). */
int bstep__stmt_step(bstep__stmt *s);
int bstep__col_is_null(bstep__stmt *s, int c);
int64_t bstep__col_int(bstep__stmt *s, int c);      /* NULL: 0 */
int64_t bstep__col_count(bstep__stmt *s, int c);    /* NULL: -1 */
double bstep__col_double(bstep__stmt *s, int c);    /* NULL: NAN */
const char *bstep__col_text(bstep__stmt *s, int c); /* NULL: "" ; valid until the next step */
size_t bstep__col_blob(bstep__stmt *s, int c, void *buf, size_t cap);

/** Set the error message (printf style) and kind; returns the mapped bstep_status. */
int bstep__db_fail(bstep__db *db, bstep__dberr kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** The bstep_status of an error kind (BUSY -> BSTEP_EBUSY, CONN -> BSTEP_EIO, ...). */
int bstep__dberr_status(bstep__dberr kind);
/** Copy sql into out replacing {ID} and {BLOB} for the backend; returns 0 or -1 if too long. */
int bstep__db_dialect(bstep_store_backend b, const char *sql, char *out, size_t cap);

#endif
