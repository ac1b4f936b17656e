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

static int any_direction(const bstep__analysis *a)
{
    size_t i;
    for (i = 0; i < a->n_steps; i++)
        if (a->steps[i].direction != BSTEP_DIRECTION_UNKNOWN)
            return 1;
    return 0;
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
    num(&w, "trunk_lean_deg", s->trunk_lean_deg, 1);
    num(&w, "side_lean_deg", s->side_lean_deg, 1);
    /* look-backs need a gyroscope; a foot sensor sees none of these */
    count_or_null(&w, "look_backs", s->look_backs, s->safety_measured && a->quality.has_gyro);
    count_or_null(&w, "stumbles", s->stumbles, s->safety_measured);
    count_or_null(&w, "falls", s->falls, s->safety_measured);
    bstep__jsonw_key(&w, "bouts");
    bstep__jsonw_int(&w, (int64_t)s->bouts);
    bstep__jsonw_object_end(&w);

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
    for (i = 0; i < a->n_steps; i++) {
        const bstep__step_row *r = &a->steps[i];
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
    for (i = 0; i < a->n_events; i++) {
        bstep__jsonw_object_begin(&w);
        num(&w, "t_s", a->events[i].t_s, 3);
        bstep__jsonw_key(&w, "type");
        bstep__jsonw_string(&w, a->events[i].type);
        bstep__jsonw_key(&w, "message");
        bstep__jsonw_string(&w, a->events[i].message);
        if (a->events[i].direction != BSTEP_DIRECTION_UNKNOWN) {
            bstep__jsonw_key(&w, "direction");
            bstep__jsonw_string(&w, bstep_direction_name(a->events[i].direction));
        }
        if (isfinite(a->events[i].confidence))
            num(&w, "confidence", a->events[i].confidence, 2);
        if (isfinite(a->events[i].value))
            num(&w, "value", a->events[i].value, 2);
        if (isfinite(a->events[i].trunk_lean_deg))
            num(&w, "trunk_lean_deg", a->events[i].trunk_lean_deg, 1);
        if (isfinite(a->events[i].side_lean_deg))
            num(&w, "side_lean_deg", a->events[i].side_lean_deg, 1);
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
    if (isfinite(s->stride_time_cv_pct))
        fprintf(f, "  Rhythm      stride time varies by %.1f %% (%s)\n", s->stride_time_cv_pct,
                s->stride_time_cv_pct < 3.0   ? "steady"
                : s->stride_time_cv_pct < 6.0 ? "fairly steady"
                                              : "uneven: aim for a steady beat");
    if (isfinite(s->step_time_asymmetry_pct))
        fprintf(f, "  Symmetry    left/right step times differ by %.1f %%\n",
                s->step_time_asymmetry_pct);
    if (isfinite(s->distance_m))
        fprintf(f, "  Distance    %.1f m (%.1f m backward, %.1f m forward)\n", s->distance_m,
                s->distance_backward_m, s->distance_forward_m);
    else
        fprintf(f, "  Distance    not measured yet\n");
    if (isfinite(s->speed_mps))
        fprintf(f, "  Speed       %.2f m/s on average while walking\n", s->speed_mps);
    if (isfinite(s->toe_first_ratio))
        fprintf(f, "  Technique   %.0f %% of backward strides landed toes first%s\n",
                100.0 * s->toe_first_ratio,
                s->toe_first_ratio >= 0.8 ? " (good)" : ": reach back with the toes first");
    if (isfinite(s->heel_first_ratio))
        fprintf(f, "              %.0f %% of forward strides landed heel first\n",
                100.0 * s->heel_first_ratio);
    if (isfinite(s->step_regularity))
        fprintf(f, "  Regularity  step %.2f, stride %.2f (1 = every step alike)\n",
                s->step_regularity, s->stride_regularity);
    if (isfinite(s->trunk_lean_deg))
        fprintf(f,
                "  Posture     trunk lean %+.0f deg (forward +), side %+.0f deg, from your upright "
                "stance%s\n",
                s->trunk_lean_deg, s->side_lean_deg,
                s->trunk_lean_deg > 20.0 ? ": stand tall" : "");
    if (s->safety_measured)
        fprintf(f, "  Events      %llu stumble%s, %llu fall%s%s\n", (unsigned long long)s->stumbles,
                s->stumbles == 1 ? "" : "s", (unsigned long long)s->falls, s->falls == 1 ? "" : "s",
                a->quality.has_gyro ? "" : " (look-backs need a gyroscope)");
    if (s->safety_measured && a->quality.has_gyro)
        fprintf(f, "              %llu look-back%s (trunk twists)\n",
                (unsigned long long)s->look_backs, s->look_backs == 1 ? "" : "s");
    if (isfinite(a->energy_kcal))
        fprintf(f, "  Energy      %.0f kcal (%.0f-%.0f), %.1f METs on average%s%s\n",
                a->energy_kcal, a->energy_low_kcal, a->energy_high_kcal, a->met_mean,
                a->energy_mass_assumed ? ", assuming 70 kg (give --mass-kg)" : "",
                a->energy_unknown_s > 0.5 ? "; some walking had no measured speed" : "");
    else
        fprintf(f, "  Energy      not measured: needs the walking speed (a foot sensor measures "
                   "it)\n");

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
    fprintf(f, "\n  Safety: walk backward only where it is flat, clear and quiet; on a treadmill\n"
               "  start slowly holding the rails. Stop if you feel pain or dizziness. backstep\n"
               "  measures your walking; it does not give medical advice.\n");
}
