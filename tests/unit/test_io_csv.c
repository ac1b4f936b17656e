/* Canonical CSV reader: units, time conversion, column mapping, quality report, errors, stdin. */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "test_io_util.h"

static io_result res, res2;

#define G   9.80665
#define R2D 57.29577951308232

BSTEP_TEST(units_are_converted)
{
    const char *p =
        io_write("units.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),gyr_x (rad/s),gyr_y (rad/s),"
                              "gyr_z (rad/s)\n"
                              "0.00,1,0.5,-1,1,-0.5,0\n"
                              "0.01,0,0,2.5e-1,0,0,3.14159265358979\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.format, BSTEP_FORMAT_CSV);
    BSTEP_ASSERT_EQ(res.n, 2);
    BSTEP_ASSERT_NEAR(res.s[0].accel_mps2[0], G, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[0].accel_mps2[1], G / 2, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[0].accel_mps2[2], -G, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[0].gyro_dps[0], R2D, 1e-4);
    BSTEP_ASSERT_NEAR(res.s[0].gyro_dps[1], -R2D / 2, 1e-4);
    BSTEP_ASSERT_NEAR(res.s[1].accel_mps2[2], G / 4, 1e-5);
    BSTEP_ASSERT_NEAR(res.s[1].gyro_dps[2], 180.0, 1e-3);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 0);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 10000);
    BSTEP_ASSERT_EQ(res.s[0].flags, BSTEP_SAMPLE_HAS_GYRO);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 1);
    BSTEP_ASSERT_EQ(res.q.samples, 2);
    BSTEP_ASSERT_NEAR(res.q.sample_rate_hz, 100.0, 1e-9);
}

