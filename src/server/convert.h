/*
 * An analysis (src/report) as a store session with its parts, for the server's uploads and live
 * sessions: a thin holder around the store's own conversion (src/store/store_analysis.h), so the
 * server stores exactly what `backstep analyze` stores.
 */
#ifndef BSTEP_SERVER_CONVERT_H
#define BSTEP_SERVER_CONVERT_H

#include "report/report.h"
#include "store/store.h"
#include "store/store_analysis.h"

typedef struct {
    bstep_store_session s;
    bstep_store_session_parts parts;
    bstep__stored_parts sp;
    bstep_store_cue *cues; /* the session's cues */
} bstep__stored_analysis;

/**
 * Fill out from a (finished) analysis: every field the analysis knows (user, source, start and
 * the ids are left for the caller) and its rows. @return 0 or -1 (out of memory).
 */
int bstep__analysis_to_store(const bstep__analysis *a, bstep__stored_analysis *out);
void bstep__stored_analysis_free(bstep__stored_analysis *x);

#endif
