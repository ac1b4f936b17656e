/*
 * Real-time cues. Synthetic event streams check each cue's rule, the priorities and the rate
 * limits exactly; simulated sessions (backstep's gait simulator -> the foot analyzer -> the cue
 * engine) check the right cue at the right moment, no false cues in clean walking, no nagging
 * (a bound on cues per minute) and identical cues whatever the input is split into.
 */
#include <stdlib.h>

#include "backstep/analyzer.h"
#include "backstep/cues.h"
#include "backstep/sim.h"
#include "backstep/status.h"
#include "harness.h"

#define US(s) ((bstep_time_us)llround((s)*1e6))

static bstep_event contact(double t_s, bstep_direction dir, bstep_strike strike, double stride_s,
                           double length_m)
{
    bstep_event e;
    memset(&e, 0, sizeof(e));
    e.type = BSTEP_EVENT_INITIAL_CONTACT;
    e.t_us = US(t_s);
    e.emitted_t_us = US(t_s + 0.1);
    e.direction = dir;
    e.strike = strike;
    e.strike_angle_deg = NAN;
    e.stride_time_s = (float)stride_s;
    e.stride_length_m = (float)length_m;
    e.clearance_m = e.turn_deg = e.trunk_lean_deg = e.side_lean_deg = NAN;
    e.confidence = NAN;
    e.value = NAN;
    return e;
}

static bstep_event other(bstep_event_type type, double t_s)
{
    bstep_event e =
        contact(t_s, BSTEP_DIRECTION_UNKNOWN, BSTEP_STRIKE_UNKNOWN, (double)NAN, (double)NAN);
    e.type = type;
    return e;
}

/* Feed one event, expect n cues, return the first (type NONE if none). */
static bstep_cue feed(bstep_cues *c, const bstep_event *e, size_t *n)
{
    bstep_cue out[2];
    memset(out, 0, sizeof(out));
    *n = bstep_cues_update(c, e, out, 2);
    return out[0];
}

BSTEP_TEST(toes_first_after_two_faults_in_six)
{
    bstep_cues c;
    bstep_event e;
    bstep_cue q;
    size_t n;
    double t = 0.0;
    int i;
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    for (i = 0; i < 8; i++, t += 1.2) { /* correct technique: nothing */
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, 1.2, 0.6);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
    e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_HEEL, 1.2, 0.6); /* one slip */
    feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 0);
    t += 1.2;
    for (i = 0; i < 4; i++, t += 1.2) {
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, 1.2, 0.6);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
    e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_FLAT, 1.2, 0.6); /* second in six */
    q = feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_TOES_FIRST);
    BSTEP_ASSERT_EQ(q.t_us, e.emitted_t_us);
    BSTEP_ASSERT_EQ(q.cause_t_us, e.t_us);
    BSTEP_ASSERT_NEAR(q.value, 2.0, 0);
    /* Forward heel strikes are correct forward technique: never a toes-first cue. */
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    for (i = 0; i < 20; i++) {
        e = contact(1.1 * i, BSTEP_DIRECTION_FORWARD, BSTEP_STRIKE_HEEL, 1.1, 1.3);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
}

BSTEP_TEST(stand_tall_on_forward_lean)
{
    bstep_cues c;
    bstep_event e;
    bstep_cue q;
    size_t n;
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    e = other(BSTEP_EVENT_POSTURE, 10.0);
    e.trunk_lean_deg = 15.0;
    feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 0);
    e = other(BSTEP_EVENT_POSTURE, 20.0);
    e.trunk_lean_deg = 26.0;
    q = feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_STAND_TALL);
    BSTEP_ASSERT_NEAR(q.value, 26.0, 1e-6);
    /* Leaning backward is not "stand tall". */
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    e.trunk_lean_deg = -30.0;
    feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 0);
}

BSTEP_TEST(even_strides_on_irregular_timing)
{
    bstep_cues c;
    bstep_event e;
    bstep_cue q;
    size_t n, got = 0;
    double t = 0.0;
    int i;
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    for (i = 0; i < 30; i++) { /* 1.20 +- 0.01 s: CV < 1 % */
        const double st = 1.2 + ((i % 2) ? 0.01 : -0.01);
        t += st;
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, st, 0.6);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
    for (i = 0; i < 10 && got == 0; i++) { /* 1.0 / 1.4 s alternating: CV 17 % */
        const double st = (i % 2) ? 1.0 : 1.4;
        t += st;
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, st, 0.6);
        q = feed(&c, &e, &n);
        got = n;
    }
    BSTEP_ASSERT_EQ(got, 1);
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_EVEN_STRIDES);
    BSTEP_ASSERT_GE(q.value, 8.0);
    /* A long pause (> 3 s) is not an uneven stride: the window restarts. */
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    for (i = 0, t = 0; i < 40; i++) {
        const double st = (i % 10 == 5) ? 6.0 : 1.2;
        t += st;
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, st, 0.6);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
}

