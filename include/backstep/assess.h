/*
 * Session assessment: the technique scores of one session, each with a documented definition, unit
 * and band, and the things to work on next time, chosen by rules from measured faults. Pure
 * functions of a bstep_summary_values (the one session summary), so text, JSON, the store and the
 * dashboard all say the same. Definitions, thresholds and their reasons: docs/coach.md section 2.
 *
 * Scores (value in the unit named; NAN when not measured or too few strides):
 *   toe_first   share of backward strides landing toes first, 0..1 (foot sensors)
 *   rhythm      backward stride-time CV, % (pooled within runs; all strides when direction is
 *               not measured)
 *   evenness    backward stride-length CV, % (foot sensors)
 *   symmetry    left/right step-time asymmetry, % (trunk and pocket sensors)
 *   posture     mean forward trunk lean, deg (trunk sensors that report posture)
 *   look_backs  trunk twists to look behind, per minute of backward walking
 * Bands: GOOD, FAIR, WORK_ON. A coach gate passes when its score is not WORK_ON.
 *
 * Nothing here is a medical assessment; the advice is about walking technique and safety.
 * Added in 0.1.
 */
#ifndef BACKSTEP_ASSESS_H
#define BACKSTEP_ASSESS_H

#include <stddef.h>

#include "backstep/export.h"
#include "backstep/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Technique scores. Append only. */
typedef enum {
    BSTEP_SCORE_TOE_FIRST = 0,
    BSTEP_SCORE_RHYTHM,
    BSTEP_SCORE_EVENNESS,
    BSTEP_SCORE_SYMMETRY,
    BSTEP_SCORE_POSTURE,
    BSTEP_SCORE_LOOK_BACKS,
    BSTEP_SCORE_COUNT
} bstep_score_id;

/** Where a score stands. */
typedef enum {
    BSTEP_BAND_UNKNOWN = 0, /**< not measured */
    BSTEP_BAND_GOOD,
    BSTEP_BAND_FAIR,
    BSTEP_BAND_WORK_ON
} bstep_band;

/** Things to work on, in priority order (safety first). Append only. */
typedef enum {
    BSTEP_ADVICE_NONE = 0,
    BSTEP_ADVICE_FALL,          /**< a fall was detected */
    BSTEP_ADVICE_STUMBLE,       /**< stumbles were detected */
    BSTEP_ADVICE_SLOW_DOWN,     /**< faster than the level allows */
    BSTEP_ADVICE_TOES_FIRST,    /**< too many backward steps not landing toes first */
    BSTEP_ADVICE_STAND_TALL,    /**< leaning forward */
    BSTEP_ADVICE_STEADY_RHYTHM, /**< uneven stride times */
    BSTEP_ADVICE_LOOK_BACKS,    /**< twisting round to look behind */
    BSTEP_ADVICE_EVEN_STRIDES,  /**< uneven stride lengths */
    BSTEP_ADVICE_SYMMETRY,      /**< left and right steps differ */
    BSTEP_ADVICE_WALK_LONGER,   /**< backward time short of the planned minutes */
    BSTEP_ADVICE_COUNT
} bstep_advice_id;

/** Thresholds (docs/coach.md section 2 gives each one's reason). Copy the default, override. */
typedef struct {
    double toe_first_good;          /**< ratio at or above: GOOD; 0.9 */
    double toe_first_fair;          /**< ratio at or above: FAIR, below: WORK_ON; 0.8 */
    double rhythm_good_pct;         /**< CV at or below: GOOD; 3 */
    double rhythm_fair_pct;         /**< CV at or below: FAIR, above: WORK_ON; 5 */
    double evenness_good_pct;       /**< stride-length CV at or below: GOOD; 6 */
    double evenness_fair_pct;       /**< ... FAIR; 10 */
    double symmetry_good_pct;       /**< asymmetry at or below: GOOD; 5 */
    double symmetry_fair_pct;       /**< ... FAIR; 10 */
    double posture_good_deg;        /**< mean forward lean at or below: GOOD; 10 */
    double posture_fair_deg;        /**< ... FAIR; 20 */
    double look_backs_good_per_min; /**< at or below: GOOD; 1 */
    double look_backs_fair_per_min; /**< ... FAIR; 2 */
    unsigned min_strikes;           /**< backward strikes needed for toe_first; 10 */
    unsigned min_strides;           /**< backward strides needed for rhythm / evenness; 10 */
    double min_backward_s;          /**< backward time needed for look_backs per minute; 60 */
    double speed_margin;            /**< SLOW_DOWN above speed_max_mps x this; 1.1 */
    double dose_fraction;           /**< WALK_LONGER below planned minutes x this; 0.8 */
} bstep_assess_settings;

