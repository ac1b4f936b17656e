/* Pages helpers shared with the REST API (weekly/monthly totals). */
#ifndef BSTEP_SERVER_PAGES_H
#define BSTEP_SERVER_PAGES_H

#include <stddef.h>

#include "store/store.h"

typedef struct {
    char key[16]; /* "2026-W05" or "2026-02" */
    int sessions;
    int64_t steps, steps_backward;
    double walking_s, backward_s, distance_m, toe_sum;
    int toe_n;
} bstep__period;

/**
 * Totals per ISO week (weekly = 1, keys "2026-W05") or calendar month ("2026-02") of sessions
 * sorted by start time, local time zone, into out (capacity cap). @return periods written.
 */
size_t bstep__progress(const bstep_store_session *list, size_t n, int weekly, bstep__period *out,
                       size_t cap);

#endif
