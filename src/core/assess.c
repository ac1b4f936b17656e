/*
 * Session assessment (include/backstep/assess.h): bands of the technique scores and the ranked
 * things to work on. Thresholds and reasons: docs/coach.md section 2. Pure, no state.
 */
#include <math.h>
#include <string.h>

#include "backstep/assess.h"
#include "backstep/status.h"

#define DNAN ((double)NAN)

const bstep_assess_settings bstep_assess_default_settings = {
    0.9,  /* toe_first_good */
    0.8,  /* toe_first_fair */
    3.0,  /* rhythm_good_pct */
    5.0,  /* rhythm_fair_pct */
    6.0,  /* evenness_good_pct */
    10.0, /* evenness_fair_pct */
    5.0,  /* symmetry_good_pct */
    10.0, /* symmetry_fair_pct */
    10.0, /* posture_good_deg */
    20.0, /* posture_fair_deg */
    1.0,  /* look_backs_good_per_min */
    2.0,  /* look_backs_fair_per_min */
    10u,  /* min_strikes */
    10u,  /* min_strides */
    60.0, /* min_backward_s */
    1.1,  /* speed_margin */
    0.8,  /* dose_fraction */
};

static int ordered(double good, double fair, int higher_better)
{
    if (!isfinite(good) || !isfinite(fair))
        return 0;
    return higher_better ? good >= fair : good <= fair;
}

static int settings_valid(const bstep_assess_settings *c)
{
    return ordered(c->toe_first_good, c->toe_first_fair, 1) && c->toe_first_fair >= 0.0 &&
           c->toe_first_good <= 1.0 && ordered(c->rhythm_good_pct, c->rhythm_fair_pct, 0) &&
           ordered(c->evenness_good_pct, c->evenness_fair_pct, 0) &&
           ordered(c->symmetry_good_pct, c->symmetry_fair_pct, 0) &&
           ordered(c->posture_good_deg, c->posture_fair_deg, 0) &&
           ordered(c->look_backs_good_per_min, c->look_backs_fair_per_min, 0) &&
           c->rhythm_good_pct >= 0.0 && isfinite(c->min_backward_s) && c->min_backward_s > 0.0 &&
           isfinite(c->speed_margin) && c->speed_margin >= 1.0 && isfinite(c->dose_fraction) &&
           c->dose_fraction > 0.0 && c->dose_fraction <= 1.0;
}

static bstep_band band_low_good(double v, double good, double fair)
{
    if (!isfinite(v))
        return BSTEP_BAND_UNKNOWN;
    return v <= good ? BSTEP_BAND_GOOD : v <= fair ? BSTEP_BAND_FAIR : BSTEP_BAND_WORK_ON;
}

bstep_band bstep_assess_band(bstep_score_id id, double v, const bstep_assess_settings *cfg)
{
    const bstep_assess_settings *c = cfg ? cfg : &bstep_assess_default_settings;
    switch (id) {
    case BSTEP_SCORE_TOE_FIRST:
        if (!isfinite(v))
            return BSTEP_BAND_UNKNOWN;
        return v >= c->toe_first_good   ? BSTEP_BAND_GOOD
               : v >= c->toe_first_fair ? BSTEP_BAND_FAIR
                                        : BSTEP_BAND_WORK_ON;
    case BSTEP_SCORE_RHYTHM:
        return band_low_good(v, c->rhythm_good_pct, c->rhythm_fair_pct);
    case BSTEP_SCORE_EVENNESS:
        return band_low_good(v, c->evenness_good_pct, c->evenness_fair_pct);
    case BSTEP_SCORE_SYMMETRY:
        return band_low_good(v, c->symmetry_good_pct, c->symmetry_fair_pct);
    case BSTEP_SCORE_POSTURE:
        return band_low_good(v, c->posture_good_deg, c->posture_fair_deg);
    case BSTEP_SCORE_LOOK_BACKS:
        return band_low_good(v, c->look_backs_good_per_min, c->look_backs_fair_per_min);
    default:
        return BSTEP_BAND_UNKNOWN;
    }
}

/* The score values of a session; NAN when not measured or too little data. */
static void scores(const bstep_summary_values *s, const bstep_assess_settings *c, double v[])
{
    const int dir = (s->measured & BSTEP_MEASURE_DIRECTION) != 0;
    v[BSTEP_SCORE_TOE_FIRST] =
        s->backward_strikes_known >= c->min_strikes ? s->toe_first_ratio : DNAN;
    if (dir)
        v[BSTEP_SCORE_RHYTHM] =
            s->backward_strides >= c->min_strides ? s->backward_stride_time_cv_pct : DNAN;
    else /* direction unknown: the rhythm of all walking (bstep_summary needs > 2 strides) */
        v[BSTEP_SCORE_RHYTHM] = s->contacts >= c->min_strides ? s->stride_time_cv_pct : DNAN;
    v[BSTEP_SCORE_EVENNESS] =
        s->backward_strides >= c->min_strides ? s->backward_stride_length_cv_pct : DNAN;
    v[BSTEP_SCORE_SYMMETRY] = s->step_time_asymmetry_pct;
    v[BSTEP_SCORE_POSTURE] = (s->measured & BSTEP_MEASURE_POSTURE) ? s->trunk_lean_deg : DNAN;
    {
        const double t = dir ? s->time_backward_s : s->walking_time_s;
        v[BSTEP_SCORE_LOOK_BACKS] =
            (s->measured & BSTEP_MEASURE_LOOK_BACKS) && t >= c->min_backward_s
                ? (double)s->look_backs / (t / 60.0)
                : DNAN;
    }
}

