/*
 * The streaming gait analyzer (first version: bouts and contacts for foot and trunk sensors).
 *
 * Foot (instep or heel clip, gyroscope needed). Stance is zero-velocity detection with the
 * gyro-norm detector (gaitmap NormZuptDetector; Skog et al., IEEE TBME 2010 compare detectors):
 * the foot is still while |w| < 50 deg/s for at least 80 ms. During a walking stance |w| stays
 * well below 50 deg/s while in swing it exceeds 200 deg/s even in slow backward walking, so the
 * threshold sits between the two. Each still period that follows a real swing (>= 0.2 s long and
 * reaching >= 100 deg/s: shorter or gentler movements are fidgets, not strides) holds one initial
 * contact: the largest acceleration magnitude in [stance start - 150 ms, stance start + 30 ms],
 * i.e. the impact of the landing, which comes before the foot is flat and still. This rule does
 * not depend on which part of the foot lands first, so it holds for toe-first backward strides as
 * well as heel-first forward ones (algorithms.md 4.3); the Rampp "gyro minimum" rule does not. The
 * final contact is the end of the still period that preceded the swing.
 *
 * Trunk (lower back, waist, pocket; gyroscope optional). The orientation filter gives the vertical
 * acceleration with gravity removed. It is resampled to a 100 Hz grid (bin means; short holes are
 * bridged linearly), smoothed by two cascaded 0.15 s moving averages (linear phase: the delay is
 * known exactly and removed from event times; the first null at 6.7 Hz keeps the 1-2.5 Hz step
 * band) and detrended by a trailing 1 s mean. At each initial contact the body's downward motion
 * is stopped by the new stance leg, so the vertical acceleration swings from negative (centre of
 * mass vaulting over the old stance leg) to a positive peak (Zijlstra & Hof, Gait Posture 2003;
 * McCamley et al., Gait Posture 2012). A step is the upward zero crossing of the smoothed signal
 * that is followed by a peak of at least 0.4 m/s^2 (a 1.5 Hz oscillation of 1.5 cm, gentle slow
 * walking, already gives about 1.3 m/s^2; quiet standing stays far below) and comes at least
 * 0.25 s after the previous step. Direction does not enter, so backward walking is handled alike.
 *
 * Bouts. Contacts are held back until they make a bout of at least 4 steps (algorithms.md section
 * 2) with pauses of at most 2.5 s; then a bout start and the held contacts are emitted, and later
 * contacts come out at once. Contacts that never make a bout are dropped (weight shifts, fidgets).
 *
 * Gaps. A hole in the data longer than 0.25 s (the shortest step, so no step can hide in a shorter
 * one) ends the bout, resets every detector and emits a GAP event: nothing is counted or
 * integrated across it. Shorter holes (packet loss of a few samples) are tolerated.
 */
#include <math.h>
#include <string.h>

#include "backstep/analyzer.h"
#include "backstep/status.h"
#include "quat.h"

const bstep_analyzer_settings bstep_analyzer_default_settings = {
    .placement = BSTEP_PLACEMENT_LOWER_BACK,
    .sample_rate_hz = 100.0f,
    .toe_axis = BSTEP_AXIS_AUTO,
    .front_axis = BSTEP_AXIS_AUTO,
    .ahrs =
        {
            .gain = 0.5f,
            .startup_gain = 10.0f,
            .startup_s = 3.0f,
            .accel_rejection_deg = 10.0f,
            .rejection_timeout_s = 5.0f,
            .max_dt_s = 0.25f,
        },
    .stance_gyro_dps = 50.0f,
    .stance_swing_fraction = 0.1f,
    .stance_gyro_max_dps = 200.0f,
    .stance_window_s = 0.1f,
    .stance_accel_mps2 = 3.0f,
    .ic_search_before_s = 0.25f,
    .ic_impact_fraction = 0.5f,
    .ic_onset_fraction = 0.25f,
    .min_swing_s = 0.2f,
    .min_swing_gyro_dps = 100.0f,
    .min_swing_accel_mps2 = 5.0f,
    .direction_cos = 0.5f,
    .in_place_m = 0.15f,
    .strike_flat_deg = 5.0f,
    .toe_calibration_strides = 6,
    .toe_calibration_spread_deg = 20.0f,
    .trunk_smooth_s = 0.15f,
    .trunk_timing_smooth_s = 0.05f,
    .trunk_detrend_s = 1.0f,
    .min_step_peak_mps2 = 0.4f,
    .min_step_interval_s = 0.25f,
    .min_bout_steps = 4,
    .max_bout_pause_s = 2.5f,
    .max_gap_s = 0.25f,
};

#define GRID_PERIOD_US (1000000 / BSTEP__TRUNK_RATE_HZ)

static int is_foot(const bstep_analyzer *a)
{
    return a->cfg.placement == BSTEP_PLACEMENT_FOOT_LEFT ||
           a->cfg.placement == BSTEP_PLACEMENT_FOOT_RIGHT ||
           a->cfg.placement == BSTEP_PLACEMENT_FOOT;
}

static int pos_finite(float v)
{
    return isfinite(v) && v > 0.0f;
}

