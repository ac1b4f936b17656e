/*
 * Trunk / pocket engine on simulated walks with exact truth (the issue-5 simulated bars):
 * - direction of every bout of 12 steps in all 24 axis-aligned mountings, lower back and pocket,
 *   with the front axis given and learned (auto), >= 98 %;
 * - stumbles detected >= 95 % with <= 1 false alarm per hour of simulated walking;
 * - falls detected >= 98 %, none in normal walking;
 * - look-backs, posture (trunk lean), left/right, step length, regularity;
 * - split input: whole / blocks / one sample at a time give identical events;
 * - accelerometer-only (gravity-only orientation) direction and steps;
 * - contact timing: from the braking, the first step after standing, a rise under the step
 *   threshold before the step (the step is timed from the last fall below zero).
 */
#include <stdlib.h>

#include "backstep/analyzer.h"
#include "backstep/sim.h"
#include "backstep/status.h"
#include "harness.h"

#define MAX_EV    8192
#define MAX_TRUTH 4096

typedef struct {
    bstep_event ev[MAX_EV];
    size_t n;
    bstep_sim_event tr[MAX_TRUTH];
    size_t nt;
    double walk_s; /* simulated walking time, s */
} run_out;

static bstep_sim g_sim;
static bstep_analyzer g_an;

static void phone_noise(bstep_sim_noise *n)
{
    memset(n, 0, sizeof(*n));
    n->accel_noise_mps2 = 0.05;
    n->gyro_noise_dps = 0.3;
    n->accel_bias_mps2 = 0.15;
    n->gyro_bias_dps = 1.0;
    n->gyro_drift_dps_rs = 0.02;
    n->scale_error_pct = 1.0;
    n->accel_range_mps2 = 8 * 9.80665;
    n->gyro_range_dps = 2000;
    n->jitter_pct = 5;
    n->packet_loss_pct = 0.2;
    n->packet_loss_max_burst = 3;
}

/* Simulate `scenario` at `site` with the mounting (front, up), run the analyzer (front axis
 * given or AUTO), collect its events and the truth events. block: samples per update call (0 =
 * the whole recording in one block call). no_gyro: strip the gyroscope. */
static int run(const char *scenario, bstep_sim_site site, bstep_axis front, bstep_axis up,
               int give_front, int noise, uint64_t seed, size_t block, int no_gyro, run_out *o)
{
    static bstep_imu_sample buf[4096];
    bstep_sim_settings sc = bstep_sim_default_settings;
    bstep_analyzer_settings ac = bstep_analyzer_default_settings;
    bstep_sim_scenario scn;
    bstep_sim_event se;
    char err[128];
    size_t i;
    sc.site = site;
    sc.seed = seed;
    if (noise)
        phone_noise(&sc.noise);
    if (bstep_sim_mounting_from_axes(front, up, sc.mounting) != BSTEP_OK ||
        bstep_sim_scenario_parse(scenario, &scn, err, sizeof(err)) != BSTEP_OK ||
        bstep_sim_init(&g_sim, &sc, &scn) != BSTEP_OK)
        return -1;
    ac.placement = site == BSTEP_SIM_AT_THIGH ? BSTEP_PLACEMENT_POCKET : BSTEP_PLACEMENT_LOWER_BACK;
    ac.front_axis = give_front ? front : BSTEP_AXIS_AUTO;
    if (bstep_analyzer_init(&g_an, &ac) != BSTEP_OK)
        return -1;
    o->n = o->nt = 0;
    o->walk_s = 0.0;
    for (;;) {
        const size_t want = block == 0 ? 4096 : (block < 4096 ? block : 4096);
        const size_t n = bstep_sim_next_block(&g_sim, buf, want);
        if (no_gyro)
            for (i = 0; i < n; i++) {
                buf[i].flags &= ~BSTEP_SAMPLE_HAS_GYRO;
                buf[i].gyro_dps[0] = buf[i].gyro_dps[1] = buf[i].gyro_dps[2] = 0.0f;
            }
        if (block == 1) {
            for (i = 0; i < n; i++)
                o->n += bstep_analyzer_update(&g_an, &buf[i], o->ev + o->n,
                                              o->n + 64 <= MAX_EV ? 64 : MAX_EV - o->n);
        } else if (n > 0 && o->n + BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE <= MAX_EV) {
            o->n += bstep_analyzer_update_block(&g_an, buf, n, o->ev + o->n, MAX_EV - o->n);
        }
        while (bstep_sim_pop_event(&g_sim, &se)) {
            if (se.type == BSTEP_SIM_EV_SEGMENT && se.kind == BSTEP_SIM_WALK)
                o->walk_s += se.end_s - se.t_s;
            if (o->nt < MAX_TRUTH && se.type != BSTEP_SIM_EV_DROPPED)
                o->tr[o->nt++] = se;
        }
        if (n < want)
            break;
    }
    o->n += bstep_analyzer_finish(&g_an, o->ev + o->n, MAX_EV - o->n);
    return 0;
}

static size_t count(const run_out *o, bstep_event_type t)
{
    size_t i, c = 0;
    for (i = 0; i < o->n; i++)
        c += o->ev[i].type == t;
    return c;
}

/* Truth events of type tt matched by detected events of type et within [lo, hi] s of them. */
static void match(const run_out *o, bstep_sim_event_type tt, bstep_event_type et, double lo,
                  double hi, size_t *n_truth, size_t *n_hit, size_t *n_false)
{
    static unsigned char used[MAX_EV];
    size_t i, k;
    memset(used, 0, sizeof(used));
    *n_truth = *n_hit = *n_false = 0;
    for (i = 0; i < o->nt; i++) {
        if (o->tr[i].type != tt)
            continue;
        (*n_truth)++;
        for (k = 0; k < o->n; k++) {
            const double d = (double)o->ev[k].t_us * 1e-6 - o->tr[i].t_s;
            if (!used[k] && o->ev[k].type == et && d >= lo && d <= hi) {
                used[k] = 1;
                (*n_hit)++;
                break;
            }
        }
    }
    for (k = 0; k < o->n; k++)
        *n_false += o->ev[k].type == et && !used[k];
}

