/*
 * Trunk engine of the streaming analyzer: lower back, waist and trouser pocket, gyroscope
 * optional. Methods, references and limits: docs/algorithms.md sections 3-4.
 *
 * Input. The orientation filter (ahrs.c; gravity-only without a gyroscope) gives the up
 * direction in the sensor frame, so any mounting works: vertical acceleration = a.up - g, the
 * horizontal part of a in the sensor frame, the yaw rate w.up. Samples are binned onto a 100 Hz
 * grid (bin means; the largest and smallest |a| of each bin are kept for impacts); holes shorter
 * than the gap limit are bridged linearly.
 *
 * Steps. Two cascaded 0.15 s moving averages of the vertical acceleration, minus a trailing 1 s
 * mean, find each step: a rise from below zero to a peak of at least 0.4 m/s^2 (inside a walk,
 * also a rise of at least 1.0 m/s^2 from its low that ends above zero: closing and turning
 * steps), at least 0.25 s after the previous one. At each initial contact the new stance leg
 * arrests the body's fall, so the vertical acceleration rises steeply into the collision peak of
 * double support (Zijlstra & Hof, Gait Posture 2003; Kuo, Donelan & Ruina 2005). The contact is
 * timed on a lightly smoothed copy (two 0.05 s averages): within -0.1..+0.2 s of the coarse rise,
 * the first local peak that reaches half of the largest one (a later push-off hump or rebound can
 * be larger; contact starts with the first collision, the same half-maximum rule as the foot
 * engine), and the steepest rise of that peak (from the preceding local minimum, at most 80 ms;
 * parabola-refined). Walking forward at the lower back, the contact is the mean of that and the
 * forward-braking peak of the horizontal acceleration (Zijlstra & Hof 2003; see ap_refine), a
 * second marker of the collision.
 *
 * Per step, between two step confirmations (a window of one step, shifted by the constant
 * detection delay, which does not matter for the quantities below because each covers a whole
 * step period): the vertical excursion of the pelvis h (the acceleration integrated twice through
 * high-pass filters), the sum of horizontal acceleration x vertical velocity (walking direction),
 * the mean up direction (posture), the largest vertical jerk (stumbles). The lateral velocity
 * change over the step needs the exact contact times and comes from a short ring of the
 * integrated horizontal acceleration.
 *
 *  - Step length (lower back): inverted pendulum, step = A * 2 sqrt(2 l d - d^2), d = the
 *    excursion, l = sensor height, A = 1.185 (Zijlstra & Hof 2003; mobgap SlZijlstra), times
 *    backward_step_factor for a backward step and the user's step_length_scale. Pocket: the thigh
 *    sensor's excursion is the leg's, not the pelvis's: the walk-ratio model step = WR * cadence
 *    (Sekiya & Nagasaki 1998; WR 0.0064 forward, 0.0045 backward, m min/step).
 *  - Direction (lower back): the body vaults over the stance leg, so speed is lowest when the
 *    pelvis is highest: along the walking direction a_travel = -c v_z (c > 0), i.e. the sum of
 *    a_front * v_z over a stride is negative walking forward and positive walking backward
 *    (time reversal: velocity is odd, height even). Pocket (thigh): the fast phase of the thigh's
 *    sagittal rotation is the swing, flexion walking forward and extension walking backward, so
 *    the skewness of the flexion rate is positive forward, negative backward. The front axis comes
 *    from --front-axis or is learned (auto) from the first bout, which is assumed forward.
 *  - Left/right (lower back): in single support the centre of mass accelerates away from the
 *    stance foot (frontal-plane inverted pendulum), in either walking direction, so the lateral
 *    velocity change from a contact to the next points away from the foot that landed.
 * Bout-level: direction and its confidence, cadence, step and stride regularity (unbiased
 * autocorrelation of the 3-axis acceleration, Moe-Nilssen & Helbostad 2004), in BOUT_END.
 */
#include <math.h>
#include <string.h>

#include "trunk_internal.h"

#define GRID_PERIOD_US (1000000 / BSTEP__TRUNK_RATE_HZ)
#define GRID_PERIOD_S  (1.0 / BSTEP__TRUNK_RATE_HZ)
#define G              BSTEP_STANDARD_GRAVITY_MPS2
/* High-pass cut-offs of the double integration, Hz: the acceleration (AHRS tilt bias) at 0.1 Hz,
 * then the velocity and the height at 1 Hz as in mobgap's SlZijlstra, lowered for slow walking
 * to 0.6 x the step frequency (1.5 s steps of slow backward walking are 0.67 Hz, which a 1 Hz
 * high-pass would attenuate 2.5 times; at 0.6 x the step frequency the loss is under 15 %). */
#define HP_ACC_HZ 0.1f
#define HP_VEL_HZ 1.0f
#define HP_MIN_HZ 0.25f
/* The integrals leak with this time constant (an integrator above 0.3 Hz), so a residual bias
 * cannot make them grow; the high-pass filters then remove what the leak leaves. */
#define LEAK_TAU_S 0.53f
/* Leak of the horizontal velocity integral (a 1.5 s time constant; lateral sway is at the
 * stride frequency, 0.3-1 Hz). */
#define VH_TAU_S 1.5f
/* Horizontal velocity change of a step that counts as full evidence for left/right, m/s
 * (lateral sway of the pelvis changes its velocity by about 0.1-0.2 m/s per step). */
#define LR_FULL_MPS 0.05f
#define LR_MEMORY   0.7f
/* Walk ratio (step length / cadence), m min / step: Sekiya & Nagasaki 1998 (forward); the
 * simulator's backward value (same cadence, shorter steps, Laufer 2005). */
#define WALK_RATIO_FW 0.0064f
#define WALK_RATIO_BW 0.0045f
/* A step whose vertical acceleration falls below -0.6 g has a flight phase (running); walking
 * stays above about -0.3 g in single support (real lower-back profiles: -0.1..-0.25 g). */
#define RUN_FLIGHT_MPS2 (0.6f * G)
/* A step inside a walk may also be a rise of at least STEP_RISE_MPS2 from its low (on the step
 * chain) that ends above the 1 s mean without reaching min_step_peak_mps2: the closing step of a
 * walk (the body drops onto the foot set down as it stops: a deep low, then a collision that the
 * 0.3 s smoothing and the stop keep near the mean) and weak turning steps. 1.0 m/s^2 is under
 * half the trough-to-peak swing of a gentle slow walk (about 2.6 m/s^2, see min_step_peak_mps2)
 * and far above quiet standing. Only while walking: the previous step at most STEP_RISE_GAP
 * step times before (1.6: a step at most 60 % late, so a rhythm, not an isolated movement); a
 * rise after a longer pause must reach the peak threshold as before. */
#define STEP_RISE_MPS2 1.0f
#define STEP_RISE_GAP  1.6f
/* A rise that stalls below the mean (its slope falls under a quarter of its steepest so far)
 * and then rises again is two movements: at gait initiation the anticipatory weight shift and
 * the push-off of the stance leg lift the trunk part of the way and level off before the swing
 * foot lands (Winter 1995, Gait Posture 3:193). The heel-strike collision at the pelvis is one
 * continuous rise of 40-60 ms (the mean profiles of both lower-back datasets, timing_refine), so
 * the contact is timed on the larger of the two rises: the slope search restarts at the stall
 * and the stalled rise is kept in case the later one is the smaller (a shudder at the top of the
 * collision). The lowest value is kept for the rise rule. */
#define STEP_STALL_FRAC 0.25f
/* A second hump of one stance is not a step: a rise less than half the recent step time after
 * the previous step (the other foot cannot have swung through at the walker's rhythm: a swing
 * takes about 0.8 of a step, section 6 of algorithms.md) and less than half as large as that
 * step's own rise. Short steps of an irregular, shuffling gait collide as hard as their
 * neighbours (mobgap MS daily life: steps of 0.21-0.25 s with 1-2 times the previous rise); a
 * trunk that bobs in single support (turning, mobgap MS 218.56 s: 0.27 s after a contact, a
 * fifth of its rise, no contact in either reference) does not. */
#define STEP_HUMP_FRAC 0.5f

