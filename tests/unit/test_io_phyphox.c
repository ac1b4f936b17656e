/* phyphox reader: the five CSV dialects, units, linear acceleration, zip with gyro and time. */
#include <zip.h>

#include "harness.h"
#include "test_io_util.h"

static io_result res, ref;

#define R2D 57.29577951308232

/* The same three rows in a dialect: separator and decimal mark. */
static const char *dialect(char *buf, size_t cap, char sep, char mark, const char *accname)
{
    static const char *const rows[3][4] = {
        {"9.364549000E-3", "1.003170490E0", "3.543418407E0", "7.366958618E0"},
        {"1.936454900E-2", "-1.103170490E0", "3.443418407E0", "7.266958618E0"},
        {"2.936454900E-2", "1.203170490E-1", "-3.343418407E0", "7.166958618E0"}};
    size_t k = 0;
    int i, j;
    k += (size_t)snprintf(buf + k, cap - k,
                          "\"Time (s)\"%c\"%s x (m/s^2)\"%c\"%s y (m/s^2)\"%c\"%s z (m/s^2)\"%c"
                          "\"Absolute acceleration (m/s^2)\"\n",
                          sep, accname, sep, accname, sep, accname, sep);
    for (i = 0; i < 3; i++) {
        for (j = 0; j < 4; j++) {
            const char *v = rows[i][j];
            for (; *v; v++)
                buf[k++] = (*v == '.') ? mark : *v;
            buf[k++] = sep;
        }
        k += (size_t)snprintf(buf + k, cap - k, "8%c5\n", mark);
    }
    buf[k] = '\0';
    return buf;
}

BSTEP_TEST(five_dialects_agree)
{
    static const char seps[5] = {',', '\t', ';', '\t', ';'};
    static const char marks[5] = {'.', '.', '.', ',', ','};
    static char text[4096];
    int d;
    for (d = 0; d < 5; d++) {
        char name[64];
        io_result *out = d == 0 ? &ref : &res;
        snprintf(name, sizeof name, "Raw Data %d.csv", d);
        io_read_all(io_write(name, dialect(text, sizeof text, seps[d], marks[d], "Acceleration")),
                    BSTEP_FORMAT_AUTO, 4096, out);
        if (out->read_rc != 0)
            fprintf(stderr, "dialect %d: %s\n", d, out->err);
        BSTEP_ASSERT_OK(out->read_rc);
        BSTEP_ASSERT_EQ(out->format, BSTEP_FORMAT_PHYPHOX);
        BSTEP_ASSERT_EQ(out->n, 3);
        if (d > 0)
            BSTEP_ASSERT(io_same_samples(&ref, &res));
    }
    BSTEP_ASSERT_EQ(ref.s[0].t_us, 9365);
    BSTEP_ASSERT_EQ(ref.s[2].t_us, 29365);
    BSTEP_ASSERT_NEAR(ref.s[0].accel_mps2[0], 1.00317049, 1e-6);
    BSTEP_ASSERT_NEAR(ref.s[2].accel_mps2[1], -3.343418407, 1e-6);
    BSTEP_ASSERT_EQ(ref.q.has_gyro, 0);
    BSTEP_ASSERT_EQ(ref.q.gravity_removed, 0);
    BSTEP_ASSERT_EQ(ref.s[0].flags, 0);
}

BSTEP_TEST(linear_acceleration_is_flagged)
{
    static char text[4096];
    io_read_all(io_write("Linear Accelerometer.csv",
                         dialect(text, sizeof text, ',', '.', "Linear Acceleration")),
                BSTEP_FORMAT_PHYPHOX, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.q.gravity_removed, 1);
}

