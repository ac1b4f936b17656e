/* Session summary: the cadence and symmetry oracles of algorithms.md sections 8 and 9. */
#include "backstep/status.h"
#include "backstep/summary.h"
#include "harness.h"

static bstep_event ev(bstep_event_type type, double t_s)
{
    bstep_event e;
    memset(&e, 0, sizeof(e));
    e.type = type;
    e.t_us = (bstep_time_us)llround(t_s * 1e6);
    e.strike_angle_deg = NAN;
    e.stride_length_m = NAN;
    e.stride_time_s = NAN;
    e.value = NAN;
    e.step_length_m = NAN;
    e.trunk_lean_deg = NAN;
    e.side_lean_deg = NAN;
    e.confidence = NAN;
    e.step_regularity = NAN;
    e.stride_regularity = NAN;
    return e;
}

/* Trunk: distance from step lengths, posture means, regularity weighted by steps, safety
 * counts known for a trunk sensor and unknown for a foot sensor. */
BSTEP_TEST(trunk_distance_posture_safety)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    int b, i;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 1));
    for (b = 0; b < 2; b++) { /* bout 0: 10 steps, regularity 0.9; bout 1: 30 steps, 0.5 */
        const int n = b == 0 ? 10 : 30;
        const double t0 = b * 100.0;
        e = ev(BSTEP_EVENT_BOUT_START, t0);
        bstep_summary_add(&s, &e);
        for (i = 0; i < n; i++) {
            e = ev(BSTEP_EVENT_INITIAL_CONTACT, t0 + 0.5 * i);
            if (i > 0) {
                e.value = 0.5f;
                e.step_length_m = 0.6f;
                e.trunk_lean_deg = b == 0 ? 10.0f : 20.0f;
                e.side_lean_deg = -2.0f;
            }
            e.direction = b == 0 ? BSTEP_DIRECTION_FORWARD : BSTEP_DIRECTION_BACKWARD;
            bstep_summary_add(&s, &e);
        }
        e = ev(BSTEP_EVENT_BOUT_END, t0 + 0.5 * (n - 1));
        e.step_regularity = b == 0 ? 0.9f : 0.5f;
        e.stride_regularity = b == 0 ? 0.8f : 0.4f;
        bstep_summary_add(&s, &e);
    }
    e = ev(BSTEP_EVENT_STUMBLE, 105.0);
    bstep_summary_add(&s, &e);
    e = ev(BSTEP_EVENT_FALL, 110.0);
    bstep_summary_add(&s, &e);
    e = ev(BSTEP_EVENT_LOOK_BACK, 107.0);
    bstep_summary_add(&s, &e);
    e = ev(BSTEP_EVENT_LOOK_BACK, 108.0);
    bstep_summary_add(&s, &e);
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_NEAR(v.distance_m, 0.6 * 38, 1e-4);
    BSTEP_ASSERT_NEAR(v.distance_backward_m, 0.6 * 29, 1e-4);
    BSTEP_ASSERT_NEAR(v.speed_mps, 0.6 * 38 / (0.5 * 38), 1e-4);
    BSTEP_ASSERT_NEAR(v.trunk_lean_deg, (10.0 * 9 + 20.0 * 29) / 38.0, 1e-4);
    BSTEP_ASSERT_NEAR(v.side_lean_deg, -2.0, 1e-5);
    BSTEP_ASSERT_NEAR(v.step_regularity, (0.9 * 10 + 0.5 * 30) / 40.0, 1e-5);
    BSTEP_ASSERT_NEAR(v.stride_regularity, (0.8 * 10 + 0.4 * 30) / 40.0, 1e-5);
    BSTEP_ASSERT_EQ(v.stumbles, 1);
    BSTEP_ASSERT_EQ(v.falls, 1);
    BSTEP_ASSERT_EQ(v.look_backs, 2);
    BSTEP_ASSERT_EQ(v.safety_measured, 1);
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 2));
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_EQ(v.safety_measured, 0);
    BSTEP_ASSERT(isnan(v.trunk_lean_deg));
}