int bstep__trunk_settings_valid(const bstep_analyzer_settings *c)
{
    const float rate = (float)BSTEP__TRUNK_RATE_HZ;
    if (!bstep__pos_finite(c->trunk_smooth_s) ||
        c->trunk_smooth_s * rate > BSTEP__TRUNK_MAX_SMOOTH ||
        !bstep__pos_finite(c->trunk_timing_smooth_s) ||
        c->trunk_timing_smooth_s > c->trunk_smooth_s || !bstep__pos_finite(c->trunk_detrend_s) ||
        c->trunk_detrend_s * rate > BSTEP__TRUNK_MAX_DETREND ||
        !bstep__pos_finite(c->min_step_peak_mps2) || !bstep__pos_finite(c->min_step_interval_s))
        return 0;
    if (!(bstep__pos_finite(c->sensor_height_m) && c->sensor_height_m <= 3.0f) ||
        !bstep__pos_finite(c->step_length_factor) || !bstep__pos_finite(c->backward_step_factor) ||
        !bstep__pos_finite(c->step_length_scale) || c->front_calibration_steps < 2 ||
        c->front_calibration_steps > 1000)
        return 0;
    if (!bstep__pos_finite(c->posture_interval_s) || !bstep__pos_finite(c->look_back_deg) ||
        !bstep__pos_finite(c->look_back_max_s) || !bstep__pos_finite(c->stumble_rhythm) ||
        !bstep__pos_finite(c->stumble_jerk_ratio) || !bstep__pos_finite(c->fall_impact_g) ||
        !(bstep__pos_finite(c->fall_lying_deg) && c->fall_lying_deg < 180.0f) ||
        !bstep__pos_finite(c->fall_still_s) || c->fall_still_s > 30.0f)
        return 0;
    return 1;
}

float bstep__norm3(float v[3])
{
    const float n = sqrtf(bstep__dot3(v, v));
    if (n > 0.0f) {
        v[0] /= n;
        v[1] /= n;
        v[2] /= n;
    }
    return n;
}

void bstep__trunk_lean(const float u[3], const float ref[3], const float front[3], float *sag_deg,
                       float *side_deg)
{
    float f[3], l[3];
    const float fr = bstep__dot3(front, ref);
    int i;
    for (i = 0; i < 3; i++)
        f[i] = front[i] - fr * ref[i];
    bstep__norm3(f);
    bstep__cross3(ref, f, l); /* left */
    /* Leaning forward tips the front axis down: world up gains a component along -front. Leaning
     * to the right lifts the left axis: world up gains a component along +left. */
    *sag_deg = atan2f(-bstep__dot3(u, f), bstep__dot3(u, ref)) * BSTEP__RAD2DEG;
    *side_deg = atan2f(bstep__dot3(u, l), bstep__dot3(u, ref)) * BSTEP__RAD2DEG;
}

static void mavg2_clear(bstep__mavg2 *m)
{
    memset(m->b1, 0, sizeof(m->b1));
    memset(m->b2, 0, sizeof(m->b2));
    m->s1 = m->s2 = 0.0f;
    m->pos = 0;
}

/* Push x; returns the output of the second average. The running sums are recomputed once per
 * window so round-off cannot build up. (A position counter, not a modulo: no division per
 * sample.) */
static float mavg2_push(bstep__mavg2 *m, float x)
{
    const int i = m->pos;
    float m1;
    m->s1 += x - m->b1[i];
    m->b1[i] = x;
    m1 = m->s1 / (float)m->n;
    m->s2 += m1 - m->b2[i];
    m->b2[i] = m1;
    if (i == m->n - 1) {
        int k;
        float s1 = 0.0f, s2 = 0.0f;
        for (k = 0; k < m->n; k++) {
            s1 += m->b1[k];
            s2 += m->b2[k];
        }
        m->s1 = s1;
        m->s2 = s2;
        m->pos = 0;
    } else {
        m->pos = i + 1;
    }
    return m->s2 / (float)m->n;
}

/* Second-order Butterworth high-pass at fc (bilinear transform with pre-warping at 100 Hz). */
static void hp_design(float c[5], float fc)
{
    const float k = tanf(3.14159265f * fc / (float)BSTEP__TRUNK_RATE_HZ);
    const float norm = 1.0f / (1.0f + 1.41421356f * k + k * k);
    c[0] = norm;
    c[1] = -2.0f * norm;
    c[2] = norm;
    c[3] = 2.0f * (k * k - 1.0f) * norm;
    c[4] = (1.0f - 1.41421356f * k + k * k) * norm;
}

static float hp_run(const float c[5], float z[2], float x)
{
    const float y = c[0] * x + z[0];
    z[0] = c[1] * x - c[3] * y + z[1];
    z[1] = c[2] * x - c[4] * y;
    return y;
}

static void win_clear(bstep__trunk_win *w)
{
    memset(w, 0, sizeof(*w));
    w->hmax = -1e30f;
    w->hmin = 1e30f;
    w->vmin = 0.0f;
}

/* Forget the engine's bout accumulators (the driver's bout ended or data restarted). */
static void eb_clear(bstep__trunk_state *t)
{
    t->eb_open = 0;
    t->eb_steps = 0;
    memset(t->eb_m, 0, sizeof(t->eb_m));
    memset(t->eb_unit, 0, sizeof(t->eb_unit));
    memset(t->eb_up, 0, sizeof(t->eb_up));
    t->eb_unit_n = 0;
    memset(t->eb_g1, 0, sizeof(t->eb_g1));
    memset(t->eb_g2, 0, sizeof(t->eb_g2));
    memset(t->eb_g3, 0, sizeof(t->eb_g3));
    t->eb_gn = 0;
    t->eb_score = 0.0f;
    t->eb_fw = t->eb_bw = 0;
    t->eb_step_sum = 0.0;
    t->eb_step_n = 0;
    memset(t->eb_hist, 0, sizeof(t->eb_hist));
    t->eb_cad_sum = 0.0;
    t->eb_cad_n = 0;
    t->ac_count = 0;
    t->ac_bin_n = 0;
    memset(t->ac_bin, 0, sizeof(t->ac_bin));
    memset(t->ac_sum, 0, sizeof(t->ac_sum));
    memset(t->ac_part, 0, sizeof(t->ac_part));
    t->ac_part_n = 0;
    memset(t->ac_commit, 0, sizeof(t->ac_commit));
    t->ac_commit_count = 0;
    t->nsteps_hist = 0;
    t->dir_recent_n = 0;
    t->have_foot = 0;
    t->foot_evidence = 0.0f;
}

/* The horizontal axis whose braking times the contacts (see ap_refine): the front axis, or
 * before it is known the bout's -sum(a_h v_z) so far, the same estimate that calibrates it
 * (lower back only: a thigh's horizontal acceleration is the leg's swing). */
static void ap_axis_update(bstep__trunk_state *t)
{
    int i;
    t->ap_have = 0;
    if (t->pocket)
        return;
    if (t->front_known) {
        memcpy(t->ap_axis, t->front_s, sizeof(t->ap_axis));
        t->ap_have = 1;
        return;
    }
    for (i = 0; i < 3; i++)
        t->ap_axis[i] = -t->eb_m[i];
    t->ap_have = bstep__norm3(t->ap_axis) > 0.0f;
}

void bstep__trunk_restart(bstep_analyzer *a)
{
    bstep__trunk_state *t = &a->eng.trunk;
    int i;
    bstep_ahrs_reset(&t->ahrs);
    t->grid_have = 0;
    t->grid_n = 0;
    t->have_prev_rec = 0;
    t->det_sum = 0.0f;
    t->det_pos = 0;
    t->t_prev = 0.0f;
    mavg2_clear(&t->smooth);
    mavg2_clear(&t->timing);
    t->tslope_count = 0;
    memset(t->det, 0, sizeof(t->det));
    t->grid_count = 0;
    t->armed = 0;
    t->have_cand = 0;
    t->have_step = 0;
    for (i = 0; i < 3; i++) {
        t->hp_z[i][0] = t->hp_z[i][1] = 0.0f;
        t->vh[i] = 0.0f;
    }
    t->vz = t->hz = t->vint = t->hint = 0.0f;
    memset(t->vring, 0, sizeof(t->vring));
    t->v_prev_grid = 0.0f;
    win_clear(&t->win);
    win_clear(&t->win1);
    win_clear(&t->win2);
    t->nwin = 0;
    t->have_vh_ic = 0;
    t->prev_step_len_m = NAN;
    eb_clear(t);
    ap_axis_update(t);
    bstep__trunk_safety_reset(a);
}

static void axis_vector(bstep_axis ax, float v[3])
{
    v[0] = v[1] = v[2] = 0.0f;
    switch (ax) {
    case BSTEP_AXIS_POS_X:
        v[0] = 1.0f;
        break;
    case BSTEP_AXIS_NEG_X:
        v[0] = -1.0f;
        break;
    case BSTEP_AXIS_POS_Y:
        v[1] = 1.0f;
        break;
    case BSTEP_AXIS_NEG_Y:
        v[1] = -1.0f;
        break;
    case BSTEP_AXIS_POS_Z:
        v[2] = 1.0f;
        break;
    case BSTEP_AXIS_NEG_Z:
        v[2] = -1.0f;
        break;
    default:
        break;
    }
}

