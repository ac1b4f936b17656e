/*
 * Session summary from analyzer events; definitions in include/backstep/summary.h. Stride-time
 * variability uses Welford's online algorithm (Welford, Technometrics 1962) so it needs no
 * buffer and does not lose precision over long sessions.
 */
#include <math.h>
#include <string.h>

#include "backstep/status.h"
#include "backstep/summary.h"

#define DNAN ((double)NAN)

int bstep_summary_init(bstep_summary *s, int steps_per_contact)
{
    if (s == NULL || (steps_per_contact != 1 && steps_per_contact != 2))
        return BSTEP_EINVAL;
    memset(s, 0, sizeof(*s));
    s->steps_per_contact = steps_per_contact;
    s->prev_back_step_s = DNAN;
    return BSTEP_OK;
}

void bstep_summary_set_measured(bstep_summary *s, unsigned measured)
{
    if (s != NULL)
        s->measured |= measured;
}

/* One value of a run: its successive difference (within the run) and its share of the mean. */
static void ssd_add(bstep__ssd_stat *v, double x)
{
    if (v->have_prev) {
        const double d = x - v->prev;
        v->sum_d2 += d * d;
        v->n_diff++;
    }
    v->prev = x;
    v->have_prev = 1;
    v->n++;
    v->sum += x;
}

static void runs_close(bstep_summary *s)
{
    s->var_t.have_prev = 0;
    s->var_l.have_prev = 0;
    s->prev_back_step_s = DNAN;
}

static int dir_index(bstep_direction d)
{
    switch (d) {
    case BSTEP_DIRECTION_BACKWARD:
        return 0;
    case BSTEP_DIRECTION_FORWARD:
        return 1;
    case BSTEP_DIRECTION_SIDEWAYS_LEFT:
    case BSTEP_DIRECTION_SIDEWAYS_RIGHT:
        return 2;
    default:
        return -1;
    }
}

/* Direction time, strikes, backward rhythm and evenness of one initial contact. `interval` is the
 * contact's interval (foot: stride time; trunk: step time), NAN when unknown. */
static void add_contact_detail(bstep_summary *s, const bstep_event *e, double interval)
{
    const int di = dir_index(e->direction);
    const int back = e->direction == BSTEP_DIRECTION_BACKWARD;
    const int chained = s->have_prev_contact && s->prev_dir == BSTEP_DIRECTION_BACKWARD && back;
    if (e->direction != BSTEP_DIRECTION_UNKNOWN)
        s->measured |= BSTEP_MEASURE_DIRECTION;
    if (e->strike != BSTEP_STRIKE_UNKNOWN)
        s->measured |= BSTEP_MEASURE_STRIKE;
    if (e->stride_length_m > 0.0f || e->step_length_m > 0.0f)
        s->measured |= BSTEP_MEASURE_STRIDE_LENGTH;
    if (isfinite(e->trunk_lean_deg))
        s->measured |= BSTEP_MEASURE_POSTURE;
    if (di >= 0 && di < 2 && (int)e->strike >= 0 && (int)e->strike < 4)
        s->strikes[di][e->strike]++;
    if (s->have_prev_contact && isfinite(interval) && interval > 0.0 && di >= 0)
        s->time_dir_s[di] += interval;
    if (back && s->have_prev_contact && isfinite(interval) && interval > 0.0) {
        s->n_back_int++;
        s->sum_back_int += interval;
    }
    if (!chained || !(isfinite(interval) && interval > 0.0)) {
        runs_close(s);
    } else if (s->steps_per_contact == 2) {
        ssd_add(&s->var_t, interval);
        if (isfinite(e->stride_length_m) && e->stride_length_m > 0.0f) {
            ssd_add(&s->var_l, (double)e->stride_length_m);
            s->back_len_m += (double)e->stride_length_m;
            s->back_len_time_s += interval;
        }
    } else {
        if (isfinite(s->prev_back_step_s))
            ssd_add(&s->var_t, interval + s->prev_back_step_s);
        if (isfinite(e->step_length_m) && e->step_length_m > 0.0f) { /* trunk: the step */
            s->back_len_m += (double)e->step_length_m;
            s->back_len_time_s += interval;
        }
    }
    if (s->steps_per_contact == 1)
        s->prev_back_step_s = chained && isfinite(interval) && interval > 0.0 ? interval : DNAN;
    s->have_prev_contact = s->in_bout;
    s->prev_dir = e->direction;
}

static void add_stride(bstep_summary *s, double t)
{
    double d;
    s->n_stride++;
    d = t - s->stride_mean;
    s->stride_mean += d / (double)s->n_stride;
    s->stride_m2 += d * (t - s->stride_mean);
}

