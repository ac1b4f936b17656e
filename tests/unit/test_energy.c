/*
 * Energy model: every oracle of reference/energy.md (sections 0, 1, 2, 4 and 5) plus input
 * validation, flags, monotonicity and the session totals that `analyze` will use.
 *
 * Tolerances: tables printed to two decimals are checked to 0.006 (half a unit in the last place
 * plus rounding of the inputs); the 220.5 kcal pin and the Keytel cases to 0.01; comparisons with
 * measured physiology (Compendium values the model was not fitted to) to +-15 % (section 5).
 */
#include "backstep/energy.h"
#include "backstep/status.h"
#include "harness.h"

#define MPH_M_MIN 26.8 /* ACSM: 1 mph = 26.8 m/min */
#define DNAN      ((double)NAN)

static double mph_to_mps(double mph)
{
    return mph * MPH_M_MIN / 60.0;
}

static double acsm(bstep_gait g, double speed_mps, double grade_pct, unsigned *flags)
{
    double vo2 = -1.0;
    unsigned f = 0;
    int rc = bstep_energy_acsm_vo2(g, speed_mps, grade_pct, &vo2, &f);
    if (rc != BSTEP_OK)
        return DNAN;
    if (flags != NULL)
        *flags = f;
    return vo2;
}

static bstep_energy_cost estimate(double speed_mps, double grade_pct, bstep_direction d,
                                  bstep_gait g)
{
    bstep_energy_activity a;
    bstep_energy_cost c;
    a.speed_mps = speed_mps;
    a.grade_pct = grade_pct;
    a.direction = d;
    a.gait = g;
    memset(&c, 0, sizeof(c));
    c.vo2_ml_kg_min = DNAN;
    if (bstep_energy_estimate(&a, &c) != BSTEP_OK)
        c.vo2_ml_kg_min = DNAN;
    return c;
}

/* Section 0: 6.0 MET, 70 kg, 30 min -> 220.5 kcal (not the 210.0 of the 1 kcal/kg/h shortcut). */
BSTEP_TEST(kcal_pin_220_5)
{
    double kpm = bstep_energy_kcal_per_min_from_met(6.0, 70.0);
    BSTEP_ASSERT_NEAR(kpm * 30.0, 220.5, 0.01);
    BSTEP_ASSERT_NEAR(bstep_energy_kcal(6.0 * 3.5, 70.0, 30.0 * 60.0), 220.5, 0.01);
    BSTEP_ASSERT_NEAR(bstep_energy_kcal_per_min(21.0, 70.0), kpm, 1e-12);
    BSTEP_ASSERT(fabs(kpm * 30.0 - 210.0) > 10.0);
    BSTEP_ASSERT_NEAR(bstep_energy_met(21.0), 6.0, 1e-12);
    /* Older Adult Compendium: 2.7 mL/kg/min per MET changes the displayed METs only. */
    BSTEP_ASSERT_NEAR(bstep_energy_met_older_adult(21.0), 21.0 / 2.7, 1e-12);
}

/* Section 2: the ACSM walking grid, VO2 / MET, rows 1.0 and 1.5 mph (and 4.0, above 100 m/min)
 * flagged as extrapolated. */
BSTEP_TEST(acsm_walking_grid)
{
    static const double mph[7] = {1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0};
    static const double grade[4] = {0.0, 5.0, 10.0, 15.0};
    static const double vo2[7][4] = {{6.18, 8.59, 11.00, 13.42},   {7.52, 11.14, 14.76, 18.37},
                                     {8.86, 13.68, 18.51, 23.33},  {10.20, 16.23, 22.26, 28.29},
                                     {11.54, 18.78, 26.01, 33.25}, {12.88, 21.32, 29.76, 38.21},
                                     {14.22, 23.87, 33.52, 43.16}};
    static const double met[7][4] = {{1.77, 2.45, 3.14, 3.83}, {2.15, 3.18, 4.22, 5.25},
                                     {2.53, 3.91, 5.29, 6.67}, {2.91, 4.64, 6.36, 8.08},
                                     {3.30, 5.36, 7.43, 9.50}, {3.68, 6.09, 8.50, 10.92},
                                     {4.06, 6.82, 9.58, 12.33}};
    int i, j;
    for (i = 0; i < 7; i++) {
        for (j = 0; j < 4; j++) {
            unsigned f = 0;
            double v = acsm(BSTEP_GAIT_WALK, mph_to_mps(mph[i]), grade[j], &f);
            int extrapolated = mph[i] < 1.9 || mph[i] > 3.8;
            BSTEP_ASSERT_NEAR(v, vo2[i][j], 0.006);
            BSTEP_ASSERT_NEAR(bstep_energy_met(v), met[i][j], 0.006);
            BSTEP_ASSERT_EQ((f & BSTEP_ENERGY_EXTRAPOLATED) != 0, extrapolated);
        }
    }
}

