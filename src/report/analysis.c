/*
 * Batch analysis of one recording: a loop over the streaming API (there is no second
 * implementation). The reader delivers samples in blocks; the analyzer turns them into events;
 * the summary and the rows of the report are built from those events only.
 *
 * Placement "auto": the first 60 s (at most 65536 samples) are buffered and classified: a foot
 * swings its sensor through angular rates no trunk reaches while walking (foot swing peaks
 * 300-1000 deg/s; trunk and thigh-pocket rotations while walking stay under about 200 deg/s apart
 * from turns), so when more than 2 % of those samples exceed 200 deg/s the sensor is taken to be on
 * a foot (side unknown); otherwise, and always without a gyroscope, on the lower back. The buffer
 * is then fed to the analyzer before streaming continues. --placement avoids the guess.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backstep/status.h"
#include "report/report.h"

#define BLOCK            4096
#define AUTO_MAX_SAMPLES 65536
#define AUTO_WINDOW_US   60000000LL
#define FOOT_RATE_DPS    200.0f

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    void *q;
    size_t ncap;
    if (need <= *cap)
        return BSTEP_OK;
    ncap = *cap ? *cap * 2 : 256;
    while (ncap < need)
        ncap *= 2;
    q = realloc(*p, ncap * elem);
    if (q == NULL)
        return BSTEP_ENOMEM;
    *p = q;
    *cap = ncap;
    return BSTEP_OK;
}

/* Activity of a finished bout from its strides: the majority direction, and running when the
 * stance takes less than 40 % of the stride (walking always has double support, so each foot's
 * stance is over 50 % of the stride; running has a flight phase: Novacheck, Gait Posture 1998). */
static const char *bout_activity(const bstep__analysis *a, const bstep__bout_row *b)
{
    size_t i, n = 0, fw = 0, bw = 0, sl = 0, sr = 0, duty_n = 0;
    double duty_sum = 0.0;
    int run;
    /* Steps are in time order and the bout has just ended: walk back from the newest step until
     * the bout's start (a scan of the whole session per bout would be quadratic). */
    for (i = bstep__analysis_n_steps(a); i-- > 0;) {
        const bstep__step_row *r = bstep__analysis_step(a, i);
        if (r->ic_s < b->start_s)
            break;
        if (r->ic_s > b->end_s)
            continue;
        n++;
        fw += r->direction == BSTEP_DIRECTION_FORWARD;
        bw += r->direction == BSTEP_DIRECTION_BACKWARD;
        sl += r->direction == BSTEP_DIRECTION_SIDEWAYS_LEFT;
        sr += r->direction == BSTEP_DIRECTION_SIDEWAYS_RIGHT;
        if (isfinite(r->fc_s) && isfinite(r->stride_time_s) && r->stride_time_s > 0.0) {
            duty_sum += (r->fc_s - r->ic_s) / r->stride_time_s;
            duty_n++;
        }
    }
    run = duty_n >= 2 && duty_sum / (double)duty_n < 0.4;
    if (n == 0 || fw + bw + sl + sr == 0)
        return run ? "run" : "walk";
    if (bw * 2 > n)
        return run ? "run-backward" : "walk-backward";
    if (sl * 2 > n)
        return "side-left";
    if (sr * 2 > n)
        return "side-right";
    return run ? "run" : "walk";
}

/* Activity of one foot stride (step row k): its direction and whether its stance took
 * under 40 % of the stride (a flight phase: running). NULL when the stride has no direction of
 * its own (turning, in place, unknown): it joins the activity around it. */
static const char *stride_activity(const bstep__analysis *a, size_t k)
{
    const bstep__step_row r = *bstep__analysis_step(a, k);
    int run = 0;
    if (k + 1 < bstep__analysis_n_steps(a) && isfinite(r.fc_s)) {
        const double next_t = bstep__analysis_step(a, k + 1)->stride_time_s;
        if (isfinite(next_t) && next_t > 0.0)
            run = (r.fc_s - r.ic_s) / next_t < 0.4;
    }
    switch (r.direction) {
    case BSTEP_DIRECTION_FORWARD:
        return run ? "run" : "walk";
    case BSTEP_DIRECTION_BACKWARD:
        return run ? "run-backward" : "walk-backward";
    case BSTEP_DIRECTION_SIDEWAYS_LEFT:
        return "side-left";
    case BSTEP_DIRECTION_SIDEWAYS_RIGHT:
        return "side-right";
    default:
        return NULL;
    }
}

/* Foot sensor: the bout just ended is split where the gait activity changes: a new activity once
 * three consecutive strides agree on it (algorithms.md section 7: 2-3 strides is realistic),
 * starting at the first of them. Each part gets its own steps, distance and cadence (120 / mean
 * stride time); the bout's regularity and confidence are copied. */
