/* Row spool (src/internal/rowspool.c): rows in bounded memory, pages spilled to a temporary file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "backstep/status.h"
#include "internal/rowspool.h"

typedef struct {
    uint64_t index;
    double value;
    char tag[40];
} row;

static void fill(row *r, uint64_t i)
{
    r->index = i;
    r->value = (double)i * 0.5;
    snprintf(r->tag, sizeof(r->tag), "row-%llu", (unsigned long long)i);
}

static int same(const row *r, uint64_t i)
{
    row w;
    memset(&w, 0, sizeof(w));
    fill(&w, i);
    return memcmp(r, &w, sizeof(w)) == 0;
}

/* Small: stays in memory (no file), rows read back as written. */
BSTEP_TEST(small_in_memory)
{
    bstep__spool s;
    uint64_t i;
    bstep__spool_init(&s, sizeof(row));
    for (i = 0; i < 100; i++)
        fill(bstep__spool_push(&s), i);
    BSTEP_ASSERT_EQ(bstep__spool_count(&s), 100);
    BSTEP_ASSERT(s.file == NULL);
    for (i = 0; i < 100; i++)
        BSTEP_ASSERT(same(bstep__spool_at(&s, (size_t)i), i));
    BSTEP_ASSERT_EQ(bstep__spool_error(&s), 0);
    bstep__spool_free(&s);
    BSTEP_ASSERT_EQ(bstep__spool_count(&s), 0);
}

/* Large: more rows than the cache holds; pages go to the file and come back, in order, backwards
 * and at random; rows changed in place after they were spilled keep the change. */
BSTEP_TEST(large_spills_and_reads_back)
{
    bstep__spool s;
    const uint64_t n = (uint64_t)BSTEP__SPOOL_PAGE_ROWS * BSTEP__SPOOL_CACHE * 5 + 17;
    uint64_t i, x = 12345;
    row r;
    bstep__spool_init(&s, sizeof(row));
    for (i = 0; i < n; i++)
        fill(bstep__spool_push(&s), i);
    BSTEP_ASSERT(s.file != NULL);
    for (i = 0; i < n; i++) {
        bstep__spool_get(&s, (size_t)i, &r);
        BSTEP_ASSERT(same(&r, i));
    }
    for (i = n; i-- > 0;)
        BSTEP_ASSERT(same(bstep__spool_at(&s, (size_t)i), i));
    for (i = 0; i < 20000; i++) { /* random reads and in-place writes */
        size_t k;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        k = (size_t)((x >> 33) % n);
        ((row *)bstep__spool_at(&s, k))->value = -1.0 - (double)k;
    }
    x = 12345;
    for (i = 0; i < 20000; i++) {
        size_t k;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        k = (size_t)((x >> 33) % n);
        bstep__spool_get(&s, k, &r);
        BSTEP_ASSERT_EQ(r.index, k);
        BSTEP_ASSERT(r.value == -1.0 - (double)k);
    }
    BSTEP_ASSERT_EQ(bstep__spool_error(&s), 0);
    bstep__spool_free(&s);
}

/* Two pointers held at once (the row and the next one, on another page) both stay valid. */
BSTEP_TEST(two_pointers_across_pages)
{
    bstep__spool s;
    const size_t n = BSTEP__SPOOL_PAGE_ROWS * (BSTEP__SPOOL_CACHE + 2);
    size_t i;
    bstep__spool_init(&s, sizeof(row));
    for (i = 0; i < n; i++)
        fill(bstep__spool_push(&s), i);
    for (i = 0; i + 1 < n; i += BSTEP__SPOOL_PAGE_ROWS - 1) {
        row *a = bstep__spool_at(&s, i), *b = bstep__spool_at(&s, i + 1);
        BSTEP_ASSERT(same(a, i) && same(b, i + 1));
    }
    bstep__spool_free(&s);
}

/* Pop and push again reuse the place; an index past the end is an error, not a crash. */
BSTEP_TEST(pop_and_bad_index)
{
    bstep__spool s;
    row *r;
    bstep__spool_init(&s, sizeof(row));
    fill(bstep__spool_push(&s), 1);
    fill(bstep__spool_push(&s), 2);
    bstep__spool_pop(&s);
    BSTEP_ASSERT_EQ(bstep__spool_count(&s), 1);
    r = bstep__spool_push(&s);
    BSTEP_ASSERT_EQ(r->index, 0); /* zeroed */
    BSTEP_ASSERT_EQ(bstep__spool_error(&s), 0);
    r = bstep__spool_at(&s, 5);
    BSTEP_ASSERT(r != NULL);
    BSTEP_ASSERT_EQ(bstep__spool_error(&s), BSTEP_EINVAL);
    bstep__spool_free(&s);
    BSTEP_ASSERT_EQ(bstep__spool_error(&s), 0);
}

/* Reading only (peek) does not write pages back: every page goes to the file once (the last
 * ones when the first read evicts them), and a second full read writes nothing. */
BSTEP_TEST(peek_reads_without_writing)
{
    bstep__spool s;
    const size_t pages = BSTEP__SPOOL_CACHE * 3, n = BSTEP__SPOOL_PAGE_ROWS * pages;
    size_t i;
    bstep__spool_init(&s, sizeof(row));
    for (i = 0; i < n; i++)
        fill(bstep__spool_push(&s), i);
    BSTEP_ASSERT_EQ(s.page_writes, pages - BSTEP__SPOOL_CACHE); /* the newest stay cached */
    for (i = 0; i < n; i++)
        BSTEP_ASSERT(same(bstep__spool_peek(&s, i), i));
    BSTEP_ASSERT_EQ(s.page_writes, pages);
    for (i = 0; i < n; i++)
        BSTEP_ASSERT(same(bstep__spool_peek(&s, i), i));
    BSTEP_ASSERT_EQ(s.page_writes, pages);
    ((row *)bstep__spool_at(&s, 0))->value = 7.0; /* a change is written back */
    for (i = 0; i < n; i++)
        (void)bstep__spool_peek(&s, i);
    BSTEP_ASSERT_EQ(s.page_writes, pages + 1);
    BSTEP_ASSERT(((const row *)bstep__spool_peek(&s, 0))->value == 7.0);
    BSTEP_ASSERT_EQ(bstep__spool_error(&s), 0);
    bstep__spool_free(&s);
    /* an index past the end of a spool never pushed to: a zeroed copy, an error, no crash */
    {
        row r;
        bstep__spool_init(&s, sizeof(row));
        memset(&r, 0x55, sizeof(r));
        bstep__spool_get(&s, 3, &r);
        BSTEP_ASSERT_EQ(r.index, 0);
        BSTEP_ASSERT_EQ(bstep__spool_error(&s), BSTEP_EINVAL);
        bstep__spool_free(&s);
    }
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(small_in_memory), BSTEP_TEST_ENTRY(large_spills_and_reads_back),
                BSTEP_TEST_ENTRY(two_pointers_across_pages), BSTEP_TEST_ENTRY(pop_and_bad_index),
                BSTEP_TEST_ENTRY(peek_reads_without_writing))
