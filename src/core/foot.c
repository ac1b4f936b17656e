/*
 * Foot engine of the streaming analyzer (docs/algorithms.md section 2 explains every step).
 *
 * Per sample: the jerk |da/dt|, and a zero-velocity-aided strapdown navigation of the foot
 * (Foxlin 2005; Skog et al., IEEE TBME 2010). Samples are gathered into bins of at most 1/400 s
 * (one sample per bin up to 400 Hz), which feed a fixed look-back ring and the stance detector:
 *
 * - Stance (zero velocity): the mean gyro norm over 0.1 s below 50 deg/s or 10 % of the swing's
 *   peak rate, the mean | |a| - g | below 1.5 m/s^2 or 10 % of the swing's peak deviation (gaitmap
 *   NormZuptDetector; the SHOE detector of Skog et al. 2010 combines the two terms), or both means
 *   under 3/4 of those thresholds over the newest 50 ms (fast confirmation: lower latency), and
 *   after a walking stance the foot back within 13 deg of its flat attitude (not the hover before a
 *   backward toe contact, not a mid-swing rotation reversal) unless it stays still for 0.25 s
 *   or it landed on its heel and then rolled toes-down (a heel strike is on the ground).
 * - Final contact: the peak of the first rotation lobe of the swing. The foot rolls about the
 *   part still on the ground (the toes walking forward, the heel walking backward); the roll
 *   speeds up until that part leaves the ground.
 * - Initial contact: the onset of the landing impact (jerk), searched from 0.25 s before the
 *   stance to its confirmation, in the second half of the swing, and not more than 50 ms before
 *   the foot stops turning the swing's way (the landing arrests the swing rotation, whichever
 *   part of the foot lands first; an earlier impact is a graze). A landing without impact is
 *   held until the foot comes to rest: a hover ended by a landing impact has its contact there.
 * - The stride: displacement since the last zero-velocity update with the residual velocity
 *   removed as a linear drift; direction against the toe axis (forward, backward, sideways,
 *   in place, turning); strike angle at the initial contact and foot angle at the final contact
 *   relative to the flat foot.
 *
 * None of these rules depends on the walking direction (algorithms.md 4.3); Rampp's forward-only
 * event order and "IC at the gyro minimum" are not used.
 */
#include <math.h>
#include <string.h>

#include "analyzer_internal.h"
#include "quat.h"

#define R2D 57.29577951308232f
#define D2R 0.017453292519943295f

/* The final contact is the last local maximum of the first lobe within this share of its peak. */
#define LOBE_LAST_FRACTION 0.8f
/* The first rotation lobe (push-off / toe lift) ends at the latest this long after the swing
 * start, s. */
#define LOBE_MAX_US 500000
/* Quiet stance samples (gravity, zero-velocity updates): slower than half the stance threshold
 * and within this of 1 g, m/s^2. */
#define QUIET_ACC_MPS2 1.0f
/* Quiet samples summed for the stance gravity before the sums are halved: float sums of ~10 m/s^2
 * readings stay exact to 1e-4 relative up to ~8e4 (a stance standing for minutes would otherwise
 * round every added sample to the sum's coarse ulp, biasing the mean). */
#define G_SUM_MAX 8192u
/* A stance came to rest (walking, not running) when quiet for this long, s. */
#define REST_S 0.05f
/* A landing impact: a jerk this many times the swing's mean jerk. */
#define IMPACT_OVER_SWING 3.0f
/* Stillness lasting this long is a stance even with the foot tilted (walking on the toes), us. */
#define STILL_OVERRIDE_US 250000
/* An accelerometer axis reading at least this share of the sensor's full scale (accel_range_mps2,
 * by default 16 g, the largest standard range of foot IMUs: VN-200, NilsPod, Xsens MTw) is taken
 * as clipped: uncompensated sensors saturate a few per cent below their nominal range (the VN-200
 * at 15.6 g on z, 16.0 g on x and y). A sensor with a larger range is not misjudged at 15-16 g
 * (the simulator's ideal sensor reads 250 m/s^2 unclipped at 5 m/s: the rule there cost
 * 3.5 / 5 m/s strides 0.5 %). */
#define ACC_CLIP_FRACTION 0.95f
/* Fast confirmation: a foot that stays under FAST_FRAC of both stillness thresholds for FAST_US is
 * still without waiting for the full stance window (the long window only averages out the flicker
 * of a foot near the thresholds). Brings the contact-to-event latency down by up to 50 ms: a stance
 * is otherwise confirmed only 0.1 s after the foot comes to rest, 0.2-0.35 s after a heel strike
 * in slow walking (issue 9: step events within 300 ms of the contact). */
#define FAST_US   50000
#define FAST_FRAC 0.75f

typedef bstep__foot_state foot_t;

int bstep__foot_settings_valid(const bstep_analyzer_settings *c)
{
    float bin_rate;
    if (!bstep__pos_finite(c->stance_gyro_dps) || !bstep__pos_finite(c->stance_window_s) ||
        !bstep__pos_finite(c->stance_accel_mps2) || !bstep__pos_finite(c->ic_search_before_s) ||
        !bstep__pos_finite(c->min_swing_s) || !bstep__pos_finite(c->min_swing_gyro_dps) ||
        !bstep__pos_finite(c->stance_tilt_deg) || !(c->stance_tilt_deg <= 180.0f) ||
        !(c->ic_onset_fraction > 0.0f) || !(c->ic_onset_fraction <= 1.0f) ||
        !(c->ic_impact_fraction >= c->ic_onset_fraction) || !(c->ic_impact_fraction <= 1.0f) ||
        !(c->stance_swing_fraction >= 0.0f) || !(c->stance_swing_fraction < 1.0f) ||
        !(c->stance_gyro_max_dps >= c->stance_gyro_dps) || !isfinite(c->stance_gyro_max_dps) ||
        !(c->direction_cos > 0.0f) || !(c->direction_cos < 1.0f) || !(c->in_place_m >= 0.0f) ||
        !isfinite(c->in_place_m) || !(c->turn_stride_deg > 0.0f) ||
        !(c->turn_stride_deg <= 180.0f) || !(c->strike_flat_deg >= 0.0f) ||
        !(c->strike_flat_deg < 45.0f) || c->toe_calibration_strides < 1 ||
        c->toe_calibration_strides > 100 || !(c->toe_calibration_spread_deg > 0.0f) ||
        !(c->toe_calibration_spread_deg < 90.0f) || !(c->accel_range_mps2 >= 0.0f) ||
        !isfinite(c->accel_range_mps2))
        return 0;
    /* The look-back (search window plus the stance window) must fit in the ring at the bin
     * rate, with a 25 % margin for sampling jitter. */
    bin_rate = c->sample_rate_hz / ceilf(c->sample_rate_hz / (float)BSTEP__FOOT_BIN_HZ);
    if ((c->ic_search_before_s + c->stance_window_s) * bin_rate * 1.25f > (float)BSTEP__FOOT_RING)
        return 0;
    return 1;
}

void bstep__foot_restart(bstep_analyzer *a)
{
    foot_t *f = &a->eng.foot;
    /* Everything but the mounting, the gravity estimate and the bin size. */
    const float toe[3] = {f->toe_s[0], f->toe_s[1], f->toe_s[2]};
    const float csum[3] = {f->calib_sum[0], f->calib_sum[1], f->calib_sum[2]};
    const int known = f->toe_known, cn = f->calib_n;
    const bstep_foot side = f->side;
    const float g = f->g_local;
    const uint32_t bin_n = f->bin_n;
    memset(f, 0, sizeof(*f));
    memcpy(f->toe_s, toe, sizeof(toe));
    memcpy(f->calib_sum, csum, sizeof(csum));
    f->toe_known = known;
    f->calib_n = cn;
    f->g_local = g;
    f->bin_n = bin_n;
    f->side = side;
}

