/*
 * Session summary accumulated from analyzer events, streaming, fixed memory. The numbers the
 * report shows (DESIGN.md section 6 "summary") come from here, so every output agrees.
 *
 * Definitions (documented in docs/json-schema.md):
 * - steps: steps of both feet. A foot sensor sees one foot, so each of its strides counts 2.
 * - walking_time_s: sum of bout durations (first to last contact of each bout).
 * - cadence_spm: trunk: the bouts' cadences (BOUT_END value: the mean of the strides'
 *   120 / stride time, strides under half the median dropped) weighted by their steps; otherwise
 * (or without bout cadences) 60 / mean step time over the step intervals inside bouts (foot: 120 /
 * mean stride time).
 * - stride_time_cv_pct: 100 * SD / mean of stride times inside bouts (trunk: a stride is two
 *   consecutive step intervals).
 * - step_time_asymmetry_pct: trunk only: 100 * |mean(odd steps) - mean(even steps)| / mean of
 *   the two, consecutive steps alternating feet (algorithms.md section 9).
 * - distance_forward_m / distance_backward_m: sum of the stride lengths of strides labelled
 *   forward / backward (distance_m counts every stride with a length).
 * - toe_first_ratio: share of the backward strides with a known strike that land toes first (the
 *   backward-walking technique); heel_first_ratio: share of the forward strides that land heel
 *   first (normal forward walking). NAN without such strides.
 * - distance_m: sum of the step lengths (trunk: step_length_m; foot: stride_length_m).
 * - trunk_lean_deg, side_lean_deg: mean over the steps that carry a posture (lower back).
 * - step_regularity, stride_regularity: means over bouts (BOUT_END), weighted by their steps.
 * - look_backs, stumbles, falls: events counted; safety_measured = 0 for a foot sensor (which
 *   cannot see them; counts are then unknown, not 0).
 * - measured: BSTEP_MEASURE_* bits, what this sensor measured (bstep_summary_set_measured(),
 *   normally bstep_analyzer_measures(), plus what was seen): tells "0" from "not measured".
 * - time_backward_s / time_forward_s / time_sideways_s: the contact intervals inside a bout (foot:
 *   stride time, trunk: step time) credited to the direction of the contact that ends them.
 * - backward_stride_time_cv_pct ("rhythm"): stride-time variability of runs of consecutive
 *   backward strides, from successive differences (von Neumann's mean square successive
 *   difference): 100 * sqrt(sum (T_i - T_i-1)^2 / (2 n_diff)) / mean(T). For a steady walk it
 *   equals the ordinary CV (SD / mean); unlike it, a slow drift or a deliberate change of speed
 *   (a treadmill belt turned up) adds one difference, not a whole shift of the mean. Differences
 *   are only taken inside a run: a stride counts when both contacts that bound it are backward
 *   and in the same bout, so turns, direction changes and pauses are left out.
 * - backward_stride_length_cv_pct ("evenness", foot sensors): the same for stride length.
 * - speed_backward_mps: length / time of the backward steps (trunk) or strides (foot) that have
 *   a length; cadence_backward_spm: 60 / mean step time of the backward contacts.
 * Unknown values are NAN (shown as null).
 */
#ifndef BACKSTEP_SUMMARY_H
#define BACKSTEP_SUMMARY_H

#include "backstep/analyzer.h"
#include "backstep/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t steps, steps_forward, steps_backward, steps_sideways;
    uint64_t contacts; /**< initial contacts seen (foot: strides of that foot) */
    uint64_t bouts;
    double walking_time_s;
    double cadence_spm;
    double distance_m, distance_backward_m, distance_forward_m;
    double toe_first_ratio, heel_first_ratio;
    double speed_mps;
    double stride_time_cv_pct;
    double step_time_asymmetry_pct;
    double mean_stride_time_s;
    uint64_t gaps;
    double trunk_lean_deg, side_lean_deg;
    double step_regularity, stride_regularity;
    uint64_t look_backs, stumbles, falls;
    int safety_measured; /**< 1: the counts above are measured (trunk/pocket) */
    /* Added in 0.1 for the session report and the coach (issue 6); definitions above. */
    unsigned measured; /**< BSTEP_MEASURE_* bits */
    double time_backward_s, time_forward_s, time_sideways_s;
    uint64_t backward_strikes_known; /**< backward contacts with a known strike class */
    uint64_t backward_toe_first, backward_flat, backward_heel_first;
    uint64_t forward_strikes_known, forward_heel_first;
    uint64_t backward_strides; /**< strides in the backward rhythm statistic */
    double backward_stride_time_cv_pct;
    double backward_stride_length_cv_pct;
    double mean_backward_stride_time_s;
    double speed_backward_mps;
    double cadence_backward_spm;
    uint64_t falls_backward;
} bstep_summary_values;

