/*
 * The coach: evidence-based plans as data (each with its source), progression levels, a safety
 * screening at plan start, gates on measured sessions that decide when a walker moves up, holds or
 * moves back, today's session and adherence. Pure: no I/O, no allocation, no clock (the caller
 * passes dates as day numbers). Persistence is the store's job: it keeps the plan (id, start day,
 * screening answers), the sessions, check-ins and adjustments, and replays them through
 * bstep_coach_* in date order; the decisions come out the same every time.
 *
 * Rules (docs/coach.md has every threshold with its reason and source):
 *   - everyone starts at level 1 (treadmill, slow, holding the rails);
 *   - a walker moves up only when the last sessions at the level pass every gate: enough sessions
 *     at the level, the planned backward minutes walked, no stumble or fall (measured, or reported
 *     in the check-in), toe-first landing, steady rhythm and upright posture where measured, pain
 *     not rising; nobody moves up by the calendar alone;
 *   - a stumble moves the walker back one level; a fall moves them back to level 1 and pauses the
 *     plan until a health professional has been consulted (bstep_coach_adjust CLEARED);
 *   - pain of 7/10 or more pauses the plan; pain 2 points above the starting value holds it;
 *   - the screening can cap the level (supported walking only), require a therapist, or require
 *     clearance by a health professional before the first session.
 * backstep makes no medical claims: plans follow published training doses, the gates are about
 * walking safely, and anything about health is referred to a health professional.
 *
 * Days: int32 day numbers, days since 1970-01-01 in the walker's local calendar
 * (bstep_day_from_civil / bstep_day_to_civil). Bytes per plan in progress: sizeof(bstep_coach),
 * under 1 kB (968 on x86-64). Added in 0.1.
 */
#ifndef BACKSTEP_COACH_H
#define BACKSTEP_COACH_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/export.h"
#include "backstep/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- plans ------------------------------------------------------------------------------ */

/** Plans. Append only (the store keeps the name, not the number). */
typedef enum {
    BSTEP_PLAN_GENERAL = 0,      /**< 3-4 sessions a week, 10-15 min */
    BSTEP_PLAN_KNEE_OA,          /**< knee osteoarthritis: 10 min, 3 a week, 6 weeks */
    BSTEP_PLAN_STROKE,           /**< stroke rehabilitation: 30 min, 3 a week, 4 weeks, therapist */
    BSTEP_PLAN_HAMSTRING_LBP,    /**< hamstring flexibility / low back: 10-15 min, 4-7 days a
                                      week, 4 weeks */
    BSTEP_PLAN_BACKWARD_RUNNING, /**< backward running progression: forward/backward intervals */
    BSTEP_PLAN_COUNT
} bstep_plan_id;

/** A plan: a published dose and how backstep follows it. Static data. */
typedef struct {
    bstep_plan_id id;
    const char *name;          /**< stable key: "general", "knee-oa", "stroke", "hamstring-lbp",
                                    "backward-running" */
    const char *title;         /**< "General retro walking" */
    int sessions_per_week_min; /**< planned sessions a week */
    int sessions_per_week_max; /**< more are fine up to this */
    int minutes_min;           /**< backward walking minutes per session (first sessions) */
    int minutes_max;           /**< ... once settled at a level */
    int weeks;                 /**< programme length; 0 = open-ended */
    int level_max;             /**< highest level this plan uses */
    int supervised;            /**< 1: sessions with a therapist (the plan says so) */
    const char *dose;          /**< the dose in plain words */
    const char *source;        /**< citation of the study or guidance the dose comes from */
    const char *notes;         /**< how backstep applies it, and what it does not claim */
} bstep_plan;

/** @return the plan, or NULL for an unknown id. */
BSTEP_API const bstep_plan *bstep_plan_get(bstep_plan_id id);
/** @return BSTEP_OK, or BSTEP_EINVAL for an unknown name (out unchanged). */
BSTEP_API int bstep_plan_parse(const char *name, bstep_plan_id *out);

