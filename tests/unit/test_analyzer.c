/*
 * Streaming analyzer: contacts on signals whose event times are known by construction, split
 * input (whole / blocks / one sample at a time give identical events), two instances interleaved,
 * gaps, settings validation.
 */
#include <stdlib.h>

#include "backstep/analyzer.h"
#include "backstep/sim.h"
#include "backstep/status.h"
#include "harness.h"

#define G      9.80665f
#define PI_F   3.14159265f
#define MAX_EV 4096

/* A still, flat foot sample at t (gravity on z, gyro present); returns the index of the stride
 * of period T_s starting at t0_s that t falls in, and the phase in it (s). */
static int still_sample(bstep_imu_sample *s, double t, double t0_s, double T_s, double *ph_s)
{
    const int k = (int)floor((t - t0_s) / T_s);
    memset(s, 0, sizeof(*s));
    s->t_us = (bstep_time_us)llround(t * 1e6);
    s->flags = BSTEP_SAMPLE_HAS_GYRO;
    s->accel_mps2[2] = G;
    *ph_s = t - t0_s - T_s * k;
    return k;
}

/* A foot-like signal: 1.1 s strides, 0.45 s swing (gyro_y half-sine of 400 deg/s), an impact of
 * +25 m/s^2 on the vertical axis at each landing, still stance otherwise. Landing k at
 * t = 1.0 + 1.1 k + 0.45 s. */
static size_t foot_signal(bstep_imu_sample *s, size_t cap, float rate, int strides)
{
    const double T = 1.1, swing = 0.45, t0 = 1.0;
    const double end = t0 + T * strides + 1.0;
    size_t n = 0;
    for (n = 0; n < cap; n++) {
        const double t = (double)n / (double)rate;
        double ph;
        int k;
        if (t > end)
            break;
        k = still_sample(&s[n], t, t0, T, &ph);
        if (t >= t0 && k < strides && ph < swing) {
            s[n].gyro_dps[1] = 400.0f * (float)sin(3.141592653589793 * ph / swing);
            s[n].accel_mps2[0] = 3.0f * (float)sin(2.0 * 3.141592653589793 * ph / swing);
        }
        if (t >= t0 && k >= 0 && k < strides && fabs(ph - swing) < 0.5 / (double)rate)
            s[n].accel_mps2[2] = G + 25.0f; /* landing of stride k */
    }
    return n;
}

static size_t run_block(const bstep_analyzer_settings *cfg, const bstep_imu_sample *s, size_t n,
                        size_t block, bstep_event *ev)
{
    bstep_analyzer *a = malloc(sizeof(*a));
    size_t i, out = 0;
    if (a == NULL || bstep_analyzer_init(a, cfg) != BSTEP_OK) {
        free(a);
        return 0;
    }
    for (i = 0; i < n; i += block) {
        size_t m = n - i < block ? n - i : block;
        out += bstep_analyzer_update_block(a, s + i, m, ev + out, MAX_EV - out);
    }
    out += bstep_analyzer_finish(a, ev + out, MAX_EV - out);
    free(a);
    return out;
}

/* Field-by-field comparison (struct padding is not part of the result). */
static int events_equal(const bstep_event *a, const bstep_event *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const bstep_event *x = &a[i], *y = &b[i];
        if (x->type != y->type || x->t_us != y->t_us || x->emitted_t_us != y->emitted_t_us ||
            x->foot != y->foot || x->direction != y->direction || x->strike != y->strike ||
            memcmp(&x->strike_angle_deg, &y->strike_angle_deg, sizeof(float)) != 0 ||
            memcmp(&x->stride_length_m, &y->stride_length_m, sizeof(float)) != 0 ||
            memcmp(&x->stride_time_s, &y->stride_time_s, sizeof(float)) != 0 ||
            memcmp(&x->value, &y->value, sizeof(float)) != 0 ||
            memcmp(&x->clearance_m, &y->clearance_m, sizeof(float)) != 0 ||
            memcmp(&x->turn_deg, &y->turn_deg, sizeof(float)) != 0 ||
            memcmp(&x->stride_forward_m, &y->stride_forward_m, sizeof(float)) != 0 ||
            memcmp(&x->stride_left_m, &y->stride_left_m, sizeof(float)) != 0 ||
            memcmp(&x->speed_mps, &y->speed_mps, sizeof(float)) != 0)
            return 0;
    }
    return 1;
}

/* The events of the same input fed one sample at a time and in blocks of 37 equal `ev` (its ne
 * events, fed whole): split input changes nothing. */
static void assert_split_same(const bstep_analyzer_settings *cfg, const bstep_imu_sample *s,
                              size_t n, const bstep_event *ev, size_t ne)
{
    static bstep_event ev1[MAX_EV];
    static const size_t blocks[] = {1, 37};
    size_t b;
    for (b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
        const size_t ne1 = run_block(cfg, s, n, blocks[b], ev1);
        BSTEP_ASSERT_EQ(ne1, ne);
        BSTEP_ASSERT(events_equal(ev, ev1, ne));
    }
}

static size_t count_type(const bstep_event *ev, size_t n, bstep_event_type t)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++)
        c += ev[i].type == t;
    return c;
}

BSTEP_TEST(foot_contacts_at_impacts)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n, ne, i, k = 0;
    cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    cfg.sample_rate_hz = 200.0f;
    n = foot_signal(s, 20000, 200.0f, 12);
    ne = run_block(&cfg, s, n, n, ev);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 12);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_FINAL_CONTACT), 12);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_BOUT_START), 1);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_BOUT_END), 1);
    for (i = 0; i < ne; i++) {
        if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        BSTEP_ASSERT_NEAR((double)ev[i].t_us * 1e-6, 1.0 + 1.1 * (double)k + 0.45, 0.0051);
        BSTEP_ASSERT_EQ(ev[i].foot, BSTEP_FOOT_LEFT);
        if (k > 0)
            BSTEP_ASSERT_NEAR(ev[i].stride_time_s, 1.1, 0.006);
        /* Latency: once the bout is open (2 strides), within 300 ms of the contact. */
        if (k >= 2)
            BSTEP_ASSERT_LE((double)(ev[i].emitted_t_us - ev[i].t_us) * 1e-6, 0.3);
        k++;
    }
}