/* Section 2: the ACSM running grid (all at >= 80 m/min, so none is flagged). */
BSTEP_TEST(acsm_running_grid)
{
    static const double mph[5] = {4.0, 5.0, 6.0, 7.0, 8.0};
    static const double grade[3] = {0.0, 5.0, 10.0};
    static const double vo2[5][3] = {{24.94, 29.76, 34.59},
                                     {30.30, 36.33, 42.36},
                                     {35.66, 42.90, 50.13},
                                     {41.02, 49.46, 57.90},
                                     {46.38, 56.03, 65.68}};
    static const double met[5][3] = {{7.13, 8.50, 9.88},
                                     {8.66, 10.38, 12.10},
                                     {10.19, 12.26, 14.32},
                                     {11.72, 14.13, 16.54},
                                     {13.25, 16.01, 18.76}};
    int i, j;
    for (i = 0; i < 5; i++) {
        for (j = 0; j < 3; j++) {
            unsigned f = 0xffu;
            double v = acsm(BSTEP_GAIT_RUN, mph_to_mps(mph[i]), grade[j], &f);
            BSTEP_ASSERT_NEAR(v, vo2[i][j], 0.006);
            BSTEP_ASSERT_NEAR(bstep_energy_met(v), met[i][j], 0.006);
            BSTEP_ASSERT_EQ(f, 0);
        }
    }
    /* Below 80 m/min running is extrapolated. */
    {
        unsigned f = 0;
        acsm(BSTEP_GAIT_RUN, 1.2, 0.0, &f);
        BSTEP_ASSERT(f & BSTEP_ENERGY_EXTRAPOLATED);
    }
}

/* Section 2 worked examples. */
BSTEP_TEST(acsm_worked_examples)
{
    /* 70 kg, 3.5 mph (93.8 m/min), 10 % -> 29.76 mL/kg/min, 8.50 MET, 10.42 kcal/min. */
    double v = acsm(BSTEP_GAIT_WALK, 93.8 / 60.0, 10.0, NULL);
    BSTEP_ASSERT_NEAR(v, 29.76, 0.006);
    BSTEP_ASSERT_NEAR(bstep_energy_met(v), 8.50, 0.006);
    BSTEP_ASSERT_NEAR(bstep_energy_kcal_per_min(v, 70.0), 10.42, 0.006);
    /* 68.18 kg, 3.0 mph flat, 20 min -> 78.68 kcal. */
    v = acsm(BSTEP_GAIT_WALK, mph_to_mps(3.0), 0.0, NULL);
    BSTEP_ASSERT_NEAR(bstep_energy_kcal(v, 68.18, 20.0 * 60.0), 78.68, 0.01);
}

/* Section 1.1 and 1.2: the Compendium values, per edition. */
BSTEP_TEST(compendium_values)
{
    const bstep_compendium_entry *e = NULL;
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17320", 2011, &e));
    BSTEP_ASSERT_NEAR(e->met, 6.0, 1e-12);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17320", 2024, &e));
    BSTEP_ASSERT_NEAR(e->met, 6.0, 1e-12);
    BSTEP_ASSERT_EQ(e->direction, BSTEP_DIRECTION_BACKWARD);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17325", 2011, &e));
    BSTEP_ASSERT_NEAR(e->met, 8.0, 1e-12);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17325", 2024, &e));
    BSTEP_ASSERT_NEAR(e->met, 7.8, 1e-12);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17475", 2024, &e));
    BSTEP_ASSERT_NEAR(e->met, 7.8, 1e-12);
    BSTEP_ASSERT_EQ(e->treadmill, 1);
    BSTEP_ASSERT_EQ(bstep_compendium_lookup("17475", 2011, &e), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("02078", 2024, &e));
    BSTEP_ASSERT_NEAR(e->met, 11.0, 1e-12);
    /* Forward comparators and the edition-dependent ratios of section 1.4. */
    {
        const bstep_compendium_entry *bw = NULL, *fw = NULL;
        BSTEP_ASSERT_OK(bstep_compendium_lookup("17320", 2011, &bw));
        BSTEP_ASSERT_OK(bstep_compendium_lookup("17200", 2011, &fw));
        BSTEP_ASSERT_NEAR(fw->met, 4.3, 1e-12);
        BSTEP_ASSERT_NEAR(bw->met / fw->met, 1.40, 0.005);
        BSTEP_ASSERT_NEAR((bw->met - 1.0) / (fw->met - 1.0), 1.52, 0.005);
        BSTEP_ASSERT_OK(bstep_compendium_lookup("17320", 2024, &bw));
        BSTEP_ASSERT_OK(bstep_compendium_lookup("17200", 2024, &fw));
        BSTEP_ASSERT_NEAR(fw->met, 4.8, 1e-12);
        BSTEP_ASSERT_NEAR(bw->met / fw->met, 1.25, 0.005);
        BSTEP_ASSERT_NEAR((bw->met - 1.0) / (fw->met - 1.0), 1.32, 0.005);
    }
    BSTEP_ASSERT_OK(bstep_compendium_lookup("12050", 2011, &e));
    BSTEP_ASSERT_NEAR(e->met, 9.8, 1e-12);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("12050", 2024, &e));
    BSTEP_ASSERT_NEAR(e->met, 9.3, 1e-12);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17367", 2024, &e));
    BSTEP_ASSERT_NEAR(e->met, 8.3, 1e-12);
    BSTEP_ASSERT_EQ(bstep_compendium_lookup("99999", 2024, &e), BSTEP_ENOTFOUND);
    BSTEP_ASSERT_EQ(bstep_compendium_lookup("17320", 2019, &e), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_compendium_lookup(NULL, 2024, &e), BSTEP_EINVAL);
    BSTEP_ASSERT(bstep_compendium_citation(2011) != NULL);
    BSTEP_ASSERT(bstep_compendium_citation(2024) != NULL);
    BSTEP_ASSERT(bstep_compendium_citation(2000) == NULL);
}