static int settings_valid(const bstep_analyzer_settings *c)
{
    const float rate = (float)BSTEP__TRUNK_RATE_HZ;
    if (c->placement == BSTEP_PLACEMENT_AUTO || (int)c->placement < 0 ||
        c->placement > BSTEP_PLACEMENT_FOOT)
        return 0;
    if (!(isfinite(c->sample_rate_hz) && c->sample_rate_hz >= 5.0f &&
          c->sample_rate_hz <= BSTEP_ANALYZER_MAX_RATE_HZ))
        return 0;
    if ((int)c->toe_axis < 0 || c->toe_axis > BSTEP_AXIS_NEG_Z || (int)c->front_axis < 0 ||
        c->front_axis > BSTEP_AXIS_NEG_Z)
        return 0;
    if (!pos_finite(c->stance_gyro_dps) || !pos_finite(c->stance_window_s) ||
        !pos_finite(c->stance_accel_mps2) || !pos_finite(c->ic_search_before_s) ||
        !pos_finite(c->min_swing_s) || !pos_finite(c->min_swing_gyro_dps) ||
        !(c->ic_onset_fraction > 0.0f) || !(c->ic_onset_fraction <= 1.0f) ||
        !(c->ic_impact_fraction >= c->ic_onset_fraction) || !(c->ic_impact_fraction <= 1.0f) ||
        !(c->stance_swing_fraction >= 0.0f) || !(c->stance_swing_fraction < 1.0f) ||
        !(c->stance_gyro_max_dps >= c->stance_gyro_dps) || !isfinite(c->stance_gyro_max_dps) ||
        !(c->direction_cos > 0.0f) || !(c->direction_cos < 1.0f) || !(c->in_place_m >= 0.0f) ||
        !isfinite(c->in_place_m) || !(c->strike_flat_deg >= 0.0f) ||
        !(c->strike_flat_deg < 45.0f) || c->toe_calibration_strides < 1 ||
        c->toe_calibration_strides > 100 || !(c->toe_calibration_spread_deg > 0.0f) ||
        !(c->toe_calibration_spread_deg < 90.0f))
        return 0;
    /* The look-back (search window plus the stance window) must fit in the history ring at the
     * nominal rate, with a 25 % margin for sampling jitter. */
    if ((c->ic_search_before_s + c->stance_window_s) * c->sample_rate_hz * 1.25f >
        (float)BSTEP_ANALYZER_HISTORY)
        return 0;
    if (!pos_finite(c->trunk_smooth_s) || c->trunk_smooth_s * rate > BSTEP__TRUNK_MAX_SMOOTH ||
        !pos_finite(c->trunk_timing_smooth_s) || c->trunk_timing_smooth_s > c->trunk_smooth_s ||
        !pos_finite(c->trunk_detrend_s) || c->trunk_detrend_s * rate > BSTEP__TRUNK_MAX_DETREND ||
        !pos_finite(c->min_step_peak_mps2) || !pos_finite(c->min_step_interval_s))
        return 0;
    if (c->min_bout_steps < 1 || c->min_bout_steps > BSTEP__PENDING_MAX / 2 ||
        !pos_finite(c->max_bout_pause_s) || !pos_finite(c->max_gap_s))
        return 0;
    return 1;
}

int bstep_analyzer_init(bstep_analyzer *a, const bstep_analyzer_settings *cfg)
{
    if (a == NULL || cfg == NULL || !settings_valid(cfg))
        return BSTEP_EINVAL;
    memset(a, 0, sizeof(*a));
    a->cfg = *cfg;
    if (bstep_ahrs_init(&a->ahrs, &cfg->ahrs) != BSTEP_OK)
        return BSTEP_EINVAL;
    bstep_analyzer_reset(a);
    return BSTEP_OK;
}

static void mavg2_clear(bstep__mavg2 *m)
{
    memset(m->b1, 0, sizeof(m->b1));
    memset(m->b2, 0, sizeof(m->b2));
    m->s1 = m->s2 = 0.0f;
}

/* Push x (the count-th value since the last clear); returns the output of the second average.
 * The running sums are recomputed once per window so round-off cannot build up. */
static float mavg2_push(bstep__mavg2 *m, uint32_t count, float x)
{
    const uint32_t i = count % (uint32_t)m->n;
    float m1;
    m->s1 += x - m->b1[i];
    m->b1[i] = x;
    m1 = m->s1 / (float)m->n;
    m->s2 += m1 - m->b2[i];
    m->b2[i] = m1;
    if (i == (uint32_t)m->n - 1u) {
        int k;
        float s1 = 0.0f, s2 = 0.0f;
        for (k = 0; k < m->n; k++) {
            s1 += m->b1[k];
            s2 += m->b2[k];
        }
        m->s1 = s1;
        m->s2 = s2;
    }
    return m->s2 / (float)m->n;
}

/* Forget everything that depends on continuous data (after a gap), keep counters and bouts. */
static void reset_detectors(bstep_analyzer *a)
{
    bstep_ahrs_reset(&a->ahrs);
    a->hist_head = 0;
    a->hist_count = 0;
    a->have_prev_a = 0;
    a->win_sum = 0.0f;
    a->win_ad_sum = 0.0f;
    a->win_n = 0;
    a->stance_acc[0] = a->stance_acc[1] = a->stance_acc[2] = 0.0f;
    a->stance_acc_n = 0;
    a->stance_all[0] = a->stance_all[1] = a->stance_all[2] = 0.0f;
    a->stance_all_n = 0;
    a->have_iq = 0;
    a->last_gyro_dps = 0.0f;
    a->in_stance = 0;
    a->have_swing = 0;
    a->swing_peak_dps = 0.0f;
    a->have_ic = 0;
    a->grid_have = 0;
    a->grid_sum = 0.0f;
    a->grid_n = 0;
    a->det_sum = 0.0f;
    a->t_prev = 0.0f;
    mavg2_clear(&a->smooth);
    mavg2_clear(&a->timing);
    a->tslope_count = 0;
    memset(a->det, 0, sizeof(a->det));
    a->grid_count = 0;
    a->armed = 0;
    a->have_cand = 0;
    a->have_step = 0;
}

void bstep_analyzer_reset(bstep_analyzer *a)
{
    bstep_analyzer_settings cfg = a->cfg;
    bstep_ahrs ahrs = a->ahrs;
    memset(a, 0, sizeof(*a));
    a->cfg = cfg;
    a->ahrs = ahrs;
    a->steps_per_contact = is_foot(a) ? 2 : 1;
    if (cfg.toe_axis != BSTEP_AXIS_AUTO) {
        const int ax = ((int)cfg.toe_axis - 1) / 2;
        a->toe_s[ax] = ((int)cfg.toe_axis % 2) ? 1.0f : -1.0f; /* POS_* odd, NEG_* even */
        a->toe_known = 1;
    }
    a->smooth.n = (int)lroundf(cfg.trunk_smooth_s * (float)BSTEP__TRUNK_RATE_HZ) | 1;
    if (a->smooth.n > BSTEP__TRUNK_MAX_SMOOTH)
        a->smooth.n -= 2;
    a->timing.n = (int)lroundf(cfg.trunk_timing_smooth_s * (float)BSTEP__TRUNK_RATE_HZ) | 1;
    if (a->timing.n > a->smooth.n)
        a->timing.n = a->smooth.n;
    a->detrend_n = (int)lroundf(cfg.trunk_detrend_s * (float)BSTEP__TRUNK_RATE_HZ);
    if (a->detrend_n < 1)
        a->detrend_n = 1;
    reset_detectors(a);
}