static const char *const BOUTS4 = "stand 4s\n"
                                  "walk forward 12 steps speed=1.1\n"
                                  "stand 3s\n"
                                  "walk backward 12 steps speed=0.6\n"
                                  "stand 3s\n"
                                  "walk backward 12 steps speed=0.9\n"
                                  "stand 3s\n"
                                  "walk forward 12 steps speed=0.7\n"
                                  "stand 3s\n";
static const bstep_direction WANT4[4] = {BSTEP_DIRECTION_FORWARD, BSTEP_DIRECTION_BACKWARD,
                                         BSTEP_DIRECTION_BACKWARD, BSTEP_DIRECTION_FORWARD};

/* Bouts whose BOUT_END direction is right, out of the 4 of BOUTS4 (missing bouts are wrong). */
static int bouts_right(const run_out *o)
{
    size_t i;
    int b = 0, ok = 0;
    for (i = 0; i < o->n && b < 4; i++)
        if (o->ev[i].type == BSTEP_EVENT_BOUT_END)
            ok += o->ev[i].direction == WANT4[b++];
    return ok;
}

static void direction_all_mountings(bstep_sim_site site, int give_front, int noise, int no_gyro)
{
    static run_out o;
    int f, u, ok = 0, total = 0;
    for (f = BSTEP_AXIS_POS_X; f <= BSTEP_AXIS_NEG_Z; f++)
        for (u = BSTEP_AXIS_POS_X; u <= BSTEP_AXIS_NEG_Z; u++) {
            if ((f - 1) / 2 == (u - 1) / 2)
                continue; /* parallel axes: not a mounting */
            BSTEP_ASSERT_EQ(run(BOUTS4, site, (bstep_axis)f, (bstep_axis)u, give_front, noise,
                                (uint64_t)(f * 7 + u), 0, no_gyro, &o),
                            0);
            ok += bouts_right(&o);
            total += 4;
        }
    BSTEP_ASSERT_EQ(total, 96);
    fprintf(stderr, "  direction %s, front %s%s%s: %d/%d bouts\n",
            site == BSTEP_SIM_AT_THIGH ? "pocket" : "lower back", give_front ? "given" : "auto",
            noise ? ", phone noise" : "", no_gyro ? ", no gyro" : "", ok, total);
    BSTEP_ASSERT_GE(100.0 * ok, 98.0 * total);
}

BSTEP_TEST(direction_lower_back_24_mountings)
{
    direction_all_mountings(BSTEP_SIM_AT_LOWER_BACK, 1, 1, 0);
    direction_all_mountings(BSTEP_SIM_AT_LOWER_BACK, 0, 1, 0);
}

BSTEP_TEST(direction_pocket_24_mountings)
{
    direction_all_mountings(BSTEP_SIM_AT_THIGH, 1, 1, 0);
    direction_all_mountings(BSTEP_SIM_AT_THIGH, 0, 1, 0);
}

/* An accelerometer-only phone at the lower back: gravity-only orientation, same physics. */
BSTEP_TEST(direction_lower_back_accelerometer_only)
{
    direction_all_mountings(BSTEP_SIM_AT_LOWER_BACK, 1, 1, 1);
}

/* Stumbles: 16 per run (8 forward, 8 backward), three seeds; false alarms over an hour of
 * normal walking (30 min forward, 30 min backward). */
BSTEP_TEST(stumbles_detected_few_false_alarms)
{
    static run_out o;
    size_t nt = 0, nh = 0, nf = 0, a, b, c;
    double walk_s = 0.0;
    uint64_t seed;
    for (seed = 1; seed <= 3; seed++) {
        BSTEP_ASSERT_EQ(run("stand 3s\nwalk forward 120s speed=1.2 stumbles=8\nstand 3s\n"
                            "walk backward 120s speed=0.7 stumbles=8\nstand 3s\n",
                            BSTEP_SIM_AT_LOWER_BACK, BSTEP_AXIS_POS_X, BSTEP_AXIS_POS_Z, 1, 1, seed,
                            0, 0, &o),
                        0);
        match(&o, BSTEP_SIM_EV_STUMBLE, BSTEP_EVENT_STUMBLE, -1.5, 1.5, &a, &b, &c);
        nt += a;
        nh += b;
        nf += c;
        walk_s += o.walk_s;
    }
    BSTEP_ASSERT_EQ(nt, 48);
    BSTEP_ASSERT_EQ(run("stand 3s\nwalk forward 1800s speed=1.2\nstand 3s\n"
                        "walk backward 1800s speed=0.7\nstand 3s\n",
                        BSTEP_SIM_AT_LOWER_BACK, BSTEP_AXIS_NEG_Z, BSTEP_AXIS_POS_Y, 1, 1, 9, 0, 0,
                        &o),
                    0);
    nf += count(&o, BSTEP_EVENT_STUMBLE);
    walk_s += o.walk_s;
    fprintf(stderr, "  stumbles %zu/%zu detected, %zu false in %.2f h of walking\n", nh, nt, nf,
            walk_s / 3600.0);
    BSTEP_ASSERT_GE(100.0 * (double)nh, 95.0 * (double)nt);
    BSTEP_ASSERT_LE((double)nf, walk_s / 3600.0);
    BSTEP_ASSERT_EQ(count(&o, BSTEP_EVENT_FALL), 0); /* no fall in normal walking */
}

/* Falls: forward and backward, after walks of both directions, several mountings; normal
 * walking (the hour above) has none. */
