/*
 * Core benchmark: samples per second through bstep_analyzer for each placement, bytes of state
 * per instance, and the latency from a contact to its event. Input: a deterministic synthetic
 * 100 Hz 6-axis walk (foot-like or trunk-like), generated in memory, so the figure measures the
 * core only (no parsing, no I/O).
 *
 * Usage: bench_core [HOURS [PLACEMENT]]   (default 1 hour of data for each placement; PLACEMENT
 * foot|lower-back|pocket runs only that one, as bench/callgrind.sh does)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backstep/analyzer.h"

#define RATE 100.0
#define PI   3.141592653589793

static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Walking with 1.1 s strides: foot = swing rotation and a landing impact; trunk = 2 steps per
 * stride of vertical oscillation. A quiet minute every ten minutes makes the bout logic work. */
static void synth(bstep_imu_sample *s, size_t n, size_t offset, int foot)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const double t = (double)(offset + i) / RATE;
        const double minute = fmod(t, 600.0);
        const double ph = fmod(t, 1.1);
        memset(&s[i], 0, sizeof(s[i]));
        s[i].t_us = (bstep_time_us)llround(t * 1e6);
        s[i].flags = BSTEP_SAMPLE_HAS_GYRO;
        s[i].accel_mps2[2] = 9.80665f;
        if (minute < 540.0) {
            if (foot) {
                if (ph < 0.45) {
                    s[i].gyro_dps[1] = (float)(400.0 * sin(PI * ph / 0.45));
                    s[i].accel_mps2[0] = (float)(3.0 * sin(2.0 * PI * ph / 0.45));
                } else if (ph < 0.46) {
                    s[i].accel_mps2[2] += 25.0f;
                }
            } else {
                s[i].accel_mps2[2] += (float)(2.0 * sin(2.0 * PI * ph / 0.55));
                s[i].gyro_dps[2] = (float)(10.0 * sin(2.0 * PI * ph / 1.1));
            }
        }
    }
}

int main(int argc, char **argv)
{
    const double hours = argc > 1 ? strtod(argv[1], NULL) : 1.0;
    const size_t total = (size_t)(hours * 3600.0 * RATE), block = 65536;
    const bstep_placement pl[3] = {BSTEP_PLACEMENT_FOOT_LEFT, BSTEP_PLACEMENT_LOWER_BACK,
                                   BSTEP_PLACEMENT_POCKET};
    const char *names[3] = {"foot", "lower-back", "pocket"};
    bstep_imu_sample *buf = malloc(block * sizeof(*buf));
    bstep_analyzer *a = malloc(sizeof(*a));
    const char *only = argc > 2 ? argv[2] : NULL;
    int p;
    if (buf == NULL || a == NULL || !(hours > 0.0))
        return 1;
    printf("backstep core benchmark: %.2f h of 100 Hz 6-axis data per placement (%zu samples)\n",
           hours, total);
    printf("state per analyzer instance: %zu bytes\n", sizeof(bstep_analyzer));
    printf("%-12s %12s %10s %12s %10s %13s %12s\n", "placement", "samples/s", "ns/sample",
           "24 h 100 Hz", "contacts", "latency mean", "latency max");
    for (p = 0; p < 3; p++) {
        bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
        bstep_event ev[BSTEP_ANALYZER_EVENT_QUEUE];
        size_t done = 0, contacts = 0, in_bout = 0, lat_n = 0;
        double gen = 0.0, run = 0.0, lat_sum = 0.0, lat_max = 0.0;
        int bout_open = 0;
        if (only != NULL && strcmp(only, names[p]) != 0)
            continue;
        cfg.placement = pl[p];
        cfg.sample_rate_hz = (float)RATE;
        if (bstep_analyzer_init(a, &cfg) != 0)
            return 1;
        while (done < total) {
            const size_t n = total - done < block ? total - done : block;
            size_t i;
            double t0 = now_s(), t1;
            synth(buf, n, done, pl[p] == BSTEP_PLACEMENT_FOOT_LEFT);
            t1 = now_s();
            gen += t1 - t0;
            for (i = 0; i < n; i++) {
                size_t k, ne = bstep_analyzer_update(a, &buf[i], ev, BSTEP_ANALYZER_EVENT_QUEUE);
                for (k = 0; k < ne; k++) {
                    if (ev[k].type == BSTEP_EVENT_BOUT_START)
                        bout_open = 1;
                    else if (ev[k].type == BSTEP_EVENT_BOUT_END)
                        bout_open = 0, in_bout = 0;
                    else if (ev[k].type == BSTEP_EVENT_INITIAL_CONTACT) {
                        const double lat = (double)(ev[k].emitted_t_us - ev[k].t_us) * 1e-6;
                        contacts++;
                        /* Latency once walking (the first contacts of a bout wait for it). */
                        if (bout_open && ++in_bout > 8) {
                            lat_n++;
                            lat_sum += lat;
                            if (lat > lat_max)
                                lat_max = lat;
                        }
                    }
                }
            }
            run += now_s() - t1;
            done += n;
        }
        printf("%-12s %12.3e %10.1f %10.2f s %10zu %10.0f ms %9.0f ms\n", names[p],
               (double)total / run, 1e9 * run / (double)total, 8.64e6 * run / (double)total,
               contacts, lat_n ? 1000.0 * lat_sum / (double)lat_n : 0.0, 1000.0 * lat_max);
        (void)gen;
    }
    free(buf);
    free(a);
    return 0;
}
