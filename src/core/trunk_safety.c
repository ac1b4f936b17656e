/*
 * Trunk engine, second half: posture (upright calibration, POSTURE events), look-back / twist,
 * stumble and fall. Methods, thresholds and references: docs/algorithms.md section 5.
 *
 * Upright reference: the mean up direction of the last quiet stance of at least 2 s (|a| within
 * 0.05 g of its 1 s mean, rotation under 10 deg/s) before the first bout, if it is within 30 deg of
 * the walking posture (a phone lying on a table is not a stance); otherwise the mean walking
 * posture of the first 8 steps.
 *
 * Look-back: the heading (yaw rate about the vertical, integrated) leaves the walking heading
 * (the heading low-passed over 5 s) by more than look_back_deg and returns to within a third of
 * it in at most look_back_max_s; a heading that does not return is a turn. 20 deg at the pelvis:
 * a lower-back sensor turns with the pelvis, and straight forward walking already shows pelvic
 * heading excursions that return of up to 19 deg (voisard-2023: 12-19 deg in half of the trials;
 * textbook pelvic rotation is only +-4-8 deg, plus the walker's weaving).
 *
 * Stumble (Weiss et al. 2010: the jerk of the vertical acceleration is the best single near-fall
 * feature; algorithms.md 12): the bout's rhythm is the median step time and jerk of its last 6
 * regular steps (within 20 % of the rhythm; at least 4 needed, the first 4 of a run taken as
 * they come). At a contact, the step time
 * differs from the rhythm or from the previous step by more than stumble_rhythm x the rhythm,
 * and the largest vertical jerk of the last two steps is at least stumble_jerk_ratio x the
 * regular steps'; it is reported at the next step if that one lands within 60 % of the rhythm
 * (recovery: walking goes on).
 *
 * Fall (Kangas et al., Gait Posture 2008: impact, then posture and inactivity): an impact of at
 * least fall_impact_g, then within 10 s a stillness of fall_still_s in which the trunk lies at
 * least fall_lying_deg from its orientation 2 s before the impact (and from the upright
 * reference when known). Deliberately lying down has no impact; a near fall or sitting down
 * hard ends upright.
 */
#include <math.h>
#include <string.h>

#include "trunk_internal.h"

#define G BSTEP_STANDARD_GRAVITY_MPS2
/* Stumble rhythm: regular steps needed before a stumble can be told (the first ones of a run
 * are taken as they come), the band of a regular step around the rhythm, and the band in which
 * the step after the disturbance must land (recovery: a quick or slow recovery step, within
 * 60 % of the rhythm, still means walking goes on). */
#define REGN  4
#define REGF  0.2f
#define RECOV 0.6f

static inline float maxf(float a, float b)
{
    return a > b ? a : b;
}

static float angle_deg(const float a[3], const float b[3])
{
    float c = bstep__dot3(a, b);
    c = c > 1.0f ? 1.0f : (c < -1.0f ? -1.0f : c);
    return acosf(c) * BSTEP__RAD2DEG;
}

void bstep__trunk_safety_reset(bstep_analyzer *a)
{
    bstep__trunk_state *t = &a->eng.trunk;
    t->still_s = 0.0f;
    memset(t->still_up, 0, sizeof(t->still_up));
    t->pst_n = 0;
    t->pst_sag = t->pst_side = 0.0f;
    t->yaw_deg = 0.0f;
    t->yaw_hist_n = 0;
    t->lb_active = 0;
    t->st_pending = 0;
    t->st_cool = 0;
    t->reg_n = 0;
    t->st_prev_jerk = 0.0f;
    t->up_hist_n = 0;
    t->up_sub = 0;
    /* A fall candidate survives a gap (a wireless sensor often loses packets on impact), but
     * its stillness must be seen again after it. Lying, the upright reference and the last
     * stance survive too. */
    t->fall_still_n = 0;
    t->fall_last_move_s = 1e300; /* set to the first point after the gap */
    t->amag_ref = 0.0f;
}

/* ---- posture ----------------------------------------------------------------------------- */

static void posture_emit(bstep_analyzer *a, bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    bstep_event e =
        bstep__make_event(BSTEP_EVENT_POSTURE, (bstep_time_us)llround(t->pst_last_s * 1e6), now_us);
    e.trunk_lean_deg = t->pst_sag / (float)t->pst_n;
    e.side_lean_deg = t->pst_side / (float)t->pst_n;
    e.value = (float)(t->pst_last_s - t->pst_start_s);
    bstep__push_event(a, &e);
    t->pst_n = 0;
    t->pst_sag = t->pst_side = 0.0f;
}

