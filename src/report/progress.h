/*
 * Progress over weeks: period totals (week, month, year in local time) and trends of the metrics
 * a retro walker and their therapist follow, computed from stored sessions and check-ins.
 * Rendering: text and JSON (cmd_report.c), HTML with SVG charts (html.c).
 */
#ifndef BSTEP_REPORT_PROGRESS_H
#define BSTEP_REPORT_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

typedef enum { BSTEP__PERIOD_WEEK = 0, BSTEP__PERIOD_MONTH, BSTEP__PERIOD_YEAR } bstep__period;

/** "week", "month", "year"; parse returns -1 for other text. */
const char *bstep__period_name(bstep__period p);
int bstep__period_parse(const char *text, bstep__period *out);

typedef struct {
    char label[16];           /**< "2026-W10" (ISO 8601 week), "2026-03", "2026" */
    int64_t start_us, end_us; /**< [start, end), local calendar boundaries */
    size_t sessions, checkins;
    int64_t steps, steps_backward;
    double walking_s, backward_s, distance_m, distance_backward_m, energy_kcal; /**< totals */
    /* means over the period's sessions (check-ins) that have the value; NAN when none */
    double speed_mps, cadence_spm, toe_first_ratio, stride_time_cv_pct;
    double pain_0_10, wellbeing_0_10;
} bstep__period_row;

/** The metrics whose trend is reported, in this order. */
enum {
    BSTEP__TREND_BACKWARD_MIN = 0, /* backward minutes per week (weekly totals; the week in
                                      progress, not over yet, is left out) */
    BSTEP__TREND_SPEED,            /* session walking speed, m/s */
    BSTEP__TREND_CADENCE,          /* steps/min */
    BSTEP__TREND_TOE_FIRST,        /* share of backward strides landing toes first, % */
    BSTEP__TREND_STRIDE_CV,        /* stride-time variability, % */
    BSTEP__TREND_PAIN,             /* self-reported pain 0-10 (check-ins) */
    BSTEP__N_TRENDS
};

typedef struct {
    const char *key;                 /**< JSON key, e.g. "speed_mps" */
    const char *name;                /**< e.g. "walking speed" */
    const char *unit;                /**< e.g. "m/s" */
    int better;                      /**< +1 higher is better, -1 lower is better, 0 neither */
    size_t n;                        /**< points the trend is fitted to */
    double first, last;              /**< first and last point's value (NAN if none) */
    double slope_per_week, slope_se; /**< least squares, unit per week, and its standard error */
    /** +1 improving, -1 worsening: the slope is more than two standard errors from zero (about
     * 95 % confidence) and at least 3 points; 0: no clear change or too few points. */
    int verdict;
} bstep__trend;

/**
 * Period rows covering [from_us, to_us) (INT64_MIN / INT64_MAX: from the first to the last
 * session or check-in), empty periods included so that gaps show. Sessions must be finished ones.
 * @return BSTEP_OK, BSTEP_ENOMEM; *out is malloc'd (free()), *n may be 0.
 */
int bstep__progress_periods(const bstep_store_session *s, size_t n, const bstep_store_checkin *c,
                            size_t nc, bstep__period p, int64_t from_us, int64_t to_us,
                            bstep__period_row **out, size_t *n_out);

/** Trends of the BSTEP__N_TRENDS metrics. */
void bstep__progress_trends(const bstep_store_session *s, size_t n, const bstep_store_checkin *c,
                            size_t nc, bstep__trend out[BSTEP__N_TRENDS]);

/** Everything a progress report shows. */
typedef struct {
    const char *user;     /**< whose progress */
    const char *database; /**< where it was read from */
    bstep__period period;
    int64_t from_us, to_us; /**< the range asked for (INT64_MIN / INT64_MAX: all) */
    const bstep__period_row *rows;
    size_t n_rows;
    const bstep__trend *trends; /**< BSTEP__N_TRENDS of them */
    const bstep_store_session *sessions;
    size_t n_sessions;
    const bstep_store_checkin *checkins;
    size_t n_checkins;
} bstep__progress_report;

/** Plain text for a terminal. */
void bstep__progress_text(FILE *f, const bstep__progress_report *r);
/** JSON, schema backstep.report/1 (docs/json-schema.md). */
void bstep__progress_json(FILE *f, const bstep__progress_report *r);
/** A self-contained HTML page (inline CSS and SVG charts, no scripts, no external resources). */
void bstep__progress_html(FILE *f, const bstep__progress_report *r);

/** Local midnight of a "YYYY-MM-DD" date, microseconds; INT64_MIN if invalid. */
int64_t bstep__date_us(const char *date);

#endif
