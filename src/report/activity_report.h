/*
 * Analysis of an activity file (FIT, TCX, FTMS log): a session from speed, distance, incline and
 * heart rate instead of motion samples. Internal API shared by `backstep analyze` (activity
 * files), `backstep import` and `backstep export`. Everything an IMU would measure (steps by
 * direction, strike, stride variability, posture, stumbles) is unknown here and reported null.
 */
#ifndef BSTEP_ACTIVITY_REPORT_H
#define BSTEP_ACTIVITY_REPORT_H

#include <stdio.h>

#include "backstep/activity.h"
#include "backstep/energy.h"

/** Slowest speed counted as walking, m/s (see activity_analysis.c). */
#define BSTEP__MOVING_MPS 0.15
/** An interval between records longer than this is a pause, not walking, s. */
#define BSTEP__ACTIVITY_GAP_S 10.0

typedef struct {
    double mass_kg;            /**< NAN: 70 kg assumed */
    double age_y;              /**< NAN: unknown (no heart-rate kcal) */
    bstep_sex sex;             /**< UNKNOWN: no heart-rate kcal */
    bstep_direction direction; /**< UNKNOWN: from the file (backstep's exports) or forward */
    bstep_format format;       /**< AUTO or FIT/TCX/FTMS */
} bstep__activity_options;

typedef struct {
    double start_s, end_s; /**< seconds from the first record */
    double distance_m;     /**< NAN if unknown */
} bstep__activity_bout;

typedef struct {
    char path[1024];
    bstep_format format;
    bstep_activity_info info;
    bstep_activity_quality quality;
    bstep_activity_record *rec; /**< every record, time order (malloc) */
    size_t n_rec, cap_rec;
    bstep__activity_bout *bouts;
    size_t n_bouts, cap_bouts;
    bstep_activity_lap laps[BSTEP_ACTIVITY_MAX_LAPS];
    size_t n_laps;
    double duration_s;     /**< last - first record */
    double walking_time_s; /**< time moving at >= BSTEP__MOVING_MPS (NAN without speeds) */
    double distance_m;     /**< NAN when neither distances nor speeds are known */
    double speed_mps;      /**< distance / walking time */
    double cadence_spm;    /**< mean over walking records that have one */
    double hr_mean_bpm, hr_max_bpm;
    double incline_mean_pct; /**< time mean over walking, NAN without inclines */
    double steps;            /**< steps the device counted (FIT total_cycles x 2), NAN */
    bstep_direction direction;
    const char *direction_source; /**< "option", "file", "assumed" */
    double energy_kcal, energy_low_kcal, energy_high_kcal, met_mean, energy_unknown_s;
    double energy_kcal_hr, energy_hr_s;
    double energy_mass_kg;
    int energy_mass_assumed;
    unsigned energy_flags;
} bstep__activity_analysis;

/** @return 1 when path holds a FIT/TCX/FTMS file (by content) or format is one of those. */
int bstep__is_activity_file(const char *path, bstep_format format);
/**
 * Read and analyse an activity file. On failure err names the file, byte offset or line and
 * field. Release with bstep__activity_analysis_free() in every case.
 */
int bstep__analyze_activity(const char *path, const bstep__activity_options *opt,
                            bstep__activity_analysis *a, char *err, size_t err_len);
void bstep__activity_analysis_free(bstep__activity_analysis *a);
/** JSON (schema backstep.analysis/1 with IMU-only values null; docs/json-schema.md). */
void bstep__activity_report_json(FILE *f, const bstep__activity_analysis *a);
void bstep__activity_report_text(FILE *f, const bstep__activity_analysis *a);

/**
 * Write records (and laps, info) as an activity file. FIT keeps whole seconds, so for FIT the
 * records of one second are merged into one (the latest known value of each field wins). With
 * no sport in info, a treadmill log (sub-sport treadmill) is written as walking / indoor walking
 * (FIT sport 11 / sub-sport 27, reference/formats.md section 4) and anything else as walking.
 * @return a bstep_status; err names the file on failure.
 */
int bstep__activity_export(const char *path, bstep_export_format format,
                           const bstep_activity_info *info, const bstep_activity_lap *laps,
                           size_t n_laps, const bstep_activity_record *rec, size_t n, char *err,
                           size_t err_len);

#endif