void bstep__trunk_reset(bstep_analyzer *a)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const bstep_analyzer_settings *cfg = &a->cfg;
    memset(t, 0, sizeof(*t));
    (void)bstep_ahrs_init(&t->ahrs, &cfg->ahrs); /* settings checked by bstep_analyzer_init */
    t->smooth.n = (int)lroundf(cfg->trunk_smooth_s * (float)BSTEP__TRUNK_RATE_HZ) | 1;
    if (t->smooth.n > BSTEP__TRUNK_MAX_SMOOTH)
        t->smooth.n -= 2;
    t->timing.n = (int)lroundf(cfg->trunk_timing_smooth_s * (float)BSTEP__TRUNK_RATE_HZ) | 1;
    if (t->timing.n > t->smooth.n)
        t->timing.n = t->smooth.n;
    t->detrend_n = (int)lroundf(cfg->trunk_detrend_s * (float)BSTEP__TRUNK_RATE_HZ);
    if (t->detrend_n < 1)
        t->detrend_n = 1;
    hp_design(t->hp_c[0], HP_ACC_HZ);
    hp_design(t->hp_c[1], HP_VEL_HZ);
    hp_design(t->hp_c[2], HP_VEL_HZ);
    t->hp_fc = HP_VEL_HZ;
    t->pocket = cfg->placement == BSTEP_PLACEMENT_POCKET;
    if (cfg->front_axis != BSTEP_AXIS_AUTO) {
        axis_vector(cfg->front_axis, t->front_s);
        t->front_known = 1;
    }
    bstep__trunk_restart(a);
}

/* ---- step finding ------------------------------------------------------------------------ */

/* Two cascaded moving averages (smooth.n each), then a trailing mean (detrend_n) subtracted. One
 * grid sample in, one filtered value out; the output lags the input by smooth.n - 1 samples. */
static float trunk_filter(bstep__trunk_state *t, float x)
{
    const int nd = t->detrend_n;
    const int id = t->det_pos;
    const float m2 = mavg2_push(&t->smooth, x);
    uint32_t have;
    t->det_sum += m2 - t->det[id];
    t->det[id] = m2;
    t->grid_count++;
    t->det_pos = id + 1 == nd ? 0 : id + 1;
    if (id == nd - 1) {
        int k;
        float sd = 0.0f;
        for (k = 0; k < nd; k++)
            sd += t->det[k];
        t->det_sum = sd;
    }
    have = t->grid_count < (uint32_t)nd ? t->grid_count : (uint32_t)nd;
    return m2 - t->det_sum / (float)have;
}

/* The timing chain: two cascaded moving averages of timing.n grid samples; keeps its output and
 * slope in rings. */
static void timing_filter(bstep__trunk_state *t, int64_t k, float x)
{
    const float m2 = mavg2_push(&t->timing, x);
    t->tslope[(uint64_t)k % BSTEP__TIMING_RING] = (m2 - t->t_prev) * (float)BSTEP__TRUNK_RATE_HZ;
    t->tval[(uint64_t)k % BSTEP__TIMING_RING] = m2;
    t->t_prev = m2;
    t->tslope_k0 = k;
    if (t->tslope_count < BSTEP__TIMING_RING)
        t->tslope_count++;
}

/* Contact time from the coarse rise t_s: in the timing chain, the first local peak within
 * -0.1..+0.2 s that reaches half of the largest one there, and the steepest rise into it (at
 * most 80 ms before it), parabola-interpolated. Returns t_s unchanged if the rings do not cover
 * it. */
static double timing_refine(const bstep__trunk_state *t, double t_s)
{
    const double period = GRID_PERIOD_S;
    /* Value entry k describes (k - (n - 1)) * period, slope entry k (k - (n - 1) - 0.5) * period.
     */
    const double vshift = (double)(t->timing.n - 1), shift = vshift + 0.5;
    const int64_t oldest = t->tslope_k0 - (int64_t)t->tslope_count + 1;
    int64_t vlo = (int64_t)ceil((t_s - 0.1) / period + vshift);
    int64_t vhi = (int64_t)floor((t_s + 0.2) / period + vshift);
    int64_t k, pk = -1, lo, hi, best_k = -1;
    float pv = 0.0f, best = 0.0f;
    if (vhi > t->tslope_k0)
        vhi = t->tslope_k0;
    if (vlo < oldest + 1)
        vlo = oldest + 1;
    if (vhi - vlo < 2)
        return t_s;
    for (k = vlo; k <= vhi; k++) {
        const float v = t->tval[(uint64_t)k % BSTEP__TIMING_RING];
        if (pk < 0 || v > pv) {
            pv = v;
            pk = k;
        }
    }
    for (k = vlo + 1; k < vhi; k++) {
        const float v = t->tval[(uint64_t)k % BSTEP__TIMING_RING];
        if (v > t->tval[(uint64_t)(k - 1) % BSTEP__TIMING_RING] &&
            v >= t->tval[(uint64_t)(k + 1) % BSTEP__TIMING_RING] && v >= 0.5f * pv) {
            pk = k;
            break;
        }
    }
    /* the rise into that peak: back to the preceding local minimum, at most 80 ms (the collision
     * rise at the pelvis takes 40-60 ms in the mean profiles of both lower-back datasets) */
    hi = pk;
    lo = pk;
    while (lo - 1 > oldest && lo > pk - (int64_t)lround(0.08 / period) &&
           t->tval[(uint64_t)(lo - 1) % BSTEP__TIMING_RING] <
               t->tval[(uint64_t)lo % BSTEP__TIMING_RING])
        lo--;
    lo++; /* slope entry lo is the rise from value lo - 1 to lo */
    if (lo - 1 < oldest)
        lo = oldest + 1;
    if (hi + 1 > t->tslope_k0)
        hi = t->tslope_k0 - 1;
    if (hi < lo)
        return t_s;
    for (k = lo; k <= hi; k++) {
        const float v = t->tslope[(uint64_t)k % BSTEP__TIMING_RING];
        if (best_k < 0 || v > best) {
            best = v;
            best_k = k;
        }
    }
    {
        const float s0 = t->tslope[(uint64_t)(best_k - 1) % BSTEP__TIMING_RING];
        const float s2 = t->tslope[(uint64_t)(best_k + 1) % BSTEP__TIMING_RING];
        const float den = s0 - 2.0f * best + s2;
        double tc = ((double)best_k - shift) * period;
        if (den < 0.0f) {
            float off = 0.5f * (s0 - s2) / den;
            if (off > 0.5f)
                off = 0.5f;
            if (off < -0.5f)
                off = -0.5f;
            tc += (double)off * period;
        }
        return tc;
    }
}

