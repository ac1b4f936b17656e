/*
 * Analysis of one recording as data the reports render: the batch loop over the streaming core
 * (reader -> analyzer -> summary) and the rows of the DESIGN.md section 6 JSON. Internal API
 * shared by `backstep analyze`, `backstep validate` and (later) the store and the server.
 */
#ifndef BSTEP_REPORT_H
#define BSTEP_REPORT_H

#include <stdio.h>

#include "backstep/analyzer.h"
#include "backstep/assess.h"
#include "backstep/cues.h"
#include "backstep/energy.h"
#include "backstep/io.h"
#include "backstep/summary.h"
#include "internal/rowspool.h"

typedef struct {
    double ic_s, fc_s;
    bstep_foot foot;
    bstep_direction direction;
    bstep_strike strike;
    double strike_angle_deg, stride_length_m, stride_time_s;
    double stride_forward_m, stride_left_m, speed_mps, clearance_m, turn_deg;
    double fc_angle_deg;    /* foot pitch at the final contact that ends this stance */
    bstep_strike fc_strike; /* part of the foot that leaves the ground last */
    double step_length_m, trunk_lean_deg, side_lean_deg, confidence;
} bstep__step_row;

typedef struct {
    double start_s, end_s;
    const char *activity;
    uint64_t steps;
    double distance_m;
    double cadence_spm, direction_confidence, step_regularity, stride_regularity;
} bstep__bout_row;

typedef struct {
    double t_s;
    const char *type;
    char message[160];
    bstep_direction direction;
    double confidence, value, trunk_lean_deg, side_lean_deg; /* NAN when not given */
} bstep__event_row;

typedef struct {
    double t_s; /* when the cue is given */
    double cause_s;
    bstep_cue_type type;
    double value;
} bstep__cue_row;

typedef struct {
    bstep_placement placement;
    bstep_format format;
    bstep_axis toe_axis, front_axis;
    int progress;   /* 1: report progress on stderr for long files */
    double mass_kg; /* walker's body mass for the energy estimate; NAN: assume 70 kg */
    double age_y;   /* for the heart-rate energy (Keytel); <= 0 or NAN: unknown */
    bstep_sex sex;  /* ditto; UNKNOWN: no heart-rate energy */
    /* Plan context (coach): the level's top speed and the planned backward time; NAN = none. */
    double speed_max_mps;
    double planned_backward_s;
    /* Trunk step length (NAN = the analyzer's defaults): sensor height above the ground (m) and
     * the walker's calibration factor (analyze --walked-m computes it). */
    double sensor_height_m;
    double step_scale;
    /* The foot sensor's accelerometer full scale (m/s^2): 0 = not given (the analyzer's default,
     * 16 g), INFINITY = the sensor does not clip. */
    double accel_range_mps2;
} bstep__analysis_options;

typedef struct {
    char path[1024];
    bstep_format format;
    bstep_placement placement;
    bstep_placement placement_requested;
    bstep_axis front_axis_requested; /* trunk/pocket mounting as given (AUTO: learned) */
    bstep_quality quality;
    double duration_s;
    bstep_time_us t0_us; /* first sample time: every _s field counts from it */
    bstep_summary_values summary;
    /* Steps and events: as many as the recording has, so held in row spools (bounded memory,
     * internal/rowspool.h); read them with bstep__analysis_step() / _event(). */
    bstep__spool step_rows;  /* of bstep__step_row */
    bstep__spool event_rows; /* of bstep__event_row */
    /* Arrays of all steps and events, made only by bstep__analysis_flatten() (validate). */
    bstep__step_row *steps_flat;
    bstep__event_row *events_flat;
    bstep__bout_row *bouts;
    size_t n_bouts, cap_bouts;
    char warning[256]; /* e.g. accelerometer-only foot file */
    /* Energy (src/core/energy.c, the one model): over bouts with a measured speed. */
    double energy_kcal, energy_low_kcal, energy_high_kcal, met_mean;
    double energy_mass_kg;
    int energy_mass_assumed;
    double energy_unknown_s; /* walking time without a measured speed */
    /* Heart rate carried by the recording (bstep_reader_heart_rate), times as in the file. */
    bstep_hr_point *hr;
    size_t n_hr;
    double hr_mean_bpm, hr_max_bpm; /* over the whole recording, NAN without readings */
    double age_y;                   /* walker, for Keytel; NAN unknown */
    bstep_sex sex;
    double energy_kcal_hr;    /* Keytel over the bouts with readings (never blended), NAN */
    unsigned energy_hr_flags; /* BSTEP_ENERGY_HR_* of that estimate */
    /* A treadmill's belt speed and incline carried by the recording (bstep_reader_treadmill),
     * times as in the file, and their means over the recording (NAN without readings). */
    bstep_treadmill_point *tm;
    size_t n_tm;
    double treadmill_speed_mps, treadmill_incline_pct;
    /* Session assessment (src/core/assess.c) and the real-time cues given during the session
     * (src/core/cues.c), as a console would have spoken them. */
    bstep_assessment assessment;
    bstep_assess_context context;
    bstep__cue_row *cues;
    size_t n_cues, cap_cues;
    bstep_cues cue_engine; /* fed by bstep__analysis_add_event */
    int cue_engine_ready;  /* 0: started with the default settings at the first event */
} bstep__analysis;