BSTEP_TEST(columns_by_name_bom_crlf_extras)
{
    const char *p =
        io_write("order.csv", "\xEF\xBB\xBFgyr_z (deg/s),hr (bpm),acc_z (m/s^2),time (ms),"
                              "acc_y (m/s^2),mag_x (uT),gyr_y (deg/s),acc_x (m/s^2),gyr_x (deg/s),"
                              "speed (m/s),incline (%)\r\n"
                              "3,,9.5,1000,2,40,6,1,5,,\r\n"
                              "30,120,19.5,1005,20,40,60,10,50,1.2,3\r\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 2);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 1000000);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 1005000);
    BSTEP_ASSERT(res.s[0].accel_mps2[0] == 1.0f && res.s[0].accel_mps2[1] == 2.0f &&
                 res.s[0].accel_mps2[2] == 9.5f);
    BSTEP_ASSERT(res.s[0].gyro_dps[0] == 5.0f && res.s[0].gyro_dps[1] == 6.0f &&
                 res.s[0].gyro_dps[2] == 3.0f);
    BSTEP_ASSERT(res.s[1].gyro_dps[2] == 30.0f);
}

BSTEP_TEST(time_units_and_exact_epochs)
{
    const char *p;
    p = io_write("epoch.csv", "time (s),acc_x (g),acc_y (g),acc_z (g)\n"
                              "1607605064.733,0,0,1\n1607605064.743,0,0,1\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 1607605064733000LL);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 1607605064743000LL);
    BSTEP_ASSERT_EQ(res.q.first_t_us, 1607605064733000LL);
    BSTEP_ASSERT_EQ(res.q.last_t_us, 1607605064743000LL);
    p = io_write("boot.csv", "time (s),acc_x (g),acc_y (g),acc_z (g)\n"
                             "1012.461540465,0,0,1\n1012.471540465,0,0,1\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 1012461540LL);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 1012471540LL);
    p = io_write("us.csv", "time (us),acc_x (g),acc_y (g),acc_z (g)\n5,0,0,1\n1005,0,0,1\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 1005);
    p = io_write("ns.csv", "time (ns),acc_x (g),acc_y (g),acc_z (g)\n"
                           "1698501144401773000,0,0,1\n1698501144411773600,0,0,1\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.s[0].t_us, 1698501144401773LL);
    BSTEP_ASSERT_EQ(res.s[1].t_us, 1698501144411774LL);
}

BSTEP_TEST(extreme_times)
{
    const char *p = io_write("extreme.csv", "time (us),acc_x (g),acc_y (g),acc_z (g)\n"
                                            "-9223372036854775807,0,0,1\n"
                                            "9223372036854775807,0,0,1\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 2);
    BSTEP_ASSERT_EQ(res.s[1].t_us, INT64_MAX);
    BSTEP_ASSERT_GE(res.q.sample_rate_hz, 0.0);
}

BSTEP_TEST(accelerometer_only)
{
    const char *p = io_write("acconly.csv", "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2)\n"
                                            "0.0,1,2,3\n0.01,4,5,6\n0.02,7,8,9");
    io_read_all(p, BSTEP_FORMAT_CSV, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 3);
    BSTEP_ASSERT_EQ(res.q.has_gyro, 0);
    BSTEP_ASSERT_EQ(res.s[2].flags & BSTEP_SAMPLE_HAS_GYRO, 0);
    BSTEP_ASSERT(res.s[2].accel_mps2[2] == 9.0f && res.s[2].gyro_dps[0] == 0.0f);
}

/* 100 Hz rows with one 50 ms hole, a duplicate, a backward row and a NaN. */
BSTEP_TEST(gaps_duplicates_backward_nonfinite)
{
    char text[8192];
    size_t k = 0;
    int i;
    const char *p;
    k += (size_t)snprintf(text + k, sizeof text - k, "time (s),acc_x (g),acc_y (g),acc_z (g)\n");
    for (i = 0; i < 100; i++) {
        int ms = i < 50 ? i * 10 : i * 10 + 40; /* rows 50.. come 50 ms after row 49 */
        k += (size_t)snprintf(text + k, sizeof text - k, "%d.%03d,0,0,1\n", ms / 1000, ms % 1000);
        if (i == 20)
            k += (size_t)snprintf(text + k, sizeof text - k, "0.200,0,0,1\n"); /* duplicate */
        if (i == 30)
            k += (size_t)snprintf(text + k, sizeof text - k, "0.250,0,0,1\n"); /* backward */
        if (i == 40)
            k += (size_t)snprintf(text + k, sizeof text - k, "0.405,nan,0,1\n"); /* NaN */
    }
    p = io_write("gaps.csv", text);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 100);
    BSTEP_ASSERT_EQ(res.q.samples, 100);
    BSTEP_ASSERT_EQ(res.q.duplicate_timestamps, 1);
    BSTEP_ASSERT_EQ(res.q.backward_timestamps, 1);
    BSTEP_ASSERT_EQ(res.q.nonfinite_values, 1);
    BSTEP_ASSERT_EQ(res.q.dropped_rows, 3);
    BSTEP_ASSERT_EQ(res.q.gaps, 1);
    BSTEP_ASSERT_NEAR(res.q.longest_gap_s, 0.05, 1e-9);
    BSTEP_ASSERT_NEAR(res.q.sample_rate_hz, 100.0, 1e-9);
    BSTEP_ASSERT(res.s[50].flags & BSTEP_SAMPLE_GAP_BEFORE);
    BSTEP_ASSERT_EQ(res.s[49].flags & BSTEP_SAMPLE_GAP_BEFORE, 0);
    BSTEP_ASSERT_EQ(res.s[50].t_us, 540000);
    for (i = 1; i < 100; i++)
        BSTEP_ASSERT(res.s[i].t_us > res.s[i - 1].t_us);
}

BSTEP_TEST(clipping_rule)
{
    const char *p = io_write("clip.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),gyr_x (deg/s),"
                                         "gyr_y (deg/s),gyr_z (deg/s)\n"
                                         "0.00,0,0,1,0,0,0\n"
                                         "0.01,16,0,1,0,0,0\n" /* single: not clipped */
                                         "0.02,0,0,1,0,0,0\n"
                                         "0.03,0,-8.0001,1,0,0,0\n" /* held at -8 g */
                                         "0.04,0,-8.0,1,0,0,0\n"
                                         "0.05,0,0,1,0,2000,0\n" /* pair at 2000 deg/s */
                                         "0.06,0,0,1,0,1999.9,0\n"
                                         "0.07,0,0,1,0,-2000,0\n" /* sign change: no */
                                         "0.08,0,0,1,0,0,0\n"
                                         "0.09,0,0,1,249.9,0,0\n" /* sweeping: no */
                                         "0.10,0,0,1,250.1,0,0\n");
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.q.clipped_samples, 4);
    BSTEP_ASSERT_EQ(res.s[1].flags & BSTEP_SAMPLE_CLIPPED, 0);
    BSTEP_ASSERT(res.s[3].flags & BSTEP_SAMPLE_CLIPPED);
    BSTEP_ASSERT(res.s[4].flags & BSTEP_SAMPLE_CLIPPED);
    BSTEP_ASSERT(res.s[5].flags & BSTEP_SAMPLE_CLIPPED);
    BSTEP_ASSERT(res.s[6].flags & BSTEP_SAMPLE_CLIPPED);
    BSTEP_ASSERT_EQ(res.s[7].flags & BSTEP_SAMPLE_CLIPPED, 0);
    BSTEP_ASSERT_EQ(res.s[10].flags & BSTEP_SAMPLE_CLIPPED, 0);
}

BSTEP_TEST(split_reads_are_identical)
{
    static char text[200000];
    size_t k = 0;
    int i;
    const char *p;
    k += (size_t)snprintf(text + k, sizeof text - k,
                          "time (s),acc_x (g),acc_y (g),acc_z (g),gyr_x (deg/s),gyr_y (deg/s),"
                          "gyr_z (deg/s)\n");
    for (i = 0; i < 3000; i++) {
        int us = i * 5000 + (i % 7) * 13 + (i == 1500 ? 40000 : 0) + (i > 1500 ? 40000 : 0);
        k += (size_t)snprintf(text + k, sizeof text - k, "%d.%06d,%d.%03d,-0.%03d,1,%d,%d.5,%s\n",
                              us / 1000000, us % 1000000, i % 3, i % 1000, (i * 7) % 1000, i % 50,
                              -i % 90, i == 2000 ? "nan" : "0.25");
        if (i % 500 == 0)
            k += (size_t)snprintf(text + k, sizeof text - k, "%d.%06d,0,0,1,0,0,0\n", us / 1000000,
                                  us % 1000000);
    }
    p = io_write("split.csv", text);
    io_read_all(p, BSTEP_FORMAT_AUTO, 1, &res);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res2);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 3000); /* the row after the NaN one is no longer a duplicate */
    BSTEP_ASSERT(io_same_samples(&res, &res2));
    BSTEP_ASSERT(memcmp(&res.q, &res2.q, sizeof res.q) == 0);
    BSTEP_ASSERT_EQ(res.q.duplicate_timestamps, 5);
    BSTEP_ASSERT_EQ(res.q.gaps, 1);
    io_read_all(p, BSTEP_FORMAT_AUTO, 7, &res2);
    BSTEP_ASSERT(io_same_samples(&res, &res2));
}

BSTEP_TEST(error_names_file_line_column_field)
{
    char text[4096];
    size_t k = 0;
    int i;
    const char *p;
    k += (size_t)snprintf(text + k, sizeof text - k,
                          "time (s),acc_x (g),acc_y (g),acc_z (g),gyr_x (deg/s),gyr_y (deg/s),"
                          "gyr_z (deg/s)\n");
    for (i = 0; i < 15; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "0.%02d,0,0,1,0,0,0\n", i);
    k += (size_t)snprintf(text + k, sizeof text - k, "0.15,0,0.1x,1,0,0,0\n");
    p = io_write("walk.csv", text);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "walk.csv:17:3: field 'acc_y (g)': not a number: '0.1x'");
}

BSTEP_TEST(bad_headers)
{
    io_read_all(io_write("unit.csv", "time (s),acc_x (furlong),acc_y (g),acc_z (g)\n0,0,0,1\n"),
                BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.open_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "unit.csv:1:2: column 'acc_x (furlong)': unknown unit");
    io_read_all(io_write("noacc.csv", "time (s),acc_x (g),acc_y (g)\n0,0,0\n"), BSTEP_FORMAT_CSV,
                4096, &res);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "no 'acc_z' column");
    io_read_all(io_write("empty.csv", ""), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.open_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "empty");
    io_read_all(io_write("empty2.csv", ""), BSTEP_FORMAT_CSV, 4096, &res);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "empty file");
    io_read_all(io_write("gyr2.csv", "time (s),acc_x (g),acc_y (g),acc_z (g),gyr_x (deg/s)\n"),
                BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "1 of the 3");
    io_read_all(io_path("does-not-exist.csv"), BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.open_rc, BSTEP_EIO);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "does-not-exist.csv");
}