static bstep_event make_event(bstep_event_type type, bstep_time_us t_us, bstep_time_us now_us)
{
    bstep_event e;
    memset(&e, 0, sizeof(e));
    e.type = type;
    e.t_us = t_us;
    e.emitted_t_us = now_us;
    e.foot = BSTEP_FOOT_UNKNOWN;
    e.direction = BSTEP_DIRECTION_UNKNOWN;
    e.strike = BSTEP_STRIKE_UNKNOWN;
    e.strike_angle_deg = NAN;
    e.stride_length_m = NAN;
    e.stride_time_s = NAN;
    e.clearance_m = NAN;
    e.turn_deg = NAN;
    e.value = NAN;
    return e;
}

static void push(bstep_analyzer *a, const bstep_event *e)
{
    if (a->queue_n < BSTEP_ANALYZER_EVENT_QUEUE)
        a->queue[a->queue_n++] = *e;
    /* else: the caller has not drained the queue for many samples; the newest event is lost. */
}

static void end_bout(bstep_analyzer *a, bstep_time_us now_us)
{
    if (a->bout_open) {
        bstep_event e = make_event(BSTEP_EVENT_BOUT_END, a->bout_last_contact_us, now_us);
        push(a, &e);
        a->bout_open = 0;
    }
    a->pending_n = 0;
    a->pending_contacts = 0;
}

/* A contact or final contact from a detector enters the bout logic here. */
static void bout_event(bstep_analyzer *a, bstep_event *e)
{
    if (a->bout_open) {
        push(a, e);
        if (e->type == BSTEP_EVENT_INITIAL_CONTACT)
            a->bout_last_contact_us = e->t_us;
        return;
    }
    if (a->pending_n == BSTEP__PENDING_MAX) { /* drop the oldest held event */
        if (a->pending[0].type == BSTEP_EVENT_INITIAL_CONTACT)
            a->pending_contacts--;
        memmove(a->pending, a->pending + 1, sizeof(a->pending[0]) * (BSTEP__PENDING_MAX - 1));
        a->pending_n--;
    }
    a->pending[a->pending_n++] = *e;
    if (e->type != BSTEP_EVENT_INITIAL_CONTACT)
        return;
    a->pending_contacts++;
    a->bout_last_contact_us = e->t_us;
    if (a->pending_contacts * a->steps_per_contact >= a->cfg.min_bout_steps) {
        int i;
        bstep_event s = make_event(BSTEP_EVENT_BOUT_START, a->pending[0].t_us, e->emitted_t_us);
        push(a, &s);
        for (i = 0; i < a->pending_n; i++) {
            a->pending[i].emitted_t_us = e->emitted_t_us;
            push(a, &a->pending[i]);
        }
        a->pending_n = 0;
        a->pending_contacts = 0;
        a->bout_open = 1;
        a->bout_first_us = s.t_us;
    }
}

/* Called for every sample: closes bouts or drops held contacts after a long pause. */
static void bout_timeout(bstep_analyzer *a, bstep_time_us now_us)
{
    const bstep_time_us pause_us = (bstep_time_us)(a->cfg.max_bout_pause_s * 1e6f);
    if (a->bout_open && now_us - a->bout_last_contact_us > pause_us)
        end_bout(a, now_us);
    else if (!a->bout_open && a->pending_contacts > 0 &&
             now_us - a->bout_last_contact_us > pause_us) {
        a->pending_n = 0;
        a->pending_contacts = 0;
    }
}

/* ---- foot ----------------------------------------------------------------------------------- */

/* Index of the k-th newest ring entry (k = 0 is the newest). */
static uint32_t ring_at(const bstep_analyzer *a, uint32_t k)
{
    return (a->hist_head + BSTEP_ANALYZER_HISTORY - 1u - k) % BSTEP_ANALYZER_HISTORY;
}

/* Initial contact of the stance that starts at still_start_us: the onset of the landing impact.
 * J = the largest jerk in [lo, hi] (from before the stance start to the moment it is confirmed: the
 * stillness test over a window can start before the foot is fully still). The landing is the
 * FIRST jerk above ic_impact_fraction * J: a heel-first landing is a heel impact followed by a
 * forefoot slap that can be stronger, a toe-first landing a forefoot impact followed by the heel
 * lowering, and contact begins with the first of them. Its onset is the earliest sample of the
 * run, ending there, whose jerk stays above ic_onset_fraction * J (a half-maximum-style onset:
 * contact starts when the acceleration starts to change abruptly). */
static bstep_time_us foot_find_ic(const bstep_analyzer *a, bstep_time_us lo, bstep_time_us hi)
{
    uint32_t k, first_k = 0, on_k;
    float peak = -1.0f;
    int found = 0;
    for (k = 0; k < a->hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->hist_t_us[i] < lo)
            break;
        if (a->hist_t_us[i] <= hi && a->hist_j[i] > peak) {
            peak = a->hist_j[i];
            found = 1;
        }
    }
    if (!found)
        return hi;
    /* Earliest sample at or above the impact level (scanning from newest to oldest). */
    for (k = 0; k < a->hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->hist_t_us[i] < lo)
            break;
        if (a->hist_t_us[i] <= hi && a->hist_j[i] >= a->cfg.ic_impact_fraction * peak)
            first_k = k;
    }
    on_k = first_k;
    for (k = first_k + 1u; k < a->hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->hist_t_us[i] < lo || a->hist_j[i] < a->cfg.ic_onset_fraction * peak)
            break;
        on_k = k;
    }
    return a->hist_t_us[ring_at(a, on_k)];
}

/* Zero-velocity-aided inertial navigation of the foot (Foxlin 2005; Skog et al. 2010), run on every
 * sample. Orientation: midpoint gyro integration, plus during stance a gravity correction (gain
 * 5/s, settling within 0.2 s) so that each swing starts from the attitude the foot really has.
 * Velocity and position: the gravity-free world acceleration, trapezoidal. Each stance sample that
 * is truly still (rotating slower than 25 deg/s, reading within 1 m/s^2 of 1 g) is a zero-velocity
 * update: velocity and position restart from zero there. Integration therefore never starts late:
 * a test that starts the swing when the stance-end detector fires misses the first samples of the
 * take-off, and with them 0.4 m/s (simulated walk with exact truth). The midpoint rule matters too:
 * with the rate at the end of each interval the attitude runs half a sample ahead (about 3 degrees
 * mid-swing at 100 Hz), which left 0.3 m/s at the end of an exactly known test swing. */
