/*
 * PostgreSQL driver of the database layer, through libpq (https://www.postgresql.org/docs/15/
 * libpq.html). Parameters travel separately from the SQL text (PQexecParams): values as text,
 * bytes as binary. Results come back as text and are converted here. Notices are swallowed (the
 * library never prints). Errors are classified by SQLSTATE (Appendix A of the manual): 23505
 * unique, 23503 foreign key, 23502/23514 not null/check, 40001 serialization failure, 40P01
 * deadlock, 55P03 lock not available, class 08 connection.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

#define MAX_PARAMS 2048

typedef struct {
    bstep__db base;
    PGconn *c;
} pg_db;

typedef struct {
    bstep__stmt base;
    char *sql; /* with $n placeholders */
    int nparams;
    char **values;
    int *lengths;
    int *formats;
    PGresult *res;
    int row, nrows;
    unsigned char *blob; /* decoded bytea of the last col_blob */
} pg_stmt;

static void no_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* libpq's messages span lines ("...\n\tThis probably means..."): one line for the user, without
 * the trailing newline. */
static void one_line(char *s)
{
    char *w = s, *r;
    for (r = s; *r; r++) {
        if (*r == '\n' || *r == '\r' || *r == '\t') {
            while (r[1] == '\n' || r[1] == '\r' || r[1] == '\t' || r[1] == ' ')
                r++;
            *w++ = ' ';
        } else {
            *w++ = *r;
        }
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

static bstep__dberr classify(PGconn *c, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(c) == CONNECTION_BAD)
        return BSTEP__DBERR_CONN;
    if (state == NULL)
        return BSTEP__DBERR_OTHER;
    if (strcmp(state, "23505") == 0)
        return BSTEP__DBERR_UNIQUE;
    if (strcmp(state, "23503") == 0)
        return BSTEP__DBERR_FOREIGN;
    if (strcmp(state, "23502") == 0 || strcmp(state, "23514") == 0)
        return BSTEP__DBERR_CHECK;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return BSTEP__DBERR_BUSY;
    if (strncmp(state, "08", 2) == 0)
        return BSTEP__DBERR_CONN;
    return BSTEP__DBERR_OTHER;
}

static int fail(pg_db *d, const PGresult *res)
{
    bstep__dberr k = classify(d->c, res);
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(d->c);
    char clean[800];
    snprintf(clean, sizeof(clean), "%s", msg && msg[0] ? msg : PQerrorMessage(d->c));
    one_line(clean);
    if (k == BSTEP__DBERR_BUSY)
        return bstep__db_fail(&d->base, k, "database busy, retry: %s: %s", d->base.location, clean);
    return bstep__db_fail(&d->base, k, "%s: %s", d->base.location, clean);
}

static void pg_close(bstep__db *db)
{
    pg_db *d = (pg_db *)db;
    PQfinish(d->c);
    free(d);
}

/* A connection lost between transactions (the server restarted, a network outage) is opened
 * again before the next statement: nothing was in flight, so nothing is repeated or lost. Inside
 * a transaction a lost connection stays an error (the transaction is gone with it). */
static int reconnect_if_lost(pg_db *d)
{
    PGresult *res;
    if (PQstatus(d->c) != CONNECTION_BAD || d->base.in_txn)
        return BSTEP_OK;
    PQreset(d->c);
    if (PQstatus(d->c) != CONNECTION_OK) {
        char msg[600];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(d->c));
        one_line(msg);
        return bstep__db_fail(&d->base, BSTEP__DBERR_CONN,
                              "%s: the connection was lost and cannot be opened again: %s",
                              d->base.location, msg);
    }
    res = PQexec(d->c, "SET client_min_messages = warning");
    PQclear(res);
    return BSTEP_OK;
}

static int pg_exec(bstep__db *db, const char *sql)
{
    pg_db *d = (pg_db *)db;
    char *buf;
    PGresult *res;
    int rc = reconnect_if_lost(d);
    if (rc != BSTEP_OK)
        return rc;
    buf = malloc(65536);
    if (buf == NULL)
        return bstep__db_fail(db, BSTEP__DBERR_OTHER, "out of memory");
    if (bstep__db_dialect(BSTEP_STORE_POSTGRESQL, sql, buf, 65536) != 0) {
        free(buf);
        return bstep__db_fail(db, BSTEP__DBERR_OTHER, "SQL text too long");
    }
    res = PQexec(d->c, buf);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = fail(d, res);
    PQclear(res);
    free(buf);
    return rc;
}

static int pg_begin(bstep__db *db)
{
    return pg_exec(db, "BEGIN");
}