#define ACTIVITY_AGREE 3
static int split_by_activity(bstep__analysis *a)
{
    const bstep__bout_row bout = a->bouts[a->n_bouts - 1];
    const size_t n_steps = bstep__analysis_n_steps(a);
    size_t k0 = n_steps, k, first, run_start = 0;
    const char *cur = NULL, *cand = NULL;
    int cand_n = 0;
    /* the first step of the bout: back from the newest (steps are in time order) */
    while (k0 > 0 && !(bstep__analysis_step(a, k0 - 1)->ic_s < bout.start_s))
        k0--;
    first = k0;
    a->n_bouts--; /* rebuilt below */
    for (k = k0; k <= n_steps; k++) {
        const int last = k == n_steps || bstep__analysis_step(a, k)->ic_s > bout.end_s;
        const char *lab = last ? NULL : stride_activity(a, k);
        size_t cut = (size_t)-1;
        if (!last && lab != NULL) {
            if (cur == NULL)
                cur = lab;
            else if (strcmp(lab, cur) == 0)
                cand_n = 0;
            else if (cand != NULL && cand_n > 0 && strcmp(lab, cand) == 0) {
                if (++cand_n == ACTIVITY_AGREE)
                    cut = run_start;
            } else {
                cand = lab;
                cand_n = 1;
                run_start = k;
            }
        }
        if (cut != (size_t)-1 || last) {
            const size_t end = cut != (size_t)-1 ? cut : k;
            bstep__bout_row *b;
            size_t i, n_len = 0, n_t = 0;
            double dist = 0.0, tsum = 0.0;
            if (grow((void **)&a->bouts, &a->cap_bouts, a->n_bouts + 1, sizeof(*a->bouts)))
                return BSTEP_ENOMEM;
            b = &a->bouts[a->n_bouts++];
            *b = bout;
            b->start_s = first == k0 ? bout.start_s : bstep__analysis_step(a, first)->ic_s;
            b->end_s = last ? bout.end_s : bstep__analysis_step(a, end - 1)->ic_s;
            b->activity = cur != NULL ? cur : bout.activity;
            b->steps = 2u * (uint64_t)(end - first);
            for (i = first; i < end; i++) {
                const bstep__step_row *r = bstep__analysis_step(a, i);
                if (isfinite(r->stride_length_m)) {
                    dist += r->stride_length_m;
                    n_len++;
                }
                if (i > first && isfinite(r->stride_time_s)) {
                    tsum += r->stride_time_s;
                    n_t++;
                }
            }
            b->distance_m = n_len ? dist : (double)NAN;
            b->cadence_spm = n_t ? 120.0 * (double)n_t / tsum : bout.cadence_spm;
            if (last)
                break;
            first = cut;
            cur = cand;
            cand = NULL;
            cand_n = 0;
        }
    }
    return BSTEP_OK;
}

static double rel_s(const bstep__analysis *a, bstep_time_us t)
{
    return (double)(t - a->t0_us) * 1e-6;
}

static int add_event_row(bstep__analysis *a, double t_s, const char *type, const char *msg,
                         const bstep_event *e)
{
    bstep__event_row *r;
    if (a->event_rows.row_size == 0)
        bstep__spool_init(&a->event_rows, sizeof(bstep__event_row));
    r = bstep__spool_push(&a->event_rows);
    if (r == NULL)
        return BSTEP_ENOMEM;
    r->t_s = t_s;
    r->type = type;
    snprintf(r->message, sizeof(r->message), "%s", msg);
    r->direction = e ? e->direction : BSTEP_DIRECTION_UNKNOWN;
    r->confidence = e ? (double)e->confidence : (double)NAN;
    r->value = e ? (double)e->value : (double)NAN;
    r->trunk_lean_deg = e ? (double)e->trunk_lean_deg : (double)NAN;
    r->side_lean_deg = e ? (double)e->side_lean_deg : (double)NAN;
    return BSTEP_OK;
}

/* The safety and posture events as rows with a message for the walker. */
static int safety_row(bstep__analysis *a, const bstep_event *e)
{
    char msg[160];
    const char *type = "";
    switch (e->type) {
    case BSTEP_EVENT_STUMBLE:
        type = "stumble";
        snprintf(msg, sizeof(msg), "stumble: broken rhythm with a jolt %.1fx the usual step",
                 (double)e->value);
        break;
    case BSTEP_EVENT_FALL:
        type = "fall";
        snprintf(msg, sizeof(msg), "fall%s%s: impact of %.1f g, then lying still",
                 e->direction != BSTEP_DIRECTION_UNKNOWN ? " " : "",
                 e->direction != BSTEP_DIRECTION_UNKNOWN ? bstep_direction_name(e->direction) : "",
                 (double)e->value);
        break;
    case BSTEP_EVENT_LOOK_BACK:
        type = "look-back";
        snprintf(msg, sizeof(msg), "trunk twisted %.0f deg to the %s and back",
                 fabs((double)e->value), e->value >= 0.0f ? "left" : "right");
        break;
    case BSTEP_EVENT_POSTURE:
        type = "posture";
        snprintf(msg, sizeof(msg),
                 "trunk lean %+.1f deg (forward +), side lean %+.1f deg "
                 "(right +) over %.0f s",
                 (double)e->trunk_lean_deg, (double)e->side_lean_deg, (double)e->value);
        break;
    default:
        return BSTEP_OK;
    }
    return add_event_row(a, rel_s(a, e->t_us), type, msg, e);
}

