/*
 * The session of an activity file (src/report/activity_analysis.c): the walking threshold
 * (0.15 m/s), pauses longer than 10 s, bouts split by standing, distance from the recorded
 * cumulative distance (a reset skipped) or integrated from the speed, the direction's source, and
 * the energy: exactly bstep_energy_session() over the same segments (one model).
 */
#include "harness.h"
#include "report/activity_report.h"
#include "test_activity_util.h"

static bstep__activity_analysis an;

/* A treadmill log: one Treadmill Data line per second with speed (km/h x 100) and distance. */
static const char *log_of(const char *name, const unsigned *speed_100kmh, const long *dist_m,
                          size_t n, double t_step_s)
{
    static char text[200000];
    size_t k = 0, i;
    k += (size_t)snprintf(text + k, sizeof text - k, "# backstep ftms log 1\n");
    for (i = 0; i < n; i++) {
        unsigned flags = dist_m != NULL && dist_m[i] >= 0 ? 0x0004u : 0u;
        k += (size_t)snprintf(text + k, sizeof text - k, "%.3f 2acd %02x%02x %02x%02x",
                              1700000000.0 + (double)i * t_step_s, flags & 0xFF, flags >> 8,
                              speed_100kmh[i] & 0xFF, speed_100kmh[i] >> 8);
        if (flags & 0x4u)
            k += (size_t)snprintf(text + k, sizeof text - k, " %02lx%02lx%02lx", dist_m[i] & 0xFF,
                                  (dist_m[i] >> 8) & 0xFF, (dist_m[i] >> 16) & 0xFF);
        text[k++] = '\n';
    }
    text[k] = '\0';
    return io_write(name, text);
}

static void analyze(const char *path, bstep_direction dir)
{
    bstep__activity_options o;
    char err[512];
    memset(&o, 0, sizeof o);
    o.mass_kg = 60.0;
    o.age_y = (double)NAN;
    o.sex = BSTEP_SEX_UNKNOWN;
    o.direction = dir;
    o.format = BSTEP_FORMAT_AUTO;
    bstep__activity_analysis_free(&an);
    if (bstep__analyze_activity(path, &o, &an, err, sizeof err) != BSTEP_OK)
        BSTEP__FAIL("%s", err);
}

BSTEP_TEST(walking_threshold_and_bouts)
{
    unsigned v[200];
    size_t i;
    /* 0.5 km/h = 0.139 m/s (standing on a crawling belt) for 50 s, 0.6 km/h = 0.167 m/s for 50 s,
       standing 30 s, 3 km/h for 70 s */
    for (i = 0; i < 200; i++)
        v[i] = i < 50 ? 50 : i < 100 ? 60 : i < 130 ? 0 : 300;
    analyze(log_of("thr.ftms", v, NULL, 200, 1.0), BSTEP_DIRECTION_UNKNOWN);
    BSTEP_ASSERT_NEAR(an.walking_time_s, 50.0 + 69.0, 1e-9);
    BSTEP_ASSERT_EQ(an.n_bouts, 2);
    BSTEP_ASSERT_NEAR(an.bouts[0].start_s, 50.0, 1e-9);
    BSTEP_ASSERT_NEAR(an.bouts[0].end_s, 100.0, 1e-9);
    BSTEP_ASSERT_NEAR(an.bouts[1].start_s, 130.0, 1e-9);
    /* no distances: the speed integrated over the walking intervals */
    BSTEP_ASSERT_NEAR(an.distance_m, 50.0 * 0.6 / 3.6 + 69.0 * 3.0 / 3.6, 1e-9);
    BSTEP_ASSERT_EQ(an.direction, BSTEP_DIRECTION_UNKNOWN);
    BSTEP_ASSERT_STR_CONTAINS(an.direction_source, "assumed");
    BSTEP_ASSERT(isnan(an.hr_mean_bpm));
    BSTEP_ASSERT(isnan(an.steps));
}

BSTEP_TEST(pauses_and_distance)
{
    unsigned v[60];
    long d[60];
    size_t i;
    for (i = 0; i < 60; i++) {
        v[i] = 360;          /* 1 m/s */
        d[i] = (long)i * 20; /* every 20 s: the distance the log says */
        if (i >= 30)
            d[i] = (long)(i - 30) * 20; /* a reset to 0: skipped, not negative */
    }
    analyze(log_of("pause.ftms", v, d, 60, 20.0), BSTEP_DIRECTION_BACKWARD);
    /* 20 s intervals are pauses (> 10 s): walking time unknown, the distance still adds up */
    BSTEP_ASSERT(isnan(an.walking_time_s));
    BSTEP_ASSERT(isnan(an.speed_mps));
    BSTEP_ASSERT_NEAR(an.distance_m, 29 * 20.0 + 29 * 20.0, 1e-9);
    BSTEP_ASSERT_EQ(an.n_bouts, 0);
    BSTEP_ASSERT_EQ(an.quality.gaps, 59);
    BSTEP_ASSERT_STR_CONTAINS(an.direction_source, "option");
}

BSTEP_TEST(energy_is_the_one_model)
{
    unsigned v[300];
    size_t i;
    bstep_energy_segment seg[5];
    bstep_energy_walker w;
    bstep_energy_session_result r;
    for (i = 0; i < 300; i++)
        v[i] = 250; /* 2.5 km/h */
    analyze(log_of("energy.ftms", v, NULL, 300, 1.0), BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT_NEAR(an.walking_time_s, 299.0, 1e-9);
    for (i = 0; i < 5; i++) {
        seg[i].duration_s = i < 4 ? 60.0 : 59.0;
        seg[i].speed_mps = 2.5 / 3.6;
        seg[i].grade_pct = (double)NAN;
        seg[i].direction = BSTEP_DIRECTION_BACKWARD;
        seg[i].gait = BSTEP_GAIT_AUTO;
        seg[i].hr_bpm = (double)NAN;
    }
    memset(&w, 0, sizeof w);
    w.mass_kg = 60.0;
    w.age_y = w.vo2max_ml_kg_min = (double)NAN;
    BSTEP_ASSERT_OK(bstep_energy_session(seg, 5, &w, &r));
    BSTEP_ASSERT_NEAR(an.energy_kcal, r.energy_kcal, 1e-9);
    BSTEP_ASSERT_NEAR(an.met_mean, r.met_mean, 1e-12);
    BSTEP_ASSERT(isnan(an.energy_kcal_hr));
    /* forward: less (backward walking costs more) */
    analyze(io_path("energy.ftms"), BSTEP_DIRECTION_FORWARD);
    BSTEP_ASSERT(an.energy_kcal < r.energy_kcal);
    bstep__activity_analysis_free(&an);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(walking_threshold_and_bouts),
                BSTEP_TEST_ENTRY(pauses_and_distance), BSTEP_TEST_ENTRY(energy_is_the_one_model))