/* The median of the recent step times (s), 0.55 s (a typical step) before there are any. */
static float recent_step_s(const bstep__trunk_state *t)
{
    float v[BSTEP__TRUNK_STEPS];
    int i, j, n = t->nsteps_hist;
    if (n <= 0)
        return 0.55f;
    for (i = 0; i < n; i++) { /* insertion sort of at most 6 values */
        const float x = t->step_s[i];
        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v[n / 2];
}

/* Whether the contact may be timed by the forward braking (ap_refine): walking forward by the
 * recent strides' scores, or in the bout that teaches the front axis (assumed forward). Walking
 * backward the collision should brake along +front, but no real backward trunk recording exists
 * to confirm the transient and the simulator has none, so backward contacts keep the vertical
 * timing alone. */
static int ap_forward(const bstep__trunk_state *t)
{
    float sum = 0.0f;
    int n;
    if (!t->front_known)
        return 1;
    if (t->dir_recent_n <= 0)
        return 0;
    for (n = 0; n < t->dir_recent_n; n++)
        sum += t->dir_recent[n];
    return sum > 0.0f;
}

/* The same contact from the horizontal acceleration along the walking direction: the leading
 * leg's collision brakes the body, so the forward acceleration peaks and then drops steeply
 * (Zijlstra & Hof, Gait Posture 2003, time the initial contact at this forward-acceleration
 * peak). Within -0.1..+0.2 s of the vertical estimate t_v, on the same light smoothing, the
 * steepest drop of a_front and the local maximum it falls from (at most 0.2 s back),
 * parabola-refined. Walking forward only (see ap_forward).
 * Returns NAN if the ring does not cover the window or the drop is no braking transient. */
/* Horizontal acceleration along the braking axis at grid index k, recovered exactly from the
 * leaky velocity integral: vh(k) = vh(k - 1) (1 - dt / tau) + a(k) dt. */
static float ap_at(const bstep__trunk_state *t, int64_t k)
{
    const float *v1 = t->vring[(uint64_t)k % BSTEP__TRUNK_VRING],
                *v0 = t->vring[(uint64_t)(k - 1) % BSTEP__TRUNK_VRING];
    const float keep = 1.0f - BSTEP__TRUNK_DT_S / VH_TAU_S;
    float d[3];
    int i;
    for (i = 0; i < 3; i++)
        d[i] = v1[i] - keep * v0[i];
    return bstep__dot3(d, t->ap_axis) / BSTEP__TRUNK_DT_S;
}

static double ap_refine(const bstep__trunk_state *t, double t_v, float step_s)
{
    const double period = GRID_PERIOD_S;
    const int n = t->timing.n, h = n - 1;
    const int64_t oldest = t->tslope_k0 - (int64_t)t->tslope_count + 1;
    const int64_t jlo = (int64_t)ceil((t_v - 0.1) / period);
    int64_t a0 = jlo - 21, a1 = (int64_t)floor((t_v + 0.2) / period), j, jd = -1, jm, je;
    float b[BSTEP__TIMING_RING], c1[BSTEP__TIMING_RING], best = 0.0f;
    if (a0 < oldest + h + 1) /* ap_at reads one sample further back */
        a0 = oldest + h + 1;
    if (a1 > t->tslope_k0 - h)
        a1 = t->tslope_k0 - h;
    if (a1 - a0 < 4 || a1 - a0 >= BSTEP__TIMING_RING)
        return (double)NAN;
    /* two cascaded centred moving averages of n (odd) samples, as running sums */
    {
        const int hb = h / 2;
        const int64_t lo1 = a0 - hb, hi1 = a1 + hb;
        const float inv = 1.0f / ((float)n * (float)n);
        float run = 0.0f;
        if (hi1 - lo1 >= BSTEP__TIMING_RING)
            return (double)NAN;
        for (j = lo1 - hb; j <= lo1 + hb; j++)
            run += ap_at(t, j);
        c1[0] = run;
        for (j = lo1 + 1; j <= hi1; j++) {
            run += ap_at(t, j + hb) - ap_at(t, j - hb - 1);
            c1[j - lo1] = run;
        }
        run = 0.0f;
        for (j = 0; j <= 2 * hb; j++)
            run += c1[j];
        b[0] = run * inv;
        for (j = a0 + 1; j <= a1; j++) {
            run += c1[j + hb - lo1] - c1[j - hb - 1 - lo1];
            b[j - a0] = run * inv;
        }
    }
    for (j = (jlo > a0 + 1 ? jlo : a0 + 1); j <= a1; j++) {
        const float d = b[j - a0] - b[j - 1 - a0];
        if (jd < 0 || d < best) {
            best = d;
            jd = j;
        }
    }
    if (jd < 0 || !(best < 0.0f))
        return (double)NAN;
    jm = jd - 1;
    while (jm - 1 >= a0 && b[jm - 1 - a0] > b[jm - a0] && jd - jm < 20)
        jm--;
    je = jd;
    while (je + 1 <= a1 && b[je + 1 - a0] < b[je - a0] && je - jd < 30)
        je++;
    {
        /* A braking transient, not the pendulum's own fore-aft swing: a sinusoid at the step
         * frequency 1/T with the drop's size D falls at most pi D / T; the collision is at
         * least twice as steep (real lower-back data: 3x median, the pendulum-only simulator
         * 0.6x), and D >= 0.5 m/s^2 (real drops 1.3-7 m/s^2, above the smoothed noise). */
        const float drop = b[jm - a0] - b[je - a0];
        const float steep_mps3 = -best / (float)period;
        if (!(drop >= 0.5f) || !(steep_mps3 * step_s >= 2.0f * 3.14159265f * drop))
            return (double)NAN;
    }
    {
        double tm = (double)jm * period;
        if (jm - 1 >= a0 && jm + 1 <= a1) {
            const float y0 = b[jm - 1 - a0], y1 = b[jm - a0], y2 = b[jm + 1 - a0];
            const float den = y0 - 2.0f * y1 + y2;
            if (den < 0.0f) {
                float off = 0.5f * (y0 - y2) / den;
                off = off > 0.5f ? 0.5f : (off < -0.5f ? -0.5f : off);
                tm += (double)off * period;
            }
        }
        return tm;
    }
}

/* ---- per-step measures --------------------------------------------------------------------- */

/* Horizontal velocity (sensor frame) at time t_s from the ring (nearest grid point; the oldest
 * kept one if t_s is older). */
static void vh_at(const bstep__trunk_state *t, int64_t k_now, double t_s, float out[3])
{
    int64_t k = (int64_t)llround(t_s / GRID_PERIOD_S);
    int i;
    if (k > k_now)
        k = k_now;
    if (k < k_now - (BSTEP__TRUNK_VRING - 1))
        k = k_now - (BSTEP__TRUNK_VRING - 1);
    for (i = 0; i < 3; i++)
        out[i] = t->vring[(uint64_t)k % BSTEP__TRUNK_VRING][i];
}

/* The unit front axis made horizontal for the window's mean up u; 0 if not possible. */
static int front_horizontal(const bstep__trunk_state *t, const float u[3], float f[3])
{
    const float d = bstep__dot3(t->front_s, u);
    int i;
    for (i = 0; i < 3; i++)
        f[i] = t->front_s[i] - d * u[i];
    return bstep__norm3(f) > 0.3f; /* a front axis within 17 deg of vertical is unusable */
}

/* A stride with a flight phase (running), see RUN_FLIGHT_MPS2. */
static int is_running(const bstep__trunk_win *w1, const bstep__trunk_win *w2)
{
    return w1->vmin < -RUN_FLIGHT_MPS2 && (w2 == NULL || w2->vmin < -RUN_FLIGHT_MPS2);
}

/* Direction score of a stride (two step windows, or one): +1 clearly forward, -1 clearly
 * backward. Needs the front axis. */
static float direction_score(const bstep__trunk_state *t, const bstep__trunk_win *w1,
                             const bstep__trunk_win *w2)
{
    float u[3], f[3], m[3];
    int i;
    for (i = 0; i < 3; i++) {
        u[i] = w1->up[i] + (w2 ? w2->up[i] : 0.0f);
        m[i] = w1->m[i] + (w2 ? w2->m[i] : 0.0f);
    }
    if (bstep__norm3(u) <= 0.0f)
        return 0.0f;
    if (t->pocket) {
        /* skewness of the flexion rate over the stride */
        const float n = (float)(w1->n + (w2 ? w2->n : 0u));
        const float m2 = (w1->f2 + (w2 ? w2->f2 : 0.0f)) / n;
        const float m3 = (w1->f3 + (w2 ? w2->f3 : 0.0f)) / n;
        float g;
        if (!(n > 0.0f && m2 > 1.0f)) /* below 1 deg/s RMS there is no swing to read */
            return 0.0f;
        g = m3 / (m2 * sqrtf(m2));
        return g > 1.0f ? 1.0f : (g < -1.0f ? -1.0f : g);
    }
    {
        const float nm = sqrtf(bstep__dot3(m, m));
        /* Running (a flight phase: the pelvis falls freely, its vertical acceleration reaches
         * about -1 g) is a spring-mass bounce: kinetic and potential energy in phase, the
         * opposite of the pendulum (algorithms.md section 7), so the sign flips. */
        const int running = is_running(w1, w2);
        if (!front_horizontal(t, u, f) || !(nm > 0.0f))
            return 0.0f;
        /* sum a_front v_z < 0 walking forward */
        return (running ? 1.0f : -1.0f) * bstep__dot3(f, m) / nm;
    }
}

/* Principal eigenvector of a symmetric 3x3 matrix (power iteration). */
static void principal_axis(const float c[6], float v[3])
{
    /* c = xx, xy, xz, yy, yz, zz */
    const float m[3][3] = {{c[0], c[1], c[2]}, {c[1], c[3], c[4]}, {c[2], c[4], c[5]}};
    int it, i, best = 0;
    float bn = -1.0f;
    for (i = 0; i < 3; i++) {
        const float n = m[i][0] * m[i][0] + m[i][1] * m[i][1] + m[i][2] * m[i][2];
        if (n > bn) {
            bn = n;
            best = i;
        }
    }
    v[0] = m[best][0];
    v[1] = m[best][1];
    v[2] = m[best][2];
    for (it = 0; it < 30; it++) {
        float w[3];
        for (i = 0; i < 3; i++)
            w[i] = m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2];
        if (!(bstep__norm3(w) > 0.0f))
            break;
        v[0] = w[0];
        v[1] = w[1];
        v[2] = w[2];
    }
}

