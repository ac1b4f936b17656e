/* Conversion of an analysis into its stored form (store_analysis.h). */
#include "store/store_analysis.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backstep/assess.h"
#include "backstep/coach.h"
#include "store/coach_store.h"

static int any_direction(const bstep__analysis *a)
{
    size_t i;
    for (i = 0; i < bstep__analysis_n_steps(a); i++)
        if (bstep__analysis_step(a, i)->direction != BSTEP_DIRECTION_UNKNOWN)
            return 1;
    return 0;
}

/* The parts' row providers: the analysis's spooled rows, one at a time, converted to the stored
 * form (no array of every step: a week-long recording stores in bounded memory). */
static int step_at(void *ctx, size_t k, bstep_store_step *o)
{
    const bstep__analysis *a = ctx;
    const bstep__step_row *r;
    if (k >= bstep__analysis_n_steps(a))
        return -1;
    r = bstep__analysis_step(a, k);
    memset(o, 0, sizeof(*o));
    o->ic_s = r->ic_s;
    o->fc_s = r->fc_s;
    o->foot = r->foot;
    o->direction = r->direction;
    o->strike = r->strike;
    o->strike_angle_deg = r->strike_angle_deg;
    o->stride_length_m = r->stride_length_m;
    o->stride_time_s = r->stride_time_s;
    o->stride_forward_m = r->stride_forward_m;
    o->stride_left_m = r->stride_left_m;
    o->speed_mps = r->speed_mps;
    o->clearance_m = r->clearance_m;
    o->turn_deg = r->turn_deg;
    o->fc_angle_deg = r->fc_angle_deg;
    o->fc_strike = r->fc_strike;
    o->step_length_m = r->step_length_m;
    o->trunk_lean_deg = r->trunk_lean_deg;
    o->side_lean_deg = r->side_lean_deg;
    o->confidence = r->confidence;
    return bstep__analysis_rows_status(a) == BSTEP_OK ? 0 : -1;
}

static int event_at(void *ctx, size_t k, bstep_store_event *o)
{
    const bstep__analysis *a = ctx;
    const bstep__event_row *e;
    if (k >= bstep__analysis_n_events(a))
        return -1;
    e = bstep__analysis_event(a, k);
    memset(o, 0, sizeof(*o));
    o->t_s = e->t_s;
    snprintf(o->type, sizeof(o->type), "%s", e->type ? e->type : "event");
    snprintf(o->message, sizeof(o->message), "%s", e->message);
    o->direction = e->direction;
    o->confidence = e->confidence;
    o->value = e->value;
    o->trunk_lean_deg = e->trunk_lean_deg;
    o->side_lean_deg = e->side_lean_deg;
    return bstep__analysis_rows_status(a) == BSTEP_OK ? 0 : -1;
}

