/*
 * Energy cost of forward and backward walking and running: VO2, METs and kcal from speed and
 * grade, kcal from heart rate (Keytel et al. 2005), and the Compendium of Physical Activities
 * values for the codes backstep cites. Pure functions: no I/O, no allocation, no state.
 *
 * The model (docs/energy.md, reference/energy.md section 5, "the project's own choice"):
 *   forward walk   VO2 = 3.5 + 0.1 S + 1.8 S G                       ACSM, 10th ed., Table 6.3
 *   forward run    VO2 = 3.5 + 0.2 S + 0.9 S G                       ACSM
 *   backward walk  VO2 = 3.5 + a S + b S G, a = 17.5/93.8, b = 11.3/6.7
 *                  fitted exactly to Compendium 2024 codes 17320 (6.0 MET) and 17475 (7.8 MET)
 *   backward run   VO2 = 3.5 + 1.35 (0.2 S + 0.9 S G)                Wright & Weyand 2001; Rasica
 * 2020 with S the speed in m/min (60 x m/s) and G the grade as a fraction (5 % = 0.05). VO2 is
 * gross oxygen uptake in mL/kg/min; net VO2 is VO2 - 3.5.
 *
 * Units (in every name): speed_mps m/s, grade_pct percent (rise/run x 100), mass_kg kg, age_y
 * years, hr_bpm beats/min, vo2_ml_kg_min mL O2 per kg per minute, met (3.5 mL/kg/min each unless
 * named _older_adult: 2.7 mL/kg/min), energy_kcal kcal, kcal_per_min kcal/min, duration_s seconds.
 *
 * Conversions (pinned by tests): 1 MET = 3.5 mL/kg/min; kcal/min = VO2 x kg x 5 / 1000 =
 * MET x 3.5 x kg / 200 (5 kcal per litre of O2): 6.0 MET, 70 kg, 30 min -> 220.5 kcal.
 *
 * Accepted input ranges (outside them: BSTEP_EINVAL, nothing written):
 *   speed_mps 0 .. 10, grade_pct -20 .. 40, mass_kg 20 .. 300, age_y 5 .. 110,
 *   hr_bpm 30 .. 230, vo2max_ml_kg_min 10 .. 90, duration_s 0 .. 604800 (7 days).
 * Validity ranges of the equations (outside them the value is still computed and
 * BSTEP_ENERGY_EXTRAPOLATED is set so reports can say so):
 *   ACSM walking 50 .. 100 m/min (0.833 .. 1.667 m/s); ACSM running >= 80 m/min (1.333 m/s);
 *   backward walking 0.83 .. 1.63 m/s and 0 .. 10 % grade; backward running 1.75 .. 3.5 m/s and
 *   0 .. 25 % grade (the speed and grade ranges of the studies behind the +35 %).
 * Negative grades are clamped to 0 (none of the equations is valid downhill) and flagged.
 *
 * Estimates are population means for adults; they are not a medical assessment.
 * Added in 0.1.
 */
#ifndef BACKSTEP_ENERGY_H
#define BACKSTEP_ENERGY_H

#include <stddef.h>

#include "backstep/export.h"
#include "backstep/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Oxygen uptake of one MET, mL/kg/min (ACSM; Compendium). */
#define BSTEP_ENERGY_VO2_PER_MET_ML_KG_MIN 3.5
/** Oxygen uptake of one MET in the 2024 Older Adult Compendium (>= 60 y), mL/kg/min. */
#define BSTEP_ENERGY_VO2_PER_MET_OLDER_ADULT_ML_KG_MIN 2.7
/** Energy per litre of oxygen used by the ACSM worked examples, kcal/L. */
#define BSTEP_ENERGY_KCAL_PER_L_O2 5.0
/** Keytel output conversion: kJ per kcal. */
#define BSTEP_ENERGY_KJ_PER_KCAL 4.184
/** Fallback walk/run thresholds when the gait is not known (reference/energy.md section 5). */
#define BSTEP_ENERGY_BW_RUN_THRESHOLD_MPS 1.63 /**< Hreljac 2005 preferred transition, backward */
#define BSTEP_ENERGY_FW_RUN_THRESHOLD_MPS 2.0  /**< project choice, forward */
/** Relative uncertainty of the backward model, percent (reference/energy.md section 5). */
#define BSTEP_ENERGY_BW_UNCERTAINTY_PCT 15.0
/** Backward running cost relative to forward (Wright & Weyand 2001; Rasica et al. 2020). */
#define BSTEP_ENERGY_BW_RUN_FACTOR 1.35