/* --front-axis auto: learn the front axis from the engine's current (first) bout, assumed
 * forward. Lower back: the front is along -sum(a_h v_z) (a_front = -c v_z walking forward),
 * accepted when the per-step directions agree (mean resultant length >= 0.8, about 37 deg of
 * circular spread). Pocket: the thigh's rotation axis is the principal axis of the angular
 * rate; its sign makes the flexion rate positively skewed (swing = flexion walking forward);
 * the front axis is up x that axis. */
static void try_calibrate(bstep__trunk_state *t, const float up[3])
{
    int i;
    if (t->pocket) {
        const float n = (float)t->eb_gn;
        float c[6], mu[3], ax[3], f[3], skew = 0.0f;
        int a, b, d, idx;
        if (t->eb_gn < 100u)
            return;
        for (i = 0; i < 3; i++)
            mu[i] = t->eb_g1[i] / n;
        idx = 0;
        for (a = 0; a < 3; a++)
            for (b = a; b < 3; b++, idx++)
                c[idx] = t->eb_g2[idx] / n - mu[a] * mu[b];
        principal_axis(c, ax);
        /* third central moment along ax from the raw moments */
        {
            float s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
            idx = 0;
            for (a = 0; a < 3; a++)
                s1 += ax[a] * mu[a];
            idx = 0;
            for (a = 0; a < 3; a++)
                for (b = a; b < 3; b++, idx++)
                    s2 += (a == b ? 1.0f : 2.0f) * ax[a] * ax[b] * t->eb_g2[idx] / n;
            idx = 0;
            for (a = 0; a < 3; a++)
                for (b = a; b < 3; b++)
                    for (d = b; d < 3; d++, idx++) {
                        const float mult = (a == b && b == d)   ? 1.0f
                                           : (a == b || b == d) ? 3.0f
                                                                : 6.0f;
                        s3 += mult * ax[a] * ax[b] * ax[d] * t->eb_g3[idx] / n;
                    }
            skew = s3 - 3.0f * s1 * s2 + 2.0f * s1 * s1 * s1;
        }
        if (skew == 0.0f)
            return;
        if (skew < 0.0f)
            for (i = 0; i < 3; i++)
                ax[i] = -ax[i];
        bstep__cross3(up, ax, f); /* front = up x (flexion axis = right) */
        if (!(bstep__norm3(f) > 0.3f))
            return;
        memcpy(t->front_s, f, sizeof(f));
    } else {
        float f[3];
        const float resultant = sqrtf(bstep__dot3(t->eb_unit, t->eb_unit)) / (float)t->eb_unit_n;
        if (t->eb_unit_n < 4 || resultant < 0.8f)
            return;
        for (i = 0; i < 3; i++)
            f[i] = -t->eb_m[i];
        if (!(bstep__norm3(f) > 0.0f))
            return;
        memcpy(t->front_s, f, sizeof(f));
    }
    t->front_known = 1;
    t->front_calibrated = 1;
}

/* A confirmed contact at tc (s). */
static void on_contact(bstep_analyzer *a, double tc, int64_t k_now, bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const bstep_analyzer_settings *cfg = &a->cfg;
    bstep_event e =
        bstep__make_event(BSTEP_EVENT_INITIAL_CONTACT, (bstep_time_us)llround(tc * 1e6), now_us);
    const int consecutive = t->have_step && tc - t->last_step_t_s <= (double)cfg->max_bout_pause_s;
    const float st = consecutive ? (float)(tc - t->last_step_t_s) : NAN;
    const float prev_st = t->nsteps_hist > 0 ? t->step_s[0] : NAN;
    float vh_now[3], up[3], jerk = 0.0f, score = 0.0f;
    int i;

    /* Close the step window. */
    if (consecutive) {
        t->win2 = t->win1;
        t->win1 = t->win;
        if (t->nwin < 2)
            t->nwin++;
    } else {
        t->nwin = 0;
        t->nsteps_hist = 0;
        t->dir_recent_n = 0;
        t->have_foot = 0;
        t->foot_evidence = 0.0f;
    }
    win_clear(&t->win);
    vh_at(t, k_now, tc, vh_now);

    if (!t->eb_open || !consecutive) {
        eb_clear(t);
        t->eb_open = 1;
    }
    t->eb_steps++;
    if (consecutive) {
        /* the integration's high-pass follows the step frequency (see HP_VEL_HZ) */
        float fc = 0.6f / st;
        fc = fc > HP_VEL_HZ ? HP_VEL_HZ : (fc < HP_MIN_HZ ? HP_MIN_HZ : fc);
        t->hp_fc += 0.3f * (fc - t->hp_fc);
        hp_design(t->hp_c[1], t->hp_fc);
        hp_design(t->hp_c[2], t->hp_fc);
        if (isfinite(prev_st) && t->eb_steps >= 3) { /* a stride: this step and the one before */
            const float stride = st + prev_st;
            int bin = (int)lroundf((stride - 0.5f) * 100.0f);
            bin = bin < 0 ? 0 : (bin >= BSTEP__TRUNK_HIST ? BSTEP__TRUNK_HIST - 1 : bin);
            if (t->eb_hist[bin] < 65535u) {
                t->eb_hist[bin]++;
                t->eb_cad_sum += 120.0 / (double)stride;
                t->eb_cad_n++;
            }
        }
        t->eb_step_sum += (double)st;
        t->eb_step_n++;
        t->ac_commit_count = t->ac_count;
        {
            int m;
            for (m = 0; m < BSTEP__TRUNK_LAGS; m++)
                t->ac_commit[m] = t->ac_sum[m] + (double)t->ac_part[m];
        }
    }

    if (consecutive && t->nwin >= 1) {
        const bstep__trunk_win *w1 = &t->win1, *w2 = t->nwin >= 2 ? &t->win2 : NULL;
        float nup;
        memcpy(up, w1->up, sizeof(up));
        nup = bstep__norm3(up);
        jerk = w1->jerk_max;
        if (nup > 0.0f)
            for (i = 0; i < 3; i++)
                t->eb_up[i] += up[i];
        /* no quiet stance before walking: the first 8 steps' walking posture is the upright
         * reference (lower back); not while an impact waits for stillness (fall_point): the
         * "steps" after a fall are the body moving on the ground, and a reference learned
         * from them would hide the fall's change of orientation */
        if (!t->pocket && !t->have_up_ref && t->eb_steps >= 8 && t->fall_phase == 0) {
            float u[3];
            memcpy(u, t->eb_up, sizeof(u));
            if (bstep__norm3(u) > 0.0f) {
                memcpy(t->up_ref, u, sizeof(u));
                t->have_up_ref = 1;
            }
        }
        /* calibration data (auto front axis) */
        if (!t->front_known) {
            /* per stride (two steps), where the lateral sway of the two steps cancels; a
             * running stride counts with the opposite sign (see direction_score) */
            const float sg = is_running(w1, w2) ? -1.0f : 1.0f;
            float mu[3];
            for (i = 0; i < 3; i++) {
                mu[i] = sg * (w1->m[i] + (w2 ? w2->m[i] : 0.0f));
                t->eb_m[i] += sg * w1->m[i];
            }
            if (w2 != NULL && bstep__norm3(mu) > 0.0f) {
                for (i = 0; i < 3; i++)
                    t->eb_unit[i] += mu[i];
                t->eb_unit_n++;
            }
            if (!t->front_known && t->eb_steps >= cfg->front_calibration_steps && nup > 0.0f)
                try_calibrate(t, up);
        }
        /* direction */
        if (t->front_known) {
            float sum = 0.0f;
            int n;
            score = direction_score(t, w1, w2);
            memmove(t->dir_recent + 1, t->dir_recent, 2 * sizeof(float));
            t->dir_recent[0] = score;
            if (t->dir_recent_n < 3)
                t->dir_recent_n++;
            for (n = 0; n < t->dir_recent_n; n++)
                sum += t->dir_recent[n];
            sum /= (float)t->dir_recent_n;
            e.direction = sum >= 0.0f ? BSTEP_DIRECTION_FORWARD : BSTEP_DIRECTION_BACKWARD;
            e.confidence = fabsf(sum);
            t->eb_score += score;
            if (e.direction == BSTEP_DIRECTION_FORWARD)
                t->eb_fw++;
            else
                t->eb_bw++;
        } else if (cfg->front_axis == BSTEP_AXIS_AUTO) {
            /* --front-axis auto: the bout that teaches the front axis is assumed forward */
            e.direction = BSTEP_DIRECTION_FORWARD;
        }
        /* left/right (lower back): lateral velocity change since the previous contact */
        if (!t->pocket && t->front_known && t->have_vh_ic && nup > 0.0f) {
            float f[3], l[3], dv[3];
            if (front_horizontal(t, up, f)) {
                float ev;
                bstep__cross3(up, f, l);
                for (i = 0; i < 3; i++)
                    dv[i] = vh_now[i] - t->vh_at_ic[i];
                ev = bstep__dot3(dv, l) / LR_FULL_MPS;
                ev = ev > 1.0f ? 1.0f : (ev < -1.0f ? -1.0f : ev);
                /* dv to the left: the step began on the right foot, so this contact is left */
                t->foot_evidence = -LR_MEMORY * t->foot_evidence + ev;
                t->have_foot = 1;
                e.foot = t->foot_evidence >= 0.0f ? BSTEP_FOOT_LEFT : BSTEP_FOOT_RIGHT;
            }
        }
        /* step length */
        {
            const int bw = e.direction == BSTEP_DIRECTION_BACKWARD;
            float len = NAN;
            if (t->pocket) {
                const float cadence = 60.0f / st;
                len =
                    (bw ? WALK_RATIO_BW : WALK_RATIO_FW) * cadence * (cfg->sensor_height_m / 0.93f);
            } else if (w1->hmax > w1->hmin) {
                const float d = w1->hmax - w1->hmin, l = cfg->sensor_height_m;
                const float q = 2.0f * l * d - d * d;
                len = q > 0.0f ? 2.0f * sqrtf(q) * cfg->step_length_factor : NAN;
                if (bw)
                    len *= cfg->backward_step_factor;
            }
            len *= cfg->step_length_scale;
            e.step_length_m = len;
            if (isfinite(len) && isfinite(t->prev_step_len_m))
                e.stride_length_m = len + t->prev_step_len_m;
            t->prev_step_len_m = len;
        }
        /* posture over the step */
        if (!t->pocket && nup > 0.0f && t->have_up_ref && t->front_known) {
            float sag, side;
            bstep__trunk_lean(up, t->up_ref, t->front_s, &sag, &side);
            e.trunk_lean_deg = sag;
            e.side_lean_deg = side;
            bstep__trunk_posture_step(a, tc, sag, side, now_us);
        }
    } else {
        t->prev_step_len_m = NAN;
    }
    memcpy(t->vh_at_ic, vh_now, sizeof(vh_now));
    t->have_vh_ic = 1;

    e.value = st;
    if (consecutive && isfinite(prev_st))
        e.stride_time_s = st + prev_st;
    if (consecutive) {
        memmove(t->step_s + 1, t->step_s, (BSTEP__TRUNK_STEPS - 1) * sizeof(float));
        memmove(t->jerk_s + 1, t->jerk_s, (BSTEP__TRUNK_STEPS - 1) * sizeof(float));
        t->step_s[0] = st;
        t->jerk_s[0] = jerk;
        if (t->nsteps_hist < BSTEP__TRUNK_STEPS)
            t->nsteps_hist++;
    }
    t->last_step_t_s = tc;
    t->have_step = 1;
    ap_axis_update(t);
    bstep__trunk_safety_contact(a, tc, st, prev_st, jerk, now_us);
    bstep__bout_event(a, &e);
}