void bstep__analysis_set_context(bstep__analysis *a, double speed_max_mps,
                                 double planned_backward_s)
{
    bstep_cues_settings cfg = bstep_cues_default_settings;
    /* zero (an options struct cleared with memset) means "no plan context" */
    a->context.speed_max_mps = speed_max_mps > 0.0 ? speed_max_mps : (double)NAN;
    a->context.planned_backward_s = planned_backward_s > 0.0 ? planned_backward_s : (double)NAN;
    if (a->context.speed_max_mps >= 0.05 && a->context.speed_max_mps <= 10.0)
        cfg.speed_max_mps = (float)a->context.speed_max_mps;
    bstep_cues_init(&a->cue_engine, &cfg);
    a->cue_engine_ready = 1;
}

/* The real-time cues the event gives (as a console would speak them during the session). */
static int add_cues(bstep__analysis *a, const bstep_event *e)
{
    bstep_cue out[2];
    size_t n, i;
    if (!a->cue_engine_ready)
        bstep__analysis_set_context(a, (double)NAN, (double)NAN);
    n = bstep_cues_update(&a->cue_engine, e, out, 2);
    for (i = 0; i < n; i++) {
        bstep__cue_row *r;
        if (grow((void **)&a->cues, &a->cap_cues, a->n_cues + 1, sizeof(*a->cues)))
            return BSTEP_ENOMEM;
        r = &a->cues[a->n_cues++];
        r->t_s = rel_s(a, out[i].t_us);
        r->cause_s = rel_s(a, out[i].cause_t_us);
        r->type = out[i].type;
        r->value = (double)out[i].value;
    }
    return BSTEP_OK;
}

int bstep__analysis_add_event(bstep__analysis *a, bstep_summary *sum, const bstep_event *e, int spc)
{
    char msg[160];
    bstep_summary_add(sum, e);
    if (add_cues(a, e) != BSTEP_OK)
        return BSTEP_ENOMEM;
    switch (e->type) {
    case BSTEP_EVENT_BOUT_START: {
        bstep__bout_row *b;
        if (grow((void **)&a->bouts, &a->cap_bouts, a->n_bouts + 1, sizeof(*a->bouts)))
            return BSTEP_ENOMEM;
        b = &a->bouts[a->n_bouts++];
        b->start_s = rel_s(a, e->t_us);
        b->end_s = ((double)NAN);
        b->activity = "walk";
        b->steps = 0;
        b->distance_m = ((double)NAN);
        b->cadence_spm = b->direction_confidence = b->step_regularity = b->stride_regularity =
            ((double)NAN);
        break;
    }
    case BSTEP_EVENT_BOUT_END:
        if (a->n_bouts > 0) {
            bstep__bout_row *b = &a->bouts[a->n_bouts - 1];
            b->end_s = rel_s(a, e->t_us);
            b->activity = bout_activity(a, b);
            b->cadence_spm = (double)e->value;
            b->direction_confidence = (double)e->confidence;
            b->step_regularity = (double)e->step_regularity;
            b->stride_regularity = (double)e->stride_regularity;
            if (spc == 2)
                return split_by_activity(a);
        }
        break;
    case BSTEP_EVENT_INITIAL_CONTACT: {
        bstep__step_row *s;
        if (a->step_rows.row_size == 0)
            bstep__spool_init(&a->step_rows, sizeof(bstep__step_row));
        s = bstep__spool_push(&a->step_rows);
        if (s == NULL)
            return BSTEP_ENOMEM;
        s->ic_s = rel_s(a, e->t_us);
        s->fc_s = ((double)NAN);
        s->foot = e->foot;
        s->direction = e->direction;
        s->strike = e->strike;
        s->strike_angle_deg = (double)e->strike_angle_deg;
        s->stride_length_m = (double)e->stride_length_m;
        s->stride_time_s = (double)e->stride_time_s;
        s->stride_forward_m = (double)e->stride_forward_m;
        s->stride_left_m = (double)e->stride_left_m;
        s->speed_mps = (double)e->speed_mps;
        s->clearance_m = (double)e->clearance_m;
        s->turn_deg = (double)e->turn_deg;
        s->fc_angle_deg = ((double)NAN);
        s->fc_strike = BSTEP_STRIKE_UNKNOWN;
        s->step_length_m = (double)e->step_length_m;
        s->trunk_lean_deg = (double)e->trunk_lean_deg;
        s->side_lean_deg = (double)e->side_lean_deg;
        s->confidence = (double)e->confidence;
        if (a->n_bouts > 0 && isnan(a->bouts[a->n_bouts - 1].end_s)) {
            bstep__bout_row *b = &a->bouts[a->n_bouts - 1];
            b->steps += (uint64_t)spc;
            const double len = spc == 1 ? s->step_length_m : s->stride_length_m;
            if (isfinite(len))
                b->distance_m = (isnan(b->distance_m) ? 0.0 : b->distance_m) + len;
        }
        break;
    }
    case BSTEP_EVENT_FINAL_CONTACT:
        /* The toe-off that ends the stance begun by the last initial contact. */
        if (bstep__analysis_n_steps(a) > 0) {
            bstep__step_row *s = bstep__spool_at(&a->step_rows, bstep__analysis_n_steps(a) - 1);
            if (isnan(s->fc_s) && rel_s(a, e->t_us) > s->ic_s) {
                s->fc_s = rel_s(a, e->t_us);
                s->fc_angle_deg = (double)e->strike_angle_deg;
                s->fc_strike = e->strike;
            }
        }
        break;
    case BSTEP_EVENT_GAP:
        snprintf(msg, sizeof(msg), "data gap of %.2f s: bout ended, detection restarted",
                 (double)e->value);
        return add_event_row(a, rel_s(a, e->t_us), "gap", msg, NULL);
    case BSTEP_EVENT_STUMBLE:
    case BSTEP_EVENT_FALL:
    case BSTEP_EVENT_LOOK_BACK:
    case BSTEP_EVENT_POSTURE:
        return safety_row(a, e);
    default:
        break;
    }
    return BSTEP_OK;
}