void bstep__store_session_from_analysis(const bstep__analysis *a, bstep_store_session *s)
{
    const bstep_summary_values *v = &a->summary;
    const int dir = any_direction(a);
    size_t i;
    s->state = BSTEP_SESSION_DONE;
    s->format = a->format;
    s->placement = a->placement;
    s->duration_s = a->duration_s;
    s->sample_rate_hz = a->quality.sample_rate_hz;
    s->samples = (int64_t)a->quality.samples;
    s->gaps = (int64_t)a->quality.gaps;
    /* a treadmill's belt speed and incline carried by the recording (CSV columns), their means */
    s->treadmill_speed_mps = a->n_tm > 0 ? a->treadmill_speed_mps : (double)NAN;
    s->treadmill_incline_pct = a->n_tm > 0 ? a->treadmill_incline_pct : (double)NAN;
    s->steps = (int64_t)v->steps;
    s->steps_forward = dir ? (int64_t)v->steps_forward : -1;
    s->steps_backward = dir ? (int64_t)v->steps_backward : -1;
    s->steps_sideways = dir ? (int64_t)v->steps_sideways : -1;
    s->bouts = (int64_t)v->bouts;
    s->walking_time_s = v->walking_time_s;
    s->backward_time_s = dir ? 0.0 : (double)NAN;
    for (i = 0; dir && i < a->n_bouts; i++) {
        const bstep__bout_row *b = &a->bouts[i];
        if (strstr(b->activity, "backward") != NULL && isfinite(b->end_s) && b->end_s > b->start_s)
            s->backward_time_s += b->end_s - b->start_s;
    }
    s->cadence_spm = v->cadence_spm;
    s->distance_m = v->distance_m;
    s->distance_backward_m = v->distance_backward_m;
    s->distance_forward_m = v->distance_forward_m;
    s->speed_mps = v->speed_mps;
    s->energy_kcal = a->energy_kcal;
    s->energy_low_kcal = a->energy_low_kcal;
    s->energy_high_kcal = a->energy_high_kcal;
    s->energy_met_mean = a->met_mean;
    s->energy_mass_kg = a->energy_mass_kg;
    s->energy_mass_assumed = a->energy_mass_assumed;
    s->toe_first_ratio = v->toe_first_ratio;
    s->heel_first_ratio = v->heel_first_ratio;
    s->stride_time_cv_pct = v->stride_time_cv_pct;
    s->step_time_asymmetry_pct = v->step_time_asymmetry_pct;
    s->trunk_lean_deg = v->trunk_lean_deg;
    s->side_lean_deg = v->side_lean_deg;
    s->step_regularity = v->step_regularity;
    s->stride_regularity = v->stride_regularity;
    /* counted only where measured: a foot sensor does not see stumbles, falls, look-backs, and
     * look-backs need a gyroscope (the same rule as the JSON report) */
    s->stumbles = v->safety_measured ? (int64_t)v->stumbles : -1;
    s->falls = v->safety_measured ? (int64_t)v->falls : -1;
    s->look_backs = v->safety_measured && a->quality.has_gyro ? (int64_t)v->look_backs : -1;
    s->hr_mean_bpm = a->hr_mean_bpm; /* the recording's own heart rate (CSV hr column) */
    /* The coach's figures (schema version 4). */
    s->time_backward_s = (v->measured & BSTEP_MEASURE_DIRECTION) ? v->time_backward_s : (double)NAN;
    s->speed_backward_mps = v->speed_backward_mps;
    s->backward_stride_time_cv_pct = v->backward_stride_time_cv_pct;
    s->backward_stride_length_cv_pct = v->backward_stride_length_cv_pct;
    s->backward_strides = (int64_t)v->backward_strides;
    s->backward_strikes =
        (v->measured & BSTEP_MEASURE_STRIKE) ? (int64_t)v->backward_strikes_known : -1;
}

void bstep__store_session_unknown(bstep_store_session *s)
{
    const double u = (double)NAN;
    s->state = BSTEP_SESSION_DONE;
    s->duration_s = s->sample_rate_hz = s->treadmill_speed_mps = s->treadmill_incline_pct = u;
    s->samples = s->gaps = 0;
    s->steps = 0;
    s->steps_forward = s->steps_backward = s->steps_sideways = -1;
    s->bouts = 0;
    s->walking_time_s = s->backward_time_s = s->cadence_spm = s->distance_m = u;
    s->distance_backward_m = s->distance_forward_m = s->speed_mps = u;
    s->energy_kcal = s->energy_low_kcal = s->energy_high_kcal = s->energy_met_mean = u;
    s->energy_mass_kg = u;
    s->energy_mass_assumed = 0;
    s->toe_first_ratio = s->heel_first_ratio = s->stride_time_cv_pct = u;
    s->step_time_asymmetry_pct = s->trunk_lean_deg = s->side_lean_deg = u;
    s->step_regularity = s->stride_regularity = u;
    s->look_backs = s->stumbles = s->falls = -1;
    s->hr_mean_bpm = u;
    s->time_backward_s = s->speed_backward_mps = u;
    s->backward_stride_time_cv_pct = s->backward_stride_length_cv_pct = u;
    s->backward_strides = -1;
    s->backward_strikes = -1;
}

