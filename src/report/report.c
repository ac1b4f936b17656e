/*
 * Rendering of an analysis: the JSON of DESIGN.md section 6 (schema backstep.analysis/1, described
 * in docs/json-schema.md) and the plain-text report for the walker. Both read the same
 * bstep__analysis, so they always agree. Unknown values are null in JSON and "not measured" in
 * text; nothing is made up.
 */
#include <math.h>
#include <string.h>

#include "backstep/types.h"
#include "internal/jsonw.h"
#include "report/report.h"

#define SCHEMA_ID "backstep.analysis/1"
#define DNAN      ((double)NAN)

/* The safety wording of every report (text and JSON). */
#define SAFETY_TEXT                                                                                \
    "Walk backward only where it is flat, clear and quiet, ideally with someone watching; on a "   \
    "treadmill start slowly holding the rails and clip on the safety key. Stop if you feel "       \
    "pain, dizziness or unsteadiness. backstep measures your walking; it does not give medical "   \
    "advice: ask a health professional about health questions."

static const char *measure_name(unsigned bit)
{
    switch (bit) {
    case BSTEP_MEASURE_DIRECTION:
        return "direction";
    case BSTEP_MEASURE_STRIKE:
        return "strike";
    case BSTEP_MEASURE_STRIDE_LENGTH:
        return "stride_length";
    case BSTEP_MEASURE_STUMBLES:
        return "stumbles";
    case BSTEP_MEASURE_FALLS:
        return "falls";
    case BSTEP_MEASURE_LOOK_BACKS:
        return "look_backs";
    case BSTEP_MEASURE_POSTURE:
        return "posture";
    default:
        return "unknown";
    }
}

static int any_direction(const bstep__analysis *a)
{
    return (a->summary.measured & BSTEP_MEASURE_DIRECTION) != 0;
}

static void count_or_null(bstep__jsonw *w, const char *key, uint64_t v, int known)
{
    bstep__jsonw_key(w, key);
    if (known)
        bstep__jsonw_int(w, (int64_t)v);
    else
        bstep__jsonw_null(w);
}

static void num(bstep__jsonw *w, const char *key, double v, int decimals)
{
    bstep__jsonw_key(w, key);
    bstep__jsonw_number(w, v, decimals);
}

/* Pace in seconds per kilometre from a speed in m/s; NAN when unknown or too slow to matter. */
static double pace(double speed_mps)
{
    return isfinite(speed_mps) && speed_mps > 0.05 ? 1000.0 / speed_mps : DNAN;
}

static void assessment_json(bstep__jsonw *w, const bstep__analysis *a)
{
    const bstep_assessment *as = &a->assessment;
    size_t i;
    int k;
    bstep__jsonw_key(w, "assessment");
    bstep__jsonw_object_begin(w);
    bstep__jsonw_key(w, "scores");
    bstep__jsonw_object_begin(w);
    for (k = 0; k < BSTEP_SCORE_COUNT; k++) {
        const bstep_score *sc = &as->score[k];
        bstep__jsonw_key(w, bstep_score_name(sc->id));
        bstep__jsonw_object_begin(w);
        num(w, "value", sc->value, sc->id == BSTEP_SCORE_TOE_FIRST ? 3 : 2);
        bstep__jsonw_key(w, "unit");
        bstep__jsonw_string(w, bstep_score_unit(sc->id));
        bstep__jsonw_key(w, "band");
        if (sc->band == BSTEP_BAND_UNKNOWN)
            bstep__jsonw_null(w);
        else
            bstep__jsonw_string(w, bstep_band_name(sc->band));
        bstep__jsonw_object_end(w);
    }
    bstep__jsonw_object_end(w);
    bstep__jsonw_key(w, "work_on");
    bstep__jsonw_array_begin(w);
    for (i = 0; i < as->n_advice; i++) {
        const bstep_advice *ad = &as->advice[i];
        bstep__jsonw_object_begin(w);
        bstep__jsonw_key(w, "id");
        bstep__jsonw_string(w, bstep_advice_name(ad->id));
        bstep__jsonw_key(w, "severity");
        bstep__jsonw_string(w, bstep_band_name(ad->band));
        bstep__jsonw_key(w, "text");
        bstep__jsonw_string(w, bstep_advice_text(ad->id));
        bstep__jsonw_key(w, "reason");
        bstep__jsonw_string(w, bstep_advice_reason(ad->id));
        num(w, "measured", ad->measured, 3);
        num(w, "target", ad->target, 3);
        bstep__jsonw_key(w, "unit");
        bstep__jsonw_string(w, bstep_advice_unit(ad->id));
        bstep__jsonw_object_end(w);
    }
    bstep__jsonw_array_end(w);
    bstep__jsonw_key(w, "faults");
    bstep__jsonw_int(w, (int64_t)as->n_faults);
    bstep__jsonw_key(w, "not_measured");
    bstep__jsonw_array_begin(w);
    for (k = 0; k < 7; k++)
        if (as->not_measured & (1u << k))
            bstep__jsonw_string(w, measure_name(1u << k));
    bstep__jsonw_array_end(w);
    bstep__jsonw_key(w, "safety");
    bstep__jsonw_string(w, SAFETY_TEXT);
    bstep__jsonw_object_end(w);
}