BSTEP_TEST(falls_detected)
{
    static run_out o;
    static const char *const sc[4] = {
        "stand 3s\nwalk forward 10 steps speed=1.1\nfall backward 5s\n",
        "stand 3s\nwalk backward 10 steps speed=0.6\nfall backward 5s\n",
        "stand 3s\nwalk forward 10 steps speed=1.3\nfall forward 5s\n",
        "stand 3s\nwalk backward 12 steps speed=0.8\nfall forward 4s\n"};
    static const bstep_axis mount[5][2] = {{BSTEP_AXIS_POS_X, BSTEP_AXIS_POS_Z},
                                           {BSTEP_AXIS_NEG_Z, BSTEP_AXIS_POS_Y},
                                           {BSTEP_AXIS_POS_Y, BSTEP_AXIS_NEG_X},
                                           {BSTEP_AXIS_NEG_X, BSTEP_AXIS_NEG_Z},
                                           {BSTEP_AXIS_POS_Z, BSTEP_AXIS_POS_X}};
    size_t nt = 0, nh = 0, nf = 0, a, b, c, dir_ok = 0;
    int s, m, site;
    for (site = 0; site < 2; site++)
        for (s = 0; s < 4; s++)
            for (m = 0; m < 5; m++) {
                const bstep_direction want =
                    s < 2 ? BSTEP_DIRECTION_BACKWARD : BSTEP_DIRECTION_FORWARD;
                size_t k;
                BSTEP_ASSERT_EQ(run(sc[s], site ? BSTEP_SIM_AT_THIGH : BSTEP_SIM_AT_LOWER_BACK,
                                    mount[m][0], mount[m][1], 1, 1, (uint64_t)(100 + s * 5 + m), 0,
                                    0, &o),
                                0);
                match(&o, BSTEP_SIM_EV_FALL_IMPACT, BSTEP_EVENT_FALL, -1.0, 3.0, &a, &b, &c);
                nt += a;
                nh += b;
                nf += c;
                for (k = 0; k < o.n; k++)
                    if (o.ev[k].type == BSTEP_EVENT_FALL && !site)
                        dir_ok += o.ev[k].direction == want;
            }
    fprintf(stderr, "  falls %zu/%zu detected, %zu extra; lower-back fall direction %zu/20\n", nh,
            nt, nf, dir_ok);
    BSTEP_ASSERT_EQ(nt, 40);
    BSTEP_ASSERT_GE(100.0 * (double)nh, 98.0 * (double)nt);
    BSTEP_ASSERT_EQ(nf, 0);
    BSTEP_ASSERT_GE(dir_ok, 19);
}

BSTEP_TEST(look_backs_detected)
{
    static run_out o;
    size_t a, b, c;
    BSTEP_ASSERT_EQ(run("stand 3s\nwalk forward 40 steps speed=1.2 look-backs=2\nstand 3s\n"
                        "walk backward 40 steps speed=0.6 look-backs=2\nstand 3s\n",
                        BSTEP_SIM_AT_LOWER_BACK, BSTEP_AXIS_POS_Y, BSTEP_AXIS_POS_Z, 1, 1, 4, 0, 0,
                        &o),
                    0);
    match(&o, BSTEP_SIM_EV_LOOK_BACK, BSTEP_EVENT_LOOK_BACK, -1.5, 1.5, &a, &b, &c);
    BSTEP_ASSERT_EQ(a, 4);
    BSTEP_ASSERT_EQ(b, 4);
    BSTEP_ASSERT_EQ(c, 0);
}

/* Trunk lean relative to the upright stance: the simulated lean is a trunk pitch (+ forward). */
BSTEP_TEST(posture_lean_and_events)
{
    static run_out o;
    double sum = 0.0, side = 0.0;
    size_t i, n = 0, posture = 0;
    BSTEP_ASSERT_EQ(run("stand 4s\nwalk backward 40 steps speed=0.7 lean=15\nstand 3s\n",
                        BSTEP_SIM_AT_LOWER_BACK, BSTEP_AXIS_NEG_Z, BSTEP_AXIS_POS_X, 1, 1, 5, 0, 0,
                        &o),
                    0);
    for (i = 0; i < o.n; i++) {
        if (o.ev[i].type == BSTEP_EVENT_POSTURE)
            posture++;
        if (o.ev[i].type != BSTEP_EVENT_INITIAL_CONTACT || !isfinite(o.ev[i].trunk_lean_deg))
            continue;
        if ((double)o.ev[i].t_us * 1e-6 < 12.0)
            continue; /* the lean is reached over the first steps */
        sum += (double)o.ev[i].trunk_lean_deg;
        side += (double)o.ev[i].side_lean_deg;
        n++;
    }
    BSTEP_ASSERT_GE(n, 20);
    fprintf(stderr, "  lean %.1f deg, side %.1f deg over %zu steps\n", sum / (double)n,
            side / (double)n, n);
    BSTEP_ASSERT_NEAR(sum / (double)n, 15.0, 3.0);
    BSTEP_ASSERT_NEAR(side / (double)n, 0.0, 2.0);
    BSTEP_ASSERT_GE(posture, 2);
}

/* Left/right from the lateral sway, against the simulator's feet. */
BSTEP_TEST(left_right_from_sway)
{
    static run_out o;
    size_t i, k, n = 0, ok = 0;
    BSTEP_ASSERT_EQ(run("stand 3s\nwalk forward 30 steps speed=1.2\nstand 3s\n"
                        "walk backward 30 steps speed=0.6\nstand 3s\n",
                        BSTEP_SIM_AT_LOWER_BACK, BSTEP_AXIS_POS_Z, BSTEP_AXIS_NEG_X, 1, 1, 6, 0, 0,
                        &o),
                    0);
    for (i = 0; i < o.n; i++) {
        const double t = (double)o.ev[i].t_us * 1e-6;
        if (o.ev[i].type != BSTEP_EVENT_INITIAL_CONTACT || o.ev[i].foot == BSTEP_FOOT_UNKNOWN)
            continue;
        for (k = 0; k < o.nt; k++)
            if (o.tr[k].type == BSTEP_SIM_EV_STEP && fabs(o.tr[k].ic_s - t) < 0.1) {
                n++;
                ok += o.tr[k].foot == o.ev[i].foot;
                break;
            }
    }
    fprintf(stderr, "  left/right %zu/%zu\n", ok, n);
    BSTEP_ASSERT_GE(n, 50);
    BSTEP_ASSERT_GE(100.0 * (double)ok, 95.0 * (double)n);
}

