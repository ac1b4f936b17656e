/*
 * Helpers of the store tests: one fresh, empty database per call on the backend chosen by
 * BSTEP_TEST_BACKEND (sqlite, the default, or postgresql). PostgreSQL databases are created on the
 * server named by the libpq environment (PGHOST, PGPORT, PGUSER: the ctest fixture starts a
 * private server with scripts/pg-test-server). The same tests run against both backends.
 */
#ifndef BSTEP_TESTS_STORE_UTIL_H
#define BSTEP_TESTS_STORE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_internal.h"

static inline int t_is_pg(void)
{
    const char *b = getenv("BSTEP_TEST_BACKEND");
    return b != NULL && strcmp(b, "postgresql") == 0;
}

static inline const char *t_tmp(void)
{
    const char *t = getenv("BSTEP_TEST_TMP");
    return t != NULL && t[0] ? t : "/tmp";
}

/* A new empty database; the URL is written to url. Returns 0 or -1 (message on stderr). */
static inline int t_fresh_url(char *url, size_t cap)
{
    static int counter;
    char err[512];
    counter++;
    if (t_is_pg()) {
        char sql[256];
        snprintf(url, cap, "postgresql:///bstep_t%ld_%d", (long)getpid(), counter);
        snprintf(sql, sizeof(sql),
                 "DROP DATABASE IF EXISTS bstep_t%ld_%d; CREATE DATABASE bstep_t%ld_%d",
                 (long)getpid(), counter, (long)getpid(), counter);
        /* CREATE DATABASE cannot run inside a multi-statement transaction block: one at a time. */
        {
            char *semi = strchr(sql, ';');
            *semi = '\0';
            if (bstep__store_exec_raw("postgresql:///postgres", sql, err, sizeof(err)) != 0 ||
                bstep__store_exec_raw("postgresql:///postgres", semi + 2, err, sizeof(err)) != 0) {
                fprintf(stderr, "cannot create a test database: %s\n", err);
                return -1;
            }
        }
    } else {
        char path[400];
        snprintf(path, sizeof(path), "%s/store_%ld_%d.db", t_tmp(), (long)getpid(), counter);
        remove(path);
        snprintf(url, cap, "%s-wal", path);
        remove(url);
        snprintf(url, cap, "%s-shm", path);
        remove(url);
        snprintf(url, cap, "%s", path);
    }
    return 0;
}

/* Open a fresh store (NULL on failure, message printed). */
static inline bstep_store *t_open_fresh(char *url, size_t cap)
{
    bstep_store *st = NULL;
    char err[1024];
    if (t_fresh_url(url, cap) != 0)
        return NULL;
    if (bstep_store_open(&st, url, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "open %s: %s\n", url, err);
        return NULL;
    }
    return st;
}

/* PostgreSQL asked for but not reachable is a failure (the ctest fixture starts a server). */
static inline void t_check_backend(void)
{
    char err[512];
    if (!t_is_pg())
        return;
    if (bstep__store_exec_raw("postgresql:///postgres", "SELECT 1", err, sizeof(err)) != 0) {
        fprintf(stderr, "PostgreSQL not reachable (PGHOST=%s): %s\n",
                getenv("PGHOST") ? getenv("PGHOST") : "(unset)", err);
        exit(1);
    }
}

#endif