/* Strides that turn as a foot does: a push-off lobe (gyro_y -400 deg/s, 0.12 s), the swing turning
 * back (up to +138 deg/s, 0.38 s, still 50 deg/s 20 ms before its end as a real late swing), a
 * terminal reversal (-250 deg/s, 60 ms; the three integrate to zero, so the foot lands flat),
 * then stance. The landing impact (+25 m/s^2) is at phase `land_s`; with `graze`, a first impact
 * (+20 m/s^2, over half the landing's jerk) 0.42 s into the stride, while the swing still turns
 * at 108 deg/s, 80 ms before the reversal (a closing step brushing the floor). Stride k starts
 * at 1.0 + 1.3 k s. */
static size_t turning_strides(bstep_imu_sample *s, size_t cap, double rate, int strides,
                              double land_s, int graze)
{
    const double T = 1.3, t0 = 1.0, pi = 3.141592653589793;
    size_t n;
    for (n = 0; n < cap; n++) {
        const double t = (double)n / rate;
        double ph, w = 0.0;
        int k;
        if (t > t0 + T * strides + 1.0)
            break;
        k = still_sample(&s[n], t, t0, T, &ph);
        if (t < t0 || k >= strides)
            continue;
        if (ph < 0.12)
            w = -400.0 * sin(pi * ph / 0.12);
        else if (ph < 0.50)
            w = 138.4 * sqrt(sin(pi * (ph - 0.12) / 0.38));
        else if (ph < 0.56)
            w = -250.0 * sin(pi * (ph - 0.50) / 0.06);
        s[n].gyro_dps[1] = (float)w;
        if (ph < 0.56)
            s[n].accel_mps2[0] = 3.0f * (float)sin(2.0 * pi * ph / 0.56);
        if (graze && fabs(ph - 0.42) < 0.5 / rate)
            s[n].accel_mps2[2] = G + 20.0f;
        if (fabs(ph - land_s) < 0.5 / rate)
            s[n].accel_mps2[2] = G + 25.0f;
    }
    return n;
}

/* Ten strides of a left foot at 200 Hz starting at 1.0 + 1.3 k s (turning_strides,
 * hover_strides): the events of s[0..n) given whole, checked to be ten initial contacts and the
 * same events as one sample at a time and in blocks of 37 (split input); for each contact its
 * phase in its stride (s) and how long after it it was emitted (s). */
static void foot_contacts_1_3s(const bstep_imu_sample *s, size_t n, double ph_s[10],
                               double late_s[10])
{
    static bstep_event ev[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t ne, i, k = 0;
    cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    cfg.sample_rate_hz = 200.0f;
    ne = run_block(&cfg, s, n, n, ev);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 10);
    for (i = 0; i < ne; i++) {
        if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        ph_s[k] = (double)ev[i].t_us * 1e-6 - (1.0 + 1.3 * (double)k);
        late_s[k] = (double)(ev[i].emitted_t_us - ev[i].t_us) * 1e-6;
        k++;
    }
    assert_split_same(&cfg, s, n, ev, ne);
}

/* The landing arrests the swing rotation: an impact while the foot still turns the swing's way,
 * 80 ms before it turns back, is not the contact; a heel strike 20 ms before the reversal (the
 * impact turns the foot) is. Split input gives the same events. */
BSTEP_TEST(foot_contact_arrests_swing_rotation)
{
    static bstep_imu_sample s[20000];
    const double land[3] = {0.54, 0.54, 0.48};
    const int graze[3] = {1, 0, 0};
    int c, k;
    for (c = 0; c < 3; c++) {
        double ph[10], late[10];
        foot_contacts_1_3s(s, turning_strides(s, 20000, 200.0, 10, land[c], graze[c]), ph, late);
        for (k = 0; k < 10; k++)
            BSTEP_ASSERT_NEAR(ph[k], land[c], 0.0051);
    }
}

/* Backward-like strides whose stance is interrupted: at phase 0 the toes lift (+300 deg/s about
 * y, 0.15 s), the foot swings back and pitches 20 deg toes-down (0.25 s), hovers still for 0.1 s,
 * lands on the toes at 0.50 s (+25 m/s^2) and lowers the heel (0.1 s), flat again at 0.60 s;
 * quiet stance until 1.20 s, then a 40 ms twitch (300 deg/s about x, no net rotation) and, to the
 * next stride at 1.60 s, stance that is not quiet (| |a| - g | = 1.2 m/s^2, weight shifting). The
 * accelerometer reads gravity in the pitched frame. Stride k starts at 1.0 + 1.6 k s. */
static size_t interrupted_stance_strides(bstep_imu_sample *s, size_t cap, double rate, int strides,
                                         float shift_mps2)
{
    const double T = 1.6, t0 = 1.0, pi = 3.141592653589793, D = pi / 180.0;
    double th = 0.0; /* pitch, rad */
    size_t n;
    for (n = 0; n < cap; n++) {
        const double t = (double)n / rate;
        double ph, w = 0.0, wx = 0.0;
        int k;
        if (t > t0 + T * strides + 1.0)
            break;
        k = still_sample(&s[n], t, t0, T, &ph);
        if (t >= t0 && k < strides) {
            if (ph < 0.15)
                w = 300.0 * sin(pi * ph / 0.15);
            else if (ph < 0.40)
                w = -305.3 * sin(pi * (ph - 0.15) / 0.25);
            else if (ph >= 0.50 && ph < 0.60)
                w = 314.2 * sin(pi * (ph - 0.50) / 0.10);
            else if (ph >= 1.20 && ph < 1.24)
                wx = 300.0 * sin(2.0 * pi * (ph - 1.20) / 0.04);
        }
        th += w * D / rate;
        if (ph >= 0.60 || t < t0 || k >= strides)
            th = 0.0;
        s[n].gyro_dps[1] = (float)w;
        s[n].gyro_dps[0] = (float)wx;
        s[n].accel_mps2[0] = (float)(-(double)G * sin(th));
        s[n].accel_mps2[2] = (float)((double)G * cos(th));
        if (t >= t0 && k < strides && fabs(ph - 0.50) < 0.5 / rate)
            s[n].accel_mps2[2] += 25.0f; /* toe contact */
        if (t >= t0 && k < strides && ph >= 1.24) {
            s[n].accel_mps2[2] += 1.2f;
            if (ph < 1.30)
                s[n].accel_mps2[0] += shift_mps2; /* the twitch settling: the foot sways */
        }
    }
    return n;
}

