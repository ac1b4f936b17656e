/*
 * Export of a session's records as an activity file (FIT, TCX, CSV, JSON): the glue between a
 * session (an activity analysis or a stored session's series) and the writers of
 * include/backstep/activity.h. See activity_report.h for the rules.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backstep/status.h"
#include "report/activity_report.h"

static void merge_into(bstep_activity_record *dst, const bstep_activity_record *src)
{
    dst->t_us = src->t_us;
#define TAKE(f)                                                                                    \
    if (isfinite(src->f))                                                                          \
        dst->f = src->f;
    TAKE(heart_rate_bpm)
    TAKE(cadence_spm)
    TAKE(speed_mps)
    TAKE(distance_m)
    TAKE(incline_pct)
    TAKE(altitude_m)
    TAKE(latitude_deg)
    TAKE(longitude_deg)
    TAKE(energy_kcal)
#undef TAKE
}

static int write_merged(bstep_activity_writer *w, const bstep_activity_record *rec, size_t n)
{
    size_t i;
    bstep_activity_record cur;
    int have = 0, rc;
    for (i = 0; i < n; i++) {
        bstep_time_us sec = rec[i].t_us / 1000000;
        if (have && sec != cur.t_us / 1000000) {
            cur.t_us = (cur.t_us / 1000000) * 1000000;
            if ((rc = bstep_activity_writer_records(w, &cur, 1)) != BSTEP_OK)
                return rc;
            have = 0;
        }
        if (!have) {
            bstep_activity_record_clear(&cur);
            have = 1;
        }
        merge_into(&cur, &rec[i]);
    }
    if (have) {
        cur.t_us = (cur.t_us / 1000000) * 1000000;
        return bstep_activity_writer_records(w, &cur, 1);
    }
    return BSTEP_OK;
}

int bstep__activity_export(const char *path, bstep_export_format format,
                           const bstep_activity_info *info, const bstep_activity_lap *laps,
                           size_t n_laps, const bstep_activity_record *rec, size_t n, char *err,
                           size_t err_len)
{
    bstep_activity_writer *w = NULL;
    bstep_activity_info in = *info;
    size_t i, next = 0;
    int rc;
    if (in.sport == BSTEP_SPORT_UNKNOWN) {
        in.sport = BSTEP_SPORT_WALKING;
        if (in.sub_sport == BSTEP_SUB_SPORT_TREADMILL || in.sub_sport == BSTEP_SPORT_UNKNOWN)
            in.sub_sport = in.sub_sport == BSTEP_SUB_SPORT_TREADMILL ? BSTEP_SUB_SPORT_INDOOR_WALK
                                                                     : BSTEP_SUB_SPORT_GENERIC;
    }
    if (in.start_us == 0 && n > 0)
        in.start_us = rec[0].t_us;
    if (format == BSTEP_EXPORT_FIT)
        in.start_us = (in.start_us / 1000000) * 1000000;
    rc = bstep_activity_writer_open(&w, path, format, &in, err, err_len);
    if (rc != BSTEP_OK)
        return rc;
    /* records lap by lap: a lap ends before the first record at or after the next lap's start */
    if (n_laps == 0)
        rc = format == BSTEP_EXPORT_FIT ? write_merged(w, rec, n)
                                        : bstep_activity_writer_records(w, rec, n);
    for (i = 0; i < n_laps && rc == BSTEP_OK; i++) {
        size_t end = next;
        bstep_activity_lap l = laps[i];
        if (i + 1 < n_laps)
            while (end < n && rec[end].t_us < laps[i + 1].start_us)
                end++;
        else
            end = n;
        rc = format == BSTEP_EXPORT_FIT ? write_merged(w, rec + next, end - next)
                                        : bstep_activity_writer_records(w, rec + next, end - next);
        next = end;
        if (format == BSTEP_EXPORT_FIT)
            l.start_us = (l.start_us / 1000000) * 1000000;
        if (rc == BSTEP_OK)
            rc = bstep_activity_writer_lap(w, &l);
    }
    if (rc != BSTEP_OK) {
        snprintf(err, err_len, "%s: %s", path,
                 rc == BSTEP_ERANGE ? "a record is out of the writable range" : bstep_strerror(rc));
        bstep_activity_writer_close(w, NULL, NULL, 0);
        return rc;
    }
    return bstep_activity_writer_close(w, &in, err, err_len);
}