static void cues_json(bstep__jsonw *w, const bstep__analysis *a)
{
    size_t i;
    bstep__jsonw_key(w, "cues");
    bstep__jsonw_array_begin(w);
    for (i = 0; i < a->n_cues; i++) {
        const bstep__cue_row *c = &a->cues[i];
        bstep__jsonw_object_begin(w);
        num(w, "t_s", c->t_s, 3);
        num(w, "cause_s", c->cause_s, 3);
        bstep__jsonw_key(w, "type");
        bstep__jsonw_string(w, bstep_cue_name(c->type));
        bstep__jsonw_key(w, "text");
        bstep__jsonw_string(w, bstep_cue_text(c->type));
        num(w, "value", c->value, 3);
        bstep__jsonw_object_end(w);
    }
    bstep__jsonw_array_end(w);
}

void bstep__report_json(FILE *f, const bstep__analysis *a)
{
    bstep__jsonw w;
    const bstep_summary_values *s = &a->summary;
    const int dir = any_direction(a);
    size_t i;
    bstep__jsonw_init(&w, f, 2);
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "schema");
    bstep__jsonw_string(&w, SCHEMA_ID);

    bstep__jsonw_key(&w, "recording");
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "path");
    bstep__jsonw_string(&w, a->path);
    bstep__jsonw_key(&w, "format");
    bstep__jsonw_string(&w, bstep_format_name(a->format));
    num(&w, "sample_rate_hz", a->quality.sample_rate_hz, 3);
    num(&w, "duration_s", a->duration_s, 3);
    bstep__jsonw_key(&w, "samples");
    bstep__jsonw_int(&w, (int64_t)a->quality.samples);
    bstep__jsonw_key(&w, "gaps");
    bstep__jsonw_int(&w, (int64_t)a->quality.gaps);
    num(&w, "longest_gap_s", a->quality.longest_gap_s, 3);
    bstep__jsonw_key(&w, "missing_samples");
    bstep__jsonw_int(&w, (int64_t)a->quality.missing_samples);
    bstep__jsonw_key(&w, "duplicate_timestamps");
    bstep__jsonw_int(&w, (int64_t)a->quality.duplicate_timestamps);
    bstep__jsonw_key(&w, "backward_timestamps");
    bstep__jsonw_int(&w, (int64_t)a->quality.backward_timestamps);
    bstep__jsonw_key(&w, "nonfinite_values");
    bstep__jsonw_int(&w, (int64_t)a->quality.nonfinite_values);
    bstep__jsonw_key(&w, "clipped_samples");
    bstep__jsonw_int(&w, (int64_t)a->quality.clipped_samples);
    bstep__jsonw_key(&w, "has_gyro");
    bstep__jsonw_bool(&w, a->quality.has_gyro);
    bstep__jsonw_object_end(&w);

    bstep__jsonw_key(&w, "placement");
    bstep__jsonw_string(&w, bstep_placement_name(a->placement));

    bstep__jsonw_key(&w, "summary");
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "steps");
    bstep__jsonw_int(&w, (int64_t)s->steps);
    count_or_null(&w, "steps_forward", s->steps_forward, dir);
    count_or_null(&w, "steps_backward", s->steps_backward, dir);
    count_or_null(&w, "steps_sideways", s->steps_sideways, dir);
    num(&w, "walking_time_s", s->walking_time_s, 2);
    num(&w, "cadence_spm", s->cadence_spm, 1);
    num(&w, "distance_m", s->distance_m, 2);
    num(&w, "distance_backward_m", s->distance_backward_m, 2);
    num(&w, "distance_forward_m", s->distance_forward_m, 2);
    num(&w, "speed_mps", s->speed_mps, 3);
    num(&w, "energy_kcal", a->energy_kcal, 1);
    num(&w, "energy_met_mean", a->met_mean, 2);
    num(&w, "energy_mass_kg", a->energy_mass_kg, 1);
    bstep__jsonw_key(&w, "energy_mass_assumed");
    bstep__jsonw_bool(&w, a->energy_mass_assumed);
    num(&w, "toe_first_ratio", s->toe_first_ratio, 3);
    num(&w, "heel_first_ratio", s->heel_first_ratio, 3);
    num(&w, "stride_time_cv_pct", s->stride_time_cv_pct, 2);
    num(&w, "step_time_asymmetry_pct", s->step_time_asymmetry_pct, 2);
    num(&w, "step_regularity", s->step_regularity, 3);
    num(&w, "stride_regularity", s->stride_regularity, 3);
    num(&w, "trunk_lean_deg", (s->measured & BSTEP_MEASURE_POSTURE) ? s->trunk_lean_deg : DNAN, 1);
    num(&w, "side_lean_deg", (s->measured & BSTEP_MEASURE_POSTURE) ? s->side_lean_deg : DNAN, 1);
    /* look-backs need a gyroscope; a foot sensor sees none of these */
    count_or_null(&w, "look_backs", s->look_backs, (s->measured & BSTEP_MEASURE_LOOK_BACKS) != 0);
    count_or_null(&w, "stumbles", s->stumbles, (s->measured & BSTEP_MEASURE_STUMBLES) != 0);
    count_or_null(&w, "falls", s->falls, (s->measured & BSTEP_MEASURE_FALLS) != 0);
    bstep__jsonw_key(&w, "bouts");
    bstep__jsonw_int(&w, (int64_t)s->bouts);
    /* Added for the session report (issue 6): docs/json-schema.md. */
    num(&w, "time_backward_s", dir ? s->time_backward_s : DNAN, 2);
    num(&w, "time_forward_s", dir ? s->time_forward_s : DNAN, 2);
    num(&w, "time_sideways_s", dir ? s->time_sideways_s : DNAN, 2);
    num(&w, "pace_s_per_km", pace(s->speed_mps), 0);
    num(&w, "speed_backward_mps", s->speed_backward_mps, 3);
    num(&w, "pace_backward_s_per_km", pace(s->speed_backward_mps), 0);
    num(&w, "cadence_backward_spm", s->cadence_backward_spm, 1);
    count_or_null(&w, "backward_strikes", s->backward_strikes_known,
                  (s->measured & BSTEP_MEASURE_STRIKE) != 0);
    count_or_null(&w, "backward_heel_first", s->backward_heel_first,
                  (s->measured & BSTEP_MEASURE_STRIKE) != 0);
    count_or_null(&w, "backward_flat", s->backward_flat, (s->measured & BSTEP_MEASURE_STRIKE) != 0);
    bstep__jsonw_key(&w, "backward_strides");
    bstep__jsonw_int(&w, (int64_t)s->backward_strides);
    num(&w, "backward_stride_time_cv_pct", s->backward_stride_time_cv_pct, 2);
    num(&w, "backward_stride_length_cv_pct", s->backward_stride_length_cv_pct, 2);
    count_or_null(&w, "falls_backward", s->falls_backward,
                  (s->measured & BSTEP_MEASURE_FALLS) != 0);
    num(&w, "energy_low_kcal", a->energy_low_kcal, 1);
    num(&w, "energy_high_kcal", a->energy_high_kcal, 1);
    num(&w, "hr_mean_bpm", a->hr_mean_bpm, 1);
    num(&w, "hr_max_bpm", a->hr_max_bpm, 1);
    bstep__jsonw_key(&w, "hr_readings");
    bstep__jsonw_int(&w, (int64_t)a->n_hr);
    num(&w, "energy_kcal_hr", a->energy_kcal_hr, 1);
    num(&w, "treadmill_speed_mps", a->n_tm > 0 ? a->treadmill_speed_mps : DNAN, 3);
    num(&w, "treadmill_incline_pct", a->n_tm > 0 ? a->treadmill_incline_pct : DNAN, 2);
    bstep__jsonw_key(&w, "energy_hr_flags");
    bstep__jsonw_array_begin(&w);
    {
        unsigned bit;
        for (bit = 1u; bit <= BSTEP_ENERGY_INCOMPLETE; bit <<= 1)
            if ((a->energy_hr_flags & bit) && bstep_energy_flag_name(bit) != NULL)
                bstep__jsonw_string(&w, bstep_energy_flag_name(bit));
    }
    bstep__jsonw_array_end(&w);
    bstep__jsonw_object_end(&w);

    assessment_json(&w, a);
    cues_json(&w, a);

    bstep__jsonw_key(&w, "bouts");
    bstep__jsonw_array_begin(&w);
    for (i = 0; i < a->n_bouts; i++) {
        const bstep__bout_row *b = &a->bouts[i];
        bstep__jsonw_object_begin(&w);
        num(&w, "start_s", b->start_s, 3);
        num(&w, "end_s", b->end_s, 3);
        bstep__jsonw_key(&w, "activity");
        bstep__jsonw_string(&w, b->activity);
        bstep__jsonw_key(&w, "steps");
        bstep__jsonw_int(&w, (int64_t)b->steps);
        num(&w, "distance_m", b->distance_m, 2);
        num(&w, "cadence_spm", b->cadence_spm, 1);
        num(&w, "direction_confidence", b->direction_confidence, 2);
        num(&w, "step_regularity", b->step_regularity, 3);
        num(&w, "stride_regularity", b->stride_regularity, 3);
        bstep__jsonw_object_end(&w);
    }
    bstep__jsonw_array_end(&w);

    bstep__jsonw_key(&w, "steps");
    bstep__jsonw_array_begin(&w);
    for (i = 0; i < bstep__analysis_n_steps(a); i++) {
        const bstep__step_row row = *bstep__analysis_step(a, i), *r = &row;
        bstep__jsonw_object_begin(&w);
        num(&w, "ic_s", r->ic_s, 3);
        num(&w, "fc_s", r->fc_s, 3);
        bstep__jsonw_key(&w, "foot");
        if (r->foot == BSTEP_FOOT_UNKNOWN)
            bstep__jsonw_null(&w);
        else
            bstep__jsonw_string(&w, bstep_foot_name(r->foot));
        bstep__jsonw_key(&w, "direction");
        if (r->direction == BSTEP_DIRECTION_UNKNOWN)
            bstep__jsonw_null(&w);
        else
            bstep__jsonw_string(&w, bstep_direction_name(r->direction));
        bstep__jsonw_key(&w, "strike");
        if (r->strike == BSTEP_STRIKE_UNKNOWN)
            bstep__jsonw_null(&w);
        else
            bstep__jsonw_string(&w, bstep_strike_name(r->strike));
        num(&w, "strike_angle_deg", r->strike_angle_deg, 1);
        num(&w, "stride_length_m", r->stride_length_m, 3);
        num(&w, "stride_time_s", r->stride_time_s, 3);
        bstep__jsonw_key(&w, "stride_vector_m");
        if (isfinite(r->stride_forward_m) && isfinite(r->stride_left_m)) {
            bstep__jsonw_array_begin(&w);
            bstep__jsonw_number(&w, r->stride_forward_m, 3);
            bstep__jsonw_number(&w, r->stride_left_m, 3);
            bstep__jsonw_array_end(&w);
        } else {
            bstep__jsonw_null(&w);
        }
        num(&w, "speed_mps", r->speed_mps, 3);
        num(&w, "clearance_m", r->clearance_m, 3);
        num(&w, "turn_deg", r->turn_deg, 1);
        num(&w, "fc_angle_deg", r->fc_angle_deg, 1);
        bstep__jsonw_key(&w, "fc_strike");
        if (r->fc_strike == BSTEP_STRIKE_UNKNOWN)
            bstep__jsonw_null(&w);
        else
            bstep__jsonw_string(&w, bstep_strike_name(r->fc_strike));
        num(&w, "step_length_m", r->step_length_m, 3);
        num(&w, "trunk_lean_deg", r->trunk_lean_deg, 1);
        num(&w, "side_lean_deg", r->side_lean_deg, 1);
        num(&w, "direction_confidence", r->confidence, 2);
        bstep__jsonw_object_end(&w);
    }
    bstep__jsonw_array_end(&w);

    bstep__jsonw_key(&w, "events");
    bstep__jsonw_array_begin(&w);
    for (i = 0; i < bstep__analysis_n_events(a); i++) {
        const bstep__event_row *e = bstep__analysis_event(a, i);
        bstep__jsonw_object_begin(&w);
        num(&w, "t_s", e->t_s, 3);
        bstep__jsonw_key(&w, "type");
        bstep__jsonw_string(&w, e->type);
        bstep__jsonw_key(&w, "message");
        bstep__jsonw_string(&w, e->message);
        if (e->direction != BSTEP_DIRECTION_UNKNOWN) {
            bstep__jsonw_key(&w, "direction");
            bstep__jsonw_string(&w, bstep_direction_name(e->direction));
        }
        if (isfinite(e->confidence))
            num(&w, "confidence", e->confidence, 2);
        if (isfinite(e->value))
            num(&w, "value", e->value, 2);
        if (isfinite(e->trunk_lean_deg))
            num(&w, "trunk_lean_deg", e->trunk_lean_deg, 1);
        if (isfinite(e->side_lean_deg))
            num(&w, "side_lean_deg", e->side_lean_deg, 1);
        bstep__jsonw_object_end(&w);
    }
    bstep__jsonw_array_end(&w);
    if (a->warning[0]) {
        bstep__jsonw_key(&w, "warnings");
        bstep__jsonw_array_begin(&w);
        bstep__jsonw_string(&w, a->warning);
        bstep__jsonw_array_end(&w);
    }
    bstep__jsonw_object_end(&w);
}

