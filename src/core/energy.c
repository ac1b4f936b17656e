/*
 * Energy cost of walking and running, forward and backward (include/backstep/energy.h,
 * docs/energy.md, reference/energy.md).
 *
 * Forward gait uses the ACSM metabolic equations (ACSM's Guidelines for Exercise Testing and
 * Prescription, 10th ed., Table 6.3): gross VO2 = 3.5 + 0.1 S + 1.8 S G walking and
 * 3.5 + 0.2 S + 0.9 S G running, S in m/min and G a fraction. No published equation exists for
 * backward walking, so backstep fits the ACSM shape 3.5 + a S + b S G exactly through two measured
 * Compendium 2024 points: 17320 (backward, 3.5 mph = 93.8 m/min, level, 6.0 MET = 21.0 mL/kg/min)
 * gives a = 17.5 / 93.8, and 17475 (backward treadmill, 2.5 mph = 67.0 m/min, +10 %, 7.8 MET =
 * 27.3 mL/kg/min) gives b = (27.3 - 3.5 - 67 a) / 6.7 = 11.3 / 6.7. A single multiplier on the
 * ACSM net cost cannot fit both (level needs about 1.87, graded about 1.3). The fit predicts
 * 17325 (3.5 mph, 5 %) as 8.26 MET against 7.8 (2024) and 8.0 (2011), inside the +-15 % that
 * studies of 4-27 novices with a strong learning effect allow. Backward running is the ACSM
 * running cost times 1.35 (+35 %: Wright & Weyand 2001 at 3.0 m/s; Rasica et al. 2020 over
 * 0-25 % grades). kcal use 5 kcal per litre of O2, i.e. MET x 3.5 x kg / 200 per minute.
 * Heart-rate energy is Keytel et al. 2005, reported separately, never blended.
 *
 * Everything here is arithmetic on the arguments plus const tables: no state, no I/O.
 */
#include <math.h>
#include <string.h>

#include "backstep/energy.h"
#include "backstep/status.h"

/* Accepted input ranges (energy.h). */
#define SPEED_MAX_MPS  10.0
#define GRADE_MIN_PCT  (-20.0)
#define GRADE_MAX_PCT  40.0
#define MASS_MIN_KG    20.0
#define MASS_MAX_KG    300.0
#define AGE_MIN_Y      5.0
#define AGE_MAX_Y      110.0
#define HR_MIN_BPM     30.0
#define HR_MAX_BPM     230.0
#define VO2MAX_MIN     10.0
#define VO2MAX_MAX     90.0
#define DURATION_MAX_S 604800.0
#define MPS_PER_MPH    0.44704
#define REST_VO2       BSTEP_ENERGY_VO2_PER_MET_ML_KG_MIN
#define DNAN           ((double)NAN)
#define DINF           ((double)INFINITY)

/* Backward walking fit (see the opening comment). */
#define BW_WALK_A (17.5 / 93.8)
#define BW_WALK_B (11.3 / 6.7)

/* Validity ranges of the equations. */
#define ACSM_WALK_MIN_M_MIN 50.0
#define ACSM_WALK_MAX_M_MIN 100.0
#define ACSM_RUN_MIN_M_MIN  80.0
#define BW_WALK_MIN_MPS     0.83
#define BW_WALK_MAX_MPS     1.63
#define BW_WALK_MAX_PCT     10.0
#define BW_RUN_MIN_MPS      1.75
#define BW_RUN_MAX_MPS      3.5
#define BW_RUN_MAX_PCT      25.0

static int in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

const char *bstep_gait_name(bstep_gait g)
{
    switch (g) {
    case BSTEP_GAIT_WALK:
        return "walk";
    case BSTEP_GAIT_RUN:
        return "run";
    default:
        return "auto";
    }
}

int bstep_gait_parse(const char *text, bstep_gait *out)
{
    if (text == NULL || out == NULL)
        return BSTEP_EINVAL;
    if (strcmp(text, "walk") == 0)
        *out = BSTEP_GAIT_WALK;
    else if (strcmp(text, "run") == 0)
        *out = BSTEP_GAIT_RUN;
    else if (strcmp(text, "auto") == 0)
        *out = BSTEP_GAIT_AUTO;
    else
        return BSTEP_EINVAL;
    return BSTEP_OK;
}

const char *bstep_sex_name(bstep_sex s)
{
    switch (s) {
    case BSTEP_SEX_FEMALE:
        return "female";
    case BSTEP_SEX_MALE:
        return "male";
    default:
        return "unknown";
    }
}