/* ---- levels ----------------------------------------------------------------------------- */

#define BSTEP_LEVEL_COUNT 5

/** A progression level. Static data; number 1..BSTEP_LEVEL_COUNT. */
typedef struct {
    int number;
    const char *name;     /**< "treadmill-slow", "treadmill-faster", "treadmill-incline",
                               "outdoors-spotter", "backward-jogging" */
    const char *title;    /**< "Treadmill, slow, holding the rails" */
    const char *how;      /**< plain instructions for a session at this level */
    double speed_min_mps; /**< suggested speed range */
    double speed_max_mps; /**< the cue "slow down" uses it */
    double grade_min_pct; /**< treadmill incline range */
    double grade_max_pct;
    int treadmill;                /**< on a treadmill */
    int rails;                    /**< 2 holding the rails, 1 light touch / within reach, 0 free */
    int spotter;                  /**< someone watching */
    int jogging;                  /**< backward jogging intervals */
    int min_sessions;             /**< sessions at this level before moving up */
    double advance_speed_min_mps; /**< moving up also needs this backward speed; NAN = no gate */
} bstep_level;

/** @return level 1..BSTEP_LEVEL_COUNT, or NULL. */
BSTEP_API const bstep_level *bstep_level_get(int number);

/* ---- safety screening ------------------------------------------------------------------- */

/** Answers: 1 yes, 0 no, -1 not answered. Questions: docs/coach.md section 3. */
typedef struct {
    int fell_past_year;  /**< fallen in the past 12 months (CDC STEADI key question) */
    int unsteady;        /**< feels unsteady when standing or walking (STEADI) */
    int worried_falling; /**< worries about falling (STEADI) */
    int heart_condition; /**< told of a heart condition or high blood pressure (PAR-Q+) */
    int chest_pain;      /**< chest pain at rest, in daily life or with activity (PAR-Q+) */
    int dizziness;       /**< loses balance from dizziness or lost consciousness in the
                              past 12 months (PAR-Q+) */
    int told_supervised; /**< a health professional said to be active only with
                              supervision or within limits (PAR-Q+) */
    int recent_surgery;  /**< surgery or injury of a leg, hip or the back in the past
                              6 months */
    int neuro_condition; /**< stroke, Parkinson's disease, multiple sclerosis, neuropathy
                              or another condition affecting balance */
    int pain_0_10;       /**< pain now, 0..10 (numeric rating scale), -1 not answered */
    int age_y;           /**< years, -1 not given */
} bstep_screening;

/** Screening outcome flags. */
#define BSTEP_SCREEN_CONSULT_FIRST  0x01u /**< see a health professional before starting */
#define BSTEP_SCREEN_SUPPORTED_ONLY 0x02u /**< treadmill with rails only (levels 1-3) */
#define BSTEP_SCREEN_SUPERVISED     0x04u /**< someone must be with them every session */
#define BSTEP_SCREEN_PAIN_HIGH      0x08u /**< pain >= 7/10 now: consult first */
#define BSTEP_SCREEN_INCOMPLETE     0x10u /**< some questions not answered: treated as "yes" */

/** Reasons a screening gives, one per answer that changes the plan. */
typedef enum {
    BSTEP_SCREEN_REASON_FELL = 0,
    BSTEP_SCREEN_REASON_UNSTEADY,
    BSTEP_SCREEN_REASON_WORRIED,
    BSTEP_SCREEN_REASON_HEART,
    BSTEP_SCREEN_REASON_CHEST_PAIN,
    BSTEP_SCREEN_REASON_DIZZINESS,
    BSTEP_SCREEN_REASON_TOLD_SUPERVISED,
    BSTEP_SCREEN_REASON_SURGERY,
    BSTEP_SCREEN_REASON_NEURO,
    BSTEP_SCREEN_REASON_PAIN_HIGH,
    BSTEP_SCREEN_REASON_AGE,
    BSTEP_SCREEN_REASON_UNANSWERED,
    BSTEP_SCREEN_REASON_PLAN_SUPERVISED,
    BSTEP_SCREEN_REASON_COUNT
} bstep_screen_reason;