void bstep_summary_add(bstep_summary *s, const bstep_event *e)
{
    switch (e->type) {
    case BSTEP_EVENT_BOUT_START:
        s->bout_steps = 0;
        s->in_bout = 1;
        s->bout_start_us = e->t_us;
        s->bouts++;
        s->have_prev_step = 0;
        s->have_prev_contact = 0;
        runs_close(s);
        s->parity = 0;
        break;
    case BSTEP_EVENT_BOUT_END:
        if (s->in_bout && e->t_us > s->bout_start_us)
            s->walking_s += (double)(e->t_us - s->bout_start_us) * 1e-6;
        if (isfinite(e->value) && s->steps_per_contact == 1 && s->bout_steps > 1) {
            s->sum_cad += (double)e->value * (double)s->bout_steps;
            s->w_cad += (double)s->bout_steps;
        }
        if (isfinite(e->step_regularity)) {
            s->sum_reg1 += (double)e->step_regularity * (double)s->bout_steps;
            s->w_reg1 += (double)s->bout_steps;
        }
        if (isfinite(e->stride_regularity)) {
            s->sum_reg2 += (double)e->stride_regularity * (double)s->bout_steps;
            s->w_reg2 += (double)s->bout_steps;
        }
        s->in_bout = 0;
        s->have_prev_contact = 0;
        runs_close(s);
        break;
    case BSTEP_EVENT_LOOK_BACK:
        s->look_backs++;
        s->measured |= BSTEP_MEASURE_LOOK_BACKS;
        break;
    case BSTEP_EVENT_STUMBLE:
        s->stumbles++;
        s->measured |= BSTEP_MEASURE_STUMBLES;
        break;
    case BSTEP_EVENT_FALL:
        s->falls++;
        if (e->direction == BSTEP_DIRECTION_BACKWARD)
            s->falls_backward++;
        s->measured |= BSTEP_MEASURE_FALLS;
        break;
    case BSTEP_EVENT_POSTURE:
        if (isfinite(e->trunk_lean_deg))
            s->measured |= BSTEP_MEASURE_POSTURE;
        break;
    case BSTEP_EVENT_GAP:
        s->gaps++;
        break;
    case BSTEP_EVENT_INITIAL_CONTACT: {
        s->contacts++;
        if (e->direction == BSTEP_DIRECTION_FORWARD)
            s->dir_f++;
        else if (e->direction == BSTEP_DIRECTION_BACKWARD)
            s->dir_b++;
        else if (e->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT ||
                 e->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT)
            s->dir_s++;
        s->bout_steps++;
        {
            /* trunk: the step that ends here; foot: the stride of this foot */
            const float len = s->steps_per_contact == 1 ? e->step_length_m : e->stride_length_m;
            if (isfinite(len)) {
                s->dist_m += (double)len;
                s->n_length++;
                if (e->direction == BSTEP_DIRECTION_BACKWARD)
                    s->dist_back_m += (double)len;
                else if (e->direction == BSTEP_DIRECTION_FORWARD)
                    s->dist_fwd_m += (double)len;
            }
        }
        if (isfinite(e->trunk_lean_deg) && isfinite(e->side_lean_deg)) {
            s->sum_lean += (double)e->trunk_lean_deg;
            s->sum_side += (double)e->side_lean_deg;
            s->n_lean++;
        }
        if (e->strike != BSTEP_STRIKE_UNKNOWN && e->direction == BSTEP_DIRECTION_BACKWARD) {
            s->bw_strike_n++;
            s->bw_toe += e->strike == BSTEP_STRIKE_TOE;
        } else if (e->strike != BSTEP_STRIKE_UNKNOWN && e->direction == BSTEP_DIRECTION_FORWARD) {
            s->fw_strike_n++;
            s->fw_heel += e->strike == BSTEP_STRIKE_HEEL;
        }
        add_contact_detail(s, e,
                           s->steps_per_contact == 2 ? (double)e->stride_time_s : (double)e->value);
        if (s->steps_per_contact == 2) {
            if (isfinite(e->stride_time_s)) {
                s->n_int++;
                s->sum_int += (double)e->stride_time_s;
                add_stride(s, (double)e->stride_time_s);
            }
        } else if (isfinite(e->value)) { /* trunk: value = step time */
            const double st = (double)e->value;
            s->n_int++;
            s->sum_int += st;
            if (s->have_prev_step)
                add_stride(s, st + s->prev_step_s);
            if (s->parity++ % 2u) {
                s->sum_odd += st;
                s->n_odd++;
            } else {
                s->sum_even += st;
                s->n_even++;
            }
            s->prev_step_s = st;
            s->have_prev_step = 1;
        } else {
            s->have_prev_step = 0;
        }
        break;
    }
    default:
        break;
    }
}

/* Variability from successive differences, % of the mean; NAN with fewer than 2 differences. */
static double ssd_cv(const bstep__ssd_stat *v)
{
    if (v->n_diff < 2 || !(v->sum > 0.0))
        return DNAN;
    return 100.0 * sqrt(v->sum_d2 / (2.0 * (double)v->n_diff)) / (v->sum / (double)v->n);
}