/* Session energy from the bouts (the one model, bstep_energy_session): each bout's direction and
 * gait with its measured speed (distance / duration) on level ground. When the recording carries
 * a treadmill's speed and incline (CSV `speed`, `incline` columns), a bout with readings is cut
 * into pieces of at most 60 s, each with the treadmill's mean speed and incline during it (a
 * motion sensor on a treadmill measures the foot against the moving belt, not the walking speed:
 * the belt's speed is the walking speed), the same rule as `backstep import` and the activity
 * files. Bouts without a speed are left out and their time reported. */
#define ASSUMED_MASS_KG   70.0
#define TREADMILL_PIECE_S 60.0
/* The readings the energy of the bouts is computed with: times relative to t0_us, as the bouts'. */
typedef struct {
    const bstep_treadmill_point *tm;
    size_t n_tm;
    const bstep_hr_point *hr;
    size_t n_hr;
    int64_t t0_us;
} energy_inputs;

/* Mean heart rate of the readings inside [t0_s, t1_s] (NAN without readings). */
static double hr_between(const energy_inputs *a, double t0_s, double t1_s)
{
    const double t0 = (double)a->t0_us * 1e-6;
    double sum = 0.0;
    size_t i, n = 0;
    for (i = 0; i < a->n_hr; i++) {
        const double t = (double)a->hr[i].t_us * 1e-6 - t0;
        if (t >= t0_s && t <= t1_s) {
            sum += (double)a->hr[i].hr_bpm;
            n++;
        }
    }
    return n > 0 ? sum / (double)n : (double)NAN;
}

/* Mean treadmill speed (field 0) or incline (1) of the points in [t0_s, t1_s) (NAN: none). */
static double tm_between(const energy_inputs *a, double t0_s, double t1_s, int field)
{
    double sum = 0.0;
    size_t i, n = 0;
    for (i = 0; i < a->n_tm; i++) {
        const double t = (double)(a->tm[i].t_us - a->t0_us) * 1e-6;
        const double v = field == 0 ? (double)a->tm[i].speed_mps : (double)a->tm[i].incline_pct;
        if (t >= t0_s && t < t1_s && isfinite(v)) {
            sum += v;
            n++;
        }
    }
    return n > 0 ? sum / (double)n : (double)NAN;
}

