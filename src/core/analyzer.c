/*
 * The streaming gait analyzer: settings, the event queue, walking bouts, gaps and the driver that
 * hands every sample to the placement's engine (src/core/foot.c for a foot sensor, src/core/trunk.c
 * for the lower back, waist or pocket). The engines emit contacts through bstep__bout_event().
 *
 * Bouts. Contacts are held back until they make a bout of at least 4 steps (algorithms.md section
 * 2) with pauses of at most 3 s (the Mobilise-D walking-bout definition: a rest of more than 3 s
 * ends a bout; Kluge et al., PLoS One 2021); then a bout start and the held contacts are emitted,
 * and later contacts come out at once. Contacts that never make a bout are dropped (weight shifts,
 * fidgets).
 *
 * Gaps. A hole in the data longer than 0.25 s (the shortest step, so no step can hide in a shorter
 * one) ends the bout, resets every detector and emits a GAP event: nothing is counted or
 * integrated across it. Shorter holes (packet loss of a few samples) are tolerated.
 */
#include <math.h>
#include <string.h>

#include "analyzer_internal.h"
#include "backstep/status.h"
#include "backstep/summary.h"

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
            .accel_rejection_deg = 0.0f,
            .rejection_timeout_s = 5.0f,
            .max_dt_s = 0.25f,
        },
    .stance_gyro_dps = 50.0f,
    .stance_swing_fraction = 0.1f,
    .stance_gyro_max_dps = 200.0f,
    .stance_window_s = 0.1f,
    .stance_accel_mps2 = 1.5f,
    .stance_tilt_deg = 13.0f,
    .ic_search_before_s = 0.25f,
    .ic_impact_fraction = 0.5f,
    .ic_onset_fraction = 0.25f,
    .min_swing_s = 0.2f,
    .min_swing_gyro_dps = 100.0f,
    .min_swing_accel_mps2 = 5.0f,
    .direction_cos = 0.5f,
    .in_place_m = 0.15f,
    .turn_stride_deg = 60.0f,
    .strike_flat_deg = 5.0f,
    .toe_calibration_strides = 6,
    .toe_calibration_spread_deg = 20.0f,
    .accel_range_mps2 = 16.0f * BSTEP_STANDARD_GRAVITY_MPS2,
    .trunk_smooth_s = 0.15f,
    .trunk_timing_smooth_s = 0.05f,
    .trunk_detrend_s = 1.0f,
    .min_step_peak_mps2 = 0.4f,
    .min_step_interval_s = 0.25f,
    .sensor_height_m = 0.93f,
    .step_length_factor = 1.185f,
    .backward_step_factor = 1.13f,
    .step_length_scale = 1.0f,
    .front_calibration_steps = 8,
    .posture_interval_s = 10.0f,
    .look_back_deg = 20.0f,
    .look_back_max_s = 3.0f,
    .stumble_rhythm = 0.35f,
    .stumble_jerk_ratio = 3.0f,
    .fall_impact_g = 1.8f,
    .fall_lying_deg = 60.0f,
    .fall_still_s = 2.0f,
    .min_bout_steps = 4,
    .max_bout_pause_s = 3.0f,
    .max_gap_s = 0.25f,
};

static int is_foot(const bstep_analyzer *a)
{
    return a->cfg.placement == BSTEP_PLACEMENT_FOOT_LEFT ||
           a->cfg.placement == BSTEP_PLACEMENT_FOOT_RIGHT ||
           a->cfg.placement == BSTEP_PLACEMENT_FOOT;
}

int bstep__pos_finite(float v)
{
    return isfinite(v) && v > 0.0f;
}

static int settings_valid(const bstep_analyzer_settings *c)
{
    if (c->placement == BSTEP_PLACEMENT_AUTO || (int)c->placement < 0 ||
        c->placement > BSTEP_PLACEMENT_FOOT)
        return 0;
    if (!(isfinite(c->sample_rate_hz) && c->sample_rate_hz >= 5.0f &&
          c->sample_rate_hz <= BSTEP_ANALYZER_MAX_RATE_HZ))
        return 0;
    if ((int)c->toe_axis < 0 || c->toe_axis > BSTEP_AXIS_NEG_Z || (int)c->front_axis < 0 ||
        c->front_axis > BSTEP_AXIS_NEG_Z)
        return 0;
    /* Both engines' settings are checked whatever the placement: one settings struct, one rule. */
    if (!bstep__foot_settings_valid(c) || !bstep__trunk_settings_valid(c))
        return 0;
    if (c->min_bout_steps < 1 || c->min_bout_steps > BSTEP__PENDING_MAX / 2 ||
        !bstep__pos_finite(c->max_bout_pause_s) || !bstep__pos_finite(c->max_gap_s))
        return 0;
    return 1;
}