BSTEP_TEST(slow_down_above_the_level_speed)
{
    bstep_cues_settings cfg = bstep_cues_default_settings;
    bstep_cues c;
    bstep_event e;
    bstep_cue q, out[2];
    size_t n;
    int i;
    cfg.speed_max_mps = 0.6f;
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &cfg));
    for (i = 0; i < 10; i++) { /* 0.55 m/s: fine */
        e = contact(1.2 * i, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, 1.2, 0.66);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
    for (i = 10; i < 14; i++) { /* 0.63 m/s: within the 10 % margin for stride error */
        e = contact(1.2 * i, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, 1.2, 0.756);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
    for (i = 14; i < 18; i++) { /* 0.75 m/s: the window's mean passes 0.66 at the 2nd stride */
        const int expect = i == 15;
        e = contact(1.2 * i, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, 1.2, 0.9);
        q = feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, expect);
        if (expect)
            break;
    }
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_SLOW_DOWN);
    BSTEP_ASSERT_GE(q.value, 0.6);
    /* No limit known: never. */
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    for (i = 0; i < 20; i++) {
        e = contact(1.2 * i, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, 1.2, 1.5);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
    /* A treadmill console's belt speed. */
    bstep_cues_set_speed_max(&c, 0.6f);
    BSTEP_ASSERT_EQ(bstep_cues_speed(&c, US(100.0), 0.5f, out, 2), 0);
    BSTEP_ASSERT_EQ(bstep_cues_speed(&c, US(101.0), 0.8f, out, 2), 1);
    BSTEP_ASSERT_EQ(out[0].type, BSTEP_CUE_SLOW_DOWN);
    BSTEP_ASSERT_EQ(out[0].t_us, US(101.0));
}

BSTEP_TEST(stumble_is_immediate_and_silences_technique)
{
    bstep_cues c;
    bstep_event e;
    bstep_cue q;
    size_t n;
    double t = 0.0;
    bstep_time_us stumble_us;
    int i, technique = 0;
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    /* heel-first walking: a toes-first cue at the second contact */
    for (i = 0; i < 2; i++, t += 1.2) {
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_HEEL, 1.2, 0.6);
        q = feed(&c, &e, &n);
    }
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_TOES_FIRST);
    /* a stumble 1 s later: spoken at once, not held back by the 15 s gap */
    e = other(BSTEP_EVENT_STUMBLE, t);
    e.emitted_t_us = US(t + 0.4);
    q = feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 1);
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_STUMBLE);
    BSTEP_ASSERT_EQ(q.t_us, US(t + 0.4));
    BSTEP_ASSERT_EQ(q.cause_t_us, US(t));
    stumble_us = q.t_us;
    /* the same stumble reported again 2 s later: not repeated */
    e = other(BSTEP_EVENT_STUMBLE, t + 2.0);
    feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 0);
    /* irregular strides start right away: "even strides" waits for the 20 s of quiet */
    for (i = 0; i < 60; i++) {
        const double st = (i % 2) ? 1.0 : 1.4;
        t += st;
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, st, 0.6);
        q = feed(&c, &e, &n);
        if (n > 0) {
            technique++;
            BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_EVEN_STRIDES);
            BSTEP_ASSERT_GE((double)(q.t_us - stumble_us) / 1e6, 20.0);
            BSTEP_ASSERT_LE((double)(q.t_us - stumble_us) / 1e6, 22.5);
            break;
        }
    }
    BSTEP_ASSERT_EQ(technique, 1);
    /* a fall outranks a stumble detected with it */
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    e = other(BSTEP_EVENT_FALL, 50.0);
    q = feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_FALL);
    e = other(BSTEP_EVENT_STUMBLE, 51.0);
    feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(n, 0);
    e = other(BSTEP_EVENT_STUMBLE, 70.0); /* a new stumble later */
    q = feed(&c, &e, &n);
    BSTEP_ASSERT_EQ(q.type, BSTEP_CUE_STUMBLE);
    BSTEP_ASSERT_EQ(bstep_cues_count(&c, BSTEP_CUE_FALL), 1);
    BSTEP_ASSERT_EQ(bstep_cues_count(&c, BSTEP_CUE_STUMBLE), 1);
}