static void up_of(const float q[4], float up_s[3]);

static void foot_zupt(bstep_analyzer *a, bstep_time_us t_us)
{
    a->iv[0] = a->iv[1] = a->iv[2] = 0.0f;
    a->ip[0] = a->ip[1] = a->ip[2] = 0.0f;
    a->max_z_m = 0.0f;
    a->max_z_t_us = t_us;
    a->int_start_us = t_us;
    memcpy(a->q_lev, a->iq, sizeof(a->q_lev));
}

static void foot_nav(bstep_analyzer *a, const bstep_imu_sample *s, float gn, float ad)
{
    const float d2r = 0.017453292519943295f, gain = 5.0f;
    const float *f = s->accel_mps2;
    float w[3], wm[3], aw[3], dt;
    int k;
    for (k = 0; k < 3; k++)
        w[k] = s->gyro_dps[k] * d2r;
    if (!a->have_iq) {
        bstep__quat_from_up(f, a->iq);
        a->have_iq = 1;
        a->g_local = BSTEP_STANDARD_GRAVITY_MPS2;
        a->int_last_us = s->t_us;
        memcpy(a->int_prev_w, w, sizeof(w));
        bstep__quat_rotate(a->iq, f, a->int_prev_aw);
        a->int_prev_aw[2] -= a->g_local;
        foot_zupt(a, s->t_us);
        return;
    }
    dt = (float)(s->t_us - a->int_last_us) * 1e-6f;
    if (dt <= 0.0f)
        return;
    a->int_last_us = s->t_us;
    for (k = 0; k < 3; k++)
        wm[k] = 0.5f * (w[k] + a->int_prev_w[k]);
    if (a->in_stance) {
        const float n = sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]);
        float up[3];
        if (n > 0.0f) {
            up_of(a->iq, up);
            wm[0] += gain * (f[1] * up[2] - f[2] * up[1]) / n;
            wm[1] += gain * (f[2] * up[0] - f[0] * up[2]) / n;
            wm[2] += gain * (f[0] * up[1] - f[1] * up[0]) / n;
        }
    }
    bstep__quat_integrate(a->iq, wm, dt);
    bstep__quat_rotate(a->iq, f, aw);
    aw[2] -= a->g_local;
    for (k = 0; k < 3; k++) {
        const float vn = a->iv[k] + 0.5f * (aw[k] + a->int_prev_aw[k]) * dt;
        a->ip[k] += 0.5f * (a->iv[k] + vn) * dt;
        a->iv[k] = vn;
        a->int_prev_aw[k] = aw[k];
        a->int_prev_w[k] = w[k];
    }
    if (a->ip[2] > a->max_z_m) {
        a->max_z_m = a->ip[2];
        a->max_z_t_us = s->t_us;
    }
    if (a->in_stance && gn < 0.5f * a->cfg.stance_gyro_dps && ad < 1.0f)
        foot_zupt(a, s->t_us);
}

/* Sensor-frame toe axis, perpendicular to the stance's up direction (the flat-foot toe axis). */
static int toe_flat(const bstep_analyzer *a, const float up_s[3], const float travel_s[3],
                    float out[3])
{
    const float *t = a->toe_known ? a->toe_s : travel_s;
    const float d = t[0] * up_s[0] + t[1] * up_s[1] + t[2] * up_s[2];
    float n;
    out[0] = t[0] - d * up_s[0];
    out[1] = t[1] - d * up_s[1];
    out[2] = t[2] - d * up_s[2];
    n = sqrtf(out[0] * out[0] + out[1] * out[1] + out[2] * out[2]);
    if (!(n > 1e-6f))
        return 0;
    out[0] /= n;
    out[1] /= n;
    out[2] /= n;
    return 1;
}

/* Up direction (world z) in the sensor frame for orientation q. */
static void up_of(const float q[4], float up_s[3])
{
    const float z[3] = {0.0f, 0.0f, 1.0f};
    bstep__quat_rotate_inv(q, z, up_s);
}

static const float *hist_up_at(const bstep_analyzer *a, bstep_time_us t)
{
    uint32_t k;
    for (k = 0; k < a->hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->hist_t_us[i] <= t)
            return a->hist_up[i];
    }
    return a->hist_up[ring_at(a, a->hist_count - 1u)];
}

/* A stride ended at the stance confirmed now (time now_us): fill the contact event with the
 * stride vector and what follows from it. The velocity at a confirmed stance is zero; whatever
 * the integration kept is drift. Modelled as a constant acceleration bias it grew linearly over
 * the swing, so the position it added is v_end * T / 2 (exact for that model, no buffer needed);
 * the same model corrects the swing's highest point. */
