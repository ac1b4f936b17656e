/*
 * Store benchmark: the cost of what backstep writes and reads, on the backend given.
 *   bench_store URL [SESSIONS [STEPS]]      (defaults 200 sessions of 1000 steps)
 * URL: an SQLite file path (removed first) or a postgresql:// URL of an empty database.
 * Prints: session store time (each a transaction with its steps; mean, median, p95), sessions/s,
 * steps/s; live raw samples stored in batches of 100 (samples/s); a full session load and a
 * history listing of all sessions. Wall-clock times on this machine, not CPU time: for SQLite the
 * fsync of each commit (synchronous=FULL) is most of it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "bench_store.db";
    const long n = argc > 2 ? strtol(argv[2], NULL, 10) : 200;
    const long m = argc > 3 ? strtol(argv[3], NULL, 10) : 1000;
    bstep_store *st = NULL;
    bstep_store_user u;
    bstep_store_step *steps;
    bstep_store_session_parts parts;
    bstep_store_session s, *list = NULL;
    bstep_store_session_full *f = NULL;
    bstep_store_filter flt;
    bstep_imu_sample *smp;
    double *t, t0, sum = 0.0, tl;
    size_t nl = 0;
    long i, k;
    char err[1024], path[1100];
    if (n < 1 || m < 0) {
        fprintf(stderr, "usage: bench_store URL [SESSIONS [STEPS]]\n");
        return 2;
    }
    if (strncmp(url, "postgres", 8) != 0) {
        remove(url);
        snprintf(path, sizeof(path), "%s-wal", url);
        remove(path);
        snprintf(path, sizeof(path), "%s-shm", url);
        remove(path);
    }
    t0 = now_s();
    if (bstep_store_open(&st, url, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("backend %s, %s\n",
           bstep_store_backend_of(st) == BSTEP_STORE_SQLITE ? "SQLite" : "PostgreSQL",
           bstep_store_location(st));
    printf("open + create + migrate to version %d: %.1f ms\n", BSTEP_STORE_SCHEMA_VERSION,
           (now_s() - t0) * 1e3);
    if (bstep_store_user_ensure(st, "bench", &u) != BSTEP_OK)
        return 1;
    steps = calloc((size_t)m + 1, sizeof(*steps));
    t = calloc((size_t)n, sizeof(*t));
    smp = calloc(100, sizeof(*smp));
    if (steps == NULL || t == NULL || smp == NULL)
        return 1;
    for (k = 0; k < m; k++) {
        steps[k].ic_s = 0.55 * (double)k;
        steps[k].fc_s = steps[k].ic_s + 0.6;
        steps[k].foot = BSTEP_FOOT_RIGHT;
        steps[k].direction = BSTEP_DIRECTION_BACKWARD;
        steps[k].strike = BSTEP_STRIKE_TOE;
        steps[k].strike_angle_deg = -10.0;
        steps[k].stride_length_m = 0.8;
        steps[k].stride_time_s = 1.1;
        steps[k].stride_forward_m = -0.8;
        steps[k].stride_left_m = 0.01;
        steps[k].speed_mps = 0.7;
        steps[k].clearance_m = 0.03;
        steps[k].turn_deg = 1.0;
        steps[k].fc_angle_deg = 40.0;
        steps[k].step_length_m = steps[k].trunk_lean_deg = (double)NAN;
        steps[k].side_lean_deg = steps[k].confidence = (double)NAN;
    }
    memset(&parts, 0, sizeof(parts));
    parts.steps = steps;
    parts.n_steps = (size_t)m;
    for (i = 0; i < n; i++) {
        double a;
        memset(&s, 0, sizeof(s));
        s.user_id = u.id;
        snprintf(s.source_path, sizeof(s.source_path), "/bench/%ld.csv", i);
        snprintf(s.sha256_hex, sizeof(s.sha256_hex), "%064lx", i + 1);
        s.start_us = 1767261600000000LL + (int64_t)i * 86400000000LL;
        s.steps = m;
        s.steps_forward = s.steps_backward = s.steps_sideways = s.bouts = s.samples = s.gaps = -1;
        s.look_backs = s.stumbles = s.falls = -1;
        s.duration_s = s.speed_mps = (double)NAN;
        a = now_s();
        if (bstep_store_session_add(st, &s, &parts, NULL) != BSTEP_OK) {
            fprintf(stderr, "%s\n", bstep_store_errmsg(st));
            return 1;
        }
        t[i] = now_s() - a;
        sum += t[i];
    }
    qsort(t, (size_t)n, sizeof(*t), cmp_d);
    printf("store a session with %ld steps: mean %.2f ms, median %.2f ms, p95 %.2f ms; %.0f "
           "sessions/s, %.0f steps/s\n",
           m, sum / (double)n * 1e3, t[n / 2] * 1e3, t[(size_t)((double)n * 0.95)] * 1e3,
           (double)n / sum, (double)(n * m) / sum);
    /* live samples: 100 Hz arrives in batches of 100 (1 s) */
    memset(&s, 0, sizeof(s));
    s.user_id = u.id;
    snprintf(s.source_path, sizeof(s.source_path), "live:bench");
    s.start_us = 1767261600000000LL;
    s.steps = s.steps_forward = s.steps_backward = s.steps_sideways = s.bouts = -1;
    s.samples = s.gaps = s.look_backs = s.stumbles = s.falls = -1;
    if (bstep_store_live_begin(st, &s) != BSTEP_OK)
        return 1;
    for (k = 0; k < 100; k++) {
        smp[k].accel_mps2[2] = 9.81f;
        smp[k].flags = 1;
    }
    t0 = now_s();
    for (i = 0; i < 100; i++) {
        for (k = 0; k < 100; k++)
            smp[k].t_us = s.start_us + (i * 100 + k) * 10000;
        if (bstep_store_live_samples_add(st, s.id, i * 100, smp, 100) != BSTEP_OK) {
            fprintf(stderr, "%s\n", bstep_store_errmsg(st));
            return 1;
        }
    }
    tl = now_s() - t0;
    printf("live samples, batches of 100: %.2f ms per batch, %.0f samples/s (%.0fx a 100 Hz "
           "stream)\n",
           tl / 100.0 * 1e3, 10000.0 / tl, 10000.0 / tl / 100.0);
    t0 = now_s();
    if (bstep_store_session_load(st, 1, &f) != BSTEP_OK)
        return 1;
    printf("load one session with its %zu steps: %.2f ms\n", f->n_steps, (now_s() - t0) * 1e3);
    bstep_store_session_full_free(f);
    bstep_store_filter_init(&flt);
    flt.user_id = u.id;
    t0 = now_s();
    if (bstep_store_session_list(st, &flt, &list, &nl) != BSTEP_OK)
        return 1;
    printf("list all %zu sessions (history): %.2f ms\n", nl, (now_s() - t0) * 1e3);
    bstep_store_free(list);
    bstep_store_close(st);
    free(steps);
    free(t);
    free(smp);
    return 0;
}