/**
 * The foot sensor's accelerometer full scale as `--accel-range` and the upload's `accel-range=`
 * take it (bstep__analysis_options.accel_range_mps2): "none" (the sensor does not clip: INFINITY)
 * or a full scale in g, 2..400 (2 g: the smallest range of phone and IMU accelerometers; 400 g:
 * impact sensors), returned in m/s^2. BSTEP_OK, or BSTEP_EINVAL with why ("'x' is not a number",
 * "1 is outside 2..400").
 */
int bstep__accel_range_parse(const char *text, double *out_mps2, char *why, size_t why_len);

/**
 * Analyse one recording. Returns a bstep_status; on failure err names file, line, column and field
 * (from the reader). The analysis must be released with bstep__analysis_free() in every case.
 */
int bstep__analyze_file(const char *path, const bstep__analysis_options *opt, bstep__analysis *out,
                        char *err, size_t err_len);
void bstep__analysis_free(bstep__analysis *a);

/*
 * Rows (an all-zero analysis is a valid empty one: the spools are set up at the first event).
 * The spools cache their pages, so reading changes the cache but not the analysis: the
 * accessors take a const analysis. A returned pointer stays valid across the next few accessor
 * calls (rowspool.h); copy the row to keep it longer.
 */
static inline size_t bstep__analysis_n_steps(const bstep__analysis *a)
{
    return bstep__spool_count(&a->step_rows);
}
static inline size_t bstep__analysis_n_events(const bstep__analysis *a)
{
    return bstep__spool_count(&a->event_rows);
}
static inline const bstep__step_row *bstep__analysis_step(const bstep__analysis *a, size_t i)
{
    return (const bstep__step_row *)bstep__spool_peek((bstep__spool *)&a->step_rows, i);
}
static inline const bstep__event_row *bstep__analysis_event(const bstep__analysis *a, size_t i)
{
    return (const bstep__event_row *)bstep__spool_peek((bstep__spool *)&a->event_rows, i);
}
/** BSTEP_OK, or the spools' error (BSTEP_EIO: the temporary file failed; BSTEP_ENOMEM). */
static inline int bstep__analysis_rows_status(const bstep__analysis *a)
{
    return a->step_rows.error ? a->step_rows.error : a->event_rows.error;
}
/** Fills steps_flat and events_flat with copies of every row (for code that needs arrays: the
 *  validation of a short recording). BSTEP_OK or BSTEP_ENOMEM / the spools' error. */
int bstep__analysis_flatten(bstep__analysis *a);

/*
 * Streaming use (the live server builds an analysis as events arrive): set t0_us, placement and
 * format first, add every analyzer event in order, then call bstep_summary_get into a->summary
 * and bstep__analysis_energy once the stream has ended.
 */
/** Add one analyzer event to the rows and the summary. Returns BSTEP_OK or BSTEP_ENOMEM. */
int bstep__analysis_add_event(bstep__analysis *a, bstep_summary *sum, const bstep_event *e,
                              int steps_per_contact);
/** The session energy from the bouts (mass_kg NAN: 70 kg assumed), then the session assessment
 * (bstep_assess_session on a->summary with a->context): call it after bstep_summary_get. */
void bstep__analysis_energy(bstep__analysis *a, double mass_kg);
/**
 * The energy of walking bouts (bout times in s from t0_us), the one rule of analyze and import:
 * each bout's direction and gait (from its activity) at its measured speed (distance / duration)
 * on level ground; a bout with treadmill readings (tm, absolute times) is cut into pieces of at
 * most 60 s, each at the belt's mean speed and incline during it (a piece without readings takes
 * the bout's); the heart rate of each piece from hr. @return bstep_energy_session's status, or
 * BSTEP_ENOMEM.
 */
int bstep__bouts_energy(const bstep__bout_row *bouts, size_t n_bouts,
                        const bstep_treadmill_point *tm, size_t n_tm, const bstep_hr_point *hr,
                        size_t n_hr, int64_t t0_us, const bstep_energy_walker *w,
                        bstep_energy_session_result *r);
/** Optional, before the first event: the plan context (speed limit, planned backward time, NAN =
 * none) for the cues and the assessment. Without it the cues run with their defaults. */
void bstep__analysis_set_context(bstep__analysis *a, double speed_max_mps,
                                 double planned_backward_s);

/** JSON (schema backstep.analysis/1, docs/json-schema.md). */
void bstep__report_json(FILE *f, const bstep__analysis *a);
/** The human report. */
void bstep__report_text(FILE *f, const bstep__analysis *a);

#endif