static void foot_stride(bstep_analyzer *a, bstep_event *ic, bstep_time_us now_us)
{
    const float r2d = 57.29577951308232f;
    const float T = (float)(now_us - a->int_start_us) * 1e-6f;
    float d[3], len, up_lev[3], up_now[3], travel_w[3], travel_s[3], toe[3], toe_w[3], uh, s_fw,
        s_left, e_ic, e_now, h0, h1, turn;
    if (!a->have_iq || T <= 0.0f)
        return;
    d[0] = a->ip[0] - 0.5f * a->iv[0] * T;
    d[1] = a->ip[1] - 0.5f * a->iv[1] * T;
    d[2] = a->ip[2] - 0.5f * a->iv[2] * T;
    len = sqrtf(d[0] * d[0] + d[1] * d[1]);
    ic->stride_length_m = len;
    if (a->max_z_t_us > a->int_start_us) {
        const float tm = (float)(a->max_z_t_us - a->int_start_us) * 1e-6f;
        ic->clearance_m = a->max_z_m - 0.5f * a->iv[2] * tm * tm / T;
        if (ic->clearance_m < 0.0f)
            ic->clearance_m = 0.0f;
    } else {
        ic->clearance_m = 0.0f;
    }
    memcpy(up_lev, a->up_flat, sizeof(up_lev));
    up_of(a->iq, up_now);
    /* Travel direction in the sensor frame of the stance the swing started from. */
    travel_w[0] = len > 1e-6f ? d[0] / len : 1.0f;
    travel_w[1] = len > 1e-6f ? d[1] / len : 0.0f;
    travel_w[2] = 0.0f;
    bstep__quat_rotate_inv(a->q_lev, travel_w, travel_s);
    if (!toe_flat(a, up_lev, travel_s, toe))
        return;
    /* Auto mounting: the first strides are assumed forward (the walker is told to start with ten
     * steps forward); their mean travel direction in the sensor frame is the toe axis. */
    if (!a->toe_known && len >= a->cfg.in_place_m) {
        float n;
        a->calib_sum[0] += travel_s[0];
        a->calib_sum[1] += travel_s[1];
        a->calib_sum[2] += travel_s[2];
        a->calib_n++;
        n = sqrtf(a->calib_sum[0] * a->calib_sum[0] + a->calib_sum[1] * a->calib_sum[1] +
                  a->calib_sum[2] * a->calib_sum[2]);
        if (a->calib_n >= a->cfg.toe_calibration_strides) {
            /* Mean resultant length of unit vectors spread by +-x degrees is about cos(x). */
            if (n / (float)a->calib_n >= cosf(a->cfg.toe_calibration_spread_deg / r2d)) {
                a->toe_s[0] = a->calib_sum[0] / n;
                a->toe_s[1] = a->calib_sum[1] / n;
                a->toe_s[2] = a->calib_sum[2] / n;
                a->toe_known = 1;
            } else {
                a->calib_sum[0] = a->calib_sum[1] = a->calib_sum[2] = 0.0f;
                a->calib_n = 0;
            }
        }
    }
    /* Direction: the stride vector against the toe axis, both horizontal, same frame. */
    bstep__quat_rotate(a->q_lev, toe, toe_w);
    uh = sqrtf(toe_w[0] * toe_w[0] + toe_w[1] * toe_w[1]);
    if (uh > 1e-6f && len >= a->cfg.in_place_m) {
        s_fw = (d[0] * toe_w[0] + d[1] * toe_w[1]) / (len * uh);
        s_left = (-d[0] * toe_w[1] + d[1] * toe_w[0]) / (len * uh); /* left = up x toe */
        if (s_fw > a->cfg.direction_cos)
            ic->direction = BSTEP_DIRECTION_FORWARD;
        else if (s_fw < -a->cfg.direction_cos)
            ic->direction = BSTEP_DIRECTION_BACKWARD;
        else
            ic->direction =
                s_left > 0.0f ? BSTEP_DIRECTION_SIDEWAYS_LEFT : BSTEP_DIRECTION_SIDEWAYS_RIGHT;
    } else if (len < a->cfg.in_place_m) {
        ic->direction = BSTEP_DIRECTION_IN_PLACE;
    }
    /* Strike angle: toe-axis elevation at contact relative to the flat foot now (toes up +). */
    {
        const float *up_ic = hist_up_at(a, ic->t_us);
        float si = toe[0] * up_ic[0] + toe[1] * up_ic[1] + toe[2] * up_ic[2];
        float sn = toe[0] * up_now[0] + toe[1] * up_now[1] + toe[2] * up_now[2];
        si = si > 1.0f ? 1.0f : (si < -1.0f ? -1.0f : si);
        sn = sn > 1.0f ? 1.0f : (sn < -1.0f ? -1.0f : sn);
        e_ic = asinf(si) * r2d;
        e_now = asinf(sn) * r2d;
        ic->strike_angle_deg = e_ic - e_now;
        ic->strike = ic->strike_angle_deg < -a->cfg.strike_flat_deg  ? BSTEP_STRIKE_TOE
                     : ic->strike_angle_deg > a->cfg.strike_flat_deg ? BSTEP_STRIKE_HEEL
                                                                     : BSTEP_STRIKE_FLAT;
    }
    /* Turn: heading change of the toe axis over the stride. */
    h0 = bstep__quat_heading(a->q_lev, toe);
    h1 = bstep__quat_heading(a->iq, toe);
    turn = (h1 - h0) * r2d;
    while (turn > 180.0f)
        turn -= 360.0f;
    while (turn < -180.0f)
        turn += 360.0f;
    ic->turn_deg = turn;
}