BSTEP_TEST(fit_and_tcx_are_recognised_as_activity_files)
{
    static const unsigned char fit[16] = {14, 0x10, 0x48, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T'};
    bstep_format f;
    const char *p = io_write_len("a.fit", fit, sizeof fit);
    BSTEP_ASSERT_OK(bstep_format_detect(p, &f, NULL, 0));
    BSTEP_ASSERT_EQ(f, BSTEP_FORMAT_FIT);
    io_read_all(p, BSTEP_FORMAT_AUTO, 4096, &res);
    BSTEP_ASSERT_EQ(res.open_rc, BSTEP_EUNSUPPORTED);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "a fit file is an activity file");
    p = io_write("a.tcx", "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns=\"x\">\n");
    BSTEP_ASSERT_OK(bstep_format_detect(p, &f, NULL, 0));
    BSTEP_ASSERT_EQ(f, BSTEP_FORMAT_TCX);
    p = io_write("a.ftms", "# backstep ftms log 1\n1700000000.0 2a37 00 96\n");
    BSTEP_ASSERT_OK(bstep_format_detect(p, &f, NULL, 0));
    BSTEP_ASSERT_EQ(f, BSTEP_FORMAT_FTMS);
    p = io_write("b.csv", "time (s),acc_x (g),acc_y (g),acc_z (g)\n");
    BSTEP_ASSERT_OK(bstep_format_detect(p, &f, NULL, 0));
    BSTEP_ASSERT_EQ(f, BSTEP_FORMAT_CSV);
    BSTEP_ASSERT_EQ(bstep_format_detect(io_write("c.bin", "\x01\x02garbage"), &f, NULL, 0),
                    BSTEP_EFORMAT);
}