/* Flags (bit set) describing how an estimate was made. bstep_energy_flag_name() names each bit. */
/** Speed or grade outside the range where the equation used was derived; value extrapolated. */
#define BSTEP_ENERGY_EXTRAPOLATED 0x001u
/** A negative grade was treated as level (no equation here is valid downhill). */
#define BSTEP_ENERGY_GRADE_CLAMPED 0x002u
/** Walk or run was decided from the speed (fallback thresholds), not given. */
#define BSTEP_ENERGY_GAIT_ASSUMED 0x004u
/** Direction unknown, sideways or in place: the forward equations were used. */
#define BSTEP_ENERGY_DIRECTION_ASSUMED 0x008u
/** Grade unknown (NAN): treated as level. */
#define BSTEP_ENERGY_GRADE_ASSUMED 0x010u
/** Keytel used outside its sample (18-45 y, 47-120 kg, VO2max 27-81 mL/kg/min). */
#define BSTEP_ENERGY_HR_EXTRAPOLATED 0x020u
/** Heart rate below 90 bpm: the Keytel estimate is not meaningful there (common practice). */
#define BSTEP_ENERGY_HR_LOW 0x040u
/** Keytel gave a negative value, reported as 0. */
#define BSTEP_ENERGY_HR_CLAMPED 0x080u
/** Keytel (a forward-exercise equation) applied to backward gait: likely an over-estimate in
 * beginners, whose heart rate rises more than their oxygen uptake. */
#define BSTEP_ENERGY_HR_BACKWARD 0x100u
/** Session: some segments had no speed, so their energy is not included. */
#define BSTEP_ENERGY_INCOMPLETE 0x200u

/** Walking or running. */
typedef enum {
    BSTEP_GAIT_AUTO = 0, /**< decide from the speed (BSTEP_ENERGY_*_RUN_THRESHOLD_MPS) */
    BSTEP_GAIT_WALK,
    BSTEP_GAIT_RUN
} bstep_gait;

/** Sex as used by the Keytel equations. */
typedef enum { BSTEP_SEX_UNKNOWN = 0, BSTEP_SEX_FEMALE, BSTEP_SEX_MALE } bstep_sex;

/** Which equation produced a speed/grade estimate. */
typedef enum {
    BSTEP_ENERGY_MODEL_ACSM_WALK = 0, /**< forward walking, ACSM */
    BSTEP_ENERGY_MODEL_ACSM_RUN,      /**< forward running, ACSM */
    BSTEP_ENERGY_MODEL_BW_WALK,       /**< backward walking, backstep fit to Compendium 2024 */
    BSTEP_ENERGY_MODEL_BW_RUN         /**< backward running, ACSM running x 1.35 */
} bstep_energy_model;

/** "walk", "run", "auto". */
BSTEP_API const char *bstep_gait_name(bstep_gait g);
/** Parses "walk", "run", "auto". @return BSTEP_OK or BSTEP_EINVAL (out unchanged). */
BSTEP_API int bstep_gait_parse(const char *text, bstep_gait *out);
/** "female", "male", "unknown". */
BSTEP_API const char *bstep_sex_name(bstep_sex s);
/** Parses "F", "f", "female", "M", "m", "male". @return BSTEP_OK or BSTEP_EINVAL. */
BSTEP_API int bstep_sex_parse(const char *text, bstep_sex *out);
/** Stable identifier of a model: "acsm-walk", "acsm-run", "backstep-bw-walk", "backstep-bw-run". */
BSTEP_API const char *bstep_energy_model_name(bstep_energy_model m);
/** The model's equation as text, e.g. "VO2 = 3.5 + 0.1*S + 1.8*S*G (S m/min, G fraction)". */
BSTEP_API const char *bstep_energy_model_equation(bstep_energy_model m);
/** The model's source (citation or "backstep fit to ..."). */
BSTEP_API const char *bstep_energy_model_source(bstep_energy_model m);
/**
 * @brief Range of speed (m/s) and grade (%) where the model's equation is valid.
 * @param[out] speed_mps  [lo, hi]; hi is INFINITY for ACSM running.
 * @param[out] grade_pct  [lo, hi]; NAN when the source states no grade range (ACSM).
 */