int bstep_sex_parse(const char *text, bstep_sex *out)
{
    if (text == NULL || out == NULL)
        return BSTEP_EINVAL;
    if (strcmp(text, "F") == 0 || strcmp(text, "f") == 0 || strcmp(text, "female") == 0)
        *out = BSTEP_SEX_FEMALE;
    else if (strcmp(text, "M") == 0 || strcmp(text, "m") == 0 || strcmp(text, "male") == 0)
        *out = BSTEP_SEX_MALE;
    else
        return BSTEP_EINVAL;
    return BSTEP_OK;
}

const char *bstep_energy_model_name(bstep_energy_model m)
{
    switch (m) {
    case BSTEP_ENERGY_MODEL_ACSM_WALK:
        return "acsm-walk";
    case BSTEP_ENERGY_MODEL_ACSM_RUN:
        return "acsm-run";
    case BSTEP_ENERGY_MODEL_BW_WALK:
        return "backstep-bw-walk";
    case BSTEP_ENERGY_MODEL_BW_RUN:
        return "backstep-bw-run";
    }
    return "unknown";
}

const char *bstep_energy_model_equation(bstep_energy_model m)
{
    switch (m) {
    case BSTEP_ENERGY_MODEL_ACSM_WALK:
        return "VO2 = 3.5 + 0.1*S + 1.8*S*G (S m/min, G fraction)";
    case BSTEP_ENERGY_MODEL_ACSM_RUN:
        return "VO2 = 3.5 + 0.2*S + 0.9*S*G (S m/min, G fraction)";
    case BSTEP_ENERGY_MODEL_BW_WALK:
        return "VO2 = 3.5 + 0.18657*S + 1.68657*S*G (a = 17.5/93.8, b = 11.3/6.7; S m/min, "
               "G fraction)";
    case BSTEP_ENERGY_MODEL_BW_RUN:
        return "VO2 = 3.5 + 1.35*(0.2*S + 0.9*S*G) (S m/min, G fraction)";
    }
    return "";
}

const char *bstep_energy_model_source(bstep_energy_model m)
{
    switch (m) {
    case BSTEP_ENERGY_MODEL_ACSM_WALK:
    case BSTEP_ENERGY_MODEL_ACSM_RUN:
        return "ACSM's Guidelines for Exercise Testing and Prescription, 10th ed., Table 6.3";
    case BSTEP_ENERGY_MODEL_BW_WALK:
        return "backstep's own model: ACSM form fitted to Compendium 2024 codes 17320 and 17475";
    case BSTEP_ENERGY_MODEL_BW_RUN:
        return "backstep's own model: ACSM running x 1.35 (Wright & Weyand 2001; Rasica 2020)";
    }
    return "";
}

void bstep_energy_model_validity(bstep_energy_model m, double speed_mps[2], double grade_pct[2])
{
    double s0 = DNAN, s1 = DNAN, g0 = DNAN, g1 = DNAN;
    switch (m) {
    case BSTEP_ENERGY_MODEL_ACSM_WALK:
        s0 = ACSM_WALK_MIN_M_MIN / 60.0;
        s1 = ACSM_WALK_MAX_M_MIN / 60.0;
        break;
    case BSTEP_ENERGY_MODEL_ACSM_RUN:
        s0 = ACSM_RUN_MIN_M_MIN / 60.0;
        s1 = DINF;
        break;
    case BSTEP_ENERGY_MODEL_BW_WALK:
        s0 = BW_WALK_MIN_MPS;
        s1 = BW_WALK_MAX_MPS;
        g0 = 0.0;
        g1 = BW_WALK_MAX_PCT;
        break;
    case BSTEP_ENERGY_MODEL_BW_RUN:
        s0 = BW_RUN_MIN_MPS;
        s1 = BW_RUN_MAX_MPS;
        g0 = 0.0;
        g1 = BW_RUN_MAX_PCT;
        break;
    }
    if (speed_mps != NULL) {
        speed_mps[0] = s0;
        speed_mps[1] = s1;
    }
    if (grade_pct != NULL) {
        grade_pct[0] = g0;
        grade_pct[1] = g1;
    }
}

const char *bstep_energy_flag_name(unsigned flag)
{
    switch (flag) {
    case BSTEP_ENERGY_EXTRAPOLATED:
        return "extrapolated";
    case BSTEP_ENERGY_GRADE_CLAMPED:
        return "grade_clamped";
    case BSTEP_ENERGY_GAIT_ASSUMED:
        return "gait_assumed";
    case BSTEP_ENERGY_DIRECTION_ASSUMED:
        return "direction_assumed";
    case BSTEP_ENERGY_GRADE_ASSUMED:
        return "grade_assumed";
    case BSTEP_ENERGY_HR_EXTRAPOLATED:
        return "hr_extrapolated";
    case BSTEP_ENERGY_HR_LOW:
        return "hr_low";
    case BSTEP_ENERGY_HR_CLAMPED:
        return "hr_clamped";
    case BSTEP_ENERGY_HR_BACKWARD:
        return "hr_backward";
    case BSTEP_ENERGY_INCOMPLETE:
        return "incomplete";
    default:
        return NULL;
    }
}

