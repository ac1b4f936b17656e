/*
 * Bad-input corpus: every entry of tests/corpus/bad/EXPECTED.tsv must fail with a message that
 * contains the expected text, at open or while reading, whatever the read size. Also checks that
 * an over-long line in a file fails at the line cap.
 */
#include "backstep/activity.h"
#include "harness.h"
#include "test_io_util.h"

static io_result res;

/* Activity formats (fit, tcx, ftms): the activity reader, whatever the read size. */
static void activity_read_all(const char *path, bstep_format fmt, size_t cap, io_result *out)
{
    static bstep_activity_record buf[4096];
    bstep_activity_reader *r = NULL;
    memset(out, 0, sizeof *out);
    out->open_rc = bstep_activity_open(&r, path, fmt, out->err, sizeof out->err);
    out->read_rc = out->open_rc;
    if (out->open_rc != BSTEP_OK)
        return;
    for (;;) {
        size_t n = 0;
        out->read_rc = bstep_activity_read(r, buf, cap, &n);
        if (out->read_rc != BSTEP_OK) {
            snprintf(out->err, sizeof out->err, "%s", bstep_activity_errmsg(r));
            break;
        }
        if (n == 0)
            break;
        out->n += n;
    }
    bstep_activity_close(r);
}

static int run_corpus(size_t cap)
{
    char path[2048], line[2048];
    const char *src = getenv("BSTEP_SOURCE_DIR");
    FILE *f;
    int checked = 0;
    snprintf(path, sizeof path, "%s/tests/corpus/bad/EXPECTED.tsv", src ? src : ".");
    f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *tab1, *tab2, *nl;
        bstep_format fmt;
        char file[4200];
        if (line[0] == '#' || line[0] == '\n')
            continue;
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        tab1 = strchr(line, '\t');
        tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (tab2 == NULL) {
            fprintf(stderr, "bad EXPECTED line: %s\n", line);
            fclose(f);
            return -1;
        }
        *tab1 = *tab2 = '\0';
        if (bstep_format_parse(tab1 + 1, &fmt) != BSTEP_OK) {
            fprintf(stderr, "bad format in EXPECTED: %s\n", tab1 + 1);
            fclose(f);
            return -1;
        }
        snprintf(file, sizeof file, "%s/tests/corpus/bad/%s", src ? src : ".", line);
        if (bstep_format_is_activity(fmt))
            activity_read_all(file, fmt, cap, &res);
        else
            io_read_all(file, fmt, cap, &res);
        if (res.read_rc == BSTEP_OK || strstr(res.err, tab2 + 1) == NULL) {
            fprintf(stderr, "%s (%s): rc %d, message '%s', expected '%s'\n", line, tab1 + 1,
                    res.read_rc, res.err, tab2 + 1);
            fclose(f);
            return -1;
        }
        checked++;
    }
    fclose(f);
    return checked;
}

BSTEP_TEST(every_bad_input_fails_with_its_message)
{
    int n = run_corpus(4096);
    BSTEP_ASSERT_GE(n, 55);
    BSTEP_ASSERT_EQ(run_corpus(1), n);
}

BSTEP_TEST(over_long_line_in_a_file)
{
    static char text[200000];
    size_t k = (size_t)snprintf(text, sizeof text, "time (s),acc_x (g),acc_y (g),acc_z (g)\n0,");
    memset(text + k, '7', 100000);
    k += 100000;
    memcpy(text + k, ",0,1\n", 6);
    io_read_all(io_write("long.csv", text), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "long.csv:2: line too long (more than 65536 bytes)");
    memset(text, 'h', 100000);
    text[100000] = '\0';
    io_read_all(io_write("longhead.csv", text), BSTEP_FORMAT_CSV, 4096, &res);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "longhead.csv:1: line too long");
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(every_bad_input_fails_with_its_message),
                BSTEP_TEST_ENTRY(over_long_line_in_a_file))
