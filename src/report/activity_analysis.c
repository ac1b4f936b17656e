/*
 * A session from an activity file (FIT, TCX, FTMS log): walking time, distance, speed, cadence,
 * heart rate, incline and energy, from the records alone. One energy model for everything: the
 * kcal come from bstep_energy_session() (src/core/energy.c) exactly as for a motion-sensor
 * session, and, when the walker's age and sex are known, the heart-rate estimate (Keytel 2005)
 * is reported beside it, never blended in.
 *
 * Walking. Between two consecutive records (at most 10 s apart: a longer interval is a pause in
 * the recording, see activity.c) the walker is taken to be walking when the speed in force (the
 * last one recorded, or the distance change over the interval when no speed is recorded) is at
 * least 0.15 m/s: a stopped treadmill belt or a standing watch reads 0, and the slowest belt
 * setting of common treadmills, 0.5 km/h, is 0.14 m/s (walking slower than that is standing
 * still). A watch's GPS speed can jitter above this while standing; indoor and treadmill files
 * have no GPS. Walking stretches separated by less than 10 s of standing are one bout.
 *
 * Distance is the sum of the increases of the recorded cumulative distance (a reset to a lower
 * value is skipped), else the speed integrated over the walking intervals. Speed = distance /
 * walking time. Cadence and incline are time means over the walking intervals that carry them;
 * heart rate over every interval that carries one.
 *
 * Energy: each bout is cut into segments of at most 60 s; each segment gets its mean speed,
 * incline (NAN = level), heart rate and the session's direction: the --direction given, else the
 * one the file notes (backstep's own FIT and TCX exports), else unknown (the forward equations,
 * flagged direction_assumed: backward walking costs more, so this is the lower estimate).
 *
 * Nothing here is made up: what a motion sensor measures (steps by direction, foot strike,
 * stride-time variability, symmetry, posture, stumbles) is null in the report. Steps are the
 * device's own count when the file has one (FIT session total_cycles x 2), else null.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/io.h"
#include "backstep/status.h"
#include "internal/jsonw.h"
#include "report/activity_report.h"

#define SEGMENT_S       60.0
#define ASSUMED_MASS_KG 70.0

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    void *q;
    size_t ncap;
    if (need <= *cap)
        return BSTEP_OK;
    ncap = *cap ? *cap * 2 : 1024;
    while (ncap < need)
        ncap *= 2;
    q = realloc(*p, ncap * elem);
    if (q == NULL)
        return BSTEP_ENOMEM;
    *p = q;
    *cap = ncap;
    return BSTEP_OK;
}

int bstep__is_activity_file(const char *path, bstep_format format)
{
    bstep_format f = BSTEP_FORMAT_AUTO;
    if (bstep_format_is_activity(format))
        return 1;
    if (format != BSTEP_FORMAT_AUTO || strcmp(path, "-") == 0)
        return 0;
    if (bstep_format_detect(path, &f, NULL, 0) != BSTEP_OK)
        return 0;
    return bstep_format_is_activity(f);
}

/* Per-interval accumulation of a segment (for the energy model). */
typedef struct {
    double t, dist, grade_t, grade_sum, hr_t, hr_sum;
} seg_acc;

static int flush_segment(seg_acc *s, bstep_energy_segment **seg, size_t *n, size_t *cap,
                         bstep_direction dir)
{
    bstep_energy_segment *e;
    if (!(s->t > 0.0))
        return BSTEP_OK;
    if (grow((void **)seg, cap, *n + 1, sizeof **seg) != BSTEP_OK)
        return BSTEP_ENOMEM;
    e = &(*seg)[(*n)++];
    e->duration_s = s->t;
    e->speed_mps = s->dist / s->t;
    if (!(e->speed_mps >= 0.0 && e->speed_mps <= 10.0))
        e->speed_mps = (double)NAN;
    e->grade_pct = s->grade_t > 0.0 ? s->grade_sum / s->grade_t : (double)NAN;
    if (isfinite(e->grade_pct)) {
        if (e->grade_pct < -20.0)
            e->grade_pct = -20.0;
        if (e->grade_pct > 40.0)
            e->grade_pct = 40.0;
    }
    e->hr_bpm = s->hr_t > 0.0 ? s->hr_sum / s->hr_t : (double)NAN;
    if (!(e->hr_bpm >= 30.0 && e->hr_bpm <= 230.0))
        e->hr_bpm = (double)NAN;
    e->direction = dir;
    e->gait = BSTEP_GAIT_AUTO;
    memset(s, 0, sizeof *s);
    return BSTEP_OK;
}