typedef struct {
    unsigned flags; /**< BSTEP_SCREEN_* */
    int level_max;  /**< the plan's top level after the screening */
    size_t n_reasons;
    bstep_screen_reason reasons[BSTEP_SCREEN_REASON_COUNT];
} bstep_screening_result;

/** All questions unanswered (-1). */
BSTEP_API void bstep_screening_init(bstep_screening *s);
/**
 * @brief The yes/no answer of the question called @p name, by the names of `backstep plan start`
 * and the API (fell, unsteady, worried, heart, chest-pain, dizziness, told-supervised, surgery,
 * balance-condition). @return its field in @p s, or NULL for an unknown name (pain and age are
 * numbers, not yes/no answers: NULL too).
 */
BSTEP_API int *bstep_screening_question(bstep_screening *s, const char *name);
/**
 * @brief Evaluate the screening for a plan.
 * Consult first: heart condition, chest pain, dizziness/fainting, surgery in the past 6 months,
 * pain >= 7. Supported only (levels 1-3, someone with them): a fall in the past year, unsteady,
 * worried about falling, a neurological condition, told to be supervised, age >= 65. Unanswered
 * questions count as "yes" (and INCOMPLETE is set): the safe side.
 * @return BSTEP_OK or BSTEP_EINVAL (NULL, an answer out of range, unknown plan).
 */
BSTEP_API int bstep_screening_evaluate(const bstep_screening *s, bstep_plan_id plan,
                                       bstep_screening_result *out);
/** The question in plain words (for the interactive screening). */
BSTEP_API const char *bstep_screen_reason_question(bstep_screen_reason r);
/** What the answer changes, in plain words. */
BSTEP_API const char *bstep_screen_reason_text(bstep_screen_reason r);
/** Stable names ("fell", "unsteady", ...). */
BSTEP_API const char *bstep_screen_reason_name(bstep_screen_reason r);

/* ---- sessions and check-ins ------------------------------------------------------------- */

/** A session as the coach sees it. NAN / -1 = not measured or not answered. */
typedef struct {
    int32_t day;            /**< day number */
    double backward_time_s; /**< time walking (or jogging) backward */
    double walking_time_s;
    double toe_first_ratio; /**< 0..1 */
    int toe_first_strikes;  /**< backward strikes behind the ratio */
    double rhythm_cv_pct;   /**< backward stride-time CV (all strides if direction unknown) */
    int rhythm_strides;     /**< strides behind it */
    double trunk_lean_deg;  /**< mean forward lean */
    double speed_backward_mps;
    int stumbles;         /**< measured, -1 not measured by this sensor */
    int falls;            /**< measured, -1 not measured */
    int stumble_reported; /**< check-in: "did you stumble or lose your balance?" 1/0/-1 */
    int pain_0_10;        /**< check-in, -1 none */
    int wellbeing_0_10;   /**< check-in, -1 none */
} bstep_coach_session;

/** A session with nothing measured or answered (NAN / -1) on that day. */
BSTEP_API void bstep_coach_session_init(bstep_coach_session *s, int32_t day);
/** Fill the measured part from a session summary (one source of truth). */
BSTEP_API void bstep_coach_session_from_summary(bstep_coach_session *s,
                                                const bstep_summary_values *v);

/* ---- gates and decisions ---------------------------------------------------------------- */