/* Trunk ICs every 0.800 s -> 75.0 steps/min. */
BSTEP_TEST(cadence_trunk_0_8_s)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    int i;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 1));
    e = ev(BSTEP_EVENT_BOUT_START, 0.0);
    bstep_summary_add(&s, &e);
    for (i = 0; i < 20; i++) {
        e = ev(BSTEP_EVENT_INITIAL_CONTACT, 0.8 * i);
        if (i > 0)
            e.value = 0.8f;
        bstep_summary_add(&s, &e);
    }
    e = ev(BSTEP_EVENT_BOUT_END, 0.8 * 19);
    bstep_summary_add(&s, &e);
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_NEAR(v.cadence_spm, 75.0, 1e-3);
    BSTEP_ASSERT_EQ(v.steps, 20);
    BSTEP_ASSERT_NEAR(v.walking_time_s, 15.2, 1e-6);
    BSTEP_ASSERT_NEAR(v.stride_time_cv_pct, 0.0, 1e-3);
    BSTEP_ASSERT(isnan(v.distance_m));
}

/* One-foot ICs every 1.600 s -> 75.0 steps/min; each contact counts two steps. */
BSTEP_TEST(cadence_foot_1_6_s)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    int i;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 2));
    for (i = 0; i < 10; i++) {
        e = ev(BSTEP_EVENT_INITIAL_CONTACT, 1.6 * i);
        if (i > 0)
            e.stride_time_s = 1.6f;
        e.stride_length_m = 1.0f;
        e.direction = BSTEP_DIRECTION_BACKWARD;
        bstep_summary_add(&s, &e);
    }
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_NEAR(v.cadence_spm, 75.0, 1e-3);
    BSTEP_ASSERT_EQ(v.steps, 20);
    BSTEP_ASSERT_EQ(v.steps_backward, 20);
    BSTEP_ASSERT_NEAR(v.distance_m, 10.0, 1e-5);
    BSTEP_ASSERT_NEAR(v.distance_backward_m, 10.0, 1e-5);
}

/* Step times alternating 0.60 / 0.80 s -> asymmetry 28.6 %. */
BSTEP_TEST(asymmetry_alternating)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    double t = 0.0;
    int i;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 1));
    e = ev(BSTEP_EVENT_BOUT_START, 0.0);
    bstep_summary_add(&s, &e);
    for (i = 0; i < 21; i++) {
        e = ev(BSTEP_EVENT_INITIAL_CONTACT, t);
        if (i > 0)
            e.value = (i % 2) ? 0.6f : 0.8f;
        bstep_summary_add(&s, &e);
        t += (i % 2) ? 0.8 : 0.6;
    }
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_NEAR(v.step_time_asymmetry_pct, 28.571, 0.01);
    /* Strides are step pairs, all 1.4 s: no stride-time variability. */
    BSTEP_ASSERT_NEAR(v.stride_time_cv_pct, 0.0, 1e-3);
}

/* 10 backward strides (7 toe-first, 2 heel-first, 1 flat) and 4 forward (3 heel-first, 1 unknown):
 * toe-first 0.7, heel-first 3/3; distances split by direction. */