static int foot_placement(const bstep__analysis *a)
{
    return a->placement == BSTEP_PLACEMENT_FOOT || a->placement == BSTEP_PLACEMENT_FOOT_LEFT ||
           a->placement == BSTEP_PLACEMENT_FOOT_RIGHT;
}

static void duration_text(char *buf, size_t cap, double s)
{
    if (!isfinite(s) || s < 0.0)
        snprintf(buf, cap, "not measured");
    else if (s < 60.0)
        snprintf(buf, cap, "%.0f s", s);
    else if (s < 3600.0)
        snprintf(buf, cap, "%d min %02d s", (int)(s / 60.0), (int)fmod(s, 60.0));
    else
        snprintf(buf, cap, "%d h %02d min", (int)(s / 3600.0), (int)fmod(s / 60.0, 60.0));
}

static const char *sensor_text(bstep_placement p)
{
    switch (p) {
    case BSTEP_PLACEMENT_FOOT_LEFT:
        return "left foot";
    case BSTEP_PLACEMENT_FOOT_RIGHT:
        return "right foot";
    case BSTEP_PLACEMENT_FOOT:
        return "a foot (side not given: use --placement foot-left|foot-right)";
    case BSTEP_PLACEMENT_LOWER_BACK:
        return "lower back / waist";
    case BSTEP_PLACEMENT_POCKET:
        return "trouser pocket";
    default:
        return "unknown";
    }
}

