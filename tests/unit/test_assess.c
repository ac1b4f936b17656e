/*
 * Session assessment: score bands at their edges, the advice rules (each fires on its measured
 * fault and never on an unknown value), the ranking (safety first, faults before "could be
 * better", at most three) and the settings checks.
 */
#include "backstep/assess.h"
#include "backstep/status.h"
#include "harness.h"

/* A foot-sensor session with good technique: 300 backward strides, all toes first, steady. */
static bstep_summary_values clean(void)
{
    bstep_summary_values v;
    memset(&v, 0, sizeof(v));
    v.measured = BSTEP_MEASURE_DIRECTION | BSTEP_MEASURE_STRIKE | BSTEP_MEASURE_STRIDE_LENGTH;
    v.contacts = 320;
    v.walking_time_s = 660.0;
    v.time_backward_s = 600.0;
    v.backward_strikes_known = 300;
    v.backward_toe_first = 291;
    v.toe_first_ratio = 0.97;
    v.backward_strides = 290;
    v.backward_stride_time_cv_pct = 2.0;
    v.stride_time_cv_pct = 6.0;
    v.backward_stride_length_cv_pct = 4.0;
    v.step_time_asymmetry_pct = (double)NAN;
    v.speed_backward_mps = 0.55;
    v.trunk_lean_deg = (double)NAN;
    return v;
}

static int has_advice(const bstep_assessment *a, bstep_advice_id id)
{
    size_t i;
    for (i = 0; i < a->n_advice; i++)
        if (a->advice[i].id == id)
            return 1;
    return 0;
}

BSTEP_TEST(bands_at_their_edges)
{
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_TOE_FIRST, 0.9, NULL), BSTEP_BAND_GOOD);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_TOE_FIRST, 0.899, NULL), BSTEP_BAND_FAIR);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_TOE_FIRST, 0.8, NULL), BSTEP_BAND_FAIR);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_TOE_FIRST, 0.79, NULL), BSTEP_BAND_WORK_ON);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_RHYTHM, 3.0, NULL), BSTEP_BAND_GOOD);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_RHYTHM, 5.0, NULL), BSTEP_BAND_FAIR);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_RHYTHM, 5.01, NULL), BSTEP_BAND_WORK_ON);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_EVENNESS, 6.0, NULL), BSTEP_BAND_GOOD);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_EVENNESS, 10.5, NULL), BSTEP_BAND_WORK_ON);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_SYMMETRY, 7.0, NULL), BSTEP_BAND_FAIR);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_POSTURE, 10.0, NULL), BSTEP_BAND_GOOD);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_POSTURE, 20.5, NULL), BSTEP_BAND_WORK_ON);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_LOOK_BACKS, 1.5, NULL), BSTEP_BAND_FAIR);
    BSTEP_ASSERT_EQ(bstep_assess_band(BSTEP_SCORE_RHYTHM, (double)NAN, NULL), BSTEP_BAND_UNKNOWN);
}

BSTEP_TEST(clean_session_has_nothing_to_work_on)
{
    bstep_summary_values v = clean();
    bstep_assessment a;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.n_advice, 0);
    BSTEP_ASSERT_EQ(a.n_faults, 0);
    BSTEP_ASSERT_EQ(a.score[BSTEP_SCORE_TOE_FIRST].band, BSTEP_BAND_GOOD);
    BSTEP_ASSERT_NEAR(a.score[BSTEP_SCORE_RHYTHM].value, 2.0, 0); /* backward strides, not all */
    BSTEP_ASSERT_EQ(a.score[BSTEP_SCORE_POSTURE].band, BSTEP_BAND_UNKNOWN);
    BSTEP_ASSERT_EQ(a.score[BSTEP_SCORE_LOOK_BACKS].band, BSTEP_BAND_UNKNOWN);
    BSTEP_ASSERT(a.not_measured & BSTEP_MEASURE_STUMBLES);
    BSTEP_ASSERT(a.not_measured & BSTEP_MEASURE_POSTURE);
    BSTEP_ASSERT(!(a.not_measured & BSTEP_MEASURE_STRIKE));
}

BSTEP_TEST(each_rule_fires_on_its_fault)
{
    bstep_summary_values v;
    bstep_assessment a;
    bstep_assess_context ctx = {0.6, 600.0};

    v = clean();
    v.toe_first_ratio = 0.6;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_TOES_FIRST);
    BSTEP_ASSERT_EQ(a.advice[0].band, BSTEP_BAND_WORK_ON);
    BSTEP_ASSERT_NEAR(a.advice[0].measured, 0.6, 0);
    BSTEP_ASSERT_NEAR(a.advice[0].target, 0.9, 0);

    v = clean();
    v.backward_stride_time_cv_pct = 7.0;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_STEADY_RHYTHM);

    v = clean();
    v.backward_stride_length_cv_pct = 12.0;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_EVEN_STRIDES);

    v = clean(); /* a trunk sensor: posture, look-backs, symmetry, stumbles */
    v.measured = BSTEP_MEASURE_POSTURE | BSTEP_MEASURE_LOOK_BACKS | BSTEP_MEASURE_STUMBLES |
                 BSTEP_MEASURE_FALLS;
    v.backward_strikes_known = 0;
    v.toe_first_ratio = (double)NAN;
    v.trunk_lean_deg = 24.0;
    v.look_backs = 30; /* in 660 s: 2.7 a minute */
    v.step_time_asymmetry_pct = 12.0;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.n_advice, 3);
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_STAND_TALL);
    BSTEP_ASSERT_EQ(a.advice[1].id, BSTEP_ADVICE_STEADY_RHYTHM); /* all strides: 6 % */
    BSTEP_ASSERT_EQ(a.advice[2].id, BSTEP_ADVICE_LOOK_BACKS);
    BSTEP_ASSERT_NEAR(a.score[BSTEP_SCORE_LOOK_BACKS].value, 30.0 / 11.0, 1e-9);
    BSTEP_ASSERT_EQ(a.n_faults, 4); /* symmetry too, ranked fourth */

    v = clean(); /* faster than the level's 0.6 m/s by more than 10 % */
    v.speed_backward_mps = 0.7;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, &ctx, NULL, &a));
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_SLOW_DOWN);
    v.speed_backward_mps = 0.65; /* within the margin */
    BSTEP_ASSERT_OK(bstep_assess_session(&v, &ctx, NULL, &a));
    BSTEP_ASSERT(!has_advice(&a, BSTEP_ADVICE_SLOW_DOWN));
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a)); /* no plan, no limit */
    BSTEP_ASSERT(!has_advice(&a, BSTEP_ADVICE_SLOW_DOWN));

    v = clean(); /* 4 of 10 planned minutes */
    v.time_backward_s = 240.0;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, &ctx, NULL, &a));
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_WALK_LONGER);
    BSTEP_ASSERT_NEAR(a.advice[0].measured, 240.0, 0);
}

