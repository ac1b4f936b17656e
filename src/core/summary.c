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
    return BSTEP_OK;
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
        s->parity = 0;
        break;
    case BSTEP_EVENT_BOUT_END:
        if (s->in_bout && e->t_us > s->bout_start_us)
            s->walking_s += (double)(e->t_us - s->bout_start_us) * 1e-6;
        if (isfinite(e->step_regularity)) {
            s->sum_reg1 += (double)e->step_regularity * (double)s->bout_steps;
            s->w_reg1 += (double)s->bout_steps;
        }
        if (isfinite(e->stride_regularity)) {
            s->sum_reg2 += (double)e->stride_regularity * (double)s->bout_steps;
            s->w_reg2 += (double)s->bout_steps;
        }
        s->in_bout = 0;
        break;
    case BSTEP_EVENT_LOOK_BACK:
        s->look_backs++;
        break;
    case BSTEP_EVENT_STUMBLE:
        s->stumbles++;
        break;
    case BSTEP_EVENT_FALL:
        s->falls++;
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
    o->cadence_spm = s->n_int > 0 ? 60.0 * k * (double)s->n_int / s->sum_int : DNAN;
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
}
