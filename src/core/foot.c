/*
 * Foot engine of the streaming analyzer.
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
 */
#include <math.h>
#include <string.h>

#include "analyzer_internal.h"
#include "quat.h"

int bstep__foot_settings_valid(const bstep_analyzer_settings *c)
{
    if (!bstep__pos_finite(c->stance_gyro_dps) || !bstep__pos_finite(c->stance_window_s) ||
        !bstep__pos_finite(c->stance_accel_mps2) || !bstep__pos_finite(c->ic_search_before_s) ||
        !bstep__pos_finite(c->min_swing_s) || !bstep__pos_finite(c->min_swing_gyro_dps) ||
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
    return 1;
}

void bstep__foot_restart(bstep_analyzer *a)
{
    bstep__foot_state *f = &a->eng.foot;
    f->hist_head = 0;
    f->hist_count = 0;
    f->have_prev_a = 0;
    f->win_sum = 0.0f;
    f->win_ad_sum = 0.0f;
    f->win_n = 0;
    f->stance_acc[0] = f->stance_acc[1] = f->stance_acc[2] = 0.0f;
    f->stance_acc_n = 0;
    f->stance_all[0] = f->stance_all[1] = f->stance_all[2] = 0.0f;
    f->stance_all_n = 0;
    f->have_iq = 0;
    f->last_gyro_dps = 0.0f;
    f->in_stance = 0;
    f->have_swing = 0;
    f->swing_peak_dps = 0.0f;
    f->have_ic = 0;
}

void bstep__foot_reset(bstep_analyzer *a)
{
    const bstep_axis ax_cfg = a->cfg.toe_axis;
    memset(&a->eng.foot, 0, sizeof(a->eng.foot));
    if (ax_cfg != BSTEP_AXIS_AUTO) {
        const int ax = ((int)ax_cfg - 1) / 2;
        a->eng.foot.toe_s[ax] = ((int)ax_cfg % 2) ? 1.0f : -1.0f; /* POS_* odd, NEG_* even */
        a->eng.foot.toe_known = 1;
    }
    bstep__foot_restart(a);
}

/* Index of the k-th newest ring entry (k = 0 is the newest). */
static uint32_t ring_at(const bstep_analyzer *a, uint32_t k)
{
    return (a->eng.foot.hist_head + BSTEP_ANALYZER_HISTORY - 1u - k) % BSTEP_ANALYZER_HISTORY;
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
    for (k = 0; k < a->eng.foot.hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->eng.foot.hist_t_us[i] < lo)
            break;
        if (a->eng.foot.hist_t_us[i] <= hi && a->eng.foot.hist_j[i] > peak) {
            peak = a->eng.foot.hist_j[i];
            found = 1;
        }
    }
    if (!found)
        return hi;
    /* Earliest sample at or above the impact level (scanning from newest to oldest). */
    for (k = 0; k < a->eng.foot.hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->eng.foot.hist_t_us[i] < lo)
            break;
        if (a->eng.foot.hist_t_us[i] <= hi &&
            a->eng.foot.hist_j[i] >= a->cfg.ic_impact_fraction * peak)
            first_k = k;
    }
    on_k = first_k;
    for (k = first_k + 1u; k < a->eng.foot.hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->eng.foot.hist_t_us[i] < lo ||
            a->eng.foot.hist_j[i] < a->cfg.ic_onset_fraction * peak)
            break;
        on_k = k;
    }
    return a->eng.foot.hist_t_us[ring_at(a, on_k)];
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
    a->eng.foot.iv[0] = a->eng.foot.iv[1] = a->eng.foot.iv[2] = 0.0f;
    a->eng.foot.ip[0] = a->eng.foot.ip[1] = a->eng.foot.ip[2] = 0.0f;
    a->eng.foot.max_z_m = 0.0f;
    a->eng.foot.max_z_t_us = t_us;
    a->eng.foot.int_start_us = t_us;
    memcpy(a->eng.foot.q_lev, a->eng.foot.iq, sizeof(a->eng.foot.q_lev));
}