/* What a sensor measures (bstep_summary_values.measured, bstep_analyzer_measures()). */
#define BSTEP_MEASURE_DIRECTION     0x01u /**< forward / backward per step */
#define BSTEP_MEASURE_STRIKE        0x02u /**< toe / flat / heel landing */
#define BSTEP_MEASURE_STRIDE_LENGTH 0x04u /**< stride or step length, distance, speed */
#define BSTEP_MEASURE_STUMBLES      0x08u /**< STUMBLE events */
#define BSTEP_MEASURE_FALLS         0x10u /**< FALL events */
#define BSTEP_MEASURE_LOOK_BACKS    0x20u /**< LOOK_BACK events (need a gyroscope) */
#define BSTEP_MEASURE_POSTURE       0x40u /**< trunk lean (steps or POSTURE events) */

/* Successive-difference variability of one quantity over runs of strides; internal. */
typedef struct {
    int have_prev;
    double prev;
    uint64_t n, n_diff;
    double sum, sum_d2;
} bstep__ssd_stat;

/** Accumulator. All members are private. */
typedef struct {
    int steps_per_contact;
    int in_bout;
    bstep_time_us bout_start_us;
    uint64_t contacts, bouts, gaps, dir_f, dir_b, dir_s;
    double walking_s;
    /* step (trunk) or stride (foot) intervals inside bouts */
    uint64_t n_int;
    double sum_int;
    /* stride-time statistics (Welford) */
    uint64_t n_stride;
    double stride_mean, stride_m2;
    /* trunk: alternate step times */
    double prev_step_s;
    int have_prev_step;
    uint64_t parity;
    double sum_odd, sum_even;
    uint64_t n_odd, n_even;
    /* distance */
    double dist_m, dist_back_m, dist_fwd_m;
    uint64_t n_length;
    /* strike pattern by direction */
    uint64_t bw_strike_n, bw_toe, fw_strike_n, fw_heel;
    /* posture, regularity, safety */
    double sum_lean, sum_side;
    uint64_t n_lean;
    double sum_reg1, sum_reg2, w_reg1, w_reg2;
    double sum_cad, w_cad; /* trunk: bouts' cadences weighted by their steps */
    uint64_t bout_steps;
    uint64_t look_backs, stumbles, falls;
    /* direction, strike, backward rhythm and evenness (issue 6) */
    unsigned measured;
    int have_prev_contact; /* previous contact inside the current bout */
    bstep_direction prev_dir;
    double time_dir_s[3];         /* backward, forward, sideways */
    uint64_t strikes[2][4];       /* [backward, forward][bstep_strike] */
    bstep__ssd_stat var_t, var_l; /* backward stride time, stride length */
    double prev_back_step_s;      /* trunk: previous backward step time, NAN if none */
    double back_len_m, back_len_time_s;
    uint64_t n_back_int;
    double sum_back_int;
    uint64_t falls_backward;
} bstep_summary;

/** @param steps_per_contact 2 for a foot sensor, 1 for trunk/pocket. @return BSTEP_EINVAL if not.
 */
BSTEP_API int bstep_summary_init(bstep_summary *s, int steps_per_contact);
/** Declare what the sensor measures (BSTEP_MEASURE_* bits; see bstep_analyzer_measures()), so a
 * count of 0 can be told from "not measured". Bits of what is actually seen are added anyway. */
BSTEP_API void bstep_summary_set_measured(bstep_summary *s, unsigned measured);
BSTEP_API void bstep_summary_add(bstep_summary *s, const bstep_event *e);
BSTEP_API void bstep_summary_get(const bstep_summary *s, bstep_summary_values *out);

#ifdef __cplusplus
}
#endif
#endif