/* Step detection on one filtered grid value y whose own time (filter delay removed) is t_s.
 * A step is a rise of the vertical acceleration from below zero to a peak of at least
 * min_step_peak_mps2, confirmed once the signal has passed its peak. */
static void trunk_detect(bstep_analyzer *a, float y, double t_s, int64_t k_now,
                         bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const float thr = a->cfg.min_step_peak_mps2;
    const double period = GRID_PERIOD_S;
    const float slope = (y - t->y_prev) / (float)period; /* at t_s - period / 2 */
    /* Warm-up: the moving averages need a full window before their output means anything. */
    if (t->grid_count < (uint32_t)(2 * t->smooth.n)) {
        t->y_prev = y;
        t->slope_prev = slope;
        return;
    }
    if (y < 0.0f && !t->have_cand) {
        /* Below the mean: a new rise may start; restart the slope search at each new low and
         * whenever the signal falls back below zero (a rise that peaked under the threshold is
         * no step, and the one that reaches it must not take its steepest slope from it). */
        if (!t->armed || y <= t->cand_peak || t->y_prev >= 0.0f) {
            t->armed = 1;
            t->cand_peak = y; /* lowest value so far */
            t->best_slope = 0.0f;
            t->seg_base_mps2 = y;
            t->stall_rise_mps2 = 0.0f;
        } else if (t->best_slope > 0.0f && slope < STEP_STALL_FRAC * t->best_slope) {
            /* a stalled rise (STEP_STALL_FRAC): remember it, time the next one */
            const float rise = y - t->seg_base_mps2;
            if (rise > t->stall_rise_mps2) {
                t->stall_rise_mps2 = rise;
                t->stall_t_s = t->best_slope_t_s;
            }
            t->seg_base_mps2 = y;
            t->best_slope = 0.0f;
        } else if (y < t->seg_base_mps2) {
            t->seg_base_mps2 = y;
        }
    }
    if (t->armed && slope > t->best_slope) {
        t->best_slope = slope;
        t->best_slope_t_s = t_s - 0.5 * period;
        t->slope_before = t->slope_prev;
        t->slope_after_pending = 1;
    } else if (t->armed && t->slope_after_pending) {
        /* Parabolic refinement with the slopes just before and after the largest one. */
        const float s0 = t->slope_before, s1 = t->best_slope, s2 = slope;
        const float den = s0 - 2.0f * s1 + s2;
        if (den < 0.0f) {
            float off = 0.5f * (s0 - s2) / den;
            if (off > 0.5f)
                off = 0.5f;
            if (off < -0.5f)
                off = -0.5f;
            t->best_slope_t_s += (double)off * period;
        }
        t->slope_after_pending = 0;
    }
    if (t->armed && !t->have_cand &&
        (y >= thr || (y >= 0.0f && y - t->cand_peak >= STEP_RISE_MPS2 && t->have_step &&
                      t_s - t->last_step_t_s <= (double)(STEP_RISE_GAP * recent_step_s(t)))))
        t->have_cand = 1;
    if (t->have_cand && slope <= 0.0f) {
        /* Past the peak: one step. */
        const float rise = t->y_prev - t->cand_peak; /* from its low, for STEP_HUMP_FRAC */
        /* the collision is the larger of a stalled rise and the one that reached the peak */
        if (t->stall_rise_mps2 > t->y_prev - t->seg_base_mps2)
            t->best_slope_t_s = t->stall_t_s;
        if (!t->have_step ||
            t->best_slope_t_s - t->last_coarse_t_s >= (double)a->cfg.min_step_interval_s) {
            double tc = timing_refine(t, t->best_slope_t_s);
            if (t->ap_have && ap_forward(t)) {
                const double tap = ap_refine(t, tc, recent_step_s(t));
                /* two markers of one collision whose errors differ (a push-off hump before
                 * the vertical rise; a soft braking): their mean */
                if (isfinite(tap))
                    tc = 0.5 * (tc + tap);
            }
            /* a second hump of the last step's stance (STEP_HUMP_FRAC), once a rhythm is known */
            if (!(t->have_step && t->nsteps_hist >= 3 &&
                  tc - t->last_step_t_s < (double)(STEP_HUMP_FRAC * recent_step_s(t)) &&
                  rise < STEP_HUMP_FRAC * t->last_rise_mps2)) {
                t->last_coarse_t_s = t->best_slope_t_s;
                t->last_rise_mps2 = rise;
                on_contact(a, tc, k_now, now_us);
            }
        }
        t->have_cand = 0;
        t->armed = 0;
    }
    t->y_prev = y;
    t->slope_prev = slope;
}

/* ---- the grid ---------------------------------------------------------------------------- */

/* acc[m] += x0 y0[m] + x1 y1[m] + x2 y2[m] for m < lags (distinct arrays: vectorisable). */
static void ac_lags(float *restrict acc, const float *restrict y0, const float *restrict y1,
                    const float *restrict y2, float x0, float x1, float x2, int lags)
{
    int m;
    if (lags == BSTEP__TRUNK_LAGS) { /* a constant trip count */
        for (m = 0; m < BSTEP__TRUNK_LAGS; m++)
            acc[m] += x0 * y0[m] + x1 * y1[m] + x2 * y2[m];
    } else {
        for (m = 0; m < lags; m++)
            acc[m] += x0 * y0[m] + x1 * y1[m] + x2 * y2[m];
    }
}