void bstep__store_session_from_activity(const bstep__activity_analysis *a, bstep_store_session *s)
{
    const int bw = a->direction == BSTEP_DIRECTION_BACKWARD,
              fw = a->direction == BSTEP_DIRECTION_FORWARD;
    bstep__store_session_unknown(s);
    s->format = a->format;
    s->placement = BSTEP_PLACEMENT_AUTO;
    s->duration_s = a->duration_s;
    s->sample_rate_hz =
        a->quality.median_interval_s > 0.0 ? 1.0 / a->quality.median_interval_s : (double)NAN;
    s->samples = (int64_t)a->quality.records;
    s->gaps = (int64_t)a->quality.gaps;
    s->steps = isfinite(a->steps) ? (int64_t)a->steps : -1;
    s->bouts = (int64_t)a->n_bouts;
    s->walking_time_s = a->walking_time_s;
    s->backward_time_s = bw ? a->walking_time_s : fw ? 0.0 : (double)NAN;
    s->cadence_spm = a->cadence_spm;
    s->distance_m = a->distance_m;
    s->distance_backward_m = bw ? a->distance_m : fw ? 0.0 : (double)NAN;
    s->distance_forward_m = fw ? a->distance_m : bw ? 0.0 : (double)NAN;
    s->speed_mps = a->speed_mps;
    s->energy_kcal = a->energy_kcal;
    s->energy_low_kcal = a->energy_low_kcal;
    s->energy_high_kcal = a->energy_high_kcal;
    s->energy_met_mean = a->met_mean;
    s->energy_mass_kg = a->energy_mass_kg;
    s->energy_mass_assumed = a->energy_mass_assumed;
    s->hr_mean_bpm = a->hr_mean_bpm;
    /* The coach's figures: the file's walking time and speed in its direction; no strides or
     * strikes (a watch or treadmill sees neither), so no rhythm and no toe-first. */
    s->time_backward_s = s->backward_time_s;
    s->speed_backward_mps = bw ? a->speed_mps : (double)NAN;
    s->backward_strides = -1;
    s->backward_strikes = -1;
}

bstep_store_bout *bstep__store_bouts_of_activity(const bstep__activity_analysis *a)
{
    bstep_store_bout *bouts = calloc(a->n_bouts + 1, sizeof(*bouts));
    const int bw = a->direction == BSTEP_DIRECTION_BACKWARD;
    size_t i;
    if (bouts == NULL)
        return NULL;
    for (i = 0; i < a->n_bouts; i++) {
        bouts[i].start_s = a->bouts[i].start_s;
        bouts[i].end_s = a->bouts[i].end_s;
        snprintf(bouts[i].activity, sizeof(bouts[i].activity), "%s", bw ? "walk-backward" : "walk");
        bouts[i].steps = -1;
        bouts[i].distance_m = a->bouts[i].distance_m;
        bouts[i].cadence_spm = bouts[i].direction_confidence = (double)NAN;
        bouts[i].step_regularity = bouts[i].stride_regularity = (double)NAN;
    }
    return bouts;
}

bstep_store_series_point *bstep__store_series_of_activity(const bstep__activity_analysis *a)
{
    bstep_store_series_point *p = calloc(a->n_rec + 1, sizeof(*p));
    size_t i;
    if (p == NULL)
        return NULL;
    for (i = 0; i < a->n_rec; i++) {
        const bstep_activity_record *r = &a->rec[i];
        p[i].t_us = r->t_us;
        p[i].hr_bpm = r->heart_rate_bpm;
        p[i].speed_mps = r->speed_mps;
        p[i].incline_pct = r->incline_pct;
        p[i].cadence_spm = r->cadence_spm;
        p[i].distance_m = r->distance_m;
    }
    return p;
}

static int cmp_point_time(const void *x, const void *y)
{
    const bstep_store_series_point *a = x, *b = y;
    return (a->t_us > b->t_us) - (a->t_us < b->t_us);
}

static double first_finite(double a, double b)
{
    return isfinite(a) ? a : b;
}

int bstep__store_series_of_analysis(const bstep__analysis *a, int64_t start_us,
                                    bstep_store_series_point **out, size_t *n)
{
    bstep_store_series_point *p;
    size_t i, k = 0, m;
    *out = NULL;
    *n = 0;
    if (a->n_tm == 0 && a->n_hr == 0)
        return BSTEP_OK;
    p = calloc(a->n_tm + a->n_hr + 1, sizeof(*p));
    if (p == NULL)
        return BSTEP_ENOMEM;
    for (i = 0; i < a->n_tm + a->n_hr; i++) {
        bstep_store_series_point *q = &p[k++];
        q->hr_bpm = q->speed_mps = q->incline_pct = q->cadence_spm = q->distance_m = (double)NAN;
        if (i < a->n_tm) {
            q->t_us = start_us + (a->tm[i].t_us - a->t0_us);
            q->speed_mps = (double)a->tm[i].speed_mps;
            q->incline_pct = (double)a->tm[i].incline_pct;
        } else {
            q->t_us = start_us + (a->hr[i - a->n_tm].t_us - a->t0_us);
            q->hr_bpm = (double)a->hr[i - a->n_tm].hr_bpm;
        }
    }
    /* one point per time: the belt's and the heart rate's readings of the same second merged */
    qsort(p, k, sizeof(*p), cmp_point_time);
    for (i = 0, m = 0; i < k; i++) {
        if (m > 0 && p[m - 1].t_us == p[i].t_us) {
            bstep_store_series_point *q = &p[m - 1];
            q->hr_bpm = first_finite(q->hr_bpm, p[i].hr_bpm);
            q->speed_mps = first_finite(q->speed_mps, p[i].speed_mps);
            q->incline_pct = first_finite(q->incline_pct, p[i].incline_pct);
        } else {
            p[m++] = p[i];
        }
    }
    *out = p;
    *n = m;
    return BSTEP_OK;
}