/* Step length (inverted pendulum) and cadence against the simulated forward walk. */
BSTEP_TEST(step_length_and_cadence)
{
    static run_out o;
    double len = 0.0, truth = 0.0;
    size_t i, n = 0, nt = 0;
    float cad = NAN;
    BSTEP_ASSERT_EQ(run("stand 3s\nwalk forward 40 steps speed=1.2 cadence=108\nstand 3s\n",
                        BSTEP_SIM_AT_LOWER_BACK, BSTEP_AXIS_POS_X, BSTEP_AXIS_POS_Z, 1, 0, 7, 0, 0,
                        &o),
                    0);
    for (i = 0; i < o.n; i++) {
        if (o.ev[i].type == BSTEP_EVENT_BOUT_END)
            cad = o.ev[i].value;
        if (o.ev[i].type == BSTEP_EVENT_INITIAL_CONTACT && isfinite(o.ev[i].step_length_m)) {
            len += (double)o.ev[i].step_length_m;
            n++;
        }
    }
    for (i = 0; i < o.nt; i++)
        if (o.tr[i].type == BSTEP_SIM_EV_SEGMENT && o.tr[i].kind == BSTEP_SIM_WALK) {
            truth = o.tr[i].distance_m;
            nt = 40;
        }
    BSTEP_ASSERT_EQ(nt, 40);
    fprintf(stderr, "  mean step %.3f m (truth %.3f), cadence %.1f\n", len / (double)n,
            truth / 40.0, (double)cad);
    BSTEP_ASSERT_NEAR(len / (double)n, truth / 40.0, 0.1 * truth / 40.0);
    BSTEP_ASSERT_NEAR(cad, 108.0, 3.0);
}

/* Field-by-field event equality (struct padding is not part of the result). */
static int same_event(const bstep_event *x, const bstep_event *y)
{
#define FEQ(f) (memcmp(&x->f, &y->f, sizeof(float)) == 0)
    return x->type == y->type && x->t_us == y->t_us && x->emitted_t_us == y->emitted_t_us &&
           x->foot == y->foot && x->direction == y->direction && FEQ(stride_length_m) &&
           FEQ(stride_time_s) && FEQ(trunk_lean_deg) && FEQ(side_lean_deg) && FEQ(confidence) &&
           FEQ(value) && FEQ(step_length_m) && FEQ(step_regularity) && FEQ(stride_regularity);
#undef FEQ
}

/* Whole recording / blocks of 37 / one sample at a time: identical events of every kind. */
BSTEP_TEST(split_input_identical_trunk)
{
    static run_out a, b, c;
    static const char *const sc =
        "stand 4s\nwalk forward 30 steps speed=1.2 stumbles=1 look-backs=1\n"
        "stand 3s\nwalk backward 30 steps speed=0.7 lean=10\n"
        "fall backward 4s\n";
    int site;
    size_t i;
    for (site = 0; site < 2; site++) {
        const bstep_sim_site st = site ? BSTEP_SIM_AT_THIGH : BSTEP_SIM_AT_LOWER_BACK;
        BSTEP_ASSERT_EQ(run(sc, st, BSTEP_AXIS_NEG_Y, BSTEP_AXIS_POS_Z, 0, 1, 11, 0, 0, &a), 0);
        BSTEP_ASSERT_EQ(run(sc, st, BSTEP_AXIS_NEG_Y, BSTEP_AXIS_POS_Z, 0, 1, 11, 37, 0, &b), 0);
        BSTEP_ASSERT_EQ(run(sc, st, BSTEP_AXIS_NEG_Y, BSTEP_AXIS_POS_Z, 0, 1, 11, 1, 0, &c), 0);
        BSTEP_ASSERT_EQ(a.n, b.n);
        BSTEP_ASSERT_EQ(a.n, c.n);
        BSTEP_ASSERT_GE(count(&a, BSTEP_EVENT_INITIAL_CONTACT), 50);
        BSTEP_ASSERT_GE(count(&a, BSTEP_EVENT_BOUT_END), 2);
        BSTEP_ASSERT_GE(count(&a, BSTEP_EVENT_FALL), 1);
        if (!site) {
            BSTEP_ASSERT_GE(count(&a, BSTEP_EVENT_POSTURE), 1);
            BSTEP_ASSERT_GE(count(&a, BSTEP_EVENT_STUMBLE), 1);
            BSTEP_ASSERT_GE(count(&a, BSTEP_EVENT_LOOK_BACK), 1);
        }
        for (i = 0; i < a.n; i++) {
            BSTEP_ASSERT(same_event(&a.ev[i], &b.ev[i]));
            BSTEP_ASSERT(same_event(&a.ev[i], &c.ev[i]));
        }
    }
}

/* A data gap inside a walk ends the bout: the two halves are never stitched. */
BSTEP_TEST(gap_splits_bout)
{
    static bstep_imu_sample s[12000];
    static bstep_event ev[2048];
    bstep_sim_settings sc = bstep_sim_default_settings;
    bstep_analyzer_settings ac = bstep_analyzer_default_settings;
    bstep_sim_scenario scn;
    char err[64];
    size_t n, i, ne = 0, starts = 0, ends = 0, gaps = 0;
    sc.site = BSTEP_SIM_AT_LOWER_BACK;
    BSTEP_ASSERT_OK(bstep_sim_scenario_parse("stand 3s\nwalk forward 60 steps\nstand 2s\n", &scn,
                                             err, sizeof(err)));
    BSTEP_ASSERT_OK(bstep_sim_init(&g_sim, &sc, &scn));
    n = bstep_sim_next_block(&g_sim, s, 12000);
    BSTEP_ASSERT_OK(bstep_analyzer_init(&g_an, &ac));
    for (i = 0; i < n; i++) {
        const double t = (double)s[i].t_us * 1e-6;
        if (t > 15.0 && t < 16.0)
            continue; /* 1 s of data missing mid-walk */
        ne += bstep_analyzer_update(&g_an, &s[i], ev + ne, 64);
    }
    ne += bstep_analyzer_finish(&g_an, ev + ne, 64);
    for (i = 0; i < ne; i++) {
        starts += ev[i].type == BSTEP_EVENT_BOUT_START;
        ends += ev[i].type == BSTEP_EVENT_BOUT_END;
        gaps += ev[i].type == BSTEP_EVENT_GAP;
        if (ev[i].type == BSTEP_EVENT_BOUT_END && ends == 1)
            BSTEP_ASSERT_LE((double)ev[i].t_us * 1e-6, 15.0);
    }
    BSTEP_ASSERT_EQ(gaps, 1);
    BSTEP_ASSERT_EQ(starts, 2);
    BSTEP_ASSERT_EQ(ends, 2);
}