void bstep__foot_reset(bstep_analyzer *a)
{
    const bstep_axis ax_cfg = a->cfg.toe_axis;
    foot_t *f = &a->eng.foot;
    memset(f, 0, sizeof(*f));
    if (ax_cfg != BSTEP_AXIS_AUTO) {
        const int ax = ((int)ax_cfg - 1) / 2;
        f->toe_s[ax] = ((int)ax_cfg % 2) ? 1.0f : -1.0f; /* POS_* odd, NEG_* even */
        f->toe_known = 1;
    }
    f->g_local = BSTEP_STANDARD_GRAVITY_MPS2;
    f->bin_n = (uint32_t)ceilf(a->cfg.sample_rate_hz / (float)BSTEP__FOOT_BIN_HZ);
    if (f->bin_n < 1u)
        f->bin_n = 1u;
    bstep__foot_restart(a);
}

/* The k-th newest bin (k = 0 is the newest). */
static const bstep__foot_bin *bin_at(const foot_t *f, uint32_t k)
{
    return &f->ring[(f->head + BSTEP__FOOT_RING - 1u - k) % BSTEP__FOOT_RING];
}

static float dot3(const float a[3], const float b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static float norm3(const float a[3])
{
    return sqrtf(dot3(a, a));
}

/* Up direction (world z) in the sensor frame for orientation q. */
static void up_of(const float q[4], float up_s[3])
{
    bstep__quat_up_in_sensor(q, up_s);
}

/* The largest jerk of the bins in [lo, hi], m/s^3; -1 when no bin is there. */
static float peak_jerk(const foot_t *f, bstep_time_us lo, bstep_time_us hi)
{
    uint32_t k;
    float peak = -1.0f;
    for (k = 0; k < f->count; k++) {
        const bstep__foot_bin *b = bin_at(f, k);
        if (b->t_us < lo)
            break;
        if (b->t_us <= hi && b->jerk > peak)
            peak = b->jerk;
    }
    return peak;
}

/* Initial contact: the onset of the landing impact in [lo, hi]. J = the largest jerk there; the
 * landing is the FIRST jerk above ic_impact_fraction * J (a heel-first landing is a heel impact
 * followed by a forefoot slap that can be stronger, a toe-first landing a forefoot impact followed
 * by the heel lowering; contact begins with the first); its onset is the earliest bin of the run
 * ending there whose jerk stays above ic_onset_fraction * J. */
static bstep_time_us find_ic(const bstep_analyzer *a, bstep_time_us lo, bstep_time_us hi)
{
    const foot_t *f = &a->eng.foot;
    uint32_t k, first_k = 0, on_k;
    const float peak = peak_jerk(f, lo, hi);
    if (peak < 0.0f)
        return hi;
    for (k = 0; k < f->count; k++) {
        const bstep__foot_bin *b = bin_at(f, k);
        if (b->t_us < lo)
            break;
        if (b->t_us <= hi && b->jerk >= a->cfg.ic_impact_fraction * peak)
            first_k = k;
    }
    on_k = first_k;
    for (k = first_k + 1u; k < f->count; k++) {
        const bstep__foot_bin *b = bin_at(f, k);
        if (b->t_us < lo || b->jerk < a->cfg.ic_onset_fraction * peak)
            break;
        on_k = k;
    }
    return bin_at(f, on_k)->t_us;
}

/* A soft landing (a turning step, a shuffle): no jerk in [lo, hi] stands out from the swing's
 * own (the median jerk of the first half of the swing, from the final contact to lo; the median
 * because some sensors rattle in the swing) by IMPACT_OVER_SWING. Then the contact is where the
 * foot comes to rest: the stance start. */
static int soft_landing(const foot_t *f, bstep_time_us lo, bstep_time_us hi, float *impact_jerk)
{
    float swing[BSTEP__FOOT_RING], peak = 0.0f;
    uint32_t k, n = 0, i, j;
    *impact_jerk = 0.0f;
    for (k = 0; k < f->count; k++) {
        const bstep__foot_bin *b = bin_at(f, k);
        if (b->t_us < f->fc_t_us)
            break;
        if (b->t_us > hi)
            continue;
        if (b->t_us >= lo) {
            if (b->jerk > peak)
                peak = b->jerk;
        } else {
            swing[n++] = b->jerk;
        }
    }
    if (n == 0)
        return 0;
    for (i = 1; i < n; i++) { /* insertion sort: at most one ring of values, once per stride */
        const float v = swing[i];
        for (j = i; j > 0 && swing[j - 1] > v; j--)
            swing[j] = swing[j - 1];
        swing[j] = v;
    }
    *impact_jerk = IMPACT_OVER_SWING * swing[n / 2];
    return peak < *impact_jerk;
}

static const float *up_at(const foot_t *f, bstep_time_us t)
{
    uint32_t k;
    for (k = 0; k < f->count; k++)
        if (bin_at(f, k)->t_us <= t)
            return bin_at(f, k)->up;
    return bin_at(f, f->count - 1u)->up;
}

/* Elevation of the toe axis (deg, toes up +) for a sensor-frame up vector. */
static float toe_elevation(const float toe[3], const float up[3])
{
    float si = dot3(toe, up);
    si = si > 1.0f ? 1.0f : (si < -1.0f ? -1.0f : si);
    return asinf(si) * R2D;
}

/* Zero-velocity update: velocity and position restart from zero. */
static void zupt(foot_t *f, bstep_time_us t_us)
{
    f->iv[0] = f->iv[1] = f->iv[2] = 0.0f;
    f->ip[0] = f->ip[1] = f->ip[2] = 0.0f;
    f->max_z_m = 0.0f;
    f->max_z_t_us = t_us;
    f->clip_t_s = f->clip_n = 0.0f;
    f->clip_dir[0] = f->clip_dir[1] = f->clip_dir[2] = 0.0f;
    f->int_start_us = t_us;
    memcpy(f->q_lev, f->iq, sizeof(f->q_lev));
}

/* Strapdown navigation, every sample. Orientation: midpoint gyro integration (the rate over an
 * interval is the mean of its end rates; the rate at the end alone puts the attitude half a sample
 * ahead, ~3 deg mid-swing at 100 Hz), plus at the quiet stance samples a gravity correction (gain
 * 5/s, settling within 0.2 s) so each swing starts from the attitude the foot has. Only there: the
 * correction turns the attitude toward the measured specific force, which is gravity alone when
 * the foot is at rest (slower than half the stance gyro threshold, |a| within QUIET_ACC_MPS2 of
 * 1 g: the samples that are also zero-velocity updates), not during the loading response, the
 * heel rise or a running stance, whose braking, impact and push-off it would read as tilt (the
 * lesson of the removed running tilt reset, 4c22d7f). Simulator (with the push-off restart of
 * start_stance fixed): ideal sensor running 0.17 -> 0.01 %, 16 g IMU at 5 m/s 1.63 -> 0.40 %,
 * side-steps 1.36 -> 0.96 %; sangenis sprint 17.7 -> 15.0 %, run 10.7 -> 9.9 %; gaitmap
 * 4.4 / 4.2 -> 4.3 / 4.1 cm (docs/validation.md). Velocity and position:
 * trapezoidal integration of the gravity-free world acceleration. Each truly still stance sample
 * is a zero-velocity update, so integration never starts late (starting it when the stance-end
 * test fires misses the first samples of the take-off: 0.4 m/s on a simulated walk). */
static void nav(foot_t *f, const bstep_imu_sample *s, float gn, float ad, float cfg_gyro,
                float clip_mps2)
{
    const float gain = 5.0f;
    const float *acc = s->accel_mps2;
    float w[3], wm[3], aw[3], dt;
    int k;
    for (k = 0; k < 3; k++)
        w[k] = s->gyro_dps[k] * D2R;
    if (!f->have_iq) {
        bstep__quat_from_up(acc, f->iq);
        f->have_iq = 1;
        f->int_last_us = s->t_us;
        memcpy(f->prev_w, w, sizeof(w));
        bstep__quat_rotate(f->iq, acc, f->prev_aw);
        f->prev_aw[2] -= f->g_local;
        zupt(f, s->t_us);
        return;
    }
    dt = (float)(s->t_us - f->int_last_us) * 1e-6f;
    if (dt <= 0.0f)
        return;
    f->int_last_us = s->t_us;
    for (k = 0; k < 3; k++)
        wm[k] = 0.5f * (w[k] + f->prev_w[k]);
    if (f->in_stance && gn < 0.5f * cfg_gyro && ad < QUIET_ACC_MPS2) {
        const float n = norm3(acc);
        float up[3];
        if (n > 0.0f) {
            up_of(f->iq, up);
            wm[0] += gain * (acc[1] * up[2] - acc[2] * up[1]) / n;
            wm[1] += gain * (acc[2] * up[0] - acc[0] * up[2]) / n;
            wm[2] += gain * (acc[0] * up[1] - acc[1] * up[0]) / n;
        }
    }
    bstep__quat_integrate(f->iq, wm, dt);
    bstep__quat_rotate(f->iq, acc, aw);
    aw[2] -= f->g_local;
    for (k = 0; k < 3; k++) {
        const float vn = f->iv[k] + 0.5f * (aw[k] + f->prev_aw[k]) * dt;
        f->ip[k] += 0.5f * (f->iv[k] + vn) * dt;
        f->iv[k] = vn;
        f->prev_aw[k] = aw[k];
        f->prev_w[k] = w[k];
    }
    if (clip_mps2 > 0.0f &&
        (fabsf(acc[0]) >= clip_mps2 || fabsf(acc[1]) >= clip_mps2 || fabsf(acc[2]) >= clip_mps2)) {
        /* A clipped impact: the true specific force was larger along each clipped axis, in the
         * sign of its reading; where that points in the world, the velocity misses a step. */
        float e[3], ew[3];
        for (k = 0; k < 3; k++)
            e[k] = fabsf(acc[k]) < clip_mps2 ? 0.0f : (acc[k] > 0.0f ? 1.0f : -1.0f);
        bstep__quat_rotate(f->iq, e, ew);
        for (k = 0; k < 3; k++)
            f->clip_dir[k] += ew[k];
        f->clip_t_s += (float)(s->t_us - f->int_start_us) * 1e-6f;
        f->clip_n += 1.0f;
    }
    if (f->ip[2] > f->max_z_m) {
        f->max_z_m = f->ip[2];
        f->max_z_t_us = s->t_us;
    }
    if (f->in_stance && gn < 0.5f * cfg_gyro && ad < QUIET_ACC_MPS2) {
        /* A quiet stance sample: zero velocity, and gravity as this sensor reads it. */
        f->g_sum[0] += acc[0];
        f->g_sum[1] += acc[1];
        f->g_sum[2] += acc[2];
        f->g_n++;
        if (f->g_n >= G_SUM_MAX) {
            /* a long stance: halve the sums (the mean is kept, recent samples weigh more) */
            f->g_sum[0] *= 0.5f;
            f->g_sum[1] *= 0.5f;
            f->g_sum[2] *= 0.5f;
            f->g_n /= 2u;
        }
        zupt(f, s->t_us);
    }
}

/* Sensor-frame toe axis, perpendicular to the flat foot's up direction. */
static int toe_flat(const foot_t *f, const float up_s[3], const float travel_s[3], float out[3])
{
    const float *t = f->toe_known ? f->toe_s : travel_s;
    const float d = dot3(t, up_s);
    float n;
    out[0] = t[0] - d * up_s[0];
    out[1] = t[1] - d * up_s[1];
    out[2] = t[2] - d * up_s[2];
    n = norm3(out);
    if (!(n > 1e-6f))
        return 0;
    out[0] /= n;
    out[1] /= n;
    out[2] /= n;
    return 1;
}

static bstep_strike angle_class(const bstep_analyzer *a, float deg)
{
    return deg < -a->cfg.strike_flat_deg  ? BSTEP_STRIKE_TOE
           : deg > a->cfg.strike_flat_deg ? BSTEP_STRIKE_HEEL
                                          : BSTEP_STRIKE_FLAT;
}

/* Auto mounting: the first strides are assumed forward (the walker is told to start with ten
 * steps forward); their mean travel direction in the sensor frame is the toe axis, once
 * toe_calibration_strides of them agree within toe_calibration_spread_deg. */
static void calibrate_toe(bstep_analyzer *a, const float travel_s[3])
{
    foot_t *f = &a->eng.foot;
    float n;
    f->calib_sum[0] += travel_s[0];
    f->calib_sum[1] += travel_s[1];
    f->calib_sum[2] += travel_s[2];
    f->calib_n++;
    if (f->calib_n < a->cfg.toe_calibration_strides)
        return;
    n = norm3(f->calib_sum);
    /* The mean resultant length of unit vectors spread by +-x degrees is about cos(x). */
    if (n / (float)f->calib_n >= cosf(a->cfg.toe_calibration_spread_deg * D2R)) {
        f->toe_s[0] = f->calib_sum[0] / n;
        f->toe_s[1] = f->calib_sum[1] / n;
        f->toe_s[2] = f->calib_sum[2] / n;
        f->toe_known = 1;
    } else {
        f->calib_sum[0] = f->calib_sum[1] = f->calib_sum[2] = 0.0f;
        f->calib_n = 0;
    }
}

/* A stride ended at the stance confirmed now: fill the contact events. The velocity at a
 * confirmed stance is zero; what the integration kept is drift. Modelled as a constant
 * acceleration bias it grew linearly over the stride, so the position it added is v_end T / 2
 * (exact for that model, no buffer needed); the same model corrects the highest point.
 * Except where the accelerometer clipped: the part of v_end along the world direction of the
 * clipped axes that has the sign of a loss (the velocity falls short along the clipped reading,
 * v_end . c < 0) is the acceleration the sensor did not record, a step at the clipped samples
 * (their mean time t_c), which added v_step (T - t_c) to the position; the rest is drift as
 * above. A residual pointing the other way is not explained by the clipping and stays drift. */
static void stride(bstep_analyzer *a, bstep_event *ic, bstep_event *fc, bstep_time_us now_us)
{
    foot_t *f = &a->eng.foot;
    const float T = (float)(now_us - f->int_start_us) * 1e-6f;
    float d[3], len, up_now[3], travel_w[3], travel_s[3], toe[3], toe_w[3], uh, h0, h1, turn,
        bis[2], c, s, e_ref;
    f->hold_toe[0] = f->hold_toe[1] = f->hold_toe[2] = 0.0f;
    if (!f->have_iq || T <= 0.0f)
        return;
    {
        float step[3] = {0.0f, 0.0f, 0.0f}, t_step = 0.0f;
        const float cn = norm3(f->clip_dir);
        int k;
        if (f->clip_n > 0.0f && cn > 0.0f) {
            const float cd[3] = {f->clip_dir[0] / cn, f->clip_dir[1] / cn, f->clip_dir[2] / cn};
            const float p = dot3(f->iv, cd);
            if (p < 0.0f) {
                for (k = 0; k < 3; k++)
                    step[k] = p * cd[k];
                t_step = T - f->clip_t_s / f->clip_n;
            }
        }
        for (k = 0; k < 3; k++)
            d[k] = f->ip[k] - step[k] * t_step - 0.5f * (f->iv[k] - step[k]) * T;
    }
    len = sqrtf(d[0] * d[0] + d[1] * d[1]);
    ic->stride_length_m = len;
    if (isfinite(ic->stride_time_s) && ic->stride_time_s > 0.0f)
        ic->speed_mps = len / ic->stride_time_s;
    if (f->max_z_t_us > f->int_start_us) {
        const float tm = (float)(f->max_z_t_us - f->int_start_us) * 1e-6f;
        ic->clearance_m = f->max_z_m - 0.5f * f->iv[2] * tm * tm / T;
        if (ic->clearance_m < 0.0f)
            ic->clearance_m = 0.0f;
    } else {
        ic->clearance_m = 0.0f;
    }
    up_of(f->iq, up_now);
    /* Travel direction in the sensor frame of the stance the stride started from. */
    travel_w[0] = len > 1e-6f ? d[0] / len : 1.0f;
    travel_w[1] = len > 1e-6f ? d[1] / len : 0.0f;
    travel_w[2] = 0.0f;
    bstep__quat_rotate_inv(f->q_lev, travel_w, travel_s);
    if (!toe_flat(f, f->flat_up, travel_s, toe))
        return;
    if (!f->toe_known && len >= a->cfg.in_place_m) {
        calibrate_toe(a, travel_s);
        if (!toe_flat(f, f->flat_up, travel_s, toe))
            return;
    }
    /* Turn: heading change of the toe axis over the stride. */
    h0 = bstep__quat_heading(f->q_lev, toe);
    h1 = bstep__quat_heading(f->iq, toe);
    turn = (h1 - h0) * R2D;
    while (turn > 180.0f)
        turn -= 360.0f;
    while (turn < -180.0f)
        turn += 360.0f;
    ic->turn_deg = turn;
    /* Stride vector and direction against the mean heading of the foot over the stride (the
     * bisector of its start and end headings: a foot turning while it moves travels along it). */
    bstep__quat_rotate(f->q_lev, toe, toe_w);
    uh = sqrtf(toe_w[0] * toe_w[0] + toe_w[1] * toe_w[1]);
    if (!(uh > 1e-6f))
        return;
    c = cosf(0.5f * turn * D2R);
    s = sinf(0.5f * turn * D2R);
    bis[0] = (c * toe_w[0] - s * toe_w[1]) / uh;
    bis[1] = (s * toe_w[0] + c * toe_w[1]) / uh;
    ic->stride_forward_m = d[0] * bis[0] + d[1] * bis[1];
    ic->stride_left_m = -d[0] * bis[1] + d[1] * bis[0]; /* left = up x forward */
    if (fabsf(turn) > a->cfg.turn_stride_deg)
        ic->direction = BSTEP_DIRECTION_TURN;
    else if (len < a->cfg.in_place_m)
        ic->direction = BSTEP_DIRECTION_IN_PLACE;
    else if (ic->stride_forward_m > a->cfg.direction_cos * len)
        ic->direction = BSTEP_DIRECTION_FORWARD;
    else if (ic->stride_forward_m < -a->cfg.direction_cos * len)
        ic->direction = BSTEP_DIRECTION_BACKWARD;
    else
        ic->direction = ic->stride_left_m > 0.0f ? BSTEP_DIRECTION_SIDEWAYS_LEFT
                                                 : BSTEP_DIRECTION_SIDEWAYS_RIGHT;
    /* Angles relative to the flat foot: at the initial contact against the stance now, at the
     * final contact against the stance the stride started from. */
    ic->strike_angle_deg = toe_elevation(toe, up_at(f, ic->t_us)) - toe_elevation(toe, up_now);
    ic->strike = angle_class(a, ic->strike_angle_deg);
    memcpy(f->hold_toe, toe, sizeof(f->hold_toe));
    e_ref = toe_elevation(toe, f->flat_up);
    fc->strike_angle_deg = toe_elevation(toe, f->fc_up) - e_ref;
    fc->strike = angle_class(a, fc->strike_angle_deg);
}

/* Which foot, when the placement does not say (placement "foot"): after a heel strike the foot
 * everts (pronates) through the loading response (Perry & Burnfield, Gait Analysis), its lateral
 * edge rising: a positive roll about the toe axis for a left foot (up x toe points left),
 * negative for a right one (gaitmap: 29/29 left and 28/30 right strides; sangenis left foot,
 * forward strides: 62-90 % per file). Backward and sideways strides roll otherwise, so only
 * forward strides vote (the walker starts with steps forward); SIDE_VOTES of them with
 * SIDE_AGREE agreeing decide, else the count restarts. */
#define SIDE_VOTES     8
#define SIDE_AGREE     7
#define SIDE_WINDOW_US 150000
#define SIDE_MIN_DPS   5.0f
static void vote_side(foot_t *f, bstep_time_us t_ic, bstep_time_us now_us)
{
    uint32_t k, n = 0;
    float sum = 0.0f;
    for (k = 0; k < f->count; k++) {
        const bstep__foot_bin *b = bin_at(f, k);
        if (b->t_us < t_ic)
            break;
        if (b->t_us <= t_ic + SIDE_WINDOW_US && b->t_us <= now_us) {
            sum += b->roll_dps;
            n++;
        }
    }
    if (n == 0 || fabsf(sum / (float)n) < SIDE_MIN_DPS)
        return;
    f->side_n++;
    f->side_left += sum > 0.0f;
    if (f->side_n < SIDE_VOTES)
        return;
    if (f->side_left >= SIDE_AGREE)
        f->side = BSTEP_FOOT_LEFT;
    else if (f->side_n - f->side_left >= SIDE_AGREE)
        f->side = BSTEP_FOOT_RIGHT;
    f->side_n = f->side_left = 0;
}

/* The rate about the push-off axis of the bin at t, deg/s. */
static float sag_at(const foot_t *f, bstep_time_us t)
{
    uint32_t k;
    for (k = 0; k < f->count; k++)
        if (bin_at(f, k)->t_us <= t)
            return bin_at(f, k)->sag_dps;
    return 0.0f;
}

/* Samples are missing somewhere in [lo, hi]: two bins further apart than 2.5 bin periods. */
static int gap_in(const bstep_analyzer *a, bstep_time_us lo, bstep_time_us hi)
{
    const foot_t *f = &a->eng.foot;
    const bstep_time_us max_us = (bstep_time_us)(2.5e6f * (float)f->bin_n / a->cfg.sample_rate_hz);
    uint32_t k;
    for (k = 0; k + 1u < f->count; k++) {
        const bstep__foot_bin *b = bin_at(f, k), *p = bin_at(f, k + 1u);
        if (b->t_us < lo)
            break;
        if (p->t_us <= hi && b->t_us - p->t_us > max_us)
            return 1;
    }
    return 0;
}

/* The landing arrests the swing rotation. Through the swing the foot turns against its push-off
 * (sag_dps, the rate about the push-off lobe's axis, is negative: the toes rise after a forward
 * toe-off, drop after a backward heel-off); it turns back just before a heel strike (terminal
 * swing; gaitmap's motion-capture contacts sit at that reversal, 24 ms before the impact) or as
 * the toes touch down walking backward. An impact while the foot still turns the swing's way at
 * more than REV_SWING_DPS is a graze (a heel or toe brushing the floor as a closing step sets the
 * foot beside the other: voisard 18-6 left, 29.32 s, 180 deg/s; the arrest follows 120 ms later),
 * not the landing. Returns the first bin turning back (rate zero or beyond) after the swing turned
 * that way, or 0 when it never did (a shuffle); the first, as a landing on the toes walking forward
 * then lowers the heel, turning the foot the swing's way again. REV_SWING_DPS: 30 deg/s, over the
 * stance detector's noise floor and well under the 200-400 deg/s of a walking swing. REV_MARGIN_US:
 * a heel strike can come just before the reversal it causes (voisard 12-3 left, 15.38 s: impact at
 * 123 deg/s, reversal 20 ms later): the heel pad and shoe compress for some tens of milliseconds
 * before they turn the foot (gaitmap: 24 ms median from the mocap reversal to the impact), so an
 * impact up to 50 ms before the reversal is still the landing, and a graze must be followed by a
 * second impact at least 50 ms later. voisard: F1 0.971 -> 0.975 left, 0.964 -> 0.965 right;
 * gaitmap contact MAE 25.3 -> 23.1 / 27.2 -> 25.1 ms; simulator and sangenis unchanged. */
#define REV_SWING_DPS 30.0f
#define REV_MARGIN_US 50000
static bstep_time_us swing_reversal(const foot_t *f, bstep_time_us hi)
{
    uint32_t k = 0, start;
    int turned = 0;
    while (k < f->count && bin_at(f, k)->t_us >= f->fc_t_us) /* the oldest bin of the swing */
        k++;
    for (start = k; start-- > 0;) { /* oldest to newest */
        const bstep__foot_bin *b = bin_at(f, start);
        if (b->t_us > hi)
            break;
        if (b->sag_dps < -REV_SWING_DPS)
            turned = 1;
        else if (turned && b->sag_dps >= 0.0f)
            return b->t_us;
    }
    return 0;
}

#define SHUFFLE_STRIDE_S 0.7f

/* Emit a stride's final and initial contacts (unless its landing was a re-placement). */
static void finish_stride(bstep_analyzer *a, bstep_event *fc, bstep_event *ic)
{
    foot_t *f = &a->eng.foot;
    /* A re-placement is not a step: a foot set down again less than SHUFFLE_STRIDE_S after its
     * last contact and less than in_place_m from where it stood (a shuffle or toe adjustment in a
     * U-turn pivot: voisard 17-1 right, a 0.03 m "stride" 0.55 s after the contact) moved the
     * walker nowhere, at no walking stride time. SHUFFLE_STRIDE_S, 0.7 s, is a cadence of 171
     * steps/min: above walking (100 steps/min moderate, 130 vigorous walking; Tudor-Locke et al.,
     * CADENCE-Adults, IJBNPA 2019, 16:8) and reached only running, whose strides are metres long.
     * Stepping in place at walking cadence (0.8-1.2 s strides) is still counted; jogging on the
     * spot at a running cadence would not be. No event
     * is emitted; the next stride is timed from the contact before (its stride time spans both)
     * and measured from where the re-placement left the foot. voisard foot F1 0.974 -> 0.975 left,
     * 0.965 -> 0.968 right (12 detections fewer, all extras, no match lost); sangenis: 5 of 47
     * turning swings dropped (the same pivots; its swing counts are this detector's, reviewed, not
     * independent truth); gaitmap and the simulator unchanged. */
    if (isfinite(ic->stride_time_s) && ic->stride_time_s < SHUFFLE_STRIDE_S &&
        isfinite(ic->stride_length_m) && ic->stride_length_m < a->cfg.in_place_m)
        return;
    if (a->cfg.placement == BSTEP_PLACEMENT_FOOT && f->side == BSTEP_FOOT_UNKNOWN &&
        ic->direction == BSTEP_DIRECTION_FORWARD)
        vote_side(f, ic->t_us, ic->emitted_t_us);
    ic->foot = a->cfg.placement == BSTEP_PLACEMENT_FOOT_LEFT    ? BSTEP_FOOT_LEFT
               : a->cfg.placement == BSTEP_PLACEMENT_FOOT_RIGHT ? BSTEP_FOOT_RIGHT
                                                                : f->side;
    fc->foot = ic->foot;
    f->last_ic_us = ic->t_us;
    f->have_ic = 1;
    bstep__bout_event(a, fc);
    bstep__bout_event(a, ic);
}

/* A held stride (soft landing, end_stride) comes out now: at the landing impact that ended the
 * hover if there was one, else at the stance start. */
static void release_stride(bstep_analyzer *a, bstep_time_us now_us)
{
    foot_t *f = &a->eng.foot;
    bstep_event fc = f->hold_fc, ic = f->hold_ic;
    const bstep_time_us lo = f->hold_conf_us + 1;
    f->hold_on = 0;
    if (f->hold_broken && f->hold_impact_jerk > 0.0f &&
        peak_jerk(f, lo, now_us) >= f->hold_impact_jerk) {
        const bstep_time_us t = find_ic(a, lo, now_us);
        if (norm3(f->hold_toe) > 0.5f) {
            ic.strike_angle_deg += toe_elevation(f->hold_toe, up_at(f, t)) -
                                   toe_elevation(f->hold_toe, up_at(f, ic.t_us));
            ic.strike = angle_class(a, ic.strike_angle_deg);
        }
        ic.t_us = t;
        ic.stride_time_s = NAN;
        ic.speed_mps = NAN;
        if (f->have_ic && (float)(t - f->last_ic_us) * 1e-6f <= a->cfg.max_bout_pause_s) {
            ic.stride_time_s = (float)(t - f->last_ic_us) * 1e-6f;
            if (isfinite(ic.stride_length_m) && ic.stride_time_s > 0.0f)
                ic.speed_mps = ic.stride_length_m / ic.stride_time_s;
        }
    }
    fc.emitted_t_us = ic.emitted_t_us = now_us;
    finish_stride(a, &fc, &ic);
}

void bstep__foot_flush(bstep_analyzer *a)
{
    foot_t *f = &a->eng.foot;
    if (f->hold_on)
        release_stride(a, f->count > 0u ? bin_at(f, 0)->t_us : f->hold_conf_us);
}

/* A real stride ended at the stance starting now: emit its final and initial contacts. */
static void end_stride(bstep_analyzer *a, bstep_time_us now_us)
{
    foot_t *f = &a->eng.foot;
    bstep_time_us lo = f->still_start_us - (bstep_time_us)(a->cfg.ic_search_before_s * 1e6f);
    bstep_time_us ic_t, rev;
    bstep_event fc = bstep__make_event(BSTEP_EVENT_FINAL_CONTACT, f->fc_t_us, now_us), ic;
    float impact_jerk;
    int soft;
    bstep__foot_flush(a); /* a held stride (none can be: a stride lasts longer than the hold) */
    /* The landing ends the swing: it cannot come in the first half of the time from the final
     * contact to the stance (a short, gentle swing such as a turning step would otherwise have
     * its take-off taken for the landing). */
    if (lo < f->fc_t_us + (f->still_start_us - f->fc_t_us) / 2)
        lo = f->fc_t_us + (f->still_start_us - f->fc_t_us) / 2;
    soft = soft_landing(f, lo, now_us, &impact_jerk);
    ic_t = soft ? f->still_start_us : find_ic(a, lo, now_us);
    /* An impact while the foot still turns the swing's way, well before it turns back, is a graze
     * when a separate landing impact follows there (swing_reversal); not decided across a gap in
     * the data (the reversal may be in it). */
    rev = swing_reversal(f, now_us);
    if (rev > 0 && ic_t < rev - REV_MARGIN_US && sag_at(f, ic_t) < -REV_SWING_DPS &&
        peak_jerk(f, rev - REV_MARGIN_US, now_us) >=
            a->cfg.ic_impact_fraction * peak_jerk(f, lo, now_us) &&
        !gap_in(a, ic_t, rev)) {
        const bstep_time_us landing_us = find_ic(a, rev - REV_MARGIN_US, now_us);
        if (landing_us - ic_t >= REV_MARGIN_US) /* a second impact, not the same one's tail */
            ic_t = landing_us;
    }
    ic = bstep__make_event(BSTEP_EVENT_INITIAL_CONTACT, ic_t, now_us);
    if (f->have_ic && (float)(ic_t - f->last_ic_us) * 1e-6f <= a->cfg.max_bout_pause_s)
        ic.stride_time_s = (float)(ic_t - f->last_ic_us) * 1e-6f;
    stride(a, &ic, &fc, now_us);
    /* A hover is not a stance: a soft landing (no impact up to the stance confirmation) may be
     * the foot held still just above the floor before it lands -- slowing its rotation through
     * the reversal of terminal swing, under the stance thresholds for the 0.1 s window (voisard
     * 13-1 left, 17.95 s: 30-55 deg/s, | |a| - g | under 1.5 m/s^2), with the landing impact
     * 0.10-0.17 s later (jerk 900-2400 m/s^3, the reference contact there). A foot on the floor
     * comes to rest (REST_S of quiet samples, under 25 deg/s and within 1 m/s^2 of 1 g); a hovering
     * one does not, and its landing impact ends the "stance". So the stride is held until the
     * foot comes to rest, or until STILL_OVERRIDE_US after the stance start (a hover lasts a
     * moment at most: the same bound as the tilted stance's), and if the stance was broken
     * meanwhile by a landing impact (a jerk IMPACT_OVER_SWING times the swing's median), the
     * contact is that impact's onset. */
    if (soft && now_us < f->still_start_us + STILL_OVERRIDE_US) {
        f->hold_on = 1;
        f->hold_broken = 0;
        f->hold_conf_us = now_us;
        f->hold_until_us = f->still_start_us + STILL_OVERRIDE_US;
        f->hold_impact_jerk = impact_jerk;
        f->hold_fc = fc;
        f->hold_ic = ic;
        return;
    }
    finish_stride(a, &fc, &ic);
}

/* Stillness thresholds: the absolute ones, or a share of this swing's peaks when higher (fast
 * walking and running roll the foot faster through stance, and a sprint's stance is never as
 * quiet as a walk's), bounded. */
static void thresholds(bstep_analyzer *a)
{
    foot_t *f = &a->eng.foot;
    float thr = a->cfg.stance_swing_fraction * f->swing_peak_dps;
    if (f->in_stance || !f->have_swing || thr < a->cfg.stance_gyro_dps)
        thr = a->cfg.stance_gyro_dps;
    if (thr > a->cfg.stance_gyro_max_dps)
        thr = a->cfg.stance_gyro_max_dps;
    f->still_thr_dps = thr;
    thr = a->cfg.stance_swing_fraction * f->swing_peak_ad;
    if (f->in_stance || !f->have_swing || thr < a->cfg.stance_accel_mps2)
        thr = a->cfg.stance_accel_mps2;
    if (thr > 4.0f * a->cfg.stance_accel_mps2)
        thr = 4.0f * a->cfg.stance_accel_mps2;
    f->still_thr_mps2 = thr;
}

/* The foot is not back in the attitude of the flat stance it left: it is reaching for the
 * ground (the hover before a backward toe contact, pitched 20-30 deg toes down) or rolling in
 * mid-swing, not standing. */
static int not_flat(const bstep_analyzer *a)
{
    const foot_t *f = &a->eng.foot;
    float up[3];
    if (!f->have_iq || norm3(f->flat_up) < 0.5f)
        return 0;
    up_of(f->iq, up);
    if (dot3(up, f->flat_up) >= cosf(a->cfg.stance_tilt_deg * D2R))
        return 0;
    /* A running stance (the last stance never came to rest) may land and stay on the forefoot. */
    if (!f->rested)
        return 0;
    return 1;
}

/* A heel strike is on the ground, not hovering: the stride ended in a landing impact (not a soft
 * landing) before the stillness, in the contact search window of end_stride, with the toe axis at
 * its onset above the heel-first bound of the strike classes (strike_flat_deg toes-up of the flat
 * foot), and the foot has since turned toes-down by more than that bound (the forefoot lowering
 * onto the floor about the heel that struck it). Then a tilted rest needs no 0.25 s wait. The
 * hovers that wait rejects fail it: the toes-down hover before a backward toe contact has no heel
 * impact (sangenis: the largest jerk in the window is a swing jerk 1.1-1.4 times the soft-landing
 * bound, at -3 to +3 deg), the toes-up hover before a slow heel strike turns toes-up after it
 * (+15 -> +29 deg), and a toe-first landing that pauses pitched before the heel lowers is in the
 * toe class. Not before the toe axis is known (the mid-swing reversal of a first step). More
 * than the bound, not any turn: a foot still on its heel, toes up, confirmed there would have its
 * strike angle measured against that attitude (sangenis forward heel-first 274 -> 262 of 372).
 * voisard: the 8 contacts whose event came 0.40-0.51 s late now 0.13-0.26 s; left F1 0.980 ->
 * 0.981; sangenis and the simulator unchanged (algorithms.md 2.3). */
static int heel_landing(const bstep_analyzer *a, bstep_time_us now_us)
{
    const foot_t *f = &a->eng.foot;
    const bstep_time_us start_us = f->still_run_from_us;
    bstep_time_us lo = start_us - (bstep_time_us)(a->cfg.ic_search_before_s * 1e6f);
    float impact_jerk, toe[3], up_now[3], e_impact;
    if (!f->toe_known || !f->have_iq || !toe_flat(f, f->flat_up, f->toe_s, toe))
        return 0;
    if (lo < f->fc_t_us + (start_us - f->fc_t_us) / 2)
        lo = f->fc_t_us + (start_us - f->fc_t_us) / 2;
    if (soft_landing(f, lo, now_us, &impact_jerk))
        return 0;
    e_impact = toe_elevation(toe, up_at(f, find_ic(a, lo, now_us)));
    up_of(f->iq, up_now);
    return e_impact > a->cfg.strike_flat_deg &&
           toe_elevation(toe, up_now) < e_impact - a->cfg.strike_flat_deg;
}

/* The rate of a bin about horizontal axes (its part off the up direction): lifting a foot pitches
 * or rolls it (push-off, heel rise, toes lifting, an edge rising), while a foot turned on the
 * floor (a pivot in a turn) rotates about the vertical alone. */
static float tilt_rate(const bstep__foot_bin *b, const float w[3])
{
    const float u = dot3(w, b->up);
    const float h[3] = {w[0] - u * b->up[0], w[1] - u * b->up[1], w[2] - u * b->up[2]};
    return norm3(h);
}

static void start_stance(bstep_analyzer *a, bstep_time_us start_us, bstep_time_us now_us)
{
    foot_t *f = &a->eng.foot;
    const int first = !f->have_swing;
    /* the still window reaches back into the stance that just ended */
    const int old_window = f->have_swing && start_us <= f->swing_start_us;
    const int stride_ended = f->have_swing &&
                             (float)(start_us - f->swing_start_us) * 1e-6f >= a->cfg.min_swing_s &&
                             (f->swing_peak_tilt_dps >= a->cfg.min_swing_gyro_dps ||
                              f->swing_peak_ad >= a->cfg.min_swing_accel_mps2);
    f->in_stance = 1;
    f->still_start_us = start_us;
    /* A movement too short or gentle to be a stride (a twitch, a weight shift, the flicker of the
     * stance test) leaves the foot where it was: the stance goes on, and its quiet samples keep
     * counting for its flat attitude, its gravity and whether it came to rest. Restarting them
     * made a stance whose last part had no quiet sample a "running" one, which turns the flat
     * test off, and took the flat attitude from the integrated one at the heel rise; the hover
     * before the next toe contact then passed for a stance and cut the stride (sangenis 08_23
     * exp200 and exp300: the first backward stride after the turn 0.65 m instead of 1.0-1.2 m). */
    if (stride_ended || !f->have_swing) {
        f->g_sum[0] = f->g_sum[1] = f->g_sum[2] = 0.0f;
        f->g_n = 0;
    }
    if (stride_ended)
        end_stride(a, now_us);
    f->have_swing = 0;
    /* Restart the integration here if no quiet sample follows (running), but not at a stance
     * confirmed again right after one ended, whose still window reaches back into the old stance
     * (the 0.1 s mean is still low while the push-off has begun): a zero-velocity update there
     * zeroed a foot already moving (simulated run 3.5 m/s: 0.22 m/s forward, 0.37 m/s up, 15 ms
     * into the push-off), an initial-velocity error the linear de-drift removes only half of:
     * running strides 1.8 % short with an ideal sensor, 0.0 % now. The integration goes on from
     * the last real zero-velocity instant; quiet samples still restart it. */
    if (f->have_iq && (stride_ended || first || !old_window))
        zupt(f, now_us);
}

static void end_stance(bstep_analyzer *a, const bstep__foot_bin *b, const float w[3])
{
    foot_t *f = &a->eng.foot;
    const float wn = norm3(w);
    f->in_stance = 0;
    if (f->hold_on)
        f->hold_broken = 1;
    f->have_swing = 1;
    f->swing_start_us = b->t_us;
    f->swing_peak_dps = b->gyro_dps;
    f->swing_peak_ad = b->accdev_mps2;
    f->swing_peak_tilt_dps = tilt_rate(b, w);
    /* The flat foot of the stance just ended: gravity as read in its quiet samples (samples
     * right after the landing still carry the impact and biased gravity by 0.4-0.6 m/s^2);
     * without quiet samples (running) the previous estimate and the integrated attitude. */
    f->rested = (float)f->g_n >= REST_S * a->cfg.sample_rate_hz;
    if (f->g_n >= 3u) {
        const float n = (float)f->g_n;
        const float m[3] = {f->g_sum[0] / n, f->g_sum[1] / n, f->g_sum[2] / n};
        const float g = norm3(m);
        if (g > 0.5f * BSTEP_STANDARD_GRAVITY_MPS2 && g < 1.5f * BSTEP_STANDARD_GRAVITY_MPS2) {
            f->g_local = g;
            f->flat_up[0] = m[0] / g;
            f->flat_up[1] = m[1] / g;
            f->flat_up[2] = m[2] / g;
        } else {
            up_of(f->iq, f->flat_up);
        }
    } else {
        up_of(f->iq, f->flat_up);
    }
    /* The first rotation lobe: push-off about the toes (forward) or the toes lifting about the
     * heel (backward); its peak is the final contact. */
    if (wn > 1e-3f) {
        f->axis0[0] = w[0] / wn;
        f->axis0[1] = w[1] / wn;
        f->axis0[2] = w[2] / wn;
    } else {
        f->axis0[0] = f->axis0[1] = f->axis0[2] = 0.0f;
    }
    f->lobe_on = 1;
    f->lobe_peak = wn;
    f->lobe_prev_r = wn;
    f->lobe_prev2_r = 0.0f;
    f->lobe_prev_t_us = b->t_us;
    memcpy(f->lobe_prev_up, b->up, sizeof(f->lobe_prev_up));
    f->fc_t_us = b->t_us;
    memcpy(f->fc_up, b->up, sizeof(f->fc_up));
}

/* A bin is complete: history, stance and swing logic. */
static void bin_done(bstep_analyzer *a, const float w[3])
{
    foot_t *f = &a->eng.foot;
    const bstep_time_us win_us = (bstep_time_us)(a->cfg.stance_window_s * 1e6f);
    bstep__foot_bin *b = &f->ring[f->head];
    const bstep__foot_bin *oldest;
    int still, quiet;
    /* The ring is full: the bin about to be overwritten may still be in the window. */
    if (f->count == BSTEP__FOOT_RING && f->win_n == BSTEP__FOOT_RING) {
        f->win_g -= b->gyro_dps;
        f->win_ad -= b->accdev_mps2;
        f->win_n--;
    }
    if (f->count == BSTEP__FOOT_RING && f->fwin_n == BSTEP__FOOT_RING) {
        f->fwin_g -= b->gyro_dps;
        f->fwin_ad -= b->accdev_mps2;
        f->fwin_n--;
    }
    b->t_us = f->cur_t_us;
    b->jerk = f->cur_j;
    b->gyro_dps = f->cur_g / (float)f->cur_n;
    b->accdev_mps2 = f->cur_ad / (float)f->cur_n;
    b->admax_mps2 = f->cur_admax;
    b->sag_dps = (f->have_swing && !f->in_stance) ? dot3(w, f->axis0) : 0.0f;
    b->roll_dps = f->toe_known ? dot3(w, f->toe_s) : 0.0f;
    memcpy(b->up, f->cur_up, sizeof(b->up));
    f->head = (f->head + 1u) % BSTEP__FOOT_RING;
    if (f->count < BSTEP__FOOT_RING)
        f->count++;
    f->last_gyro_dps = b->gyro_dps;
    /* A held stride (soft landing) comes out once the foot has come to rest in its stance or the
     * hover's time is up. */
    if (f->hold_on &&
        (b->t_us >= f->hold_until_us ||
         (!f->hold_broken && f->in_stance && (float)f->g_n >= REST_S * a->cfg.sample_rate_hz)))
        release_stride(a, b->t_us);

    /* Moving means over the last stance_window_s. */
    f->win_g += b->gyro_dps;
    f->win_ad += b->accdev_mps2;
    f->win_n++;
    while (f->win_n > 1u && b->t_us - bin_at(f, f->win_n - 1u)->t_us >= win_us) {
        f->win_g -= bin_at(f, f->win_n - 1u)->gyro_dps;
        f->win_ad -= bin_at(f, f->win_n - 1u)->accdev_mps2;
        f->win_n--;
    }
    if (f->win_n == 1u) { /* no round-off carried over */
        f->win_g = b->gyro_dps;
        f->win_ad = b->accdev_mps2;
    }
    /* The same over the newest FAST_US (fast confirmation). */
    f->fwin_g += b->gyro_dps;
    f->fwin_ad += b->accdev_mps2;
    f->fwin_n++;
    while (f->fwin_n > 1u && b->t_us - bin_at(f, f->fwin_n - 1u)->t_us >= FAST_US) {
        f->fwin_g -= bin_at(f, f->fwin_n - 1u)->gyro_dps;
        f->fwin_ad -= bin_at(f, f->fwin_n - 1u)->accdev_mps2;
        f->fwin_n--;
    }
    if (f->fwin_n == 1u) { /* no round-off carried over */
        f->fwin_g = b->gyro_dps;
        f->fwin_ad = b->accdev_mps2;
    }
    oldest = bin_at(f, f->win_n - 1u);
    thresholds(a);
    quiet = f->win_g / (float)f->win_n < f->still_thr_dps &&
            f->win_ad / (float)f->win_n < f->still_thr_mps2;
    still = quiet && b->t_us - oldest->t_us >= win_us - win_us / 10;
    /* ... or, over the newest FAST_US, clearly still (fast confirmation; its stance starts there)
     */
    if (!still && !f->in_stance && f->fwin_g / (float)f->fwin_n < FAST_FRAC * f->still_thr_dps &&
        f->fwin_ad / (float)f->fwin_n < FAST_FRAC * f->still_thr_mps2 &&
        b->t_us - bin_at(f, f->fwin_n - 1u)->t_us >= FAST_US * 4 / 5) {
        still = 1;
        oldest = bin_at(f, f->fwin_n - 1u);
    }
    /* A still run is ended by movement, not by lost packets: a window too short to decide (samples
     * missing in it) whose samples are quiet keeps it (voisard 17-3 left, 19.4-21.6 s: the foot at
     * rest, tilted, for 2 s, the run restarted by every gap and the stance never confirmed). */
    if (f->in_stance || (!still && !quiet))
        f->still_run_us = 0;
    else if (still && f->still_run_us == 0) {
        f->still_run_us = b->t_us;
        f->still_run_from_us = oldest->t_us;
    }
    /* A foot reaching for the ground hovers for a moment at most; stillness that lasts is a
     * stance however the foot is tilted (on the toes, on a slope), and so is one after a heel
     * strike whose forefoot has come down (heel_landing). */
    if (still && !f->in_stance &&
        !(f->have_swing && not_flat(a) && b->t_us - f->still_run_us < STILL_OVERRIDE_US &&
          !heel_landing(a, b->t_us))) {
        /* a tilted foot's stance began where its stillness did, not after the 0.25 s wait */
        start_stance(a, f->have_swing && not_flat(a) ? f->still_run_from_us : oldest->t_us,
                     b->t_us);
    } else if (f->in_stance) {
        /* Stance ends at the first bin that rotates or accelerates once the window is not
         * still any more. */
        if (!still && ((b->gyro_dps >= a->cfg.stance_gyro_dps && b->gyro_dps >= f->still_thr_dps) ||
                       b->accdev_mps2 >= 2.0f * f->still_thr_mps2))
            end_stance(a, b, w);
    } else {
        if (b->gyro_dps > f->swing_peak_dps)
            f->swing_peak_dps = b->gyro_dps;
        if (b->accdev_mps2 > f->swing_peak_ad)
            f->swing_peak_ad = b->accdev_mps2;
        /* only needed until it passes the swing test (the tilt rate is at most the mean norm) */
        if (f->swing_peak_tilt_dps < a->cfg.min_swing_gyro_dps &&
            b->gyro_dps > f->swing_peak_tilt_dps) {
            const float tr = tilt_rate(b, w);
            if (tr > f->swing_peak_tilt_dps)
                f->swing_peak_tilt_dps = tr;
        }
        if (f->have_swing && f->lobe_on) {
            const float r = b->sag_dps;
            /* The push-off can roll in two humps; the part on the ground leaves at the end of the
             * roll: the last local maximum still within LOBE_LAST_FRACTION of the peak. */
            if (f->lobe_prev_r >= f->lobe_prev2_r && f->lobe_prev_r > r &&
                f->lobe_prev_r >= LOBE_LAST_FRACTION * f->lobe_peak) {
                f->fc_t_us = f->lobe_prev_t_us;
                memcpy(f->fc_up, f->lobe_prev_up, sizeof(f->fc_up));
            }
            if (r > f->lobe_peak) {
                f->lobe_peak = r;
                f->fc_t_us = b->t_us;
                memcpy(f->fc_up, b->up, sizeof(f->fc_up));
            }
            f->lobe_prev2_r = f->lobe_prev_r;
            f->lobe_prev_r = r;
            f->lobe_prev_t_us = b->t_us;
            memcpy(f->lobe_prev_up, b->up, sizeof(f->lobe_prev_up));
            if (r < 0.0f || b->t_us - f->swing_start_us > LOBE_MAX_US)
                f->lobe_on = 0;
        }
    }
}

void bstep__foot_update(bstep_analyzer *a, const bstep_imu_sample *s)
{
    foot_t *f = &a->eng.foot;
    const float *w = s->gyro_dps, *acc = s->accel_mps2;
    const float gn = norm3(w), ad = fabsf(norm3(acc) - f->g_local);
    float jerk = 0.0f;

    if (!(s->flags & BSTEP_SAMPLE_HAS_GYRO))
        return; /* stance detection and navigation need the gyroscope */
    nav(f, s, gn, ad, a->cfg.stance_gyro_dps, ACC_CLIP_FRACTION * a->cfg.accel_range_mps2);
    if (f->have_prev_a && s->t_us > f->prev_a_t_us) {
        const float d[3] = {acc[0] - f->prev_a[0], acc[1] - f->prev_a[1], acc[2] - f->prev_a[2]};
        jerk = norm3(d) / ((float)(s->t_us - f->prev_a_t_us) * 1e-6f);
    }
    memcpy(f->prev_a, acc, sizeof(f->prev_a));
    f->prev_a_t_us = s->t_us;
    f->have_prev_a = 1;

    if (f->cur_n == 0u) {
        f->cur_t_us = s->t_us;
        f->cur_j = jerk;
        f->cur_g = f->cur_ad = f->cur_admax = 0.0f;
        f->cur_w[0] = f->cur_w[1] = f->cur_w[2] = 0.0f;
        if (f->have_iq)
            up_of(f->iq, f->cur_up);
    } else if (jerk > f->cur_j) {
        f->cur_j = jerk;
    }
    f->cur_g += gn;
    f->cur_ad += ad;
    if (ad > f->cur_admax)
        f->cur_admax = ad;
    f->cur_w[0] += w[0];
    f->cur_w[1] += w[1];
    f->cur_w[2] += w[2];
    if (++f->cur_n >= f->bin_n) {
        const float n = (float)f->cur_n;
        const float wm[3] = {f->cur_w[0] / n, f->cur_w[1] / n, f->cur_w[2] / n};
        bin_done(a, wm);
        f->cur_n = 0;
    }
}