static void pace_text(char *buf, size_t cap, double speed_mps)
{
    const double p = pace(speed_mps);
    if (!isfinite(p))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%d:%02d min/km", (int)(p / 60.0), (int)fmod(p, 60.0));
}

/* A measured value of an advice in words ("62 % toes first, aim 90 %"). */
static void advice_measure_text(char *buf, size_t cap, const bstep_advice *ad)
{
    switch (ad->id) {
    case BSTEP_ADVICE_FALL:
    case BSTEP_ADVICE_STUMBLE:
        snprintf(buf, cap, "%.0f detected", ad->measured);
        break;
    case BSTEP_ADVICE_SLOW_DOWN:
        snprintf(buf, cap, "backward at %.2f m/s, this level's top speed is %.2f m/s", ad->measured,
                 ad->target);
        break;
    case BSTEP_ADVICE_TOES_FIRST:
        snprintf(buf, cap, "%.0f %% of backward steps landed toes first; aim for %.0f %%",
                 100.0 * ad->measured, 100.0 * ad->target);
        break;
    case BSTEP_ADVICE_STAND_TALL:
        snprintf(buf, cap, "you leaned forward %.0f deg on average; aim for %.0f deg or less",
                 ad->measured, ad->target);
        break;
    case BSTEP_ADVICE_STEADY_RHYTHM:
        snprintf(buf, cap, "stride time varied by %.1f %%; aim for %.0f %% or less", ad->measured,
                 ad->target);
        break;
    case BSTEP_ADVICE_LOOK_BACKS:
        snprintf(buf, cap, "%.1f twists a minute; aim for %.0f or fewer", ad->measured, ad->target);
        break;
    case BSTEP_ADVICE_EVEN_STRIDES:
        snprintf(buf, cap, "stride length varied by %.1f %%; aim for %.0f %% or less", ad->measured,
                 ad->target);
        break;
    case BSTEP_ADVICE_SYMMETRY:
        snprintf(buf, cap, "left and right steps differed by %.1f %%; aim for %.0f %% or less",
                 ad->measured, ad->target);
        break;
    case BSTEP_ADVICE_WALK_LONGER:
        snprintf(buf, cap, "%.1f of the planned %.0f minutes backward", ad->measured / 60.0,
                 ad->target / 60.0);
        break;
    default:
        buf[0] = '\0';
    }
}