/* Every table entry is well formed, and a code appears at most once per edition. */
BSTEP_TEST(compendium_table_sane)
{
    size_t i, j, n = bstep_compendium_count();
    BSTEP_ASSERT(n > 30);
    BSTEP_ASSERT(bstep_compendium_entry_at(n) == NULL);
    for (i = 0; i < n; i++) {
        const bstep_compendium_entry *e = bstep_compendium_entry_at(i);
        BSTEP_ASSERT(e != NULL && strlen(e->code) == 5);
        BSTEP_ASSERT(e->edition_year == 2011 || e->edition_year == 2024);
        BSTEP_ASSERT(e->met >= 1.0 && e->met < 20.0);
        BSTEP_ASSERT(isnan(e->speed_min_mph) || e->speed_min_mph <= e->speed_max_mph);
        BSTEP_ASSERT(isnan(e->grade_min_pct) || e->grade_min_pct <= e->grade_max_pct);
        for (j = i + 1; j < n; j++) {
            const bstep_compendium_entry *o = bstep_compendium_entry_at(j);
            BSTEP_ASSERT(!(o->edition_year == e->edition_year && strcmp(o->code, e->code) == 0));
        }
    }
}

static const char *match_code(double speed_mps, double grade_pct, bstep_direction d, bstep_gait g,
                              int year)
{
    bstep_energy_activity a;
    const bstep_compendium_entry *e = NULL;
    a.speed_mps = speed_mps;
    a.grade_pct = grade_pct;
    a.direction = d;
    a.gait = g;
    if (bstep_compendium_match(&a, year, &e) != BSTEP_OK)
        return "none";
    return e->code;
}

BSTEP_TEST(compendium_match)
{
    const bstep_direction B = BSTEP_DIRECTION_BACKWARD, F = BSTEP_DIRECTION_FORWARD;
    const bstep_gait W = BSTEP_GAIT_WALK;
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.5633, 0.0, B, W, 2024), "17320");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.5646, 5.0, B, W, 2024), "17325");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.5633, 5.0, B, W, 2011), "17325");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.1167, 10.0, B, W, 2024), "17475");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.1167, 10.0, B, W, 2011), "none");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.0, 0.0, B, W, 2024), "none");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.5633, 0.0, F, W, 2024), "17200");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.5633, 0.0, F, W, 2011), "17200");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.34, 0.0, F, W, 2024), "17190");
    BSTEP_ASSERT_STR_CONTAINS(match_code(0.30, 0.0, F, W, 2024), "17151");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.3, 3.0, F, W, 2024), "17034");
    BSTEP_ASSERT_STR_CONTAINS(match_code(1.3, -5.0, F, W, 2024), "17382");
    BSTEP_ASSERT_STR_CONTAINS(match_code(2.68, 0.0, F, BSTEP_GAIT_RUN, 2024), "12050");
    BSTEP_ASSERT_STR_CONTAINS(match_code(2.68, 0.0, F, BSTEP_GAIT_AUTO, 2011), "12050");
    BSTEP_ASSERT_STR_CONTAINS(match_code(2.68, 0.0, B, BSTEP_GAIT_RUN, 2024), "none");
}

/* Section 5: the model's oracles, arithmetic exact to 0.01. */
BSTEP_TEST(backward_model_oracles)
{
    static const struct {
        double speed_mps, grade_pct;
        bstep_gait gait;
        double vo2, met, fw_vo2, ratio;
        int extrapolated;
    } o[] = {
        {1.5633, 0.0, BSTEP_GAIT_WALK, 21.00, 6.00, 12.88, 1.63, 0},
        {1.1167, 10.0, BSTEP_GAIT_WALK, 27.30, 7.80, 22.26, 1.23, 0},
        {93.8 / 60.0, 5.0, BSTEP_GAIT_WALK, 28.91, 8.26, 21.32, 1.36, 0},
        {1.0, 0.0, BSTEP_GAIT_WALK, 14.69, 4.20, 9.50, 1.55, 0},
        {1.0, 5.0, BSTEP_GAIT_WALK, 19.75, 5.64, 14.90, 1.33, 0},
        {0.5, 0.0, BSTEP_GAIT_WALK, 9.10, 2.60, 6.50, 1.40, 1},
        {2.68, 0.0, BSTEP_GAIT_RUN, 46.92, 13.40, 35.66, 1.32, 0},
    };
    size_t i;
    for (i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
        bstep_energy_cost c =
            estimate(o[i].speed_mps, o[i].grade_pct, BSTEP_DIRECTION_BACKWARD, o[i].gait);
        unsigned f = 0;
        double v = -1.0;
        BSTEP_ASSERT_NEAR(c.vo2_ml_kg_min, o[i].vo2, 0.01);
        BSTEP_ASSERT_NEAR(c.met, o[i].met, 0.01);
        BSTEP_ASSERT_NEAR(c.forward_vo2_ml_kg_min, o[i].fw_vo2, 0.01);
        BSTEP_ASSERT_NEAR(c.backward_to_forward_ratio, o[i].ratio, 0.006);
        BSTEP_ASSERT_EQ((c.flags & BSTEP_ENERGY_EXTRAPOLATED) != 0, o[i].extrapolated);
        BSTEP_ASSERT_EQ(c.model, o[i].gait == BSTEP_GAIT_WALK ? BSTEP_ENERGY_MODEL_BW_WALK
                                                              : BSTEP_ENERGY_MODEL_BW_RUN);
        BSTEP_ASSERT_NEAR(c.uncertainty_pct, 15.0, 1e-12);
        BSTEP_ASSERT_NEAR(c.vo2_low_ml_kg_min, 0.85 * c.vo2_ml_kg_min, 1e-9);
        BSTEP_ASSERT_NEAR(c.vo2_high_ml_kg_min, 1.15 * c.vo2_ml_kg_min, 1e-9);
        BSTEP_ASSERT_NEAR(c.vo2_net_ml_kg_min, c.vo2_ml_kg_min - 3.5, 1e-12);
        /* The primitive gives the same number. */
        BSTEP_ASSERT_OK(
            bstep_energy_backward_vo2(o[i].gait, o[i].speed_mps, o[i].grade_pct, &v, &f));
        BSTEP_ASSERT_NEAR(v, c.vo2_ml_kg_min, 1e-12);
    }
}

