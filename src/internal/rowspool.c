/*
 * Row spool (rowspool.h): pages of rows, a small LRU cache of them in memory, the rest in an
 * anonymous temporary file.
 */
#include "rowspool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/status.h"

#define NO_PAGE ((size_t)-1)

void bstep__spool_init(bstep__spool *s, size_t row_size)
{
    size_t k;
    memset(s, 0, sizeof(*s));
    s->row_size = row_size;
    for (k = 0; k < BSTEP__SPOOL_CACHE; k++)
        s->page_no[k] = NO_PAGE;
}

void bstep__spool_free(bstep__spool *s)
{
    size_t k, row_size = s->row_size;
    for (k = 0; k < BSTEP__SPOOL_CACHE; k++)
        free(s->page[k]);
    if (s->file)
        fclose(s->file);
    free(s->scratch);
    bstep__spool_init(s, row_size);
}

static size_t page_bytes(const bstep__spool *s)
{
    return s->row_size * BSTEP__SPOOL_PAGE_ROWS;
}

/* The zeroed scratch row returned once the spool has failed (never NULL: one row is always
 * available, allocated at the first push before any page). */
static void *fail(bstep__spool *s, int status)
{
    if (!s->error) {
        s->error = status;
        s->sys_errno = status == BSTEP_EIO ? errno : 0; /* of the call that just failed */
    }
    if (s->scratch)
        memset(s->scratch, 0, s->row_size);
    return s->scratch;
}

/* Writes the page in slot k to its place in the file. */
static int write_page(bstep__spool *s, size_t k)
{
    const size_t bytes = page_bytes(s);
    if (!s->file && !(s->file = tmpfile()))
        return -1;
    if (fseek(s->file, (long)(s->page_no[k] * bytes), SEEK_SET) != 0 ||
        fwrite(s->page[k], 1, bytes, s->file) != bytes)
        return -1;
    if (s->page_no[k] >= s->n_disk)
        s->n_disk = s->page_no[k] + 1;
    s->dirty[k] = 0;
    s->page_writes++;
    return 0;
}

/* The cache slot holding page p, loading it (from the file, or zeroed when new); -1 on error. */
static int slot(bstep__spool *s, size_t p)
{
    const size_t bytes = page_bytes(s);
    size_t k, victim = 0;
    for (k = 0; k < BSTEP__SPOOL_CACHE; k++) {
        if (s->page_no[k] == p) {
            s->used[k] = ++s->clock;
            return (int)k;
        }
    }
    for (k = 0; k < BSTEP__SPOOL_CACHE; k++) { /* a free slot, else the least recently used */
        if (s->page_no[k] == NO_PAGE) {
            victim = k;
            break;
        }
        if (s->used[k] < s->used[victim])
            victim = k;
    }
    k = victim;
    if (s->page_no[k] != NO_PAGE && s->dirty[k] && write_page(s, k) != 0) {
        fail(s, BSTEP_EIO);
        return -1;
    }
    if (!s->page[k] && !(s->page[k] = malloc(bytes))) {
        fail(s, BSTEP_ENOMEM);
        return -1;
    }
    s->page_no[k] = NO_PAGE;
    if (p < s->n_disk) {
        if (fseek(s->file, (long)(p * bytes), SEEK_SET) != 0 ||
            fread(s->page[k], 1, bytes, s->file) != bytes) {
            fail(s, BSTEP_EIO);
            return -1;
        }
        s->dirty[k] = 0;
    } else {
        memset(s->page[k], 0, bytes);
        s->dirty[k] = 1;
    }
    s->page_no[k] = p;
    s->used[k] = ++s->clock;
    return (int)k;
}

/* Row i (< n) in its cached page; marks the page dirty when the caller may write. */
static void *row(bstep__spool *s, size_t i, int write)
{
    int k;
    if (s->error || i >= s->n)
        return fail(s, s->error ? s->error : BSTEP_EINVAL);
    k = slot(s, i / BSTEP__SPOOL_PAGE_ROWS);
    if (k < 0)
        return s->scratch;
    if (write)
        s->dirty[k] = 1;
    return s->page[k] + (i % BSTEP__SPOOL_PAGE_ROWS) * s->row_size;
}

void *bstep__spool_at(bstep__spool *s, size_t i)
{
    return row(s, i, 1);
}

const void *bstep__spool_peek(bstep__spool *s, size_t i)
{
    return row(s, i, 0);
}

void bstep__spool_get(bstep__spool *s, size_t i, void *out)
{
    const void *r = row(s, i, 0);
    if (r != NULL)
        memcpy(out, r, s->row_size);
    else
        memset(out, 0, s->row_size); /* an index past the end of a spool never pushed to */
}

void *bstep__spool_push(bstep__spool *s)
{
    void *r;
    if (!s->scratch && !(s->scratch = calloc(1, s->row_size)))
        return NULL; /* nothing can be returned: the only NULL (documented) */
    if (s->error)
        return fail(s, s->error);
    s->n++;
    r = row(s, s->n - 1, 1);
    if (s->error) {
        s->n--;
        return r;
    }
    memset(r, 0, s->row_size);
    return r;
}

void bstep__spool_pop(bstep__spool *s)
{
    if (s->n > 0)
        s->n--;
}