static void score_line(FILE *f, const char *label, const bstep_score *sc, const char *value)
{
    if (sc->band == BSTEP_BAND_UNKNOWN)
        return;
    fprintf(f, "  %-11s %s (%s)\n", label, value, bstep_band_name(sc->band));
}

static void technique_text(FILE *f, const bstep__analysis *a)
{
    const bstep_assessment *as = &a->assessment;
    const bstep_summary_values *s = &a->summary;
    char v[96];
    int any = 0, k;
    for (k = 0; k < BSTEP_SCORE_COUNT; k++)
        any |= as->score[k].band != BSTEP_BAND_UNKNOWN;
    fprintf(f, "\n  Technique%s\n", any ? "" : "   not enough backward walking to score");
    snprintf(v, sizeof(v), "%.0f %% of %llu backward %s landed toes first",
             100.0 * as->score[BSTEP_SCORE_TOE_FIRST].value,
             (unsigned long long)s->backward_strikes_known,
             foot_placement(a) ? "steps of this foot" : "steps");
    score_line(f, "Toes first", &as->score[BSTEP_SCORE_TOE_FIRST], v);
    if (isfinite(s->heel_first_ratio))
        fprintf(f,
                "              %.0f %% of forward strides landed heel first (normal forward "
                "walking)\n",
                100.0 * s->heel_first_ratio);
    snprintf(v, sizeof(v), "stride time varies by %.1f %%", as->score[BSTEP_SCORE_RHYTHM].value);
    score_line(f, "Rhythm", &as->score[BSTEP_SCORE_RHYTHM], v);
    snprintf(v, sizeof(v), "stride length varies by %.1f %%",
             as->score[BSTEP_SCORE_EVENNESS].value);
    score_line(f, "Evenness", &as->score[BSTEP_SCORE_EVENNESS], v);
    snprintf(v, sizeof(v), "left/right step times differ by %.1f %%",
             as->score[BSTEP_SCORE_SYMMETRY].value);
    score_line(f, "Symmetry", &as->score[BSTEP_SCORE_SYMMETRY], v);
    snprintf(v, sizeof(v), "trunk leans %.0f deg forward on average",
             as->score[BSTEP_SCORE_POSTURE].value);
    score_line(f, "Posture", &as->score[BSTEP_SCORE_POSTURE], v);
    snprintf(v, sizeof(v), "%.1f a minute", as->score[BSTEP_SCORE_LOOK_BACKS].value);
    score_line(f, "Look-backs", &as->score[BSTEP_SCORE_LOOK_BACKS], v);
}