static void foot_update(bstep_analyzer *a, const bstep_imu_sample *s)
{
    const float *w = s->gyro_dps, *f = s->accel_mps2;
    const float gn = sqrtf(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
    const bstep_time_us win_us = (bstep_time_us)(a->cfg.stance_window_s * 1e6f);
    const int has_gyro = (s->flags & BSTEP_SAMPLE_HAS_GYRO) != 0;
    float jerk = 0.0f;
    uint32_t oldest, slot;

    if (has_gyro)
        foot_nav(
            a, s, gn,
            fabsf(sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) - BSTEP_STANDARD_GRAVITY_MPS2));
    if (a->have_prev_a && s->t_us > a->prev_a_t_us) {
        const float dx = f[0] - a->prev_a[0], dy = f[1] - a->prev_a[1], dz = f[2] - a->prev_a[2];
        jerk = sqrtf(dx * dx + dy * dy + dz * dz) / ((float)(s->t_us - a->prev_a_t_us) * 1e-6f);
    }
    memcpy(a->prev_a, f, sizeof(a->prev_a));
    a->prev_a_t_us = s->t_us;
    a->have_prev_a = 1;

    /* The ring is full: the entry about to be overwritten may still be in the window. */
    if (a->hist_count == BSTEP_ANALYZER_HISTORY && a->win_n == BSTEP_ANALYZER_HISTORY) {
        a->win_sum -= a->hist_g[a->hist_head];
        a->win_ad_sum -= a->hist_ad[a->hist_head];
        a->win_n--;
    }
    slot = a->hist_head;
    a->hist_t_us[slot] = s->t_us;
    a->hist_j[slot] = jerk;
    a->hist_g[slot] = gn;
    a->hist_ad[slot] =
        fabsf(sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) - BSTEP_STANDARD_GRAVITY_MPS2);
    if (a->have_iq) {
        up_of(a->iq, a->hist_up[slot]);
    } else {
        const float n = sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]);
        a->hist_up[slot][0] = n > 0.0f ? f[0] / n : 0.0f;
        a->hist_up[slot][1] = n > 0.0f ? f[1] / n : 0.0f;
        a->hist_up[slot][2] = n > 0.0f ? f[2] / n : 1.0f;
    }
    a->hist_head = (a->hist_head + 1u) % BSTEP_ANALYZER_HISTORY;
    if (a->hist_count < BSTEP_ANALYZER_HISTORY)
        a->hist_count++;
    a->last_gyro_dps = gn;

    if (!has_gyro)
        return; /* stance detection needs the gyroscope */

    /* Moving mean of the gyro norm over the last stance_window_s. */
    a->win_sum += gn;
    a->win_ad_sum += a->hist_ad[slot];
    a->win_n++;
    while (a->win_n > 1u) {
        oldest = ring_at(a, a->win_n - 1u);
        if (s->t_us - a->hist_t_us[oldest] < win_us)
            break;
        a->win_sum -= a->hist_g[oldest];
        a->win_ad_sum -= a->hist_ad[oldest];
        a->win_n--;
    }
    if (a->win_n == 1u) { /* no round-off carried over */
        a->win_sum = gn;
        a->win_ad_sum = a->hist_ad[slot];
    }
    oldest = ring_at(a, a->win_n - 1u);

    /* Stillness threshold: the absolute one, or a share of this swing's peak rate when that is
     * higher (fast walking and running roll the foot faster through stance), bounded. */
    {
        float thr = a->cfg.stance_swing_fraction * a->swing_peak_dps;
        if (a->in_stance || !a->have_swing || thr < a->cfg.stance_gyro_dps)
            thr = a->cfg.stance_gyro_dps;
        if (thr > a->cfg.stance_gyro_max_dps)
            thr = a->cfg.stance_gyro_max_dps;
        a->still_thr_dps = thr;
        /* The same for the accelerometer: a sprint's stance is never as quiet as a walk's. */
        thr = a->cfg.stance_swing_fraction * a->swing_peak_ad;
        if (a->in_stance || !a->have_swing || thr < a->cfg.stance_accel_mps2)
            thr = a->cfg.stance_accel_mps2;
        if (thr > 4.0f * a->cfg.stance_accel_mps2)
            thr = 4.0f * a->cfg.stance_accel_mps2;
        a->still_thr_mps2 = thr;
    }
    if (a->win_sum / (float)a->win_n < a->still_thr_dps &&
        a->win_ad_sum / (float)a->win_n < a->still_thr_mps2 &&
        s->t_us - a->hist_t_us[oldest] >= win_us - win_us / 10) {
        if (!a->in_stance) {
            a->in_stance = 1;
            a->still_start_us = a->hist_t_us[oldest];
            a->stance_acc[0] = a->stance_acc[1] = a->stance_acc[2] = 0.0f;
            a->stance_acc_n = 0;
            a->stance_all[0] = a->stance_all[1] = a->stance_all[2] = 0.0f;
            a->stance_all_n = 0;
            if (a->have_swing &&
                (float)(a->still_start_us - a->swing_start_us) * 1e-6f >= a->cfg.min_swing_s &&
                (a->swing_peak_dps >= a->cfg.min_swing_gyro_dps ||
                 a->swing_peak_ad >= a->cfg.min_swing_accel_mps2)) {
                /* A real stride ended: its final contact (swing start), then the landing. */
                bstep_time_us lo =
                    a->still_start_us - (bstep_time_us)(a->cfg.ic_search_before_s * 1e6f);
                const bstep_time_us hi = s->t_us;
                bstep_time_us ic_t;
                bstep_event fc = make_event(BSTEP_EVENT_FINAL_CONTACT, a->swing_start_us, s->t_us);
                bstep_event ic;
                if (lo < a->swing_start_us)
                    lo = a->swing_start_us; /* the landing cannot precede the take-off */
                ic_t = foot_find_ic(a, lo, hi);
                ic = make_event(BSTEP_EVENT_INITIAL_CONTACT, ic_t, s->t_us);
                ic.foot = a->cfg.placement == BSTEP_PLACEMENT_FOOT_LEFT    ? BSTEP_FOOT_LEFT
                          : a->cfg.placement == BSTEP_PLACEMENT_FOOT_RIGHT ? BSTEP_FOOT_RIGHT
                                                                           : BSTEP_FOOT_UNKNOWN;
                fc.foot = ic.foot;
                if (a->have_ic && (float)(ic_t - a->last_ic_us) * 1e-6f <= a->cfg.max_bout_pause_s)
                    ic.stride_time_s = (float)(ic_t - a->last_ic_us) * 1e-6f;
                foot_stride(a, &ic, s->t_us);
                a->last_ic_us = ic_t;
                a->have_ic = 1;
                bout_event(a, &fc);
                bout_event(a, &ic);
            }
            a->have_swing = 0;
            if (a->have_iq)
                foot_zupt(a, s->t_us); /* restart here if no still sample follows (running) */
        }
        /* Gravity and the flat-foot attitude from the quiet part of the stance only (rotating
         * slower than 25 deg/s, reading within 1 m/s^2 of 1 g): samples right after the landing
         * still carry the impact and biased gravity upwards by 0.4-0.6 m/s^2. */
        a->stance_all[0] += f[0];
        a->stance_all[1] += f[1];
        a->stance_all[2] += f[2];
        a->stance_all_n++;
        if (gn < 0.5f * a->cfg.stance_gyro_dps &&
            fabsf(sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) - BSTEP_STANDARD_GRAVITY_MPS2) <
                1.0f) {
            a->stance_acc[0] += f[0];
            a->stance_acc[1] += f[1];
            a->stance_acc[2] += f[2];
            a->stance_acc_n++;
        }
    } else if (a->in_stance && ((gn >= a->cfg.stance_gyro_dps && gn >= a->still_thr_dps) ||
                                a->hist_ad[slot] >= 2.0f * a->still_thr_mps2)) {
        /* Stance ended: the foot left the ground at the last still sample before this rise. */
        uint32_t k;
        bstep_time_us t_off = s->t_us;
        for (k = 1; k < a->win_n; k++) {
            const uint32_t i = ring_at(a, k);
            t_off = a->hist_t_us[i];
            if (a->hist_g[i] < a->cfg.stance_gyro_dps)
                break;
        }
        a->in_stance = 0;
        a->swing_start_us = t_off;
        a->have_swing = 1;
        a->swing_peak_dps = gn;
        a->swing_peak_ad = a->hist_ad[slot];
        /* Gravity and the flat-foot up direction for this swing, from the stance just ended. */
        if (a->stance_acc_n >= 3u || a->stance_all_n > 0u) {
            const int quiet = a->stance_acc_n >= 3u;
            const float *sum = quiet ? a->stance_acc : a->stance_all;
            const float n = (float)(quiet ? a->stance_acc_n : a->stance_all_n);
            const float m[3] = {sum[0] / n, sum[1] / n, sum[2] / n};
            a->g_local = sqrtf(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
            a->up_flat[0] = m[0] / a->g_local;
            a->up_flat[1] = m[1] / a->g_local;
            a->up_flat[2] = m[2] / a->g_local;
        }
    } else if (!a->in_stance) {
        if (gn > a->swing_peak_dps)
            a->swing_peak_dps = gn;
        if (a->hist_ad[slot] > a->swing_peak_ad)
            a->swing_peak_ad = a->hist_ad[slot];
    }
}

