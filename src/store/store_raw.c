/* Raw SQL access for tests and tools (store_internal.h). */
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/store_internal.h"

static int open_raw(const char *url, bstep__db **db, char *err, size_t err_len)
{
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return bstep__db_open_pg(db, url, err, err_len);
    if (strncmp(url, "sqlite://", 9) == 0)
        url += 9;
    else if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    return bstep__db_open_sqlite(db, url, 5000, err, err_len);
}

int bstep__store_exec_raw(const char *url, const char *sql, char *err, size_t err_len)
{
    bstep__db *db = NULL;
    int rc = open_raw(url, &db, err, err_len);
    if (rc != BSTEP_OK)
        return rc;
    rc = bstep__db_exec(db, sql);
    if (rc != BSTEP_OK)
        snprintf(err, err_len, "%s", db->errmsg);
    bstep__db_close(db);
    return rc;
}

int bstep__store_query_raw(const char *url, const char *sql, char *out, size_t cap, char *err,
                           size_t err_len)
{
    bstep__db *db = NULL;
    bstep__stmt *s = NULL;
    size_t used = 0;
    int rc = open_raw(url, &db, err, err_len);
    if (cap > 0)
        out[0] = '\0';
    if (rc != BSTEP_OK)
        return rc;
    rc = bstep__db_prepare(db, sql, &s);
    while (rc == BSTEP_OK && (rc = bstep__stmt_step(s)) == 1) {
        const char *t = bstep__col_is_null(s, 0) ? "NULL" : bstep__col_text(s, 0);
        int n = snprintf(out + used, cap - used, "%s\n", t);
        if (n < 0 || (size_t)n >= cap - used) {
            rc = BSTEP_ERANGE;
            snprintf(err, err_len, "query result too long");
            break;
        }
        used += (size_t)n;
        rc = BSTEP_OK;
    }
    if (rc < 0 && rc != BSTEP_ERANGE)
        snprintf(err, err_len, "%s", db->errmsg);
    bstep__stmt_finalize(s);
    bstep__db_close(db);
    return rc < 0 ? rc : BSTEP_OK;
}