/* Checks speed and grade; returns the grade fraction to use (negative clamped to 0). */
static int speed_grade(double speed_mps, double grade_pct, double *grade_frac, unsigned *flags)
{
    if (!in_range(speed_mps, 0.0, SPEED_MAX_MPS) ||
        !in_range(grade_pct, GRADE_MIN_PCT, GRADE_MAX_PCT))
        return BSTEP_EINVAL;
    if (grade_pct < 0.0) {
        *flags |= BSTEP_ENERGY_GRADE_CLAMPED;
        grade_pct = 0.0;
    }
    *grade_frac = grade_pct / 100.0;
    return BSTEP_OK;
}

int bstep_energy_acsm_vo2(bstep_gait gait, double speed_mps, double grade_pct,
                          double *vo2_ml_kg_min, unsigned *flags)
{
    unsigned f = 0;
    double g, s;
    if (vo2_ml_kg_min == NULL || (gait != BSTEP_GAIT_WALK && gait != BSTEP_GAIT_RUN))
        return BSTEP_EINVAL;
    if (speed_grade(speed_mps, grade_pct, &g, &f) != BSTEP_OK)
        return BSTEP_EINVAL;
    s = 60.0 * speed_mps;
    if (gait == BSTEP_GAIT_WALK) {
        *vo2_ml_kg_min = REST_VO2 + 0.1 * s + 1.8 * s * g;
        if (s < ACSM_WALK_MIN_M_MIN || s > ACSM_WALK_MAX_M_MIN)
            f |= BSTEP_ENERGY_EXTRAPOLATED;
    } else {
        *vo2_ml_kg_min = REST_VO2 + 0.2 * s + 0.9 * s * g;
        if (s < ACSM_RUN_MIN_M_MIN)
            f |= BSTEP_ENERGY_EXTRAPOLATED;
    }
    if (flags != NULL)
        *flags = f;
    return BSTEP_OK;
}

int bstep_energy_backward_vo2(bstep_gait gait, double speed_mps, double grade_pct,
                              double *vo2_ml_kg_min, unsigned *flags)
{
    unsigned f = 0;
    double g, s, pct;
    if (vo2_ml_kg_min == NULL || (gait != BSTEP_GAIT_WALK && gait != BSTEP_GAIT_RUN))
        return BSTEP_EINVAL;
    if (speed_grade(speed_mps, grade_pct, &g, &f) != BSTEP_OK)
        return BSTEP_EINVAL;
    s = 60.0 * speed_mps;
    pct = 100.0 * g;
    if (gait == BSTEP_GAIT_WALK) {
        *vo2_ml_kg_min = REST_VO2 + BW_WALK_A * s + BW_WALK_B * s * g;
        if (speed_mps < BW_WALK_MIN_MPS || speed_mps > BW_WALK_MAX_MPS || pct > BW_WALK_MAX_PCT)
            f |= BSTEP_ENERGY_EXTRAPOLATED;
    } else {
        *vo2_ml_kg_min = REST_VO2 + BSTEP_ENERGY_BW_RUN_FACTOR * (0.2 * s + 0.9 * s * g);
        if (speed_mps < BW_RUN_MIN_MPS || speed_mps > BW_RUN_MAX_MPS || pct > BW_RUN_MAX_PCT)
            f |= BSTEP_ENERGY_EXTRAPOLATED;
    }
    if (flags != NULL)
        *flags = f;
    return BSTEP_OK;
}

double bstep_energy_met(double vo2_ml_kg_min)
{
    if (!isfinite(vo2_ml_kg_min) || vo2_ml_kg_min < 0.0)
        return DNAN;
    return vo2_ml_kg_min / BSTEP_ENERGY_VO2_PER_MET_ML_KG_MIN;
}

double bstep_energy_met_older_adult(double vo2_ml_kg_min)
{
    if (!isfinite(vo2_ml_kg_min) || vo2_ml_kg_min < 0.0)
        return DNAN;
    return vo2_ml_kg_min / BSTEP_ENERGY_VO2_PER_MET_OLDER_ADULT_ML_KG_MIN;
}

