/*
 * The stored form of an analysis (src/report/report.h): the session summary and its parts. Used
 * by `backstep analyze`, `backstep batch` and the server's live sessions.
 */
#ifndef BSTEP_STORE_ANALYSIS_H
#define BSTEP_STORE_ANALYSIS_H

#include "report/activity_report.h"
#include "report/report.h"
#include "store/coach_store.h"
#include "store/store.h"

typedef struct {
    bstep_store_bout *bouts;
    bstep_store_cue *cues;           /* the real-time cues the coach's engine gave */
    bstep_store_session_parts parts; /* the arrays above; steps and events are read from the
                                        analysis row by row while storing (step_at, event_at), so
                                        the analysis must outlive the parts */
} bstep__stored_parts;

/** Recordings whose first timestamp is after 2000-01-01 carry absolute (epoch) times. */
#define BSTEP__EPOCH_MIN_US 946684800000000LL

/**
 * Fill the session record of an analysis (user_id, source_path, sha256_hex, start_us and
 * start_source are the caller's; everything the analysis knows is copied).
 */
void bstep__store_session_from_analysis(const bstep__analysis *a, bstep_store_session *s);
/**
 * Fill the session record of an activity analysis (a watch's or treadmill's FIT, TCX or FTMS
 * file; user, path, checksum and start are the caller's): what the records measure, and the
 * coach's figures from the walking time in the file's direction (backward time and speed when the
 * walk was backward, none when forward, unknown when the direction is); what only a motion
 * sensor measures is unknown (NAN / -1), never 0.
 */
void bstep__store_session_from_activity(const bstep__activity_analysis *a, bstep_store_session *s);
/** The walking bouts of an activity analysis (malloc'd, n_bouts + 1; NULL when out of memory). */
bstep_store_bout *bstep__store_bouts_of_activity(const bstep__activity_analysis *a);
/** The records of an activity analysis as series points (malloc'd; NULL when out of memory). */
bstep_store_series_point *bstep__store_series_of_activity(const bstep__activity_analysis *a);
/**
 * The treadmill and heart-rate readings a recording carries (canonical CSV `speed`, `incline`,
 * `hr` columns, at most one point per second) as series points at absolute times (start_us + the
 * time since the recording's first sample; a second's belt and heart-rate readings in one
 * point), so that the stored session keeps what its energy and heart rate were computed from
 * (import computes them again with what it merges in). *out NULL and *n 0 when the recording has
 * neither.
 * @return BSTEP_OK or BSTEP_ENOMEM.
 */
int bstep__store_series_of_analysis(const bstep__analysis *a, int64_t start_us,
                                    bstep_store_series_point **out, size_t *n);
/** A session record with every figure unknown (NAN, counts -1): a live session that could not
 * be analysed (too few samples) is stored as this, never as zeros. */
void bstep__store_session_unknown(bstep_store_session *s);

/** The bouts, steps, events and cues of an analysis. Returns BSTEP_OK, BSTEP_ENOMEM, or the
 *  analysis's row error (BSTEP_EIO). */
int bstep__store_parts_from_analysis(const bstep__analysis *a, bstep__stored_parts *p);
void bstep__stored_parts_free(bstep__stored_parts *p);

/**
 * The start time of a recorded session: given_us when not INT64_MIN (BSTEP_START_GIVEN); else the
 * recording's own first timestamp when it is an epoch time (BSTEP_START_RECORDING); else the
 * file's modification time minus the recording's duration (BSTEP_START_FILE_TIME, an estimate:
 * most recorders write the file when the recording ends).
 */
/**
 * The assessment of a stored session (include/backstep/assess.h: technique scores and the things
 * to work on) from the figures the store keeps, so the dashboard says what `analyze` said. What
 * the sensor measured is read from the stored unknowns (NAN, -1). The plan context is the one the
 * session was walked in: the top speed of the level of its decision in the plan's replay
 * (src/store/coach_store.h) and that day's planned minutes as `analyze` took them (the plan's
 * lower value for the first session at the level, the upper one after; the lower one when the
 * decision evaluated no gates); none when the session is not in the active plan.
 * @return BSTEP_OK or a bstep_status (out cleared).
 */
int bstep__store_session_assess(bstep_store *st, const bstep_store_session *s,
                                bstep_assessment *out);
/**
 * bstep__store_session_assess in two parts, for many sessions of one walker with one replay (the
 * session list): bstep__store_assess_replay replays the user's active plan as the assessment
 * reads it (1: *ps holds it, free with bstep__plan_state_free; 0: no active plan, or it could not
 * be read: no plan context), and bstep__store_session_assess_in assesses one of that user's
 * sessions in it (ps NULL: without a plan). No store access.
 */
int bstep__store_assess_replay(bstep_store *st, int64_t user_id, bstep__plan_state *ps);
int bstep__store_session_assess_in(const bstep__plan_state *ps, const bstep_store_session *s,
                                   bstep_assessment *out);

int64_t bstep__store_start_of(const bstep__analysis *a, const char *path, int64_t given_us,
                              bstep_start_source *source);

#endif