static void push(bstep_advice *list, size_t *n, bstep_advice_id id, bstep_band band, double m,
                 double target)
{
    if (*n >= BSTEP_ADVICE_COUNT)
        return;
    list[*n].id = id;
    list[*n].band = band;
    list[*n].measured = m;
    list[*n].target = target;
    (*n)++;
}

/* Rule for a score: fires when its band is FAIR or WORK_ON. */
static void score_rule(bstep_advice *list, size_t *n, const bstep_score *sc, bstep_advice_id id,
                       double target)
{
    if (sc->band == BSTEP_BAND_FAIR || sc->band == BSTEP_BAND_WORK_ON)
        push(list, n, id, sc->band, sc->value, target);
}

int bstep_assess_session(const bstep_summary_values *s, const bstep_assess_context *ctx,
                         const bstep_assess_settings *cfg, bstep_assessment *out)
{
    const bstep_assess_settings *c = cfg ? cfg : &bstep_assess_default_settings;
    const unsigned all = BSTEP_MEASURE_DIRECTION | BSTEP_MEASURE_STRIKE |
                         BSTEP_MEASURE_STRIDE_LENGTH | BSTEP_MEASURE_STUMBLES |
                         BSTEP_MEASURE_FALLS | BSTEP_MEASURE_LOOK_BACKS | BSTEP_MEASURE_POSTURE;
    double v[BSTEP_SCORE_COUNT];
    bstep_advice all_rules[BSTEP_ADVICE_COUNT];
    size_t n = 0, i, j;
    int k;
    if (s == NULL || out == NULL || !settings_valid(c))
        return BSTEP_EINVAL;
    memset(out, 0, sizeof(*out));
    scores(s, c, v);
    for (k = 0; k < BSTEP_SCORE_COUNT; k++) {
        out->score[k].id = (bstep_score_id)k;
        out->score[k].value = v[k];
        out->score[k].band = bstep_assess_band((bstep_score_id)k, v[k], c);
    }
    out->not_measured = all & ~s->measured;

    /* Rules in priority order (bstep_advice_id order). */
    if ((s->measured & BSTEP_MEASURE_FALLS) && s->falls > 0)
        push(all_rules, &n, BSTEP_ADVICE_FALL, BSTEP_BAND_WORK_ON, (double)s->falls, DNAN);
    if ((s->measured & BSTEP_MEASURE_STUMBLES) && s->stumbles > 0)
        push(all_rules, &n, BSTEP_ADVICE_STUMBLE, BSTEP_BAND_WORK_ON, (double)s->stumbles, DNAN);
    if (ctx != NULL && isfinite(ctx->speed_max_mps) && isfinite(s->speed_backward_mps) &&
        s->speed_backward_mps > ctx->speed_max_mps * c->speed_margin)
        push(all_rules, &n, BSTEP_ADVICE_SLOW_DOWN, BSTEP_BAND_WORK_ON, s->speed_backward_mps,
             ctx->speed_max_mps);
    score_rule(all_rules, &n, &out->score[BSTEP_SCORE_TOE_FIRST], BSTEP_ADVICE_TOES_FIRST,
               c->toe_first_good);
    score_rule(all_rules, &n, &out->score[BSTEP_SCORE_POSTURE], BSTEP_ADVICE_STAND_TALL,
               c->posture_good_deg);
    score_rule(all_rules, &n, &out->score[BSTEP_SCORE_RHYTHM], BSTEP_ADVICE_STEADY_RHYTHM,
               c->rhythm_good_pct);
    score_rule(all_rules, &n, &out->score[BSTEP_SCORE_LOOK_BACKS], BSTEP_ADVICE_LOOK_BACKS,
               c->look_backs_good_per_min);
    score_rule(all_rules, &n, &out->score[BSTEP_SCORE_EVENNESS], BSTEP_ADVICE_EVEN_STRIDES,
               c->evenness_good_pct);
    score_rule(all_rules, &n, &out->score[BSTEP_SCORE_SYMMETRY], BSTEP_ADVICE_SYMMETRY,
               c->symmetry_good_pct);
    if (ctx != NULL && isfinite(ctx->planned_backward_s) && ctx->planned_backward_s > 0.0) {
        const double t =
            (s->measured & BSTEP_MEASURE_DIRECTION) ? s->time_backward_s : s->walking_time_s;
        if (t < ctx->planned_backward_s * c->dose_fraction)
            push(all_rules, &n, BSTEP_ADVICE_WALK_LONGER, BSTEP_BAND_WORK_ON, t,
                 ctx->planned_backward_s);
    }
    out->n_faults = n;
    /* Keep three: WORK_ON before FAIR, each group in priority order (stable). */
    for (j = 0; j < 2 && out->n_advice < BSTEP_ASSESS_MAX_ADVICE; j++) {
        const bstep_band want = j == 0 ? BSTEP_BAND_WORK_ON : BSTEP_BAND_FAIR;
        for (i = 0; i < n && out->n_advice < BSTEP_ASSESS_MAX_ADVICE; i++)
            if (all_rules[i].band == want)
                out->advice[out->n_advice++] = all_rules[i];
    }
    return BSTEP_OK;
}