/* A stance interrupted by a twitch too short to be a stride is the same foot placement: whether
 * it came to rest and its flat attitude come from all its quiet samples, so the hover before the
 * next toe contact (20 deg toes-down, still for 0.1 s) is not taken for a stance even though the
 * stance's last part had no quiet sample. Without that the stride ends at the hover, 0.1 s before
 * the contact (sangenis: the first backward stride after the turn cut at 0.65 m). */
BSTEP_TEST(interrupted_stance_keeps_its_rest)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n, ne, i, k = 0;
    cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    cfg.sample_rate_hz = 200.0f;
    cfg.toe_axis = BSTEP_AXIS_POS_X;
    n = interrupted_stance_strides(s, 20000, 200.0, 8, 0.0f);
    ne = run_block(&cfg, s, n, n, ev);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 8);
    for (i = 0; i < ne; i++) {
        if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        BSTEP_ASSERT_NEAR((double)ev[i].t_us * 1e-6, 1.0 + 1.6 * (double)k + 0.50, 0.0101);
        k++;
    }
    assert_split_same(&cfg, s, n, ev, ne);
}

/* After a twitch that is not a stride, a stance with a still window of its own (not reaching back
 * into the stance before) restarts the integration: the stance that follows is never quiet (no
 * zero-velocity update of its own), and a 0.6 m/s^2 sway in the 60 ms after the twitch would
 * otherwise be integrated into the next stride (a velocity carried through it). */
BSTEP_TEST(stance_after_twitch_restarts_integration)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV], ev0[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n, ne, ne0, i, j = 0, k = 0;
    double dmax = 0.0;
    cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    cfg.sample_rate_hz = 200.0f;
    cfg.toe_axis = BSTEP_AXIS_POS_X;
    n = interrupted_stance_strides(s, 20000, 200.0, 8, 0.0f);
    ne0 = run_block(&cfg, s, n, n, ev0);
    n = interrupted_stance_strides(s, 20000, 200.0, 8, 0.6f);
    ne = run_block(&cfg, s, n, n, ev);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 8);
    for (i = 0; i < ne; i++) {
        if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        while (j < ne0 && ev0[j].type != BSTEP_EVENT_INITIAL_CONTACT)
            j++;
        if (j < ne0 && k > 0 && isfinite(ev[i].stride_length_m)) {
            const double d = fabs((double)ev[i].stride_length_m - (double)ev0[j].stride_length_m);
            if (d > dmax)
                dmax = d;
        }
        j++;
        k++;
    }
    printf("stride length change with a 0.6 m/s^2 sway: %.3f m\n", dmax);
    BSTEP_ASSERT_LE(dmax, 0.01); /* 0.006 m; 0.018 m when the integration ran on from the twitch */
}

/* One swing of a foot moving len_m forward in swing_s from rest to rest: forward position
 * len (u - sin(2 pi u) / (2 pi)), u = t / swing_s, pitch 40 (1 - cos(2 pi u)) / 2 deg (the foot
 * lifted and set down flat), the accelerometer reading world acceleration plus gravity in the
 * pitched frame; a landing impact of +25 m/s^2 at its end. ph_s: time into the swing. */
static void swing_sample(bstep_imu_sample *s, double ph_s, double swing_s, double len_m)
{
    const double pi = 3.141592653589793, u = ph_s / swing_s, th = 40.0 * pi / 180.0;
    const double pitch = 0.5 * th * (1.0 - cos(2.0 * pi * u));
    const double ax = len_m / (swing_s * swing_s) * 2.0 * pi * sin(2.0 * pi * u);
    const double c = cos(pitch), sn = sin(pitch), gz = (double)G;
    s->gyro_dps[1] = (float)(0.5 * 40.0 * 2.0 * pi / swing_s * sin(2.0 * pi * u));
    s->accel_mps2[0] = (float)(c * ax - sn * gz);
    s->accel_mps2[2] = (float)(sn * ax + c * gz);
}

/* Walking strides of 1.0 m (0.5 s swing) every period_s; with `shuffle_after_s` > 0, after each
 * landing and that long at rest, the same foot lifted and set down 0.05 m further (0.25 s swing):
 * a re-placement. Stride k starts at 1.0 + period_s k. */
static size_t shuffle_walk(bstep_imu_sample *s, size_t cap, double rate, int strides,
                           double period_s, double shuffle_after_s, double len_m)
{
    const double t0 = 1.0, sw = 0.5, sh = 0.25;
    size_t n;
    for (n = 0; n < cap; n++) {
        const double t = (double)n / rate;
        double ph;
        int k;
        if (t > t0 + period_s * strides + 1.0)
            break;
        k = still_sample(&s[n], t, t0, period_s, &ph);
        if (t < t0 || k >= strides)
            continue;
        if (ph < sw)
            swing_sample(&s[n], ph, sw, len_m);
        else if (shuffle_after_s > 0.0 && ph >= sw + shuffle_after_s &&
                 ph < sw + shuffle_after_s + sh)
            swing_sample(&s[n], ph - sw - shuffle_after_s, sh, 0.05);
        if (fabs(ph - sw) < 0.5 / rate ||
            (shuffle_after_s > 0.0 && fabs(ph - sw - shuffle_after_s - sh) < 0.5 / rate))
            s[n].accel_mps2[2] += 25.0f;
    }
    return n;
}