BSTEP_TEST(format_names)
{
    bstep_format f;
    int i;
    for (i = 0; i <= (int)BSTEP_FORMAT_FTMS; i++) {
        BSTEP_ASSERT_OK(bstep_format_parse(bstep_format_name((bstep_format)i), &f));
        BSTEP_ASSERT_EQ(f, i);
    }
    BSTEP_ASSERT_EQ(bstep_format_parse("xls", &f), BSTEP_EINVAL);
    BSTEP_ASSERT(strcmp(bstep_format_name(BSTEP_FORMAT_SENSORLOGGER), "sensorlogger") == 0);
    BSTEP_ASSERT(strcmp(bstep_reader_errmsg(NULL), "") == 0);
    bstep_reader_close(NULL);
}

/* Run fn with standard input connected to a pipe fed by a child running writer(). */
static pid_t stdin_from_child(void (*writer)(int fd), int *saved)
{
    int fds[2];
    pid_t pid;
    if (pipe(fds) != 0)
        abort();
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_DFL);
        writer(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    *saved = dup(0);
    dup2(fds[0], 0);
    close(fds[0]);
    return pid;
}

static void restore_stdin(int saved)
{
    dup2(saved, 0);
    close(saved);
}

static void write_small(int fd)
{
    const char *t = "time (s),acc_x (g),acc_y (g),acc_z (g)\n0,0,0,1\n0.01,0,0,1\n";
    if (write(fd, t, strlen(t)) < 0)
        _exit(1);
}

