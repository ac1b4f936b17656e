/*
 * Activity files and the store (backstep import): the merge of a watch's or treadmill's series
 * into a stored motion-sensor session. A session stored from an activity file of its own goes
 * through the one conversion of every session, src/store/session_save.h.
 */
#ifndef BSTEP_CLI_ACTIVITY_H
#define BSTEP_CLI_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "report/activity_report.h"
#include "store/store.h"

int bstep_cmd_import(int argc, char **argv);

#endif