/* A foot set down again 0.05 m from where it landed 0.55 s before (a shuffle in a U-turn pivot) is
 * not a step: 10 strides, not 20; the strides keep their 1.6 s stride time. Stepping in place at
 * 1.0 s strides (a stride time of walking, not of a re-placement) is still counted. Split input
 * gives the same events. */
BSTEP_TEST(foot_replacement_is_not_a_step)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n, ne, i, k = 0;
    cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    cfg.sample_rate_hz = 200.0f;
    cfg.toe_axis = BSTEP_AXIS_POS_X;
    n = shuffle_walk(s, 20000, 200.0, 10, 1.6, 0.3, 1.0);
    ne = run_block(&cfg, s, n, n, ev);
    for (i = 0; i < ne; i++)
        if (ev[i].type == BSTEP_EVENT_INITIAL_CONTACT)
            printf("ic %.3f s, stride %.3f m, %.3f s\n", (double)ev[i].t_us * 1e-6,
                   (double)ev[i].stride_length_m, (double)ev[i].stride_time_s);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 10);
    for (i = 0; i < ne; i++) {
        if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        BSTEP_ASSERT_NEAR((double)ev[i].t_us * 1e-6, 1.0 + 1.6 * (double)k + 0.5, 0.0101);
        if (k > 0)
            BSTEP_ASSERT_NEAR(ev[i].stride_time_s, 1.6, 0.011);
        k++;
    }
    assert_split_same(&cfg, s, n, ev, ne);
    /* stepping in place: 0.05 m strides every 1.0 s */
    n = shuffle_walk(s, 20000, 200.0, 10, 1.0, 0.0, 0.05);
    ne = run_block(&cfg, s, n, n, ev);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 10);
}

/* Strides between stances that alternate flat and pitched 20 deg toes-down (standing on a slope or
 * on the forefoot), 1.6 s apart at 100 Hz: a 0.5 s swing of 1.0 m (pitch from the stance's to the
 * next one's plus a 40 deg lift, smooth), a landing impact (+25 m/s^2) at its end, the foot
 * settling for 0.1 s (a 150 deg/s wobble, no net rotation), then at rest. Every landing is 20 deg
 * off the flat attitude of the stance before, so its stance is confirmed only by lasting
 * stillness. With `drop`, every fifth sample of the rest is lost (as voisard's packet loss).
 * Landing k at 1.0 + 1.6 k + 0.5 s. */
static size_t tilted_stances(bstep_imu_sample *s, size_t cap, int strides, int drop)
{
    const double rate = 100.0, T = 1.6, t0 = 1.0, sw = 0.5, pi = 3.141592653589793;
    const double D = pi / 180.0, tilt = -20.0 * D, lift = 40.0 * D;
    size_t n = 0, i;
    for (i = 0; n < cap; i++) {
        const double t = (double)i / rate;
        double ph, th, w = 0.0, ax = 0.0;
        int k;
        bstep_imu_sample *x = &s[n];
        if (t > t0 + T * strides + 1.0)
            break;
        k = still_sample(x, t, t0, T, &ph);
        if (t < t0)
            k = -1;
        if (k >= strides)
            k = strides;
        /* pitch of the stance after landing j: 0 for even j, tilt for odd */
        th = (k >= 1 && (k - 1) % 2 == 0) ? tilt : 0.0;
        if (k >= 0 && k < strides && ph < sw) {
            const double u = ph / sw, a0 = (k % 2 == 1) ? tilt : 0.0,
                         a1 = (k % 2 == 0) ? tilt : 0.0;
            const double sm =
                u - sin(2.0 * pi * u) / (2.0 * pi); /* 0 -> 1, zero rate at both ends */
            th = a0 + (a1 - a0) * sm + 0.5 * lift * (1.0 - cos(2.0 * pi * u));
            w = ((a1 - a0) * (1.0 - cos(2.0 * pi * u)) +
                 0.5 * lift * 2.0 * pi * sin(2.0 * pi * u)) /
                sw;
            ax = 1.0 / (sw * sw) * 2.0 * pi * sin(2.0 * pi * u);
        } else if (k >= 0 && k < strides && ph < sw + 0.1) {
            th = (k % 2 == 0) ? tilt : 0.0;
            w = 150.0 * D * sin(2.0 * pi * (ph - sw) / 0.1);
        } else if (k >= 0 && k < strides) {
            th = (k % 2 == 0) ? tilt : 0.0;
            if (drop && i % 5 == 0)
                continue; /* packet lost */
        }
        /* integrate nothing: th is given in closed form except the wobble (no net rotation) */
        x->gyro_dps[1] = (float)(w / D);
        x->accel_mps2[0] = (float)(cos(th) * ax - sin(th) * (double)G);
        x->accel_mps2[2] = (float)(sin(th) * ax + cos(th) * (double)G);
        if (k >= 0 && k < strides && fabs(ph - sw) < 0.5 / rate)
            x->accel_mps2[2] += 25.0f;
        n++;
    }
    return n;
}

/* A stance whose foot is not flat is confirmed after 0.25 s of stillness; it began where the
 * stillness did, so its contact is the landing impact (not the end of the wait, where the
 * search for the impact no longer reaches), and lost packets do not restart the stillness.
 * Split input gives the same events. */
BSTEP_TEST(tilted_stance_starts_where_stillness_began)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    int drop;
    for (drop = 0; drop < 2; drop++) {
        bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
        size_t n, ne, i, k = 0;
        cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
        cfg.sample_rate_hz = 100.0f;
        cfg.toe_axis = BSTEP_AXIS_POS_X;
        n = tilted_stances(s, 20000, 10, drop);
        ne = run_block(&cfg, s, n, n, ev);
        for (i = 0; i < ne; i++)
            if (ev[i].type == BSTEP_EVENT_INITIAL_CONTACT)
                printf("drop %d: ic %.3f s, stride %.3f m\n", drop, (double)ev[i].t_us * 1e-6,
                       (double)ev[i].stride_length_m);
        BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 10);
        for (i = 0; i < ne; i++) {
            if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
                continue;
            BSTEP_ASSERT_NEAR((double)ev[i].t_us * 1e-6, 1.0 + 1.6 * (double)k + 0.5, 0.0201);
            k++;
        }
        assert_split_same(&cfg, s, n, ev, ne);
    }
}

