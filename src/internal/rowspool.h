/*
 * Row spool: an append-mostly array of fixed-size rows whose memory is bounded whatever the
 * number of rows, so that the analysis of a 7-day recording needs no more memory than that of an
 * hour (issue 9: "memory stays constant whatever the file length").
 *
 * Rows live in pages of BSTEP__SPOOL_PAGE_ROWS rows. At most BSTEP__SPOOL_CACHE pages are held in
 * memory (least recently used page evicted); a page that leaves the cache is written to an
 * anonymous temporary file (tmpfile(): removed by the system when closed or when the process
 * ends) and read back when a row of it is needed again. A spool of up to
 * BSTEP__SPOOL_PAGE_ROWS * BSTEP__SPOOL_CACHE rows never touches the disk.
 *
 * Pointers: bstep__spool_at() and bstep__spool_push() return a pointer into a cached page. The
 * page of the last pointer returned is the most recently used, so a pointer stays valid across the
 * next BSTEP__SPOOL_CACHE - 1 calls (two or three rows can be held at once); copy with
 * bstep__spool_get() when in doubt.
 *
 * Errors: a failed allocation or temporary-file write/read does not return NULL: the call returns
 * a zeroed scratch row that belongs to the spool (NULL only for an index past the end of a spool
 * that was never pushed to), and bstep__spool_error() is non-zero from then
 * on (BSTEP_ENOMEM or BSTEP_EIO, backstep/status.h; BSTEP_EINVAL for an index past the end). The
 * owner checks it once when it is done adding rows and before it trusts what it reads. File
 * offsets are long: pages beyond 2 GiB need a 64-bit long (LP64, as on the supported systems).
 */
#ifndef BSTEP_INTERNAL_ROWSPOOL_H
#define BSTEP_INTERNAL_ROWSPOOL_H

#include <stddef.h>
#include <stdio.h>

/** Rows per page. */
#define BSTEP__SPOOL_PAGE_ROWS 1024
/** Pages held in memory. */
#define BSTEP__SPOOL_CACHE 8

typedef struct {
    size_t row_size;
    size_t n;      /* rows */
    size_t n_disk; /* pages that have a place in the file (pages 0 .. n_disk-1) */
    unsigned char *page[BSTEP__SPOOL_CACHE];
    size_t page_no[BSTEP__SPOOL_CACHE];     /* which page each slot holds; (size_t)-1: none */
    unsigned long used[BSTEP__SPOOL_CACHE]; /* last use (clock), for LRU */
    unsigned char dirty[BSTEP__SPOOL_CACHE];
    unsigned long clock;
    FILE *file;
    unsigned char *scratch; /* the row returned after an error */
    int error;
    int sys_errno;      /* errno of the failed file operation (0: none known, e.g. a short read) */
    size_t page_writes; /* pages written to the file so far (for tests and benchmarks) */
} bstep__spool;

/** An empty spool of rows of row_size bytes (> 0). Allocates nothing yet. */
void bstep__spool_init(bstep__spool *s, size_t row_size);
/** Frees the pages, the file and the scratch row; the spool is empty and can be used again. */
void bstep__spool_free(bstep__spool *s);
/** Rows in the spool. */
static inline size_t bstep__spool_count(const bstep__spool *s)
{
    return s->n;
}
/** Row i (< count) for reading and writing in place. */
void *bstep__spool_at(bstep__spool *s, size_t i);
/** Row i (< count) for reading only: its page is not written back when it leaves the cache
 *  (unless changed through bstep__spool_at). */
const void *bstep__spool_peek(bstep__spool *s, size_t i);
/** Copies row i (< count) into out (row_size bytes). */
void bstep__spool_get(bstep__spool *s, size_t i, void *out);
/** Appends a zeroed row and returns it; NULL only when the very first allocation (the scratch
 *  row) fails, and then the spool is unchanged. */
void *bstep__spool_push(bstep__spool *s);
/** Removes the last row (count > 0). */
void bstep__spool_pop(bstep__spool *s);
/** 0, or the first error's bstep_status (BSTEP_ENOMEM, BSTEP_EIO). */
static inline int bstep__spool_error(const bstep__spool *s)
{
    return s->error;
}

#endif