double bstep_energy_kcal_per_min(double vo2_ml_kg_min, double mass_kg)
{
    if (!isfinite(vo2_ml_kg_min) || vo2_ml_kg_min < 0.0 ||
        !in_range(mass_kg, MASS_MIN_KG, MASS_MAX_KG))
        return DNAN;
    return vo2_ml_kg_min * mass_kg / 1000.0 * BSTEP_ENERGY_KCAL_PER_L_O2;
}

double bstep_energy_kcal_per_min_from_met(double met, double mass_kg)
{
    if (!isfinite(met) || met < 0.0 || !in_range(mass_kg, MASS_MIN_KG, MASS_MAX_KG))
        return DNAN;
    return met * BSTEP_ENERGY_VO2_PER_MET_ML_KG_MIN * mass_kg / 200.0;
}

double bstep_energy_kcal(double vo2_ml_kg_min, double mass_kg, double duration_s)
{
    if (!in_range(duration_s, 0.0, DURATION_MAX_S))
        return DNAN;
    return bstep_energy_kcal_per_min(vo2_ml_kg_min, mass_kg) * duration_s / 60.0;
}

int bstep_energy_keytel_kcal_per_min(double hr_bpm, double mass_kg, double age_y, bstep_sex sex,
                                     double vo2max_ml_kg_min, double *kcal_per_min, unsigned *flags)
{
    unsigned f = 0;
    double kj;
    int have_vo2max = !isnan(vo2max_ml_kg_min);
    if (kcal_per_min == NULL || !in_range(hr_bpm, HR_MIN_BPM, HR_MAX_BPM) ||
        !in_range(mass_kg, MASS_MIN_KG, MASS_MAX_KG) || !in_range(age_y, AGE_MIN_Y, AGE_MAX_Y) ||
        (sex != BSTEP_SEX_FEMALE && sex != BSTEP_SEX_MALE) ||
        (have_vo2max && !in_range(vo2max_ml_kg_min, VO2MAX_MIN, VO2MAX_MAX)))
        return BSTEP_EINVAL;
    /* Keytel et al. 2005, kJ/min; W in kg, A in years. */
    if (have_vo2max) {
        if (sex == BSTEP_SEX_MALE)
            kj = -95.7735 + 0.634 * hr_bpm + 0.404 * vo2max_ml_kg_min + 0.394 * mass_kg +
                 0.271 * age_y;
        else
            kj = -59.3954 + 0.450 * hr_bpm + 0.380 * vo2max_ml_kg_min + 0.103 * mass_kg +
                 0.274 * age_y;
        if (vo2max_ml_kg_min < 27.0 || vo2max_ml_kg_min > 81.0)
            f |= BSTEP_ENERGY_HR_EXTRAPOLATED;
    } else if (sex == BSTEP_SEX_MALE) {
        kj = -55.0969 + 0.6309 * hr_bpm + 0.1988 * mass_kg + 0.2017 * age_y;
    } else {
        kj = -20.4022 + 0.4472 * hr_bpm - 0.1263 * mass_kg + 0.0740 * age_y;
    }
    if (age_y < 18.0 || age_y > 45.0 || mass_kg < 47.0 || mass_kg > 120.0)
        f |= BSTEP_ENERGY_HR_EXTRAPOLATED;
    if (hr_bpm < 90.0)
        f |= BSTEP_ENERGY_HR_LOW;
    if (kj < 0.0) {
        kj = 0.0;
        f |= BSTEP_ENERGY_HR_CLAMPED;
    }
    *kcal_per_min = kj / BSTEP_ENERGY_KJ_PER_KCAL;
    if (flags != NULL)
        *flags = f;
    return BSTEP_OK;
}

/* Resolved direction (forward/backward), gait (walk/run) and grade of an activity. */
static int resolve(const bstep_energy_activity *a, bstep_direction *dir, bstep_gait *gait,
                   double *grade_pct, unsigned *flags)
{
    if (a == NULL || !in_range(a->speed_mps, 0.0, SPEED_MAX_MPS))
        return BSTEP_EINVAL;
    if (isnan(a->grade_pct)) {
        *grade_pct = 0.0;
        *flags |= BSTEP_ENERGY_GRADE_ASSUMED;
    } else if (!in_range(a->grade_pct, GRADE_MIN_PCT, GRADE_MAX_PCT)) {
        return BSTEP_EINVAL;
    } else {
        *grade_pct = a->grade_pct;
    }
    if (a->direction == BSTEP_DIRECTION_BACKWARD) {
        *dir = BSTEP_DIRECTION_BACKWARD;
    } else {
        *dir = BSTEP_DIRECTION_FORWARD;
        if (a->direction != BSTEP_DIRECTION_FORWARD)
            *flags |= BSTEP_ENERGY_DIRECTION_ASSUMED;
    }
    if (a->gait == BSTEP_GAIT_WALK || a->gait == BSTEP_GAIT_RUN) {
        *gait = a->gait;
    } else if (a->gait == BSTEP_GAIT_AUTO) {
        double limit = *dir == BSTEP_DIRECTION_BACKWARD ? BSTEP_ENERGY_BW_RUN_THRESHOLD_MPS
                                                        : BSTEP_ENERGY_FW_RUN_THRESHOLD_MPS;
        *gait = a->speed_mps > limit ? BSTEP_GAIT_RUN : BSTEP_GAIT_WALK;
        *flags |= BSTEP_ENERGY_GAIT_ASSUMED;
    } else {
        return BSTEP_EINVAL;
    }
    return BSTEP_OK;
}