static void get_detail(const bstep_summary *s, bstep_summary_values *o)
{
    const uint64_t *b = s->strikes[0], *f = s->strikes[1];
    o->measured = s->measured;
    o->time_backward_s = s->time_dir_s[0];
    o->time_forward_s = s->time_dir_s[1];
    o->time_sideways_s = s->time_dir_s[2];
    o->backward_toe_first = b[BSTEP_STRIKE_TOE];
    o->backward_flat = b[BSTEP_STRIKE_FLAT];
    o->backward_heel_first = b[BSTEP_STRIKE_HEEL];
    o->backward_strikes_known = b[BSTEP_STRIKE_TOE] + b[BSTEP_STRIKE_FLAT] + b[BSTEP_STRIKE_HEEL];
    o->forward_heel_first = f[BSTEP_STRIKE_HEEL];
    o->forward_strikes_known = f[BSTEP_STRIKE_TOE] + f[BSTEP_STRIKE_FLAT] + f[BSTEP_STRIKE_HEEL];
    o->backward_stride_time_cv_pct = ssd_cv(&s->var_t);
    o->backward_strides = s->var_t.n;
    o->mean_backward_stride_time_s = s->var_t.n > 0 ? s->var_t.sum / (double)s->var_t.n : DNAN;
    o->backward_stride_length_cv_pct = ssd_cv(&s->var_l);
    o->speed_backward_mps = s->back_len_time_s > 0.0 ? s->back_len_m / s->back_len_time_s : DNAN;
    o->cadence_backward_spm =
        s->n_back_int > 0 && s->sum_back_int > 0.0
            ? 60.0 * (double)s->steps_per_contact * (double)s->n_back_int / s->sum_back_int
            : DNAN;
    o->falls_backward = s->falls_backward;
}

void bstep_summary_get(const bstep_summary *s, bstep_summary_values *o)
{
    const double k = (double)s->steps_per_contact;
    memset(o, 0, sizeof(*o));
    o->contacts = s->contacts;
    o->steps = s->contacts * (uint64_t)s->steps_per_contact;
    o->steps_forward = s->dir_f * (uint64_t)s->steps_per_contact;
    o->steps_backward = s->dir_b * (uint64_t)s->steps_per_contact;
    o->steps_sideways = s->dir_s * (uint64_t)s->steps_per_contact;
    o->bouts = s->bouts;
    o->gaps = s->gaps;
    o->walking_time_s = s->walking_s;
    o->cadence_spm = s->w_cad > 0.0 ? s->sum_cad / s->w_cad
                     : s->n_int > 0 ? 60.0 * k * (double)s->n_int / s->sum_int
                                    : DNAN;
    o->mean_stride_time_s = s->n_stride > 0 ? s->stride_mean : DNAN;
    o->stride_time_cv_pct =
        s->n_stride > 2 && s->stride_mean > 0.0
            ? 100.0 * sqrt(s->stride_m2 / (double)(s->n_stride - 1)) / s->stride_mean
            : DNAN;
    if (s->n_odd > 2 && s->n_even > 2) {
        const double mo = s->sum_odd / (double)s->n_odd, me = s->sum_even / (double)s->n_even;
        o->step_time_asymmetry_pct = 100.0 * fabs(mo - me) / (0.5 * (mo + me));
    } else {
        o->step_time_asymmetry_pct = DNAN;
    }
    o->distance_m = s->n_length > 0 ? s->dist_m : DNAN;
    o->distance_backward_m = s->n_length > 0 ? s->dist_back_m : DNAN;
    o->distance_forward_m = s->n_length > 0 ? s->dist_fwd_m : DNAN;
    o->toe_first_ratio = s->bw_strike_n > 0 ? (double)s->bw_toe / (double)s->bw_strike_n : DNAN;
    o->heel_first_ratio = s->fw_strike_n > 0 ? (double)s->fw_heel / (double)s->fw_strike_n : DNAN;
    o->speed_mps = s->n_length > 0 && s->walking_s > 0.0 ? s->dist_m / s->walking_s : DNAN;
    o->trunk_lean_deg = s->n_lean > 0 ? s->sum_lean / (double)s->n_lean : DNAN;
    o->side_lean_deg = s->n_lean > 0 ? s->sum_side / (double)s->n_lean : DNAN;
    o->step_regularity = s->w_reg1 > 0.0 ? s->sum_reg1 / s->w_reg1 : DNAN;
    o->stride_regularity = s->w_reg2 > 0.0 ? s->sum_reg2 / s->w_reg2 : DNAN;
    o->look_backs = s->look_backs;
    o->stumbles = s->stumbles;
    o->falls = s->falls;
    o->safety_measured = s->steps_per_contact == 1;
    get_detail(s, o);
}