BSTEP_TEST(priority_and_rate_limits_on_a_bad_stream)
{
    bstep_cues_settings cfg = bstep_cues_default_settings;
    bstep_cues c;
    bstep_event e;
    bstep_cue cues[64];
    size_t n, nc = 0, i, j;
    double t = 0.0;
    int k;
    cfg.speed_max_mps = 0.5f;
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &cfg));
    /* A stumble first: during its 20 s of quiet every technique fault becomes due at once, so
     * the order of what follows is the priority order. */
    e = other(BSTEP_EVENT_STUMBLE, 0.0);
    n = bstep_cues_update(&c, &e, cues, 2);
    BSTEP_ASSERT_EQ(n, 1);
    nc = 1;
    /* 10 minutes of everything wrong at once: fast, heel-first, irregular, bent over. */
    for (k = 0; t < 600.0; k++) {
        const double st = (k % 2) ? 0.9 : 1.3;
        bstep_cue out[2];
        t += st;
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_HEEL, st, 1.0);
        n = bstep_cues_update(&c, &e, out, 2);
        for (i = 0; i < n && nc < 64; i++)
            cues[nc++] = out[i];
        if (k % 5 == 0) {
            e = other(BSTEP_EVENT_POSTURE, t);
            e.trunk_lean_deg = 30.0f;
            n = bstep_cues_update(&c, &e, out, 2);
            for (i = 0; i < n && nc < 64; i++)
                cues[nc++] = out[i];
        }
    }
    BSTEP_ASSERT_GE(nc, 20); /* it does speak ... */
    BSTEP_ASSERT_EQ(cues[0].type, BSTEP_CUE_STUMBLE);
    BSTEP_ASSERT_EQ(cues[1].type, BSTEP_CUE_SLOW_DOWN); /* then by priority */
    BSTEP_ASSERT_EQ(cues[2].type, BSTEP_CUE_TOES_FIRST);
    BSTEP_ASSERT_EQ(cues[3].type, BSTEP_CUE_STAND_TALL);
    BSTEP_ASSERT_EQ(cues[4].type, BSTEP_CUE_EVEN_STRIDES);
    BSTEP_ASSERT_GE((double)cues[1].t_us / 1e6, 20.0);
    for (i = 0; i < nc; i++) {
        int in_minute = 0;
        for (j = i; j < nc && cues[j].t_us - cues[i].t_us < US(60.0); j++)
            in_minute++;
        BSTEP_ASSERT_LE(in_minute, 4); /* ... but never more than 4 times in any minute */
        if (i > 0)
            BSTEP_ASSERT_GE((double)(cues[i].t_us - cues[i - 1].t_us) / 1e6, 15.0);
        for (j = i + 1; j < nc; j++)
            if (cues[j].type == cues[i].type) { /* the same cue at most once a minute */
                BSTEP_ASSERT_GE((double)(cues[j].t_us - cues[i].t_us) / 1e6, 60.0);
                break;
            }
    }
    /* every kind got its turn */
    for (k = BSTEP_CUE_SLOW_DOWN; k <= BSTEP_CUE_EVEN_STRIDES; k++)
        BSTEP_ASSERT_GE(bstep_cues_count(&c, (bstep_cue_type)k), 2);
}