/* ---- trunk ---------------------------------------------------------------------------------- */

/* Two cascaded moving averages (smooth.n each), then a trailing mean (detrend_n) subtracted. One
 * grid sample in, one filtered value out; the output lags the input by smooth.n - 1 samples. */
static float trunk_filter(bstep_analyzer *a, float x)
{
    const int nd = a->detrend_n;
    const uint32_t c = a->grid_count, id = c % (uint32_t)nd;
    const float m2 = mavg2_push(&a->smooth, c, x);
    uint32_t have;
    a->det_sum += m2 - a->det[id];
    a->det[id] = m2;
    a->grid_count = c + 1u;
    if (id == (uint32_t)nd - 1u) {
        int k;
        float sd = 0.0f;
        for (k = 0; k < nd; k++)
            sd += a->det[k];
        a->det_sum = sd;
    }
    have = a->grid_count < (uint32_t)nd ? a->grid_count : (uint32_t)nd;
    return m2 - a->det_sum / (float)have;
}

/* The timing chain: two cascaded moving averages of timing.n grid samples; keeps the slope of its
 * output in a ring. Slopes are independent of the mean, so no detrending is needed. */
static void timing_filter(bstep_analyzer *a, int64_t k, float x)
{
    const float m2 = mavg2_push(&a->timing, a->grid_count - 1u, x); /* count already advanced */
    a->tslope[(uint64_t)k % BSTEP__TIMING_RING] = (m2 - a->t_prev) * (float)BSTEP__TRUNK_RATE_HZ;
    a->t_prev = m2;
    a->tslope_k0 = k;
    if (a->tslope_count < BSTEP__TIMING_RING)
        a->tslope_count++;
}

/* Refine a contact time t_s (from the step-finding chain) to the steepest rise of the timing
 * chain within +-0.1 s, parabola-interpolated. Returns t_s unchanged if the ring does not cover
 * the interval. */
static double timing_refine(const bstep_analyzer *a, double t_s)
{
    const double period = 1.0 / BSTEP__TRUNK_RATE_HZ;
    /* Slope entry at grid index k describes the time (k - (timing.n - 1) - 0.5) * period. */
    const double shift = (double)(a->timing.n - 1) + 0.5;
    const int64_t lo = (int64_t)ceil((t_s - 0.1) / period + shift);
    const int64_t hi = (int64_t)floor((t_s + 0.1) / period + shift);
    const int64_t oldest = a->tslope_k0 - (int64_t)a->tslope_count + 1;
    int64_t k, best_k = -1;
    float best = 0.0f;
    if (lo - 1 < oldest || hi + 1 > a->tslope_k0)
        return t_s;
    for (k = lo; k <= hi; k++) {
        const float v = a->tslope[(uint64_t)k % BSTEP__TIMING_RING];
        if (best_k < 0 || v > best) {
            best = v;
            best_k = k;
        }
    }
    {
        const float s0 = a->tslope[(uint64_t)(best_k - 1) % BSTEP__TIMING_RING];
        const float s2 = a->tslope[(uint64_t)(best_k + 1) % BSTEP__TIMING_RING];
        const float den = s0 - 2.0f * best + s2;
        double t = ((double)best_k - shift) * period;
        if (den < 0.0f) {
            float off = 0.5f * (s0 - s2) / den;
            if (off > 0.5f)
                off = 0.5f;
            if (off < -0.5f)
                off = -0.5f;
            t += (double)off * period;
        }
        return t;
    }
}

/* Step detection on one filtered grid value y whose own time (filter delay removed) is t_s.
 * A step is a rise of the vertical acceleration from below zero to a peak of at least
 * min_step_peak_mps2; its initial contact is the moment of steepest rise (largest slope,
 * interpolated on a parabola through the three slopes around it): the new stance leg arrests the
 * body's fall abruptly, so the contact sits where the acceleration changes fastest, not where it
 * crosses its mean (which depends on the shape of the whole cycle). The step is confirmed once the
 * signal has passed its peak. */
static void trunk_detect(bstep_analyzer *a, float y, double t_s, bstep_time_us now_us)
{
    const float thr = a->cfg.min_step_peak_mps2;
    const double period = 1.0 / BSTEP__TRUNK_RATE_HZ;
    const float slope = (y - a->y_prev) / (float)period; /* at t_s - period / 2 */
    /* Warm-up: the moving averages need a full window before their output means anything. */
    if (a->grid_count < (uint32_t)(2 * a->smooth.n)) {
        a->y_prev = y;
        a->slope_prev = slope;
        return;
    }
    if (y < 0.0f && !a->have_cand) {
        /* Below the mean: a new rise may start; restart the slope search at each new low. */
        if (!a->armed || y <= a->cand_peak) {
            a->armed = 1;
            a->cand_peak = y; /* lowest value so far */
            a->best_slope = 0.0f;
        }
    }
    if (a->armed && slope > a->best_slope) {
        a->best_slope = slope;
        a->best_slope_t_s = t_s - 0.5 * period;
        a->slope_before = a->slope_prev;
        a->slope_after_pending = 1;
    } else if (a->armed && a->slope_after_pending) {
        /* Parabolic refinement with the slopes just before and after the largest one. */
        const float s0 = a->slope_before, s1 = a->best_slope, s2 = slope;
        const float den = s0 - 2.0f * s1 + s2;
        if (den < 0.0f) {
            float off = 0.5f * (s0 - s2) / den;
            if (off > 0.5f)
                off = 0.5f;
            if (off < -0.5f)
                off = -0.5f;
            a->best_slope_t_s += (double)off * period;
        }
        a->slope_after_pending = 0;
    }
    if (a->armed && y >= thr)
        a->have_cand = 1;
    if (a->have_cand && slope <= 0.0f) {
        /* Past the peak: one step, timed on the lightly smoothed chain. */
        const double tc = timing_refine(a, a->best_slope_t_s);
        if (!a->have_step ||
            a->best_slope_t_s - a->last_coarse_t_s >= (double)a->cfg.min_step_interval_s) {
            bstep_event e =
                make_event(BSTEP_EVENT_INITIAL_CONTACT, (bstep_time_us)llround(tc * 1e6), now_us);
            if (a->have_step && tc - a->last_step_t_s <= (double)a->cfg.max_bout_pause_s)
                e.value = (float)(tc - a->last_step_t_s); /* step time, s */
            a->last_step_t_s = tc;
            a->last_coarse_t_s = a->best_slope_t_s;
            a->have_step = 1;
            bout_event(a, &e);
        }
        a->have_cand = 0;
        a->armed = 0;
    }
    a->y_prev = y;
    a->slope_prev = slope;
}