BSTEP_TEST(safety_first_then_faults_then_could_be_better)
{
    bstep_summary_values v = clean();
    bstep_assessment a;
    v.measured |= BSTEP_MEASURE_STUMBLES | BSTEP_MEASURE_FALLS;
    v.stumbles = 2;
    v.falls = 1;
    v.toe_first_ratio = 0.85;               /* fair */
    v.backward_stride_time_cv_pct = 8.0;    /* work on */
    v.backward_stride_length_cv_pct = 11.0; /* work on */
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.n_advice, 3);
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_FALL);
    BSTEP_ASSERT_EQ(a.advice[1].id, BSTEP_ADVICE_STUMBLE);
    BSTEP_ASSERT_EQ(a.advice[2].id, BSTEP_ADVICE_STEADY_RHYTHM);
    BSTEP_ASSERT_EQ(a.n_faults, 5);
    /* Without the safety events: the faults, then the fair toe-first. */
    v.stumbles = v.falls = 0;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.advice[0].id, BSTEP_ADVICE_STEADY_RHYTHM);
    BSTEP_ASSERT_EQ(a.advice[1].id, BSTEP_ADVICE_EVEN_STRIDES);
    BSTEP_ASSERT_EQ(a.advice[2].id, BSTEP_ADVICE_TOES_FIRST);
    BSTEP_ASSERT_EQ(a.advice[2].band, BSTEP_BAND_FAIR);
}

BSTEP_TEST(unknown_values_never_fire)
{
    bstep_summary_values v = clean();
    bstep_assessment a;
    v.stumbles = 3; /* counted, but the sensor does not measure stumbles: not a finding */
    v.toe_first_ratio = 0.1;
    v.backward_strikes_known = 5; /* too few strikes to score */
    v.backward_strides = 4;
    v.backward_stride_time_cv_pct = 20.0;
    v.backward_stride_length_cv_pct = 30.0;
    BSTEP_ASSERT_OK(bstep_assess_session(&v, NULL, NULL, &a));
    BSTEP_ASSERT_EQ(a.n_advice, 0);
    BSTEP_ASSERT_EQ(a.score[BSTEP_SCORE_TOE_FIRST].band, BSTEP_BAND_UNKNOWN);
    BSTEP_ASSERT_EQ(a.score[BSTEP_SCORE_RHYTHM].band, BSTEP_BAND_UNKNOWN);
}

BSTEP_TEST(settings_and_names)
{
    bstep_summary_values v = clean();
    bstep_assessment a;
    bstep_assess_settings cfg = bstep_assess_default_settings;
    int i;
    cfg.rhythm_good_pct = 6.0; /* above fair: out of order */
    BSTEP_ASSERT_EQ(bstep_assess_session(&v, NULL, &cfg, &a), BSTEP_EINVAL);
    cfg = bstep_assess_default_settings;
    cfg.toe_first_good = 1.2;
    BSTEP_ASSERT_EQ(bstep_assess_session(&v, NULL, &cfg, &a), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_assess_session(NULL, NULL, NULL, &a), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_assess_session(&v, NULL, NULL, NULL), BSTEP_EINVAL);
    for (i = 0; i < BSTEP_SCORE_COUNT; i++) {
        BSTEP_ASSERT(strlen(bstep_score_definition((bstep_score_id)i)) > 20);
        BSTEP_ASSERT(strlen(bstep_score_unit((bstep_score_id)i)) > 0);
    }
    for (i = 1; i < BSTEP_ADVICE_COUNT; i++) {
        const char *t = bstep_advice_text((bstep_advice_id)i);
        BSTEP_ASSERT(strlen(t) > 20);
        BSTEP_ASSERT(strlen(bstep_advice_reason((bstep_advice_id)i)) > 20);
        /* plain words, no medical claims */
        BSTEP_ASSERT(strstr(t, "cure") == NULL && strstr(t, "treat") == NULL &&
                     strstr(t, "heals") == NULL && strstr(t, "improves your") == NULL);
    }
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(bands_at_their_edges),
                BSTEP_TEST_ENTRY(clean_session_has_nothing_to_work_on),
                BSTEP_TEST_ENTRY(each_rule_fires_on_its_fault),
                BSTEP_TEST_ENTRY(safety_first_then_faults_then_could_be_better),
                BSTEP_TEST_ENTRY(unknown_values_never_fire), BSTEP_TEST_ENTRY(settings_and_names))
