/*
 * libFuzzer target for the trunk / pocket engine of the streaming analyzer: the input bytes are a
 * stream of samples (time step, accelerometer, gyroscope, flags; 14 bytes each), fed to a
 * lower-back or pocket analyzer (first byte) with a given or learned front axis. Hostile streams:
 * NaN and huge values, zero and huge time steps (gaps), missing gyroscope, repeated timestamps.
 * Invariants: nothing crashes or hangs; every event describes the past (t_us <= emitted_t_us,
 * within one grid period of rounding); event values are finite or NAN, never infinite; feeding
 * the same stream one sample at a time and in blocks gives the same events.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REC       14
#define MAX_SAMP  4096
#define MAX_EVENT 8192

static float val(const uint8_t *p, float scale)
{
    const int16_t v = (int16_t)(uint16_t)(p[0] | (p[1] << 8));
    if (v == INT16_MIN)
        return NAN;
    if (v == INT16_MAX)
        return 1e30f;
    return (float)v * scale;
}

static size_t run(const bstep_analyzer_settings *cfg, const bstep_imu_sample *s, size_t n,
                  size_t block, bstep_event *ev)
{
    static bstep_analyzer a;
    size_t i, out = 0;
    if (bstep_analyzer_init(&a, cfg) != 0)
        abort();
    for (i = 0; i < n; i += block) {
        const size_t m = n - i < block ? n - i : block;
        out += bstep_analyzer_update_block(&a, s + i, m, ev + out, MAX_EVENT - out);
        if (out + BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE * block >= MAX_EVENT)
            break;
    }
    out += bstep_analyzer_finish(&a, ev + out, MAX_EVENT - out);
    return out;
}

static int finite_or_nan(float x)
{
    return !isinf(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bstep_imu_sample s[MAX_SAMP];
    static bstep_event e1[MAX_EVENT], e2[MAX_EVENT];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    size_t n = 0, i, n1, n2;
    bstep_time_us t = 0;
    if (size < 1)
        return 0;
    cfg.placement = (data[0] & 1) ? BSTEP_PLACEMENT_POCKET : BSTEP_PLACEMENT_LOWER_BACK;
    cfg.front_axis = (bstep_axis)((data[0] >> 1) % 7);
    for (i = 1; i + REC <= size && n < MAX_SAMP; i += REC, n++) {
        const uint8_t *p = data + i;
        memset(&s[n], 0, sizeof(s[n]));
        t += (bstep_time_us)p[0] * 500; /* 0..127 ms steps, repeated times included */
        if (p[1] == 0xff)
            t += 2000000; /* a gap */
        s[n].t_us = t;
        s[n].accel_mps2[0] = val(p + 2, 0.01f);
        s[n].accel_mps2[1] = val(p + 4, 0.01f);
        s[n].accel_mps2[2] = val(p + 6, 0.01f) + 9.81f;
        s[n].gyro_dps[0] = val(p + 8, 0.1f);
        s[n].gyro_dps[1] = val(p + 10, 0.1f);
        s[n].gyro_dps[2] = val(p + 12, 0.1f);
        s[n].flags = (p[1] & 1) ? BSTEP_SAMPLE_HAS_GYRO : 0u;
    }
    n1 = run(&cfg, s, n, 1, e1);
    n2 = run(&cfg, s, n, 61, e2);
    if (n1 != n2)
        abort();
    for (i = 0; i < n1; i++) {
        const bstep_event *e = &e1[i];
        if (e->type != e2[i].type || e->t_us != e2[i].t_us ||
            memcmp(&e->value, &e2[i].value, sizeof(float)) != 0)
            abort();
        if (e->type != BSTEP_EVENT_GAP && e->t_us > e->emitted_t_us + 10000)
            abort();
        if (!finite_or_nan(e->value) || !finite_or_nan(e->confidence) ||
            !finite_or_nan(e->step_length_m) || !finite_or_nan(e->trunk_lean_deg) ||
            !finite_or_nan(e->stride_length_m))
            abort();
    }
    return 0;
}