void bstep__trunk_posture_step(bstep_analyzer *a, double tc_s, float sag_deg, float side_deg,
                               bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    if (t->pst_n == 0)
        t->pst_start_s = tc_s;
    t->pst_sag += sag_deg;
    t->pst_side += side_deg;
    t->pst_n++;
    t->pst_last_s = tc_s;
    if (t->pst_last_s - t->pst_start_s >= (double)a->cfg.posture_interval_s)
        posture_emit(a, now_us);
}

/* How far |a| strayed from its own 1 s mean in this grid bin, m/s^2. Relative to the mean, not
 * to 1 g: low-cost accelerometers read 1.0-1.2 g at rest depending on the axis (SisFall's
 * ADXL345 reads about 1.17 g lying on its side). */
static float activity_dev(bstep__trunk_state *t, const float *r)
{
    const float mid = 0.5f * (r[BSTEP__REC_AMAX] + r[BSTEP__REC_AMIN]);
    float dev;
    if (!(t->amag_ref > 0.0f))
        t->amag_ref = mid;
    dev = maxf(fabsf(r[BSTEP__REC_AMAX] - t->amag_ref), fabsf(r[BSTEP__REC_AMIN] - t->amag_ref));
    t->amag_ref += (mid - t->amag_ref) * BSTEP__TRUNK_DT_S;
    return dev;
}

static void stance_point(bstep__trunk_state *t, const bstep__trunk_point *p, float dev)
{
    const float *r = p->rec;
    const float w2 = bstep__dot3(r + BSTEP__REC_W, r + BSTEP__REC_W);
    const int still = dev < 0.05f * G && (!p->has_gyro || w2 < 100.0f);
    int i;
    if (still) {
        for (i = 0; i < 3; i++)
            t->still_up[i] += p->up[i];
        t->still_s += BSTEP__TRUNK_DT_S;
        return;
    }
    if (t->still_s >= 2.0f) {
        float u[3];
        memcpy(u, t->still_up, sizeof(u));
        if (bstep__norm3(u) > 0.0f) {
            memcpy(t->last_still_up, u, sizeof(u));
            t->last_still_end_s = p->t_s;
            t->have_last_still = 1;
        }
    }
    t->still_s = 0.0f;
    memset(t->still_up, 0, sizeof(t->still_up));
}

/* ---- look-back --------------------------------------------------------------------------- */

static void yaw_restart(bstep__trunk_state *t)
{
    t->yaw_ref = t->yaw_deg;
    t->yaw_hist_n = 0;
    t->lb_active = 0;
}

static void look_back_point(bstep_analyzer *a, const bstep__trunk_point *p)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const float thr = a->cfg.look_back_deg;
    float exc;
    const float wv = bstep__dot3(p->rec + BSTEP__REC_W, p->up);
    /* The gyroscope's yaw-rate bias (about 1 deg/s on phones) would make the heading drift and
     * the reference lag behind it by bias x 5 s: it is the mean yaw rate over 20 s of samples
     * that are not turning fast (|rate - bias| < 45 deg/s), and is removed. */
    if (fabsf(wv - t->yaw_bias_dps) < 45.0f)
        t->yaw_bias_dps += (wv - t->yaw_bias_dps) * (BSTEP__TRUNK_DT_S / 20.0f);
    t->yaw_deg += (wv - t->yaw_bias_dps) * BSTEP__TRUNK_DT_S;
    /* walking heading: the heading low-passed with a 5 s time constant (pelvic rotation of
     * +-4 deg at the stride frequency leaves a ripple of 0.1 deg; a 1.2 s twist moves it by about
     * a tenth of its size), frozen during an excursion */
    if (!t->lb_active) {
        t->yaw_ref += (t->yaw_deg - t->yaw_ref) * (BSTEP__TRUNK_DT_S / 5.0f);
        if (t->yaw_hist_n < 200)
            t->yaw_hist_n++; /* grid points since the heading restarted */
    }
    if (!t->eb_open) { /* only while walking */
        t->lb_active = 0;
        return;
    }
    exc = t->yaw_deg - t->yaw_ref;
    if (!t->lb_active) {
        if (fabsf(exc) > thr && t->yaw_hist_n >= 200) {
            t->lb_active = 1;
            t->lb_start_s = p->t_s;
            t->lb_peak = exc;
            t->lb_peak_s = p->t_s;
        }
        return;
    }
    if (fabsf(exc) > fabsf(t->lb_peak) && exc * t->lb_peak > 0.0f) {
        t->lb_peak = exc;
        t->lb_peak_s = p->t_s;
    }
    if (p->t_s - t->lb_start_s > (double)a->cfg.look_back_max_s) {
        yaw_restart(t); /* a turn: the new heading is the walking heading */
        return;
    }
    if (fabsf(exc) < thr / 3.0f) {
        bstep_event e = bstep__make_event(BSTEP_EVENT_LOOK_BACK,
                                          (bstep_time_us)llround(t->lb_peak_s * 1e6), p->now_us);
        e.value = t->lb_peak;
        e.confidence = fminf(1.0f, fabsf(t->lb_peak) / (2.0f * thr));
        bstep__push_event(a, &e);
        yaw_restart(t);
    }
}

