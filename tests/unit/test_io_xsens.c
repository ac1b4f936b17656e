/*
 * Xsens MT text reader. Inputs are built here as C strings and written to $BSTEP_TEST_TMP at test
 * time (a repository hook rejects committed text files whose lines start like Xsens exports).
 */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "test_io_util.h"

static io_result res, res2;

#define R2D  57.29577951308232
#define HDR  "PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\tMag_X\tMag_Y\tMag_Z\n"
#define RATE "Acquisition frequency: 100 Hz\n"

/* Rows with the given counters; values derived from the counter. */
static const char *write_counters(const char *name, const char *pre, const long *pc, size_t n)
{
    static char text[400000];
    size_t k = 0, i;
    k += (size_t)snprintf(text + k, sizeof text - k, "%s" HDR, pre);
    for (i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, sizeof text - k,
                              "%ld.0\t%ld.5\t-1.25\t9.81\t0.%03ld\t-1\t0.5\t-0.56\t0.03\t0.1\n",
                              pc[i], pc[i] % 10, pc[i] % 1000);
    return io_write(name, text);
}

BSTEP_TEST(ipol_layout_values_and_time)
{
    static const long pc[] = {2, 3, 4, 5};
    const char *p = write_counters("x1.txt", RATE, pc, 4);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.format, BSTEP_FORMAT_XSENS);
    BSTEP_ASSERT_EQ(res.n, 4);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 0);
    BSTEP_ASSERT_EQ(res.s[3].t_us, 30000);
    BSTEP_ASSERT(res.s[1].accel_mps2[0] == 3.5f && res.s[1].accel_mps2[1] == -1.25f &&
                 res.s[1].accel_mps2[2] == 9.81f);
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[0], 0.003 * R2D, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[1], -R2D, 1e-4);
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[2], 0.5 * R2D, 1e-4);
    BSTEP_ASSERT_EQ(res.s[1].flags, BSTEP_SAMPLE_HAS_GYRO);
    BSTEP_ASSERT_EQ(res.q.nominal_rate_hz, 100);
    BSTEP_ASSERT_NEAR(res.q.sample_rate_hz, 100.0, 1e-9);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 1);
    BSTEP_ASSERT_EQ(res.q.gaps, 0);
}

BSTEP_TEST(counter_jumps_are_gaps)
{
    static long pc[300];
    size_t i, n = 0;
    for (i = 0; i < 200; i++)
        pc[n++] = (long)i;
    for (i = 203; i < 250; i++) /* 200..202 missing */
        pc[n++] = (long)i;
    pc[n++] = 260; /* 250..259 missing */
    const char *p = write_counters("gaps.txt", RATE, pc, n);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, n);
    BSTEP_ASSERT_EQ(res.q.missing_samples, 3 + 10);
    BSTEP_ASSERT_EQ(res.q.gaps, 2);
    BSTEP_ASSERT(res.s[200].flags & BSTEP_SAMPLE_GAP_BEFORE);
    BSTEP_ASSERT_EQ(res.s[200].t_us, 2030000);
    BSTEP_ASSERT_EQ(res.s[199].flags & BSTEP_SAMPLE_GAP_BEFORE, 0);
    BSTEP_ASSERT_NEAR(res.q.longest_gap_s, 0.11, 1e-9);
    BSTEP_ASSERT_EQ(res.q.last_t_us, 2600000);
    io_read_all(p, BSTEP_FORMAT_XSENS, 1, &res2);
    BSTEP_ASSERT(io_same_samples(&res, &res2));
    BSTEP_ASSERT(memcmp(&res.q, &res2.q, sizeof res.q) == 0);
}

BSTEP_TEST(wrap_duplicate_and_rewind)
{
    static const long wrap[] = {65533, 65534, 65535, 0, 1, 1, 2};
    static const long rewind[] = {10, 11, 12, 5, 6};
    const char *p = write_counters("wrap.txt", RATE, wrap, 7);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 6);
    BSTEP_ASSERT_EQ(res.s[3].t_us, 30000);
    BSTEP_ASSERT_EQ(res.s[5].t_us, 50000);
    BSTEP_ASSERT_EQ(res.q.duplicate_timestamps, 1);
    BSTEP_ASSERT_EQ(res.q.missing_samples, 0);
    p = write_counters("rewind.txt", RATE, rewind, 5);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(
        res.err, "rewind.txt:6:1: field 'PacketCounter': counter went back from 12 to 5");
}