static void clear_params(pg_stmt *q)
{
    int i;
    for (i = 0; i < q->nparams; i++) {
        free(q->values[i]);
        q->values[i] = NULL;
        q->lengths[i] = 0;
        q->formats[i] = 0;
    }
}

static void clear_result(pg_stmt *q)
{
    PQclear(q->res);
    q->res = NULL;
    q->row = -1;
    q->nrows = 0;
    free(q->blob);
    q->blob = NULL;
}

static void st_finalize(bstep__stmt *s)
{
    pg_stmt *q = (pg_stmt *)s;
    clear_result(q);
    clear_params(q);
    free(q->values);
    free(q->lengths);
    free(q->formats);
    free(q->sql);
    free(q);
}

static int st_reset(bstep__stmt *s)
{
    pg_stmt *q = (pg_stmt *)s;
    clear_result(q);
    clear_params(q);
    s->bind_error = 0;
    return BSTEP_OK;
}

static void set_param(pg_stmt *q, int i, const void *p, size_t n, int binary)
{
    char *v;
    if (i < 1 || i > q->nparams) {
        q->base.bind_error = i;
        return;
    }
    free(q->values[i - 1]);
    q->values[i - 1] = NULL;
    v = malloc(n + 1);
    if (v == NULL) {
        q->base.bind_error = i; /* reported at step */
        return;
    }
    memcpy(v, p, n);
    v[n] = '\0';
    q->values[i - 1] = v;
    q->lengths[i - 1] = (int)n;
    q->formats[i - 1] = binary;
}

static void st_bind_int(bstep__stmt *s, int i, int64_t v)
{
    char b[32];
    int n = snprintf(b, sizeof(b), "%lld", (long long)v);
    set_param((pg_stmt *)s, i, b, (size_t)n, 0);
}

static void st_bind_double(bstep__stmt *s, int i, double v)
{
    char b[40];
    int n = snprintf(b, sizeof(b), "%.17g", v);
    set_param((pg_stmt *)s, i, b, (size_t)n, 0);
}

static void st_bind_text(bstep__stmt *s, int i, const char *v)
{
    set_param((pg_stmt *)s, i, v, strlen(v), 0);
}

static void st_bind_blob(bstep__stmt *s, int i, const void *p, size_t n)
{
    set_param((pg_stmt *)s, i, p, n, 1);
}

static void st_bind_null(bstep__stmt *s, int i)
{
    pg_stmt *q = (pg_stmt *)s;
    if (i < 1 || i > q->nparams) {
        s->bind_error = i;
        return;
    }
    free(q->values[i - 1]);
    q->values[i - 1] = NULL;
}

static int st_step(bstep__stmt *s)
{
    pg_stmt *q = (pg_stmt *)s;
    pg_db *d = (pg_db *)s->db;
    if (q->res == NULL) {
        ExecStatusType es;
        int rc;
        if (s->bind_error)
            return bstep__db_fail(s->db, BSTEP__DBERR_OTHER,
                                  "internal error: parameter %d not bound", s->bind_error);
        if ((rc = reconnect_if_lost(d)) != BSTEP_OK)
            return rc;
        q->res = PQexecParams(d->c, q->sql, q->nparams, NULL, (const char *const *)q->values,
                              q->lengths, q->formats, 0);
        es = PQresultStatus(q->res);
        if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
            rc = fail(d, q->res);
            clear_result(q);
            return rc;
        }
        q->nrows = es == PGRES_TUPLES_OK ? PQntuples(q->res) : 0;
        q->row = -1;
    }
    if (q->row + 1 < q->nrows) {
        q->row++;
        return 1;
    }
    q->row = q->nrows;
    return 0;
}

static int st_is_null(bstep__stmt *s, int c)
{
    pg_stmt *q = (pg_stmt *)s;
    if (q->res == NULL || q->row < 0 || q->row >= q->nrows || c >= PQnfields(q->res))
        return 1;
    return PQgetisnull(q->res, q->row, c);
}

static int64_t st_int(bstep__stmt *s, int c)
{
    pg_stmt *q = (pg_stmt *)s;
    return (int64_t)strtoll(PQgetvalue(q->res, q->row, c), NULL, 10);
}

static double st_double(bstep__stmt *s, int c)
{
    pg_stmt *q = (pg_stmt *)s;
    return strtod(PQgetvalue(q->res, q->row, c), NULL);
}

static const char *st_text(bstep__stmt *s, int c)
{
    pg_stmt *q = (pg_stmt *)s;
    return PQgetvalue(q->res, q->row, c);
}

static size_t st_blob(bstep__stmt *s, int c, void *buf, size_t cap)
{
    pg_stmt *q = (pg_stmt *)s;
    size_t n = 0;
    free(q->blob);
    q->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(q->res, q->row, c), &n);
    if (q->blob == NULL)
        return 0;
    if (n > cap)
        n = cap;
    memcpy(buf, q->blob, n);
    return n;
}

