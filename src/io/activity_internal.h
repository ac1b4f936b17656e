/*
 * Internal interface between activity.c (open, detection, record ordering, quality) and the
 * activity format readers (fit.c, tcx.c, ftms.c). No API promise.
 *
 * A format reader yields records one at a time through next(); activity.c drops records whose
 * time goes back (counted), keeps the interval statistics, and owns info and laps. Format readers
 * fill info and laps through the accessors below and count the fields holding "invalid" markers.
 */
#ifndef BSTEP_ACTIVITY_INTERNAL_H
#define BSTEP_ACTIVITY_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "backstep/activity.h"
#include "internal/linereader.h"

typedef struct {
    /** 1 = a record in *rec, 0 = end of data, < 0 = status (message set with
     *  bstep__activity_fail). rec is cleared (NAN) before the call. */
    int (*next)(bstep_activity_reader *r, void *impl, bstep_activity_record *rec);
    void (*close)(void *impl);
} bstep__activity_ops;

int bstep__activity_fail(bstep_activity_reader *r, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

void bstep__activity_set_impl(bstep_activity_reader *r, const bstep__activity_ops *ops, void *impl);
bstep_activity_info *bstep__activity_info(bstep_activity_reader *r);
bstep_activity_quality *bstep__activity_quality(bstep_activity_reader *r);
/** Append a lap (kept while fewer than BSTEP_ACTIVITY_MAX_LAPS, always counted in info.laps). */
void bstep__activity_add_lap(bstep_activity_reader *r, const bstep_activity_lap *lap);

/* Openers: each takes ownership of src and, on failure, sets the message and releases it. */
int bstep__fit_open(bstep_activity_reader *r, bstep__source src, const char *name);
int bstep__tcx_open(bstep_activity_reader *r, bstep__source src, const char *name);
int bstep__ftms_open(bstep_activity_reader *r, bstep__source src, const char *name);

/** Detect an activity format from the first bytes; BSTEP_FORMAT_AUTO if none. */
bstep_format bstep__activity_detect(const char *data, size_t len);

/** Microseconds of Unix time from a FIT date_time (seconds since 1989-12-31T00:00:00Z). */
#define BSTEP__FIT_EPOCH_UNIX_S 631065600LL

/** Parse an ISO 8601 UTC time "YYYY-MM-DDThh:mm:ss[.fff][Z|+hh:mm|-hh:mm]" into Unix us.
 *  @return 0 or -1. */
int bstep__iso8601_parse(const char *s, size_t len, bstep_time_us *out);
/** Format Unix us as "YYYY-MM-DDThh:mm:ss.fffZ" (milliseconds, 25 bytes with NUL). */
void bstep__iso8601_format(bstep_time_us t_us, char *out, size_t out_len);

/* ---- writers (activity_write.c dispatches; fit_write.c, tcx_write.c) -------------------- */

/** Running statistics of a stretch of records (a lap or the session). */
typedef struct {
    size_t n;
    bstep_time_us first_t, last_t;
    double first_dist, last_dist;
    double hr_sum, hr_max, speed_sum, speed_max, cad_sum, first_kcal, last_kcal;
    size_t hr_n, speed_n, cad_n;
    bstep_time_us speed_t_prev;
} bstep__act_stats;

void bstep__act_stats_reset(bstep__act_stats *s);
void bstep__act_stats_add(bstep__act_stats *s, const bstep_activity_record *rec);
/** A lap with every NAN field filled from the statistics (where they know it). */
void bstep__act_stats_fill_lap(const bstep__act_stats *s, bstep_activity_lap *lap);

struct bstep_activity_writer {
    bstep_export_format format;
    FILE *f;
    int is_stdout;
    char path[1024];
    char err[1600];
    bstep_activity_info info;
    bstep__act_stats lap_stats, ses_stats;
    size_t laps_written;
    int have_prev;
    bstep_time_us prev_t;
    int failed;
    /* FIT */
    uint32_t fit_data_bytes;
    bstep_activity_lap first_lap;
    /* TCX: the current lap's trackpoints wait here until its totals are known */
    FILE *tcx_points;
    /* CSV/JSON */
    void *json;
    size_t records;
};

int bstep__fit_writer_begin(bstep_activity_writer *w);
int bstep__fit_writer_records(bstep_activity_writer *w, const bstep_activity_record *rec, size_t n);
int bstep__fit_writer_lap(bstep_activity_writer *w, const bstep_activity_lap *lap);
int bstep__fit_writer_end(bstep_activity_writer *w, const bstep_activity_info *totals);

int bstep__tcx_writer_begin(bstep_activity_writer *w);
int bstep__tcx_writer_records(bstep_activity_writer *w, const bstep_activity_record *rec, size_t n);
int bstep__tcx_writer_lap(bstep_activity_writer *w, const bstep_activity_lap *lap);
int bstep__tcx_writer_end(bstep_activity_writer *w, const bstep_activity_info *totals);

#endif