/* Strides between rests whose pitch (elevation of the toe axis, toes up +) alternates between
 * rest_deg[1] and rest_deg[0], 1.6 s apart at 100 Hz: from the rest before, a 0.5 s swing of
 * 1.0 m (a 40 deg lift, smooth) to a landing at land_off_deg[k % 2] from that rest, a landing
 * impact (+25 m/s^2), then in 0.1 s the foot turns smoothly onto its new rest (the forefoot
 * coming down after a heel strike, the heel after a toe strike), still after that. The
 * accelerometer reads gravity in the pitched frame (pitch -elevation about y, toe axis +x).
 * Every rest is 15 deg off the one before, so no stance is flat: each waits for lasting
 * stillness unless its landing was a heel strike whose forefoot came down.
 * Landing k at 1.0 + 1.6 k + 0.5 s. */
static size_t pitched_landings(bstep_imu_sample *s, size_t cap, int strides,
                               const double land_off_deg[2], const double rest_deg[2])
{
    const double rate = 100.0, T = 1.6, t0 = 1.0, sw = 0.5, st = 0.1, pi = 3.141592653589793;
    const double D = pi / 180.0, lift = 40.0 * D;
    size_t n;
    for (n = 0; n < cap; n++) {
        const double t = (double)n / rate;
        double ph, e, w = 0.0, ax = 0.0;
        int k;
        if (t > t0 + T * strides + 1.0)
            break;
        k = still_sample(&s[n], t, t0, T, &ph);
        if (t < t0)
            k = -1;
        if (k >= strides)
            k = strides;
        e = rest_deg[(k + 2) % 2] * D; /* the rest after landing k (before stride 0: rest[1]) */
        if (k >= 0 && k < strides && ph < sw + st) {
            const double e0 = rest_deg[(k + 1) % 2] * D, land = e0 + land_off_deg[k % 2] * D;
            const double e1 = rest_deg[k % 2] * D;
            if (ph < sw) {
                const double u = ph / sw, sm = u - sin(2.0 * pi * u) / (2.0 * pi);
                e = e0 + (land - e0) * sm + 0.5 * lift * (1.0 - cos(2.0 * pi * u));
                w = ((land - e0) * (1.0 - cos(2.0 * pi * u)) +
                     0.5 * lift * 2.0 * pi * sin(2.0 * pi * u)) /
                    sw;
                ax = 1.0 / (sw * sw) * 2.0 * pi * sin(2.0 * pi * u);
            } else {
                const double u = (ph - sw) / st, sm = u - sin(2.0 * pi * u) / (2.0 * pi);
                e = land + (e1 - land) * sm;
                w = (e1 - land) * (1.0 - cos(2.0 * pi * u)) / st;
            }
        }
        /* elevation e is a pitch th = -e about y: the rate of th is -de/dt */
        s[n].gyro_dps[1] = (float)(-w / D);
        s[n].accel_mps2[0] = (float)(cos(-e) * ax - sin(-e) * (double)G);
        s[n].accel_mps2[2] = (float)(sin(-e) * ax + cos(-e) * (double)G);
        if (k >= 0 && k < strides && fabs(ph - sw) < 0.5 / rate)
            s[n].accel_mps2[2] += 25.0f;
    }
    return n;
}

/* A heel strike (25 deg toes-up of the rest before) whose forefoot then comes down onto a rest
 * 15 deg off that one (a ramp, a kerb, a foot set down pitched at the end of a walk) is a stance
 * without the 0.25 s wait for a tilted foot: its step event comes within 0.2 s of the contact.
 * A toe strike (20 deg toes-down of the rest before) whose heel then comes down onto a rest
 * 15 deg off still waits (the hover before a backward toe contact, and the backward toe-first
 * landing that pauses pitched, look like it): its event comes after the wait; so does a heel
 * strike whose foot stays on the heel, toes up (case 2, odd strides: landing 15 deg toes-up and
 * resting there; its even strides are heel strikes whose forefoot comes down). All contacts are
 * at the landing impact. Split input (whole, blocks of 37, one sample at a time) gives the same
 * events. */
BSTEP_TEST(heel_strike_rests_tilted_without_wait)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    const double rest[3][2] = {{0.0, 15.0}, {0.0, -15.0}, {0.0, 15.0}};
    const double land[3][2] = {{25.0, 25.0}, {-20.0, -20.0}, {25.0, 15.0}};
    const int wait[3][2] = {{0, 0}, {1, 1}, {0, 1}};
    int c;
    for (c = 0; c < 3; c++) {
        bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
        size_t n, ne, i, k = 0;
        cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
        cfg.sample_rate_hz = 100.0f;
        cfg.toe_axis = BSTEP_AXIS_POS_X;
        n = pitched_landings(s, 20000, 10, land[c], rest[c]);
        ne = run_block(&cfg, s, n, n, ev);
        BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 10);
        for (i = 0; i < ne; i++) {
            double late;
            if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
                continue;
            late = (double)(ev[i].emitted_t_us - ev[i].t_us) * 1e-6;
            printf("case %d: ic %.3f s, emitted %.3f s later, strike %.1f deg\n", c,
                   (double)ev[i].t_us * 1e-6, late, (double)ev[i].strike_angle_deg);
            BSTEP_ASSERT_NEAR((double)ev[i].t_us * 1e-6, 1.0 + 1.6 * (double)k + 0.5, 0.0201);
            /* the first contact is held until the walk is confirmed (issue 9: bout start) */
            if (k > 0 && wait[c][k % 2])
                BSTEP_ASSERT(late >= 0.25); /* 0.30-0.38 s: the stillness, then 0.25 s */
            else if (k > 0)
                BSTEP_ASSERT_LE(late, 0.2); /* 0.12-0.13 s (0.37 s with the wait) */
            k++;
        }
        assert_split_same(&cfg, s, n, ev, ne);
    }
}