/* Regularity of a perfectly periodic walk: every step alike -> Ad1 and Ad2 near 1. */
BSTEP_TEST(regularity_of_identical_steps)
{
    static bstep_imu_sample s[6000];
    static bstep_event ev[1024];
    bstep_analyzer_settings ac = bstep_analyzer_default_settings;
    size_t n, i, ne = 0, found = 0;
    for (n = 0; n < 6000; n++) { /* 60 s: 2 steps/s, collision pulses as in test_analyzer */
        const double t = (double)n / 100.0, sd = 0.03;
        double v = -3.0 * sd * sqrt(2.0 * 3.141592653589793) / 0.5;
        int k;
        for (k = (int)floor((t - 0.25) / 0.5) - 1; k <= (int)floor((t - 0.25) / 0.5) + 1; k++) {
            const double x = (t - (0.25 + 0.5 * k + sd)) / sd;
            v += 3.0 * exp(-0.5 * x * x);
        }
        memset(&s[n], 0, sizeof(s[n]));
        s[n].t_us = (bstep_time_us)llround(t * 1e6);
        s[n].accel_mps2[2] = 9.80665f + (float)(t > 2.0 ? v : 0.0);
    }
    BSTEP_ASSERT_OK(bstep_analyzer_init(&g_an, &ac));
    ne = bstep_analyzer_update_block(&g_an, s, n, ev, 1024);
    ne += bstep_analyzer_finish(&g_an, ev + ne, 1024 - ne);
    for (i = 0; i < ne; i++)
        if (ev[i].type == BSTEP_EVENT_BOUT_END) {
            found++;
            BSTEP_ASSERT_GE(ev[i].step_regularity, 0.95);
            BSTEP_ASSERT_GE(ev[i].stride_regularity, 0.95);
            BSTEP_ASSERT_NEAR(ev[i].value, 120.0, 1.0);
        }
    BSTEP_ASSERT_EQ(found, 1);
}

/* Contact timing from the forward braking (trunk.c ap_refine): collision pulses whose vertical
 * rise marks the contacts at 0.25 + 0.5 k s; a fore-aft acceleration that rises through each
 * step and drops by 3 m/s^2 in 40 ms starting 60 ms before that contact (a braking transient)
 * moves the contacts towards it by about half (the mean of the two markers); a smooth sinusoid
 * of the same size and phase at the step frequency (the pendulum alone, no transient) changes
 * nothing. */
static double mean_contact_offset(int kind)
{
    static bstep_imu_sample s[3000];
    static bstep_event ev[512];
    bstep_analyzer_settings ac = bstep_analyzer_default_settings;
    size_t n, i, ne, m = 0;
    double sum = 0.0;
    for (n = 0; n < 3000; n++) { /* 30 s: 2 steps/s */
        const double t = (double)n / 100.0, sd = 0.03;
        double v = -3.0 * sd * sqrt(2.0 * 3.141592653589793) / 0.5, ph, ax = 0.0;
        int k;
        for (k = (int)floor((t - 0.25) / 0.5) - 1; k <= (int)floor((t - 0.25) / 0.5) + 1; k++) {
            const double x = (t - (0.25 + 0.5 * k + sd)) / sd;
            v += 3.0 * exp(-0.5 * x * x);
        }
        ph = fmod(t - 0.25 + 0.06 + 10.0, 0.5); /* time since the braking began */
        if (kind == 1) /* 40 ms drop of 3 m/s^2, then a linear rise back over the step */
            ax = ph < 0.04 ? 1.5 - 3.0 * ph / 0.04 : -1.5 + 3.0 * (ph - 0.04) / 0.46;
        else if (kind == 2) /* the pendulum's smooth swing: the same size and phase */
            ax = 1.5 * sin(2.0 * 3.141592653589793 * (ph - 0.27) / 0.5);
        memset(&s[n], 0, sizeof(s[n]));
        s[n].t_us = (bstep_time_us)llround(t * 1e6);
        s[n].accel_mps2[2] = 9.80665f + (float)(t > 2.0 ? v : 0.0);
        s[n].accel_mps2[0] = (float)(t > 2.0 ? ax : 0.0);
    }
    ac.front_axis = BSTEP_AXIS_POS_X;
    if (bstep_analyzer_init(&g_an, &ac) != BSTEP_OK)
        return (double)NAN;
    ne = bstep_analyzer_update_block(&g_an, s, n, ev, 512);
    ne += bstep_analyzer_finish(&g_an, ev + ne, 512 - ne);
    for (i = 0; i < ne; i++)
        if (ev[i].type == BSTEP_EVENT_INITIAL_CONTACT && ev[i].t_us > 5000000) {
            const double t = (double)ev[i].t_us * 1e-6;
            sum += t - (0.25 + 0.5 * floor((t - 0.25 + 0.25) / 0.5));
            m++;
        }
    return m >= 40 ? sum / (double)m : (double)NAN;
}