static void safety_events_text(FILE *f, const bstep__analysis *a)
{
    const bstep_summary_values *s = &a->summary;
    fprintf(f, "\n  Safety      ");
    if (s->measured & BSTEP_MEASURE_FALLS)
        fprintf(f, "%llu fall%s, ", (unsigned long long)s->falls, s->falls == 1 ? "" : "s");
    if (s->measured & BSTEP_MEASURE_STUMBLES)
        fprintf(f, "%llu stumble%s, ", (unsigned long long)s->stumbles,
                s->stumbles == 1 ? "" : "s");
    if (s->measured & BSTEP_MEASURE_LOOK_BACKS)
        fprintf(f, "%llu look-back%s", (unsigned long long)s->look_backs,
                s->look_backs == 1 ? "" : "s");
    if (!(s->measured & (BSTEP_MEASURE_FALLS | BSTEP_MEASURE_STUMBLES | BSTEP_MEASURE_LOOK_BACKS)))
        fprintf(f, "stumbles and falls are not detected by this sensor: say in the check-in\n"
                   "              if you stumbled (backstep checkin --stumbled yes|no)");
    fprintf(f, "\n");
}

static void cues_text(FILE *f, const bstep__analysis *a)
{
    size_t i, counts[BSTEP_CUE_COUNT] = {0};
    int k, first = 1;
    if (a->n_cues == 0) {
        fprintf(f, "  Cues        none were needed\n");
        return;
    }
    for (i = 0; i < a->n_cues; i++)
        counts[a->cues[i].type]++;
    fprintf(f, "  Cues        %zu during the session: ", a->n_cues);
    for (k = 1; k < BSTEP_CUE_COUNT; k++)
        if (counts[k]) {
            fprintf(f, "%s%zu x \"%.*s\"", first ? "" : ", ", counts[k],
                    (int)strcspn(bstep_cue_text((bstep_cue_type)k), "."),
                    bstep_cue_text((bstep_cue_type)k));
            first = 0;
        }
    fprintf(f, "\n");
}