static int summarise(bstep__activity_analysis *a, const bstep__activity_options *opt)
{
    size_t i, nseg = 0, capseg = 0;
    bstep_energy_segment *seg = NULL;
    seg_acc acc;
    double speed_held = (double)NAN, dist_prev = (double)NAN, hr_held = (double)NAN;
    double inc_held = (double)NAN, cad_held = (double)NAN;
    double t_speed = 0, t_hr = 0, t_inc = 0, t_cad = 0;
    double walk_t = 0.0, dist_sum = 0.0, dist_int = 0.0, hr_w = 0.0, inc_w = 0.0, cad_w = 0.0;
    double hr_tw = 0.0, inc_tw = 0.0, cad_tw = 0.0;
    int any_speed = 0, any_dist = 0;
    double bout_end = -1e300;
    bstep_direction edir;
    bstep_energy_walker w;
    bstep_energy_session_result res;
    const bstep_activity_record *r0 = a->n_rec ? &a->rec[0] : NULL;

    memset(&acc, 0, sizeof acc);
    a->walking_time_s = a->distance_m = a->speed_mps = a->cadence_spm = (double)NAN;
    a->hr_mean_bpm = a->hr_max_bpm = a->incline_mean_pct = (double)NAN;
    a->energy_kcal = a->energy_low_kcal = a->energy_high_kcal = a->met_mean = (double)NAN;
    a->energy_kcal_hr = (double)NAN;
    a->energy_unknown_s = a->energy_hr_s = 0.0;
    a->steps = a->info.steps;
    a->duration_s = r0 ? (double)(a->rec[a->n_rec - 1].t_us - r0->t_us) * 1e-6 : 0.0;
    if (opt->direction != BSTEP_DIRECTION_UNKNOWN) {
        a->direction = opt->direction;
        a->direction_source = "option";
    } else if (a->info.direction != BSTEP_DIRECTION_UNKNOWN) {
        a->direction = a->info.direction;
        a->direction_source = "file";
    } else {
        a->direction = BSTEP_DIRECTION_UNKNOWN;
        a->direction_source = "assumed";
    }
    edir = a->direction;
    a->energy_mass_assumed = !isfinite(opt->mass_kg);
    a->energy_mass_kg = a->energy_mass_assumed ? ASSUMED_MASS_KG : opt->mass_kg;

    for (i = 0; i < a->n_rec; i++) {
        const bstep_activity_record *r = &a->rec[i];
        double t = (double)(r->t_us - r0->t_us) * 1e-6;
        if (i > 0) {
            const bstep_activity_record *p = &a->rec[i - 1];
            double tp = (double)(p->t_us - r0->t_us) * 1e-6, dt = t - tp, v = (double)NAN;
            double dd = (double)NAN;
            if (isfinite(dist_prev) && isfinite(r->distance_m) && r->distance_m >= dist_prev)
                dd = r->distance_m - dist_prev;
            if (dt > 0.0 && dt <= BSTEP__ACTIVITY_GAP_S) {
                if (isfinite(speed_held) && tp - t_speed <= BSTEP__ACTIVITY_GAP_S)
                    v = speed_held;
                else if (isfinite(dd))
                    v = dd / dt;
                if (isfinite(hr_held) && tp - t_hr <= BSTEP__ACTIVITY_GAP_S) {
                    hr_w += hr_held * dt;
                    hr_tw += dt;
                }
                if (isfinite(v)) {
                    any_speed = 1;
                    if (v >= BSTEP__MOVING_MPS) {
                        double d = v * dt; /* the speed in force over the interval */
                        walk_t += dt;
                        dist_int += v * dt;
                        if (isfinite(inc_held) && tp - t_inc <= BSTEP__ACTIVITY_GAP_S) {
                            inc_w += inc_held * dt;
                            inc_tw += dt;
                        }
                        if (isfinite(cad_held) && cad_held > 0.0 &&
                            tp - t_cad <= BSTEP__ACTIVITY_GAP_S) {
                            cad_w += cad_held * dt;
                            cad_tw += dt;
                        }
                        /* bouts */
                        if (a->n_bouts > 0 && tp - bout_end < BSTEP__ACTIVITY_GAP_S) {
                            a->bouts[a->n_bouts - 1].end_s = t;
                            a->bouts[a->n_bouts - 1].distance_m += d;
                        } else {
                            if (flush_segment(&acc, &seg, &nseg, &capseg, edir) != BSTEP_OK ||
                                grow((void **)&a->bouts, &a->cap_bouts, a->n_bouts + 1,
                                     sizeof *a->bouts) != BSTEP_OK)
                                goto oom;
                            a->bouts[a->n_bouts].start_s = tp;
                            a->bouts[a->n_bouts].end_s = t;
                            a->bouts[a->n_bouts].distance_m = d;
                            a->n_bouts++;
                        }
                        bout_end = t;
                        /* energy segment */
                        acc.t += dt;
                        acc.dist += d;
                        if (isfinite(inc_held) && tp - t_inc <= BSTEP__ACTIVITY_GAP_S) {
                            acc.grade_t += dt;
                            acc.grade_sum += inc_held * dt;
                        }
                        if (isfinite(hr_held) && tp - t_hr <= BSTEP__ACTIVITY_GAP_S) {
                            acc.hr_t += dt;
                            acc.hr_sum += hr_held * dt;
                        }
                        if (acc.t >= SEGMENT_S &&
                            flush_segment(&acc, &seg, &nseg, &capseg, edir) != BSTEP_OK)
                            goto oom;
                    }
                }
            }
            if (isfinite(dd))
                dist_sum += dd;
        }
        if (isfinite(r->distance_m)) {
            any_dist = 1;
            dist_prev = r->distance_m;
        }
        if (isfinite(r->speed_mps)) {
            speed_held = r->speed_mps;
            t_speed = t;
        }
        if (isfinite(r->heart_rate_bpm)) {
            hr_held = r->heart_rate_bpm;
            t_hr = t;
            if (!(a->hr_max_bpm >= hr_held))
                a->hr_max_bpm = hr_held;
        }
        if (isfinite(r->incline_pct)) {
            inc_held = r->incline_pct;
            t_inc = t;
        }
        if (isfinite(r->cadence_spm)) {
            cad_held = r->cadence_spm;
            t_cad = t;
        }
    }
    if (flush_segment(&acc, &seg, &nseg, &capseg, edir) != BSTEP_OK)
        goto oom;
    if (any_speed)
        a->walking_time_s = walk_t;
    if (any_dist)
        a->distance_m = dist_sum;
    else if (any_speed)
        a->distance_m = dist_int;
    if (isfinite(a->walking_time_s) && a->walking_time_s > 0.0 && isfinite(a->distance_m))
        a->speed_mps = a->distance_m / a->walking_time_s;
    if (cad_tw > 0.0)
        a->cadence_spm = cad_w / cad_tw;
    if (hr_tw > 0.0)
        a->hr_mean_bpm = hr_w / hr_tw;
    else if (isfinite(hr_held))
        a->hr_mean_bpm = hr_held; /* a single reading */
    if (inc_tw > 0.0)
        a->incline_mean_pct = inc_w / inc_tw;

    memset(&w, 0, sizeof w);
    w.mass_kg = a->energy_mass_kg;
    w.age_y = opt->age_y;
    w.sex = opt->sex;
    w.vo2max_ml_kg_min = (double)NAN;
    if (nseg > 0 && bstep_energy_session(seg, nseg, &w, &res) == BSTEP_OK) {
        a->energy_kcal = res.energy_kcal;
        a->energy_low_kcal = res.energy_low_kcal;
        a->energy_high_kcal = res.energy_high_kcal;
        a->met_mean = res.met_mean;
        a->energy_unknown_s = res.duration_unknown_s;
        a->energy_kcal_hr = res.energy_kcal_hr;
        a->energy_hr_s = res.duration_hr_s;
        a->energy_flags = res.flags;
    }
    free(seg);
    return BSTEP_OK;
oom:
    free(seg);
    return BSTEP_ENOMEM;
}