int bstep__store_parts_from_analysis(const bstep__analysis *a, bstep__stored_parts *p)
{
    size_t i;
    memset(p, 0, sizeof(*p));
    if (bstep__analysis_rows_status(a) != BSTEP_OK)
        return bstep__analysis_rows_status(a);
    p->bouts = calloc(a->n_bouts + 1, sizeof(*p->bouts));
    p->cues = calloc(a->n_cues + 1, sizeof(*p->cues));
    if (p->bouts == NULL || p->cues == NULL) {
        bstep__stored_parts_free(p);
        return BSTEP_ENOMEM;
    }
    for (i = 0; i < a->n_bouts; i++) {
        const bstep__bout_row *b = &a->bouts[i];
        p->bouts[i].start_s = b->start_s;
        p->bouts[i].end_s = b->end_s;
        snprintf(p->bouts[i].activity, sizeof(p->bouts[i].activity), "%s",
                 b->activity ? b->activity : "walk");
        p->bouts[i].steps = (int64_t)b->steps;
        p->bouts[i].distance_m = b->distance_m;
        p->bouts[i].cadence_spm = b->cadence_spm;
        p->bouts[i].direction_confidence = b->direction_confidence;
        p->bouts[i].step_regularity = b->step_regularity;
        p->bouts[i].stride_regularity = b->stride_regularity;
    }
    p->parts.bouts = p->bouts;
    p->parts.n_bouts = a->n_bouts;
    p->parts.n_steps = bstep__analysis_n_steps(a);
    p->parts.n_events = bstep__analysis_n_events(a);
    p->parts.step_at = step_at;
    p->parts.event_at = event_at;
    p->parts.row_ctx = (void *)a;     /* read only; the spools' page cache changes */
    for (i = 0; i < a->n_cues; i++) { /* the cue's stable name and what was said */
        p->cues[i].t_s = a->cues[i].t_s;
        snprintf(p->cues[i].kind, sizeof(p->cues[i].kind), "%s", bstep_cue_name(a->cues[i].type));
        snprintf(p->cues[i].message, sizeof(p->cues[i].message), "%s",
                 bstep_cue_text(a->cues[i].type));
    }
    p->parts.cues = p->cues;
    p->parts.n_cues = a->n_cues;
    return BSTEP_OK;
}

void bstep__stored_parts_free(bstep__stored_parts *p)
{
    free(p->bouts);
    free(p->cues);
    memset(p, 0, sizeof(*p));
}

int64_t bstep__store_start_of(const bstep__analysis *a, const char *path, int64_t given_us,
                              bstep_start_source *source)
{
    struct stat sb;
    if (given_us != INT64_MIN) {
        *source = BSTEP_START_GIVEN;
        return given_us;
    }
    if (a->t0_us >= BSTEP__EPOCH_MIN_US) {
        *source = BSTEP_START_RECORDING;
        return a->t0_us;
    }
    *source = BSTEP_START_FILE_TIME;
    if (path != NULL && stat(path, &sb) == 0) {
        const double dur = isfinite(a->duration_s) && a->duration_s > 0 ? a->duration_s : 0.0;
        return (int64_t)sb.st_mtim.tv_sec * 1000000 + (int64_t)(sb.st_mtim.tv_nsec / 1000) -
               (int64_t)(dur * 1e6);
    }
    return 0;
}

