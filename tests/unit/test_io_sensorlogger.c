/* Sensor Logger reader: folder and zip exports, stream joining, gravity, iOS signs, quality. */
#include <zip.h>

#include "harness.h"
#include "test_io_util.h"

static io_result res, res2;

#define R2D 57.29577951308232
#define T0  "1698501144"

/* Accelerometer-like stream at 100 Hz from t0 (ns), n rows; x = i, y = -i, z = 9.5. */
static const char *stream(char *buf, size_t cap, long long t0, long long step, int n, double xs)
{
    size_t k = 0;
    int i;
    k += (size_t)snprintf(buf + k, cap - k, "time,seconds_elapsed,z,y,x\n");
    for (i = 0; i < n; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%lld,%.3f,%.4f,%.4f,%.4f\n", t0 + i * step,
                              (double)i * 0.01, 9.5 * xs, -(double)i * xs, (double)i * xs);
    return buf;
}

static char acc[100000], gyr[100000], grav[100000];

static void write_export(const char *dir, int total, int with_grav, int with_gyr,
                         const char *metadata)
{
    char name[256];
    io_mkdir(dir);
    if (total) {
        snprintf(name, sizeof name, "%s/TotalAcceleration.csv", dir);
        io_write(name, stream(acc, sizeof acc, 1698501144000000000LL, 10000000LL, 200, 1.0));
    } else {
        snprintf(name, sizeof name, "%s/Accelerometer.csv", dir);
        io_write(name, stream(acc, sizeof acc, 1698501144000000000LL, 10000000LL, 200, 0.1));
    }
    if (with_grav) {
        snprintf(name, sizeof name, "%s/Gravity.csv", dir);
        /* offset by 5 ms: interpolated */
        io_write(name, stream(grav, sizeof grav, 1698501143995000000LL, 10000000LL, 202, 1.0));
    }
    if (with_gyr) {
        snprintf(name, sizeof name, "%s/Gyroscope.csv", dir);
        /* gyro every 20 ms starting 30 ms late: the first 3 accelerometer rows have no gyro */
        io_write(name, stream(gyr, sizeof gyr, 1698501144030000000LL, 20000000LL, 80, 0.01));
    }
    if (metadata != NULL) {
        snprintf(name, sizeof name, "%s/metadata.csv", dir);
        io_write(name, metadata);
    }
}

BSTEP_TEST(folder_total_acceleration_and_gyro)
{
    write_export("sl1", 1, 0, 1, NULL);
    io_read_all(io_path("sl1"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.format, BSTEP_FORMAT_SENSORLOGGER);
    /* rows 0..2 before the first gyro row; gyro ends at 30 + 79*20 = 1610 ms -> rows 3..161 */
    BSTEP_ASSERT_EQ(res.n, 159);
    BSTEP_ASSERT_EQ(res.q.dropped_rows, 200 - 159);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 1698501144030000LL);
    /* columns by name: file order is z,y,x */
    BSTEP_ASSERT(res.s[0].accel_mps2[0] == 3.0f && res.s[0].accel_mps2[1] == -3.0f &&
                 res.s[0].accel_mps2[2] == 9.5f);
    /* row 4 (40 ms) lies halfway between gyro rows 0 (30 ms) and 1 (50 ms): x = 0.005 rad/s */
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[0], 0.005 * R2D, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[1], -0.005 * R2D, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[2], 0.095 * R2D, 1e-4);
    BSTEP_ASSERT_EQ(res.s[1].flags, BSTEP_SAMPLE_HAS_GYRO);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 1);
    BSTEP_ASSERT_EQ(res.q.gravity_removed, 0);
    BSTEP_ASSERT_NEAR(res.q.sample_rate_hz, 100.0, 1e-6);
    io_read_all(io_path("sl1"), BSTEP_FORMAT_SENSORLOGGER, 1, &res2);
    BSTEP_ASSERT(io_same_samples(&res, &res2));
}

