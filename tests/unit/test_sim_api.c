/*
 * Simulator API tests: determinism (same seed, same bytes), split generation, two instances,
 * settings validation, sensor effects (clipping, packet loss, jitter, noise), the scenario parser
 * and the writers (CSV, Xsens, Sensor Logger, truth JSON read back by the project's readers).
 * Files are written only into $BSTEP_TEST_TMP.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/io.h"
#include "backstep/sim.h"
#include "backstep/writers.h"
#include "harness.h"
#include "io/truth.h"

static const char *const SCEN = "stand 2s\nwalk forward 6 strides speed=1.2\nturn 180\n"
                                "walk backward 10s speed=0.7 heel-faults=1 stumbles=1\n"
                                "fall backward 2s\n";

static bstep_sim g1, g2;

static void tmp_path(char *buf, size_t n, const char *name)
{
    const char *d = getenv("BSTEP_TEST_TMP");
    snprintf(buf, n, "%s/%s", d ? d : ".", name);
}

static bstep_sim_scenario parse(const char *text)
{
    bstep_sim_scenario sc;
    char err[128];
    BSTEP_ASSERT_OK(bstep_sim_scenario_parse(text, &sc, err, sizeof(err)));
    return sc;
}

static size_t generate_all(bstep_sim *g, bstep_imu_sample *buf, size_t cap)
{
    size_t n = 0;
    bstep_sim_event e;
    while (n < cap && bstep_sim_next(g, &buf[n])) {
        n++;
        while (bstep_sim_pop_event(g, &e)) {
        }
    }
    return n;
}

BSTEP_TEST(same_seed_same_samples_different_seed_differs)
{
    bstep_sim_scenario sc = parse(SCEN);
    bstep_sim_settings c = bstep_sim_default_settings;
    static bstep_imu_sample a[8000], b[8000];
    size_t na, nb;
    c.noise.accel_noise_mps2 = 0.05;
    c.noise.gyro_noise_dps = 0.3;
    c.noise.jitter_pct = 5;
    c.noise.packet_loss_pct = 1;
    c.noise.packet_loss_max_burst = 3;
    c.seed = 42;
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    na = generate_all(&g1, a, 8000);
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    nb = generate_all(&g1, b, 8000);
    BSTEP_ASSERT_EQ(na, nb);
    BSTEP_ASSERT(memcmp(a, b, na * sizeof(a[0])) == 0);
    c.seed = 43;
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    nb = generate_all(&g1, b, 8000);
    BSTEP_ASSERT(na != nb || memcmp(a, b, na * sizeof(a[0])) != 0);
}

/* Writes a CSV + truth pair and returns the CSV bytes (malloc'd). */
static char *write_pair(const char *name, uint64_t seed, size_t *len)
{
    bstep_sim_scenario sc = parse(SCEN);
    bstep_sim_settings c = bstep_sim_default_settings;
    bstep_rec_writer *w;
    bstep_rec_writer_options o;
    bstep_imu_sample s;
    static bstep_sim_event ev[1024];
    size_t n_ev = 0;
    bstep_truth_info ti;
    char path[1024], tpath[1100], err[256];
    FILE *f;
    char *data;
    long sz;
    c.seed = seed;
    c.noise.accel_noise_mps2 = 0.05;
    tmp_path(path, sizeof(path), name);
    snprintf(tpath, sizeof(tpath), "%s.truth.json", path);
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    memset(&o, 0, sizeof(o));
    o.format = BSTEP_FORMAT_CSV;
    o.decimals = 5;
    o.sample_rate_hz = 100;
    BSTEP_ASSERT_OK(bstep_rec_writer_open(&w, path, &o, err, sizeof(err)));
    while (bstep_sim_next(&g1, &s)) {
        BSTEP_ASSERT_OK(bstep_rec_writer_write(w, &s, 1));
        while (n_ev < 1024 && bstep_sim_pop_event(&g1, &ev[n_ev]))
            n_ev++;
    }
    while (n_ev < 1024 && bstep_sim_pop_event(&g1, &ev[n_ev]))
        n_ev++;
    BSTEP_ASSERT_OK(bstep_rec_writer_close(w));
    memset(&ti, 0, sizeof(ti));
    ti.recording = name;
    ti.placement = "foot-right";
    ti.sample_rate_hz = 100;
    ti.seed = seed;
    ti.height_m = 1.75;
    ti.mass_kg = 75;
    ti.scenario_text = SCEN;
    ti.site = "foot";
    ti.foot_only = 1;
    ti.sensor_foot = BSTEP_FOOT_RIGHT;
    BSTEP_ASSERT_OK(bstep_truth_write(tpath, &ti, ev, n_ev, err, sizeof(err)));
    f = fopen(path, "rb");
    BSTEP_ASSERT(f != NULL);
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)sz + 1);
    BSTEP_ASSERT(data != NULL);
    BSTEP_ASSERT_EQ(fread(data, 1, (size_t)sz, f), sz);
    fclose(f);
    *len = (size_t)sz;
    return data;
}