/** Gates. Append only. */
typedef enum {
    BSTEP_GATE_SESSIONS = 0, /**< sessions at the level >= the level's min_sessions */
    BSTEP_GATE_DOSE,         /**< each of the last sessions: backward minutes >= 80 % of plan */
    BSTEP_GATE_NO_STUMBLES,  /**< no stumble or fall in the last sessions (measured or reported) */
    BSTEP_GATE_TOE_FIRST,    /**< toe-first ratio >= 0.8 in each (where measured) */
    BSTEP_GATE_RHYTHM,       /**< stride-time CV <= 5 % in each */
    BSTEP_GATE_POSTURE,      /**< forward lean <= 20 deg in each (where measured) */
    BSTEP_GATE_PAIN,         /**< no check-in with pain >= start + 2 or >= 7 */
    BSTEP_GATE_SPEED,        /**< backward speed >= the level's advance_speed_min_mps */
    BSTEP_GATE_LEVEL_CAP,    /**< below the plan's (and screening's) top level */
    BSTEP_GATE_COUNT
} bstep_gate_id;

typedef enum {
    BSTEP_GATE_PASS = 0,
    BSTEP_GATE_FAIL,
    BSTEP_GATE_UNKNOWN,       /**< needed but not measured / not answered: blocks */
    BSTEP_GATE_NOT_MEASURED,  /**< this sensor cannot measure it: does not block, said */
    BSTEP_GATE_NOT_APPLICABLE /**< not a gate at this level */
} bstep_gate_status;

typedef struct {
    bstep_gate_id id;
    bstep_gate_status status;
    double value;     /**< the worst value over the sessions looked at (NAN if none) */
    double threshold; /**< NAN when not a number gate */
    int sessions;     /**< sessions looked at */
} bstep_gate_result;

/** What the coach did after a session, check-in or adjustment. */
typedef enum {
    BSTEP_COACH_HOLD = 0, /**< stay at the level */
    BSTEP_COACH_ADVANCE,  /**< move up one level */
    BSTEP_COACH_BACK,     /**< move back (stumble: one level; fall: to level 1) */
    BSTEP_COACH_PAUSE,    /**< no sessions until cleared (fall, high pain, screening) */
    BSTEP_COACH_RESUME,   /**< cleared: sessions may start or continue */
    BSTEP_COACH_SET       /**< level set by hand (a therapist's decision) */
} bstep_coach_action;

/** The main reason of a decision. Append only. */
typedef enum {
    BSTEP_COACH_REASON_GATES_PASSED = 0, /**< every gate passed */
    BSTEP_COACH_REASON_GATES_NOT_MET,    /**< some gate failed or is unknown (see gates) */
    BSTEP_COACH_REASON_TOP_LEVEL,        /**< already at the plan's top level */
    BSTEP_COACH_REASON_STUMBLE,          /**< a stumble (measured or reported) */
    BSTEP_COACH_REASON_FALL,             /**< a fall */
    BSTEP_COACH_REASON_PAIN_HIGH,        /**< pain >= 7 */
    BSTEP_COACH_REASON_PAIN_UP,          /**< pain >= start + 2 */
    BSTEP_COACH_REASON_PAUSED,           /**< session while paused: recorded, nothing changes */
    BSTEP_COACH_REASON_CONSULT_FIRST,    /**< the screening asks for a professional first */
    BSTEP_COACH_REASON_CLEARED,          /**< a professional cleared the walker */
    BSTEP_COACH_REASON_BY_HAND,          /**< level set by hand */
    BSTEP_COACH_REASON_CHECKIN,          /**< a check-in without a session */
    BSTEP_COACH_REASON_STARTED,          /**< the plan started */
    BSTEP_COACH_REASON_COUNT
} bstep_coach_reason;

typedef struct {
    bstep_coach_action action;
    bstep_coach_reason reason;
    bstep_coach_reason also; /**< a second reason (e.g. PAIN_HIGH with a STUMBLE), or
                                  BSTEP_COACH_REASON_COUNT when none */
    int level_from, level_to;
    int paused;                                /**< after the decision */
    bstep_gate_result gates[BSTEP_GATE_COUNT]; /**< indexed by bstep_gate_id (sessions only) */
    int gates_evaluated;                       /**< 1 when gates[] was filled */
} bstep_coach_decision;

