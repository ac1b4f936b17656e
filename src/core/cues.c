/*
 * Real-time cue engine (include/backstep/cues.h): evidence windows per cue, fed by analyzer
 * events, and a rate limiter with priorities. Thresholds and reasons: docs/coach.md section 4.
 * Fixed memory, no allocation; the block call is a loop over the single call.
 */
#include <math.h>
#include <string.h>

#include "backstep/cues.h"
#include "backstep/status.h"

#define EXTERNAL_SPEED_FRESH_US 5000000LL

const bstep_cues_settings bstep_cues_default_settings = {
    15.0f, /* min_gap_s: at most 4 technique cues a minute */
    60.0f, /* repeat_s: with 4 technique cues and a 15 s gap, each gets its turn */
    10.0f, /* safety_repeat_s */
    20.0f, /* quiet_after_safety_s */
    NAN,   /* speed_max_mps: off until a level sets it */
    4,     /* speed_window */
    1.1f,  /* speed_margin: stride-speed error (docs/coach.md section 4) */
    6,     /* toe_window */
    2,     /* toe_min_faults */
    20.0f, /* lean_max_deg (algorithms.md section 10) */
    10,    /* cv_window */
    8.0f,  /* cv_max_pct */
    3.0f,  /* stride_max_s */
};

static int in_range(float v, float lo, float hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

static int settings_valid(const bstep_cues_settings *c)
{
    return in_range(c->min_gap_s, 1.0f, 600.0f) && in_range(c->repeat_s, c->min_gap_s, 3600.0f) &&
           in_range(c->safety_repeat_s, 0.0f, 600.0f) &&
           in_range(c->quiet_after_safety_s, 0.0f, 600.0f) &&
           (isnan(c->speed_max_mps) || in_range(c->speed_max_mps, 0.05f, 10.0f)) &&
           c->speed_window >= 1 && c->speed_window <= BSTEP_CUES_MAX_WINDOW &&
           in_range(c->speed_margin, 1.0f, 2.0f) && c->toe_window >= 2 &&
           c->toe_window <= BSTEP_CUES_MAX_WINDOW && c->toe_min_faults >= 1 &&
           c->toe_min_faults <= c->toe_window && in_range(c->lean_max_deg, 5.0f, 60.0f) &&
           c->cv_window >= 5 && c->cv_window <= BSTEP_CUES_MAX_WINDOW &&
           in_range(c->cv_max_pct, 1.0f, 50.0f) && in_range(c->stride_max_s, 0.5f, 10.0f);
}

static void clear_windows(bstep_cues *c)
{
    c->speed_n = c->speed_head = 0;
    c->toe_n = c->toe_head = 0;
    c->stride_n = c->stride_head = 0;
    c->lean_deg = NAN;
    c->prev_step_s = (double)NAN;
    c->prev_dir = BSTEP_DIRECTION_UNKNOWN;
}

int bstep_cues_init(bstep_cues *c, const bstep_cues_settings *cfg)
{
    if (c == NULL || cfg == NULL || !settings_valid(cfg))
        return BSTEP_EINVAL;
    memset(c, 0, sizeof(*c));
    c->cfg = *cfg;
    clear_windows(c);
    c->external_speed_mps = NAN;
    return BSTEP_OK;
}

void bstep_cues_reset(bstep_cues *c)
{
    bstep_cues_settings cfg;
    if (c == NULL)
        return;
    cfg = c->cfg;
    bstep_cues_init(c, &cfg);
}

void bstep_cues_set_speed_max(bstep_cues *c, float speed_max_mps)
{
    if (c != NULL && (isnan(speed_max_mps) || in_range(speed_max_mps, 0.05f, 10.0f)))
        c->cfg.speed_max_mps = speed_max_mps;
}

static void ring_push_f(float *ring, int *n, int *head, int cap, float v)
{
    ring[*head] = v;
    *head = (*head + 1) % cap;
    if (*n < cap)
        (*n)++;
}

/* Mean of the newest k entries of a ring of capacity cap. */
static double ring_mean(const float *ring, int n, int head, int cap, int k)
{
    double sum = 0.0;
    int i;
    if (k > n)
        k = n;
    for (i = 1; i <= k; i++)
        sum += (double)ring[(head - i + cap) % cap];
    return k > 0 ? sum / (double)k : (double)NAN;
}

/* Robust stride variability of the newest k entries, % of their mean: the median absolute
 * successive difference scaled to an SD (for Gaussian strides |d| has median 0.6745 x SD x
 * sqrt 2, so SD = 1.0483 x median |d|). */
static double ring_robust_cv_pct(const float *ring, int n, int head, int cap, int k)
{
    float d[BSTEP_CUES_MAX_WINDOW];
    double mean, med;
    int i, j, m = k - 1;
    if (n < k || k < 3)
        return (double)NAN;
    mean = ring_mean(ring, n, head, cap, k);
    for (i = 0; i < m; i++) { /* newest first */
        const float a = ring[(head - 1 - i + cap) % cap], b = ring[(head - 2 - i + cap) % cap];
        d[i] = fabsf(a - b);
    }
    for (i = 1; i < m; i++) { /* insertion sort, at most 15 values */
        const float x = d[i];
        for (j = i; j > 0 && d[j - 1] > x; j--)
            d[j] = d[j - 1];
        d[j] = x;
    }
    med = (m % 2) ? (double)d[m / 2] : 0.5 * ((double)d[m / 2 - 1] + (double)d[m / 2]);
    return mean > 0.0 ? 100.0 * 1.0483 * med / mean : (double)NAN;
}

static int toe_faults(const bstep_cues *c)
{
    int i, f = 0, k = c->toe_n < c->cfg.toe_window ? c->toe_n : c->cfg.toe_window;
    for (i = 1; i <= k; i++)
        f += c->toe_fault[(c->toe_head - i + BSTEP_CUES_MAX_WINDOW) % BSTEP_CUES_MAX_WINDOW];
    return f;
}

static int emit(bstep_cues *c, bstep_cue_type t, bstep_time_us now, bstep_time_us cause, float v,
                bstep_cue *out, size_t cap, size_t *n)
{
    if (*n >= cap)
        return 0;
    out[*n].type = t;
    out[*n].t_us = now;
    out[*n].cause_t_us = cause;
    out[*n].value = v;
    (*n)++;
    c->last_us[t] = now;
    c->have_last[t] = 1;
    c->counts[t]++;
    if (bstep_cue_is_safety(t)) {
        c->last_safety_us = now;
        c->have_safety = 1;
    } else {
        c->last_any_us = now;
        c->have_any = 1;
    }
    return 1;
}

static int elapsed_ok(int have, bstep_time_us last, bstep_time_us now, float s)
{
    return !have || (double)(now - last) >= (double)s * 1e6;
}

static void safety(bstep_cues *c, bstep_cue_type t, bstep_time_us now, bstep_time_us cause,
                   bstep_cue *out, size_t cap, size_t *n)
{
    /* A fall outranks a stumble: a stumble right after a fall cue is part of the same event. */
    if (!elapsed_ok(c->have_last[t], c->last_us[t], now, c->cfg.safety_repeat_s))
        return;
    if (t == BSTEP_CUE_STUMBLE &&
        !elapsed_ok(c->have_last[BSTEP_CUE_FALL], c->last_us[BSTEP_CUE_FALL], now,
                    c->cfg.safety_repeat_s))
        return;
    if (emit(c, t, now, cause, NAN, out, cap, n))
        clear_windows(c); /* the strides around a stumble are not technique evidence */
}

/* Current speed for SLOW_DOWN: a fresh external speed, else the stride window's mean. */
static double current_speed(const bstep_cues *c, bstep_time_us now, int *ready, int *external)
{
    *external = 0;
    if (isfinite(c->external_speed_mps) &&
        now - c->external_speed_t_us <= EXTERNAL_SPEED_FRESH_US && now >= c->external_speed_t_us) {
        *ready = 1;
        *external = 1;
        return (double)c->external_speed_mps;
    }
    *ready = c->speed_n >= c->cfg.speed_window;
    return ring_mean(c->speed, c->speed_n, c->speed_head, BSTEP_CUES_MAX_WINDOW,
                     c->cfg.speed_window);
}

/* The highest-priority technique cue that is due and allowed now. */
static void technique(bstep_cues *c, bstep_time_us now, bstep_cue *out, size_t cap, size_t *n)
{
    const bstep_cues_settings *k = &c->cfg;
    int t;
    if (c->have_safety && (double)(now - c->last_safety_us) < (double)k->quiet_after_safety_s * 1e6)
        return;
    if (!elapsed_ok(c->have_any, c->last_any_us, now, k->min_gap_s))
        return;
    for (t = BSTEP_CUE_SLOW_DOWN; t <= BSTEP_CUE_EVEN_STRIDES; t++) {
        double v = (double)NAN;
        int due = 0;
        if (!elapsed_ok(c->have_last[t], c->last_us[t], now, k->repeat_s))
            continue;
        switch ((bstep_cue_type)t) {
        case BSTEP_CUE_SLOW_DOWN: {
            int ready = 0, external = 0;
            double margin;
            v = current_speed(c, now, &ready, &external);
            /* a belt speed is exact; a speed from strides carries their length error */
            margin = external ? 1.0 : (double)k->speed_margin;
            due = ready && isfinite(k->speed_max_mps) && v > (double)k->speed_max_mps * margin;
            break;
        }
        case BSTEP_CUE_TOES_FIRST:
            v = (double)toe_faults(c);
            due = (int)v >= k->toe_min_faults;
            break;
        case BSTEP_CUE_STAND_TALL:
            v = (double)c->lean_deg;
            due = isfinite(c->lean_deg);
            break;
        case BSTEP_CUE_EVEN_STRIDES:
            v = ring_robust_cv_pct(c->stride_s, c->stride_n, c->stride_head, BSTEP_CUES_MAX_WINDOW,
                                   k->cv_window);
            due = isfinite(v) && v > (double)k->cv_max_pct;
            break;
        default:
            break;
        }
        if (!due)
            continue;
        if (!emit(c, (bstep_cue_type)t, now, c->cause_us[t], (float)v, out, cap, n))
            return;
        /* Fresh evidence is needed before this cue can fire again. */
        switch ((bstep_cue_type)t) {
        case BSTEP_CUE_SLOW_DOWN:
            c->speed_n = c->speed_head = 0;
            c->external_speed_mps = NAN;
            break;
        case BSTEP_CUE_TOES_FIRST:
            c->toe_n = c->toe_head = 0;
            break;
        case BSTEP_CUE_STAND_TALL:
            c->lean_deg = NAN;
            break;
        default:
            c->stride_n = c->stride_head = 0;
            break;
        }
        return;
    }
}

static void contact(bstep_cues *c, const bstep_event *e)
{
    const bstep_cues_settings *k = &c->cfg;
    double stride = (double)NAN;
    /* A change of direction (a turn, a switch from forward to backward) starts the rhythm and
     * speed windows again: strides of two gaits are not one rhythm, and the stride that ends
     * with the change spans both. */
    if (e->direction != c->prev_dir) {
        c->stride_n = c->stride_head = 0;
        c->speed_n = c->speed_head = 0;
        c->prev_step_s = isfinite(e->value) ? (double)e->value : (double)NAN;
        c->prev_dir = e->direction;
    } else if (isfinite(e->stride_time_s)) {
        stride = (double)e->stride_time_s;
    } else if (isfinite(e->value)) { /* trunk: strides are pairs of steps */
        if (isfinite(c->prev_step_s))
            stride = (double)e->value + c->prev_step_s;
        c->prev_step_s = (double)e->value;
    }
    /* The levels' speeds and the rhythm cue are about backward walking: forward, sideways and
     * in-place strides (a warm-up, a turn) are not evidence (unknown direction is: a sensor that
     * does not tell direction is worn for backward walking). */
    if (e->direction != BSTEP_DIRECTION_BACKWARD && e->direction != BSTEP_DIRECTION_UNKNOWN)
        stride = (double)NAN;
    if (isfinite(stride) && stride > 0.0 && stride <= (double)k->stride_max_s) {
        ring_push_f(c->stride_s, &c->stride_n, &c->stride_head, BSTEP_CUES_MAX_WINDOW,
                    (float)stride);
        c->cause_us[BSTEP_CUE_EVEN_STRIDES] = e->t_us;
        if (isfinite(e->stride_length_m) && e->stride_length_m > 0.0f) {
            ring_push_f(c->speed, &c->speed_n, &c->speed_head, BSTEP_CUES_MAX_WINDOW,
                        (float)((double)e->stride_length_m / stride));
            c->cause_us[BSTEP_CUE_SLOW_DOWN] = e->t_us;
        }
    } else if (isfinite(stride)) {
        c->stride_n = c->stride_head = 0; /* a pause or a turn: the rhythm starts again */
    }
    if (e->direction == BSTEP_DIRECTION_BACKWARD && e->strike != BSTEP_STRIKE_UNKNOWN) {
        c->toe_fault[c->toe_head] = e->strike != BSTEP_STRIKE_TOE;
        c->toe_head = (c->toe_head + 1) % BSTEP_CUES_MAX_WINDOW;
        if (c->toe_n < BSTEP_CUES_MAX_WINDOW)
            c->toe_n++;
        if (e->strike != BSTEP_STRIKE_TOE)
            c->cause_us[BSTEP_CUE_TOES_FIRST] = e->t_us;
    }
}

size_t bstep_cues_update(bstep_cues *c, const bstep_event *e, bstep_cue *out, size_t cap)
{
    size_t n = 0;
    bstep_time_us now;
    if (c == NULL || e == NULL || (out == NULL && cap > 0))
        return 0;
    now = e->emitted_t_us > e->t_us ? e->emitted_t_us : e->t_us;
    switch (e->type) {
    case BSTEP_EVENT_BOUT_START:
    case BSTEP_EVENT_BOUT_END:
    case BSTEP_EVENT_GAP:
        clear_windows(c);
        return 0;
    case BSTEP_EVENT_INITIAL_CONTACT:
        contact(c, e);
        break;
    case BSTEP_EVENT_POSTURE:
        if (isfinite(e->trunk_lean_deg) && e->trunk_lean_deg > c->cfg.lean_max_deg) {
            c->lean_deg = e->trunk_lean_deg;
            c->cause_us[BSTEP_CUE_STAND_TALL] = e->t_us;
        } else {
            c->lean_deg = NAN; /* upright again: nothing to say */
        }
        break;
    case BSTEP_EVENT_STUMBLE:
        safety(c, BSTEP_CUE_STUMBLE, now, e->t_us, out, cap, &n);
        return n;
    case BSTEP_EVENT_FALL:
        safety(c, BSTEP_CUE_FALL, now, e->t_us, out, cap, &n);
        return n;
    default:
        return 0;
    }
    technique(c, now, out, cap, &n);
    return n;
}

size_t bstep_cues_update_block(bstep_cues *c, const bstep_event *e, size_t n, bstep_cue *out,
                               size_t cap)
{
    size_t i, w = 0;
    if (c == NULL || e == NULL)
        return 0;
    for (i = 0; i < n; i++)
        w += bstep_cues_update(c, &e[i], out ? out + w : NULL, out ? cap - w : 0);
    return w;
}

size_t bstep_cues_speed(bstep_cues *c, bstep_time_us t_us, float speed_mps, bstep_cue *out,
                        size_t cap)
{
    size_t n = 0;
    if (c == NULL || !in_range(speed_mps, 0.0f, 10.0f) || (out == NULL && cap > 0))
        return 0;
    c->external_speed_mps = speed_mps;
    c->external_speed_t_us = t_us;
    c->cause_us[BSTEP_CUE_SLOW_DOWN] = t_us;
    technique(c, t_us, out, cap, &n);
    return n;
}

unsigned long long bstep_cues_count(const bstep_cues *c, bstep_cue_type t)
{
    return c != NULL && (unsigned)t < BSTEP_CUE_COUNT ? c->counts[t] : 0ull;
}

const char *bstep_cue_text(bstep_cue_type t)
{
    switch (t) {
    case BSTEP_CUE_FALL:
        return "Fall detected - stop. Stay still and call for help if you are hurt.";
    case BSTEP_CUE_STUMBLE:
        return "Stumble - stop and hold the rail.";
    case BSTEP_CUE_SLOW_DOWN:
        return "Slow down.";
    case BSTEP_CUE_TOES_FIRST:
        return "Toes first.";
    case BSTEP_CUE_STAND_TALL:
        return "Stand tall.";
    case BSTEP_CUE_EVEN_STRIDES:
        return "Even strides.";
    default:
        return "";
    }
}

const char *bstep_cue_name(bstep_cue_type t)
{
    switch (t) {
    case BSTEP_CUE_FALL:
        return "fall";
    case BSTEP_CUE_STUMBLE:
        return "stumble";
    case BSTEP_CUE_SLOW_DOWN:
        return "slow_down";
    case BSTEP_CUE_TOES_FIRST:
        return "toes_first";
    case BSTEP_CUE_STAND_TALL:
        return "stand_tall";
    case BSTEP_CUE_EVEN_STRIDES:
        return "even_strides";
    default:
        return "none";
    }
}

int bstep_cue_is_safety(bstep_cue_type t)
{
    return t == BSTEP_CUE_FALL || t == BSTEP_CUE_STUMBLE;
}