BSTEP_TEST(same_seed_byte_identical_csv)
{
    size_t la, lb, lc;
    char *a = write_pair("sim_det_a.csv", 7, &la);
    char *b = write_pair("sim_det_b.csv", 7, &lb);
    char *c = write_pair("sim_det_c.csv", 8, &lc);
    BSTEP_ASSERT_EQ(la, lb);
    BSTEP_ASSERT(memcmp(a, b, la) == 0);
    BSTEP_ASSERT(la != lc || memcmp(a, c, la) != 0);
    {
        static const char hdr[] = "time (s),acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2),"
                                  "gyr_x (deg/s),gyr_y (deg/s),gyr_z (deg/s)\n";
        BSTEP_ASSERT(strncmp(a, hdr, sizeof(hdr) - 1) == 0);
    }
    free(a);
    free(b);
    free(c);
}

BSTEP_TEST(split_generation_and_two_instances_match)
{
    bstep_sim_scenario sc = parse(SCEN);
    bstep_sim_settings c = bstep_sim_default_settings;
    static bstep_imu_sample one[8000], blk[8000], x1[8000], x2[8000];
    static bstep_sim_event e1[512], e2[512];
    size_t n1 = 0, n2 = 0, k1 = 0, k2 = 0, i, got;
    c.noise.accel_noise_mps2 = 0.02;
    c.noise.packet_loss_pct = 0.5;
    c.noise.packet_loss_max_burst = 2;
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    while (bstep_sim_next(&g1, &one[n1])) {
        n1++;
        while (k1 < 512 && bstep_sim_pop_event(&g1, &e1[k1]))
            k1++;
    }
    while (k1 < 512 && bstep_sim_pop_event(&g1, &e1[k1]))
        k1++;
    BSTEP_ASSERT_OK(bstep_sim_init(&g2, &c, &sc));
    while ((got = bstep_sim_next_block(&g2, &blk[n2], 37)) > 0) {
        n2 += got;
        while (k2 < 512 && bstep_sim_pop_event(&g2, &e2[k2]))
            k2++;
    }
    while (k2 < 512 && bstep_sim_pop_event(&g2, &e2[k2]))
        k2++;
    BSTEP_ASSERT_EQ(n1, n2);
    BSTEP_ASSERT(memcmp(one, blk, n1 * sizeof(one[0])) == 0);
    BSTEP_ASSERT_EQ(k1, k2);
    BSTEP_ASSERT(memcmp(e1, e2, k1 * sizeof(e1[0])) == 0);
    BSTEP_ASSERT_EQ(bstep_sim_events_lost(&g2), 0);
    /* two instances fed alternately equal separate runs (no hidden globals) */
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    c.seed = 99;
    BSTEP_ASSERT_OK(bstep_sim_init(&g2, &c, &sc));
    for (i = 0; i < n1; i++) {
        BSTEP_ASSERT(bstep_sim_next(&g1, &x1[i]));
        if (bstep_sim_next(&g2, &x2[i]) == 0)
            x2[i].t_us = -1;
    }
    BSTEP_ASSERT(memcmp(one, x1, n1 * sizeof(one[0])) == 0);
}

