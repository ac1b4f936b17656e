/* An analysis (src/report) as a store session with its parts (internal to the server). */
#ifndef BSTEP_SERVER_CONVERT_H
#define BSTEP_SERVER_CONVERT_H

#include "report/report.h"
#include "store/store.h"

typedef struct {
    bstep_store_session s;
    bstep_store_session_parts parts;
    bstep_store_bout *bouts;
    bstep_store_step *steps;
    bstep_store_event *events;
} bstep__stored_analysis;

/**
 * Fill out from a (finished) analysis: the summary fields of the session (user, source, start
 * and the ids are left for the caller) and copies of its rows. @return 0 or -1 (out of memory).
 */
int bstep__analysis_to_store(const bstep__analysis *a, bstep__stored_analysis *out);
void bstep__stored_analysis_free(bstep__stored_analysis *x);

#endif