int bstep_energy_estimate(const bstep_energy_activity *a, bstep_energy_cost *out)
{
    unsigned f = 0, fm = 0, ff = 0;
    bstep_direction dir;
    bstep_gait gait;
    double grade, vo2, vo2_fw;
    int rc;
    if (out == NULL)
        return BSTEP_EINVAL;
    rc = resolve(a, &dir, &gait, &grade, &f);
    if (rc != BSTEP_OK)
        return rc;
    rc = bstep_energy_acsm_vo2(gait, a->speed_mps, grade, &vo2_fw, &ff);
    if (rc != BSTEP_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    out->direction = dir;
    out->gait = gait;
    out->grade_used_pct = grade < 0.0 ? 0.0 : grade;
    if (dir == BSTEP_DIRECTION_BACKWARD) {
        rc = bstep_energy_backward_vo2(gait, a->speed_mps, grade, &vo2, &fm);
        if (rc != BSTEP_OK)
            return rc;
        out->model =
            gait == BSTEP_GAIT_WALK ? BSTEP_ENERGY_MODEL_BW_WALK : BSTEP_ENERGY_MODEL_BW_RUN;
        out->uncertainty_pct = BSTEP_ENERGY_BW_UNCERTAINTY_PCT;
        out->vo2_low_ml_kg_min = vo2 * (1.0 - BSTEP_ENERGY_BW_UNCERTAINTY_PCT / 100.0);
        out->vo2_high_ml_kg_min = vo2 * (1.0 + BSTEP_ENERGY_BW_UNCERTAINTY_PCT / 100.0);
    } else {
        vo2 = vo2_fw;
        fm = ff;
        out->model =
            gait == BSTEP_GAIT_WALK ? BSTEP_ENERGY_MODEL_ACSM_WALK : BSTEP_ENERGY_MODEL_ACSM_RUN;
        out->uncertainty_pct = DNAN;
        out->vo2_low_ml_kg_min = DNAN;
        out->vo2_high_ml_kg_min = DNAN;
    }
    out->vo2_ml_kg_min = vo2;
    out->vo2_net_ml_kg_min = vo2 - REST_VO2;
    out->met = bstep_energy_met(vo2);
    out->met_older_adult = bstep_energy_met_older_adult(vo2);
    out->forward_vo2_ml_kg_min = vo2_fw;
    out->backward_to_forward_ratio = vo2 / vo2_fw;
    out->flags = f | fm;
    return BSTEP_OK;
}

int bstep_energy_session(const bstep_energy_segment *seg, size_t n, const bstep_energy_walker *w,
                         bstep_energy_session_result *out)
{
    size_t i;
    double met_s = 0.0;
    int hr_ok;
    if (out == NULL || w == NULL || (seg == NULL && n > 0) ||
        !in_range(w->mass_kg, MASS_MIN_KG, MASS_MAX_KG) ||
        (!isnan(w->age_y) && !in_range(w->age_y, AGE_MIN_Y, AGE_MAX_Y)) ||
        (!isnan(w->vo2max_ml_kg_min) && !in_range(w->vo2max_ml_kg_min, VO2MAX_MIN, VO2MAX_MAX)) ||
        (unsigned)w->sex > (unsigned)BSTEP_SEX_MALE)
        return BSTEP_EINVAL;
    memset(out, 0, sizeof(*out));
    out->segments = n;
    hr_ok = !isnan(w->age_y) && w->sex != BSTEP_SEX_UNKNOWN;
    for (i = 0; i < n; i++) {
        const bstep_energy_segment *s = &seg[i];
        bstep_energy_activity a;
        bstep_energy_cost c;
        double minutes;
        if (!in_range(s->duration_s, 0.0, DURATION_MAX_S) ||
            (!isnan(s->hr_bpm) && !in_range(s->hr_bpm, HR_MIN_BPM, HR_MAX_BPM)))
            return BSTEP_EINVAL;
        minutes = s->duration_s / 60.0;
        if (!isnan(s->hr_bpm) && hr_ok) {
            double kpm;
            unsigned hf = 0;
            if (bstep_energy_keytel_kcal_per_min(s->hr_bpm, w->mass_kg, w->age_y, w->sex,
                                                 w->vo2max_ml_kg_min, &kpm, &hf) != BSTEP_OK)
                return BSTEP_EINVAL;
            if (s->direction == BSTEP_DIRECTION_BACKWARD)
                hf |= BSTEP_ENERGY_HR_BACKWARD;
            out->energy_kcal_hr += kpm * minutes;
            out->duration_hr_s += s->duration_s;
            out->flags |= hf;
        }
        if (isnan(s->speed_mps)) {
            out->duration_unknown_s += s->duration_s;
            out->flags |= BSTEP_ENERGY_INCOMPLETE;
            continue;
        }
        a.speed_mps = s->speed_mps;
        a.grade_pct = s->grade_pct;
        a.direction = s->direction;
        a.gait = s->gait;
        if (bstep_energy_estimate(&a, &c) != BSTEP_OK)
            return BSTEP_EINVAL;
        {
            double kpm = bstep_energy_kcal_per_min(c.vo2_ml_kg_min, w->mass_kg);
            double kcal = kpm * minutes;
            double u = isnan(c.uncertainty_pct) ? 0.0 : c.uncertainty_pct / 100.0;
            out->energy_kcal += kcal;
            out->energy_net_kcal +=
                bstep_energy_kcal_per_min(c.vo2_net_ml_kg_min, w->mass_kg) * minutes;
            out->energy_low_kcal += kcal * (1.0 - u);
            out->energy_high_kcal += kcal * (1.0 + u);
        }
        met_s += c.met * s->duration_s;
        out->duration_s += s->duration_s;
        out->flags |= c.flags;
        if (c.flags & BSTEP_ENERGY_EXTRAPOLATED)
            out->segments_extrapolated++;
    }
    out->met_mean = out->duration_s > 0.0 ? met_s / out->duration_s : DNAN;
    if (n > 0 && out->duration_s <= 0.0 && out->duration_unknown_s > 0.0) {
        out->energy_kcal = DNAN;
        out->energy_net_kcal = DNAN;
        out->energy_low_kcal = DNAN;
        out->energy_high_kcal = DNAN;
    }
    if (!hr_ok || out->duration_hr_s <= 0.0) {
        out->energy_kcal_hr = DNAN;
        out->duration_hr_s = 0.0;
    }
    return BSTEP_OK;
}

/* --- Compendium of Physical Activities ----------------------------------------------------- */

#define FW   BSTEP_DIRECTION_FORWARD
#define BW   BSTEP_DIRECTION_BACKWARD
#define MIX  BSTEP_DIRECTION_UNKNOWN
#define WALK BSTEP_GAIT_WALK
#define RUN  BSTEP_GAIT_RUN
#define ANY  DNAN

/* Values from reference/energy.md section 1 (Ainsworth et al. 2011; Herrmann et al. 2024).
 * Speed ranges in mph, inclusive; "< 2.0 mph" is 0 .. 1.95 so that the +-0.05 matching margin
 * stops just below 2.0. Level codes have grade 0 .. 0. */
static const bstep_compendium_entry compendium[] = {
    /* 2011 */
    {"17151", 2011, 2.0, "walking, less than 2.0 mph, level, strolling", FW, WALK, 0.0, 1.95, 0.0,
     0.0, 0},
    {"17152", 2011, 2.8, "walking, 2.0 mph, level, slow", FW, WALK, 2.0, 2.0, 0.0, 0.0, 0},
    {"17170", 2011, 3.0, "walking, 2.5 mph, level", FW, WALK, 2.5, 2.5, 0.0, 0.0, 0},
    {"17190", 2011, 3.5, "walking, 2.8-3.2 mph, level, moderate", FW, WALK, 2.8, 3.2, 0.0, 0.0, 0},
    {"17200", 2011, 4.3, "walking, 3.5 mph, level, brisk", FW, WALK, 3.5, 3.5, 0.0, 0.0, 0},
    {"17210", 2011, 5.3, "walking, 2.9-3.5 mph, uphill, 1-5 % grade", FW, WALK, 2.9, 3.5, 1.0, 5.0,
     0},
    {"17211", 2011, 8.0, "walking, 2.9-3.5 mph, uphill, 6-15 % grade", FW, WALK, 2.9, 3.5, 6.0,
     15.0, 0},
    {"17220", 2011, 5.0, "walking, 4.0 mph, level, very brisk", FW, WALK, 4.0, 4.0, 0.0, 0.0, 0},
    {"17230", 2011, 7.0, "walking, 4.5 mph, level, very very brisk", FW, WALK, 4.5, 4.5, 0.0, 0.0,
     0},
    {"17231", 2011, 8.3, "walking, 5.0 mph, level", FW, WALK, 5.0, 5.0, 0.0, 0.0, 0},
    {"17320", 2011, 6.0, "walking, backward, 3.5 mph, level", BW, WALK, 3.5, 3.5, 0.0, 0.0, 0},
    {"17325", 2011, 8.0, "walking, backward, 3.5 mph, uphill, 5 % grade", BW, WALK, 3.5, 3.5, 5.0,
     5.0, 0},
    {"12029", 2011, 6.0, "running, 4 mph (13 min/mile)", FW, RUN, 4.0, 4.0, 0.0, 0.0, 0},
    {"12030", 2011, 8.3, "running, 5 mph (12 min/mile)", FW, RUN, 5.0, 5.0, 0.0, 0.0, 0},
    {"12050", 2011, 9.8, "running, 6 mph (10 min/mile)", FW, RUN, 6.0, 6.0, 0.0, 0.0, 0},
    /* 2024 */
    {"17151", 2024, 2.3, "walking, less than 2.0 mph, level", FW, WALK, 0.0, 1.95, 0.0, 0.0, 0},
    {"17152", 2024, 2.8, "walking, 2.0-2.4 mph, level", FW, WALK, 2.0, 2.4, 0.0, 0.0, 0},
    {"17170", 2024, 3.0, "walking, 2.5 mph, level", FW, WALK, 2.5, 2.5, 0.0, 0.0, 0},
    {"17190", 2024, 3.8, "walking, 2.8-3.4 mph, level", FW, WALK, 2.8, 3.4, 0.0, 0.0, 0},
    {"17200", 2024, 4.8, "walking, 3.5-3.9 mph, level", FW, WALK, 3.5, 3.9, 0.0, 0.0, 0},
    {"17220", 2024, 5.5, "walking, 4.0-4.4 mph, level", FW, WALK, 4.0, 4.4, 0.0, 0.0, 0},
    {"17230", 2024, 7.0, "walking, 4.5-4.9 mph, level", FW, WALK, 4.5, 4.9, 0.0, 0.0, 0},
    {"17231", 2024, 8.5, "walking, 5.0-5.5 mph, level", FW, WALK, 5.0, 5.5, 0.0, 0.0, 0},
    {"17034", 2024, 5.3, "walking, hills, 1-5 % grade", FW, WALK, ANY, ANY, 1.0, 5.0, 0},
    {"17035", 2024, 7.0, "walking, hills, 6-10 % grade", FW, WALK, ANY, ANY, 6.0, 10.0, 0},
    {"17036", 2024, 8.8, "walking, hills, 11-20 % grade", FW, WALK, ANY, ANY, 11.0, 20.0, 0},
    {"17320", 2024, 6.0, "walking, backward, 3.5 mph, level", BW, WALK, 3.5, 3.5, 0.0, 0.0, 0},
    {"17325", 2024, 7.8, "walking, backward, 3.5 mph, uphill, 5 % grade", BW, WALK, 3.5, 3.5, 5.0,
     5.0, 0},
    {"17475", 2024, 7.8, "walking, treadmill, backward, 2.5 mph, +10 % grade", BW, WALK, 2.5, 2.5,
     10.0, 10.0, 1},
    {"02078", 2024, 11.0, "shuttle running, forward/backward/lateral", MIX, BSTEP_GAIT_AUTO, ANY,
     ANY, ANY, ANY, 0},
    {"17340", 2024, 2.1, "walking, treadmill, less than 1.0 mph, level", FW, WALK, 0.0, 0.95, 0.0,
     0.0, 1},
    {"17343", 2024, 2.3, "walking, treadmill, 1.0 mph, level", FW, WALK, 1.0, 1.0, 0.0, 0.0, 1},
    {"17346", 2024, 2.8, "walking, treadmill, 1.2-1.9 mph, level", FW, WALK, 1.2, 1.9, 0.0, 0.0, 1},
    {"17349", 2024, 3.0, "walking, treadmill, 2.0-2.4 mph, level", FW, WALK, 2.0, 2.4, 0.0, 0.0, 1},
    {"17352", 2024, 3.5, "walking, treadmill, 2.5-2.9 mph, level", FW, WALK, 2.5, 2.9, 0.0, 0.0, 1},
    {"17355", 2024, 3.8, "walking, treadmill, 3.0-3.4 mph, level", FW, WALK, 3.0, 3.4, 0.0, 0.0, 1},
    {"17358", 2024, 4.8, "walking, treadmill, 3.5-3.9 mph, level", FW, WALK, 3.5, 3.9, 0.0, 0.0, 1},
    {"17361", 2024, 5.8, "walking, treadmill, 4.0-4.4 mph, level", FW, WALK, 4.0, 4.4, 0.0, 0.0, 1},
    {"17364", 2024, 6.8, "walking, treadmill, 4.5-4.9 mph, level", FW, WALK, 4.5, 4.9, 0.0, 0.0, 1},
    {"17367", 2024, 8.3, "walking, treadmill, 5.0-5.5 mph, level", FW, WALK, 5.0, 5.5, 0.0, 0.0, 1},
    {"17382", 2024, 3.3, "walking, treadmill, downhill -3 to -12 %, 2.8-3.1 mph", FW, WALK, 2.8,
     3.1, -12.0, -3.0, 1},
    {"12028", 2024, 6.5, "running, 4.0-4.2 mph", FW, RUN, 4.0, 4.2, 0.0, 0.0, 0},
    {"12030", 2024, 8.5, "running, 5.0-5.2 mph", FW, RUN, 5.0, 5.2, 0.0, 0.0, 0},
    {"12050", 2024, 9.3, "running, 6.0-6.3 mph", FW, RUN, 6.0, 6.3, 0.0, 0.0, 0},
    {"12255", 2024, 10.3, "running, 4.5 mph, uphill, 5 % grade", FW, RUN, 4.5, 4.5, 5.0, 5.0, 0},
    {"12260", 2024, 13.3, "running, 6.0 mph, uphill, 5 % grade", FW, RUN, 6.0, 6.0, 5.0, 5.0, 0},
    {"12265", 2024, 15.5, "running, 7.0 mph, uphill, 5 % grade", FW, RUN, 7.0, 7.0, 5.0, 5.0, 0},
};

#undef FW
#undef BW
#undef MIX
#undef WALK
#undef RUN
#undef ANY

const char *bstep_compendium_citation(int edition_year)
{
    if (edition_year == 2011)
        return "Ainsworth BE et al. 2011 Compendium of Physical Activities. Med Sci Sports Exerc "
               "2011;43(8):1575-81";
    if (edition_year == 2024)
        return "Herrmann SD et al. 2024 Adult Compendium of Physical Activities. J Sport Health "
               "Sci 2024;13(1):6-12";
    return NULL;
}

size_t bstep_compendium_count(void)
{
    return sizeof(compendium) / sizeof(compendium[0]);
}

const bstep_compendium_entry *bstep_compendium_entry_at(size_t i)
{
    return i < bstep_compendium_count() ? &compendium[i] : NULL;
}

int bstep_compendium_lookup(const char *code, int edition_year, const bstep_compendium_entry **out)
{
    size_t i;
    if (code == NULL || out == NULL || bstep_compendium_citation(edition_year) == NULL)
        return BSTEP_EINVAL;
    for (i = 0; i < bstep_compendium_count(); i++) {
        if (compendium[i].edition_year == edition_year && strcmp(compendium[i].code, code) == 0) {
            *out = &compendium[i];
            return BSTEP_OK;
        }
    }
    return BSTEP_ENOTFOUND;
}

static int entry_matches(const bstep_compendium_entry *e, bstep_direction dir, bstep_gait gait,
                         double mph, double grade_pct)
{
    if (e->direction != dir || e->gait != gait)
        return 0;
    if (!isnan(e->speed_min_mph) &&
        (mph < e->speed_min_mph - 0.05 || mph >= e->speed_max_mph + 0.05))
        return 0;
    if (!isnan(e->grade_min_pct) &&
        (grade_pct < e->grade_min_pct - 0.5 || grade_pct > e->grade_max_pct + 0.5))
        return 0;
    return 1;
}

int bstep_compendium_match(const bstep_energy_activity *a, int edition_year,
                           const bstep_compendium_entry **out)
{
    size_t i;
    int pass;
    unsigned f = 0;
    bstep_direction dir;
    bstep_gait gait;
    double grade, mph;
    if (out == NULL || bstep_compendium_citation(edition_year) == NULL)
        return BSTEP_EINVAL;
    if (resolve(a, &dir, &gait, &grade, &f) != BSTEP_OK)
        return BSTEP_EINVAL;
    mph = a->speed_mps / MPS_PER_MPH;
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < bstep_compendium_count(); i++) {
            const bstep_compendium_entry *e = &compendium[i];
            if (e->edition_year != edition_year || e->treadmill != pass)
                continue;
            if (entry_matches(e, dir, gait, mph, grade)) {
                *out = e;
                return BSTEP_OK;
            }
        }
    }
    return BSTEP_ENOTFOUND;
}