BSTEP_TEST(strike_ratios_and_distances)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    int i;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 2));
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT(isnan(v.toe_first_ratio) && isnan(v.heel_first_ratio));
    for (i = 0; i < 14; i++) {
        e = ev(BSTEP_EVENT_INITIAL_CONTACT, 1.2 * i);
        e.direction = i < 10 ? BSTEP_DIRECTION_BACKWARD : BSTEP_DIRECTION_FORWARD;
        e.stride_length_m = i < 10 ? 0.8f : 1.3f;
        e.strike = i < 7    ? BSTEP_STRIKE_TOE
                   : i < 9  ? BSTEP_STRIKE_HEEL
                   : i < 10 ? BSTEP_STRIKE_FLAT
                   : i < 13 ? BSTEP_STRIKE_HEEL
                            : BSTEP_STRIKE_UNKNOWN;
        bstep_summary_add(&s, &e);
    }
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_NEAR(v.toe_first_ratio, 0.7, 1e-12);
    BSTEP_ASSERT_NEAR(v.heel_first_ratio, 1.0, 1e-12);
    BSTEP_ASSERT_NEAR(v.distance_backward_m, 8.0, 1e-5);
    BSTEP_ASSERT_NEAR(v.distance_forward_m, 5.2, 1e-5);
    BSTEP_ASSERT_NEAR(v.distance_m, 13.2, 1e-5);
    BSTEP_ASSERT_EQ(v.steps_backward, 20);
    BSTEP_ASSERT_EQ(v.steps_forward, 8);
}

/* Foot contacts of one session: n backward strides with the given stride times. */
static void feed_foot(bstep_summary *s, const double *stride_s, int n, bstep_direction dir,
                      bstep_strike strike, double *t)
{
    bstep_event e;
    int i;
    for (i = 0; i < n; i++) {
        *t += stride_s[i];
        e = ev(BSTEP_EVENT_INITIAL_CONTACT, *t);
        e.stride_time_s = (float)stride_s[i];
        e.stride_length_m = (float)(0.6 * stride_s[i]);
        e.direction = dir;
        e.strike = strike;
        bstep_summary_add(s, &e);
    }
}

/* Rhythm from successive differences: alternating 1.0 / 1.2 s strides -> every difference 0.2 s
 * -> sqrt(0.04 / 2) / 1.1 = 12.86 %; a step change 1.0 -> 1.5 s adds one difference only. */
BSTEP_TEST(backward_rhythm_from_successive_differences)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    double st[21], t = 0.0;
    int i;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 2));
    e = ev(BSTEP_EVENT_BOUT_START, 0.0);
    bstep_summary_add(&s, &e);
    for (i = 0; i < 21; i++)
        st[i] = (i % 2) ? 1.2 : 1.0;
    feed_foot(&s, st, 21, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, &t);
    bstep_summary_get(&s, &v);
    /* the first contact of the bout has no previous contact: 20 strides, 19 differences */
    BSTEP_ASSERT_EQ(v.backward_strides, 20);
    BSTEP_ASSERT_NEAR(v.backward_stride_time_cv_pct, 100.0 * sqrt(0.02) / 1.1, 1e-4);
    BSTEP_ASSERT_NEAR(v.backward_stride_length_cv_pct, 100.0 * sqrt(0.02) / 1.1, 1e-3);
    BSTEP_ASSERT_NEAR(v.toe_first_ratio, 1.0, 0);
    BSTEP_ASSERT_EQ(v.backward_strikes_known, 21);
    BSTEP_ASSERT_NEAR(v.time_backward_s, 10 * 1.2 + 10 * 1.0, 1e-5); /* 20 intervals */
    BSTEP_ASSERT(v.measured & BSTEP_MEASURE_DIRECTION);
    BSTEP_ASSERT(v.measured & BSTEP_MEASURE_STRIKE);

    BSTEP_ASSERT_OK(bstep_summary_init(&s, 2));
    e = ev(BSTEP_EVENT_BOUT_START, 0.0);
    bstep_summary_add(&s, &e);
    t = 0.0;
    for (i = 0; i < 21; i++)
        st[i] = i < 11 ? 1.0 : 1.5;
    feed_foot(&s, st, 21, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, &t);
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_NEAR(v.backward_stride_time_cv_pct, 100.0 * sqrt(0.25 / 38.0) / 1.25, 1e-4);
}

