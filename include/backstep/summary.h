/*
 * Session summary accumulated from analyzer events, streaming, fixed memory. The numbers the
 * report shows (DESIGN.md section 6 "summary") come from here, so every output agrees.
 *
 * Definitions (documented in docs/json-schema.md):
 * - steps: steps of both feet. A foot sensor sees one foot, so each of its strides counts 2.
 * - walking_time_s: sum of bout durations (first to last contact of each bout).
 * - cadence_spm: 60 / mean step time over the step intervals inside bouts (foot: 120 / mean
 *   stride time).
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
} bstep_summary_values;

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
    uint64_t bout_steps;
    uint64_t look_backs, stumbles, falls;
} bstep_summary;

/** @param steps_per_contact 2 for a foot sensor, 1 for trunk/pocket. @return BSTEP_EINVAL if not.
 */
BSTEP_API int bstep_summary_init(bstep_summary *s, int steps_per_contact);
BSTEP_API void bstep_summary_add(bstep_summary *s, const bstep_event *e);
BSTEP_API void bstep_summary_get(const bstep_summary *s, bstep_summary_values *out);

#ifdef __cplusplus
}
#endif
#endif