BSTEP_TEST(mt_manager_preamble_and_columns)
{
    const char *p = io_write("mtm.txt", "// General information:\n"
                                        "//  MT Manager version: 4.6\n"
                                        "// Update Rate: 50.0Hz\n"
                                        "// Filter Profile: human (46.1)\n"
                                        "\n"
                                        "Quat_q0\tGyr_Z\tAcc_Z\tPacketCounter\tAcc_Y\tAcc_X\t"
                                        "SampleTimeFine\tGyr_Y\tGyr_X\tRoll\n"
                                        "1\t0.1\t9.8\t7\t2\t1\t100\t0\t0\t5\r\n"
                                        "1\t0.2\t9.7\t8\t2\t1\t300\t0\t0\t5\r\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 2);
    BSTEP_ASSERT_EQ(res.q.nominal_rate_hz, 50);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 20000); /* PacketCounter wins over SampleTimeFine */
    BSTEP_ASSERT(res.s[1].accel_mps2[0] == 1.0f && res.s[1].accel_mps2[2] == 9.7f);
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[2], 0.2 * R2D, 1e-4);
}

BSTEP_TEST(sample_time_fine_and_acc_only)
{
    const char *p = io_write("stf.txt", "SampleTimeFine\tAcc_X\tAcc_Y\tAcc_Z\n"
                                        "1000\t0\t0\t9.8\n1100\t0\t0\t9.8\n1300\t0\t0\t9.8\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 3);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 10000);
    BSTEP_ASSERT_EQ(res.s[2].t_us, 30000);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 0);
    BSTEP_ASSERT_EQ(res.s[0].flags, 0);
}

BSTEP_TEST(bad_inputs)
{
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\n0\t1\t2\t3\n", "no sampling rate"},
        {RATE "PacketCounter\tAcc_X\tAcc_Y\n0\t1\t2\n", "no 'Acc_Z' column"},
        {RATE "Acc_X\tAcc_Y\tAcc_Z\n1\t2\t3\n", "neither 'PacketCounter' nor 'SampleTimeFine'"},
        {RATE "hello world\n", "bad.txt:2: expected 'key: value' lines"},
        {RATE, "no header line with 'Acc_X'"},
        {RATE HDR "0.0\t1\t2\t3\t4\t5\t6\t7\t8\t9\n1.0\t1\t2\n",
         "bad.txt:4: 3 fields, the header has 10"},
        {RATE HDR "0.0\t1\t2\t3\t4\t5\t6\t7\t8\t9\n1.5\t1\t2\t3\t4\t5\t6\t7\t8\t9\n",
         "bad.txt:4:1: field 'PacketCounter': not a non-negative integer counter: '1.5'"},
        {RATE HDR "0.0\t1\t2\t3\t4\tabc\t6\t7\t8\t9\n",
         "bad.txt:3:6: field 'Gyr_Y': not a number: 'abc'"},
        {RATE HDR "0.0\t1\t\t3\t4\t5\t6\t7\t8\t9\n", "bad.txt:3:3: field 'Acc_Y': empty"},
        {"Acquisition frequency: fast\n" HDR, "bad.txt:1: cannot read the rate"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = io_write("bad.txt", cases[i].text);
        io_read_all(p, BSTEP_FORMAT_XSENS, 4096, &res);
        if (res.read_rc == BSTEP_OK || strstr(res.err, cases[i].expect) == NULL)
            fprintf(stderr, "case %zu: rc %d, '%s'\n", i, res.read_rc, res.err);
        BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
        BSTEP_ASSERT_STR_CONTAINS(res.err, cases[i].expect);
    }
}

BSTEP_TEST(reads_standard_input)
{
    static const long pc[] = {0, 1, 2, 4};
    const char *p = write_counters("stdin.txt", RATE, pc, 4);
    int saved = dup(0);
    int fd = open(p, O_RDONLY);
    BSTEP_ASSERT(fd >= 0);
    dup2(fd, 0);
    close(fd);
    io_read_all("-", BSTEP_FORMAT_AUTO, 4096, &res);
    dup2(saved, 0);
    close(saved);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.format, BSTEP_FORMAT_XSENS);
    BSTEP_ASSERT_EQ(res.n, 4);
    BSTEP_ASSERT_EQ(res.q.missing_samples, 1);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(ipol_layout_values_and_time),
                BSTEP_TEST_ENTRY(counter_jumps_are_gaps),
                BSTEP_TEST_ENTRY(wrap_duplicate_and_rewind),
                BSTEP_TEST_ENTRY(mt_manager_preamble_and_columns),
                BSTEP_TEST_ENTRY(sample_time_fine_and_acc_only), BSTEP_TEST_ENTRY(bad_inputs),
                BSTEP_TEST_ENTRY(reads_standard_input))