/* Direction changes break the runs; strides that span them are left out. */
BSTEP_TEST(backward_runs_and_direction_times)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    double fw[6] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0}, bw[6] = {1.3, 1.3, 1.3, 1.3, 1.3, 1.3};
    double t = 0.0;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 2));
    e = ev(BSTEP_EVENT_BOUT_START, 0.0);
    bstep_summary_add(&s, &e);
    feed_foot(&s, fw, 6, BSTEP_DIRECTION_FORWARD, BSTEP_STRIKE_HEEL, &t);
    feed_foot(&s, bw, 6, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_HEEL, &t);
    e = ev(BSTEP_EVENT_BOUT_END, t);
    bstep_summary_add(&s, &e);
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_EQ(v.backward_strides, 5); /* the first backward stride spans the change */
    BSTEP_ASSERT_NEAR(v.backward_stride_time_cv_pct, 0.0, 1e-6);
    BSTEP_ASSERT_NEAR(v.time_forward_s, 5.0, 1e-5);
    BSTEP_ASSERT_NEAR(v.time_backward_s, 6 * 1.3, 1e-5);
    BSTEP_ASSERT_NEAR(v.toe_first_ratio, 0.0, 0);
    BSTEP_ASSERT_EQ(v.backward_heel_first, 6);
    BSTEP_ASSERT_NEAR(v.heel_first_ratio, 1.0, 0);
    BSTEP_ASSERT_NEAR(v.speed_backward_mps, 0.6, 1e-5);
    BSTEP_ASSERT_NEAR(v.cadence_backward_spm, 120.0 / 1.3, 1e-3);
}

BSTEP_TEST(safety_and_posture_events)
{
    bstep_summary s;
    bstep_summary_values v;
    bstep_event e;
    BSTEP_ASSERT_OK(bstep_summary_init(&s, 1));
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_EQ(v.measured, 0);
    bstep_summary_set_measured(&s, BSTEP_MEASURE_STUMBLES | BSTEP_MEASURE_FALLS);
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_EQ(v.measured, BSTEP_MEASURE_STUMBLES | BSTEP_MEASURE_FALLS);
    BSTEP_ASSERT_EQ(v.stumbles, 0); /* measured: a real zero */
    e = ev(BSTEP_EVENT_STUMBLE, 3.0);
    bstep_summary_add(&s, &e);
    e = ev(BSTEP_EVENT_FALL, 9.0);
    e.direction = BSTEP_DIRECTION_BACKWARD;
    bstep_summary_add(&s, &e);
    e = ev(BSTEP_EVENT_LOOK_BACK, 5.0);
    bstep_summary_add(&s, &e);
    e = ev(BSTEP_EVENT_POSTURE, 6.0);
    e.trunk_lean_deg = 10.0f;
    e.side_lean_deg = -4.0f;
    bstep_summary_add(&s, &e);
    bstep_summary_get(&s, &v);
    BSTEP_ASSERT_EQ(v.stumbles, 1);
    BSTEP_ASSERT_EQ(v.falls, 1);
    BSTEP_ASSERT_EQ(v.falls_backward, 1);
    BSTEP_ASSERT_EQ(v.look_backs, 1);
    BSTEP_ASSERT(v.measured & BSTEP_MEASURE_LOOK_BACKS); /* seen, so measured */
    BSTEP_ASSERT(v.measured & BSTEP_MEASURE_POSTURE);
}

BSTEP_TEST(invalid_init)
{
    BSTEP_ASSERT_EQ(bstep_summary_init(NULL, 1), BSTEP_EINVAL);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(cadence_trunk_0_8_s),
                BSTEP_TEST_ENTRY(trunk_distance_posture_safety),
                BSTEP_TEST_ENTRY(cadence_foot_1_6_s), BSTEP_TEST_ENTRY(asymmetry_alternating),
                BSTEP_TEST_ENTRY(strike_ratios_and_distances), BSTEP_TEST_ENTRY(invalid_init),
                BSTEP_TEST_ENTRY(backward_rhythm_from_successive_differences),
                BSTEP_TEST_ENTRY(backward_runs_and_direction_times),
                BSTEP_TEST_ENTRY(safety_and_posture_events))