static void work_on_text(FILE *f, const bstep__analysis *a)
{
    const bstep_assessment *as = &a->assessment;
    size_t i;
    char m[160];
    fprintf(f, "\n  Next time, work on:\n");
    if (as->n_advice == 0) {
        fprintf(f, "    nothing stood out in what this sensor measures: keep it up.\n");
        return;
    }
    for (i = 0; i < as->n_advice; i++) {
        advice_measure_text(m, sizeof(m), &as->advice[i]);
        fprintf(f, "    %zu. %s\n       (%s. %s)\n", i + 1, bstep_advice_text(as->advice[i].id), m,
                bstep_advice_reason(as->advice[i].id));
    }
}

void bstep__report_text(FILE *f, const bstep__analysis *a)
{
    const bstep_summary_values *s = &a->summary;
    const int foot = a->placement == BSTEP_PLACEMENT_FOOT ||
                     a->placement == BSTEP_PLACEMENT_FOOT_LEFT ||
                     a->placement == BSTEP_PLACEMENT_FOOT_RIGHT;
    char d1[32], d2[32];
    duration_text(d1, sizeof(d1), a->duration_s);
    duration_text(d2, sizeof(d2), s->walking_time_s);

    fprintf(f, "backstep session report\n\n");
    fprintf(f, "  Recording   %s\n", a->path);
    fprintf(f, "              %s, %.0f Hz, %s, %llu samples%s\n", bstep_format_name(a->format),
            a->quality.sample_rate_hz, d1, (unsigned long long)a->quality.samples,
            a->quality.has_gyro ? "" : ", accelerometer only");
    fprintf(f, "  Sensor      %s%s\n", sensor_text(a->placement),
            a->placement_requested == BSTEP_PLACEMENT_AUTO ? " (detected)" : "");
    fprintf(f, "\n  Walking     %s in %llu bout%s\n", d2, (unsigned long long)s->bouts,
            s->bouts == 1 ? "" : "s");
    if (any_direction(a)) {
        char tb[32], tf[32];
        duration_text(tb, sizeof(tb), s->time_backward_s);
        duration_text(tf, sizeof(tf), s->time_forward_s);
        fprintf(f, "              %s backward, %s forward\n", tb, tf);
    }
    if (foot)
        fprintf(f, "  Steps       %llu (%llu strides of this foot, both feet counted)\n",
                (unsigned long long)s->steps, (unsigned long long)s->contacts);
    else
        fprintf(f, "  Steps       %llu\n", (unsigned long long)s->steps);
    if (any_direction(a))
        fprintf(f, "              %llu backward, %llu forward, %llu sideways\n",
                (unsigned long long)s->steps_backward, (unsigned long long)s->steps_forward,
                (unsigned long long)s->steps_sideways);
    else
        fprintf(f, "              direction (backward/forward): not measured yet\n");
    if (isfinite(s->cadence_spm))
        fprintf(f, "  Cadence     %.0f steps/min\n", s->cadence_spm);
    else
        fprintf(f, "  Cadence     not measured (too few steps in a row)\n");
    if (isfinite(s->distance_m))
        fprintf(f, "  Distance    %.1f m (%.1f m backward, %.1f m forward)\n", s->distance_m,
                s->distance_backward_m, s->distance_forward_m);
    else
        fprintf(f, "  Distance    not measured by this sensor\n");
    if (isfinite(s->speed_backward_mps)) {
        char p[32];
        pace_text(p, sizeof(p), s->speed_backward_mps);
        fprintf(f, "  Speed       %.2f m/s backward (%.1f km/h, pace %s)\n", s->speed_backward_mps,
                3.6 * s->speed_backward_mps, p);
    } else if (isfinite(s->speed_mps)) {
        char p[32];
        pace_text(p, sizeof(p), s->speed_mps);
        fprintf(f, "  Speed       %.2f m/s (%.1f km/h, pace %s)\n", s->speed_mps,
                3.6 * s->speed_mps, p);
    }
    if (isfinite(s->step_regularity))
        fprintf(f, "  Regularity  step %.2f, stride %.2f (1 = every step alike)\n",
                s->step_regularity, s->stride_regularity);
    if (a->n_tm > 0 && (isfinite(a->treadmill_speed_mps) || isfinite(a->treadmill_incline_pct))) {
        fprintf(f, "  Treadmill   ");
        if (isfinite(a->treadmill_speed_mps))
            fprintf(f, "belt %.2f m/s (%.1f km/h)", a->treadmill_speed_mps,
                    3.6 * a->treadmill_speed_mps);
        if (isfinite(a->treadmill_incline_pct))
            fprintf(f, "%sincline %.1f %%", isfinite(a->treadmill_speed_mps) ? ", " : "",
                    a->treadmill_incline_pct);
        fprintf(f, " on average: the energy uses them\n");
    }
    if (isfinite(a->energy_kcal))
        fprintf(f, "  Energy      %.0f kcal (%.0f-%.0f), %.1f METs on average%s%s\n",
                a->energy_kcal, a->energy_low_kcal, a->energy_high_kcal, a->met_mean,
                a->energy_mass_assumed ? ", assuming 70 kg (give --mass-kg)" : "",
                a->energy_unknown_s > 0.5 ? "; some walking had no measured speed" : "");
    else
        fprintf(f, "  Energy      not measured: needs the walking speed (a foot sensor measures "
                   "it)\n");
    if (a->n_hr > 0) {
        fprintf(f, "  Heart rate  %.0f bpm on average, %.0f at most (%zu readings)\n",
                a->hr_mean_bpm, a->hr_max_bpm, a->n_hr);
        if (isfinite(a->energy_kcal_hr))
            fprintf(
                f, "              by heart rate (Keytel 2005) %.0f kcal%s%s\n", a->energy_kcal_hr,
                (a->energy_hr_flags & BSTEP_ENERGY_HR_BACKWARD)
                    ? ": a forward-walking equation, likely too high for backward walking"
                    : "",
                (a->energy_hr_flags & BSTEP_ENERGY_HR_EXTRAPOLATED) ? " (outside its sample)" : "");
        else
            fprintf(f,
                    "              energy by heart rate needs your age and sex (--age, --sex)\n");
    }
    technique_text(f, a);
    safety_events_text(f, a);
    cues_text(f, a);
    work_on_text(f, a);

    fprintf(f, "\n  Data        ");
    if (a->quality.gaps == 0 && a->quality.dropped_rows == 0 && a->quality.clipped_samples == 0)
        fprintf(f, "complete: no gaps, no bad rows\n");
    else
        fprintf(f, "%llu gap%s (longest %.2f s), %llu rows dropped, %llu clipped samples\n",
                (unsigned long long)a->quality.gaps, a->quality.gaps == 1 ? "" : "s",
                a->quality.longest_gap_s, (unsigned long long)a->quality.dropped_rows,
                (unsigned long long)a->quality.clipped_samples);
    if (a->warning[0])
        fprintf(f, "  Warning     %s\n", a->warning);
    if (foot)
        fprintf(f, "\n  Tip: start each session with about ten steps forward, then walk backward:\n"
                   "  backstep learns how the sensor sits on your shoe from those first steps.\n");
    else if (a->front_axis_requested == BSTEP_AXIS_AUTO)
        fprintf(f, "\n  Tip: start each session with about ten steps forward, then walk backward:\n"
                   "  backstep learns which way the sensor faces from those first steps (or give\n"
                   "  --front-axis); until then every step counts as forward.\n");
    fprintf(f, "\n  Safety: walk backward only where it is flat, clear and quiet, ideally with\n"
               "  someone watching; on a treadmill start slowly holding the rails and clip on the\n"
               "  safety key. Stop if you feel pain, dizziness or unsteadiness. backstep measures\n"
               "  your walking; it does not give medical advice: ask a health professional about\n"
               "  health questions.\n");
}