static void foot_nav(bstep_analyzer *a, const bstep_imu_sample *s, float gn, float ad)
{
    const float d2r = 0.017453292519943295f, gain = 5.0f;
    const float *f = s->accel_mps2;
    float w[3], wm[3], aw[3], dt;
    int k;
    for (k = 0; k < 3; k++)
        w[k] = s->gyro_dps[k] * d2r;
    if (!a->eng.foot.have_iq) {
        bstep__quat_from_up(f, a->eng.foot.iq);
        a->eng.foot.have_iq = 1;
        a->eng.foot.g_local = BSTEP_STANDARD_GRAVITY_MPS2;
        a->eng.foot.int_last_us = s->t_us;
        memcpy(a->eng.foot.int_prev_w, w, sizeof(w));
        bstep__quat_rotate(a->eng.foot.iq, f, a->eng.foot.int_prev_aw);
        a->eng.foot.int_prev_aw[2] -= a->eng.foot.g_local;
        foot_zupt(a, s->t_us);
        return;
    }
    dt = (float)(s->t_us - a->eng.foot.int_last_us) * 1e-6f;
    if (dt <= 0.0f)
        return;
    a->eng.foot.int_last_us = s->t_us;
    for (k = 0; k < 3; k++)
        wm[k] = 0.5f * (w[k] + a->eng.foot.int_prev_w[k]);
    if (a->eng.foot.in_stance) {
        const float n = sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]);
        float up[3];
        if (n > 0.0f) {
            up_of(a->eng.foot.iq, up);
            wm[0] += gain * (f[1] * up[2] - f[2] * up[1]) / n;
            wm[1] += gain * (f[2] * up[0] - f[0] * up[2]) / n;
            wm[2] += gain * (f[0] * up[1] - f[1] * up[0]) / n;
        }
    }
    bstep__quat_integrate(a->eng.foot.iq, wm, dt);
    bstep__quat_rotate(a->eng.foot.iq, f, aw);
    aw[2] -= a->eng.foot.g_local;
    for (k = 0; k < 3; k++) {
        const float vn = a->eng.foot.iv[k] + 0.5f * (aw[k] + a->eng.foot.int_prev_aw[k]) * dt;
        a->eng.foot.ip[k] += 0.5f * (a->eng.foot.iv[k] + vn) * dt;
        a->eng.foot.iv[k] = vn;
        a->eng.foot.int_prev_aw[k] = aw[k];
        a->eng.foot.int_prev_w[k] = w[k];
    }
    if (a->eng.foot.ip[2] > a->eng.foot.max_z_m) {
        a->eng.foot.max_z_m = a->eng.foot.ip[2];
        a->eng.foot.max_z_t_us = s->t_us;
    }
    if (a->eng.foot.in_stance && gn < 0.5f * a->cfg.stance_gyro_dps && ad < 1.0f)
        foot_zupt(a, s->t_us);
}

/* Sensor-frame toe axis, perpendicular to the stance's up direction (the flat-foot toe axis). */
static int toe_flat(const bstep_analyzer *a, const float up_s[3], const float travel_s[3],
                    float out[3])
{
    const float *t = a->eng.foot.toe_known ? a->eng.foot.toe_s : travel_s;
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
    for (k = 0; k < a->eng.foot.hist_count; k++) {
        const uint32_t i = ring_at(a, k);
        if (a->eng.foot.hist_t_us[i] <= t)
            return a->eng.foot.hist_up[i];
    }
    return a->eng.foot.hist_up[ring_at(a, a->eng.foot.hist_count - 1u)];
}

/* A stride ended at the stance confirmed now (time now_us): fill the contact event with the
 * stride vector and what follows from it. The velocity at a confirmed stance is zero; whatever
 * the integration kept is drift. Modelled as a constant acceleration bias it grew linearly over
 * the swing, so the position it added is v_end * T / 2 (exact for that model, no buffer needed);
 * the same model corrects the swing's highest point. */