BSTEP_API void bstep_energy_model_validity(bstep_energy_model m, double speed_mps[2],
                                           double grade_pct[2]);
/** Snake-case name of one flag bit ("extrapolated", "grade_clamped", ...), NULL if unknown. */
BSTEP_API const char *bstep_energy_flag_name(unsigned flag);

/**
 * @brief ACSM gross VO2 for forward walking or running (ACSM Guidelines 10th ed., Table 6.3).
 * @param[in]  gait       BSTEP_GAIT_WALK or BSTEP_GAIT_RUN (AUTO is BSTEP_EINVAL here).
 * @param[in]  speed_mps  0 .. 10 m/s.
 * @param[in]  grade_pct  -20 .. 40 %; negative is clamped to 0 and flagged.
 * @param[out] vo2_ml_kg_min gross VO2, mL/kg/min.
 * @param[out] flags      BSTEP_ENERGY_* bits (EXTRAPOLATED outside 50-100 m/min walking,
 *                        below 80 m/min running; GRADE_CLAMPED); may be NULL.
 * @return BSTEP_OK, or BSTEP_EINVAL (bad gait, out-of-range or non-finite input, NULL output).
 */
BSTEP_API int bstep_energy_acsm_vo2(bstep_gait gait, double speed_mps, double grade_pct,
                                    double *vo2_ml_kg_min, unsigned *flags);

/**
 * @brief The backstep backward-gait VO2 (reference/energy.md section 5; docs/energy.md).
 * Walking: 3.5 + (17.5/93.8) S + (11.3/6.7) S G; running: 3.5 + 1.35 (0.2 S + 0.9 S G).
 * Same parameters, ranges and return codes as bstep_energy_acsm_vo2(); EXTRAPOLATED outside
 * 0.83-1.63 m/s or 0-10 % (walking), 1.75-3.5 m/s or 0-25 % (running). Uncertainty +-15 %.
 */
BSTEP_API int bstep_energy_backward_vo2(bstep_gait gait, double speed_mps, double grade_pct,
                                        double *vo2_ml_kg_min, unsigned *flags);

/** METs from gross VO2 (3.5 mL/kg/min per MET). NAN for negative or non-finite VO2. */
BSTEP_API double bstep_energy_met(double vo2_ml_kg_min);
/** METs of the 2024 Older Adult Compendium (2.7 mL/kg/min per MET); display only: kcal still
 * come from VO2. NAN for negative or non-finite VO2. */
BSTEP_API double bstep_energy_met_older_adult(double vo2_ml_kg_min);
/** kcal/min = VO2 x kg x 5 / 1000. NAN when VO2 < 0, mass outside 20-300 kg or non-finite. */
BSTEP_API double bstep_energy_kcal_per_min(double vo2_ml_kg_min, double mass_kg);
/** kcal/min = MET x 3.5 x kg / 200 (Compendium "unit conversions"); equal to the above with
 * VO2 = 3.5 MET. NAN when MET < 0, mass outside 20-300 kg or non-finite. */
BSTEP_API double bstep_energy_kcal_per_min_from_met(double met, double mass_kg);
/** kcal = kcal_per_min(VO2, kg) x duration_s / 60. NAN on invalid input (duration 0-604800 s). */
BSTEP_API double bstep_energy_kcal(double vo2_ml_kg_min, double mass_kg, double duration_s);

