/*
 * Minimal test harness (c-style.md section 9; ideas from libuv test/task.h and redis testhelp.h).
 *
 *   BSTEP_TEST(my_test) { BSTEP_ASSERT_EQ(1 + 1, 2); }
 *   BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(my_test), ...)
 *
 * Each test file is one executable: `test_x` runs all its tests, `test_x NAME` runs one. The last
 * line printed is "N passed, N failed". A failed assertion prints both operands and the expression,
 * then ends the current test (the others still run).
 */
#ifndef BSTEP_TESTS_HARNESS_H
#define BSTEP_TESTS_HARNESS_H

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} bstep_test_case;

static jmp_buf bstep__test_jmp;
static int bstep__test_failed;

#define BSTEP_TEST(name) static void name(void)
#define BSTEP_TEST_ENTRY(name)                                                                     \
    {                                                                                              \
#name, name                                                                                \
    }

#define BSTEP__FAIL(...)                                                                           \
    do {                                                                                           \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                                          \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fprintf(stderr, "\n");                                                                     \
        bstep__test_failed = 1;                                                                    \
        longjmp(bstep__test_jmp, 1);                                                               \
    } while (0)

#define BSTEP_ASSERT(cond)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            BSTEP__FAIL("assertion failed: %s", #cond);                                            \
    } while (0)

#define BSTEP_ASSERT_EQ(a, b)                                                                      \
    do {                                                                                           \
        long long bstep__a = (long long)(a), bstep__b = (long long)(b);                            \
        if (bstep__a != bstep__b)                                                                  \
            BSTEP__FAIL("%s == %s: %lld != %lld", #a, #b, bstep__a, bstep__b);                     \
    } while (0)

#define BSTEP_ASSERT_NE(a, b)                                                                      \
    do {                                                                                           \
        long long bstep__a = (long long)(a), bstep__b = (long long)(b);                            \
        if (bstep__a == bstep__b)                                                                  \
            BSTEP__FAIL("%s != %s: both %lld", #a, #b, bstep__a);                                  \
    } while (0)

#define BSTEP_ASSERT_GE(a, b)                                                                      \
    do {                                                                                           \
        double bstep__a = (double)(a), bstep__b = (double)(b);                                     \
        if (!(bstep__a >= bstep__b))                                                               \
            BSTEP__FAIL("%s >= %s: %.9g < %.9g", #a, #b, bstep__a, bstep__b);                      \
    } while (0)

#define BSTEP_ASSERT_LE(a, b)                                                                      \
    do {                                                                                           \
        double bstep__a = (double)(a), bstep__b = (double)(b);                                     \
        if (!(bstep__a <= bstep__b))                                                               \
            BSTEP__FAIL("%s <= %s: %.9g > %.9g", #a, #b, bstep__a, bstep__b);                      \
    } while (0)

#define BSTEP_ASSERT_NEAR(a, b, tol)                                                               \
    do {                                                                                           \
        double bstep__a = (double)(a), bstep__b = (double)(b), bstep__t = (double)(tol);           \
        if (!(fabs(bstep__a - bstep__b) <= bstep__t))                                              \
            BSTEP__FAIL("%s ~ %s: %.9g vs %.9g (tolerance %.3g)", #a, #b, bstep__a, bstep__b,      \
                        bstep__t);                                                                 \
    } while (0)

#define BSTEP_ASSERT_OK(expr)                                                                      \
    do {                                                                                           \
        int bstep__rc = (expr);                                                                    \
        if (bstep__rc != 0)                                                                        \
            BSTEP__FAIL("%s returned %d, expected 0 (BSTEP_OK)", #expr, bstep__rc);                \
    } while (0)

#define BSTEP_ASSERT_STR_CONTAINS(hay, needle)                                                     \
    do {                                                                                           \
        const char *bstep__h = (hay), *bstep__n = (needle);                                        \
        if (bstep__h == NULL || strstr(bstep__h, bstep__n) == NULL)                                \
            BSTEP__FAIL("'%s' does not contain '%s'", bstep__h ? bstep__h : "(null)", bstep__n);   \
    } while (0)

/* setjmp lives in its own frame so no local of the loop below can be clobbered by longjmp. */
static int bstep__run_one(void (*fn)(void))
{
    bstep__test_failed = 0;
    if (setjmp(bstep__test_jmp) == 0)
        fn();
    return bstep__test_failed;
}

static int bstep__run_tests(const bstep_test_case *tests, size_t n, int argc, char **argv)
{
    size_t i;
    int passed = 0, failed = 0, ran = 0;
    for (i = 0; i < n; i++) {
        if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
            continue;
        ran++;
        if (bstep__run_one(tests[i].fn)) {
            failed++;
            fprintf(stderr, "FAIL %s\n", tests[i].name);
        } else {
            passed++;
            printf("ok   %s\n", tests[i].name);
        }
    }
    if (argc > 1 && ran == 0) {
        fprintf(stderr, "no test named '%s'\n", argv[1]);
        failed = 1;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define BSTEP_TEST_LIST(...)                                                                       \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        static const bstep_test_case bstep__tests[] = {__VA_ARGS__};                               \
        return bstep__run_tests(bstep__tests, sizeof(bstep__tests) / sizeof(bstep__tests[0]),      \
                                argc, argv);                                                       \
    }

#endif