int bstep_analyzer_init(bstep_analyzer *a, const bstep_analyzer_settings *cfg)
{
    if (a == NULL || cfg == NULL || !settings_valid(cfg))
        return BSTEP_EINVAL;
    memset(a, 0, sizeof(*a));
    a->cfg = *cfg;
    {
        bstep_ahrs probe; /* the orientation filter checks its own settings */
        if (bstep_ahrs_init(&probe, &cfg->ahrs) != BSTEP_OK)
            return BSTEP_EINVAL;
    }
    bstep_analyzer_reset(a);
    return BSTEP_OK;
}

/* Forget everything that depends on continuous data (after a gap), keep counters and bouts. */
static void restart_engine(bstep_analyzer *a)
{
    if (is_foot(a))
        bstep__foot_restart(a);
    else
        bstep__trunk_restart(a);
}

void bstep_analyzer_reset(bstep_analyzer *a)
{
    const bstep_analyzer_settings cfg = a->cfg;
    memset(a, 0, sizeof(*a));
    a->cfg = cfg;
    a->steps_per_contact = is_foot(a) ? 2 : 1;
    if (is_foot(a))
        bstep__foot_reset(a);
    else
        bstep__trunk_reset(a);
}

bstep_event bstep__make_event(bstep_event_type type, bstep_time_us t_us, bstep_time_us now_us)
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
    e.trunk_lean_deg = NAN;
    e.side_lean_deg = NAN;
    e.confidence = NAN;
    e.value = NAN;
    e.stride_forward_m = NAN;
    e.stride_left_m = NAN;
    e.speed_mps = NAN;
    e.step_length_m = NAN;
    e.step_regularity = NAN;
    e.stride_regularity = NAN;
    return e;
}

void bstep__push_event(bstep_analyzer *a, const bstep_event *e)
{
    if (a->queue_n < BSTEP_ANALYZER_EVENT_QUEUE)
        a->queue[a->queue_n++] = *e;
    /* else: the caller has not drained the queue for many samples; the newest event is lost. */
}

static void end_bout(bstep_analyzer *a, bstep_time_us now_us)
{
    if (a->bout_open) {
        bstep_event e = bstep__make_event(BSTEP_EVENT_BOUT_END, a->bout_last_contact_us, now_us);
        if (!is_foot(a))
            bstep__trunk_bout_end(a, &e);
        bstep__push_event(a, &e);
        a->bout_open = 0;
    }
    a->pending_n = 0;
    a->pending_contacts = 0;
}

/* Gait initiation (trunk engines): from standing, the stance leg's push-off and the swing
 * foot's toe-off raise the trunk like a contact one swing time before the first heel strike.
 * A swing is shorter than a step (about 40 % of a stride against 50 %: 0.8 of a step), while
 * the first step of gait initiation is not shorter than the steps that follow (it is the slowest
 * one). So a bout's first contact whose interval to the next is under 0.9 x the mean of the next
 * two is the initiation push-off, not a contact (voisard-2023: such first detections sit within
 * 0.15 s of the first toe-off; real first contacts have ratios >= 0.99). */
static int initiation_push_off(const bstep_analyzer *a)
{
    double t[4];
    int i, n = 0;
    if (is_foot(a) || a->pending_contacts < 4)
        return 0;
    for (i = 0; i < a->pending_n && n < 4; i++)
        if (a->pending[i].type == BSTEP_EVENT_INITIAL_CONTACT)
            t[n++] = (double)a->pending[i].t_us;
    if (n < 4 || !bstep__trunk_from_standing(a, (bstep_time_us)t[0]))
        return 0;
    return t[1] - t[0] < 0.9 * 0.5 * (t[3] - t[1]);
}

static void drop_first_contact(bstep_analyzer *a)
{
    int i;
    for (i = 0; i < a->pending_n; i++)
        if (a->pending[i].type == BSTEP_EVENT_INITIAL_CONTACT) {
            memmove(a->pending + i, a->pending + i + 1,
                    sizeof(a->pending[0]) * (size_t)(a->pending_n - i - 1));
            a->pending_n--;
            a->pending_contacts--;
            return;
        }
}

