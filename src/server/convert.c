/* Analysis -> store rows (see convert.h). Unknown numbers stay NAN, unknown counts -1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/convert.h"

void bstep__stored_analysis_free(bstep__stored_analysis *x)
{
    free(x->bouts);
    free(x->steps);
    free(x->events);
    memset(x, 0, sizeof(*x));
}

int bstep__analysis_to_store(const bstep__analysis *a, bstep__stored_analysis *x)
{
    bstep_store_session *s = &x->s;
    const bstep_summary_values *v = &a->summary;
    size_t i;
    int dir = 0;
    double back_s = 0.0;
    memset(x, 0, sizeof(*x));
    for (i = 0; i < a->n_steps; i++)
        if (a->steps[i].direction != BSTEP_DIRECTION_UNKNOWN)
            dir = 1;
    s->format = a->format;
    s->placement = a->placement;
    s->toe_axis = BSTEP_AXIS_AUTO;
    s->front_axis = BSTEP_AXIS_AUTO;
    s->duration_s = a->duration_s;
    s->sample_rate_hz = a->quality.sample_rate_hz;
    s->samples = (int64_t)a->quality.samples;
    s->gaps = (int64_t)v->gaps;
    s->treadmill_speed_mps = s->treadmill_incline_pct = (double)NAN;
    s->steps = (int64_t)v->steps;
    s->steps_forward = dir ? (int64_t)v->steps_forward : -1;
    s->steps_backward = dir ? (int64_t)v->steps_backward : -1;
    s->steps_sideways = dir ? (int64_t)v->steps_sideways : -1;
    s->bouts = (int64_t)v->bouts;
    s->walking_time_s = v->walking_time_s;
    for (i = 0; i < a->n_bouts; i++)
        if (strstr(a->bouts[i].activity, "backward") != NULL && isfinite(a->bouts[i].end_s))
            back_s += a->bouts[i].end_s - a->bouts[i].start_s;
    s->backward_time_s = back_s;
    s->cadence_spm = v->cadence_spm;
    s->distance_m = v->distance_m;
    s->distance_backward_m = v->distance_backward_m;
    s->speed_mps = v->speed_mps;
    s->energy_kcal = a->energy_kcal;
    s->energy_low_kcal = a->energy_low_kcal;
    s->energy_high_kcal = a->energy_high_kcal;
    s->energy_met_mean = a->met_mean;
    s->energy_mass_kg = a->energy_mass_kg;
    s->energy_mass_assumed = a->energy_mass_assumed;
    s->toe_first_ratio = v->toe_first_ratio;
    s->stride_time_cv_pct = v->stride_time_cv_pct;
    s->step_time_asymmetry_pct = v->step_time_asymmetry_pct;
    s->trunk_lean_deg = (double)NAN;
    s->look_backs = s->stumbles = s->falls = -1;
    s->hr_mean_bpm = (double)NAN;
    if (a->n_bouts > 0 && (x->bouts = calloc(a->n_bouts, sizeof(*x->bouts))) == NULL)
        goto oom;
    if (a->n_steps > 0 && (x->steps = calloc(a->n_steps, sizeof(*x->steps))) == NULL)
        goto oom;
    if (a->n_events > 0 && (x->events = calloc(a->n_events, sizeof(*x->events))) == NULL)
        goto oom;
    for (i = 0; i < a->n_bouts; i++) {
        x->bouts[i].start_s = a->bouts[i].start_s;
        x->bouts[i].end_s = a->bouts[i].end_s;
        snprintf(x->bouts[i].activity, sizeof(x->bouts[i].activity), "%s", a->bouts[i].activity);
        x->bouts[i].steps = (int64_t)a->bouts[i].steps;
        x->bouts[i].distance_m = a->bouts[i].distance_m;
    }
    for (i = 0; i < a->n_steps; i++) {
        const bstep__step_row *r = &a->steps[i];
        x->steps[i].ic_s = r->ic_s;
        x->steps[i].fc_s = r->fc_s;
        x->steps[i].foot = r->foot;
        x->steps[i].direction = r->direction;
        x->steps[i].strike = r->strike;
        x->steps[i].strike_angle_deg = r->strike_angle_deg;
        x->steps[i].stride_length_m = r->stride_length_m;
        x->steps[i].stride_time_s = r->stride_time_s;
    }
    for (i = 0; i < a->n_events; i++) {
        x->events[i].t_s = a->events[i].t_s;
        snprintf(x->events[i].type, sizeof(x->events[i].type), "%s", a->events[i].type);
        snprintf(x->events[i].message, sizeof(x->events[i].message), "%s", a->events[i].message);
    }
    x->parts.bouts = x->bouts;
    x->parts.n_bouts = a->n_bouts;
    x->parts.steps = x->steps;
    x->parts.n_steps = a->n_steps;
    x->parts.events = x->events;
    x->parts.n_events = a->n_events;
    return 0;
oom:
    bstep__stored_analysis_free(x);
    return -1;
}