BSTEP_TEST(invalid_settings_are_rejected)
{
    bstep_sim_scenario sc = parse("walk forward 10s\n"), bad;
    bstep_sim_settings c = bstep_sim_default_settings, x;
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    BSTEP_ASSERT_EQ(bstep_sim_init(NULL, &c, &sc), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, NULL, &sc), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &c, NULL), BSTEP_EINVAL);
    x = c;
    x.height_m = 0.5;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    x = c;
    x.sample_rate_hz = 0;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    x = c;
    x.sample_rate_hz = (double)NAN;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    x = c;
    x.mounting[0][0] = 2.0; /* not a rotation */
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    x = c;
    x.mounting[2][2] = -1.0; /* a reflection */
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    x = c;
    x.noise.accel_noise_mps2 = -1;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    x = c;
    x.noise.packet_loss_max_burst = 0;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    x = c;
    x.side = BSTEP_FOOT_UNKNOWN;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &x, &sc), BSTEP_EINVAL);
    bad = sc;
    bad.n = 0;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &c, &bad), BSTEP_EINVAL);
    bad = sc;
    bad.seg[0].speed_mps = 0;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &c, &bad), BSTEP_EINVAL);
    bad = sc;
    bad.seg[0].direction = BSTEP_DIRECTION_UNKNOWN;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &c, &bad), BSTEP_EINVAL);
    bad = sc;
    bad.seg[0].kind = BSTEP_SIM_TURN;
    bad.seg[0].turn_deg = 0;
    BSTEP_ASSERT_EQ(bstep_sim_init(&g1, &c, &bad), BSTEP_EINVAL);
}

BSTEP_TEST(clipping_limits_and_flags)
{
    bstep_sim_scenario sc = parse("stand 1s\njog forward 10s speed=3\n");
    bstep_sim_settings c = bstep_sim_default_settings;
    bstep_imu_sample s;
    int flagged = 0, k;
    c.noise.accel_range_mps2 = 4 * 9.80665;
    c.noise.gyro_range_dps = 300;
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    while (bstep_sim_next(&g1, &s)) {
        int at_limit = 0;
        for (k = 0; k < 3; k++) {
            BSTEP_ASSERT_LE(fabs((double)s.accel_mps2[k]), 4 * 9.80665 + 1e-3);
            BSTEP_ASSERT_LE(fabs((double)s.gyro_dps[k]), 300 + 1e-3);
            if (fabs((double)s.gyro_dps[k]) >= 300 - 1e-3 ||
                fabs((double)s.accel_mps2[k]) >= 4 * 9.80665 - 1e-3)
                at_limit = 1;
        }
        BSTEP_ASSERT_EQ(at_limit, (s.flags & BSTEP_SAMPLE_CLIPPED) != 0);
        flagged += at_limit;
    }
    BSTEP_ASSERT_GE(flagged, 50);
}

BSTEP_TEST(packet_loss_matches_truth_and_gap_flags)
{
    bstep_sim_scenario sc = parse("stand 2s\nwalk backward 40s speed=0.7\n");
    bstep_sim_settings c = bstep_sim_default_settings;
    bstep_imu_sample s;
    bstep_sim_event e;
    int64_t prev = -1;
    long missing = 0, told = 0, gaps = 0, flags = 0;
    c.noise.packet_loss_pct = 2;
    c.noise.packet_loss_max_burst = 5;
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    for (;;) {
        const int more = bstep_sim_next(&g1, &s);
        while (bstep_sim_pop_event(&g1, &e))
            if (e.type == BSTEP_SIM_EV_DROPPED)
                told += e.count;
        if (!more)
            break;
        if (prev >= 0) {
            const long k = (long)((s.t_us - prev + 5000) / 10000) - 1;
            if (k > 0) {
                missing += k;
                gaps++;
                BSTEP_ASSERT(s.flags & BSTEP_SAMPLE_GAP_BEFORE);
            } else {
                BSTEP_ASSERT((s.flags & BSTEP_SAMPLE_GAP_BEFORE) == 0);
            }
        }
        if (s.flags & BSTEP_SAMPLE_GAP_BEFORE)
            flags++;
        prev = s.t_us;
    }
    BSTEP_ASSERT_GE(gaps, 20);
    BSTEP_ASSERT_EQ(flags, gaps);
    /* a burst still running at the end is told but not followed by a sample */
    BSTEP_ASSERT_LE(missing, told);
    BSTEP_ASSERT_GE(missing, told - 5);
}

