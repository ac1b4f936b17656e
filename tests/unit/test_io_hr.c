/* Heart rate in the canonical CSV ("hr (bpm)"): the reader's series (one reading per second,
 * empty / NaN / 0 = no reading), errors for values that are no heart rate, and the same series
 * whatever the read block size. */
#include "harness.h"
#include "test_io_util.h"

static size_t read_hr(const char *path, size_t block, bstep_hr_point *out, size_t cap, int *rc,
                      char *err, size_t err_len)
{
    bstep_reader *r = NULL;
    bstep_imu_sample buf[64];
    const bstep_hr_point *p;
    size_t n, nh, i;
    *rc = bstep_reader_open(&r, path, BSTEP_FORMAT_AUTO, err, err_len);
    if (*rc != BSTEP_OK)
        return 0;
    do {
        *rc = bstep_reader_read(r, buf, block, &n);
    } while (*rc == BSTEP_OK && n > 0);
    if (*rc != BSTEP_OK)
        snprintf(err, err_len, "%s", bstep_reader_errmsg(r));
    nh = bstep_reader_heart_rate(r, &p);
    for (i = 0; i < nh && i < cap; i++)
        out[i] = p[i];
    bstep_reader_close(r);
    return nh;
}

/* 10 Hz rows for 3 s: heart rate 100 + second, one reading per second kept. */
BSTEP_TEST(one_reading_per_second)
{
    char text[8192];
    size_t len, i, n;
    bstep_hr_point hr[16], hr2[16];
    char err[256];
    int rc;
    const char *p;
    len = (size_t)snprintf(text, sizeof(text),
                           "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),hr (bpm)\n");
    for (i = 0; i < 30; i++)
        len +=
            (size_t)snprintf(text + len, sizeof(text) - len, "%.1f,0,0,9.81,%s\n", 0.1 * (double)i,
                             i == 0   ? ""
                             : i == 1 ? "nan"
                             : i == 2 ? "0"
                             : i < 10 ? "101"
                             : i < 20 ? "112.5"
                                      : "123");
    p = io_write("hr.csv", text);
    n = read_hr(p, 64, hr, 16, &rc, err, sizeof(err));
    BSTEP_ASSERT_OK(rc);
    BSTEP_ASSERT_EQ(n, 3);
    BSTEP_ASSERT_EQ(hr[0].t_us, 300000); /* the first reading: rows 0-2 have none */
    BSTEP_ASSERT_NEAR(hr[0].hr_bpm, 101.0, 0);
    BSTEP_ASSERT_EQ(hr[1].t_us, 1300000); /* one second after the previous kept reading */
    BSTEP_ASSERT_NEAR(hr[1].hr_bpm, 112.5, 0);
    BSTEP_ASSERT_EQ(hr[2].t_us, 2300000);
    BSTEP_ASSERT_NEAR(hr[2].hr_bpm, 123.0, 0);
    /* split input: one sample per read gives the same series */
    BSTEP_ASSERT_EQ(read_hr(p, 1, hr2, 16, &rc, err, sizeof(err)), 3);
    for (i = 0; i < 3; i++) {
        BSTEP_ASSERT_EQ(hr2[i].t_us, hr[i].t_us);
        BSTEP_ASSERT(hr2[i].hr_bpm == hr[i].hr_bpm);
    }
}

BSTEP_TEST(no_column_no_readings)
{
    bstep_hr_point hr[4];
    char err[256];
    int rc;
    const char *p =
        io_write("nohr.csv", "time (s),acc_x (g),acc_y (g),acc_z (g)\n0,0,0,1\n0.01,0,0,1\n");
    BSTEP_ASSERT_EQ(read_hr(p, 64, hr, 4, &rc, err, sizeof(err)), 0);
    BSTEP_ASSERT_OK(rc);
}

BSTEP_TEST(bad_heart_rate_named)
{
    bstep_hr_point hr[4];
    char err[256];
    int rc;
    const char *p = io_write("badhr.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),hr (bpm)\n"
                                          "0,0,0,1,90\n0.01,0,0,1,300\n");
    read_hr(p, 64, hr, 4, &rc, err, sizeof(err));
    BSTEP_ASSERT_EQ(rc, BSTEP_EFORMAT);
    BSTEP_ASSERT(strstr(err, "badhr.csv:3:5") != NULL);
    BSTEP_ASSERT(strstr(err, "hr (bpm)") != NULL);
    p = io_write("texthr.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),hr (bpm)\n0,0,0,1,fast\n");
    read_hr(p, 64, hr, 4, &rc, err, sizeof(err));
    BSTEP_ASSERT_EQ(rc, BSTEP_EFORMAT);
    BSTEP_ASSERT(strstr(err, "texthr.csv:2:5") != NULL);
    p = io_write("unithr.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),hr (Hz)\n0,0,0,1,1.5\n");
    read_hr(p, 64, hr, 4, &rc, err, sizeof(err));
    BSTEP_ASSERT_EQ(rc, BSTEP_EFORMAT);
    BSTEP_ASSERT(strstr(err, "unknown unit 'Hz'") != NULL);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(one_reading_per_second), BSTEP_TEST_ENTRY(no_column_no_readings),
                BSTEP_TEST_ENTRY(bad_heart_rate_named))
