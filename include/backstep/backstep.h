/*
 * backstep: the umbrella header. Includes every public header of the library.
 *
 * Conventions of the whole API (details in each header):
 * - every quantity carries its unit in its name: accel_mps2, gyro_dps, t_us, cadence_spm, ...;
 * - time is int64 microseconds (bstep_time_us);
 * - streaming objects are caller-owned structs with _init/_reset/_update/_get_*, never allocated by
 *   the library; resources (readers) are opaque handles with _open/_close;
 * - functions that can fail return a bstep_status (0 = BSTEP_OK, negative = error) and
 *   bstep_strerror() gives its text; the library never prints, logs or exits.
 */
#ifndef BACKSTEP_BACKSTEP_H
#define BACKSTEP_BACKSTEP_H

#include "backstep/activity.h"
#include "backstep/ahrs.h"
#include "backstep/analyzer.h"
#include "backstep/assess.h"
#include "backstep/coach.h"
#include "backstep/cues.h"
#include "backstep/energy.h"
#include "backstep/export.h"
#include "backstep/io.h"
#include "backstep/sim.h"
#include "backstep/status.h"
#include "backstep/summary.h"
#include "backstep/types.h"
#include "backstep/version.h"
#include "backstep/writers.h"

#endif