/* ---- fall -------------------------------------------------------------------------------- */

static void fall_point(bstep_analyzer *a, const bstep__trunk_point *p, float dev)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const bstep_analyzer_settings *cfg = &a->cfg;
    const float *r = p->rec;
    const float amax = r[BSTEP__REC_AMAX];
    /* lying still: |a| within 0.1 g of its mean (acceleration only, as Kangas et al. 2008: a body
     * lying on a mattress rolls at 20-40 deg/s and is still lying) */
    const int moving = dev > 0.1f * G;
    int i;
    if (++t->up_sub >= 10) { /* 10 Hz orientation history */
        t->up_sub = 0;
        if (t->up_hist_n < BSTEP__TRUNK_UPS)
            t->up_hist_n++;
        else
            memmove(t->up_hist, t->up_hist + 1, (BSTEP__TRUNK_UPS - 1) * sizeof(t->up_hist[0]));
        memcpy(t->up_hist[t->up_hist_n - 1], p->up, sizeof(p->up));
    }
    if (t->fall_last_move_s > p->t_s)
        t->fall_last_move_s = p->t_s;
    if (t->lying && angle_deg(p->up, t->fall_pre_up) < 40.0f)
        t->lying = 0; /* back on the feet */
    if (t->fall_phase == 0) {
        if (!t->lying && amax >= cfg->fall_impact_g * G && t->up_hist_n > 0) {
            /* orientation about 2 s before (the oldest kept when less history exists) */
            const int back = 20 < t->up_hist_n ? 20 : t->up_hist_n;
            memcpy(t->fall_pre_up, t->up_hist[t->up_hist_n - back], sizeof(t->fall_pre_up));
            t->fall_phase = 1;
            t->fall_t_s = p->t_s;
            t->fall_peak_g = amax / G;
            t->fall_last_move_s = p->t_s;
            t->fall_still_n = 0;
            memset(t->fall_still_acc, 0, sizeof(t->fall_still_acc));
        }
        return;
    }
    /* impact seen: the largest impact within 1 s is the candidate's; a later impact (walking
     * goes on, or the body hits the ground after a stumble) starts a new candidate, so the
     * candidate is always the last impact before the stillness */
    if (amax / G > t->fall_peak_g && p->t_s - t->fall_t_s < 1.0) {
        t->fall_peak_g = amax / G;
        t->fall_t_s = p->t_s;
    } else if (amax >= cfg->fall_impact_g * G && p->t_s - t->fall_t_s >= 1.0) {
        const int back = 20 < t->up_hist_n ? 20 : t->up_hist_n;
        memcpy(t->fall_pre_up, t->up_hist[t->up_hist_n - back], sizeof(t->fall_pre_up));
        t->fall_t_s = p->t_s;
        t->fall_peak_g = amax / G;
    }
    if (moving) {
        t->fall_last_move_s = p->t_s;
        t->fall_still_n = 0;
        memset(t->fall_still_acc, 0, sizeof(t->fall_still_acc));
    } else {
        for (i = 0; i < 3; i++)
            t->fall_still_acc[i] += p->a[i];
        t->fall_still_n++;
    }
    if (t->fall_still_n > 0 && p->t_s - t->fall_last_move_s >= (double)cfg->fall_still_s) {
        float u[3], ang, ang_ref = 180.0f;
        memcpy(u, t->fall_still_acc, sizeof(u));
        t->fall_phase = 0;
        if (!(bstep__norm3(u) > 0.0f))
            return;
        ang = angle_deg(u, t->fall_pre_up);
        if (t->have_up_ref)
            ang_ref = angle_deg(u, t->up_ref);
        if (ang >= cfg->fall_lying_deg && ang_ref >= cfg->fall_lying_deg) {
            bstep_event e = bstep__make_event(BSTEP_EVENT_FALL,
                                              (bstep_time_us)llround(t->fall_t_s * 1e6), p->now_us);
            const float ci = fminf(1.0f, (t->fall_peak_g - cfg->fall_impact_g) / 1.0f);
            const float ca = fminf(1.0f, (ang - cfg->fall_lying_deg) / 30.0f);
            e.value = t->fall_peak_g;
            e.confidence = 0.5f + 0.25f * ci + 0.25f * ca;
            if (t->front_known && !t->pocket) {
                float sag, side;
                bstep__trunk_lean(u, t->have_up_ref ? t->up_ref : t->fall_pre_up, t->front_s, &sag,
                                  &side);
                e.trunk_lean_deg = sag;
                e.side_lean_deg = side;
                if (fabsf(sag) >= fabsf(side))
                    e.direction = sag > 0.0f ? BSTEP_DIRECTION_FORWARD : BSTEP_DIRECTION_BACKWARD;
                else
                    e.direction = side > 0.0f ? BSTEP_DIRECTION_SIDEWAYS_RIGHT
                                              : BSTEP_DIRECTION_SIDEWAYS_LEFT;
            }
            bstep__push_event(a, &e);
            t->lying = 1;
        }
        return;
    }
    if (p->t_s - t->fall_t_s > 10.0)
        t->fall_phase = 0; /* no stillness: an activity, not a fall */
}

