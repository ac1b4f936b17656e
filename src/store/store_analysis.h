/*
 * The stored form of an analysis (src/report/report.h): the session summary and its parts. Used
 * by `backstep analyze`, `backstep batch` and the server's live sessions.
 */
#ifndef BSTEP_STORE_ANALYSIS_H
#define BSTEP_STORE_ANALYSIS_H

#include "report/report.h"
#include "store/store.h"

typedef struct {
    bstep_store_bout *bouts;
    bstep_store_step *steps;
    bstep_store_event *events;
    bstep_store_cue *cues;           /* the real-time cues the coach's engine gave */
    bstep_store_session_parts parts; /* points into the arrays above */
} bstep__stored_parts;

/** Recordings whose first timestamp is after 2000-01-01 carry absolute (epoch) times. */
#define BSTEP__EPOCH_MIN_US 946684800000000LL

/**
 * Fill the session record of an analysis (user_id, source_path, sha256_hex, start_us and
 * start_source are the caller's; everything the analysis knows is copied).
 */
void bstep__store_session_from_analysis(const bstep__analysis *a, bstep_store_session *s);
/** The bouts, steps, events and cues of an analysis. Returns BSTEP_OK or BSTEP_ENOMEM. */
int bstep__store_parts_from_analysis(const bstep__analysis *a, bstep__stored_parts *p);
void bstep__stored_parts_free(bstep__stored_parts *p);

/**
 * The start time of a recorded session: given_us when not INT64_MIN (BSTEP_START_GIVEN); else the
 * recording's own first timestamp when it is an epoch time (BSTEP_START_RECORDING); else the
 * file's modification time minus the recording's duration (BSTEP_START_FILE_TIME, an estimate:
 * most recorders write the file when the recording ends).
 */
int64_t bstep__store_start_of(const bstep__analysis *a, const char *path, int64_t given_us,
                              bstep_start_source *source);

#endif