/* A contact or final contact from a detector enters the bout logic here. */
void bstep__bout_event(bstep_analyzer *a, bstep_event *e)
{
    /* A contact after a longer pause than allowed starts afresh (the timeout below waits for the
     * detection delay too, so it may not have fired yet). */
    if (e->type == BSTEP_EVENT_INITIAL_CONTACT && (a->bout_open || a->pending_contacts > 0) &&
        e->t_us - a->bout_last_contact_us > (bstep_time_us)(a->cfg.max_bout_pause_s * 1e6f))
        end_bout(a, e->emitted_t_us);
    if (a->bout_open) {
        bstep__push_event(a, e);
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
    if (a->pending_contacts * a->steps_per_contact >= a->cfg.min_bout_steps &&
        initiation_push_off(a)) {
        drop_first_contact(a);
        return;
    }
    if (a->pending_contacts * a->steps_per_contact >= a->cfg.min_bout_steps) {
        int i;
        bstep_event s =
            bstep__make_event(BSTEP_EVENT_BOUT_START, a->pending[0].t_us, e->emitted_t_us);
        if (!is_foot(a))
            bstep__trunk_bout_open(a);
        bstep__push_event(a, &s);
        for (i = 0; i < a->pending_n; i++) {
            a->pending[i].emitted_t_us = e->emitted_t_us;
            bstep__push_event(a, &a->pending[i]);
        }
        a->pending_n = 0;
        a->pending_contacts = 0;
        a->bout_open = 1;
        a->bout_first_us = s.t_us;
    }
}

/* Called for every sample: closes bouts or drops held contacts after a long pause. Contacts are
 * reported up to BOUT_DETECTION_DELAY_US after they happen (a foot stance is confirmed 0.1-0.35 s
 * after the landing), so the pause is measured between contact times and the timeout waits for
 * that delay too: otherwise a stride of 2.3 s (slow forward walking) would end the bout before its
 * contact is reported. */
#define BOUT_DETECTION_DELAY_US 500000
static void bout_timeout(bstep_analyzer *a, bstep_time_us now_us)
{
    const bstep_time_us pause_us =
        (bstep_time_us)(a->cfg.max_bout_pause_s * 1e6f) + BOUT_DETECTION_DELAY_US;
    if (a->bout_open && now_us - a->bout_last_contact_us > pause_us)
        end_bout(a, now_us);
    else if (!a->bout_open && a->pending_contacts > 0 &&
             now_us - a->bout_last_contact_us > pause_us) {
        a->pending_n = 0;
        a->pending_contacts = 0;
    }
}

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
            bstep_event g = bstep__make_event(BSTEP_EVENT_GAP, a->last_t_us, s->t_us);
            g.value = (float)dt * 1e-6f;
            if (is_foot(a))
                bstep__foot_flush(a);
            end_bout(a, s->t_us);
            bstep__push_event(a, &g);
            restart_engine(a);
            a->gaps++;
        }
    }
    a->last_t_us = s->t_us;
    a->have_last = 1;
    a->samples++;
    if (is_foot(a))
        bstep__foot_update(a, s);
    else
        bstep__trunk_update(a, s);
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
    if (is_foot(a))
        bstep__foot_flush(a);
    end_bout(a, a->last_t_us);
    return drain(a, ev, ev_cap);
}

bstep_analyzer_states bstep_analyzer_get_states(const bstep_analyzer *a)
{
    bstep_analyzer_states st;
    memset(&st, 0, sizeof(st));
    st.in_stance = is_foot(a) ? a->eng.foot.in_stance : 0;
    st.in_bout = a->bout_open;
    st.gyro_norm_dps = is_foot(a) ? a->eng.foot.last_gyro_dps : 0.0f;
    st.vertical_mps2 = is_foot(a) ? 0.0f : a->eng.trunk.y_last;
    st.samples = a->samples;
    st.gaps = a->gaps;
    return st;
}

/* Engine capabilities. Foot: stride vector (direction, length) and landing; a foot cannot see
 * the trunk's stumbles, falls, twists or lean. Trunk and pocket: direction, step length, stumbles,
 * falls and look-backs (the latter need a gyroscope: the caller knows whether there is one);
 * posture only at the lower back / waist (the pocket's thigh swings). */
unsigned bstep_analyzer_measures(const bstep_analyzer *a)
{
    unsigned m;
    if (a == NULL)
        return 0u;
    if (is_foot(a))
        return BSTEP_MEASURE_DIRECTION | BSTEP_MEASURE_STRIKE | BSTEP_MEASURE_STRIDE_LENGTH;
    m = BSTEP_MEASURE_DIRECTION | BSTEP_MEASURE_STRIDE_LENGTH | BSTEP_MEASURE_STUMBLES |
        BSTEP_MEASURE_FALLS;
    /* look-backs need the yaw rate: known once gyroscope samples have been seen */
    if (a->eng.trunk.saw_gyro)
        m |= BSTEP_MEASURE_LOOK_BACKS;
    if (a->cfg.placement == BSTEP_PLACEMENT_LOWER_BACK)
        m |= BSTEP_MEASURE_POSTURE;
    return m;
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