/* ---- names and words ------------------------------------------------------------------- */

typedef struct {
    const char *name, *unit, *definition;
} score_info;

static const score_info score_table[BSTEP_SCORE_COUNT] = {
    {"toe_first", "ratio",
     "share of backward steps that land toes first, then lower the heel (0 to 1; aim 0.9 or "
     "more)"},
    {"rhythm", "%",
     "how much the time of one backward stride varies from stride to stride (coefficient of "
     "variation, %; lower is steadier)"},
    {"evenness", "%",
     "how much the length of one backward stride varies from stride to stride (coefficient of "
     "variation, %; lower is more even)"},
    {"symmetry", "%",
     "difference between left and right step times (% of the mean step time; lower is more "
     "balanced)"},
    {"posture", "deg",
     "mean forward lean of the trunk while walking, from your upright stance (degrees; lower is "
     "more upright)"},
    {"look_backs", "per min",
     "times per minute of backward walking that the trunk twisted round to look behind"},
};

const char *bstep_score_name(bstep_score_id id)
{
    return (unsigned)id < BSTEP_SCORE_COUNT ? score_table[id].name : "unknown";
}

const char *bstep_score_unit(bstep_score_id id)
{
    return (unsigned)id < BSTEP_SCORE_COUNT ? score_table[id].unit : "";
}

const char *bstep_score_definition(bstep_score_id id)
{
    return (unsigned)id < BSTEP_SCORE_COUNT ? score_table[id].definition : "";
}

const char *bstep_band_name(bstep_band b)
{
    switch (b) {
    case BSTEP_BAND_GOOD:
        return "good";
    case BSTEP_BAND_FAIR:
        return "fair";
    case BSTEP_BAND_WORK_ON:
        return "work on";
    default:
        return "not measured";
    }
}

typedef struct {
    const char *name, *text, *reason, *unit;
} advice_info;

static const advice_info advice_table[BSTEP_ADVICE_COUNT] = {
    {"none", "", "", ""},
    {"fall",
     "A fall was detected. Do not walk backward again until you have talked to a health "
     "professional; when you restart, begin at level 1 on a treadmill holding the rails.",
     "Falls are the main risk of backward walking; the plan pauses after a fall.", "count"},
    {"stumble",
     "Slow down and hold the rails; take short, careful steps until you can walk a whole "
     "session without stumbling.",
     "A stumble is a near-fall: backward walking is safe only when steps are under control.",
     "count"},
    {"slow_down",
     "Walk more slowly: stay within the speed range of your level until it feels easy.",
     "Faster backward walking leaves less time to place each step; the level sets a safe "
     "range.",
     "m/s"},
    {"toes_first",
     "Land on your toes first, then lower the heel: reach back with the toes on every step.",
     "Toes before heel is the basic technique of backward walking (the reverse of forward "
     "walking).",
     "ratio"},
    {"stand_tall",
     "Stand tall: keep your chest up and look ahead, glancing over your shoulder only when you "
     "need to.",
     "Bending forward moves your weight off balance and is the posture fault to avoid.", "deg"},
    {"steady_rhythm",
     "Keep a steady beat: make every step take the same time; counting steps quietly can help.",
     "Stride-to-stride timing is a measure of a controlled, balanced gait.", "%"},
    {"look_backs", "Glance over your shoulder instead of turning your whole body to look behind.",
     "Twisting round breaks the rhythm and the balance; a glance is enough.", "per min"},
    {"even_strides", "Make your steps the same length: short, equal steps are safest.",
     "Equal strides are part of a balanced gait.", "%"},
    {"symmetry", "Give both legs the same time: even out your left and right steps.",
     "Left and right steps of a balanced gait take the same time.", "%"},
    {"walk_longer", "Walk backward for the planned time (rest when you need to, then continue).",
     "The plan's dose comes from the studies it follows; shorter sessions do not count toward "
     "moving up.",
     "s"},
};

const char *bstep_advice_name(bstep_advice_id id)
{
    return (unsigned)id < BSTEP_ADVICE_COUNT ? advice_table[id].name : "unknown";
}

const char *bstep_advice_text(bstep_advice_id id)
{
    return (unsigned)id < BSTEP_ADVICE_COUNT ? advice_table[id].text : "";
}

const char *bstep_advice_reason(bstep_advice_id id)
{
    return (unsigned)id < BSTEP_ADVICE_COUNT ? advice_table[id].reason : "";
}

const char *bstep_advice_unit(bstep_advice_id id)
{
    return (unsigned)id < BSTEP_ADVICE_COUNT ? advice_table[id].unit : "";
}