BSTEP_TEST(gyro_in_the_same_file)
{
    const char *p = io_write("both.csv", "\"Time (s)\",\"Acceleration x (m/s^2)\","
                                         "\"Acceleration y (m/s^2)\",\"Acceleration z (m/s^2)\","
                                         "\"Gyroscope x (rad/s)\",\"Gyroscope y (rad/s)\","
                                         "\"Gyroscope z (rad/s)\"\n"
                                         "0,1,2,3,1E0,-5E-1,0\n1E-2,1,2,3,0,0,0\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 1);
    BSTEP_ASSERT_NEAR(res.s[0].gyro_dps[0], R2D, 1e-4);
    BSTEP_ASSERT_NEAR(res.s[0].gyro_dps[1], -R2D / 2, 1e-4);
    BSTEP_ASSERT_EQ(res.s[0].flags, BSTEP_SAMPLE_HAS_GYRO);
}

static void add_file(zip_t *z, const char *entry, const char *text)
{
    zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
    if (s == NULL || zip_file_add(z, entry, s, ZIP_FL_OVERWRITE) < 0)
        abort();
}

BSTEP_TEST(zip_with_gyro_and_time)
{
    int zerr = 0;
    zip_t *z;
    static char acc[20000], gyr[20000];
    size_t ka = 0, kg = 0;
    int i;
    ka += (size_t)snprintf(acc + ka, sizeof acc - ka,
                           "\"Time (s)\";\"Acceleration x (m/s^2)\";\"Acceleration y (m/s^2)\";"
                           "\"Acceleration z (m/s^2)\"\n");
    kg += (size_t)snprintf(gyr + kg, sizeof gyr - kg,
                           "\"Time (s)\";\"Gyroscope x (rad/s)\";\"Gyroscope y (rad/s)\";"
                           "\"Gyroscope z (rad/s)\"\n");
    for (i = 0; i < 100; i++) {
        /* acceleration at i / 100 s, gyro 10 ms later; decimal commas */
        ka += (size_t)snprintf(acc + ka, sizeof acc - ka, "%d,%02d;1,5;0;9,8\n", i / 100, i % 100);
        kg += (size_t)snprintf(gyr + kg, sizeof gyr - kg, "%d,%02d;%d,0E-2;0;0\n", (i + 1) / 100,
                               (i + 1) % 100, i);
    }
    remove(io_path("ph.zip"));
    z = zip_open(io_path("ph.zip"), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    BSTEP_ASSERT(z != NULL);
    add_file(z, "Accelerometer.csv", acc);
    add_file(z, "Gyroscope.csv", gyr);
    add_file(z, "meta/device.csv", "\"property\",\"value\"\n\"deviceModel\",\"x\"\n");
    add_file(z, "meta/time.csv",
             "\"event\",\"experiment time\",\"system time\",\"system time text\"\n"
             "\"START\",0.000000000E0,1759650000.000,\"2025-10-05 10:20:00.000 UTC+02:00\"\n"
             "\"PAUSE\",5.000000000E-1,1759650000.500,\"2025-10-05 10:20:00.500 UTC+02:00\"\n"
             "\"START\",5.000000000E-1,1759650010.000,\"2025-10-05 10:20:10.000 UTC+02:00\"\n");
    BSTEP_ASSERT_EQ(zip_close(z), 0);
    io_read_all(io_path("ph.zip"), BSTEP_FORMAT_AUTO, 4096, &res);
    if (res.read_rc != 0)
        fprintf(stderr, "%s\n", res.err);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.format, BSTEP_FORMAT_PHYPHOX);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 1);
    /* gyro row j is at (j + 1) * 10 ms with x = j * 0.01 rad/s: acc row 0 (t = 0) has no gyro */
    BSTEP_ASSERT_EQ(res.n, 99);
    BSTEP_ASSERT_EQ(res.q.dropped_rows, 1);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 1759650000010000LL);
    BSTEP_ASSERT_NEAR(res.s[0].accel_mps2[0], 1.5, 1e-6);
    BSTEP_ASSERT_NEAR(res.s[0].accel_mps2[2], 9.8, 1e-6);
    BSTEP_ASSERT_NEAR(res.s[0].gyro_dps[0], 0.0, 1e-6);
    BSTEP_ASSERT_NEAR(res.s[5].gyro_dps[0], 0.05 * R2D, 1e-4);
    /* after the pause (experiment time 0.5 s) the clock jumps to the second START */
    BSTEP_ASSERT_EQ(res.s[48].t_us, 1759650000490000LL);
    BSTEP_ASSERT_EQ(res.s[49].t_us, 1759650010000000LL);
    BSTEP_ASSERT(res.s[49].flags & BSTEP_SAMPLE_GAP_BEFORE);
    BSTEP_ASSERT_EQ(res.q.gaps, 1);
    io_read_all(io_path("ph.zip"), BSTEP_FORMAT_PHYPHOX, 1, &ref);
    BSTEP_ASSERT(io_same_samples(&res, &ref));
    BSTEP_ASSERT(memcmp(&res.q, &ref.q, sizeof res.q) == 0);
}

BSTEP_TEST(bad_headers_and_values)
{
    io_read_all(io_write("p1.csv", "\"Time (s)\",\"Acceleration x (furlong)\",\"Acceleration y "
                                   "(m/s^2)\",\"Acceleration z (m/s^2)\"\n"),
                BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.open_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err,
                              "p1.csv:1:2: column 'Acceleration x': unknown unit 'furlong'");
    io_read_all(io_write("p2.csv", "\"Time (s)\",\"Acceleration x (m/s^2)\",\"Acceleration y "
                                   "(m/s^2)\",\"Acceleration z (m/s^2)\"\n0,1,2,3\n1E-2,1,2,3,4\n"),
                BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "p2.csv:3: 5 fields, the header has 4");
    io_read_all(io_write("p3.csv", "\"Time (s)\",\"Acceleration x (m/s^2)\",\"Acceleration y "
                                   "(m/s^2)\",\"Acceleration z (m/s^2)\"\n0,1,2,3\n1,5E-2,1,2\n"),
                BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    io_read_all(io_write("p4.csv",
                         "\"Time (s)\";\"Acceleration x (m/s^2)\";\"Acceleration y "
                         "(m/s^2)\";\"Acceleration z (m/s^2)\"\n0;1;2;3\n1,5;1.2.3;1;2\n"),
                BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err,
                              "p4.csv:3:2: field 'Acceleration x (m/s^2)': not a number: '1.2.3'");
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(five_dialects_agree),
                BSTEP_TEST_ENTRY(linear_acceleration_is_flagged),
                BSTEP_TEST_ENTRY(gyro_in_the_same_file), BSTEP_TEST_ENTRY(zip_with_gyro_and_time),
                BSTEP_TEST_ENTRY(bad_headers_and_values))