int bstep__analyze_activity(const char *path, const bstep__activity_options *opt,
                            bstep__activity_analysis *a, char *err, size_t err_len)
{
    bstep_activity_reader *r = NULL;
    static const size_t block = 1024;
    int rc;
    size_t n, i;
    memset(a, 0, sizeof *a);
    snprintf(a->path, sizeof a->path, "%s", path);
    rc = bstep_activity_open(&r, path, opt->format, err, err_len);
    if (rc != BSTEP_OK)
        return rc;
    a->format = bstep_activity_format(r);
    for (;;) {
        if (grow((void **)&a->rec, &a->cap_rec, a->n_rec + block, sizeof *a->rec) != BSTEP_OK) {
            rc = BSTEP_ENOMEM;
            snprintf(err, err_len, "%s: out of memory", path);
            goto done;
        }
        rc = bstep_activity_read(r, a->rec + a->n_rec, block, &n);
        if (rc != BSTEP_OK) {
            snprintf(err, err_len, "%s", bstep_activity_errmsg(r));
            goto done;
        }
        if (n == 0)
            break;
        a->n_rec += n;
    }
    bstep_activity_get_info(r, &a->info);
    bstep_activity_get_quality(r, &a->quality);
    a->n_laps = a->info.laps < BSTEP_ACTIVITY_MAX_LAPS ? a->info.laps : BSTEP_ACTIVITY_MAX_LAPS;
    for (i = 0; i < a->n_laps; i++)
        bstep_activity_get_lap(r, i, &a->laps[i]);
    if (a->n_rec == 0) {
        rc = BSTEP_EFORMAT;
        snprintf(err, err_len, "%s: no records (no heart rate, speed or distance) in the file",
                 path);
        goto done;
    }
    rc = summarise(a, opt);
    if (rc != BSTEP_OK)
        snprintf(err, err_len, "%s: out of memory", path);
done:
    bstep_activity_close(r);
    return rc;
}

