/*
 * Activity files and the store (backstep analyze, import, export): a session stored from an
 * activity analysis, the series of its records, and the merge of a watch's or treadmill's series
 * into a stored motion-sensor session.
 */
#ifndef BSTEP_CLI_ACTIVITY_H
#define BSTEP_CLI_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "report/activity_report.h"
#include "store/store.h"

int bstep_cmd_import(int argc, char **argv);

/**
 * Store an analysed activity file as a session of its own (with its bouts and its records as
 * the session's series, source "fit" / "tcx" / "ftms"). Recognised by the file's SHA-256 like any
 * recording: *existed = 1 and nothing is stored again.
 * @param start_source BSTEP_START_RECORDING (analyze) or BSTEP_START_IMPORTED (import).
 */
int bstep__cli_store_activity(bstep_store *st, int64_t user_id, const bstep__activity_analysis *a,
                              const char *path, bstep_start_source start_source,
                              bstep_store_session *out, int *existed, char *err, size_t err_len);

/** The records of an analysis as series points (malloc; NULL on failure). */
bstep_store_series_point *bstep__cli_series_of(const bstep__activity_analysis *a);

#endif
