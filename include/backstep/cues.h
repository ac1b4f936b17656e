/*
 * Real-time coaching cues: a streaming engine fed by the analyzer's events (or a console's own
 * belt speed) that decides what to say to the walker and when, so a treadmill console or a phone
 * can speak it. Caller-owned, fixed memory, no allocation; feeding events one at a time or in
 * blocks gives identical cues.
 *
 * Cues, highest priority first:
 *   FALL        "Fall detected - stop. Stay still and call for help if you are hurt."
 *   STUMBLE     "Stumble - stop and hold the rail."
 *   SLOW_DOWN   "Slow down."       mean speed of the last speed_window strides above the limit
 *                                  x speed_margin (or a fresh belt speed above the limit)
 *   TOES_FIRST  "Toes first."      >= toe_min_faults of the last toe_window backward contacts
 *                                  did not land toes first (heel or flat)
 *   STAND_TALL  "Stand tall."      a POSTURE report with forward lean above lean_max_deg
 *   EVEN_STRIDES "Even strides."   stride-time variability of the last cv_window strides above
 *                                  cv_max_pct, estimated robustly from the median absolute
 *                                  successive difference (1.0483 x median |T_i - T_i-1| / mean
 *                                  T equals SD / mean for steady Gaussian strides), so one odd
 *                                  stride or a change of belt speed does not trigger it
 * SLOW_DOWN and EVEN_STRIDES look at backward strides (and strides of unknown direction); the
 * stride and speed windows start again at every change of direction, bout or data gap.
 *
 * Rate limits (so cues help rather than nag):
 *   - technique cues (SLOW_DOWN .. EVEN_STRIDES) are at least min_gap_s apart (at most
 *     60 / min_gap_s per minute: 4 with the defaults), and the same cue at least repeat_s apart
 *     (60 s: when everything is wrong, each of the four technique cues is heard once a minute);
 *   - after a cue its evidence is cleared: it needs fresh strides to fire again;
 *   - during quiet_after_safety_s after a stumble or fall cue no technique cue is given (the
 *     walker should stop, not listen to technique);
 *   - safety cues (FALL, STUMBLE) are never delayed by technique cues; the same safety cue is not
 *     repeated within safety_repeat_s (one stumble detected twice is spoken once);
 *   - when several cues are due at once the highest priority is spoken; the others wait while
 *     their condition still holds.
 * Thresholds and their reasons: docs/coach.md section 4.
 *
 * Time: a cue's t_us is when it is emitted (the emitted_t_us of the event that triggered it, or
 * the event's own t_us if later); cause_t_us is the time of what caused it.
 * Bytes per instance: sizeof(bstep_cues), under 1 kB. Added in 0.1.
 */
#ifndef BACKSTEP_CUES_H
#define BACKSTEP_CUES_H

#include <stddef.h>

#include "backstep/analyzer.h"
#include "backstep/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Cue kinds; the numeric order is the priority order (lower = more urgent). Append only. */
typedef enum {
    BSTEP_CUE_NONE = 0,
    BSTEP_CUE_FALL,
    BSTEP_CUE_STUMBLE,
    BSTEP_CUE_SLOW_DOWN,
    BSTEP_CUE_TOES_FIRST,
    BSTEP_CUE_STAND_TALL,
    BSTEP_CUE_EVEN_STRIDES,
    BSTEP_CUE_COUNT
} bstep_cue_type;

/** One cue to speak. */
typedef struct {
    bstep_cue_type type;
    bstep_time_us t_us;       /**< when it is given */
    bstep_time_us cause_t_us; /**< time of the event that made it due */
    float value; /**< what was measured: speed m/s, faults in window, lean deg, CV %; NAN for
                      safety cues (confidence there: see the event) */
} bstep_cue;

#define BSTEP_CUES_MAX_WINDOW 16