void bstep__activity_analysis_free(bstep__activity_analysis *a)
{
    free(a->rec);
    free(a->bouts);
    a->rec = NULL;
    a->bouts = NULL;
    a->n_rec = a->cap_rec = a->n_bouts = a->cap_bouts = 0;
}

/* ---------------------------------------------------------------------------------------- */
/* reports */

static void num(bstep__jsonw *w, const char *key, double v, int decimals)
{
    bstep__jsonw_key(w, key);
    bstep__jsonw_number(w, v, decimals);
}

static void null_key(bstep__jsonw *w, const char *key)
{
    bstep__jsonw_key(w, key);
    bstep__jsonw_null(w);
}

static const char *sport_text(int sport)
{
    switch (sport) {
    case BSTEP_SPORT_GENERIC:
        return "generic";
    case BSTEP_SPORT_RUNNING:
        return "running";
    case BSTEP_SPORT_CYCLING:
        return "cycling";
    case BSTEP_SPORT_FITNESS_EQUIPMENT:
        return "fitness equipment";
    case BSTEP_SPORT_WALKING:
        return "walking";
    default:
        return NULL;
    }
}

static const char *sub_sport_text(int sub)
{
    switch (sub) {
    case BSTEP_SUB_SPORT_TREADMILL:
        return "treadmill";
    case BSTEP_SUB_SPORT_INDOOR_WALK:
        return "indoor walking";
    default:
        return NULL;
    }
}

