/* Locale-independent number parsing, the bounded line reader and the field splitter. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "internal/linereader.h"
#include "internal/numparse.h"

static double dbl(const char *s, int comma, int *rc)
{
    double v = -12345.0;
    *rc = bstep__num_double(s, strlen(s), comma, &v);
    return v;
}

static int64_t fixed(const char *s, int unit, int out, int *rc)
{
    int64_t v = -12345;
    *rc = bstep__num_fixed(s, strlen(s), 0, unit, out, &v);
    return v;
}

BSTEP_TEST(doubles_exact_and_rejected)
{
    int rc;
    BSTEP_ASSERT(dbl("0.1", 0, &rc) == 0.1);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_OK);
    BSTEP_ASSERT(dbl("-2.5e3", 0, &rc) == -2500.0);
    BSTEP_ASSERT(dbl("9.364549000E-3", 0, &rc) == 9.364549e-3);
    BSTEP_ASSERT(dbl("1.003170490E0", 0, &rc) == 1.00317049);
    BSTEP_ASSERT(dbl("+7", 0, &rc) == 7.0);
    BSTEP_ASSERT(dbl(".5", 0, &rc) == 0.5);
    BSTEP_ASSERT(dbl("5.", 0, &rc) == 5.0);
    BSTEP_ASSERT(dbl("0.88081070662416240", 0, &rc) == 0.8808107066241624);
    BSTEP_ASSERT(dbl("-0.000000000001", 0, &rc) == -1e-12);
    BSTEP_ASSERT(dbl("1,25", 1, &rc) == 1.25);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_OK);
    dbl("1,25", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    dbl("0.1x", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    dbl("", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_EMPTY);
    dbl("-", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    dbl("1e", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    dbl("1.2.3", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    dbl("0x10", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    BSTEP_ASSERT(isnan(dbl("NaN", 0, &rc)));
    BSTEP_ASSERT(isinf(dbl("-inf", 0, &rc)));
    BSTEP_ASSERT(isinf(dbl("Infinity", 0, &rc)));
    dbl("nanx", 0, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    BSTEP_ASSERT(dbl("1e400", 0, &rc) == (double)INFINITY);
    BSTEP_ASSERT(dbl("1e-400", 0, &rc) == 0.0);
}

BSTEP_TEST(fixed_point_times_are_exact)
{
    int rc;
    BSTEP_ASSERT_EQ(fixed("1607605064.733", 0, -6, &rc), 1607605064733000LL);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_OK);
    BSTEP_ASSERT_EQ(fixed("1012.461540465", 0, -6, &rc), 1012461540LL);
    BSTEP_ASSERT_EQ(fixed("1012.4615405", 0, -6, &rc), 1012461541LL);
    BSTEP_ASSERT_EQ(fixed("-0.0000005", 0, -6, &rc), -1LL);
    BSTEP_ASSERT_EQ(fixed("1698501144401773000", -9, -9, &rc), 1698501144401773000LL);
    BSTEP_ASSERT_EQ(fixed("1698501144401773499", -9, -6, &rc), 1698501144401773LL);
    BSTEP_ASSERT_EQ(fixed("1698501144401773500", -9, -6, &rc), 1698501144401774LL);
    BSTEP_ASSERT_EQ(fixed("9.364549000E-3", 0, -6, &rc), 9365LL);
    BSTEP_ASSERT_EQ(fixed("12.5", -3, -6, &rc), 12500LL);
    BSTEP_ASSERT_EQ(fixed("0", 0, -6, &rc), 0LL);
    BSTEP_ASSERT_EQ(fixed("0.00125", 0, -6, &rc), 1250LL);
    fixed("1e30", 0, -6, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_RANGE);
    fixed("nan", 0, -6, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
    fixed("1.0s", 0, -6, &rc);
    BSTEP_ASSERT_EQ(rc, BSTEP__NUM_SYNTAX);
}

static int lr_mem(bstep__linereader *lr, const char *text, size_t cap)
{
    bstep__source src;
    if (bstep__source_mem(&src, text, strlen(text)) != 0)
        return -1;
    return bstep__lr_init(lr, src, cap);
}

BSTEP_TEST(line_reader_ends_bom_and_last_line)
{
    bstep__linereader lr;
    char *line;
    size_t len;
    BSTEP_ASSERT_OK(lr_mem(&lr, "\xEF\xBB\xBFhead\r\nrow1\n\nrow3", 1024));
    BSTEP_ASSERT_EQ(bstep__lr_next(&lr, &line, &len), 1);
    BSTEP_ASSERT(strcmp(line, "head") == 0);
    BSTEP_ASSERT_EQ(bstep__lr_next(&lr, &line, &len), 1);
    BSTEP_ASSERT(strcmp(line, "row1") == 0);
    BSTEP_ASSERT_EQ(bstep__lr_next(&lr, &line, &len), 1);
    BSTEP_ASSERT_EQ(len, 0);
    BSTEP_ASSERT_EQ(bstep__lr_next(&lr, &line, &len), 1);
    BSTEP_ASSERT(strcmp(line, "row3") == 0);
    BSTEP_ASSERT_EQ(lr.line_no, 4);
    BSTEP_ASSERT_EQ(bstep__lr_next(&lr, &line, &len), 0);
    bstep__lr_free(&lr);
}

BSTEP_TEST(line_reader_caps_the_line)
{
    static char text[10000];
    bstep__linereader lr;
    char *line;
    size_t len;
    memset(text, 'a', sizeof text - 1);
    text[10] = '\n';
    BSTEP_ASSERT_OK(lr_mem(&lr, text, 100));
    BSTEP_ASSERT_EQ(bstep__lr_next(&lr, &line, &len), 1);
    BSTEP_ASSERT_EQ(len, 10);
    BSTEP_ASSERT_EQ(bstep__lr_next(&lr, &line, &len), BSTEP__LR_TOO_LONG);
    bstep__lr_free(&lr);
}

BSTEP_TEST(split_quotes_and_trims)
{
    char line[] = "\"Time (s)\", \"a \"\"q\"\" b\" ,x,,  y  ";
    bstep__field f[8];
    size_t n = bstep__split(line, strlen(line), ',', f, 8);
    BSTEP_ASSERT_EQ(n, 5);
    BSTEP_ASSERT(f[0].len == 8 && memcmp(f[0].p, "Time (s)", 8) == 0);
    BSTEP_ASSERT(f[1].len == 7 && memcmp(f[1].p, "a \"q\" b", 7) == 0);
    BSTEP_ASSERT(f[2].len == 1 && f[2].p[0] == 'x');
    BSTEP_ASSERT_EQ(f[3].len, 0);
    BSTEP_ASSERT(f[4].len == 1 && f[4].p[0] == 'y');
    {
        char l2[] = "1,2,3";
        BSTEP_ASSERT_EQ(bstep__split(l2, 5, ',', f, 2), 3);
    }
}

/* The fast path gives bit for bit what the general parsers give, on random plain decimals
 * (signs, leading zeros, up to 21 digits, with or without a mark), and declines the rest. */
