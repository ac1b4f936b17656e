/*
 * Trunk (lower back, waist, pocket) engine of the streaming analyzer.
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
 */
#include <math.h>
#include <string.h>

#include "analyzer_internal.h"

#define GRID_PERIOD_US (1000000 / BSTEP__TRUNK_RATE_HZ)

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
    return 1;
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

void bstep__trunk_restart(bstep_analyzer *a)
{
    bstep__trunk_state *t = &a->eng.trunk;
    bstep_ahrs_reset(&t->ahrs);
    t->grid_have = 0;
    t->grid_sum = 0.0f;
    t->grid_n = 0;
    t->det_sum = 0.0f;
    t->t_prev = 0.0f;
    mavg2_clear(&t->smooth);
    mavg2_clear(&t->timing);
    t->tslope_count = 0;
    memset(t->det, 0, sizeof(t->det));
    t->grid_count = 0;
    t->armed = 0;
    t->have_cand = 0;
    t->have_step = 0;
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
    bstep__trunk_restart(a);
}

/* Two cascaded moving averages (smooth.n each), then a trailing mean (detrend_n) subtracted. One
 * grid sample in, one filtered value out; the output lags the input by smooth.n - 1 samples. */
static float trunk_filter(bstep_analyzer *a, float x)
{
    const int nd = a->eng.trunk.detrend_n;
    const uint32_t c = a->eng.trunk.grid_count, id = c % (uint32_t)nd;
    const float m2 = mavg2_push(&a->eng.trunk.smooth, c, x);
    uint32_t have;
    a->eng.trunk.det_sum += m2 - a->eng.trunk.det[id];
    a->eng.trunk.det[id] = m2;
    a->eng.trunk.grid_count = c + 1u;
    if (id == (uint32_t)nd - 1u) {
        int k;
        float sd = 0.0f;
        for (k = 0; k < nd; k++)
            sd += a->eng.trunk.det[k];
        a->eng.trunk.det_sum = sd;
    }
    have = a->eng.trunk.grid_count < (uint32_t)nd ? a->eng.trunk.grid_count : (uint32_t)nd;
    return m2 - a->eng.trunk.det_sum / (float)have;
}

/* The timing chain: two cascaded moving averages of timing.n grid samples; keeps the slope of its
 * output in a ring. Slopes are independent of the mean, so no detrending is needed. */
static void timing_filter(bstep_analyzer *a, int64_t k, float x)
{
    const float m2 = mavg2_push(&a->eng.trunk.timing, a->eng.trunk.grid_count - 1u,
                                x); /* count already advanced */
    a->eng.trunk.tslope[(uint64_t)k % BSTEP__TIMING_RING] =
        (m2 - a->eng.trunk.t_prev) * (float)BSTEP__TRUNK_RATE_HZ;
    a->eng.trunk.t_prev = m2;
    a->eng.trunk.tslope_k0 = k;
    if (a->eng.trunk.tslope_count < BSTEP__TIMING_RING)
        a->eng.trunk.tslope_count++;
}

/* Refine a contact time t_s (from the step-finding chain) to the steepest rise of the timing
 * chain within +-0.1 s, parabola-interpolated. Returns t_s unchanged if the ring does not cover
 * the interval. */
