/* Helpers shared by the activity reader/writer tests. */
#ifndef BSTEP_TESTS_ACTIVITY_UTIL_H
#define BSTEP_TESTS_ACTIVITY_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/activity.h"
#include "test_io_util.h"

#define ACT_MAX 8192

typedef struct {
    int open_rc, read_rc;
    char err[1024];
    bstep_activity_record rec[ACT_MAX];
    size_t n;
    bstep_activity_info info;
    bstep_activity_lap laps[16];
    bstep_activity_quality q;
} act_result;

static inline void act_collect(bstep_activity_reader *r, size_t cap, act_result *res)
{
    static bstep_activity_record buf[4096];
    size_t i;
    if (cap > 4096)
        cap = 4096;
    for (;;) {
        size_t n = 0;
        res->read_rc = bstep_activity_read(r, buf, cap, &n);
        for (i = 0; i < n && res->n < ACT_MAX; i++)
            res->rec[res->n++] = buf[i];
        if (res->read_rc != BSTEP_OK) {
            snprintf(res->err, sizeof res->err, "%s", bstep_activity_errmsg(r));
            break;
        }
        if (n == 0)
            break;
    }
    bstep_activity_get_info(r, &res->info);
    for (i = 0; i < 16 && i < res->info.laps; i++)
        bstep_activity_get_lap(r, i, &res->laps[i]);
    bstep_activity_get_quality(r, &res->q);
    bstep_activity_close(r);
}

static inline void act_read_file(const char *path, bstep_format fmt, size_t cap, act_result *res)
{
    bstep_activity_reader *r = NULL;
    memset(res, 0, sizeof *res);
    res->open_rc = bstep_activity_open(&r, path, fmt, res->err, sizeof res->err);
    res->read_rc = res->open_rc;
    if (res->open_rc == BSTEP_OK)
        act_collect(r, cap, res);
}

static inline void act_read_mem(const void *data, size_t len, bstep_format fmt, size_t cap,
                                act_result *res)
{
    bstep_activity_reader *r = NULL;
    memset(res, 0, sizeof *res);
    res->open_rc = bstep_activity_open_mem(&r, data, len, fmt, "mem", res->err, sizeof res->err);
    res->read_rc = res->open_rc;
    if (res->open_rc == BSTEP_OK)
        act_collect(r, cap, res);
}

/* Equal, with NAN equal to NAN. */
static inline int same_d(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static inline int same_record(const bstep_activity_record *a, const bstep_activity_record *b)
{
    return a->t_us == b->t_us && same_d(a->heart_rate_bpm, b->heart_rate_bpm) &&
           same_d(a->cadence_spm, b->cadence_spm) && same_d(a->speed_mps, b->speed_mps) &&
           same_d(a->distance_m, b->distance_m) && same_d(a->incline_pct, b->incline_pct) &&
           same_d(a->altitude_m, b->altitude_m) && same_d(a->latitude_deg, b->latitude_deg) &&
           same_d(a->longitude_deg, b->longitude_deg) && same_d(a->energy_kcal, b->energy_kcal);
}

static inline void *act_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* A treadmill walk on the quantisation grid of FIT: 1 Hz, exact values. */
static inline void act_make_walk(bstep_activity_record *rec, size_t n, bstep_time_us t0_us,
                                 int with_position)
{
    size_t i;
    for (i = 0; i < n; i++) {
        bstep_activity_record *r = &rec[i];
        bstep_activity_record_clear(r);
        r->t_us = t0_us + (bstep_time_us)i * 1000000;
        r->heart_rate_bpm = (double)(95 + (int)(i % 40));
        r->cadence_spm = 2.0 * (50.0 + (double)(i % 7) * 8.0 / 128.0 + (double)(i % 3));
        r->speed_mps = (double)(800 + (int)(i % 50) * 3) / 1000.0;
        r->distance_m = (double)(i * 85) / 100.0;
        r->incline_pct = (double)((int)(i % 11) * 50 - 100) / 100.0;
        r->altitude_m = (double)(2600 + (int)i) / 5.0 - 500.0;
        r->energy_kcal = (double)(i / 12);
        if (with_position) {
            const double semi = 2147483648.0 / 180.0;
            r->latitude_deg = (double)(560000000 + (int)i * 97) / semi;
            r->longitude_deg = (double)(-30000000 - (int)i * 131) / semi;
        }
        if (i % 97 == 13)
            r->heart_rate_bpm = (double)NAN; /* a dropout */
    }
}

#endif