void bstep__trunk_safety_point(bstep_analyzer *a, const bstep__trunk_point *p)
{
    const float dev = activity_dev(&a->eng.trunk, p->rec);
    stance_point(&a->eng.trunk, p, dev);
    if (p->has_gyro)
        look_back_point(a, p);
    fall_point(a, p, dev);
}

/* ---- stumble ----------------------------------------------------------------------------- */

static float median6(const float *v, int n)
{
    float s[BSTEP__TRUNK_STEPS];
    int i, j;
    for (i = 0; i < n; i++) {
        const float x = v[i];
        for (j = i; j > 0 && s[j - 1] > x; j--)
            s[j] = s[j - 1];
        s[j] = x;
    }
    return n % 2 ? s[n / 2] : 0.5f * (s[n / 2 - 1] + s[n / 2]);
}

static void reg_push(bstep__trunk_state *t, float st, float jerk)
{
    memmove(t->reg_st + 1, t->reg_st, (BSTEP__TRUNK_STEPS - 1) * sizeof(float));
    memmove(t->reg_jk + 1, t->reg_jk, (BSTEP__TRUNK_STEPS - 1) * sizeof(float));
    t->reg_st[0] = st;
    t->reg_jk[0] = jerk;
    if (t->reg_n < BSTEP__TRUNK_STEPS)
        t->reg_n++;
}

void bstep__trunk_safety_contact(bstep_analyzer *a, double tc_s, float st_s, float prev_st_s,
                                 float jerk, bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const float prev_jerk = t->st_prev_jerk;
    float T = NAN, J = NAN;
    t->st_prev_jerk = jerk;
    if (!isfinite(st_s)) { /* the first step of a run: no rhythm yet */
        t->st_pending = 0;
        t->st_cool = 0;
        t->reg_n = 0;
        return;
    }
    if (t->reg_n >= REGN) {
        T = median6(t->reg_st, t->reg_n);
        J = median6(t->reg_jk, t->reg_n);
    }
    if (t->st_pending) {
        t->st_pending = 0;
        /* recovery: walking goes on with a step near the rhythm again */
        if (isfinite(T) && fabsf(st_s - T) <= RECOV * T) {
            bstep_event e = bstep__make_event(BSTEP_EVENT_STUMBLE,
                                              (bstep_time_us)llround(t->st_t_s * 1e6), now_us);
            e.value = t->st_ratio;
            e.confidence = t->st_conf;
            bstep__push_event(a, &e);
        }
    }
    /* a regular step (the first REGN of a run are taken as they come) sets the rhythm */
    if (t->reg_n < REGN || (isfinite(T) && fabsf(st_s - T) <= REGF * T))
        reg_push(t, st_s, jerk);
    if (t->st_cool > 0) {
        t->st_cool--;
        return;
    }
    if (!isfinite(T) || !isfinite(prev_st_s) || !(J > 0.0f))
        return;
    {
        const float d = fmaxf(fabsf(st_s - T), fabsf(st_s - prev_st_s)) / T;
        const float jk = fmaxf(jerk, prev_jerk);
        const float ratio = jk / J;
        if (d >= a->cfg.stumble_rhythm && ratio >= a->cfg.stumble_jerk_ratio) {
            t->st_pending = 1;
            t->st_t_s = jerk >= prev_jerk ? tc_s : tc_s - (double)st_s;
            t->st_ratio = ratio;
            t->st_conf = fminf(1.0f, 0.5f * (d / a->cfg.stumble_rhythm) *
                                         (ratio / a->cfg.stumble_jerk_ratio));
            t->st_cool = 2;
        }
    }
}

void bstep__trunk_safety_bout_end(bstep_analyzer *a, bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    t->st_pending = 0; /* no recovery step: walking stopped */
    t->st_cool = 0;
    if (t->pst_n >= 3)
        posture_emit(a, now_us);
    t->pst_n = 0;
    t->pst_sag = t->pst_side = 0.0f;
    t->lb_active = 0;
}
