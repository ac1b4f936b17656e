/*
 * One conversion for every way a session arrives: `backstep analyze`, `backstep batch` and
 * `backstep import` (files), and `backstep serve` (uploads and live sessions). An analysis (a
 * motion-sensor recording, src/report/report.h) or an activity analysis (a watch's or treadmill's
 * FIT, TCX or FTMS file) becomes
 *
 *   1. the stored session with its parts (store_analysis.h: the same record whoever stores it,
 *      including the coach's figures of the core summary), recognised again by its checksum;
 *   2. the check-in told with it (pain, wellbeing, stumbled), when there is one;
 *   3. the walker's plan decided again with it (coach_store.h: the whole history replayed in time
 *      order through the core coach, then synced into the plan progress, the plan's level and the
 *      parameters the dashboard shows), so a session recorded live counts for the plan exactly
 *      like one analysed from a file.
 *
 * Concurrency. The plan update of one walker is serialised inside the process (a lock per user,
 * 64 stripes by user id): batch workers and the server's request threads never decide one
 * walker's plan at the same moment. The replay does not depend on the order in which sessions
 * arrive: it always applies them in the order they were walked (start time), so old recordings
 * stored late, in any order, give the same level. `backstep batch` therefore decides the plan once,
 * after its workers are done (decide_plan = 0 per file, then bstep__plan_update), instead of once
 * per file. Two processes deciding one walker's plan at the same moment (an analyze while serve
 * ends a live session) each write what their replay gives; the next decision, by either, corrects
 * a level written from the older snapshot.
 */
#ifndef BSTEP_STORE_SESSION_SAVE_H
#define BSTEP_STORE_SESSION_SAVE_H

#include <stddef.h>
#include <stdint.h>

#include "backstep/coach.h"
#include "report/activity_report.h"
#include "report/report.h"
#include "store/store.h"

typedef struct {
    int64_t user_id;
    int64_t live_id;         /**< > 0: finish this live session (serve) instead of adding one */
    const char *path;        /**< the recording (NULL for a live session) */
    const char *sha256_hex;  /**< NULL or "": computed from path */
    const char *source_path; /**< NULL: the absolute path of path (serve: "upload:NAME") */
    int64_t start_us;        /**< INT64_MIN: the recording's own clock, else the file's time */
    bstep_start_source start_source; /**< with start_us given (BSTEP_START_GIVEN by default) */
    int64_t device_id;               /**< 0: none */
    bstep_axis toe_axis, front_axis; /**< the mounting the analysis used */
    const char *note;                /**< NULL: none */
    int pain_0_10, wellbeing_0_10;   /**< the check-in told with the session; -1: none */
    int stumbled;                    /**< BSTEP_STORE_STUMBLED_* */
    int decide_plan;                 /**< 1: decide the plan now (default); 0: the caller will */
} bstep__session_in;

/** Defaults: a new session of user_id, nothing told, the plan decided. */
void bstep__session_in_init(bstep__session_in *in, int64_t user_id);

typedef struct {
    bstep_store_session s; /**< as stored (when it existed: as it was stored before) */
    int existed;           /**< 1: the same recording was stored before; nothing stored again */
    int checkin_failed;    /**< 1: the session is stored, its check-in is not (message in err) */
    int plan_status;       /**< BSTEP_OK decided, BSTEP_ENOTFOUND no plan, else the error */
    char plan_err[512];    /**< why the plan could not be decided */
    int plan_decided;      /**< 1: decision is the plan's decision of this session */
    bstep_coach_decision decision;
} bstep__session_out;

/**
 * Store an analysis as a session (a = NULL: a live session that could not be analysed, stored
 * with every figure unknown), its check-in, and decide the plan. @return the store's status of
 * the session (BSTEP_OK also when it existed); err names the file on failure. The check-in and
 * the plan are reported in out (a failing plan update does not undo the stored session).
 */
int bstep__session_save(bstep_store *st, const bstep__analysis *a, const bstep__session_in *in,
                        bstep__session_out *out, char *err, size_t err_len);

/** The same for an activity analysis (FIT, TCX, FTMS), with its records as the session's series
 * (source "fit", "tcx" or "ftms"). in->live_id must be 0. */
int bstep__session_save_activity(bstep_store *st, const bstep__activity_analysis *a,
                                 const bstep__session_in *in, bstep__session_out *out, char *err,
                                 size_t err_len);

/**
 * Decide the user's plan again from the store and sync it (replay, plan progress, level), under
 * the user's lock. session_id > 0: *d receives that session's decision and *decided = 1 (d and
 * decided may be NULL). @return BSTEP_OK, BSTEP_ENOTFOUND (no active plan: nothing to do), or the
 * error (message in err).
 */
int bstep__plan_update(bstep_store *st, int64_t user_id, int64_t session_id,
                       bstep_coach_decision *d, int *decided, char *err, size_t err_len);

#endif