BSTEP_API extern const bstep_assess_settings bstep_assess_default_settings;

/** What the session was meant to be (from the plan); NAN = no plan / no limit. */
typedef struct {
    double speed_max_mps;      /**< the level's top speed */
    double planned_backward_s; /**< planned backward walking time */
} bstep_assess_context;

/** One score. */
typedef struct {
    bstep_score_id id;
    double value; /**< in the score's unit (bstep_score_unit), NAN = not measured */
    bstep_band band;
} bstep_score;

/** One thing to work on. */
typedef struct {
    bstep_advice_id id;
    bstep_band band; /**< WORK_ON for faults, FAIR for "could be better"; safety items WORK_ON */
    double measured; /**< the value that triggered it (unit: bstep_advice_unit) */
    double target;   /**< the value to reach (NAN when the target is "none": falls, stumbles) */
} bstep_advice;

#define BSTEP_ASSESS_MAX_ADVICE 3

/** Assessment of one session. */
typedef struct {
    bstep_score score[BSTEP_SCORE_COUNT]; /**< indexed by bstep_score_id */
    size_t n_advice;                      /**< 0..3 */
    bstep_advice advice[BSTEP_ASSESS_MAX_ADVICE];
    size_t n_faults;       /**< all rules that fired (may exceed 3) */
    unsigned not_measured; /**< BSTEP_MEASURE_* bits this sensor did not measure */
} bstep_assessment;

/**
 * @brief Assess a session.
 * @param[in] s    the session summary (bstep_summary_get()).
 * @param[in] ctx  plan context, or NULL (no plan: no SLOW_DOWN, no WALK_LONGER).
 * @param[in] cfg  thresholds, or NULL for bstep_assess_default_settings.
 * @param[out] out filled on success.
 * @return BSTEP_OK, or BSTEP_EINVAL (NULL s/out, thresholds out of order or non-finite).
 *
 * Advice: every rule that fires on a measured value is ranked, WORK_ON before FAIR, then by
 * bstep_advice_id (safety first); the first three are kept. No rule fires on an unknown value.
 */
BSTEP_API int bstep_assess_session(const bstep_summary_values *s, const bstep_assess_context *ctx,
                                   const bstep_assess_settings *cfg, bstep_assessment *out);

/** Band of a score value under the settings (cfg NULL = defaults). */
BSTEP_API bstep_band bstep_assess_band(bstep_score_id id, double value,
                                       const bstep_assess_settings *cfg);

/** Stable names: "toe_first", "rhythm", "evenness", "symmetry", "posture", "look_backs". */
BSTEP_API const char *bstep_score_name(bstep_score_id id);
/** Unit of a score: "ratio", "%", "deg", "per min". */
BSTEP_API const char *bstep_score_unit(bstep_score_id id);
/** One-line definition of a score (plain words). */
BSTEP_API const char *bstep_score_definition(bstep_score_id id);
/** "good", "fair", "work on", "not measured". */
BSTEP_API const char *bstep_band_name(bstep_band b);
/** Stable names: "fall", "stumble", "slow_down", "toes_first", ... */
BSTEP_API const char *bstep_advice_name(bstep_advice_id id);
/** What to do next time, in plain words (no numbers; the report adds measured and target). */
BSTEP_API const char *bstep_advice_text(bstep_advice_id id);
/** Why the rule exists (the documented reason, short). */
BSTEP_API const char *bstep_advice_reason(bstep_advice_id id);
/** Unit of bstep_advice.measured / target: "count", "m/s", "ratio", "deg", "%", "per min", "s". */
BSTEP_API const char *bstep_advice_unit(bstep_advice_id id);

#ifdef __cplusplus
}
#endif
#endif