BSTEP_TEST(contact_timing_from_braking)
{
    const double none = mean_contact_offset(0), brake = mean_contact_offset(1),
                 swing = mean_contact_offset(2);
    fprintf(stderr,
            "  mean contact offset: vertical only %+.4f s, braking %+.4f s, swing %+.4f s\n", none,
            brake, swing);
    BSTEP_ASSERT_NEAR(none, 0.0, 0.01);
    BSTEP_ASSERT_NEAR(brake - none, -0.03, 0.015);
    BSTEP_ASSERT_NEAR(swing, none, 0.005);
}

/* Gait initiation (analyzer.c initiation_push_off): after 4 s of quiet standing, collision
 * pulses at the given contact times (s); returns the contacts reported, the first one's time and
 * the last bout's cadence.
 * fidget: before the walk the trunk vibrates (0.8 m/s^2 at 8 Hz, no steps) instead of standing
 * still. */
static size_t contacts_after_standing(const double *ct, size_t nct, int fidget, double *first_s,
                                      double *cadence_spm)
{
    static bstep_imu_sample s[2000];
    static bstep_event ev[256];
    bstep_analyzer_settings ac = bstep_analyzer_default_settings;
    size_t n, i, ne, m = 0;
    for (n = 0; n < 2000; n++) { /* 20 s */
        const double t = (double)n / 100.0, sd = 0.03;
        double v = fidget && t < 4.5 ? 0.8 * sin(2.0 * 3.141592653589793 * 8.0 * t) : 0.0;
        for (i = 0; i < nct; i++) {
            const double x = (t - (ct[i] + sd)) / sd;
            v += 3.0 * exp(-0.5 * x * x);
            /* each pulse's own dip (the single-support fall) keeps the mean at zero */
            v -= 0.5 * exp(-0.5 * ((t - ct[i] - 0.28) / 0.09) * ((t - ct[i] - 0.28) / 0.09));
        }
        memset(&s[n], 0, sizeof(s[n]));
        s[n].t_us = (bstep_time_us)llround(t * 1e6);
        s[n].accel_mps2[2] = 9.80665f + (float)v;
    }
    if (bstep_analyzer_init(&g_an, &ac) != BSTEP_OK)
        return 0;
    ne = bstep_analyzer_update_block(&g_an, s, n, ev, 256);
    ne += bstep_analyzer_finish(&g_an, ev + ne, 256 - ne);
    *first_s = (double)NAN;
    *cadence_spm = (double)NAN;
    for (i = 0; i < ne; i++) {
        if (ev[i].type == BSTEP_EVENT_BOUT_END)
            *cadence_spm = (double)ev[i].value;
        if (ev[i].type == BSTEP_EVENT_INITIAL_CONTACT) {
            if (m == 0)
                *first_s = (double)ev[i].t_us * 1e-6;
            m++;
        }
    }
    return m;
}

BSTEP_TEST(gait_initiation_push_off_dropped)
{
    /* 10 steps of 0.55 s from 5.0 s; before them a push-off 0.38 s (a swing) or 0.60 s (a
     * slow first step) earlier */
    double ct[11], first, cad;
    size_t i, n;
    for (i = 0; i < 10; i++)
        ct[i + 1] = 5.0 + 0.55 * (double)i;
    ct[0] = 5.0 - 0.38;
    n = contacts_after_standing(ct, 11, 0, &first, &cad);
    fprintf(stderr, "  push-off 0.38 s before: %zu contacts, first %.2f s\n", n, first);
    BSTEP_ASSERT_EQ(n, 10);
    BSTEP_ASSERT_NEAR(first, 5.0, 0.05);
    ct[0] = 5.0 - 0.60; /* a first step longer than the next: a contact */
    n = contacts_after_standing(ct, 11, 0, &first, &cad);
    BSTEP_ASSERT_EQ(n, 11);
    BSTEP_ASSERT_NEAR(first, 4.4, 0.05);
    ct[0] = 5.0 - 0.38; /* not from quiet standing: nothing is dropped */
    n = contacts_after_standing(ct, 11, 1, &first, &cad);
    BSTEP_ASSERT_EQ(n, 11);
}

/* Cadence per bout (trunk.c stride_cadence): the mean of the strides' 120 / stride time, a
 * pause inside the bout counted as the reference counts it: 22 contacts 0.6 s apart but one step
 * of 1.2 s: 18 strides of 1.2 s (100 steps/min) and 2 of 1.8 s (66.7) -> 96.7 (dropping the slow
 * step, as a Hampel rule on step times does, would give 100). */
BSTEP_TEST(cadence_is_the_stride_mean)
{
    double ct[22], first, cad;
    size_t i, n;
    for (i = 0; i < 22; i++)
        ct[i] = 5.0 + 0.6 * (double)i + (i >= 12 ? 0.6 : 0.0);
    n = contacts_after_standing(ct, 22, 0, &first, &cad);
    fprintf(stderr, "  %zu contacts, cadence %.2f\n", n, cad);
    BSTEP_ASSERT_EQ(n, 22);
    BSTEP_ASSERT_NEAR(cad, (18.0 * 100.0 + 2.0 * 120.0 / 1.8) / 20.0, 0.5);
}

/* Every step labelled with a direction carries its confidence, the held first contacts of a bout
 * too (labelled when the bout opens, by the same rule as the steps: the mean score of the recent
 * strides), and the held contact agrees with the bout it opens. */