/** Gate thresholds (docs/coach.md section 5). Copy the default and override. */
typedef struct {
    int window;                /**< last sessions at the level the gates look at; 3 (1..8) */
    double dose_fraction;      /**< of the plan's minutes_min; 0.8 */
    double toe_first_min;      /**< 0.8 */
    int toe_first_min_strikes; /**< fewer strikes: not measured in that session; 10 */
    double rhythm_max_pct;     /**< 5 */
    int rhythm_min_strides;    /**< 10 */
    double lean_max_deg;       /**< 20 */
    int pain_rise;             /**< hold when pain >= start + this; 2 */
    int pain_pause;            /**< pause when pain >= this; 7 */
} bstep_coach_settings;

BSTEP_API extern const bstep_coach_settings bstep_coach_default_settings;

#define BSTEP_COACH_WINDOW_MAX 8

/** Plan progress: caller-owned, fixed memory. All members are private. */
typedef struct {
    bstep_coach_settings cfg;
    bstep_plan_id plan;
    int32_t start_day;
    bstep_screening_result screen;
    int level;
    int level_max;
    int paused;
    bstep_coach_reason pause_reason;
    int sessions_total;
    int sessions_at_level;
    int32_t level_since_day;
    int pain_start; /* -1 unknown: the first check-in sets it */
    int pain_last;  /* latest pain of any check-in, -1 none */
    int cleared;    /* a professional cleared the walker (SET_LEVEL may pass the cap) */
    int recent_n;
    bstep_coach_session recent[BSTEP_COACH_WINDOW_MAX]; /* newest last, at this level */
    int32_t last_day;
} bstep_coach;

/**
 * @brief Start a plan.
 * @param[in] cfg       gate settings, NULL = defaults.
 * @param[in] screening the answers (NULL = all unanswered, the safe side).
 * @param[in] start_day first day of the plan.
 * @param[out] first    the first decision (RESUME, or PAUSE with CONSULT_FIRST); may be NULL.
 * @return BSTEP_OK or BSTEP_EINVAL.
 */
BSTEP_API int bstep_coach_init(bstep_coach *c, bstep_plan_id plan, const bstep_screening *screening,
                               int32_t start_day, const bstep_coach_settings *cfg,
                               bstep_coach_decision *first);
/**
 * @brief A session was done (its measures and its check-in). Sessions must come in date order
 * (the same day twice is fine).
 * @return BSTEP_OK, or BSTEP_EINVAL (NULL, a date before the previous one or the start, values
 *         out of range: ratios 0..1, pain 0..10).
 */
BSTEP_API int bstep_coach_add_session(bstep_coach *c, const bstep_coach_session *s,
                                      bstep_coach_decision *out);
/**
 * @brief A check-in without a session: pain and wellbeing (0..10 or -1) and the answer to "did you
 * stumble or lose your balance?" (1 yes, 0 no, -1 not answered). Pain of 7 or more pauses the plan;
 * a stumble moves back one level and the count at the level starts again, as a session's stumble
 * does (at level 1 the walker stays; while paused nothing changes).
 * @return BSTEP_OK, or BSTEP_EINVAL (NULL, a day before the previous one, values out of range).
 */
BSTEP_API int bstep_coach_checkin(bstep_coach *c, int32_t day, int pain_0_10, int wellbeing_0_10,
                                  int stumbled, bstep_coach_decision *out);

/** Adjustments by hand. */
typedef enum {
    BSTEP_ADJUST_CLEARED = 0, /**< a health professional has cleared the walker: resume */
    BSTEP_ADJUST_PAUSE,       /**< pause the plan (illness, holiday) */
    BSTEP_ADJUST_RESUME,      /**< resume after a pause that needs no clearance */
    BSTEP_ADJUST_SET_LEVEL    /**< set the level (a therapist's decision), 1..plan top level */
} bstep_adjust_kind;