/* Strides whose terminal swing slows into a hover: a push-off lobe (gyro_y -400 deg/s, 0.12 s), the
 * swing turning back (0.30 s), then 0.14 s at -hover_dps, slow enough for the stance thresholds
 * (a foot held just above the floor, its toes still dropping), the three integrating to zero so
 * the foot is flat at the end; at phase 0.56 s, with `impact`, the landing (a 40 ms transient of
 * up to +25 m/s^2), then still stance. The accelerometer reads gravity on z (attitude within 5 deg
 * of flat). Stride k starts at 1.0 + 1.3 k s. */
static size_t hover_strides(bstep_imu_sample *s, size_t cap, double rate, int strides,
                            double hover_dps, int impact)
{
    const double T = 1.3, t0 = 1.0, pi = 3.141592653589793;
    const double amp = (400.0 * 0.12 * 2.0 / pi + 0.14 * hover_dps) / (0.30 * 2.0 / pi);
    size_t n;
    for (n = 0; n < cap; n++) {
        const double t = (double)n / rate;
        double ph, w = 0.0;
        int k;
        if (t > t0 + T * strides + 1.0)
            break;
        k = still_sample(&s[n], t, t0, T, &ph);
        if (t < t0 || k >= strides)
            continue;
        if (ph < 0.12)
            w = -400.0 * sin(pi * ph / 0.12);
        else if (ph < 0.42)
            w = amp * sin(pi * (ph - 0.12) / 0.30);
        else if (ph < 0.56)
            w = -hover_dps;
        s[n].gyro_dps[1] = (float)w;
        if (ph < 0.42)
            s[n].accel_mps2[0] = 3.0f * (float)sin(2.0 * pi * ph / 0.42);
        if (impact && ph > 0.555 && ph < 0.595) /* 40 ms landing transient, first sample 0.56 s */
            s[n].accel_mps2[2] = G + 25.0f * (float)sin(pi * (ph - 0.555) / 0.04);
    }
    return n;
}

/* A hover is not a stance: a foot slowed under the stance thresholds just above the floor (30
 * deg/s, no impact yet) is confirmed "still" 0.14 s before it lands; its contact is the landing
 * impact that ends the hover, not the stance start. A foot that came to rest (quiet) before a
 * later bump keeps its contact at the stance start, and so does a soft landing with no impact
 * after it. Split input (whole, blocks of 37, one sample at a time) gives the same events. */
BSTEP_TEST(foot_hover_is_not_a_stance)
{
    static bstep_imu_sample s[20000];
    const double hover[3] = {30.0, 0.0, 30.0};
    const int impact[3] = {1, 1, 0};
    int c, k;
    for (c = 0; c < 3; c++) {
        double ph[10], late[10];
        foot_contacts_1_3s(s, hover_strides(s, 20000, 200.0, 10, hover[c], impact[c]), ph, late);
        for (k = 0; k < 10; k++) {
            if (c == 0)
                BSTEP_ASSERT_NEAR(ph[k], 0.56, 0.0051); /* the landing impact */
            else
                BSTEP_ASSERT(ph[k] > 0.33 && ph[k] < 0.48); /* the stance start */
            if (k >= 2) /* events within 300 ms of the contact once walking */
                BSTEP_ASSERT_LE(late[k], 0.3);
        }
    }
}

BSTEP_TEST(split_input_identical)
{
    static bstep_imu_sample s[20000];
    static bstep_event e1[MAX_EV], e2[MAX_EV], e3[MAX_EV];
    const bstep_placement pl[2] = {BSTEP_PLACEMENT_FOOT_RIGHT, BSTEP_PLACEMENT_LOWER_BACK};
    int p;
    for (p = 0; p < 2; p++) {
        bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
        size_t n, n1, n2, n3;
        cfg.placement = pl[p];
        cfg.sample_rate_hz = 200.0f;
        n = foot_signal(s, 20000, 200.0f, 15);
        n1 = run_block(&cfg, s, n, n, e1);
        n2 = run_block(&cfg, s, n, 1, e2);
        n3 = run_block(&cfg, s, n, 7, e3);
        BSTEP_ASSERT(n1 > 0 || p == 1);
        BSTEP_ASSERT_EQ(n1, n2);
        BSTEP_ASSERT_EQ(n1, n3);
        BSTEP_ASSERT(events_equal(e1, e2, n1));
        BSTEP_ASSERT(events_equal(e1, e3, n1));
    }
}

/* A simulated foot recording (forward, backward, a turn, side-steps, packet loss) at a rate
 * whose bins hold several samples (800 Hz: 2 per bin) and at 100 Hz: whole / blocks / one sample
 * at a time give identical events, every field. */
static size_t sim_foot(bstep_imu_sample *s, size_t cap, double rate)
{
    static bstep_sim g;
    bstep_sim_settings cfg = bstep_sim_default_settings;
    bstep_sim_scenario sc;
    char err[128];
    cfg.site = BSTEP_SIM_AT_FOOT;
    cfg.side = BSTEP_FOOT_LEFT;
    cfg.sample_rate_hz = rate;
    cfg.noise.accel_noise_mps2 = 0.02;
    cfg.noise.gyro_noise_dps = 0.1;
    cfg.noise.packet_loss_pct = 0.2;
    cfg.noise.packet_loss_max_burst = 3;
    if (bstep_sim_scenario_parse("stand 2s\nwalk forward 8 strides speed=1.2\nturn 180\n"
                                 "walk backward 8 strides speed=0.6\nwalk left 4 strides "
                                 "speed=0.4\nstand 2s\n",
                                 &sc, err, sizeof(err)) != BSTEP_OK ||
        bstep_sim_init(&g, &cfg, &sc) != BSTEP_OK)
        return 0;
    return bstep_sim_next_block(&g, s, cap);
}