BSTEP_TEST(held_contacts_direction_has_confidence)
{
    static run_out o;
    size_t i, labelled = 0, first_ok = 0, bouts = 0;
    int want_first = 0;
    BSTEP_ASSERT(run(BOUTS4, BSTEP_SIM_AT_LOWER_BACK, BSTEP_AXIS_POS_X, BSTEP_AXIS_POS_Z, 1, 0, 7,
                     0, 0, &o) == 0);
    for (i = 0; i < o.n; i++) {
        const bstep_event *e = &o.ev[i];
        if (e->type == BSTEP_EVENT_BOUT_START) {
            want_first = 1;
            continue;
        }
        if (e->type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        if (e->direction != BSTEP_DIRECTION_UNKNOWN) {
            labelled++;
            BSTEP_ASSERT(isfinite(e->confidence) && e->confidence >= 0.0f && e->confidence <= 1.0f);
        }
        if (want_first && bouts < 4) {
            first_ok += e->direction == WANT4[bouts];
            bouts++;
        }
        want_first = 0;
    }
    BSTEP_ASSERT(labelled >= 40);
    BSTEP_ASSERT(bouts == 4 && first_ok == 4);
}

/* A trunk sample at t (s) reading v (m/s^2) above gravity on the vertical axis, nothing else. */
static void vertical_sample(bstep_imu_sample *s, double t, double v)
{
    memset(s, 0, sizeof(*s));
    s->t_us = (bstep_time_us)llround(t * 1e6);
    s->accel_mps2[2] = 9.80665f + (float)v;
}

/* The contacts between 8 and 52 s (of a walk from 3 to 57 s: its steady part) that a default
 * analyzer finds in s[0..n) fed in blocks of `block` samples; 0 if it cannot start. */
static size_t walk_contacts_8_52(const bstep_imu_sample *s, size_t n, size_t block, double *ic_s,
                                 size_t cap)
{
    static bstep_event ev[1024];
    bstep_analyzer_settings ac = bstep_analyzer_default_settings;
    size_t i, ne = 0, m = 0;
    if (bstep_analyzer_init(&g_an, &ac) != BSTEP_OK)
        return 0;
    for (i = 0; i < n; i += block) {
        const size_t nb = n - i < block ? n - i : block;
        ne += bstep_analyzer_update_block(&g_an, s + i, nb, ev + ne, 1024 - ne);
    }
    ne += bstep_analyzer_finish(&g_an, ev + ne, 1024 - ne);
    for (i = 0; i < ne; i++) {
        const double t = (double)ev[i].t_us * 1e-6;
        if (ev[i].type == BSTEP_EVENT_INITIAL_CONTACT && t > 8.0 && t < 52.0 && m < cap)
            ic_s[m++] = t;
    }
    return m;
}

/* The rise of a step is timed from the last time the filtered vertical acceleration went below
 * zero (trunk.c trunk_detect, f2cbdde), not from the lowest point since the detector armed. A
 * slow walk (1.2 s steps: a 0.8 m/s^2 oscillation whose upward zero crossings are the contacts)
 * with a brief jolt 0.25 s before each contact (1.5 m/s^2, 60 ms: a swing foot brushing the
 * ground): after the step filter the jolt is a rise from the trough to about +0.2 m/s^2, under
 * the 0.4 m/s^2 step threshold, that falls back below zero (not below the trough) before the
 * step's own rise. Its slope is steeper than the step's, so timed from the trough the contact
 * moved to the jolt (0.42 s early); timed from the last fall below zero it stays within 0.1 s
 * of the same walk without the jolts, and no contact is added or lost. */
static size_t slow_walk_contacts(int jolt, double *ic_s, size_t cap)
{
    static bstep_imu_sample s[6000];
    const double step_s = 1.2, pi = 3.141592653589793;
    size_t n;
    for (n = 0; n < 6000; n++) { /* 60 s, walking from 3 to 57 s */
        const double t = (double)n / 100.0;
        double v = 0.0;
        if (t > 3.0 && t < 57.0) {
            int k;
            v = 0.8 * sin(2.0 * pi * t / step_s);
            for (k = (int)floor(t / step_s) - 1; jolt && k <= (int)floor(t / step_s) + 2; k++) {
                const double x = (t - ((double)k * step_s - 0.25)) / 0.06;
                v += 1.5 * exp(-0.5 * x * x);
            }
        }
        vertical_sample(&s[n], t, v);
    }
    return walk_contacts_8_52(s, n, n, ic_s, cap);
}

BSTEP_TEST(step_rise_timed_from_last_zero_crossing)
{
    double plain[64], jolt[64], worst = 0.0;
    const size_t np = slow_walk_contacts(0, plain, 64), nj = slow_walk_contacts(1, jolt, 64);
    size_t i;
    BSTEP_ASSERT_GE(np, 35); /* 44 s of 1.2 s steps */
    BSTEP_ASSERT_EQ(nj, np);
    for (i = 0; i < np; i++) {
        const double d = jolt[i] - plain[i];
        if (fabs(d) > fabs(worst))
            worst = d;
    }
    fprintf(stderr, "  %zu contacts; largest shift by the jolts %+.3f s\n", np, worst);
    BSTEP_ASSERT(fabs(worst) < 0.1);
}

/* A rise that stalls below the mean is two movements, and the contact is timed on the larger
 * (trunk.c STEP_STALL_FRAC). Each 1.2 s step: a trough, a sharp lift of 1.3 m/s^2 0.4 s before
 * the contact (a weight shift or push-off), a plateau below the mean, then from the contact the
 * collision's rise of 2.7 m/s^2 over 0.45 s. After the step filter the lift has the steeper
 * slope (about 9 against 7 m/s^3), so the contact went to it, 0.4 s early; it must now lie on
 * the collision's rise (0..0.45 s after its onset), one a step. */
static size_t stalled_walk_contacts(double *ic_s, size_t cap)
{
    static bstep_imu_sample s[6000];
    const double step_s = 1.2;
    size_t n;
    for (n = 0; n < 6000; n++) { /* 60 s, walking from 3 to 57 s; contacts at k * step_s */
        const double t = (double)n / 100.0, u = t - step_s * floor(t / step_s + 0.5);
        double v = 0.0;
        if (t > 3.0 && t < 57.0) {
            if (u < -0.40)
                v = -1.5;
            else if (u < 0.0)
                v = -1.5 + 1.3 * fmin(1.0, (u + 0.40) / 0.02);
            else if (u < 0.45)
                v = -0.2 + 2.7 * u / 0.45;
            else if (u < 0.55)
                v = 2.5 - 4.0 * (u - 0.45) / 0.10;
            else
                v = -1.5;
        }
        vertical_sample(&s[n], t, v);
    }
    return walk_contacts_8_52(s, n, n, ic_s, cap);
}

BSTEP_TEST(stalled_rise_timed_on_the_larger_rise)
{
    double ic[64], lo = 1.0, hi = -1.0;
    const size_t n = stalled_walk_contacts(ic, 64);
    size_t i;
    BSTEP_ASSERT_GE(n, 36); /* 44 s of 1.2 s steps */
    BSTEP_ASSERT_LE(n, 38);
    for (i = 0; i < n; i++) {
        const double d = ic[i] - 1.2 * floor(ic[i] / 1.2 + 0.5);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    fprintf(stderr, "  %zu contacts, %+.3f .. %+.3f s from the collision's onset\n", n, lo, hi);
    BSTEP_ASSERT(lo >= -0.05 && hi <= 0.45);
}

/* A second hump of one stance is not a step (trunk.c STEP_HUMP_FRAC). Each 1.0 s step: the
 * collision, a rise of 4 m/s^2 in 80 ms from the single-support low, its decay, a plateau below
 * the mean and the next single-support low; with hump = 1, every other step carries a bump of
 * hump_mps2 in the plateau, 0.4-0.6 s after the contact (the trunk bobbing in single support,
 * as when turning: mobgap MS daily life, 218.56 s). After the step filter the bump rises from
 * below the mean to above the 0.4 m/s^2 step threshold, a fifth of the collision's rise, less
 * than half a step after the contact: it was counted as a step. Fed whole, in blocks of 37 and
 * one sample at a time, the contacts are the same. */
static size_t hump_walk_contacts(double hump_mps2, size_t block, double *ic_s, size_t cap)
{
    static bstep_imu_sample s[6000];
    const double step_s = 1.0, pi = 3.141592653589793;
    size_t n;
    for (n = 0; n < 6000; n++) { /* 60 s, walking from 3 to 57 s; contacts at k * step_s */
        const double t = (double)n / 100.0, u = t - step_s * floor(t / step_s);
        const long k = (long)floor(t / step_s);
        double v = 0.0;
        if (t > 3.0 && t < 57.0) {
            if (u < 0.08)
                v = -2.0 + 4.0 * u / 0.08;
            else if (u < 0.20)
                v = 2.0 - 3.0 * (u - 0.08) / 0.12;
            else if (u < 0.80)
                v = -1.0;
            else
                v = -1.0 - (u - 0.80) / 0.20;
            if (k % 2 == 0 && u >= 0.40 && u < 0.60)
                v += hump_mps2 * 0.5 * (1.0 - cos(2.0 * pi * (u - 0.40) / 0.20));
        }
        vertical_sample(&s[n], t, v);
    }
    return walk_contacts_8_52(s, n, block, ic_s, cap);
}

BSTEP_TEST(stance_hump_is_not_a_step)
{
    static double plain[128], hump[128], b37[128], one[128], strong[128];
    const size_t np = hump_walk_contacts(0.0, 6000, plain, 128);
    const size_t nh = hump_walk_contacts(1.5, 6000, hump, 128);
    const size_t nb = hump_walk_contacts(1.5, 37, b37, 128);
    const size_t n1 = hump_walk_contacts(1.5, 1, one, 128);
    /* a second rise as large as the collision is a (short) step and is kept */
    const size_t ns = hump_walk_contacts(4.0, 6000, strong, 128);
    size_t i;
    fprintf(stderr, "  plain %zu contacts; with 1.5 m/s^2 humps %zu, with 4 m/s^2 ones %zu\n", np,
            nh, ns);
    BSTEP_ASSERT_GE(np, 43); /* 44 s of 1.0 s steps */
    BSTEP_ASSERT_LE(np, 45);
    BSTEP_ASSERT_EQ(nh, np);
    BSTEP_ASSERT_EQ(nb, nh);
    BSTEP_ASSERT_EQ(n1, nh);
    BSTEP_ASSERT_GE(ns, np + 20); /* one every other step */
    for (i = 0; i < nh; i++) {
        BSTEP_ASSERT(fabs(hump[i] - floor(hump[i] + 0.5)) < 0.1);
        BSTEP_ASSERT(b37[i] == hump[i] && one[i] == hump[i]);
    }
}

BSTEP_TEST(invalid_trunk_settings)
{
    bstep_analyzer_settings c = bstep_analyzer_default_settings;
    c.sensor_height_m = 0.0f;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&g_an, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.step_length_scale = NAN;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&g_an, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.fall_lying_deg = 200.0f;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&g_an, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.front_calibration_steps = 1;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&g_an, &c), BSTEP_EINVAL);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(direction_lower_back_24_mountings),
                BSTEP_TEST_ENTRY(direction_pocket_24_mountings),
                BSTEP_TEST_ENTRY(direction_lower_back_accelerometer_only),
                BSTEP_TEST_ENTRY(stumbles_detected_few_false_alarms),
                BSTEP_TEST_ENTRY(falls_detected), BSTEP_TEST_ENTRY(look_backs_detected),
                BSTEP_TEST_ENTRY(posture_lean_and_events), BSTEP_TEST_ENTRY(left_right_from_sway),
                BSTEP_TEST_ENTRY(step_length_and_cadence),
                BSTEP_TEST_ENTRY(split_input_identical_trunk), BSTEP_TEST_ENTRY(gap_splits_bout),
                BSTEP_TEST_ENTRY(regularity_of_identical_steps),
                BSTEP_TEST_ENTRY(contact_timing_from_braking),
                BSTEP_TEST_ENTRY(gait_initiation_push_off_dropped),
                BSTEP_TEST_ENTRY(cadence_is_the_stride_mean),
                BSTEP_TEST_ENTRY(held_contacts_direction_has_confidence),
                BSTEP_TEST_ENTRY(step_rise_timed_from_last_zero_crossing),
                BSTEP_TEST_ENTRY(stalled_rise_timed_on_the_larger_rise),
                BSTEP_TEST_ENTRY(stance_hump_is_not_a_step),
                BSTEP_TEST_ENTRY(invalid_trunk_settings))