/**
 * @brief Keytel et al. 2005 (J Sports Sci 23:289) energy expenditure from heart rate.
 * Without VO2max: male  -55.0969 + 0.6309 HR + 0.1988 W + 0.2017 A,
 *                 female -20.4022 + 0.4472 HR - 0.1263 W + 0.0740 A  (kJ/min);
 * with VO2max:    male  -95.7735 + 0.634 HR + 0.404 VO2max + 0.394 W + 0.271 A,
 *                 female -59.3954 + 0.450 HR + 0.380 VO2max + 0.103 W + 0.274 A;
 * divided by 4.184 for kcal/min.
 * @param[in]  hr_bpm   30 .. 230 (flag HR_LOW below 90).
 * @param[in]  mass_kg  20 .. 300 (flag HR_EXTRAPOLATED outside 47-120).
 * @param[in]  age_y    5 .. 110 (flag HR_EXTRAPOLATED outside 18-45).
 * @param[in]  sex      BSTEP_SEX_FEMALE or BSTEP_SEX_MALE (UNKNOWN is BSTEP_EINVAL).
 * @param[in]  vo2max_ml_kg_min 10 .. 90, or NAN when unknown (then the equation without it).
 * @param[out] kcal_per_min  >= 0 (a negative result is reported as 0 with HR_CLAMPED).
 * @param[out] flags    BSTEP_ENERGY_HR_* bits; may be NULL.
 * @return BSTEP_OK or BSTEP_EINVAL.
 */
BSTEP_API int bstep_energy_keytel_kcal_per_min(double hr_bpm, double mass_kg, double age_y,
                                               bstep_sex sex, double vo2max_ml_kg_min,
                                               double *kcal_per_min, unsigned *flags);

/** One activity at steady state. */
typedef struct {
    double speed_mps;          /**< 0 .. 10 */
    double grade_pct;          /**< -20 .. 40; NAN = unknown, treated as level (GRADE_ASSUMED) */
    bstep_direction direction; /**< FORWARD or BACKWARD; others use the forward equations and set
                                    DIRECTION_ASSUMED */
    bstep_gait gait;           /**< WALK, RUN, or AUTO (from the speed, GAIT_ASSUMED) */
} bstep_energy_activity;

/** The cost of one activity per kilogram and minute. */
typedef struct {
    bstep_energy_model model;         /**< equation used */
    bstep_direction direction;        /**< FORWARD or BACKWARD as used */
    bstep_gait gait;                  /**< WALK or RUN as used */
    double grade_used_pct;            /**< grade put into the equation (after clamping), % */
    double vo2_ml_kg_min;             /**< gross */
    double vo2_net_ml_kg_min;         /**< gross - 3.5 */
    double vo2_low_ml_kg_min;         /**< lower end of the uncertainty band (NAN if none stated) */
    double vo2_high_ml_kg_min;        /**< upper end (NAN if none stated) */
    double uncertainty_pct;           /**< 15 for the backward model, NAN for ACSM (none stated) */
    double met;                       /**< vo2 / 3.5 */
    double met_older_adult;           /**< vo2 / 2.7 (display only) */
    double forward_vo2_ml_kg_min;     /**< ACSM forward value, same speed, grade and gait */
    double backward_to_forward_ratio; /**< vo2 / forward_vo2 (1 for forward) */
    unsigned flags;                   /**< BSTEP_ENERGY_* bits */
} bstep_energy_cost;

/**
 * @brief The project's model: picks the equation from direction and gait and evaluates it.
 * @param[in]  a   activity (ranges above).
 * @param[out] out filled on success.
 * @return BSTEP_OK or BSTEP_EINVAL (NULL, out-of-range, non-finite speed).
 */
BSTEP_API int bstep_energy_estimate(const bstep_energy_activity *a, bstep_energy_cost *out);

/** One walking or running segment of a session, as the analysis produces it. */
typedef struct {
    double duration_s;         /**< 0 .. 604800 */
    double speed_mps;          /**< 0 .. 10, or NAN when unknown (segment left out, INCOMPLETE) */
    double grade_pct;          /**< -20 .. 40, or NAN when unknown (treated as level) */
    bstep_direction direction; /**< as in bstep_energy_activity */
    bstep_gait gait;           /**< as in bstep_energy_activity */
    double hr_bpm;             /**< mean heart rate over the segment, 30 .. 230, or NAN */
} bstep_energy_segment;

/** The person. */
typedef struct {
    double mass_kg;          /**< 20 .. 300, required */
    double age_y;            /**< 5 .. 110, or NAN (then no heart-rate estimate) */
    bstep_sex sex;           /**< UNKNOWN: no heart-rate estimate */
    double vo2max_ml_kg_min; /**< 10 .. 90, or NAN */
} bstep_energy_walker;