static void foot_stride(bstep_analyzer *a, bstep_event *ic, bstep_time_us now_us)
{
    const float r2d = 57.29577951308232f;
    const float T = (float)(now_us - a->eng.foot.int_start_us) * 1e-6f;
    float d[3], len, up_lev[3], up_now[3], travel_w[3], travel_s[3], toe[3], toe_w[3], uh, s_fw,
        s_left, e_ic, e_now, h0, h1, turn;
    if (!a->eng.foot.have_iq || T <= 0.0f)
        return;
    d[0] = a->eng.foot.ip[0] - 0.5f * a->eng.foot.iv[0] * T;
    d[1] = a->eng.foot.ip[1] - 0.5f * a->eng.foot.iv[1] * T;
    d[2] = a->eng.foot.ip[2] - 0.5f * a->eng.foot.iv[2] * T;
    len = sqrtf(d[0] * d[0] + d[1] * d[1]);
    ic->stride_length_m = len;
    if (a->eng.foot.max_z_t_us > a->eng.foot.int_start_us) {
        const float tm = (float)(a->eng.foot.max_z_t_us - a->eng.foot.int_start_us) * 1e-6f;
        ic->clearance_m = a->eng.foot.max_z_m - 0.5f * a->eng.foot.iv[2] * tm * tm / T;
        if (ic->clearance_m < 0.0f)
            ic->clearance_m = 0.0f;
    } else {
        ic->clearance_m = 0.0f;
    }
    memcpy(up_lev, a->eng.foot.up_flat, sizeof(up_lev));
    up_of(a->eng.foot.iq, up_now);
    /* Travel direction in the sensor frame of the stance the swing started from. */
    travel_w[0] = len > 1e-6f ? d[0] / len : 1.0f;
    travel_w[1] = len > 1e-6f ? d[1] / len : 0.0f;
    travel_w[2] = 0.0f;
    bstep__quat_rotate_inv(a->eng.foot.q_lev, travel_w, travel_s);
    if (!toe_flat(a, up_lev, travel_s, toe))
        return;
    /* Auto mounting: the first strides are assumed forward (the walker is told to start with ten
     * steps forward); their mean travel direction in the sensor frame is the toe axis. */
    if (!a->eng.foot.toe_known && len >= a->cfg.in_place_m) {
        float n;
        a->eng.foot.calib_sum[0] += travel_s[0];
        a->eng.foot.calib_sum[1] += travel_s[1];
        a->eng.foot.calib_sum[2] += travel_s[2];
        a->eng.foot.calib_n++;
        n = sqrtf(a->eng.foot.calib_sum[0] * a->eng.foot.calib_sum[0] +
                  a->eng.foot.calib_sum[1] * a->eng.foot.calib_sum[1] +
                  a->eng.foot.calib_sum[2] * a->eng.foot.calib_sum[2]);
        if (a->eng.foot.calib_n >= a->cfg.toe_calibration_strides) {
            /* Mean resultant length of unit vectors spread by +-x degrees is about cos(x). */
            if (n / (float)a->eng.foot.calib_n >= cosf(a->cfg.toe_calibration_spread_deg / r2d)) {
                a->eng.foot.toe_s[0] = a->eng.foot.calib_sum[0] / n;
                a->eng.foot.toe_s[1] = a->eng.foot.calib_sum[1] / n;
                a->eng.foot.toe_s[2] = a->eng.foot.calib_sum[2] / n;
                a->eng.foot.toe_known = 1;
            } else {
                a->eng.foot.calib_sum[0] = a->eng.foot.calib_sum[1] = a->eng.foot.calib_sum[2] =
                    0.0f;
                a->eng.foot.calib_n = 0;
            }
        }
    }
    /* Direction: the stride vector against the toe axis, both horizontal, same frame. */
    bstep__quat_rotate(a->eng.foot.q_lev, toe, toe_w);
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
    h0 = bstep__quat_heading(a->eng.foot.q_lev, toe);
    h1 = bstep__quat_heading(a->eng.foot.iq, toe);
    turn = (h1 - h0) * r2d;
    while (turn > 180.0f)
        turn -= 360.0f;
    while (turn < -180.0f)
        turn += 360.0f;
    ic->turn_deg = turn;
}