/* An endless line (up to 10 GB): the reader must stop at the line cap. */
static void write_endless(int fd)
{
    static char chunk[65536];
    const char *h = "time (s),acc_x (g),acc_y (g),acc_z (g)\n0,0,0,1\n0.01,";
    long long total = 0;
    memset(chunk, '1', sizeof chunk);
    if (write(fd, h, strlen(h)) < 0)
        _exit(1);
    while (total < 10LL * 1024 * 1024 * 1024) {
        ssize_t w = write(fd, chunk, sizeof chunk);
        if (w <= 0)
            _exit(0);
        total += w;
    }
    _exit(2);
}

BSTEP_TEST(stdin_and_endless_line)
{
    int saved, status = 0;
    pid_t pid = stdin_from_child(write_small, &saved);
    time_t t0;
    io_read_all("-", BSTEP_FORMAT_AUTO, 4096, &res);
    restore_stdin(saved);
    waitpid(pid, &status, 0);
    BSTEP_ASSERT_OK(res.read_rc);
    BSTEP_ASSERT_EQ(res.n, 2);

    t0 = time(NULL);
    pid = stdin_from_child(write_endless, &saved);
    io_read_all("-", BSTEP_FORMAT_AUTO, 4096, &res);
    restore_stdin(saved); /* closes the pipe: the writer gets EPIPE/SIGPIPE */
    waitpid(pid, &status, 0);
    BSTEP_ASSERT_EQ(res.read_rc, BSTEP_EFORMAT);
    BSTEP_ASSERT_STR_CONTAINS(res.err, "<stdin>:3: line too long");
    BSTEP_ASSERT(!(WIFEXITED(status) && WEXITSTATUS(status) == 2)); /* did not drain 10 GB */
    BSTEP_ASSERT_LE(difftime(time(NULL), t0), 10.0);
}

/* The reader's progress: 0..1 of the file's bytes, growing, 1 at the end; -1 without a size. */
BSTEP_TEST(progress_of_a_file)
{
    static char text[400000];
    static bstep_imu_sample buf[256];
    size_t k = 0, n;
    int i;
    double last = 0.0, first;
    bstep_reader *r = NULL;
    char err[256];
    const char *p;
    k += (size_t)snprintf(text + k, sizeof text - k, "time (s),acc_x (g),acc_y (g),acc_z (g)\n");
    for (i = 0; i < 12000; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%d.%02d,0.01,0.02,1\n", i / 100, i % 100);
    p = io_write("progress.csv", text);
    BSTEP_ASSERT_OK(bstep_reader_open(&r, p, BSTEP_FORMAT_AUTO, err, sizeof err));
    first = bstep_reader_progress(r);
    BSTEP_ASSERT(first >= 0.0 && first < 1.0); /* a 300 KB file is more than one read */
    for (;;) {
        double f;
        BSTEP_ASSERT_OK(bstep_reader_read(r, buf, 256, &n));
        f = bstep_reader_progress(r);
        BSTEP_ASSERT(f >= last && f <= 1.0);
        last = f;
        if (n == 0)
            break;
    }
    BSTEP_ASSERT(last == 1.0);
    bstep_reader_close(r);
    BSTEP_ASSERT(bstep_reader_progress(NULL) == -1.0);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(units_are_converted), BSTEP_TEST_ENTRY(progress_of_a_file),
                BSTEP_TEST_ENTRY(columns_by_name_bom_crlf_extras),
                BSTEP_TEST_ENTRY(time_units_and_exact_epochs), BSTEP_TEST_ENTRY(extreme_times),
                BSTEP_TEST_ENTRY(accelerometer_only),
                BSTEP_TEST_ENTRY(gaps_duplicates_backward_nonfinite),
                BSTEP_TEST_ENTRY(clipping_rule), BSTEP_TEST_ENTRY(split_reads_are_identical),
                BSTEP_TEST_ENTRY(error_names_file_line_column_field), BSTEP_TEST_ENTRY(bad_headers),
                BSTEP_TEST_ENTRY(fit_and_tcx_are_recognised_as_activity_files),
                BSTEP_TEST_ENTRY(format_names), BSTEP_TEST_ENTRY(stdin_and_endless_line))