/**
 * @brief Apply an adjustment. SET_LEVEL cannot go above the screening's cap unless the walker has
 * been cleared; RESUME cannot lift a pause that needs clearance (fall, pain, screening).
 * @return BSTEP_OK, BSTEP_EINVAL (bad arguments), BSTEP_ERANGE (not allowed now; nothing changed).
 */
BSTEP_API int bstep_coach_adjust(bstep_coach *c, int32_t day, bstep_adjust_kind kind, int level,
                                 bstep_coach_decision *out);

/** Where the walker stands. */
typedef struct {
    bstep_plan_id plan;
    int level;
    int level_max;
    int paused;
    bstep_coach_reason pause_reason; /**< when paused */
    int sessions_total;
    int sessions_at_level;
    int32_t start_day;
    int32_t end_day; /**< last day of the programme (start + 7 x weeks - 1); -1 if open */
    int32_t level_since_day;
    unsigned screen_flags;
} bstep_coach_status;

BSTEP_API void bstep_coach_get_status(const bstep_coach *c, bstep_coach_status *out);

/* ---- today and adherence ---------------------------------------------------------------- */

/** Today's session. */
typedef struct {
    int session_day; /**< 1 when a session is planned today (or due to catch up) */
    int catch_up;    /**< 1 when today is not a regular day but the week is behind */
    int paused;      /**< no session: the plan is paused */
    int finished;    /**< the programme's weeks are over */
    int level;
    int minutes; /**< backward minutes */
    double speed_min_mps, speed_max_mps;
    double grade_min_pct, grade_max_pct;
    int rails, spotter, supervised, jogging;
    int interval_forward_s, interval_backward_s; /**< jogging intervals, 0 when none */
    int sessions_this_week, sessions_week_target;
} bstep_coach_today;

/**
 * @brief Today's session from the status and the sessions already done this plan week.
 * @param[in] sessions_this_week sessions done in the current plan week (weeks start on the
 *            plan's start day), today's included if already done.
 */
BSTEP_API int bstep_coach_get_today(const bstep_coach *c, int32_t today, int sessions_this_week,
                                    bstep_coach_today *out);

/** 1 when the plan schedules a session on day (fixed week pattern from the start day), else 0. */
BSTEP_API int bstep_plan_is_session_day(bstep_plan_id plan, int32_t start_day, int32_t day);
/** Planned sessions in [start_day, day] (inclusive; capped at the programme's end). */
BSTEP_API int bstep_plan_sessions_planned(bstep_plan_id plan, int32_t start_day, int32_t day);

/* ---- names ------------------------------------------------------------------------------ */

BSTEP_API const char *bstep_gate_name(bstep_gate_id g);            /**< "sessions", "dose", ... */
BSTEP_API const char *bstep_gate_text(bstep_gate_id g);            /**< the rule in plain words */
BSTEP_API const char *bstep_gate_reason(bstep_gate_id g);          /**< why (short, with source) */
BSTEP_API const char *bstep_gate_status_name(bstep_gate_status s); /**< "pass", "fail", ... */
BSTEP_API const char *bstep_coach_action_name(bstep_coach_action a); /**< "hold", "advance", ... */
BSTEP_API const char *bstep_coach_reason_name(bstep_coach_reason r);
BSTEP_API const char *bstep_coach_reason_text(bstep_coach_reason r); /**< plain words */

/* ---- dates ------------------------------------------------------------------------------ */

/** Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil algorithm). */
BSTEP_API int32_t bstep_day_from_civil(int year, int month, int day);
/** Inverse of bstep_day_from_civil. */
BSTEP_API void bstep_day_to_civil(int32_t day, int *year, int *month, int *mday);
/** Day of the week, 0 = Monday .. 6 = Sunday. */
BSTEP_API int bstep_day_weekday(int32_t day);

#ifdef __cplusplus
}
#endif
#endif