BSTEP_TEST(jitter_and_noise_statistics)
{
    bstep_sim_scenario sc = parse("stand 60s\n");
    bstep_sim_settings c = bstep_sim_default_settings;
    bstep_imu_sample s;
    int64_t prev = -1;
    double sd = 0, sz = 0, szz = 0, n = 0, ni = 0;
    c.noise.jitter_pct = 10;
    c.noise.accel_noise_mps2 = 0.05;
    BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
    while (bstep_sim_next(&g1, &s)) {
        if (prev >= 0) {
            const double d = (double)(s.t_us - prev) - 10000.0;
            BSTEP_ASSERT_GE(s.t_us, prev + 1);
            sd += d * d;
            ni++;
        }
        prev = s.t_us;
        sz += (double)s.accel_mps2[2];
        szz += (double)s.accel_mps2[2] * (double)s.accel_mps2[2];
        n++;
    }
    /* interval = difference of two independent jitters: SD = sqrt(2) x 10 % of 10 ms */
    BSTEP_ASSERT_NEAR(sqrt(sd / ni), 1414.0, 120.0);
    BSTEP_ASSERT_NEAR(sqrt(szz / n - (sz / n) * (sz / n)), 0.05, 0.005);
    BSTEP_ASSERT_NEAR(sz / n, 9.80665, 0.005);
}