/** Settings. Copy bstep_cues_default_settings and override. */
typedef struct {
    float min_gap_s;            /**< between technique cues, s; 15 (1 .. 600) */
    float repeat_s;             /**< same technique cue, s; 60 (>= min_gap_s) */
    float safety_repeat_s;      /**< same safety cue, s; 10 (0 .. 600) */
    float quiet_after_safety_s; /**< no technique cue after a safety cue, s; 20 (0 .. 600) */
    float speed_max_mps;        /**< SLOW_DOWN above this, m/s; NAN = off (no limit known) */
    int speed_window;           /**< strides averaged for SLOW_DOWN; 4 (1 .. 16) */
    float speed_margin;         /**< stride speed must exceed the limit x this; 1.1 (1 .. 2) */
    int toe_window;             /**< backward contacts looked at for TOES_FIRST; 6 (2 .. 16) */
    int toe_min_faults;         /**< ... of which at least this many not toes first; 2 */
    float lean_max_deg;         /**< STAND_TALL above this forward lean, deg; 20 (5 .. 60) */
    int cv_window;              /**< strides for EVEN_STRIDES; 10 (5 .. 16) */
    float cv_max_pct;           /**< EVEN_STRIDES above this variability, %; 8 (1 .. 50) */
    float stride_max_s;         /**< longer stride times (pauses, turns) are not strides, s; 3 */
} bstep_cues_settings;

BSTEP_API extern const bstep_cues_settings bstep_cues_default_settings;

/** Engine. All members are private. */
typedef struct {
    bstep_cues_settings cfg;
    bstep_time_us last_any_us;              /* last technique cue */
    bstep_time_us last_safety_us;           /* last safety cue */
    bstep_time_us last_us[BSTEP_CUE_COUNT]; /* last time of each cue */
    int have_last[BSTEP_CUE_COUNT];
    int have_any, have_safety;
    /* evidence windows (rings) */
    float speed[BSTEP_CUES_MAX_WINDOW];
    int speed_n, speed_head;
    unsigned char toe_fault[BSTEP_CUES_MAX_WINDOW];
    int toe_n, toe_head;
    float stride_s[BSTEP_CUES_MAX_WINDOW];
    int stride_n, stride_head;
    float lean_deg; /* last posture report above the limit, NAN if none pending */
    bstep_time_us lean_t_us;
    bstep_time_us cause_us[BSTEP_CUE_COUNT]; /* newest evidence time per cue */
    double prev_step_s;       /* trunk: previous step time (strides are step pairs) */
    bstep_direction prev_dir; /* direction of the previous contact */
    float external_speed_mps; /* from bstep_cues_speed(), NAN if none */
    bstep_time_us external_speed_t_us;
    unsigned long long counts[BSTEP_CUE_COUNT];
} bstep_cues;

/** @return BSTEP_OK or BSTEP_EINVAL (NULL, settings out of range). */
BSTEP_API int bstep_cues_init(bstep_cues *c, const bstep_cues_settings *cfg);
/** Back to the state just after init (same settings). */
BSTEP_API void bstep_cues_reset(bstep_cues *c);
/** Change the speed limit while running (a new level, a new belt setting); NAN = off. */
BSTEP_API void bstep_cues_set_speed_max(bstep_cues *c, float speed_max_mps);
/**
 * @brief Feed one analyzer event.
 * @param[out] out cues to give now (at most one technique cue and one safety cue per call).
 * @param[in]  cap capacity of out; 2 never loses a cue.
 * @return the number of cues written.
 */
BSTEP_API size_t bstep_cues_update(bstep_cues *c, const bstep_event *e, bstep_cue *out, size_t cap);
/** Feed n events: exactly a loop over bstep_cues_update(); out needs 2 x n places at most. */
BSTEP_API size_t bstep_cues_update_block(bstep_cues *c, const bstep_event *e, size_t n,
                                         bstep_cue *out, size_t cap);
/**
 * @brief A speed measured outside the gait engine (treadmill belt, FTMS), m/s, at t_us. Replaces
 * the stride-based speed for SLOW_DOWN while it is fresher than 5 s. Can emit SLOW_DOWN.
 * @return the number of cues written (0 or 1).
 */
BSTEP_API size_t bstep_cues_speed(bstep_cues *c, bstep_time_us t_us, float speed_mps,
                                  bstep_cue *out, size_t cap);
/** Cues given so far of one type. */
BSTEP_API unsigned long long bstep_cues_count(const bstep_cues *c, bstep_cue_type t);

/** What to say: "Toes first.", "Stumble - stop and hold the rail.", ... (plain ASCII). */
BSTEP_API const char *bstep_cue_text(bstep_cue_type t);
/** Stable names: "fall", "stumble", "slow_down", "toes_first", "stand_tall", "even_strides". */
BSTEP_API const char *bstep_cue_name(bstep_cue_type t);
/** 1 for FALL and STUMBLE. */
BSTEP_API int bstep_cue_is_safety(bstep_cue_type t);

#ifdef __cplusplus
}
#endif
#endif