BSTEP_TEST(split_input_identical_simulated_foot)
{
    static bstep_imu_sample s[60000];
    static bstep_event e1[MAX_EV], e2[MAX_EV], e3[MAX_EV];
    const double rates[2] = {800.0, 100.0};
    int r;
    for (r = 0; r < 2; r++) {
        bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
        size_t n, n1, n2, n3;
        cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
        cfg.sample_rate_hz = (float)rates[r];
        n = sim_foot(s, 60000, rates[r]);
        BSTEP_ASSERT(n > 1000);
        n1 = run_block(&cfg, s, n, n, e1);
        n2 = run_block(&cfg, s, n, 1, e2);
        n3 = run_block(&cfg, s, n, 37, e3);
        BSTEP_ASSERT(count_type(e1, n1, BSTEP_EVENT_INITIAL_CONTACT) >= 20);
        BSTEP_ASSERT_EQ(n1, n2);
        BSTEP_ASSERT_EQ(n1, n3);
        BSTEP_ASSERT(events_equal(e1, e2, n1));
        BSTEP_ASSERT(events_equal(e1, e3, n1));
    }
}

/* Trunk: vertical acceleration 2 sin(2 pi 2 t): a step at every upward zero crossing. */
/* A trunk-like signal: a contact every 0.5 s (from 0.25 s), each followed by the collision of
 * the step-to-step transition, a Gaussian pulse of the vertical acceleration (SD 30 ms, centred
 * 30 ms after the contact, amplitude amp), minus its mean: low through single support, a steep
 * rise at the contact whose steepest point is the contact itself. */
static size_t trunk_signal(bstep_imu_sample *s, size_t cap, double rate, double dur, double amp)
{
    const double sd = 0.03, period = 0.5, mean = amp * sd * sqrt(2.0 * 3.141592653589793) / period;
    size_t n;
    for (n = 0; n < cap; n++) {
        const double t = (double)n / rate;
        double v = -mean;
        int k;
        if (t > dur)
            break;
        for (k = (int)floor((t - 0.25) / period) - 1; k <= (int)floor((t - 0.25) / period) + 1;
             k++) {
            const double c = 0.25 + period * k + sd, x = (t - c) / sd;
            v += amp * exp(-0.5 * x * x);
        }
        memset(&s[n], 0, sizeof(s[n]));
        s[n].t_us = (bstep_time_us)llround(t * 1e6);
        s[n].flags = BSTEP_SAMPLE_HAS_GYRO;
        s[n].accel_mps2[2] = G + (float)v;
    }
    return n;
}

BSTEP_TEST(trunk_steps_at_collision_rise)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n, ne, i, ics = 0;
    cfg.placement = BSTEP_PLACEMENT_LOWER_BACK;
    cfg.sample_rate_hz = 100.0f;
    n = trunk_signal(s, 20000, 100.0, 30.0, 2.0);
    ne = run_block(&cfg, s, n, 64, ev);
    for (i = 0; i < ne; i++) {
        double t, k;
        if (ev[i].type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        ics++;
        t = (double)ev[i].t_us * 1e-6;
        k = floor((t - 0.25) / 0.5 + 0.5);
        BSTEP_ASSERT_NEAR(t, 0.25 + k * 0.5, 0.01); /* one grid period */
        /* Once a bout is open, a step comes out within 300 ms (the first ones wait for it). */
        if (ics > 4)
            BSTEP_ASSERT_LE((double)(ev[i].emitted_t_us - ev[i].t_us) * 1e-6, 0.3);
    }
    /* 60 contacts in 30 s, minus the filter warm-up, minus the end. */
    BSTEP_ASSERT_GE(ics, 57);
    BSTEP_ASSERT_LE(ics, 60);
}

/* Standing still (tiny noise-free tilt changes) produces no steps and no bout. */
BSTEP_TEST(trunk_standing_has_no_steps)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n, ne;
    cfg.placement = BSTEP_PLACEMENT_POCKET;
    n = trunk_signal(s, 20000, 100.0, 60.0, 0.1); /* 0.1 m/s^2 sway: below a step */
    ne = run_block(&cfg, s, n, n, ev);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 0);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_BOUT_START), 0);
}

BSTEP_TEST(two_instances_interleaved)
{
    static bstep_imu_sample sf[20000], st[20000];
    static bstep_event ef[MAX_EV], et[MAX_EV], xf[MAX_EV], xt[MAX_EV];
    bstep_analyzer_settings cf = bstep_analyzer_default_settings, ct;
    bstep_analyzer *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    size_t nf, nt, i, nef, net, mf = 0, mt = 0;
    BSTEP_ASSERT(a != NULL && b != NULL);
    cf.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    cf.sample_rate_hz = 200.0f;
    ct = cf;
    ct.placement = BSTEP_PLACEMENT_LOWER_BACK;
    nf = foot_signal(sf, 20000, 200.0f, 10);
    nt = trunk_signal(st, 20000, 200.0, 15.0, 2.0);
    nef = run_block(&cf, sf, nf, nf, ef);
    net = run_block(&ct, st, nt, nt, et);
    BSTEP_ASSERT_OK(bstep_analyzer_init(a, &cf));
    BSTEP_ASSERT_OK(bstep_analyzer_init(b, &ct));
    for (i = 0; i < nf || i < nt; i++) {
        if (i < nf)
            mf += bstep_analyzer_update(a, &sf[i], xf + mf, MAX_EV - mf);
        if (i < nt)
            mt += bstep_analyzer_update(b, &st[i], xt + mt, MAX_EV - mt);
    }
    mf += bstep_analyzer_finish(a, xf + mf, MAX_EV - mf);
    mt += bstep_analyzer_finish(b, xt + mt, MAX_EV - mt);
    free(a);
    free(b);
    BSTEP_ASSERT_EQ(mf, nef);
    BSTEP_ASSERT_EQ(mt, net);
    BSTEP_ASSERT(events_equal(ef, xf, nef));
    BSTEP_ASSERT(events_equal(et, xt, net));
}