static void trunk_grid_point(bstep_analyzer *a, int64_t k, float v, bstep_time_us now_us)
{
    const float y = trunk_filter(a, v);
    timing_filter(a, k, v);
    /* Delay of two moving averages of odd length n: 2 * (n - 1) / 2 grid periods. */
    const double t_s = (double)(k - (a->smooth.n - 1)) / BSTEP__TRUNK_RATE_HZ;
    a->y_last = y;
    trunk_detect(a, y, t_s, now_us);
}

static void trunk_update(bstep_analyzer *a, const bstep_imu_sample *s)
{
    float lin[3], v;
    int64_t k;
    bstep_ahrs_update(&a->ahrs, s);
    bstep_ahrs_get_linear_world(&a->ahrs, s->accel_mps2, lin);
    v = lin[2];
    /* Bin index of this sample on the 100 Hz grid (bins centred on multiples of the period). */
    k = (s->t_us + GRID_PERIOD_US / 2) / GRID_PERIOD_US;
    if (s->t_us + GRID_PERIOD_US / 2 < 0)
        k -= 1;
    if (!a->grid_have) {
        a->grid_have = 1;
        a->grid_k = k;
        a->grid_sum = v;
        a->grid_n = 1;
        return;
    }
    if (k == a->grid_k) {
        a->grid_sum += v;
        a->grid_n++;
        return;
    }
    {
        const float done = a->grid_sum / (float)a->grid_n;
        int64_t j;
        trunk_grid_point(a, a->grid_k, done, s->t_us);
        /* Empty bins inside a short hole: bridge linearly towards this sample. */
        for (j = a->grid_k + 1; j < k; j++) {
            const float f = (float)(j - a->grid_k) / (float)(k - a->grid_k);
            trunk_grid_point(a, j, done + f * (v - done), s->t_us);
        }
        a->grid_prev_value = done;
    }
    a->grid_k = k;
    a->grid_sum = v;
    a->grid_n = 1;
}

/* ---- driver --------------------------------------------------------------------------------- */

static size_t drain(bstep_analyzer *a, bstep_event *ev, size_t ev_cap)
{
    size_t n = (size_t)a->queue_n < ev_cap ? (size_t)a->queue_n : ev_cap;
    if (n > 0) {
        memcpy(ev, a->queue, n * sizeof(*ev));
        memmove(a->queue, a->queue + n, ((size_t)a->queue_n - n) * sizeof(*ev));
        a->queue_n -= (int)n;
    }
    return n;
}

size_t bstep_analyzer_update(bstep_analyzer *a, const bstep_imu_sample *s, bstep_event *ev,
                             size_t ev_cap)
{
    const float *f = s->accel_mps2;
    if (!(isfinite(f[0]) && isfinite(f[1]) && isfinite(f[2])))
        return drain(a, ev, ev_cap);
    if (a->have_last) {
        bstep_time_us dt = s->t_us - a->last_t_us;
        if (dt <= 0)
            return drain(a, ev, ev_cap); /* not after the previous sample: ignored */
        if ((float)dt * 1e-6f > a->cfg.max_gap_s) {
            bstep_event g = make_event(BSTEP_EVENT_GAP, a->last_t_us, s->t_us);
            g.value = (float)dt * 1e-6f;
            end_bout(a, s->t_us);
            push(a, &g);
            reset_detectors(a);
            a->gaps++;
        }
    }
    a->last_t_us = s->t_us;
    a->have_last = 1;
    a->samples++;
    if (is_foot(a))
        foot_update(a, s);
    else
        trunk_update(a, s);
    bout_timeout(a, s->t_us);
    return drain(a, ev, ev_cap);
}

size_t bstep_analyzer_update_block(bstep_analyzer *a, const bstep_imu_sample *s, size_t n,
                                   bstep_event *ev, size_t ev_cap)
{
    size_t i, out = 0;
    for (i = 0; i < n; i++)
        out += bstep_analyzer_update(a, &s[i], ev + out, ev_cap - out);
    return out;
}

size_t bstep_analyzer_finish(bstep_analyzer *a, bstep_event *ev, size_t ev_cap)
{
    end_bout(a, a->last_t_us);
    return drain(a, ev, ev_cap);
}

bstep_analyzer_states bstep_analyzer_get_states(const bstep_analyzer *a)
{
    bstep_analyzer_states st;
    st.in_stance = a->in_stance;
    st.in_bout = a->bout_open;
    st.gyro_norm_dps = a->last_gyro_dps;
    st.vertical_mps2 = a->y_last;
    st.samples = a->samples;
    st.gaps = a->gaps;
    return st;
}

float bstep_estimate_rate_hz(const bstep_time_us *t_us, size_t n)
{
    bstep_time_us d[255];
    size_t m = 0, i, j;
    if (n > 256)
        n = 256;
    for (i = 1; i < n; i++)
        if (t_us[i] > t_us[i - 1])
            d[m++] = t_us[i] - t_us[i - 1];
    if (m == 0)
        return 0.0f;
    for (i = 1; i < m; i++) { /* insertion sort: at most 255 values */
        bstep_time_us v = d[i];
        for (j = i; j > 0 && d[j - 1] > v; j--)
            d[j] = d[j - 1];
        d[j] = v;
    }
    return 1e6f / (float)d[m / 2];
}