static const char *bout_activity(const bstep__activity_analysis *a)
{
    return a->direction == BSTEP_DIRECTION_BACKWARD ? "walk-backward" : "walk";
}

void bstep__activity_report_json(FILE *f, const bstep__activity_analysis *a)
{
    bstep__jsonw w;
    size_t i;
    const double rate =
        a->quality.median_interval_s > 0.0 ? 1.0 / a->quality.median_interval_s : (double)NAN;
    bstep__jsonw_init(&w, f, 2);
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "schema");
    bstep__jsonw_string(&w, "backstep.analysis/1");
    bstep__jsonw_key(&w, "recording");
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "path");
    bstep__jsonw_string(&w, a->path);
    bstep__jsonw_key(&w, "format");
    bstep__jsonw_string(&w, bstep_format_name(a->format));
    num(&w, "sample_rate_hz", rate, 3);
    num(&w, "duration_s", a->duration_s, 3);
    bstep__jsonw_key(&w, "samples");
    bstep__jsonw_int(&w, (int64_t)a->quality.records);
    bstep__jsonw_key(&w, "gaps");
    bstep__jsonw_int(&w, (int64_t)a->quality.gaps);
    num(&w, "longest_gap_s", a->quality.longest_gap_s, 3);
    bstep__jsonw_key(&w, "missing_samples");
    bstep__jsonw_int(&w, 0);
    bstep__jsonw_key(&w, "duplicate_timestamps");
    bstep__jsonw_int(&w, 0);
    bstep__jsonw_key(&w, "backward_timestamps");
    bstep__jsonw_int(&w, (int64_t)a->quality.backward_timestamps);
    bstep__jsonw_key(&w, "nonfinite_values");
    bstep__jsonw_int(&w, 0);
    bstep__jsonw_key(&w, "clipped_samples");
    bstep__jsonw_int(&w, 0);
    bstep__jsonw_key(&w, "has_gyro");
    bstep__jsonw_bool(&w, 0);
    bstep__jsonw_key(&w, "invalid_values");
    bstep__jsonw_int(&w, (int64_t)a->quality.invalid_values);
    bstep__jsonw_key(&w, "start_utc_us");
    bstep__jsonw_int(&w, a->n_rec ? a->rec[0].t_us : 0);
    bstep__jsonw_object_end(&w);
    null_key(&w, "placement");
    bstep__jsonw_key(&w, "activity");
    bstep__jsonw_object_begin(&w);
    bstep__jsonw_key(&w, "sport");
    if (sport_text(a->info.sport))
        bstep__jsonw_string(&w, sport_text(a->info.sport));
    else
        bstep__jsonw_null(&w);
    bstep__jsonw_key(&w, "sub_sport");
    if (sub_sport_text(a->info.sub_sport))
        bstep__jsonw_string(&w, sub_sport_text(a->info.sub_sport));
    else
        bstep__jsonw_null(&w);
    bstep__jsonw_key(&w, "direction");
    if (a->direction == BSTEP_DIRECTION_UNKNOWN)
        bstep__jsonw_null(&w);
    else
        bstep__jsonw_string(&w, bstep_direction_name(a->direction));
    bstep__jsonw_key(&w, "direction_source");
    bstep__jsonw_string(&w, a->direction_source);
    bstep__jsonw_key(&w, "laps");
    bstep__jsonw_int(&w, (int64_t)a->info.laps);
    num(&w, "device_distance_m", a->info.distance_m, 2);
    num(&w, "device_energy_kcal", a->info.energy_kcal, 0);
    bstep__jsonw_object_end(&w);

    bstep__jsonw_key(&w, "summary");
    bstep__jsonw_object_begin(&w);
    num(&w, "steps", a->steps, 0);
    null_key(&w, "steps_forward");
    null_key(&w, "steps_backward");
    null_key(&w, "steps_sideways");
    num(&w, "walking_time_s", a->walking_time_s, 2);
    num(&w, "cadence_spm", a->cadence_spm, 1);
    num(&w, "distance_m", a->distance_m, 2);
    num(&w, "distance_backward_m",
        a->direction == BSTEP_DIRECTION_BACKWARD  ? a->distance_m
        : a->direction == BSTEP_DIRECTION_FORWARD ? 0.0
                                                  : (double)NAN,
        2);
    num(&w, "speed_mps", a->speed_mps, 3);
    num(&w, "energy_kcal", a->energy_kcal, 1);
    num(&w, "energy_met_mean", a->met_mean, 2);
    num(&w, "energy_mass_kg", a->energy_mass_kg, 1);
    bstep__jsonw_key(&w, "energy_mass_assumed");
    bstep__jsonw_bool(&w, a->energy_mass_assumed);
    num(&w, "energy_kcal_hr", a->energy_kcal_hr, 1);
    num(&w, "heart_rate_mean_bpm", a->hr_mean_bpm, 1);
    num(&w, "heart_rate_max_bpm", a->hr_max_bpm, 0);
    num(&w, "incline_mean_pct", a->incline_mean_pct, 2);
    null_key(&w, "toe_first_ratio");
    null_key(&w, "stride_time_cv_pct");
    null_key(&w, "step_time_asymmetry_pct");
    null_key(&w, "trunk_lean_deg");
    null_key(&w, "look_backs");
    null_key(&w, "stumbles");
    null_key(&w, "falls");
    bstep__jsonw_key(&w, "bouts");
    bstep__jsonw_int(&w, (int64_t)a->n_bouts);
    bstep__jsonw_object_end(&w);

    bstep__jsonw_key(&w, "bouts");
    bstep__jsonw_array_begin(&w);
    for (i = 0; i < a->n_bouts; i++) {
        bstep__jsonw_object_begin(&w);
        num(&w, "start_s", a->bouts[i].start_s, 3);
        num(&w, "end_s", a->bouts[i].end_s, 3);
        bstep__jsonw_key(&w, "activity");
        bstep__jsonw_string(&w, bout_activity(a));
        null_key(&w, "steps");
        num(&w, "distance_m", a->bouts[i].distance_m, 2);
        bstep__jsonw_object_end(&w);
    }
    bstep__jsonw_array_end(&w);
    bstep__jsonw_key(&w, "steps");
    bstep__jsonw_array_begin(&w);
    bstep__jsonw_array_end(&w);
    bstep__jsonw_key(&w, "events");
    bstep__jsonw_array_begin(&w);
    bstep__jsonw_array_end(&w);
    bstep__jsonw_key(&w, "warnings");
    bstep__jsonw_array_begin(&w);
    bstep__jsonw_string(&w, "an activity file has no motion samples: steps by direction, foot "
                            "strike, rhythm and posture are not measured");
    if (a->direction == BSTEP_DIRECTION_UNKNOWN)
        bstep__jsonw_string(&w, "walking direction unknown: energy uses the forward equations "
                                "(give --direction backward for a backward walk)");
    bstep__jsonw_array_end(&w);
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