BSTEP_TEST(accelerometer_plus_gravity_and_ios_signs)
{
    write_export("sl2", 0, 1, 0,
                 "version,device name,recording time,platform,appVersion\n"
                 "2,iPhone,2023-10-28_13-52-24,ios,1.30\n");
    io_read_all(io_path("sl2"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 200);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 0);
    BSTEP_ASSERT_EQ(res.q.gravity_removed, 0);
    /* row 10: acc x = 1.0 (0.1 * 10); gravity at 100 ms = halfway between gravity rows 10 and
     * 11 (95, 105 ms): x = 10.5; sum 11.5, negated for iOS */
    BSTEP_ASSERT_NEAR(res.s[10].accel_mps2[0], -11.5, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[10].accel_mps2[1], 11.5, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[10].accel_mps2[2], -(0.95 + 9.5), 1e-5);
    BSTEP_ASSERT_EQ(res.s[10].flags, 0);
}

BSTEP_TEST(accelerometer_alone_is_flagged)
{
    write_export("sl3", 0, 0, 0,
                 "version,device name,recording time,platform\n1,Pixel,x,android\n");
    io_read_all(io_path("sl3"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.q.gravity_removed, 1);
    BSTEP_ASSERT_EQ(res.n, 200);
    BSTEP_ASSERT_NEAR(res.s[10].accel_mps2[0], 1.0, 1e-6);
    /* a single file works too */
    io_read_all(io_path("sl3/Accelerometer.csv"), BSTEP_FORMAT_AUTO, 4096, &res2);
    BSTEP_ASSERT_OK(res2.read_rc);
    BSTEP_ASSERT_EQ(res2.q.gravity_removed, 1);
    BSTEP_ASSERT(io_same_samples(&res, &res2));
}

BSTEP_TEST(duplicates_and_long_gyro_hole)
{
    char name[256];
    io_mkdir("sl4");
    snprintf(name, sizeof name, "%s", "sl4/TotalAcceleration.csv");
    io_write(name, "time,seconds_elapsed,z,y,x\n"
                   "1000000000,0,9.8,0,0\n"
                   "1010000000,0,9.8,0,0\n"
                   "1010000000,0,9.8,0,0\n"
                   "1020000000,0,9.8,0,0\n"
                   "1500000000,0,9.8,0,0\n"
                   "1510000000,0,9.8,0,0\n");
    io_write("sl4/Gyroscope.csv", "time,seconds_elapsed,z,y,x\n"
                                  "1000000000,0,0,0,1\n"
                                  "1020000000,0,0,0,1\n"
                                  "1400000000,0,0,0,1\n" /* 380 ms bracket: no gyro */
                                  "1510000000,0,0,0,2\n");
    io_read_all(io_path("sl4"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 4);
    BSTEP_ASSERT_EQ(res.q.duplicate_timestamps, 1);
    BSTEP_ASSERT_EQ(res.q.dropped_rows, 2);
    BSTEP_ASSERT_EQ(res.s[3].t_us, 1510000);
    BSTEP_ASSERT_NEAR(res.s[3].gyro_dps[0], 2 * R2D, 1e-4);
    BSTEP_ASSERT(res.s[3].flags & BSTEP_SAMPLE_GAP_BEFORE);
    BSTEP_ASSERT_EQ(res.q.gaps, 1);
}

static void add_file(zip_t *z, const char *entry, const char *text)
{
    zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
    if (s == NULL || zip_file_add(z, entry, s, ZIP_FL_OVERWRITE) < 0)
        abort();
}

BSTEP_TEST(zip_equals_folder)
{
    int zerr = 0;
    zip_t *z;
    static char meta[] = "version,device name,recording time,platform\n1,Pixel,x,android\n";
    write_export("sl5", 1, 0, 1, meta);
    io_read_all(io_path("sl5"), BSTEP_FORMAT_AUTO, 4096, &res);
    remove(io_path("sl5.zip"));
    z = zip_open(io_path("sl5.zip"), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    BSTEP_ASSERT(z != NULL);
    stream(acc, sizeof acc, 1698501144000000000LL, 10000000LL, 200, 1.0);
    stream(gyr, sizeof gyr, 1698501144030000000LL, 20000000LL, 80, 0.01);
    add_file(z, "TotalAcceleration.csv", acc);
    add_file(z, "Gyroscope.csv", gyr);
    add_file(z, "metadata.csv", meta);
    BSTEP_ASSERT_EQ(zip_close(z), 0);
    io_read_all(io_path("sl5.zip"), BSTEP_FORMAT_AUTO, 3, &res2);
    BSTEP_ASSERT_OK(res2.read_rc);
    BSTEP_ASSERT_EQ(res2.format, BSTEP_FORMAT_SENSORLOGGER);
    BSTEP_ASSERT(io_same_samples(&res, &res2));
    {
        bstep_format f;
        BSTEP_ASSERT_OK(bstep_format_detect(io_path("sl5.zip"), &f, NULL, 0));
        BSTEP_ASSERT_EQ(f, BSTEP_FORMAT_SENSORLOGGER);
        BSTEP_ASSERT_OK(bstep_format_detect(io_path("sl5"), &f, NULL, 0));
        BSTEP_ASSERT_EQ(f, BSTEP_FORMAT_SENSORLOGGER);
    }
}

BSTEP_TEST(errors_name_the_entry)
{
    io_mkdir("sl6");
    io_write("sl6/TotalAcceleration.csv",
             "time,seconds_elapsed,z,y,x\n1000,0,1,2,3\n1001,0,1,x2,3\n");
    io_read_all(io_path("sl6"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err,
                              "sl6/TotalAcceleration.csv:3:4: field 'y': not a number: 'x2'");
    io_write("sl6/TotalAcceleration.csv", "time,seconds_elapsed,z,y\n");
    io_read_all(io_path("sl6"), BSTEP_FORMAT_SENSORLOGGER, 4096, &res);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "header has no 'x' column");
    io_mkdir("sl7");
    io_write("sl7/Gyroscope.csv", "time,seconds_elapsed,z,y,x\n1000,0,1,2,3\n");
    io_read_all(io_path("sl7"), BSTEP_FORMAT_SENSORLOGGER, 4096, &res);
    BSTEP_ASSERT_EQ(res.open_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "no TotalAcceleration.csv or Accelerometer.csv");
}

/* Times at both ends of int64: intervals and brackets must not overflow (UBSan build). */
BSTEP_TEST(extreme_times)
{
    io_mkdir("sl8");
    io_write("sl8/TotalAcceleration.csv", "time,seconds_elapsed,z,y,x\n"
                                          "-9000000000000000000,0,1,2,3\n"
                                          "9000000000000000000,0,1,2,3\n"
                                          "9000000000000000001,0,1,2,3\n");
    io_write("sl8/Gyroscope.csv", "time,seconds_elapsed,z,y,x\n"
                                  "-9100000000000000000,0,1,2,3\n"
                                  "9100000000000000000,0,1,2,3\n");
    io_read_all(io_path("sl8"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 0); /* every bracket is far wider than 0.1 s */
    BSTEP_ASSERT_EQ(res.q.dropped_rows, 3);
    io_write("sl8/Gyroscope.csv", "time,seconds_elapsed,z,y,x\n");
    remove(io_path("sl8/Gyroscope.csv"));
    io_read_all(io_path("sl8"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 2); /* the last two round to the same microsecond */
    BSTEP_ASSERT_EQ(res.s[0].t_us, -9000000000000000LL);
    BSTEP_ASSERT_EQ(res.q.duplicate_timestamps, 1);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(extreme_times),
                BSTEP_TEST_ENTRY(folder_total_acceleration_and_gyro),
                BSTEP_TEST_ENTRY(accelerometer_plus_gravity_and_ios_signs),
                BSTEP_TEST_ENTRY(accelerometer_alone_is_flagged),
                BSTEP_TEST_ENTRY(duplicates_and_long_gyro_hole),
                BSTEP_TEST_ENTRY(zip_equals_folder), BSTEP_TEST_ENTRY(errors_name_the_entry))
