/*
 * Internal interface between the analyzer's driver (analyzer.c: settings, events, bouts, gaps)
 * and its engines (foot.c, trunk.c). bstep__ layer: no API promise.
 */
#ifndef BSTEP_CORE_ANALYZER_INTERNAL_H
#define BSTEP_CORE_ANALYZER_INTERNAL_H

#include "backstep/analyzer.h"

/* analyzer.c */
/** An event with every optional field unknown (NAN / *_UNKNOWN). */
bstep_event bstep__make_event(bstep_event_type type, bstep_time_us t_us, bstep_time_us now_us);
/** Queue an event for the caller (bypasses the bout logic: gaps, safety and posture events). */
void bstep__push_event(bstep_analyzer *a, const bstep_event *e);
/** A contact or final contact enters the bout logic (held until a bout is confirmed). */
void bstep__bout_event(bstep_analyzer *a, bstep_event *e);
/** v is finite and > 0. */
int bstep__pos_finite(float v);

/* foot.c */
int bstep__foot_settings_valid(const bstep_analyzer_settings *c);
/** Engine state as just after init (keeps nothing). */
void bstep__foot_reset(bstep_analyzer *a);
/** After a gap: forget what depends on continuous data; keep calibrations (toe axis). */
void bstep__foot_restart(bstep_analyzer *a);
void bstep__foot_update(bstep_analyzer *a, const bstep_imu_sample *s);
/* Emit a stride the foot engine holds (a soft landing waiting for its impact): before a gap or the
 * end of the data. */
void bstep__foot_flush(bstep_analyzer *a);

/* trunk.c */
int bstep__trunk_settings_valid(const bstep_analyzer_settings *c);
void bstep__trunk_reset(bstep_analyzer *a);
void bstep__trunk_restart(bstep_analyzer *a);
void bstep__trunk_update(bstep_analyzer *a, const bstep_imu_sample *s);
/** The driver opens a bout: the engine may complete the held contacts (a->pending). */
void bstep__trunk_bout_open(bstep_analyzer *a);
/* Whether a quiet stance of at least 2 s ended at most 1 s before t_us (gait initiation). */
int bstep__trunk_from_standing(const bstep_analyzer *a, bstep_time_us t_us);
/** The driver closes a bout: the engine fills the BOUT_END event (direction, regularity...)
 * and may queue its own events first (posture). */
void bstep__trunk_bout_end(bstep_analyzer *a, bstep_event *e);

#endif
