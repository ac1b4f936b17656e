/*
 * Internal helpers of the store shared with the CLI, the reports and the tests (bstep__ layer, no
 * API promise).
 */
#ifndef BSTEP_STORE_INTERNAL_H
#define BSTEP_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/** Wall-clock time, microseconds since 1970 UTC. */
int64_t bstep__store_now_us(void);
/** The local calendar date (TZ) of a time, "YYYY-MM-DD". */
void bstep__store_local_date(int64_t t_us, char out[11]);
/** 1 if d is a valid calendar date "YYYY-MM-DD" (year >= 1900). */
int bstep__store_date_valid(const char *d);

/**
 * For tests and tools: run SQL text (several statements, no parameters, {ID}/{BLOB} tokens
 * replaced) on the database at url without opening it as a store (no migration). Used to build
 * databases of earlier schema versions and to inspect tables. Returns a bstep_status.
 */
int bstep__store_exec_raw(const char *url, const char *sql, char *err, size_t err_len);
/**
 * For tests: run a query on url and write the first column of every row into out, one per line
 * (NULL as "NULL"). Returns a bstep_status; BSTEP_ERANGE when out is too small.
 */
int bstep__store_query_raw(const char *url, const char *sql, char *out, size_t cap, char *err,
                           size_t err_len);

#endif