BSTEP_TEST(direction_change_restarts_the_windows)
{
    bstep_cues c;
    bstep_event e;
    size_t n;
    double t = 0.0;
    int i;
    BSTEP_ASSERT_OK(bstep_cues_init(&c, &bstep_cues_default_settings));
    /* forward at 1.0 s strides, a turn (in place, long strides), then backward at 1.3 s */
    for (i = 0; i < 8; i++) {
        t += 1.0;
        e = contact(t, BSTEP_DIRECTION_FORWARD, BSTEP_STRIKE_HEEL, 1.0, 1.2);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
    t += 1.8;
    e = contact(t, BSTEP_DIRECTION_IN_PLACE, BSTEP_STRIKE_FLAT, 1.8, 0.1);
    feed(&c, &e, &n);
    for (i = 0; i < 12; i++) {
        const double st = i == 0 ? 1.7 : 1.3;
        t += st;
        e = contact(t, BSTEP_DIRECTION_BACKWARD, BSTEP_STRIKE_TOE, st, 0.7);
        feed(&c, &e, &n);
        BSTEP_ASSERT_EQ(n, 0);
    }
}

BSTEP_TEST(settings_checked)
{
    bstep_cues c;
    bstep_cues_settings cfg = bstep_cues_default_settings;
    cfg.min_gap_s = 0.0f;
    BSTEP_ASSERT_EQ(bstep_cues_init(&c, &cfg), BSTEP_EINVAL);
    cfg = bstep_cues_default_settings;
    cfg.repeat_s = 5.0f; /* shorter than the gap */
    BSTEP_ASSERT_EQ(bstep_cues_init(&c, &cfg), BSTEP_EINVAL);
    cfg = bstep_cues_default_settings;
    cfg.toe_min_faults = 7;
    BSTEP_ASSERT_EQ(bstep_cues_init(&c, &cfg), BSTEP_EINVAL);
    cfg = bstep_cues_default_settings;
    cfg.cv_window = BSTEP_CUES_MAX_WINDOW + 1;
    BSTEP_ASSERT_EQ(bstep_cues_init(&c, &cfg), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_cues_init(NULL, &bstep_cues_default_settings), BSTEP_EINVAL);
    BSTEP_ASSERT(strcmp(bstep_cue_text(BSTEP_CUE_STUMBLE), "Stumble - stop and hold the rail.") ==
                 0);
    BSTEP_ASSERT(strcmp(bstep_cue_text(BSTEP_CUE_TOES_FIRST), "Toes first.") == 0);
    BSTEP_ASSERT(strcmp(bstep_cue_text(BSTEP_CUE_STAND_TALL), "Stand tall.") == 0);
    BSTEP_ASSERT(strcmp(bstep_cue_text(BSTEP_CUE_EVEN_STRIDES), "Even strides.") == 0);
    BSTEP_ASSERT(strcmp(bstep_cue_text(BSTEP_CUE_SLOW_DOWN), "Slow down.") == 0);
    BSTEP_ASSERT(bstep_cue_is_safety(BSTEP_CUE_FALL) && !bstep_cue_is_safety(BSTEP_CUE_SLOW_DOWN));
    BSTEP_ASSERT_LE(sizeof(bstep_cues), 1024); /* the header's promise: under 1 kB */
}

/* ---- simulated sessions: simulator -> foot analyzer -> cue engine -------------------------- */

typedef struct {
    bstep_cue cue[256];
    size_t n;
    double seg_start_s[BSTEP_SIM_MAX_SEGMENTS];
    size_t n_seg;
    double stumble_s[16], fall_s[4]; /* truth */
    size_t n_stumble, n_fall;
} sim_run;

static bstep_sim_site sim_site = BSTEP_SIM_AT_FOOT; /* the sensor of the next simulate() */

/* Simulate a right-foot shoe sensor (100 Hz, IMU noise) and feed the analyzer in blocks of
 * `block` samples (1 = one at a time); the analyzer's events go to the cue engine one by one
 * (block_cues 0) or as a block. */
static int simulate(const char *scenario, float speed_max, size_t block, int block_cues, sim_run *r)
{
    static bstep_sim g;
    static bstep_analyzer an;
    bstep_sim_settings cfg = bstep_sim_default_settings;
    bstep_analyzer_settings acfg = bstep_analyzer_default_settings;
    bstep_cues_settings ccfg = bstep_cues_default_settings;
    bstep_sim_scenario sc;
    bstep_cues cues;
    bstep_imu_sample *buf;
    bstep_event ev[BSTEP_ANALYZER_EVENT_QUEUE];
    bstep_sim_event se;
    char err[128];
    size_t n = 0, cap = 200000, i;
    memset(r, 0, sizeof(*r));
    cfg.site = sim_site;
    cfg.side = BSTEP_FOOT_RIGHT;
    cfg.sample_rate_hz = 100.0;
    cfg.seed = 11;
    cfg.noise.accel_noise_mps2 = 0.02;
    cfg.noise.gyro_noise_dps = 0.1;
    if (bstep_sim_scenario_parse(scenario, &sc, err, sizeof(err)) != BSTEP_OK ||
        bstep_sim_init(&g, &cfg, &sc) != BSTEP_OK)
        return -1;
    buf = malloc(cap * sizeof(*buf));
    if (buf == NULL)
        return -1;
    while (n < cap && bstep_sim_next(&g, &buf[n])) {
        n++;
        while (bstep_sim_pop_event(&g, &se)) {
            if (se.type == BSTEP_SIM_EV_SEGMENT && r->n_seg < BSTEP_SIM_MAX_SEGMENTS)
                r->seg_start_s[se.segment_index] = se.t_s, r->n_seg++;
            if (se.type == BSTEP_SIM_EV_STUMBLE && r->n_stumble < 16)
                r->stumble_s[r->n_stumble++] = se.t_s;
            if (se.type == BSTEP_SIM_EV_FALL_IMPACT && r->n_fall < 4)
                r->fall_s[r->n_fall++] = se.t_s;
        }
    }
    acfg.placement =
        sim_site == BSTEP_SIM_AT_FOOT ? BSTEP_PLACEMENT_FOOT_RIGHT : BSTEP_PLACEMENT_LOWER_BACK;
    acfg.sample_rate_hz = 100.0f;
    acfg.toe_axis = BSTEP_AXIS_POS_X;
    acfg.front_axis = BSTEP_AXIS_POS_X;
    ccfg.speed_max_mps = speed_max;
    if (bstep_analyzer_init(&an, &acfg) != BSTEP_OK || bstep_cues_init(&cues, &ccfg) != BSTEP_OK) {
        free(buf);
        return -1;
    }
    for (i = 0; i <= n; i += block) {
        size_t m = i + block <= n ? block : n - i, ne, k;
        if (i == n)
            ne = bstep_analyzer_finish(&an, ev, BSTEP_ANALYZER_EVENT_QUEUE);
        else if (block == 1)
            ne = bstep_analyzer_update(&an, &buf[i], ev, BSTEP_ANALYZER_EVENT_QUEUE);
        else
            ne = bstep_analyzer_update_block(&an, &buf[i], m, ev, BSTEP_ANALYZER_EVENT_QUEUE);
        if (block_cues) {
            if (r->n + 2 * ne <= 256)
                r->n += bstep_cues_update_block(&cues, ev, ne, r->cue + r->n, 256 - r->n);
        } else {
            for (k = 0; k < ne && r->n + 2 <= 256; k++)
                r->n += bstep_cues_update(&cues, &ev[k], r->cue + r->n, 2);
        }
        if (i == n)
            break;
    }
    free(buf);
    return 0;
}

static size_t count_type(const sim_run *r, bstep_cue_type t, double from_s, double to_s)
{
    size_t i, c = 0;
    for (i = 0; i < r->n; i++)
        if (r->cue[i].type == t && r->cue[i].t_us >= US(from_s) && r->cue[i].t_us < US(to_s))
            c++;
    return c;
}

static double first_time(const sim_run *r, bstep_cue_type t, double from_s)
{
    size_t i;
    for (i = 0; i < r->n; i++)
        if (r->cue[i].type == t && r->cue[i].t_us >= US(from_s))
            return (double)r->cue[i].t_us * 1e-6;
    return (double)NAN;
}

static sim_run run_a, run_b;

BSTEP_TEST(sim_clean_session_gives_no_cues)
{
    BSTEP_ASSERT_EQ(simulate("stand 3s\nwalk backward 180s speed=0.5 strike=toe cv=2\nstand 3s\n",
                             0.6f, 37, 0, &run_a),
                    0);
    BSTEP_ASSERT_EQ(run_a.n, 0);
}

BSTEP_TEST(sim_heel_first_gives_toes_first_at_the_right_moment)
{
    double t0, t;
    BSTEP_ASSERT_EQ(simulate("stand 3s\nwalk backward 40s speed=0.55 strike=toe\n"
                             "walk backward 30s speed=0.55 strike=heel\nstand 3s\n",
                             NAN, 37, 0, &run_a),
                    0);
    t0 = run_a.seg_start_s[2];
    BSTEP_ASSERT(t0 > 40.0);
    BSTEP_ASSERT_EQ(count_type(&run_a, BSTEP_CUE_TOES_FIRST, 0.0, t0), 0);
    t = first_time(&run_a, BSTEP_CUE_TOES_FIRST, t0);
    /* two heel-first landings of this foot (about 1.2 s apart) plus the detection delay */
    BSTEP_ASSERT(isfinite(t));
    BSTEP_ASSERT_LE(t - t0, 5.0);
}

BSTEP_TEST(sim_irregular_strides_give_even_strides)
{
    double t0, t;
    BSTEP_ASSERT_EQ(simulate("stand 3s\nwalk backward 50s speed=0.55 cv=2\n"
                             "walk backward 50s speed=0.55 cv=15\nstand 3s\n",
                             NAN, 37, 0, &run_a),
                    0);
    t0 = run_a.seg_start_s[2];
    BSTEP_ASSERT_EQ(count_type(&run_a, BSTEP_CUE_EVEN_STRIDES, 0.0, t0), 0);
    t = first_time(&run_a, BSTEP_CUE_EVEN_STRIDES, t0);
    BSTEP_ASSERT(isfinite(t));
    BSTEP_ASSERT_LE(t - t0, 20.0); /* ten strides of the new rhythm */
}

BSTEP_TEST(sim_too_fast_gives_slow_down)
{
    double t0, t;
    BSTEP_ASSERT_EQ(simulate("stand 3s\nwalk backward 40s speed=0.45\n"
                             "walk backward 40s speed=0.9\nstand 3s\n",
                             0.6f, 37, 0, &run_a),
                    0);
    t0 = run_a.seg_start_s[2];
    BSTEP_ASSERT_EQ(count_type(&run_a, BSTEP_CUE_SLOW_DOWN, 0.0, t0), 0);
    t = first_time(&run_a, BSTEP_CUE_SLOW_DOWN, t0);
    BSTEP_ASSERT(isfinite(t));
    BSTEP_ASSERT_LE(t - t0, 8.0);
}

BSTEP_TEST(sim_no_nagging_in_a_long_faulty_session)
{
    size_t i, j;
    BSTEP_ASSERT_EQ(simulate("stand 3s\nwalk backward 300s speed=0.9 strike=heel cv=12\nstand 3s\n",
                             0.6f, 37, 0, &run_a),
                    0);
    BSTEP_ASSERT_GE(run_a.n, 10);
    for (i = 0; i < run_a.n; i++) {
        int in_minute = 0;
        for (j = i; j < run_a.n && run_a.cue[j].t_us - run_a.cue[i].t_us < US(60.0); j++)
            in_minute++;
        BSTEP_ASSERT_LE(in_minute, 4);
    }
    BSTEP_ASSERT_LE(run_a.n, 4 * 5 + 1); /* 306 s */
}

BSTEP_TEST(sim_split_input_gives_identical_cues)
{
    const char *sc = "stand 3s\nwalk backward 40s speed=0.55 strike=toe heel-faults=12 cv=6\n"
                     "walk backward 20s speed=0.9\nstand 3s\n";
    size_t blocks[3] = {1, 37, 100}, b, i;
    BSTEP_ASSERT_EQ(simulate(sc, 0.6f, 1, 0, &run_a), 0);
    BSTEP_ASSERT_GE(run_a.n, 2);
    for (b = 0; b < 3; b++) {
        BSTEP_ASSERT_EQ(simulate(sc, 0.6f, blocks[b], (int)(b % 2), &run_b), 0);
        BSTEP_ASSERT_EQ(run_b.n, run_a.n);
        for (i = 0; i < run_a.n; i++) {
            BSTEP_ASSERT_EQ(run_b.cue[i].type, run_a.cue[i].type);
            BSTEP_ASSERT_EQ(run_b.cue[i].t_us, run_a.cue[i].t_us);
            BSTEP_ASSERT_EQ(run_b.cue[i].cause_t_us, run_a.cue[i].cause_t_us);
        }
    }
}

/* A lower-back sensor: every simulated stumble is followed by "stumble - stop and hold the rail"
 * within 3 s (the trunk engine confirms a stumble at the recovery step), and no other stumble cue
 * is given. */
BSTEP_TEST(sim_stumble_cue_at_each_stumble)
{
    size_t i, k, cues = 0;
    sim_site = BSTEP_SIM_AT_LOWER_BACK;
    BSTEP_ASSERT_EQ(simulate("stand 5s\nwalk forward 10 strides speed=1.0\nturn 180\n"
                             "walk backward 120s speed=0.6 stumbles=3\nstand 3s\n",
                             NAN, 37, 0, &run_a),
                    0);
    sim_site = BSTEP_SIM_AT_FOOT;
    BSTEP_ASSERT_EQ(run_a.n_stumble, 3);
    for (k = 0; k < run_a.n_stumble; k++) {
        int found = 0;
        for (i = 0; i < run_a.n; i++) {
            const double dt = (double)run_a.cue[i].t_us * 1e-6 - run_a.stumble_s[k];
            if (run_a.cue[i].type == BSTEP_CUE_STUMBLE && dt >= 0.0 && dt <= 3.0)
                found = 1;
        }
        BSTEP_ASSERT(found);
    }
    for (i = 0; i < run_a.n; i++)
        cues += run_a.cue[i].type == BSTEP_CUE_STUMBLE;
    BSTEP_ASSERT_EQ(cues, run_a.n_stumble);
}

/* A lower-back sensor: a fall gives the fall cue within 5 s of the impact (the engine waits for
 * the stillness that confirms it). */
BSTEP_TEST(sim_fall_cue_after_the_impact)
{
    size_t i;
    double t = (double)NAN;
    sim_site = BSTEP_SIM_AT_LOWER_BACK;
    BSTEP_ASSERT_EQ(simulate("stand 5s\nwalk forward 10 strides speed=1.0\nturn 180\n"
                             "walk backward 30s speed=0.6\nfall backward 8s\n",
                             NAN, 37, 0, &run_a),
                    0);
    sim_site = BSTEP_SIM_AT_FOOT;
    BSTEP_ASSERT_EQ(run_a.n_fall, 1);
    for (i = 0; i < run_a.n; i++)
        if (run_a.cue[i].type == BSTEP_CUE_FALL && isnan(t))
            t = (double)run_a.cue[i].t_us * 1e-6;
    BSTEP_ASSERT(isfinite(t));
    BSTEP_ASSERT_GE(t - run_a.fall_s[0], 0.0);
    BSTEP_ASSERT_LE(t - run_a.fall_s[0], 5.0);
}

/* A lower-back sensor: walking bent forward 28 deg gives "stand tall" within one posture report
 * (10 s of walking) plus the delay, never while upright. */
BSTEP_TEST(sim_forward_lean_gives_stand_tall)
{
    double t0, t;
    sim_site = BSTEP_SIM_AT_LOWER_BACK;
    BSTEP_ASSERT_EQ(simulate("stand 5s\nwalk forward 10 strides speed=1.0\nturn 180\n"
                             "walk backward 40s speed=0.6\nwalk backward 40s speed=0.6 lean=28\n"
                             "stand 3s\n",
                             NAN, 37, 0, &run_a),
                    0);
    sim_site = BSTEP_SIM_AT_FOOT;
    t0 = run_a.seg_start_s[4];
    BSTEP_ASSERT(t0 > 40.0);
    BSTEP_ASSERT_EQ(count_type(&run_a, BSTEP_CUE_STAND_TALL, 0.0, t0), 0);
    t = first_time(&run_a, BSTEP_CUE_STAND_TALL, t0);
    BSTEP_ASSERT(isfinite(t));
    BSTEP_ASSERT_LE(t - t0, 22.0);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(toes_first_after_two_faults_in_six),
                BSTEP_TEST_ENTRY(stand_tall_on_forward_lean),
                BSTEP_TEST_ENTRY(even_strides_on_irregular_timing),
                BSTEP_TEST_ENTRY(slow_down_above_the_level_speed),
                BSTEP_TEST_ENTRY(stumble_is_immediate_and_silences_technique),
                BSTEP_TEST_ENTRY(priority_and_rate_limits_on_a_bad_stream),
                BSTEP_TEST_ENTRY(direction_change_restarts_the_windows),
                BSTEP_TEST_ENTRY(settings_checked),
                BSTEP_TEST_ENTRY(sim_clean_session_gives_no_cues),
                BSTEP_TEST_ENTRY(sim_heel_first_gives_toes_first_at_the_right_moment),
                BSTEP_TEST_ENTRY(sim_irregular_strides_give_even_strides),
                BSTEP_TEST_ENTRY(sim_too_fast_gives_slow_down),
                BSTEP_TEST_ENTRY(sim_no_nagging_in_a_long_faulty_session),
                BSTEP_TEST_ENTRY(sim_split_input_gives_identical_cues),
                BSTEP_TEST_ENTRY(sim_stumble_cue_at_each_stumble),
                BSTEP_TEST_ENTRY(sim_fall_cue_after_the_impact),
                BSTEP_TEST_ENTRY(sim_forward_lean_gives_stand_tall))