void bstep__foot_update(bstep_analyzer *a, const bstep_imu_sample *s)
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
    if (a->eng.foot.have_prev_a && s->t_us > a->eng.foot.prev_a_t_us) {
        const float dx = f[0] - a->eng.foot.prev_a[0], dy = f[1] - a->eng.foot.prev_a[1],
                    dz = f[2] - a->eng.foot.prev_a[2];
        jerk = sqrtf(dx * dx + dy * dy + dz * dz) /
               ((float)(s->t_us - a->eng.foot.prev_a_t_us) * 1e-6f);
    }
    memcpy(a->eng.foot.prev_a, f, sizeof(a->eng.foot.prev_a));
    a->eng.foot.prev_a_t_us = s->t_us;
    a->eng.foot.have_prev_a = 1;

    /* The ring is full: the entry about to be overwritten may still be in the window. */
    if (a->eng.foot.hist_count == BSTEP_ANALYZER_HISTORY &&
        a->eng.foot.win_n == BSTEP_ANALYZER_HISTORY) {
        a->eng.foot.win_sum -= a->eng.foot.hist_g[a->eng.foot.hist_head];
        a->eng.foot.win_ad_sum -= a->eng.foot.hist_ad[a->eng.foot.hist_head];
        a->eng.foot.win_n--;
    }
    slot = a->eng.foot.hist_head;
    a->eng.foot.hist_t_us[slot] = s->t_us;
    a->eng.foot.hist_j[slot] = jerk;
    a->eng.foot.hist_g[slot] = gn;
    a->eng.foot.hist_ad[slot] =
        fabsf(sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) - BSTEP_STANDARD_GRAVITY_MPS2);
    if (a->eng.foot.have_iq) {
        up_of(a->eng.foot.iq, a->eng.foot.hist_up[slot]);
    } else {
        const float n = sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]);
        a->eng.foot.hist_up[slot][0] = n > 0.0f ? f[0] / n : 0.0f;
        a->eng.foot.hist_up[slot][1] = n > 0.0f ? f[1] / n : 0.0f;
        a->eng.foot.hist_up[slot][2] = n > 0.0f ? f[2] / n : 1.0f;
    }
    a->eng.foot.hist_head = (a->eng.foot.hist_head + 1u) % BSTEP_ANALYZER_HISTORY;
    if (a->eng.foot.hist_count < BSTEP_ANALYZER_HISTORY)
        a->eng.foot.hist_count++;
    a->eng.foot.last_gyro_dps = gn;

    if (!has_gyro)
        return; /* stance detection needs the gyroscope */

    /* Moving mean of the gyro norm over the last stance_window_s. */
    a->eng.foot.win_sum += gn;
    a->eng.foot.win_ad_sum += a->eng.foot.hist_ad[slot];
    a->eng.foot.win_n++;
    while (a->eng.foot.win_n > 1u) {
        oldest = ring_at(a, a->eng.foot.win_n - 1u);
        if (s->t_us - a->eng.foot.hist_t_us[oldest] < win_us)
            break;
        a->eng.foot.win_sum -= a->eng.foot.hist_g[oldest];
        a->eng.foot.win_ad_sum -= a->eng.foot.hist_ad[oldest];
        a->eng.foot.win_n--;
    }
    if (a->eng.foot.win_n == 1u) { /* no round-off carried over */
        a->eng.foot.win_sum = gn;
        a->eng.foot.win_ad_sum = a->eng.foot.hist_ad[slot];
    }
    oldest = ring_at(a, a->eng.foot.win_n - 1u);

    /* Stillness threshold: the absolute one, or a share of this swing's peak rate when that is
     * higher (fast walking and running roll the foot faster through stance), bounded. */
    {
        float thr = a->cfg.stance_swing_fraction * a->eng.foot.swing_peak_dps;
        if (a->eng.foot.in_stance || !a->eng.foot.have_swing || thr < a->cfg.stance_gyro_dps)
            thr = a->cfg.stance_gyro_dps;
        if (thr > a->cfg.stance_gyro_max_dps)
            thr = a->cfg.stance_gyro_max_dps;
        a->eng.foot.still_thr_dps = thr;
        /* The same for the accelerometer: a sprint's stance is never as quiet as a walk's. */
        thr = a->cfg.stance_swing_fraction * a->eng.foot.swing_peak_ad;
        if (a->eng.foot.in_stance || !a->eng.foot.have_swing || thr < a->cfg.stance_accel_mps2)
            thr = a->cfg.stance_accel_mps2;
        if (thr > 4.0f * a->cfg.stance_accel_mps2)
            thr = 4.0f * a->cfg.stance_accel_mps2;
        a->eng.foot.still_thr_mps2 = thr;
    }
    if (a->eng.foot.win_sum / (float)a->eng.foot.win_n < a->eng.foot.still_thr_dps &&
        a->eng.foot.win_ad_sum / (float)a->eng.foot.win_n < a->eng.foot.still_thr_mps2 &&
        s->t_us - a->eng.foot.hist_t_us[oldest] >= win_us - win_us / 10) {
        if (!a->eng.foot.in_stance) {
            a->eng.foot.in_stance = 1;
            a->eng.foot.still_start_us = a->eng.foot.hist_t_us[oldest];
            a->eng.foot.stance_acc[0] = a->eng.foot.stance_acc[1] = a->eng.foot.stance_acc[2] =
                0.0f;
            a->eng.foot.stance_acc_n = 0;
            a->eng.foot.stance_all[0] = a->eng.foot.stance_all[1] = a->eng.foot.stance_all[2] =
                0.0f;
            a->eng.foot.stance_all_n = 0;
            if (a->eng.foot.have_swing &&
                (float)(a->eng.foot.still_start_us - a->eng.foot.swing_start_us) * 1e-6f >=
                    a->cfg.min_swing_s &&
                (a->eng.foot.swing_peak_dps >= a->cfg.min_swing_gyro_dps ||
                 a->eng.foot.swing_peak_ad >= a->cfg.min_swing_accel_mps2)) {
                /* A real stride ended: its final contact (swing start), then the landing. */
                bstep_time_us lo =
                    a->eng.foot.still_start_us - (bstep_time_us)(a->cfg.ic_search_before_s * 1e6f);
                const bstep_time_us hi = s->t_us;
                bstep_time_us ic_t;
                bstep_event fc = bstep__make_event(BSTEP_EVENT_FINAL_CONTACT,
                                                   a->eng.foot.swing_start_us, s->t_us);
                bstep_event ic;
                if (lo < a->eng.foot.swing_start_us)
                    lo = a->eng.foot.swing_start_us; /* the landing cannot precede the take-off */
                ic_t = foot_find_ic(a, lo, hi);
                ic = bstep__make_event(BSTEP_EVENT_INITIAL_CONTACT, ic_t, s->t_us);
                ic.foot = a->cfg.placement == BSTEP_PLACEMENT_FOOT_LEFT    ? BSTEP_FOOT_LEFT
                          : a->cfg.placement == BSTEP_PLACEMENT_FOOT_RIGHT ? BSTEP_FOOT_RIGHT
                                                                           : BSTEP_FOOT_UNKNOWN;
                fc.foot = ic.foot;
                if (a->eng.foot.have_ic &&
                    (float)(ic_t - a->eng.foot.last_ic_us) * 1e-6f <= a->cfg.max_bout_pause_s)
                    ic.stride_time_s = (float)(ic_t - a->eng.foot.last_ic_us) * 1e-6f;
                foot_stride(a, &ic, s->t_us);
                a->eng.foot.last_ic_us = ic_t;
                a->eng.foot.have_ic = 1;
                bstep__bout_event(a, &fc);
                bstep__bout_event(a, &ic);
            }
            a->eng.foot.have_swing = 0;
            if (a->eng.foot.have_iq)
                foot_zupt(a, s->t_us); /* restart here if no still sample follows (running) */
        }
        /* Gravity and the flat-foot attitude from the quiet part of the stance only (rotating
         * slower than 25 deg/s, reading within 1 m/s^2 of 1 g): samples right after the landing
         * still carry the impact and biased gravity upwards by 0.4-0.6 m/s^2. */
        a->eng.foot.stance_all[0] += f[0];
        a->eng.foot.stance_all[1] += f[1];
        a->eng.foot.stance_all[2] += f[2];
        a->eng.foot.stance_all_n++;
        if (gn < 0.5f * a->cfg.stance_gyro_dps &&
            fabsf(sqrtf(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) - BSTEP_STANDARD_GRAVITY_MPS2) <
                1.0f) {
            a->eng.foot.stance_acc[0] += f[0];
            a->eng.foot.stance_acc[1] += f[1];
            a->eng.foot.stance_acc[2] += f[2];
            a->eng.foot.stance_acc_n++;
        }
    } else if (a->eng.foot.in_stance &&
               ((gn >= a->cfg.stance_gyro_dps && gn >= a->eng.foot.still_thr_dps) ||
                a->eng.foot.hist_ad[slot] >= 2.0f * a->eng.foot.still_thr_mps2)) {
        /* Stance ended: the foot left the ground at the last still sample before this rise. */
        uint32_t k;
        bstep_time_us t_off = s->t_us;
        for (k = 1; k < a->eng.foot.win_n; k++) {
            const uint32_t i = ring_at(a, k);
            t_off = a->eng.foot.hist_t_us[i];
            if (a->eng.foot.hist_g[i] < a->cfg.stance_gyro_dps)
                break;
        }
        a->eng.foot.in_stance = 0;
        a->eng.foot.swing_start_us = t_off;
        a->eng.foot.have_swing = 1;
        a->eng.foot.swing_peak_dps = gn;
        a->eng.foot.swing_peak_ad = a->eng.foot.hist_ad[slot];
        /* Gravity and the flat-foot up direction for this swing, from the stance just ended. */
        if (a->eng.foot.stance_acc_n >= 3u || a->eng.foot.stance_all_n > 0u) {
            const int quiet = a->eng.foot.stance_acc_n >= 3u;
            const float *sum = quiet ? a->eng.foot.stance_acc : a->eng.foot.stance_all;
            const float n = (float)(quiet ? a->eng.foot.stance_acc_n : a->eng.foot.stance_all_n);
            const float m[3] = {sum[0] / n, sum[1] / n, sum[2] / n};
            a->eng.foot.g_local = sqrtf(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
            a->eng.foot.up_flat[0] = m[0] / a->eng.foot.g_local;
            a->eng.foot.up_flat[1] = m[1] / a->eng.foot.g_local;
            a->eng.foot.up_flat[2] = m[2] / a->eng.foot.g_local;
        }
    } else if (!a->eng.foot.in_stance) {
        if (gn > a->eng.foot.swing_peak_dps)
            a->eng.foot.swing_peak_dps = gn;
        if (a->eng.foot.hist_ad[slot] > a->eng.foot.swing_peak_ad)
            a->eng.foot.swing_peak_ad = a->eng.foot.hist_ad[slot];
    }
}
