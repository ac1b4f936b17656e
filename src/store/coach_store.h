/*
 * The coach over the store, shared by `backstep plan`, `analyze` and `checkin`: the walker's
 * active plan is replayed from what the store holds (the plan and its screening answers, the
 * sessions since the plan started with their check-ins, standalone check-ins, and the adjustments
 * made by hand), in time order, through the pure coach (src/core/coach.c). The decisions are
 * therefore always the same for the same history; the plan progress table keeps them for the
 * dashboard (one entry per session decided, plus the adjustments).
 *
 * Stored adjustments (plan_progress kinds): "cleared", "pause-by-hand", "resume-by-hand",
 * "set-level". Decision entries: "start", "level-up", "level-down", "hold", "pause", "resume".
 */
#ifndef BSTEP_STORE_COACH_H
#define BSTEP_STORE_COACH_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/coach.h"
#include "store/store.h"

/** One decision of the replay. */
typedef struct {
    int64_t session_id; /**< 0: not a session (start, check-in, adjustment) */
    int64_t at_us;
    int32_t day;
    char kind[32]; /**< "session", "checkin", "cleared", ... */
    bstep_coach_decision d;
} bstep__plan_step;

typedef struct {
    bstep_store_plan plan;
    bstep_store_answer *answers;
    size_t n_answers;
    bstep_plan_id plan_id;
    bstep_screening screening;
    int32_t start_day;
    bstep_coach coach;
    bstep_coach_decision first;
    bstep__plan_step *steps;
    size_t n_steps;
    int sessions_done;      /**< sessions from the start up to `today` */
    int sessions_this_week; /**< in the plan week of `today` */
    int32_t today;
    int stored_level; /**< the plan's level as the replay read it (before bstep__plan_sync) */
} bstep__plan_state;

/** Local calendar day number of a time. */
int32_t bstep__local_day(int64_t t_us);
/** Today (local). */
int32_t bstep__today(void);
/** Local noon of a day number, microseconds (for adjustments given by date). */
int64_t bstep__day_noon_us(int32_t day);

/** Screening answers <-> store question/answer pairs ("fell" = "yes"|"no"|"unanswered", ...). */
size_t bstep__screening_to_answers(const bstep_screening *s, bstep_store_answer *out, size_t cap);
void bstep__screening_from_answers(const bstep_store_answer *a, size_t n, bstep_screening *s);

/**
 * Replay the user's active plan up to and including day `today` (events after it are ignored).
 * @return BSTEP_OK, BSTEP_ENOTFOUND (no active plan, or its kind is not a known plan), or the
 *   store's error (message in err).
 */
int bstep__plan_replay(bstep_store *st, int64_t user_id, int32_t today, bstep__plan_state *out,
                       char *err, size_t err_len);
void bstep__plan_state_free(bstep__plan_state *ps);
/** The decision of a session in a replay, or NULL. */
const bstep__plan_step *bstep__plan_step_of(const bstep__plan_state *ps, int64_t session_id);

/**
 * Bring the store up to date with a replay: a progress entry for every session decided that has
 * none yet (and for a level that differs from the stored one), and the plan's parameters (what the
 * dashboard shows: dose, source, level, status). @return a bstep_status (message in err).
 */
int bstep__plan_sync(bstep_store *st, bstep__plan_state *ps, char *err, size_t err_len);

/**
 * Decide the user's plan: replay (as bstep__plan_replay, up to `today`) and sync, as one
 * transaction holding the user's plan lock (bstep_store_plan_txn_begin), so two writers deciding
 * at once (two uploads, an analyze and a live session) never store a level from the older of
 * their snapshots: the second waits, then replays what the first committed. On success *out
 * holds the replay (free it with bstep__plan_state_free). @return as bstep__plan_replay, or the
 * store's error (message in err); nothing is written on an error.
 */
int bstep__plan_decide(bstep_store *st, int64_t user_id, int32_t today, bstep__plan_state *out,
                       char *err, size_t err_len);
/** For tests only (NULL otherwise): called inside bstep__plan_decide between the replay and the
 * sync, to hold a decision open while another writer tries to decide. */
extern void (*bstep__plan_decide_pause)(int64_t user_id);

/**
 * Today's context of the user's active plan for an analysis (the cue "slow down", the advice to
 * walk longer): the current level's top speed and today's planned backward time.
 * @return BSTEP_OK, or BSTEP_ENOTFOUND (no plan; the outputs are NAN) or the store's error.
 */
int bstep__plan_context(bstep_store *st, int64_t user_id, double *speed_max_mps,
                        double *planned_backward_s);

/** The plan's parameters as JSON for the dashboard (<= cap bytes, valid JSON). */
void bstep__plan_params_json(const bstep__plan_state *ps, char *out, size_t cap);

#endif
