/* A treadmill's speed and incline in the canonical CSV ("speed (m/s)" or "speed (km/h)",
 * "incline (%)"): the reader's treadmill series (one point per second, the first reading of each
 * column in it, empty / NaN = no reading, a stopped belt reads 0), errors for values no treadmill
 * gives, and the same series whatever the read block size. */
#include <math.h>

#include "harness.h"
#include "test_io_util.h"

static size_t read_tm(const char *path, size_t block, bstep_treadmill_point *out, size_t cap,
                      int *rc, char *err, size_t err_len)
{
    bstep_reader *r = NULL;
    bstep_imu_sample buf[64];
    const bstep_treadmill_point *p;
    size_t n, nt, i;
    *rc = bstep_reader_open(&r, path, BSTEP_FORMAT_AUTO, err, err_len);
    if (*rc != BSTEP_OK)
        return 0;
    do {
        *rc = bstep_reader_read(r, buf, block, &n);
    } while (*rc == BSTEP_OK && n > 0);
    if (*rc != BSTEP_OK)
        snprintf(err, err_len, "%s", bstep_reader_errmsg(r));
    nt = bstep_reader_treadmill(r, &p);
    for (i = 0; i < nt && i < cap; i++)
        out[i] = p[i];
    bstep_reader_close(r);
    return nt;
}

/* 10 Hz rows for 3 s; the speed column starts empty, the incline is given from row 4. */
BSTEP_TEST(one_point_per_second)
{
    char text[8192];
    size_t len, i, n;
    bstep_treadmill_point tm[16], tm2[16];
    char err[256];
    int rc;
    const char *p;
    len = (size_t)snprintf(text, sizeof(text),
                           "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z "
                           "(m/s^2),speed (km/h),hr (bpm),incline (%%)\n");
    for (i = 0; i < 30; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%.1f,0,0,9.81,%s,100,%s\n",
                                0.1 * (double)i,
                                i < 2    ? ""
                                : i == 2 ? "nan"
                                : i < 10 ? "3.6"
                                : i < 20 ? "0"
                                         : "5.4",
                                i < 4    ? ""
                                : i < 25 ? "2.5"
                                         : "-1");
    p = io_write("tm.csv", text);
    n = read_tm(p, 64, tm, 16, &rc, err, sizeof(err));
    BSTEP_ASSERT_OK(rc);
    BSTEP_ASSERT_EQ(n, 3);
    BSTEP_ASSERT_EQ(tm[0].t_us, 300000);           /* the first reading: rows 0-2 have none */
    BSTEP_ASSERT_NEAR(tm[0].speed_mps, 1.0, 1e-6); /* 3.6 km/h */
    BSTEP_ASSERT_NEAR(tm[0].incline_pct, 2.5, 0);  /* the first incline of that second */
    BSTEP_ASSERT_EQ(tm[1].t_us, 1300000);          /* a second after the previous point */
    BSTEP_ASSERT_NEAR(tm[1].speed_mps, 0.0, 0);    /* a stopped belt is a reading */
    BSTEP_ASSERT_NEAR(tm[1].incline_pct, 2.5, 0);
    BSTEP_ASSERT_EQ(tm[2].t_us, 2300000);
    BSTEP_ASSERT_NEAR(tm[2].speed_mps, 1.5, 1e-6);
    BSTEP_ASSERT_NEAR(tm[2].incline_pct, 2.5, 0);
    /* split input: one sample per read gives the same series */
    BSTEP_ASSERT_EQ(read_tm(p, 1, tm2, 16, &rc, err, sizeof(err)), 3);
    for (i = 0; i < 3; i++) {
        BSTEP_ASSERT_EQ(tm2[i].t_us, tm[i].t_us);
        BSTEP_ASSERT(tm2[i].speed_mps == tm[i].speed_mps);
        BSTEP_ASSERT(tm2[i].incline_pct == tm[i].incline_pct);
    }
}

/* A column alone: the other field of each point is NAN; m/s is taken as it is. */
BSTEP_TEST(speed_only_in_mps)
{
    bstep_treadmill_point tm[4];
    char err[256];
    int rc;
    const char *p = io_write("tmspeed.csv", "time (s),speed (m/s),acc_x (g),acc_y (g),acc_z (g)\n"
                                            "0,0.75,0,0,1\n0.5,0.8,0,0,1\n1.0,0.85,0,0,1\n");
    BSTEP_ASSERT_EQ(read_tm(p, 64, tm, 4, &rc, err, sizeof(err)), 2);
    BSTEP_ASSERT_OK(rc);
    BSTEP_ASSERT_NEAR(tm[0].speed_mps, 0.75, 1e-6);
    BSTEP_ASSERT(isnan(tm[0].incline_pct));
    BSTEP_ASSERT_NEAR(tm[1].speed_mps, 0.85, 1e-6);
    p = io_write("notm.csv", "time (s),acc_x (g),acc_y (g),acc_z (g)\n0,0,0,1\n0.01,0,0,1\n");
    BSTEP_ASSERT_EQ(read_tm(p, 64, tm, 4, &rc, err, sizeof(err)), 0);
    BSTEP_ASSERT_OK(rc);
}

BSTEP_TEST(bad_treadmill_values_named)
{
    bstep_treadmill_point tm[4];
    char err[256];
    int rc;
    const char *p = io_write("badspeed.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),speed (m/s)\n"
                                             "0,0,0,1,0.5\n0.01,0,0,1,-0.2\n");
    read_tm(p, 64, tm, 4, &rc, err, sizeof(err));
    BSTEP_ASSERT_EQ(rc, BSTEP_EFORMAT);
    BSTEP_ASSERT(strstr(err, "badspeed.csv:3:5") != NULL);
    BSTEP_ASSERT(strstr(err, "not a treadmill speed") != NULL);
    p = io_write("badinc.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),incline (%)\n"
                               "0,0,0,1,3\n0.01,0,0,1,150\n");
    read_tm(p, 64, tm, 4, &rc, err, sizeof(err));
    BSTEP_ASSERT_EQ(rc, BSTEP_EFORMAT);
    BSTEP_ASSERT(strstr(err, "badinc.csv:3:5") != NULL);
    BSTEP_ASSERT(strstr(err, "incline (%)") != NULL);
    p = io_write("textinc.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),incline (%)\n0,0,0,1,up\n");
    read_tm(p, 64, tm, 4, &rc, err, sizeof(err));
    BSTEP_ASSERT_EQ(rc, BSTEP_EFORMAT);
    BSTEP_ASSERT(strstr(err, "textinc.csv:2:5") != NULL);
    p = io_write("unitspeed.csv",
                 "time (s),acc_x (g),acc_y (g),acc_z (g),speed (mph)\n0,0,0,1,2\n");
    read_tm(p, 64, tm, 4, &rc, err, sizeof(err));
    BSTEP_ASSERT_EQ(rc, BSTEP_EFORMAT);
    BSTEP_ASSERT(strstr(err, "unknown unit 'mph'") != NULL);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(one_point_per_second), BSTEP_TEST_ENTRY(speed_only_in_mps),
                BSTEP_TEST_ENTRY(bad_treadmill_values_named))