int bstep__bouts_energy(const bstep__bout_row *bouts, size_t n_bouts,
                        const bstep_treadmill_point *tm, size_t n_tm, const bstep_hr_point *hr,
                        size_t n_hr, int64_t t0_us, const bstep_energy_walker *w,
                        bstep_energy_session_result *r)
{
    const energy_inputs in = {tm, n_tm, hr, n_hr, t0_us}, *a = &in;
    bstep_energy_segment *seg;
    size_t i, n = 0, cap = n_bouts + 1;
    int rc;
    if (a->n_tm > 0) /* room for the pieces of at most 60 s */
        for (i = 0; i < n_bouts; i++) {
            const double dur = bouts[i].end_s - bouts[i].start_s;
            if (dur > 0.0 && dur < 1e7)
                cap += (size_t)ceil(dur / TREADMILL_PIECE_S);
        }
    seg = calloc(cap, sizeof(*seg));
    if (seg == NULL)
        return BSTEP_ENOMEM;
    for (i = 0; i < n_bouts; i++) {
        const bstep__bout_row *b = &bouts[i];
        const double dur = b->end_s - b->start_s;
        const bstep_direction dir =
            strstr(b->activity, "backward") ? BSTEP_DIRECTION_BACKWARD : BSTEP_DIRECTION_FORWARD;
        const bstep_gait gait =
            strncmp(b->activity, "run", 3) == 0 ? BSTEP_GAIT_RUN : BSTEP_GAIT_WALK;
        double v = dur > 0.0 && isfinite(b->distance_m) ? b->distance_m / dur : (double)NAN;
        size_t k, pieces = 1;
        if (!(dur > 0.0 && dur < 1e7))
            continue;
        if (isfinite(v) && v > 10.0)
            v = (double)NAN; /* not a walk or a run: leave it out rather than guess */
        if (a->n_tm > 0 && (isfinite(tm_between(a, b->start_s, b->end_s, 0)) ||
                            isfinite(tm_between(a, b->start_s, b->end_s, 1))))
            pieces = (size_t)ceil(dur / TREADMILL_PIECE_S);
        for (k = 0; k < pieces && n < cap; k++) {
            const double t0 = b->start_s + dur * (double)k / (double)pieces;
            const double t1 =
                k + 1 == pieces ? b->end_s : b->start_s + dur * (double)(k + 1) / (double)pieces;
            double sp = v, gr = (double)NAN;
            if (a->n_tm > 0) {
                const double ts = tm_between(a, t0, t1, 0), tg = tm_between(a, t0, t1, 1);
                /* a piece without readings of its own takes the bout's */
                sp = isfinite(ts) ? ts : tm_between(a, b->start_s, b->end_s, 0);
                gr = isfinite(tg) ? tg : tm_between(a, b->start_s, b->end_s, 1);
                if (!isfinite(sp))
                    sp = v;
                if (isfinite(sp) && sp > 10.0)
                    sp = (double)NAN;
                if (isfinite(gr))
                    gr = fmax(-20.0, fmin(40.0, gr)); /* the energy model's range */
            }
            seg[n].duration_s = t1 - t0;
            seg[n].speed_mps = sp;
            seg[n].grade_pct = gr;
            seg[n].direction = dir;
            seg[n].gait = gait;
            seg[n].hr_bpm = hr_between(a, t0, t1);
            if (pieces > 1 && !isfinite(seg[n].hr_bpm))
                seg[n].hr_bpm = hr_between(a, b->start_s, b->end_s);
            n++;
        }
    }
    rc = bstep_energy_session(seg, n, w, r);
    free(seg);
    return rc;
}

void bstep__analysis_energy(bstep__analysis *a, double mass_kg)
{
    bstep_energy_walker w;
    bstep_energy_session_result r;
    a->energy_kcal = a->energy_low_kcal = a->energy_high_kcal = a->met_mean = (double)NAN;
    a->energy_unknown_s = 0.0;
    a->energy_mass_assumed = !isfinite(mass_kg);
    a->energy_mass_kg = a->energy_mass_assumed ? ASSUMED_MASS_KG : mass_kg;
    memset(&w, 0, sizeof(w));
    w.mass_kg = a->energy_mass_kg;
    w.age_y = a->age_y >= 5.0 && a->age_y <= 110.0 ? a->age_y : (double)NAN;
    w.sex = a->sex;
    w.vo2max_ml_kg_min = (double)NAN;
    a->energy_kcal_hr = (double)NAN;
    a->energy_hr_flags = 0u;
    if (bstep__bouts_energy(a->bouts, a->n_bouts, a->tm, a->n_tm, a->hr, a->n_hr, a->t0_us, &w,
                            &r) == BSTEP_OK) {
        a->energy_kcal = r.energy_kcal;
        a->energy_low_kcal = r.energy_low_kcal;
        a->energy_high_kcal = r.energy_high_kcal;
        a->met_mean = r.met_mean;
        a->energy_unknown_s = r.duration_unknown_s;
        a->energy_kcal_hr = r.energy_kcal_hr;
        a->energy_hr_flags = r.flags & (BSTEP_ENERGY_HR_EXTRAPOLATED | BSTEP_ENERGY_HR_LOW |
                                        BSTEP_ENERGY_HR_CLAMPED | BSTEP_ENERGY_HR_BACKWARD);
    }
    bstep_assess_session(&a->summary, &a->context, NULL, &a->assessment);
}