static const bstep__stmt_ops stmt_ops = {
    st_finalize, st_reset,   st_bind_int, st_bind_double, st_bind_text, st_bind_blob, st_bind_null,
    st_step,     st_is_null, st_int,      st_double,      st_text,      st_blob};

/* '?' -> $1, $2, ... outside quoted literals and identifiers. */
static int number_placeholders(const char *sql, char **out, int *nparams)
{
    size_t cap = strlen(sql) * 2 + 16, n = 0;
    char *o = malloc(cap);
    char quote = 0;
    int k = 0;
    if (o == NULL)
        return -1;
    for (; *sql; sql++) {
        if (n + 8 >= cap) {
            char *p;
            cap *= 2;
            p = realloc(o, cap);
            if (p == NULL) {
                free(o);
                return -1;
            }
            o = p;
        }
        if (quote) {
            if (*sql == quote)
                quote = 0;
            o[n++] = *sql;
        } else if (*sql == '\'' || *sql == '"') {
            quote = *sql;
            o[n++] = *sql;
        } else if (*sql == '?') {
            if (k == MAX_PARAMS) {
                free(o);
                return -1;
            }
            n += (size_t)snprintf(o + n, cap - n, "$%d", ++k);
        } else {
            o[n++] = *sql;
        }
    }
    o[n] = '\0';
    *out = o;
    *nparams = k;
    return 0;
}

static int pg_prepare(bstep__db *db, const char *sql, bstep__stmt **out)
{
    pg_stmt *q = calloc(1, sizeof(*q));
    *out = NULL;
    if (q == NULL || number_placeholders(sql, &q->sql, &q->nparams) != 0) {
        free(q);
        return bstep__db_fail(db, BSTEP__DBERR_OTHER, "out of memory or too many parameters");
    }
    q->values = calloc((size_t)q->nparams + 1, sizeof(*q->values));
    q->lengths = calloc((size_t)q->nparams + 1, sizeof(*q->lengths));
    q->formats = calloc((size_t)q->nparams + 1, sizeof(*q->formats));
    if (q->values == NULL || q->lengths == NULL || q->formats == NULL) {
        q->base.ops = &stmt_ops;
        st_finalize(&q->base);
        return bstep__db_fail(db, BSTEP__DBERR_OTHER, "out of memory");
    }
    q->base.ops = &stmt_ops;
    q->base.db = db;
    q->row = -1;
    *out = &q->base;
    return BSTEP_OK;
}

static const bstep__db_ops ops = {BSTEP_STORE_POSTGRESQL, pg_close, pg_exec, pg_prepare, pg_begin};

/* The URI with any password replaced by "***", for messages. */
static void redact(const char *uri, char *out, size_t cap)
{
    const char *scheme = strstr(uri, "://");
    const char *at, *colon, *slash;
    snprintf(out, cap, "%s", uri);
    if (scheme == NULL)
        return;
    scheme += 3;
    slash = strchr(scheme, '/');
    at = strchr(scheme, '@');
    if (at == NULL || (slash != NULL && at > slash))
        return;
    colon = memchr(scheme, ':', (size_t)(at - scheme));
    if (colon == NULL)
        return;
    snprintf(out, cap, "%.*s***%s", (int)(colon + 1 - uri), uri, at);
}

int bstep__db_open_pg(bstep__db **out, const char *uri, char *err, size_t err_len)
{
    /* connect_timeout first, so that a value in the URI wins (libpq: later values override). */
    const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
    const char *vals[] = {"10", "backstep", uri, NULL};
    pg_db *d = calloc(1, sizeof(*d));
    PGresult *res;
    *out = NULL;
    if (d == NULL) {
        snprintf(err, err_len, "out of memory");
        return BSTEP_ENOMEM;
    }
    d->base.ops = &ops;
    redact(uri, d->base.location, sizeof(d->base.location));
    d->c = PQconnectdbParams(keys, vals, 1);
    if (d->c == NULL || PQstatus(d->c) != CONNECTION_OK) {
        char msg[600];
        snprintf(msg, sizeof(msg), "%s", d->c ? PQerrorMessage(d->c) : "out of memory");
        one_line(msg);
        snprintf(err, err_len, "%s: cannot connect: %s", d->base.location, msg);
        PQfinish(d->c);
        free(d);
        return BSTEP_EIO;
    }
    PQsetNoticeProcessor(d->c, no_notice, NULL);
    res = PQexec(d->c, "SET client_min_messages = warning");
    PQclear(res);
    *out = &d->base;
    return BSTEP_OK;
}