BSTEP_TEST(scenario_parser)
{
    bstep_sim_scenario sc;
    char err[128];
    BSTEP_ASSERT_OK(bstep_sim_scenario_parse(
        "# warm-up\nstand 20s\nwalk forward 10 steps speed=1.3 # comment\nturn -90\n"
        "walk backward 1.5min speed=0.7 strike=toe angle=-12 heel-faults=3 lean=4\nstumble\n"
        "look-back\nwalk left 12 strides\njog backward 20s speed=1.8\nfall forward 3s\n",
        &sc, err, sizeof(err)));
    BSTEP_ASSERT_EQ(sc.n, 7);
    BSTEP_ASSERT_EQ(sc.seg[0].kind, BSTEP_SIM_STAND);
    BSTEP_ASSERT_NEAR(sc.seg[0].duration_s, 20, 1e-12);
    BSTEP_ASSERT_EQ(sc.seg[1].steps, 10);
    BSTEP_ASSERT_NEAR(sc.seg[1].speed_mps, 1.3, 1e-12);
    BSTEP_ASSERT_NEAR(sc.seg[2].turn_deg, -90, 1e-12);
    BSTEP_ASSERT_EQ(sc.seg[3].direction, BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT_NEAR(sc.seg[3].duration_s, 90, 1e-12);
    BSTEP_ASSERT_EQ(sc.seg[3].strike, BSTEP_STRIKE_TOE);
    BSTEP_ASSERT_NEAR(sc.seg[3].strike_angle_deg, -12, 1e-12);
    BSTEP_ASSERT_EQ(sc.seg[3].heel_faults, 3);
    BSTEP_ASSERT_EQ(sc.seg[3].stumbles, 1);
    BSTEP_ASSERT_EQ(sc.seg[3].look_backs, 1);
    BSTEP_ASSERT_EQ(sc.seg[4].direction, BSTEP_DIRECTION_SIDEWAYS_LEFT);
    BSTEP_ASSERT_EQ(sc.seg[4].steps, 24);
    BSTEP_ASSERT_EQ(sc.seg[5].kind, BSTEP_SIM_JOG);
    BSTEP_ASSERT_EQ(sc.seg[6].direction, BSTEP_DIRECTION_FORWARD);
    BSTEP_ASSERT_EQ(bstep_sim_scenario_parse("stand 5s\nhop 3s\n", &sc, err, sizeof(err)),
                    BSTEP_EINVAL);
    BSTEP_ASSERT_STR_CONTAINS(err, "line 2");
    BSTEP_ASSERT_EQ(
        bstep_sim_scenario_parse("walk forward 10s speed=fast\n", &sc, err, sizeof(err)),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_sim_scenario_parse("stumble\n", &sc, err, sizeof(err)), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_sim_scenario_parse("# nothing\n", &sc, err, sizeof(err)), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_sim_scenario_parse("walk forward 10\n", &sc, err, sizeof(err)),
                    BSTEP_EINVAL);
}

BSTEP_TEST(truth_and_csv_read_back)
{
    size_t len;
    char path[1024], tpath[1100], err[256];
    char *data = write_pair("sim_rb.csv", 3, &len);
    bstep__truth t;
    bstep_reader *r;
    bstep_imu_sample buf[256];
    size_t n, total = 0, i, steps = 0, lines = 0;
    free(data);
    tmp_path(path, sizeof(path), "sim_rb.csv");
    snprintf(tpath, sizeof(tpath), "%s.truth.json", path);
    BSTEP_ASSERT_OK(bstep__truth_load(tpath, &t, err, sizeof(err)));
    BSTEP_ASSERT(strcmp(t.recording, "sim_rb.csv") == 0);
    BSTEP_ASSERT(strcmp(t.placement, "foot-right") == 0);
    BSTEP_ASSERT_GE(t.n_ic, 8);
    BSTEP_ASSERT_EQ(t.n_strides, t.n_ic);
    BSTEP_ASSERT_GE(t.n_segments, 5);
    for (i = 0; i < t.n_strides; i++)
        if (strcmp(t.stride_direction[i], "backward") == 0)
            steps++;
    BSTEP_ASSERT_GE(steps, 4);
    for (i = 1; i < t.n_ic; i++)
        BSTEP_ASSERT(t.ic_s[i] > t.ic_s[i - 1]);
    bstep__truth_free(&t);
    BSTEP_ASSERT_OK(bstep_reader_open(&r, path, BSTEP_FORMAT_AUTO, err, sizeof(err)));
    while (bstep_reader_read(r, buf, 256, &n) == BSTEP_OK && n > 0)
        total += n;
    bstep_reader_close(r);
    {
        FILE *f = fopen(path, "r");
        int ch;
        BSTEP_ASSERT(f != NULL);
        while ((ch = fgetc(f)) != EOF)
            lines += ch == '\n';
        fclose(f);
    }
    BSTEP_ASSERT_EQ(total, lines - 1);
}

BSTEP_TEST(xsens_and_sensorlogger_writers)
{
    bstep_sim_scenario sc = parse("stand 1s\nwalk forward 4 strides\n");
    bstep_sim_settings c = bstep_sim_default_settings;
    bstep_rec_writer *w;
    bstep_rec_writer_options o;
    bstep_imu_sample s;
    char path[1024], line[256], err[256];
    FILE *f;
    int fmt;
    for (fmt = 0; fmt < 2; fmt++) {
        memset(&o, 0, sizeof(o));
        o.format = fmt == 0 ? BSTEP_FORMAT_XSENS : BSTEP_FORMAT_SENSORLOGGER;
        o.decimals = 6;
        o.sample_rate_hz = 100;
        o.epoch_ns = 1700000000000000000LL;
        c.noise.packet_loss_pct = fmt == 0 ? 3 : 0;
        tmp_path(path, sizeof(path), fmt == 0 ? "sim_xsens.txt" : "sim_sensorlogger");
        BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
        BSTEP_ASSERT_OK(bstep_rec_writer_open(&w, path, &o, err, sizeof(err)));
        while (bstep_sim_next(&g1, &s))
            BSTEP_ASSERT_OK(bstep_rec_writer_write(w, &s, 1));
        BSTEP_ASSERT_OK(bstep_rec_writer_close(w));
        if (fmt == 0) {
            f = fopen(path, "r");
            BSTEP_ASSERT(f != NULL);
            BSTEP_ASSERT(fgets(line, sizeof(line), f) != NULL);
            BSTEP_ASSERT(strcmp(line, "Acquisition frequency: 100 Hz\n") == 0);
            BSTEP_ASSERT(fgets(line, sizeof(line), f) != NULL);
            BSTEP_ASSERT(strncmp(line, "PacketCounter\tAcc_X", 19) == 0);
            BSTEP_ASSERT(fgets(line, sizeof(line), f) != NULL);
            BSTEP_ASSERT(strncmp(line, "0.0\t0.000000\t0.000000\t9.806650\t", 31) == 0);
            fclose(f);
        } else {
            char p2[1100];
            snprintf(p2, sizeof(p2), "%s/TotalAcceleration.csv", path);
            f = fopen(p2, "r");
            BSTEP_ASSERT(f != NULL);
            BSTEP_ASSERT(fgets(line, sizeof(line), f) != NULL);
            BSTEP_ASSERT(strcmp(line, "time,seconds_elapsed,z,y,x\n") == 0);
            BSTEP_ASSERT(fgets(line, sizeof(line), f) != NULL);
            BSTEP_ASSERT_STR_CONTAINS(line, "1700000000000000000,0.000000,9.806650,");
            fclose(f);
            snprintf(p2, sizeof(p2), "%s/metadata.csv", path);
            f = fopen(p2, "r");
            BSTEP_ASSERT(f != NULL);
            BSTEP_ASSERT(fgets(line, sizeof(line), f) != NULL);
            BSTEP_ASSERT(fgets(line, sizeof(line), f) != NULL);
            BSTEP_ASSERT_STR_CONTAINS(line, "android");
            fclose(f);
        }
    }
}

BSTEP_TEST(mounting_helpers)
{
    double m[3][3];
    /* toes along -x, up along +z: the sensor turned 180 deg about vertical */
    BSTEP_ASSERT_OK(bstep_sim_mounting_from_axes(BSTEP_AXIS_NEG_X, BSTEP_AXIS_POS_Z, m));
    BSTEP_ASSERT_NEAR(m[0][0], -1, 1e-12);
    BSTEP_ASSERT_NEAR(m[1][1], -1, 1e-12);
    BSTEP_ASSERT_NEAR(m[2][2], 1, 1e-12);
    BSTEP_ASSERT_EQ(bstep_sim_mounting_from_axes(BSTEP_AXIS_POS_X, BSTEP_AXIS_NEG_X, m),
                    BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_sim_mounting_from_axes(BSTEP_AXIS_AUTO, BSTEP_AXIS_POS_Z, m),
                    BSTEP_EINVAL);
    /* standing with the toe axis as +y: gravity reads on the sensor's up axis only */
    {
        bstep_sim_scenario sc = parse("stand 1s\n");
        bstep_sim_settings c = bstep_sim_default_settings;
        bstep_imu_sample s;
        BSTEP_ASSERT_OK(
            bstep_sim_mounting_from_axes(BSTEP_AXIS_POS_Y, BSTEP_AXIS_NEG_X, c.mounting));
        BSTEP_ASSERT_OK(bstep_sim_init(&g1, &c, &sc));
        BSTEP_ASSERT(bstep_sim_next(&g1, &s));
        BSTEP_ASSERT_NEAR(s.accel_mps2[0], -9.80665, 1e-5);
        BSTEP_ASSERT_NEAR(s.accel_mps2[1], 0, 1e-5);
        BSTEP_ASSERT_NEAR(s.accel_mps2[2], 0, 1e-5);
    }
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(same_seed_same_samples_different_seed_differs),
                BSTEP_TEST_ENTRY(same_seed_byte_identical_csv),
                BSTEP_TEST_ENTRY(split_generation_and_two_instances_match),
                BSTEP_TEST_ENTRY(invalid_settings_are_rejected),
                BSTEP_TEST_ENTRY(clipping_limits_and_flags),
                BSTEP_TEST_ENTRY(packet_loss_matches_truth_and_gap_flags),
                BSTEP_TEST_ENTRY(jitter_and_noise_statistics), BSTEP_TEST_ENTRY(scenario_parser),
                BSTEP_TEST_ENTRY(truth_and_csv_read_back),
                BSTEP_TEST_ENTRY(xsens_and_sensorlogger_writers),
                BSTEP_TEST_ENTRY(mounting_helpers))