static bstep_placement guess_placement(const bstep_imu_sample *s, size_t n)
{
    size_t i, fast = 0, with_gyro = 0;
    for (i = 0; i < n; i++) {
        const float *w = s[i].gyro_dps;
        if (!(s[i].flags & BSTEP_SAMPLE_HAS_GYRO))
            continue;
        with_gyro++;
        if (w[0] * w[0] + w[1] * w[1] + w[2] * w[2] > FOOT_RATE_DPS * FOOT_RATE_DPS)
            fast++;
    }
    if (with_gyro > 0 && (double)fast > 0.02 * (double)with_gyro)
        return BSTEP_PLACEMENT_FOOT;
    return BSTEP_PLACEMENT_LOWER_BACK;
}

static int is_foot_placement(bstep_placement p)
{
    return p == BSTEP_PLACEMENT_FOOT || p == BSTEP_PLACEMENT_FOOT_LEFT ||
           p == BSTEP_PLACEMENT_FOOT_RIGHT;
}

/* Progress on standard error, once a second: a bar of the file read when its size is known,
 * the hours:minutes:seconds of data analysed and the samples. The line is at most 79 columns
 * (the file name is shortened to its last 24 characters) and is erased at the end. */
#define PROGRESS_BAR 20
static void progress(const bstep__analysis *a, const bstep__analysis_options *opt,
                     const bstep_reader *r, uint64_t samples, time_t *last)
{
    const double frac = bstep_reader_progress(r);
    const double data_s = rel_s(a, a->quality.last_t_us);
    const long hms = data_s > 0.0 && data_s < 1e9 ? (long)data_s : 0;
    const size_t len = strlen(a->path);
    const char *name = len > 24 ? a->path + len - 24 : a->path;
    char bar[PROGRESS_BAR + 1];
    time_t now;
    int k;
    if (!opt->progress)
        return;
    now = time(NULL);
    if (now == *last)
        return;
    *last = now;
    if (frac >= 0.0) {
        const int full = (int)(frac * PROGRESS_BAR + 0.5);
        for (k = 0; k < PROGRESS_BAR; k++)
            bar[k] = k < full ? '#' : '.';
        bar[PROGRESS_BAR] = '\0';
        fprintf(stderr, "\ranalysing %s%s [%s] %3.0f %% %ld:%02ld:%02ld of data",
                len > 24 ? "..." : "", name, bar, 100.0 * frac, hms / 3600, hms / 60 % 60,
                hms % 60);
    } else {
        fprintf(stderr, "\ranalysing %s%s: %ld:%02ld:%02ld of data, %llu samples",
                len > 24 ? "..." : "", name, hms / 3600, hms / 60 % 60, hms % 60,
                (unsigned long long)samples);
    }
}

int bstep__accel_range_parse(const char *text, double *out_mps2, char *why, size_t why_len)
{
    const double lo_g = 2.0, hi_g = 400.0; /* see report.h */
    char *end = NULL;
    double g;
    if (strcmp(text, "none") == 0) {
        *out_mps2 = (double)INFINITY;
        return BSTEP_OK;
    }
    errno = 0;
    g = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !isfinite(g)) {
        snprintf(why, why_len, "'%.60s' is not a number", text);
        return BSTEP_EINVAL;
    }
    if (g < lo_g || g > hi_g) {
        snprintf(why, why_len, "%.60s is outside %g..%g", text, lo_g, hi_g);
        return BSTEP_EINVAL;
    }
    *out_mps2 = g * (double)BSTEP_STANDARD_GRAVITY_MPS2;
    return BSTEP_OK;
}