/* Autocorrelation accumulation at 20 Hz (5 grid points per bin) while the engine's bout is
 * open: for every lag m, the sum of a(i) . a(i - m) of the 3-axis acceleration (gravity removed,
 * sensor frame: the sum of the three axes' autocorrelations, orientation-free). */
static void autocorr_point(bstep__trunk_state *t, const float lin[3])
{
    int i, m;
    t->ac_bin[0] += lin[0];
    t->ac_bin[1] += lin[1];
    t->ac_bin[2] += lin[2];
    if (++t->ac_bin_n < 5)
        return;
    {
        float x[3];
        const uint32_t c = t->ac_count,
                       lags = c + 1u < BSTEP__TRUNK_LAGS ? c + 1u : BSTEP__TRUNK_LAGS;
        for (i = 0; i < 3; i++) {
            x[i] = t->ac_bin[i] / 5.0f;
            t->ac_bin[i] = 0.0f;
        }
        t->ac_bin_n = 0;
        {
            /* newest first: ring[axis][pos + m] is the value m bins back; float partial sums
             * (vectorisable) folded into the double totals once a second */
            const uint32_t pos = (BSTEP__TRUNK_LAGS - 1u) - (c & (BSTEP__TRUNK_LAGS - 1u));
            const float *y0 = t->ac_ring[0] + pos, *y1 = t->ac_ring[1] + pos,
                        *y2 = t->ac_ring[2] + pos;
            for (i = 0; i < 3; i++)
                t->ac_ring[i][pos] = t->ac_ring[i][pos + BSTEP__TRUNK_LAGS] = x[i];
            ac_lags(t->ac_part, y0, y1, y2, x[0], x[1], x[2], (int)lags);
            if (++t->ac_part_n >= 20) {
                for (m = 0; m < BSTEP__TRUNK_LAGS; m++) {
                    t->ac_sum[m] += (double)t->ac_part[m];
                    t->ac_part[m] = 0.0f;
                }
                t->ac_part_n = 0;
            }
        }
        t->ac_count = c + 1u;
    }
}

static void grid_point(bstep_analyzer *a, int64_t k, const float *rec, int has_gyro,
                       bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const float dt = BSTEP__TRUNK_DT_S;
    const float v = rec[BSTEP__REC_V];
    float up[3], lin[3], hv, jerk;
    int i;
    memcpy(up, rec + BSTEP__REC_UP, sizeof(up));
    bstep__norm3(up);

    /* double integration of the vertical acceleration through high-pass filters */
    hv = hp_run(t->hp_c[0], t->hp_z[0], v);
    t->vint = t->vint * (1.0f - dt / LEAK_TAU_S) + hv * dt;
    t->vz = hp_run(t->hp_c[1], t->hp_z[1], t->vint);
    t->hint = t->hint * (1.0f - dt / LEAK_TAU_S) + t->vz * dt;
    t->hz = hp_run(t->hp_c[2], t->hp_z[2], t->hint);
    /* horizontal velocity, sensor frame (leaky integral) */
    for (i = 0; i < 3; i++)
        t->vh[i] = t->vh[i] * (1.0f - dt / VH_TAU_S) + rec[BSTEP__REC_HS + i] * dt;
    memcpy(t->vring[(uint64_t)k % BSTEP__TRUNK_VRING], t->vh, sizeof(t->vh));
    jerk = fabsf(v - t->v_prev_grid) / dt;
    t->v_prev_grid = v;

    /* the open step window */
    {
        bstep__trunk_win *w = &t->win;
        if (t->hz > w->hmax)
            w->hmax = t->hz;
        if (t->hz < w->hmin)
            w->hmin = t->hz;
        for (i = 0; i < 3; i++) {
            w->m[i] += rec[BSTEP__REC_HS + i] * t->vz;
            w->up[i] += up[i];
        }
        if (jerk > w->jerk_max && w->n > 0)
            w->jerk_max = jerk;
        if (t->t_prev < w->vmin) /* lightly smoothed (impact ringing is not a flight phase) */
            w->vmin = t->t_prev;
        if (t->pocket && has_gyro && t->front_known) {
            float r[3], f[3], wf;
            if (front_horizontal(t, up, f)) {
                bstep__cross3(f, up, r); /* right = flexion axis */
                wf = bstep__dot3(rec + BSTEP__REC_W, r);
                w->f2 += wf * wf;
                w->f3 += wf * wf * wf;
            }
        }
        w->n++;
    }
    /* pocket calibration: moments of the angular rate over the first bout */
    if (t->pocket && has_gyro && !t->front_known && t->eb_open) {
        /* written out (xx, xy, xz, yy, yz, zz; then xxx, xxy, ... zzz): the nested loops with
         * their triangular bounds were not unrolled and cost 250 instructions per sample */
        const float *w = rec + BSTEP__REC_W;
        const float x = w[0], y = w[1], z = w[2];
        const float xx = x * x, xy = x * y, xz = x * z, yy = y * y, yz = y * z, zz = z * z;
        float *g2 = t->eb_g2, *g3 = t->eb_g3;
        t->eb_g1[0] += x;
        t->eb_g1[1] += y;
        t->eb_g1[2] += z;
        g2[0] += xx;
        g2[1] += xy;
        g2[2] += xz;
        g2[3] += yy;
        g2[4] += yz;
        g2[5] += zz;
        g3[0] += xx * x;
        g3[1] += xx * y;
        g3[2] += xx * z;
        g3[3] += xy * y;
        g3[4] += xy * z;
        g3[5] += xz * z;
        g3[6] += yy * y;
        g3[7] += yy * z;
        g3[8] += yz * z;
        g3[9] += zz * z;
        t->eb_gn++;
    }
    /* regularity */
    for (i = 0; i < 3; i++)
        lin[i] = rec[BSTEP__REC_HS + i] + v * up[i];
    if (t->eb_open)
        autocorr_point(t, lin);

    /* steps */
    {
        const float y = trunk_filter(t, v);
        /* Delay of two moving averages of odd length n: 2 * (n - 1) / 2 grid periods. */
        const double t_s = (double)(k - (t->smooth.n - 1)) * GRID_PERIOD_S;
        timing_filter(t, k, v);
        t->y_last = y;
        trunk_detect(a, y, t_s, k, now_us);
    }
    /* posture, look-back, falls */
    {
        bstep__trunk_point p;
        p.t_s = (double)k * GRID_PERIOD_S;
        p.rec = rec;
        memcpy(p.up, up, sizeof(up));
        for (i = 0; i < 3; i++)
            p.a[i] = rec[BSTEP__REC_HS + i] + (v + G) * up[i];
        p.has_gyro = has_gyro;
        p.now_us = now_us;
        bstep__trunk_safety_point(a, &p);
    }
}

static void bin_flush(bstep_analyzer *a, int64_t k_next, int has_gyro, bstep_time_us now_us)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const float inv = 1.0f / (float)t->grid_n;
    float rec[BSTEP__REC_N];
    int64_t j;
    int i;
    rec[BSTEP__REC_V] = t->bin_v * inv;
    for (i = 0; i < 3; i++) {
        rec[BSTEP__REC_HS + i] = t->bin_hs[i] * inv;
        rec[BSTEP__REC_UP + i] = t->bin_up[i] * inv;
        rec[BSTEP__REC_W + i] = t->bin_w[i] * inv;
    }
    rec[BSTEP__REC_AMAX] = sqrtf(t->bin_amax);
    rec[BSTEP__REC_AMIN] = sqrtf(t->bin_amin);
    grid_point(a, t->grid_k, rec, has_gyro, now_us);
    /* Empty bins inside a short hole: bridged linearly towards the next sample's bin, which is
     * approximated by this one (holes are at most the gap limit, 0.25 s). */
    if (t->have_prev_rec) {
        for (j = t->grid_k + 1; j < k_next; j++) {
            float r[BSTEP__REC_N];
            const float f = (float)(j - t->grid_k) / (float)(k_next - t->grid_k);
            for (i = 0; i < BSTEP__REC_N; i++)
                r[i] = rec[i] + f * (t->prev_rec[i] - rec[i]);
            grid_point(a, j, r, has_gyro, now_us);
        }
    } else {
        for (j = t->grid_k + 1; j < k_next; j++)
            grid_point(a, j, rec, has_gyro, now_us);
    }
    memcpy(t->prev_rec, rec, sizeof(rec));
    t->have_prev_rec = 1;
}