/* A 1 s hole ends the bout, emits a gap, and no contact is counted across it. */
BSTEP_TEST(gap_ends_bout)
{
    static bstep_imu_sample s[20000];
    static bstep_event ev[MAX_EV];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n, ne, i, m = 0;
    cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    cfg.sample_rate_hz = 200.0f;
    n = foot_signal(s, 20000, 200.0f, 12);
    /* Remove 1.0 s from the middle of stride 6's stance (t = 7.6 .. 8.6 s). */
    for (i = 0; i < n; i++) {
        const double t = (double)s[i].t_us * 1e-6;
        if (t > 7.6 && t < 8.6)
            continue;
        s[m++] = s[i];
    }
    ne = run_block(&cfg, s, m, m, ev);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_GAP), 1);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_BOUT_START), 2);
    BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_BOUT_END), 2);
    for (i = 0; i < ne; i++)
        if (ev[i].type == BSTEP_EVENT_INITIAL_CONTACT && ev[i].t_us > 8600000)
            BSTEP_ASSERT(ev[i].t_us < 9000000 || isfinite(ev[i].stride_time_s) ||
                         ev[i].t_us > 9000000);
}

/* A rest between contacts ends a bout when longer than 3 s (the Mobilise-D walking-bout
 * definition), not when shorter: 6 strides, a standing pause (still samples, no data gap), 6
 * more strides, landing to landing 2.8 s (one bout) or 3.4 s (two). */
BSTEP_TEST(pause_over_3_s_ends_bout)
{
    static bstep_imu_sample a[8000], b[8000], s[16000];
    static bstep_event ev[MAX_EV];
    const double pause_s[2] = {2.8, 3.4};
    const int bouts[2] = {1, 2};
    int c;
    for (c = 0; c < 2; c++) {
        bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
        /* last landing of the first part at 1.0 + 5 x 1.1 + 0.45 = 6.95 s; the second part's
         * first at its own 1.45 s */
        const double off_s = 6.95 + pause_s[c] - 1.45;
        const bstep_time_us off_us = (bstep_time_us)llround(off_s * 1e6);
        size_t na, nb, i, n = 0, ne;
        cfg.placement = BSTEP_PLACEMENT_FOOT_LEFT;
        cfg.sample_rate_hz = 200.0f;
        na = foot_signal(a, 8000, 200.0f, 6);
        nb = foot_signal(b, 8000, 200.0f, 6);
        for (i = 0; i < na && a[i].t_us < off_us; i++)
            s[n++] = a[i];
        while (s[n - 1].t_us + 5000 < off_us) { /* still standing up to the second part */
            s[n] = s[n - 1];
            s[n].t_us += 5000;
            n++;
        }
        for (i = 0; i < nb; i++) {
            s[n] = b[i];
            s[n++].t_us += off_us;
        }
        ne = run_block(&cfg, s, n, n, ev);
        BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_INITIAL_CONTACT), 12);
        BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_GAP), 0);
        BSTEP_ASSERT_EQ(count_type(ev, ne, BSTEP_EVENT_BOUT_START), bouts[c]);
    }
}

BSTEP_TEST(invalid_settings)
{
    bstep_analyzer a;
    bstep_analyzer_settings c = bstep_analyzer_default_settings;
    c.placement = BSTEP_PLACEMENT_AUTO;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.sample_rate_hz = 1.0f;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.sample_rate_hz = NAN;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.ic_onset_fraction = 1.5f;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.sample_rate_hz = 2000.0f;
    c.ic_search_before_s = 1.0f; /* look-back does not fit the history ring at 2 kHz */
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.min_bout_steps = 0;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    c = bstep_analyzer_default_settings;
    c.placement = BSTEP_PLACEMENT_FOOT_LEFT;
    c.accel_range_mps2 = -1.0f;
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    c.accel_range_mps2 = 0.0f; /* a sensor that does not clip */
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_OK);
    c = bstep_analyzer_default_settings;
    c.trunk_detrend_s = 100.0f; /* does not fit the fixed buffer */
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, &c), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_analyzer_init(NULL, &c), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_analyzer_init(&a, NULL), BSTEP_EINVAL);
}

BSTEP_TEST(rate_estimate)
{
    bstep_time_us t[300];
    int i;
    for (i = 0; i < 300; i++)
        t[i] = (bstep_time_us)i * 10000 + (i % 3) * 500; /* 100 Hz with jitter */
    BSTEP_ASSERT_NEAR(bstep_estimate_rate_hz(t, 300), 100.0, 6.0);
    BSTEP_ASSERT_EQ(bstep_estimate_rate_hz(t, 1), 0.0);
    /* Fixed memory per instance (DESIGN section 8): under 16 KiB (issue 9). */
    BSTEP_ASSERT(sizeof(bstep_analyzer) < 16 * 1024);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(foot_contacts_at_impacts),
                BSTEP_TEST_ENTRY(foot_contact_arrests_swing_rotation),
                BSTEP_TEST_ENTRY(interrupted_stance_keeps_its_rest),
                BSTEP_TEST_ENTRY(stance_after_twitch_restarts_integration),
                BSTEP_TEST_ENTRY(foot_replacement_is_not_a_step),
                BSTEP_TEST_ENTRY(tilted_stance_starts_where_stillness_began),
                BSTEP_TEST_ENTRY(heel_strike_rests_tilted_without_wait),
                BSTEP_TEST_ENTRY(foot_hover_is_not_a_stance),
                BSTEP_TEST_ENTRY(split_input_identical),
                BSTEP_TEST_ENTRY(split_input_identical_simulated_foot),
                BSTEP_TEST_ENTRY(trunk_steps_at_collision_rise),
                BSTEP_TEST_ENTRY(trunk_standing_has_no_steps),
                BSTEP_TEST_ENTRY(two_instances_interleaved), BSTEP_TEST_ENTRY(gap_ends_bout),
                BSTEP_TEST_ENTRY(pause_over_3_s_ends_bout), BSTEP_TEST_ENTRY(invalid_settings),
                BSTEP_TEST_ENTRY(rate_estimate))