int bstep__analyze_file(const char *path, const bstep__analysis_options *opt, bstep__analysis *a,
                        char *err, size_t err_len)
{
    bstep_reader *r = NULL;
    bstep_imu_sample *buf = NULL;
    bstep_analyzer *an = NULL;
    bstep_summary sum;
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    bstep_event ev[BSTEP_ANALYZER_EVENT_QUEUE];
    size_t nbuf = 0, n, i;
    int rc, spc;
    float rate;
    time_t last_progress = 0; /* the first block shows the line at once */

    memset(a, 0, sizeof(*a));
    snprintf(a->path, sizeof(a->path), "%s", path);
    a->placement_requested = opt->placement;
    rc = bstep_reader_open(&r, path, opt->format, err, err_len);
    if (rc != BSTEP_OK)
        return rc;
    a->format = bstep_reader_format(r);
    buf = malloc(AUTO_MAX_SAMPLES * sizeof(*buf));
    an = malloc(sizeof(*an));
    if (buf == NULL || an == NULL) {
        rc = BSTEP_ENOMEM;
        snprintf(err, err_len, "%s: out of memory", path);
        goto done;
    }
    /* Buffer the start: enough to estimate the rate and, for auto, the placement. */
    while (nbuf < AUTO_MAX_SAMPLES) {
        rc = bstep_reader_read(
            r, buf + nbuf, AUTO_MAX_SAMPLES - nbuf < BLOCK ? AUTO_MAX_SAMPLES - nbuf : BLOCK, &n);
        if (rc != BSTEP_OK) {
            snprintf(err, err_len, "%s", bstep_reader_errmsg(r));
            goto done;
        }
        if (n == 0)
            break;
        nbuf += n;
        if (opt->placement != BSTEP_PLACEMENT_AUTO && nbuf >= 256)
            break;
        if (buf[nbuf - 1].t_us - buf[0].t_us >= AUTO_WINDOW_US)
            break;
    }
    if (nbuf == 0) {
        rc = BSTEP_EFORMAT;
        snprintf(err, err_len, "%s: no samples", path);
        goto done;
    }
    a->t0_us = buf[0].t_us;
    {
        bstep_time_us t[256];
        size_t m = nbuf < 256 ? nbuf : 256;
        for (i = 0; i < m; i++)
            t[i] = buf[i].t_us;
        rate = bstep_estimate_rate_hz(t, m);
    }
    if (nbuf < 2 || !(rate >= 5.0f && rate <= BSTEP_ANALYZER_MAX_RATE_HZ)) {
        rc = BSTEP_EFORMAT;
        snprintf(err, err_len,
                 "%s: sample rate %.1f Hz cannot be analysed (needs 5 to %.0f Hz and at least two "
                 "samples)",
                 path, (double)rate, (double)BSTEP_ANALYZER_MAX_RATE_HZ);
        goto done;
    }
    a->placement =
        opt->placement != BSTEP_PLACEMENT_AUTO ? opt->placement : guess_placement(buf, nbuf);
    cfg.placement = a->placement;
    cfg.sample_rate_hz = rate;
    cfg.toe_axis = opt->toe_axis;
    cfg.front_axis = opt->front_axis;
    a->front_axis_requested = opt->front_axis;
    if (isfinite(opt->sensor_height_m) && opt->sensor_height_m > 0.0)
        cfg.sensor_height_m = (float)opt->sensor_height_m;
    if (isfinite(opt->step_scale) && opt->step_scale > 0.0)
        cfg.step_length_scale = (float)opt->step_scale;
    if (opt->accel_range_mps2 > 0.0)
        cfg.accel_range_mps2 = isinf(opt->accel_range_mps2) ? 0.0f : (float)opt->accel_range_mps2;
    if (bstep_analyzer_init(an, &cfg) != BSTEP_OK) {
        rc = BSTEP_EINVAL;
        snprintf(err, err_len, "%s: analyzer settings rejected (rate %.1f Hz)", path, (double)rate);
        goto done;
    }
    spc = is_foot_placement(a->placement) ? 2 : 1;
    bstep_summary_init(&sum, spc);
    bstep_summary_set_measured(&sum, bstep_analyzer_measures(an));
    bstep__analysis_set_context(a, opt->speed_max_mps, opt->planned_backward_s);
    for (;;) {
        for (i = 0; i < nbuf; i++) {
            size_t ne = bstep_analyzer_update(an, &buf[i], ev, BSTEP_ANALYZER_EVENT_QUEUE);
            size_t k;
            for (k = 0; k < ne; k++)
                if ((rc = bstep__analysis_add_event(a, &sum, &ev[k], spc)) != BSTEP_OK)
                    goto oom;
        }
        bstep_reader_quality(r, &a->quality);
        progress(a, opt, r, a->quality.samples, &last_progress);
        rc = bstep_reader_read(r, buf, BLOCK, &nbuf);
        if (rc != BSTEP_OK) {
            snprintf(err, err_len, "%s", bstep_reader_errmsg(r));
            goto done;
        }
        if (nbuf == 0)
            break;
    }
    n = bstep_analyzer_finish(an, ev, BSTEP_ANALYZER_EVENT_QUEUE);
    for (i = 0; i < n; i++)
        if ((rc = bstep__analysis_add_event(a, &sum, &ev[i], spc)) != BSTEP_OK)
            goto oom;
    if (opt->progress)
        fprintf(stderr, "\r%*s\r", 79, "");
    bstep_reader_quality(r, &a->quality);
    {
        const bstep_hr_point *hp;
        size_t nh = bstep_reader_heart_rate(r, &hp), k;
        a->hr_mean_bpm = a->hr_max_bpm = (double)NAN;
        if (nh > 0) {
            double hsum = 0.0, mx = 0.0;
            a->hr = malloc(nh * sizeof(*a->hr));
            if (a->hr == NULL)
                goto oom;
            memcpy(a->hr, hp, nh * sizeof(*a->hr));
            a->n_hr = nh;
            for (k = 0; k < nh; k++) {
                hsum += (double)hp[k].hr_bpm;
                if ((double)hp[k].hr_bpm > mx)
                    mx = (double)hp[k].hr_bpm;
            }
            a->hr_mean_bpm = hsum / (double)nh;
            a->hr_max_bpm = mx;
        }
    }
    {
        const bstep_treadmill_point *tp;
        size_t nt = bstep_reader_treadmill(r, &tp), k, ns = 0, ni = 0;
        double ssum = 0.0, isum = 0.0;
        a->treadmill_speed_mps = a->treadmill_incline_pct = (double)NAN;
        if (nt > 0) {
            a->tm = malloc(nt * sizeof(*a->tm));
            if (a->tm == NULL)
                goto oom;
            memcpy(a->tm, tp, nt * sizeof(*a->tm));
            a->n_tm = nt;
            for (k = 0; k < nt; k++) {
                if (isfinite(tp[k].speed_mps)) {
                    ssum += (double)tp[k].speed_mps;
                    ns++;
                }
                if (isfinite(tp[k].incline_pct)) {
                    isum += (double)tp[k].incline_pct;
                    ni++;
                }
            }
            if (ns > 0)
                a->treadmill_speed_mps = ssum / (double)ns;
            if (ni > 0)
                a->treadmill_incline_pct = isum / (double)ni;
        }
    }
    a->age_y = opt->age_y > 0.0 ? opt->age_y : (double)NAN;
    a->sex = opt->sex;
    bstep_summary_set_measured(&sum, bstep_analyzer_measures(an)); /* what the data allowed */
    bstep_summary_get(&sum, &a->summary);
    if (!a->quality.has_gyro) /* trunk twists are seen by the gyroscope only */
        a->summary.measured &= ~BSTEP_MEASURE_LOOK_BACKS;
    a->duration_s = rel_s(a, a->quality.last_t_us);
    bstep__analysis_energy(a, opt->mass_kg);
    if (is_foot_placement(a->placement) && !a->quality.has_gyro)
        snprintf(a->warning, sizeof(a->warning),
                 "a foot sensor needs a gyroscope to find strides; this recording has none");
    else if (a->quality.gravity_removed)
        snprintf(a->warning, sizeof(a->warning),
                 "the recording's acceleration has gravity removed; results are unreliable");
    rc = bstep__analysis_rows_status(a);
    if (rc == BSTEP_ENOMEM)
        goto oom;
    if (rc != BSTEP_OK) {
        const int en = a->step_rows.sys_errno ? a->step_rows.sys_errno : a->event_rows.sys_errno;
        snprintf(err, err_len,
                 "%s: the temporary file that holds the step and event rows failed (%s); is the "
                 "temporary folder (/tmp) full or not writable?",
                 path, en ? strerror(en) : "short read");
        goto done;
    }
    goto done;
oom:
    snprintf(err, err_len, "%s: out of memory", path);
done:
    free(buf);
    free(an);
    bstep_reader_close(r);
    return rc;
}

