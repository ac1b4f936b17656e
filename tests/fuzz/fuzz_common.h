/*
 * Shared libFuzzer body: open a recording from memory, read it twice (one sample per call and
 * 61 per call) and check the invariants every reader promises: same samples, heart-rate
 * readings and quality whatever the read size, strictly increasing times, finite values,
 * heart-rate readings in strictly increasing time within 20..250 bpm, and an error message after a
 * failure.
 */
#ifndef BSTEP_FUZZ_COMMON_H
#define BSTEP_FUZZ_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/io.h"
#include "io/io_internal.h"

#define FUZZ_MAX_SAMPLES 4096

typedef int (*fuzz_open_fn)(bstep_reader **r, const uint8_t *data, size_t size, void *ctx);

typedef struct {
    int rc;
    size_t n, n_hr;
    uint32_t hash;
    bstep_quality q;
} fuzz_run;

/* The heart-rate readings so far (bstep_reader_heart_rate): in time order, in range. */
static void fuzz_check_hr(const bstep_reader *r, fuzz_run *out)
{
    const bstep_hr_point *p = NULL;
    size_t n = bstep_reader_heart_rate(r, &p), i;
    for (i = 0; i < n; i++) {
        const unsigned char *b = (const unsigned char *)&p[i];
        size_t k;
        if (!(p[i].hr_bpm >= 20.0f && p[i].hr_bpm <= 250.0f))
            abort();
        if (i > 0 && p[i].t_us <= p[i - 1].t_us)
            abort();
        for (k = 0; k < sizeof p[i]; k++)
            out->hash = (out->hash ^ b[k]) * 16777619u;
    }
    out->n_hr = n;
}

/* The treadmill points so far (bstep_reader_treadmill): in time order, at least one reading
 * each, in range. */
static void fuzz_check_treadmill(const bstep_reader *r, fuzz_run *out)
{
    const bstep_treadmill_point *p = NULL;
    size_t n = bstep_reader_treadmill(r, &p), i;
    for (i = 0; i < n; i++) {
        const unsigned char *b = (const unsigned char *)&p[i];
        size_t k;
        if (isnan(p[i].speed_mps) && isnan(p[i].incline_pct))
            abort();
        if (!isnan(p[i].speed_mps) && !(p[i].speed_mps >= 0.0f && p[i].speed_mps <= 50.0f))
            abort();
        if (!isnan(p[i].incline_pct) &&
            !(p[i].incline_pct >= -100.0f && p[i].incline_pct <= 100.0f))
            abort();
        if (i > 0 && p[i].t_us < p[i - 1].t_us + 1000000)
            abort();
        for (k = 0; k < sizeof p[i]; k++)
            out->hash = (out->hash ^ b[k]) * 16777619u;
    }
    out->n_hr += n;
}

static void fuzz_read(fuzz_open_fn open_fn, const uint8_t *data, size_t size, void *ctx, size_t cap,
                      fuzz_run *out)
{
    static bstep_imu_sample buf[61];
    bstep_reader *r = NULL;
    int have_prev = 0;
    bstep_time_us prev = 0;
    memset(out, 0, sizeof *out);
    out->hash = 2166136261u;
    out->rc = open_fn(&r, data, size, ctx);
    if (out->rc != BSTEP_OK) {
        if (r != NULL)
            abort();
        return;
    }
    for (;;) {
        size_t n = 0, i;
        out->rc = bstep_reader_read(r, buf, cap, &n);
        if (out->rc != BSTEP_OK) {
            if (n != 0 || bstep_reader_errmsg(r)[0] == '\0')
                abort();
            break;
        }
        if (n == 0)
            break;
        for (i = 0; i < n; i++) {
            const bstep_imu_sample *s = &buf[i];
            const unsigned char *b = (const unsigned char *)s;
            size_t k;
            if (have_prev && s->t_us <= prev)
                abort();
            for (k = 0; k < 3; k++)
                if (!isfinite(s->accel_mps2[k]) || !isfinite(s->gyro_dps[k]))
                    abort();
            have_prev = 1;
            prev = s->t_us;
            for (k = 0; k < sizeof *s; k++)
                out->hash = (out->hash ^ b[k]) * 16777619u;
            out->n++;
        }
        if (out->n > 10u * 1000u * 1000u)
            abort();
    }
    bstep_reader_quality(r, &out->q);
    if (out->rc == BSTEP_OK && out->q.samples != out->n)
        abort();
    if (out->rc == BSTEP_OK) {
        fuzz_check_hr(r, out);
        fuzz_check_treadmill(r, out);
    }
    bstep_reader_close(r);
}

static void fuzz_check(fuzz_open_fn open_fn, const uint8_t *data, size_t size, void *ctx)
{
    fuzz_run a, b;
    fuzz_read(open_fn, data, size, ctx, 1, &a);
    fuzz_read(open_fn, data, size, ctx, 61, &b);
    if (a.rc != b.rc)
        abort();
    if (a.rc == BSTEP_OK &&
        (a.n != b.n || a.n_hr != b.n_hr || a.hash != b.hash || memcmp(&a.q, &b.q, sizeof a.q) != 0))
        abort();
}

#endif