int bstep__store_assess_replay(bstep_store *st, int64_t user_id, bstep__plan_state *ps)
{
    char err[256];
    /* every session, whenever walked: the day limit is beyond any stored date */
    return bstep__plan_replay(st, user_id, INT32_MAX / 2, ps, err, sizeof(err)) == BSTEP_OK;
}

int bstep__store_session_assess_in(const bstep__plan_state *ps, const bstep_store_session *s,
                                   bstep_assessment *out)
{
    bstep_summary_values v;
    bstep_assess_context ctx;
    const int foot =
        s->placement == BSTEP_PLACEMENT_FOOT_LEFT || s->placement == BSTEP_PLACEMENT_FOOT_RIGHT;
    memset(&v, 0, sizeof(v));
    /* what the sensor measured: the store keeps an unmeasured figure as NAN or -1 */
    if (isfinite(s->time_backward_s))
        v.measured |= BSTEP_MEASURE_DIRECTION;
    if (s->backward_strikes >= 0)
        v.measured |= BSTEP_MEASURE_STRIKE;
    if (isfinite(s->backward_stride_length_cv_pct) || (foot && isfinite(s->distance_m)))
        v.measured |= BSTEP_MEASURE_STRIDE_LENGTH;
    if (s->stumbles >= 0)
        v.measured |= BSTEP_MEASURE_STUMBLES;
    if (s->falls >= 0)
        v.measured |= BSTEP_MEASURE_FALLS;
    if (s->look_backs >= 0)
        v.measured |= BSTEP_MEASURE_LOOK_BACKS;
    if (isfinite(s->trunk_lean_deg))
        v.measured |= BSTEP_MEASURE_POSTURE;
    v.steps = s->steps > 0 ? (uint64_t)s->steps : 0u;
    /* initial contacts: a foot sensor sees one foot (a stride counts two steps) */
    v.contacts = foot ? v.steps / 2u : v.steps;
    v.walking_time_s = s->walking_time_s;
    v.toe_first_ratio = s->toe_first_ratio;
    v.stride_time_cv_pct = s->stride_time_cv_pct;
    v.step_time_asymmetry_pct = s->step_time_asymmetry_pct;
    v.trunk_lean_deg = s->trunk_lean_deg;
    v.look_backs = s->look_backs > 0 ? (uint64_t)s->look_backs : 0u;
    v.stumbles = s->stumbles > 0 ? (uint64_t)s->stumbles : 0u;
    v.falls = s->falls > 0 ? (uint64_t)s->falls : 0u;
    v.safety_measured = s->stumbles >= 0;
    v.time_backward_s = s->time_backward_s;
    v.backward_strikes_known = s->backward_strikes > 0 ? (uint64_t)s->backward_strikes : 0u;
    v.backward_strides = s->backward_strides > 0 ? (uint64_t)s->backward_strides : 0u;
    v.backward_stride_time_cv_pct = s->backward_stride_time_cv_pct;
    v.backward_stride_length_cv_pct = s->backward_stride_length_cv_pct;
    v.speed_backward_mps = s->speed_backward_mps;
    ctx.speed_max_mps = ctx.planned_backward_s = (double)NAN;
    if (ps != NULL) {
        const bstep__plan_step *step = bstep__plan_step_of(ps, s->id);
        const bstep_level *lv = step != NULL ? bstep_level_get(step->d.level_from) : NULL;
        if (lv != NULL) {
            /* the minutes of bstep_coach_get_today when the session was walked: the lower value
             * for the first session at the level, the upper one after; the gates count the
             * session itself. Without gates (a pause, a stumble) the lower value. */
            const bstep_plan *pl = bstep_plan_get(ps->plan_id);
            const int before =
                step->d.gates_evaluated ? (int)step->d.gates[BSTEP_GATE_SESSIONS].value - 1 : 0;
            ctx.speed_max_mps = lv->speed_max_mps;
            ctx.planned_backward_s = 60.0 * (before > 0 ? pl->minutes_max : pl->minutes_min);
        }
    }
    return bstep_assess_session(&v, &ctx, NULL, out);
}

int bstep__store_session_assess(bstep_store *st, const bstep_store_session *s,
                                bstep_assessment *out)
{
    bstep__plan_state ps;
    int rc;
    if (!bstep__store_assess_replay(st, s->user_id, &ps))
        return bstep__store_session_assess_in(NULL, s, out);
    rc = bstep__store_session_assess_in(&ps, s, out);
    bstep__plan_state_free(&ps);
    return rc;
}