void bstep__analysis_free(bstep__analysis *a)
{
    bstep__spool_free(&a->step_rows);
    bstep__spool_free(&a->event_rows);
    free(a->steps_flat);
    free(a->events_flat);
    free(a->bouts);
    free(a->cues);
    free(a->hr);
    a->hr = NULL;
    a->n_hr = 0;
    free(a->tm);
    a->tm = NULL;
    a->n_tm = 0;
    a->steps_flat = NULL;
    a->events_flat = NULL;
    a->bouts = NULL;
    a->cues = NULL;
    a->n_bouts = a->n_cues = 0;
    a->cap_bouts = a->cap_cues = 0;
}

int bstep__analysis_flatten(bstep__analysis *a)
{
    const size_t ns = bstep__analysis_n_steps(a), ne = bstep__analysis_n_events(a);
    size_t i;
    free(a->steps_flat);
    free(a->events_flat);
    a->steps_flat = malloc((ns + 1) * sizeof(*a->steps_flat));
    a->events_flat = malloc((ne + 1) * sizeof(*a->events_flat));
    if (a->steps_flat == NULL || a->events_flat == NULL)
        return BSTEP_ENOMEM;
    for (i = 0; i < ns; i++)
        bstep__spool_get(&a->step_rows, i, &a->steps_flat[i]);
    for (i = 0; i < ne; i++)
        bstep__spool_get(&a->event_rows, i, &a->events_flat[i]);
    return bstep__analysis_rows_status(a);
}