BSTEP_TEST(plain_fast_path_matches_general)
{
    static const char *const declined[] = {"1e3", " 1",   "1 ",    "nan",   "-",
                                           ".",   "",     "\"1\"", "1.2.3", "12345678901234567890",
                                           "+-1", "0x10", "1,5"};
    uint64_t x = 88172645463325252u; /* xorshift64 (Marsaglia 2003) */
    size_t i, k;
    for (i = 0; i < 200000; i++) {
        char buf[40];
        size_t n = 0, digits, mark;
        double a = 0.0, b = 0.0;
        int64_t fa = 0, fb = 0;
        int rf, fast_f;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x & 1u)
            buf[n++] = (x & 2u) ? '-' : '+';
        digits = 1 + (size_t)((x >> 8) % 21u);
        mark = (size_t)((x >> 16) % (digits + 2u)); /* == digits + 1: no mark */
        for (k = 0; k < digits; k++) {
            if (k == mark)
                buf[n++] = '.';
            buf[n++] = (char)('0' + (int)((x >> (20 + 2 * (k % 20))) % ((x >> 5) & 1u ? 10u : 2u)));
        }
        if (mark == digits)
            buf[n++] = '.';
        buf[n] = '\0';
        if (bstep__num_double_plain(buf, buf + n, &a) == n) {
            BSTEP_ASSERT_EQ(bstep__num_double(buf, n, 0, &b), BSTEP__NUM_OK);
            BSTEP_ASSERT(memcmp(&a, &b, sizeof a) == 0);
        } else {
            /* declined only for more than 19 significant digits */
            BSTEP_ASSERT(n > 19);
        }
        rf = bstep__num_fixed(buf, n, 0, -3, -6, &fb);
        fast_f = bstep__num_fixed_plain(buf, buf + n, -3, -6, &fa) == n;
        if (fast_f) {
            BSTEP_ASSERT_EQ(rf, BSTEP__NUM_OK);
            BSTEP_ASSERT_EQ(fa, fb);
        }
    }
    for (i = 0; i < sizeof(declined) / sizeof(declined[0]); i++) {
        double v;
        BSTEP_ASSERT_EQ(bstep__num_double_plain(declined[i], declined[i] + strlen(declined[i]), &v),
                        declined[i][0] == '1' && declined[i][1] == ',' ? 1 : 0);
    }
    {
        const char row[] = "12.5,-3";
        double v;
        BSTEP_ASSERT_EQ(bstep__num_double_plain(row, row + 7, &v), 4); /* stops at the ',' */
        BSTEP_ASSERT(v == 12.5);
    }
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(doubles_exact_and_rejected),
                BSTEP_TEST_ENTRY(plain_fast_path_matches_general),
                BSTEP_TEST_ENTRY(fixed_point_times_are_exact),
                BSTEP_TEST_ENTRY(line_reader_ends_bom_and_last_line),
                BSTEP_TEST_ENTRY(line_reader_caps_the_line),
                BSTEP_TEST_ENTRY(split_quotes_and_trims))