void bstep__trunk_update(bstep_analyzer *a, const bstep_imu_sample *s)
{
    bstep__trunk_state *t = &a->eng.trunk;
    const float a2 = bstep__dot3(s->accel_mps2, s->accel_mps2);
    const float w2 = bstep__dot3(s->gyro_dps, s->gyro_dps);
    int has_gyro = (s->flags & BSTEP_SAMPLE_HAS_GYRO) != 0;
    bstep_imu_sample cp;
    float up[3], av, hs[3], an;
    int64_t k;
    int i;
    /* Physically impossible values (beyond 1000 g, or 10^5 deg/s) are corrupt data, not motion:
     * the sample is dropped, or its gyroscope part, so no infinity enters the filters. */
    if (!(a2 < 1e8f))
        return;
    if (has_gyro && !(w2 < 1e10f)) {
        cp = *s;
        cp.flags &= ~BSTEP_SAMPLE_HAS_GYRO;
        cp.gyro_dps[0] = cp.gyro_dps[1] = cp.gyro_dps[2] = 0.0f;
        s = &cp;
        has_gyro = 0;
    }
    bstep_ahrs_update(&t->ahrs, s);
    bstep_ahrs_get_up_sensor(&t->ahrs, up);
    t->saw_gyro |= has_gyro;
    av = bstep__dot3(s->accel_mps2, up);
    for (i = 0; i < 3; i++)
        hs[i] = s->accel_mps2[i] - av * up[i];
    an = a2; /* |a|^2: the root is taken per bin */
    /* Bin index of this sample on the 100 Hz grid (bins centred on multiples of the period). */
    k = (s->t_us + GRID_PERIOD_US / 2) / GRID_PERIOD_US;
    if (s->t_us + GRID_PERIOD_US / 2 < 0)
        k -= 1;
    if (t->grid_have && k != t->grid_k) {
        bin_flush(a, k, has_gyro, s->t_us);
        t->grid_have = 0;
    }
    if (!t->grid_have) {
        t->grid_have = 1;
        t->grid_k = k;
        t->grid_n = 0;
        t->bin_v = 0.0f;
        for (i = 0; i < 3; i++)
            t->bin_hs[i] = t->bin_up[i] = t->bin_w[i] = 0.0f;
        t->bin_amax = an;
        t->bin_amin = an;
    }
    t->bin_v += av - G;
    for (i = 0; i < 3; i++) {
        t->bin_hs[i] += hs[i];
        t->bin_up[i] += up[i];
        t->bin_w[i] += has_gyro ? s->gyro_dps[i] : 0.0f;
    }
    if (an > t->bin_amax)
        t->bin_amax = an;
    if (an < t->bin_amin)
        t->bin_amin = an;
    t->grid_n++;
}

/* ---- bouts (called by the driver) ---------------------------------------------------------- */

void bstep__trunk_bout_open(bstep_analyzer *a)
{
    /* The held contacts were emitted before left/right and direction had much evidence: label
     * them from what is known now (feet alternate backwards from the newest contact). */
    bstep__trunk_state *t = &a->eng.trunk;
    int i, parity = 0;
    float recent = 0.0f; /* the per-step rule: the mean score of the last (up to) three strides */
    for (i = 0; i < t->dir_recent_n; i++)
        recent += t->dir_recent[i] / (float)t->dir_recent_n;
    for (i = a->pending_n - 1; i >= 0; i--) {
        bstep_event *e = &a->pending[i];
        if (e->type != BSTEP_EVENT_INITIAL_CONTACT)
            continue;
        if (t->have_foot && !t->pocket) {
            const int left_now = t->foot_evidence >= 0.0f;
            e->foot = (left_now ^ (parity & 1)) ? BSTEP_FOOT_LEFT : BSTEP_FOOT_RIGHT;
        }
        if (e->direction == BSTEP_DIRECTION_UNKNOWN && t->front_known && t->dir_recent_n > 0) {
            e->direction = recent >= 0.0f ? BSTEP_DIRECTION_FORWARD : BSTEP_DIRECTION_BACKWARD;
            e->confidence = fabsf(recent);
        }
        parity++;
    }
    if (!t->have_up_ref && t->have_last_still) {
        /* upright reference: the quiet stance just before walking */
        float u[3];
        int j;
        memcpy(u, t->win1.up, sizeof(u));
        if (bstep__norm3(u) > 0.0f &&
            acosf(fminf(1.0f, bstep__dot3(u, t->last_still_up))) * BSTEP__RAD2DEG < 30.0f &&
            t->last_step_t_s - t->last_still_end_s < 15.0) {
            for (j = 0; j < 3; j++)
                t->up_ref[j] = t->last_still_up[j];
            t->have_up_ref = 1;
        }
    }
}

int bstep__trunk_from_standing(const bstep_analyzer *a, bstep_time_us t_us)
{
    const bstep__trunk_state *t = &a->eng.trunk;
    const double dt = (double)t_us * 1e-6 - t->last_still_end_s;
    /* the anticipatory postural adjustment before the first toe-off takes about 0.5 s */
    return t->have_last_still && dt >= -0.5 && dt <= 1.0;
}

/* Median of a histogram of n counts, in bins. */
static int hist_median16(const uint16_t *h, int bins, uint32_t n)
{
    uint32_t c = 0;
    int i;
    for (i = 0; i < bins; i++) {
        c += h[i];
        if (2u * c >= n)
            return i;
    }
    return bins - 1;
}

/* The bout's cadence: the mean of its strides' cadences, 120 / stride time (a stride = two
 * consecutive steps), the definition of the Mobilise-D reference (pauses inside the bout
 * count), except strides shorter than half the bout's median stride: walking strides are never
 * that much shorter than their neighbours (slowing down and pauses make them longer), so such a
 * stride holds an extra contact. The median from the stride-time histogram (10 ms), the sum
 * exact; the dropped strides' share from their bins. */
static float stride_cadence(const bstep__trunk_state *t)
{
    uint32_t n = 0, m;
    double sum = t->eb_cad_sum;
    int i, med;
    float cut_s;
    for (i = 0; i < BSTEP__TRUNK_HIST; i++)
        n += t->eb_hist[i];
    if (n < 1 || t->eb_cad_n < 1)
        return NAN;
    med = hist_median16(t->eb_hist, BSTEP__TRUNK_HIST, n);
    cut_s = 0.5f * (0.5f + 0.01f * (float)med);
    m = t->eb_cad_n;
    for (i = 0; i < BSTEP__TRUNK_HIST && 0.5f + 0.01f * (float)i < cut_s; i++) {
        sum -= (double)t->eb_hist[i] * 120.0 / (0.5 + 0.01 * (double)i);
        m -= t->eb_hist[i];
    }
    return m > 0 ? (float)(sum / (double)m) : NAN;
}

void bstep__trunk_bout_end(bstep_analyzer *a, bstep_event *e)
{
    bstep__trunk_state *t = &a->eng.trunk;
    /* direction and confidence */
    if (t->front_known && t->eb_fw + t->eb_bw > 0) {
        const int n = t->eb_fw + t->eb_bw;
        e->direction = t->eb_fw >= t->eb_bw ? BSTEP_DIRECTION_FORWARD : BSTEP_DIRECTION_BACKWARD;
        /* agreement of the steps times the clarity of the mean score */
        e->confidence = (fabsf((float)(t->eb_fw - t->eb_bw)) / (float)n) *
                        fminf(1.0f, fabsf(t->eb_score) / (float)n / 0.5f);
    }
    e->value = stride_cadence(t);
    /* regularity from the autocorrelation up to the last step */
    if (t->eb_step_n >= 4 && t->ac_commit_count > 20u && t->ac_commit[0] > 0.0) {
        const double step_s = t->eb_step_sum / (double)t->eb_step_n;
        const double n = (double)t->ac_commit_count;
        double best1 = -2.0, best2 = -2.0;
        int m;
        for (m = 1; m < BSTEP__TRUNK_LAGS; m++) {
            const double lag_s = (double)m / 20.0;
            double r;
            if ((double)m >= n)
                break;
            r = (t->ac_commit[m] / (n - (double)m)) / (t->ac_commit[0] / n);
            if (lag_s >= 0.5 * step_s && lag_s <= 1.5 * step_s && r > best1)
                best1 = r;
            if (lag_s >= 1.5 * step_s && lag_s <= 2.5 * step_s && r > best2)
                best2 = r;
        }
        if (best1 > -2.0)
            e->step_regularity = (float)best1;
        if (best2 > -2.0)
            e->stride_regularity = (float)best2;
    }
    bstep__trunk_safety_bout_end(a, e->emitted_t_us);
    eb_clear(t);
}
