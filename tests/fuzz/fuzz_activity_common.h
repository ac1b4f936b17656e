/*
 * Shared libFuzzer body of the activity readers (FIT, TCX, FTMS): open from memory, read twice
 * (one record per call and 61 per call) and check what every activity reader promises: the same
 * records, status and quality whatever the read size; non-decreasing times; every value NAN or
 * inside its documented range; an error message after a failure; no more laps kept than the cap.
 */
#ifndef BSTEP_FUZZ_ACTIVITY_COMMON_H
#define BSTEP_FUZZ_ACTIVITY_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/activity.h"

typedef struct {
    int rc;
    size_t n;
    uint32_t hash;
    bstep_activity_quality q;
    bstep_activity_info info;
} fuzz_act_run;

static int fuzz_in(double v, double lo, double hi)
{
    return isnan(v) || (v >= lo && v <= hi);
}

static void fuzz_act_read(const uint8_t *data, size_t size, bstep_format fmt, size_t cap,
                          fuzz_act_run *out)
{
    static bstep_activity_record buf[61];
    bstep_activity_reader *r = NULL;
    int have_prev = 0;
    bstep_time_us prev = 0;
    size_t i;
    memset(out, 0, sizeof *out);
    out->hash = 2166136261u;
    out->rc = bstep_activity_open_mem(&r, data, size, fmt, "fuzz", NULL, 0);
    if (out->rc != BSTEP_OK) {
        if (r != NULL)
            abort();
        return;
    }
    for (;;) {
        size_t n = 0;
        out->rc = bstep_activity_read(r, buf, cap, &n);
        for (i = 0; i < n; i++) {
            const bstep_activity_record *s = &buf[i];
            const unsigned char *b = (const unsigned char *)s;
            size_t k;
            if (have_prev && s->t_us < prev)
                abort();
            if (!fuzz_in(s->heart_rate_bpm, 0.0, 250.0) || !fuzz_in(s->cadence_spm, 0.0, 520.0) ||
                !fuzz_in(s->speed_mps, 0.0, 50.0) || !fuzz_in(s->distance_m, 0.0, 1e8) ||
                !fuzz_in(s->incline_pct, -100.0, 100.0) ||
                !fuzz_in(s->altitude_m, -500.0, 12000.0) ||
                !fuzz_in(s->latitude_deg, -90.0, 90.0) || !fuzz_in(s->longitude_deg, -180.0, 180.0))
                abort();
            have_prev = 1;
            prev = s->t_us;
            for (k = 0; k < sizeof *s; k++)
                out->hash = (out->hash ^ b[k]) * 16777619u;
            out->n++;
        }
        if (out->rc != BSTEP_OK) {
            if (bstep_activity_errmsg(r)[0] == '\0')
                abort();
            break;
        }
        if (n == 0)
            break;
        if (out->n > 10u * 1000u * 1000u)
            abort();
    }
    bstep_activity_get_quality(r, &out->q);
    bstep_activity_get_info(r, &out->info);
    if (out->q.records != out->n)
        abort();
    for (i = 0; i < out->info.laps && i < BSTEP_ACTIVITY_MAX_LAPS; i++) {
        bstep_activity_lap lap;
        if (bstep_activity_get_lap(r, i, &lap) != BSTEP_OK)
            abort();
    }
    bstep_activity_close(r);
}

static void fuzz_act_check(const uint8_t *data, size_t size, bstep_format fmt)
{
    fuzz_act_run a, b;
    fuzz_act_read(data, size, fmt, 1, &a);
    fuzz_act_read(data, size, fmt, 61, &b);
    if (a.rc != b.rc || a.n != b.n || a.hash != b.hash || memcmp(&a.q, &b.q, sizeof a.q) != 0)
        abort();
}

#endif