/* Section 5 kcal oracles. */
BSTEP_TEST(backward_model_kcal)
{
    bstep_energy_cost c = estimate(93.8 / 60.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT_NEAR(bstep_energy_kcal(c.vo2_ml_kg_min, 70.0, 30.0 * 60.0), 220.5, 0.01);
    c = estimate(1.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT_NEAR(bstep_energy_kcal(c.vo2_ml_kg_min, 70.0, 30.0 * 60.0), 154.29, 0.01);
    c = estimate(0.8, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT_NEAR(bstep_energy_kcal(c.vo2_ml_kg_min, 60.0, 15.0 * 60.0), 56.05, 0.01);
}

/* Section 5 physiology: the fit hits 17320 and 17475 (2024) exactly and 17325 within +-15 %
 * (8.26 MET: +5.9 % vs 2024's 7.8, +3.3 % vs 2011's 8.0); backward running is +35 %. */
BSTEP_TEST(backward_model_vs_compendium)
{
    const bstep_compendium_entry *e = NULL;
    bstep_energy_cost c = estimate(mph_to_mps(3.5), 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17320", 2024, &e));
    BSTEP_ASSERT_NEAR(c.met, e->met, 1e-9);
    c = estimate(mph_to_mps(2.5), 10.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17475", 2024, &e));
    BSTEP_ASSERT_NEAR(c.met, e->met, 1e-9);
    c = estimate(mph_to_mps(3.5), 5.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17325", 2024, &e));
    BSTEP_ASSERT_NEAR(c.met, e->met, 0.15 * e->met);
    BSTEP_ASSERT_NEAR(c.met / e->met - 1.0, 0.059, 0.001);
    BSTEP_ASSERT_OK(bstep_compendium_lookup("17325", 2011, &e));
    BSTEP_ASSERT_NEAR(c.met, e->met, 0.15 * e->met);
    BSTEP_ASSERT_NEAR(c.met / e->met - 1.0, 0.033, 0.001);
    /* Running: +35 % on the ACSM gross cost above rest (Wright & Weyand: +35 +- 6 % at 3 m/s);
     * the lower-body-positive-pressure study's 1.29 is within 15 %. */
    c = estimate(3.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_RUN);
    BSTEP_ASSERT_NEAR(c.vo2_net_ml_kg_min / (c.forward_vo2_ml_kg_min - 3.5), 1.35, 1e-9);
    BSTEP_ASSERT_NEAR(c.backward_to_forward_ratio, 1.29, 0.15 * 1.29);
}

/* Section 5: BW/FW ratio 1.40-1.63 on the level (0.5-1.56 m/s); on 5-10 % grades inside the
 * valid speeds 1.16-1.36. (At 0.5 m/s and 15 % it falls to 1.14, just under the reference's
 * 1.16.) */
BSTEP_TEST(backward_forward_ratio_ranges)
{
    double v, g;
    for (v = 0.5; v <= 1.5634; v += 0.01) {
        bstep_energy_cost c = estimate(v, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
        BSTEP_ASSERT_GE(c.backward_to_forward_ratio, 1.395);
        BSTEP_ASSERT_LE(c.backward_to_forward_ratio, 1.635);
    }
    for (v = 0.83; v <= 1.5634; v += 0.01) {
        for (g = 5.0; g <= 10.0; g += 0.5) {
            bstep_energy_cost c = estimate(v, g, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
            BSTEP_ASSERT_GE(c.backward_to_forward_ratio, 1.16);
            BSTEP_ASSERT_LE(c.backward_to_forward_ratio, 1.36);
        }
    }
    for (v = 0.5; v <= 1.5634; v += 0.01) {
        for (g = 5.0; g <= 15.0; g += 0.5) {
            bstep_energy_cost c = estimate(v, g, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
            BSTEP_ASSERT_GE(c.backward_to_forward_ratio, 1.14);
            BSTEP_ASSERT_LE(c.backward_to_forward_ratio, 1.36);
        }
    }
}

/* Section 4: Keytel et al. 2005. */
BSTEP_TEST(keytel_oracles)
{
    double kpm = 0.0;
    unsigned f = 0;
    double w = 155.0 / 2.2;
    BSTEP_ASSERT_OK(
        bstep_energy_keytel_kcal_per_min(148.0, w, 49.0, BSTEP_SEX_MALE, DNAN, &kpm, &f));
    BSTEP_ASSERT_NEAR(kpm * 60.0, 891.48, 0.01);
    BSTEP_ASSERT(f & BSTEP_ENERGY_HR_EXTRAPOLATED); /* 49 y is outside 18-45 */
    BSTEP_ASSERT_OK(
        bstep_energy_keytel_kcal_per_min(148.0, w, 49.0, BSTEP_SEX_FEMALE, DNAN, &kpm, &f));
    BSTEP_ASSERT_NEAR(kpm * 60.0, 580.94, 0.01);
    BSTEP_ASSERT_OK(
        bstep_energy_keytel_kcal_per_min(150.0, 75.0, 35.0, BSTEP_SEX_MALE, DNAN, &kpm, &f));
    BSTEP_ASSERT_NEAR(kpm * 30.0, 441.02, 0.01);
    BSTEP_ASSERT_EQ(f, 0);
    BSTEP_ASSERT_OK(
        bstep_energy_keytel_kcal_per_min(140.0, 70.0, 30.0, BSTEP_SEX_MALE, 45.0, &kpm, &f));
    BSTEP_ASSERT_NEAR(kpm, 11.20, 0.006);
    BSTEP_ASSERT_OK(
        bstep_energy_keytel_kcal_per_min(140.0, 60.0, 30.0, BSTEP_SEX_FEMALE, 40.0, &kpm, &f));
    BSTEP_ASSERT_NEAR(kpm, 7.94, 0.006);
    BSTEP_ASSERT_EQ(f, 0);
    /* The female weight coefficient is negative: heavier -> less, at the same HR. */
    {
        double a = 0.0, b = 0.0;
        BSTEP_ASSERT_OK(
            bstep_energy_keytel_kcal_per_min(140.0, 60.0, 30.0, BSTEP_SEX_FEMALE, DNAN, &a, NULL));
        BSTEP_ASSERT_OK(
            bstep_energy_keytel_kcal_per_min(140.0, 80.0, 30.0, BSTEP_SEX_FEMALE, DNAN, &b, NULL));
        BSTEP_ASSERT(b < a);
    }
    /* Low HR: flagged; negative results are reported as 0 and flagged. */
    BSTEP_ASSERT_OK(
        bstep_energy_keytel_kcal_per_min(40.0, 100.0, 30.0, BSTEP_SEX_FEMALE, DNAN, &kpm, &f));
    BSTEP_ASSERT(f & BSTEP_ENERGY_HR_LOW);
    BSTEP_ASSERT(f & BSTEP_ENERGY_HR_CLAMPED);
    BSTEP_ASSERT_NEAR(kpm, 0.0, 0.0);
}

BSTEP_TEST(validation_errors)
{
    double v = 0.0;
    bstep_energy_activity a = {1.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK};
    bstep_energy_cost c;
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, -0.01, 0.0, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, 10.01, 0.0, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, DNAN, 0.0, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, 1.0, -20.5, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, 1.0, 40.5, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, 1.0, DNAN, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_AUTO, 1.0, 0.0, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, 1.0, 0.0, NULL, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_backward_vo2(BSTEP_GAIT_RUN, 11.0, 0.0, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_backward_vo2((bstep_gait)7, 1.0, 0.0, &v, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_OK(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, 0.0, -20.0, &v, NULL));
    BSTEP_ASSERT_OK(bstep_energy_acsm_vo2(BSTEP_GAIT_WALK, 10.0, 40.0, &v, NULL));
    /* Keytel ranges. */
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(29.0, 70.0, 30.0, BSTEP_SEX_MALE, DNAN, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(231.0, 70.0, 30.0, BSTEP_SEX_MALE, DNAN, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(140.0, 19.0, 30.0, BSTEP_SEX_MALE, DNAN, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(140.0, 301.0, 30.0, BSTEP_SEX_MALE, DNAN, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(140.0, 70.0, 4.0, BSTEP_SEX_MALE, DNAN, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(140.0, 70.0, 111.0, BSTEP_SEX_MALE, DNAN, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(140.0, 70.0, 30.0, BSTEP_SEX_UNKNOWN, DNAN, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(140.0, 70.0, 30.0, BSTEP_SEX_MALE, 95.0, &v, NULL),
        BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(
        bstep_energy_keytel_kcal_per_min(140.0, 70.0, 30.0, BSTEP_SEX_MALE, DNAN, NULL, NULL),
        BSTEP_EINVAL);
    /* Estimate. */
    BSTEP_ASSERT_EQ(bstep_energy_estimate(NULL, &c), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_estimate(&a, NULL), BSTEP_EINVAL);
    a.gait = (bstep_gait)9;
    BSTEP_ASSERT_EQ(bstep_energy_estimate(&a, &c), BSTEP_EINVAL);
    a.gait = BSTEP_GAIT_WALK;
    a.speed_mps = DNAN;
    BSTEP_ASSERT_EQ(bstep_energy_estimate(&a, &c), BSTEP_EINVAL);
    /* Conversions give NAN on bad input. */
    BSTEP_ASSERT(isnan(bstep_energy_met(-1.0)));
    BSTEP_ASSERT(isnan(bstep_energy_kcal_per_min(20.0, 10.0)));
    BSTEP_ASSERT(isnan(bstep_energy_kcal_per_min_from_met(6.0, 400.0)));
    BSTEP_ASSERT(isnan(bstep_energy_kcal(20.0, 70.0, -1.0)));
}

BSTEP_TEST(flags)
{
    bstep_energy_cost c = estimate(1.0, -5.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT(c.flags & BSTEP_ENERGY_GRADE_CLAMPED);
    BSTEP_ASSERT_NEAR(c.grade_used_pct, 0.0, 0.0);
    BSTEP_ASSERT_NEAR(c.vo2_ml_kg_min,
                      estimate(1.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK).vo2_ml_kg_min,
                      1e-12);
    c = estimate(1.0, DNAN, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT(c.flags & BSTEP_ENERGY_GRADE_ASSUMED);
    c = estimate(1.5, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_AUTO);
    BSTEP_ASSERT(c.flags & BSTEP_ENERGY_GAIT_ASSUMED);
    BSTEP_ASSERT_EQ(c.gait, BSTEP_GAIT_WALK);
    c = estimate(1.7, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_AUTO);
    BSTEP_ASSERT_EQ(c.gait, BSTEP_GAIT_RUN);
    c = estimate(1.7, 0.0, BSTEP_DIRECTION_FORWARD, BSTEP_GAIT_AUTO);
    BSTEP_ASSERT_EQ(c.gait, BSTEP_GAIT_WALK);
    c = estimate(2.1, 0.0, BSTEP_DIRECTION_FORWARD, BSTEP_GAIT_AUTO);
    BSTEP_ASSERT_EQ(c.gait, BSTEP_GAIT_RUN);
    c = estimate(1.2, 0.0, BSTEP_DIRECTION_UNKNOWN, BSTEP_GAIT_WALK);
    BSTEP_ASSERT(c.flags & BSTEP_ENERGY_DIRECTION_ASSUMED);
    BSTEP_ASSERT_EQ(c.model, BSTEP_ENERGY_MODEL_ACSM_WALK);
    BSTEP_ASSERT(isnan(c.uncertainty_pct));
    BSTEP_ASSERT_NEAR(c.backward_to_forward_ratio, 1.0, 1e-12);
    c = estimate(1.2, 12.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT(c.flags & BSTEP_ENERGY_EXTRAPOLATED); /* grade above 10 % */
    c = estimate(1.2, 8.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK);
    BSTEP_ASSERT_EQ(c.flags, 0);
    c = estimate(4.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_RUN);
    BSTEP_ASSERT(c.flags & BSTEP_ENERGY_EXTRAPOLATED); /* above 3.5 m/s */
    /* Every defined bit has a name. */
    {
        unsigned bit;
        for (bit = 1; bit <= BSTEP_ENERGY_INCOMPLETE; bit <<= 1)
            BSTEP_ASSERT(bstep_energy_flag_name(bit) != NULL);
        BSTEP_ASSERT(bstep_energy_flag_name(0x400u) == NULL);
    }
}

/* Cost rises with speed and with grade for every equation; backward > forward at the same
 * speed, grade and gait. */
BSTEP_TEST(monotonicity)
{
    static const bstep_direction dirs[2] = {BSTEP_DIRECTION_FORWARD, BSTEP_DIRECTION_BACKWARD};
    static const bstep_gait gaits[2] = {BSTEP_GAIT_WALK, BSTEP_GAIT_RUN};
    int d, g;
    double v, gr;
    for (d = 0; d < 2; d++) {
        for (g = 0; g < 2; g++) {
            for (gr = 0.0; gr <= 30.0; gr += 2.5) {
                double prev = 0.0;
                for (v = 0.0; v <= 5.0; v += 0.05) {
                    double cur = estimate(v, gr, dirs[d], gaits[g]).vo2_ml_kg_min;
                    BSTEP_ASSERT(cur > prev || (v == 0.0 && cur >= 3.5));
                    prev = cur;
                }
            }
            for (v = 0.1; v <= 5.0; v += 0.1) {
                double prev = 0.0;
                for (gr = 0.0; gr <= 40.0; gr += 1.0) {
                    double cur = estimate(v, gr, dirs[d], gaits[g]).vo2_ml_kg_min;
                    BSTEP_ASSERT(cur > prev);
                    prev = cur;
                }
            }
        }
    }
    for (g = 0; g < 2; g++)
        for (v = 0.1; v <= 5.0; v += 0.1)
            for (gr = 0.0; gr <= 40.0; gr += 2.0)
                BSTEP_ASSERT(estimate(v, gr, BSTEP_DIRECTION_BACKWARD, gaits[g]).vo2_ml_kg_min >
                             estimate(v, gr, BSTEP_DIRECTION_FORWARD, gaits[g]).vo2_ml_kg_min);
}

static bstep_energy_segment segment(double duration_s, double speed_mps, double grade_pct,
                                    bstep_direction d, bstep_gait g, double hr_bpm)
{
    bstep_energy_segment s;
    s.duration_s = duration_s;
    s.speed_mps = speed_mps;
    s.grade_pct = grade_pct;
    s.direction = d;
    s.gait = g;
    s.hr_bpm = hr_bpm;
    return s;
}

/* The session totals are the sum of the per-segment model: 30 min backward at 1.0 m/s level
 * (154.29 kcal at 70 kg) + 10 min forward at 3.5 mph and 10 % (29.764 mL/kg/min: 104.17 kcal). */
BSTEP_TEST(session_totals)
{
    bstep_energy_segment s[3];
    bstep_energy_walker w = {70.0, 35.0, BSTEP_SEX_MALE, DNAN};
    bstep_energy_session_result r;
    double met_bw = estimate(1.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK).met;
    s[0] = segment(1800.0, 1.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK, DNAN);
    s[1] = segment(600.0, 93.8 / 60.0, 10.0, BSTEP_DIRECTION_FORWARD, BSTEP_GAIT_WALK, DNAN);
    BSTEP_ASSERT_OK(bstep_energy_session(s, 2, &w, &r));
    BSTEP_ASSERT_NEAR(r.energy_kcal, 154.287 + 104.174, 0.01);
    BSTEP_ASSERT_NEAR(r.energy_net_kcal, r.energy_kcal - 3.5 * 70.0 / 200.0 * 40.0, 1e-9);
    BSTEP_ASSERT_NEAR(r.energy_low_kcal, 0.85 * 154.287 + 104.174, 0.01);
    BSTEP_ASSERT_NEAR(r.energy_high_kcal, 1.15 * 154.287 + 104.174, 0.01);
    BSTEP_ASSERT_NEAR(r.met_mean, (met_bw * 30.0 + 29.764 / 3.5 * 10.0) / 40.0, 0.001);
    BSTEP_ASSERT_NEAR(r.duration_s, 2400.0, 1e-9);
    BSTEP_ASSERT(isnan(r.energy_kcal_hr));
    BSTEP_ASSERT_EQ(r.flags & BSTEP_ENERGY_INCOMPLETE, 0);
    BSTEP_ASSERT_EQ(r.segments, 2);
    BSTEP_ASSERT_EQ(r.segments_extrapolated, 0);

    /* A segment without speed but with heart rate: left out of energy_kcal, in energy_kcal_hr
     * (Keytel: man 75 kg, 35 y, HR 150 -> 441.02 kcal in 30 min). */
    w.mass_kg = 75.0;
    s[2] = segment(1800.0, DNAN, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK, 150.0);
    BSTEP_ASSERT_OK(bstep_energy_session(&s[2], 1, &w, &r));
    BSTEP_ASSERT(isnan(r.energy_kcal));
    BSTEP_ASSERT(isnan(r.met_mean));
    BSTEP_ASSERT_NEAR(r.energy_kcal_hr, 441.02, 0.01);
    BSTEP_ASSERT_NEAR(r.duration_hr_s, 1800.0, 1e-9);
    BSTEP_ASSERT_NEAR(r.duration_unknown_s, 1800.0, 1e-9);
    BSTEP_ASSERT(r.flags & BSTEP_ENERGY_INCOMPLETE);
    BSTEP_ASSERT(r.flags & BSTEP_ENERGY_HR_BACKWARD);
    BSTEP_ASSERT_OK(bstep_energy_session(s, 3, &w, &r));
    BSTEP_ASSERT_NEAR(r.duration_s, 2400.0, 1e-9);
    BSTEP_ASSERT(isfinite(r.energy_kcal));
    BSTEP_ASSERT(r.flags & BSTEP_ENERGY_INCOMPLETE);
    /* Without age, no heart-rate estimate. */
    w.age_y = DNAN;
    BSTEP_ASSERT_OK(bstep_energy_session(s, 3, &w, &r));
    BSTEP_ASSERT(isnan(r.energy_kcal_hr));
    /* Empty session. */
    BSTEP_ASSERT_OK(bstep_energy_session(NULL, 0, &w, &r));
    BSTEP_ASSERT_NEAR(r.energy_kcal, 0.0, 0.0);
    BSTEP_ASSERT(isnan(r.met_mean));
}

/* A session split into pieces gives the same total as one segment (the model is linear in time). */
BSTEP_TEST(session_split_equal)
{
    bstep_energy_segment one, many[10];
    bstep_energy_walker w = {60.0, DNAN, BSTEP_SEX_UNKNOWN, DNAN};
    bstep_energy_session_result a, b;
    int i;
    one = segment(900.0, 0.8, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK, DNAN);
    for (i = 0; i < 10; i++)
        many[i] = segment(90.0, 0.8, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK, DNAN);
    BSTEP_ASSERT_OK(bstep_energy_session(&one, 1, &w, &a));
    BSTEP_ASSERT_OK(bstep_energy_session(many, 10, &w, &b));
    BSTEP_ASSERT_NEAR(a.energy_kcal, 56.05, 0.01);
    BSTEP_ASSERT_NEAR(a.energy_kcal, b.energy_kcal, 1e-9);
    BSTEP_ASSERT_NEAR(a.met_mean, b.met_mean, 1e-12);
    BSTEP_ASSERT_EQ(b.segments_extrapolated, 10); /* 0.8 m/s < 0.83 */
}

BSTEP_TEST(session_validation)
{
    bstep_energy_segment s =
        segment(60.0, 1.0, 0.0, BSTEP_DIRECTION_BACKWARD, BSTEP_GAIT_WALK, DNAN);
    bstep_energy_walker w = {70.0, 30.0, BSTEP_SEX_FEMALE, DNAN};
    bstep_energy_session_result r;
    BSTEP_ASSERT_OK(bstep_energy_session(&s, 1, &w, &r));
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, &w, NULL), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, NULL, &r), BSTEP_EINVAL);
    BSTEP_ASSERT_EQ(bstep_energy_session(NULL, 1, &w, &r), BSTEP_EINVAL);
    w.mass_kg = 10.0;
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, &w, &r), BSTEP_EINVAL);
    w.mass_kg = DNAN;
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, &w, &r), BSTEP_EINVAL);
    w.mass_kg = 70.0;
    w.age_y = 120.0;
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, &w, &r), BSTEP_EINVAL);
    w.age_y = 30.0;
    s.duration_s = -1.0;
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, &w, &r), BSTEP_EINVAL);
    s.duration_s = 60.0;
    s.hr_bpm = 250.0;
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, &w, &r), BSTEP_EINVAL);
    s.hr_bpm = DNAN;
    s.speed_mps = 12.0;
    BSTEP_ASSERT_EQ(bstep_energy_session(&s, 1, &w, &r), BSTEP_EINVAL);
}

BSTEP_TEST(names)
{
    bstep_gait g = BSTEP_GAIT_AUTO;
    bstep_sex s = BSTEP_SEX_UNKNOWN;
    double sp[2], gr[2];
    BSTEP_ASSERT_OK(bstep_gait_parse("run", &g));
    BSTEP_ASSERT_EQ(g, BSTEP_GAIT_RUN);
    BSTEP_ASSERT_EQ(bstep_gait_parse("jog", &g), BSTEP_EINVAL);
    BSTEP_ASSERT_STR_CONTAINS(bstep_gait_name(BSTEP_GAIT_WALK), "walk");
    BSTEP_ASSERT_OK(bstep_sex_parse("F", &s));
    BSTEP_ASSERT_EQ(s, BSTEP_SEX_FEMALE);
    BSTEP_ASSERT_OK(bstep_sex_parse("m", &s));
    BSTEP_ASSERT_EQ(s, BSTEP_SEX_MALE);
    BSTEP_ASSERT_EQ(bstep_sex_parse("x", &s), BSTEP_EINVAL);
    BSTEP_ASSERT_STR_CONTAINS(bstep_energy_model_name(BSTEP_ENERGY_MODEL_BW_WALK), "bw-walk");
    BSTEP_ASSERT_STR_CONTAINS(bstep_energy_model_source(BSTEP_ENERGY_MODEL_BW_WALK), "2024");
    BSTEP_ASSERT_STR_CONTAINS(bstep_energy_model_equation(BSTEP_ENERGY_MODEL_ACSM_RUN), "0.9");
    bstep_energy_model_validity(BSTEP_ENERGY_MODEL_BW_WALK, sp, gr);
    BSTEP_ASSERT_NEAR(sp[0], 0.83, 1e-12);
    BSTEP_ASSERT_NEAR(sp[1], 1.63, 1e-12);
    BSTEP_ASSERT_NEAR(gr[1], 10.0, 1e-12);
    bstep_energy_model_validity(BSTEP_ENERGY_MODEL_ACSM_RUN, sp, gr);
    BSTEP_ASSERT(isinf(sp[1]));
    BSTEP_ASSERT(isnan(gr[0]));
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(kcal_pin_220_5), BSTEP_TEST_ENTRY(acsm_walking_grid),
                BSTEP_TEST_ENTRY(acsm_running_grid), BSTEP_TEST_ENTRY(acsm_worked_examples),
                BSTEP_TEST_ENTRY(compendium_values), BSTEP_TEST_ENTRY(compendium_table_sane),
                BSTEP_TEST_ENTRY(compendium_match), BSTEP_TEST_ENTRY(backward_model_oracles),
                BSTEP_TEST_ENTRY(backward_model_kcal),
                BSTEP_TEST_ENTRY(backward_model_vs_compendium),
                BSTEP_TEST_ENTRY(backward_forward_ratio_ranges), BSTEP_TEST_ENTRY(keytel_oracles),
                BSTEP_TEST_ENTRY(validation_errors), BSTEP_TEST_ENTRY(flags),
                BSTEP_TEST_ENTRY(monotonicity), BSTEP_TEST_ENTRY(session_totals),
                BSTEP_TEST_ENTRY(session_split_equal), BSTEP_TEST_ENTRY(session_validation),
                BSTEP_TEST_ENTRY(names))