void bstep__activity_report_text(FILE *f, const bstep__activity_analysis *a)
{
    char d1[32], d2[32];
    const char *sp = sport_text(a->info.sport), *sub = sub_sport_text(a->info.sub_sport);
    duration_text(d1, sizeof d1, a->duration_s);
    duration_text(d2, sizeof d2, a->walking_time_s);
    fprintf(f, "backstep session report (activity file)\n\n");
    fprintf(f, "  Recording   %s\n", a->path);
    fprintf(f, "              %s, %llu records", bstep_format_name(a->format),
            (unsigned long long)a->quality.records);
    if (a->quality.median_interval_s > 0.0)
        fprintf(f, " every %.1f s", a->quality.median_interval_s);
    fprintf(f, ", %s\n", d1);
    fprintf(f, "  Activity    %s%s%s, %s%s\n", sp ? sp : "sport not stated", sub ? " / " : "",
            sub ? sub : "",
            a->direction == BSTEP_DIRECTION_UNKNOWN ? "direction unknown"
                                                    : bstep_direction_name(a->direction),
            strcmp(a->direction_source, "file") == 0     ? " (noted in the file)"
            : strcmp(a->direction_source, "option") == 0 ? " (--direction)"
                                                         : " (give --direction)");
    if (isfinite(a->walking_time_s))
        fprintf(f, "\n  Walking     %s in %zu bout%s\n", d2, a->n_bouts,
                a->n_bouts == 1 ? "" : "s");
    else
        fprintf(f, "\n  Walking     not measured (the file has no speed or distance)\n");
    if (isfinite(a->distance_m))
        fprintf(f, "  Distance    %.1f m\n", a->distance_m);
    if (isfinite(a->speed_mps))
        fprintf(f, "  Speed       %.2f m/s (%.1f km/h)\n", a->speed_mps, a->speed_mps * 3.6);
    if (isfinite(a->incline_mean_pct))
        fprintf(f, "  Incline     %.1f %% on average\n", a->incline_mean_pct);
    if (isfinite(a->cadence_spm))
        fprintf(f, "  Cadence     %.0f steps/min\n", a->cadence_spm);
    if (isfinite(a->steps))
        fprintf(f, "  Steps       %.0f (counted by the device)\n", a->steps);
    if (isfinite(a->hr_mean_bpm))
        fprintf(f, "  Heart rate  %.0f bpm on average, %.0f at most\n", a->hr_mean_bpm,
                a->hr_max_bpm);
    if (isfinite(a->energy_kcal))
        fprintf(f, "  Energy      %.0f kcal (%.0f-%.0f), %.1f METs on average%s\n", a->energy_kcal,
                a->energy_low_kcal, a->energy_high_kcal, a->met_mean,
                a->energy_mass_assumed ? ", assuming 70 kg (give --mass-kg)" : "");
    else
        fprintf(f, "  Energy      not measured: needs the walking speed\n");
    if (isfinite(a->energy_kcal_hr))
        fprintf(f, "              from heart rate (Keytel 2005): %.0f kcal over %s\n",
                a->energy_kcal_hr, (duration_text(d1, sizeof d1, a->energy_hr_s), d1));
    else if (isfinite(a->hr_mean_bpm))
        fprintf(f, "              from heart rate: give --age and --sex\n");
    fprintf(f, "  Technique   not measured: an activity file has no motion samples (steps by\n"
               "              direction, foot strike, rhythm and posture need a motion sensor)\n");
    fprintf(f, "\n  Data        ");
    if (a->quality.gaps == 0 && a->quality.backward_timestamps == 0)
        fprintf(f, "complete: no gaps\n");
    else
        fprintf(f, "%llu gap%s (longest %.1f s), %llu records out of time order dropped\n",
                (unsigned long long)a->quality.gaps, a->quality.gaps == 1 ? "" : "s",
                a->quality.longest_gap_s, (unsigned long long)a->quality.backward_timestamps);
    fprintf(f, "\n  Safety: walk backward only where it is flat, clear and quiet; on a treadmill\n"
               "  start slowly holding the rails. Stop if you feel pain or dizziness. backstep\n"
               "  measures your walking; it does not give medical advice.\n");
}