/** Totals of a session. Unknown values are NAN. */
typedef struct {
    double energy_kcal;           /**< gross, speed/grade model, segments with a known speed */
    double energy_net_kcal;       /**< the same above rest (VO2 - 3.5) */
    double energy_low_kcal;       /**< lower end: backward segments -15 %, forward ones as is */
    double energy_high_kcal;      /**< upper end: backward segments +15 % */
    double met_mean;              /**< time-weighted mean METs over the same segments */
    double duration_s;            /**< time covered by energy_kcal */
    double duration_unknown_s;    /**< time of segments without a speed */
    double energy_kcal_hr;        /**< Keytel over the segments with a heart rate; NAN if none or if
                                       age or sex is unknown. Never blended into energy_kcal. */
    double duration_hr_s;         /**< time covered by energy_kcal_hr */
    size_t segments;              /**< segments given */
    size_t segments_extrapolated; /**< segments with BSTEP_ENERGY_EXTRAPOLATED */
    unsigned flags;               /**< OR of all segments' flags, plus INCOMPLETE */
} bstep_energy_session_result;

/**
 * @brief Energy of a whole session: the one model every analysed session's kcal comes from.
 *
 * Sums bstep_energy_estimate() x kcal over the segments. A segment whose speed is NAN is left
 * out of energy_kcal and met_mean (its time goes to duration_unknown_s and INCOMPLETE is set);
 * if no segment has a speed, energy_kcal and met_mean are NAN (report null). With n == 0 the
 * energies are 0 and met_mean NAN. When the walker's age and sex are known, segments with a heart
 * rate also get the Keytel estimate, reported separately in energy_kcal_hr.
 *
 * @param[in]  seg  n segments (may be NULL when n == 0).
 * @param[in]  n    number of segments.
 * @param[in]  w    the walker (mass required).
 * @param[out] out  totals.
 * @return BSTEP_OK, or BSTEP_EINVAL if any input is out of range (out is then unspecified).
 */
BSTEP_API int bstep_energy_session(const bstep_energy_segment *seg, size_t n,
                                   const bstep_energy_walker *w, bstep_energy_session_result *out);

/** One Compendium of Physical Activities entry (gross METs, adult population means). */
typedef struct {
    const char *code;          /**< five-digit activity code, e.g. "17320" */
    int edition_year;          /**< 2011 (Ainsworth et al.) or 2024 (Herrmann et al.) */
    double met;                /**< METs */
    const char *description;   /**< short description */
    bstep_direction direction; /**< FORWARD, BACKWARD, or UNKNOWN (mixed) */
    bstep_gait gait;           /**< WALK or RUN (AUTO: mixed) */
    double speed_min_mph;      /**< speed range in mph, inclusive; NAN: not speed-specific */
    double speed_max_mph;
    double grade_min_pct; /**< grade range, %; NAN: not stated */
    double grade_max_pct;
    int treadmill; /**< 1 for treadmill codes */
} bstep_compendium_entry;

/** Citation of an edition (2011 or 2024), NULL for other years. */
BSTEP_API const char *bstep_compendium_citation(int edition_year);
/** Number of entries in the built-in table (both editions). */
BSTEP_API size_t bstep_compendium_count(void);
/** Entry i (0 .. count-1) or NULL. */
BSTEP_API const bstep_compendium_entry *bstep_compendium_entry_at(size_t i);
/**
 * @brief The METs of a code in an edition.
 * @param[in]  code  e.g. "17325".
 * @param[in]  edition_year 2011 or 2024.
 * @param[out] out   the entry (static storage).
 * @return BSTEP_OK; BSTEP_ENOTFOUND when the edition has no such code (e.g. 17475 in 2011);
 *         BSTEP_EINVAL for NULL or another year.
 */
BSTEP_API int bstep_compendium_lookup(const char *code, int edition_year,
                                      const bstep_compendium_entry **out);
/**
 * @brief The overground (preferred) or treadmill entry describing this activity, if any: same
 * direction and gait, speed within the code's range (+-0.05 mph), grade within its range
 * (+-0.5 %, a level code accepts 0 +- 0.5 %). Overground codes win over treadmill codes.
 * @return BSTEP_OK, BSTEP_ENOTFOUND, or BSTEP_EINVAL (NULL, another year).
 */
BSTEP_API int bstep_compendium_match(const bstep_energy_activity *a, int edition_year,
                                     const bstep_compendium_entry **out);

#ifdef __cplusplus
}
#endif
#endif