static double timing_refine(const bstep_analyzer *a, double t_s)
{
    const double period = 1.0 / BSTEP__TRUNK_RATE_HZ;
    /* Slope entry at grid index k describes the time (k - (timing.n - 1) - 0.5) * period. */
    const double shift = (double)(a->eng.trunk.timing.n - 1) + 0.5;
    const int64_t lo = (int64_t)ceil((t_s - 0.1) / period + shift);
    const int64_t hi = (int64_t)floor((t_s + 0.1) / period + shift);
    const int64_t oldest = a->eng.trunk.tslope_k0 - (int64_t)a->eng.trunk.tslope_count + 1;
    int64_t k, best_k = -1;
    float best = 0.0f;
    if (lo - 1 < oldest || hi + 1 > a->eng.trunk.tslope_k0)
        return t_s;
    for (k = lo; k <= hi; k++) {
        const float v = a->eng.trunk.tslope[(uint64_t)k % BSTEP__TIMING_RING];
        if (best_k < 0 || v > best) {
            best = v;
            best_k = k;
        }
    }
    {
        const float s0 = a->eng.trunk.tslope[(uint64_t)(best_k - 1) % BSTEP__TIMING_RING];
        const float s2 = a->eng.trunk.tslope[(uint64_t)(best_k + 1) % BSTEP__TIMING_RING];
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
    const float slope = (y - a->eng.trunk.y_prev) / (float)period; /* at t_s - period / 2 */
    /* Warm-up: the moving averages need a full window before their output means anything. */
    if (a->eng.trunk.grid_count < (uint32_t)(2 * a->eng.trunk.smooth.n)) {
        a->eng.trunk.y_prev = y;
        a->eng.trunk.slope_prev = slope;
        return;
    }
    if (y < 0.0f && !a->eng.trunk.have_cand) {
        /* Below the mean: a new rise may start; restart the slope search at each new low. */
        if (!a->eng.trunk.armed || y <= a->eng.trunk.cand_peak) {
            a->eng.trunk.armed = 1;
            a->eng.trunk.cand_peak = y; /* lowest value so far */
            a->eng.trunk.best_slope = 0.0f;
        }
    }
    if (a->eng.trunk.armed && slope > a->eng.trunk.best_slope) {
        a->eng.trunk.best_slope = slope;
        a->eng.trunk.best_slope_t_s = t_s - 0.5 * period;
        a->eng.trunk.slope_before = a->eng.trunk.slope_prev;
        a->eng.trunk.slope_after_pending = 1;
    } else if (a->eng.trunk.armed && a->eng.trunk.slope_after_pending) {
        /* Parabolic refinement with the slopes just before and after the largest one. */
        const float s0 = a->eng.trunk.slope_before, s1 = a->eng.trunk.best_slope, s2 = slope;
        const float den = s0 - 2.0f * s1 + s2;
        if (den < 0.0f) {
            float off = 0.5f * (s0 - s2) / den;
            if (off > 0.5f)
                off = 0.5f;
            if (off < -0.5f)
                off = -0.5f;
            a->eng.trunk.best_slope_t_s += (double)off * period;
        }
        a->eng.trunk.slope_after_pending = 0;
    }
    if (a->eng.trunk.armed && y >= thr)
        a->eng.trunk.have_cand = 1;
    if (a->eng.trunk.have_cand && slope <= 0.0f) {
        /* Past the peak: one step, timed on the lightly smoothed chain. */
        const double tc = timing_refine(a, a->eng.trunk.best_slope_t_s);
        if (!a->eng.trunk.have_step || a->eng.trunk.best_slope_t_s - a->eng.trunk.last_coarse_t_s >=
                                           (double)a->cfg.min_step_interval_s) {
            bstep_event e = bstep__make_event(BSTEP_EVENT_INITIAL_CONTACT,
                                              (bstep_time_us)llround(tc * 1e6), now_us);
            if (a->eng.trunk.have_step &&
                tc - a->eng.trunk.last_step_t_s <= (double)a->cfg.max_bout_pause_s)
                e.value = (float)(tc - a->eng.trunk.last_step_t_s); /* step time, s */
            a->eng.trunk.last_step_t_s = tc;
            a->eng.trunk.last_coarse_t_s = a->eng.trunk.best_slope_t_s;
            a->eng.trunk.have_step = 1;
            bstep__bout_event(a, &e);
        }
        a->eng.trunk.have_cand = 0;
        a->eng.trunk.armed = 0;
    }
    a->eng.trunk.y_prev = y;
    a->eng.trunk.slope_prev = slope;
}

static void trunk_grid_point(bstep_analyzer *a, int64_t k, float v, bstep_time_us now_us)
{
    const float y = trunk_filter(a, v);
    timing_filter(a, k, v);
    /* Delay of two moving averages of odd length n: 2 * (n - 1) / 2 grid periods. */
    const double t_s = (double)(k - (a->eng.trunk.smooth.n - 1)) / BSTEP__TRUNK_RATE_HZ;
    a->eng.trunk.y_last = y;
    trunk_detect(a, y, t_s, now_us);
}

void bstep__trunk_update(bstep_analyzer *a, const bstep_imu_sample *s)
{
    float lin[3], v;
    int64_t k;
    bstep_ahrs_update(&a->eng.trunk.ahrs, s);
    bstep_ahrs_get_linear_world(&a->eng.trunk.ahrs, s->accel_mps2, lin);
    v = lin[2];
    /* Bin index of this sample on the 100 Hz grid (bins centred on multiples of the period). */
    k = (s->t_us + GRID_PERIOD_US / 2) / GRID_PERIOD_US;
    if (s->t_us + GRID_PERIOD_US / 2 < 0)
        k -= 1;
    if (!a->eng.trunk.grid_have) {
        a->eng.trunk.grid_have = 1;
        a->eng.trunk.grid_k = k;
        a->eng.trunk.grid_sum = v;
        a->eng.trunk.grid_n = 1;
        return;
    }
    if (k == a->eng.trunk.grid_k) {
        a->eng.trunk.grid_sum += v;
        a->eng.trunk.grid_n++;
        return;
    }
    {
        const float done = a->eng.trunk.grid_sum / (float)a->eng.trunk.grid_n;
        int64_t j;
        trunk_grid_point(a, a->eng.trunk.grid_k, done, s->t_us);
        /* Empty bins inside a short hole: bridge linearly towards this sample. */
        for (j = a->eng.trunk.grid_k + 1; j < k; j++) {
            const float f = (float)(j - a->eng.trunk.grid_k) / (float)(k - a->eng.trunk.grid_k);
            trunk_grid_point(a, j, done + f * (v - done), s->t_us);
        }
        a->eng.trunk.grid_prev_value = done;
    }
    a->eng.trunk.grid_k = k;
    a->eng.trunk.grid_sum = v;
    a->eng.trunk.grid_n = 1;
}
