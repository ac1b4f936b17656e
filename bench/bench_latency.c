/*
 * Contact-to-event latency on recordings: how long after a contact its INITIAL_CONTACT event is
 * emitted (emitted_t_us - t_us), for every contact of an established bout (the contacts held
 * until a bout has its first 4 steps come out with the bout start and are counted apart).
 * Issue 9 asks for step events within 300 ms of the contact.
 *
 * Usage: bench_latency [--verbose] PLACEMENT FILE...
 *   PLACEMENT foot-left | foot-right | foot | lower-back | pocket
 * Prints per file and over all files: contacts, mean, median, p99 and max latency; --verbose
 * prints every contact (time, latency). Reads the files, writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backstep/analyzer.h"
#include "backstep/io.h"
#include "backstep/status.h"

#define BLOCK 4096

static int cmp_d(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double *v;
    size_t n, cap;
} vec;

static int push(vec *v, double x)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        double *p = realloc(v->v, cap * sizeof(*p));
        if (p == NULL)
            return -1;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return 0;
}

static void report(const char *name, vec *v, size_t held)
{
    double sum = 0.0;
    size_t i;
    if (v->n == 0) {
        printf("%-40s %6zu contacts (%zu held for the bout start)\n", name, v->n, held);
        return;
    }
    qsort(v->v, v->n, sizeof(double), cmp_d);
    for (i = 0; i < v->n; i++)
        sum += v->v[i];
    printf("%-40s %6zu contacts  mean %5.0f  median %5.0f  p99 %5.0f  max %5.0f ms  (+%zu held)\n",
           name, v->n, 1000.0 * sum / (double)v->n, 1000.0 * v->v[v->n / 2],
           1000.0 * v->v[(size_t)(0.99 * (double)(v->n - 1))], 1000.0 * v->v[v->n - 1], held);
}

static int run_file(const char *path, bstep_placement pl, int verbose, vec *all, size_t *held_all)
{
    static bstep_imu_sample buf[BLOCK];
    static bstep_time_us head[256];
    bstep_event ev[BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE];
    bstep_analyzer_settings cfg = bstep_analyzer_default_settings;
    bstep_analyzer *a = malloc(sizeof(*a));
    bstep_reader *r = NULL;
    char err[256];
    size_t n, nh = 0, held = 0, i, k, ne;
    bstep_time_us t0 = 0;
    int first = 1, in_start = 0;
    vec v = {0};
    if (a == NULL)
        return -1;
    /* First pass over the head of the file: the sampling rate. */
    if (bstep_reader_open(&r, path, BSTEP_FORMAT_AUTO, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "%s\n", err);
        free(a);
        return -1;
    }
    while (nh < 256 && bstep_reader_read(r, buf, BLOCK, &n) == BSTEP_OK && n > 0)
        for (i = 0; i < n && nh < 256; i++)
            head[nh++] = buf[i].t_us;
    bstep_reader_close(r);
    cfg.placement = pl;
    cfg.sample_rate_hz = bstep_estimate_rate_hz(head, nh);
    if (bstep_analyzer_init(a, &cfg) != BSTEP_OK ||
        bstep_reader_open(&r, path, BSTEP_FORMAT_AUTO, err, sizeof(err)) != BSTEP_OK) {
        fprintf(stderr, "%s: cannot analyse\n", path);
        free(a);
        return -1;
    }
    while (bstep_reader_read(r, buf, BLOCK, &n) == BSTEP_OK && n > 0) {
        for (i = 0; i < n; i++) {
            if (first)
                t0 = buf[i].t_us, first = 0;
            ne = bstep_analyzer_update(a, &buf[i], ev, BSTEP_ANALYZER_MAX_EVENTS_PER_UPDATE);
            in_start = 0;
            for (k = 0; k < ne; k++) {
                const double lat = (double)(ev[k].emitted_t_us - ev[k].t_us) * 1e-6;
                if (ev[k].type == BSTEP_EVENT_BOUT_START)
                    in_start = 1;
                if (ev[k].type != BSTEP_EVENT_INITIAL_CONTACT)
                    continue;
                if (in_start) {
                    held++;
                    continue;
                }
                if (verbose)
                    printf("  contact %9.3f s  latency %4.0f ms\n",
                           (double)(ev[k].t_us - t0) * 1e-6, 1000.0 * lat);
                push(&v, lat);
                push(all, lat);
            }
        }
    }
    bstep_reader_close(r);
    report(path, &v, held);
    *held_all += held;
    free(v.v);
    free(a);
    return 0;
}

int main(int argc, char **argv)
{
    bstep_placement pl;
    int verbose = 0, i = 1, failed = 0;
    vec all = {0};
    size_t held = 0;
    if (i < argc && strcmp(argv[i], "--verbose") == 0)
        verbose = 1, i++;
    if (argc - i < 2 || bstep_placement_parse(argv[i], &pl) != BSTEP_OK ||
        pl == BSTEP_PLACEMENT_AUTO) {
        fprintf(stderr, "usage: bench_latency [--verbose] PLACEMENT FILE...\n");
        return 2;
    }
    for (i++; i < argc; i++)
        failed |= run_file(argv[i], pl, verbose, &all, &held) != 0;
    report("all files", &all, held);
    free(all.v);
    return failed ? 1 : 0;
}
