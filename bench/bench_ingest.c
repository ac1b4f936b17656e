/*
 * Ingest benchmark: reads a recording through the library's reader (format detection, parsing,
 * unit conversion, quality checks; no analysis) and reports samples/s and MB/s. bench/ingest.sh
 * compares it, in the same run and on the same file, with `wc -l` (the physical floor of reading
 * the file on this machine).
 *
 * Usage: bench_ingest FILE [REPEATS]   (best of REPEATS runs, default 3)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "backstep/io.h"

static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    enum { CAP = 4096 };
    static bstep_imu_sample buf[CAP];
    struct stat st;
    const int repeats = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    double best = -1.0;
    unsigned long long samples = 0;
    int r;
    if (argc < 2 || repeats < 1 || stat(argv[1], &st) != 0) {
        fprintf(stderr, "usage: bench_ingest FILE [REPEATS]\n");
        return 2;
    }
    for (r = 0; r < repeats; r++) {
        bstep_reader *rd = NULL;
        char err[512];
        size_t n = 0;
        double t0 = now_s(), dt;
        unsigned long long count = 0;
        int rc = bstep_reader_open(&rd, argv[1], BSTEP_FORMAT_AUTO, err, sizeof(err));
        if (rc != BSTEP_OK) {
            fprintf(stderr, "bench_ingest: %s\n", err);
            return 1;
        }
        while ((rc = bstep_reader_read(rd, buf, CAP, &n)) == BSTEP_OK && n > 0)
            count += n;
        if (rc != BSTEP_OK) {
            fprintf(stderr, "bench_ingest: %s\n", bstep_reader_errmsg(rd));
            bstep_reader_close(rd);
            return 1;
        }
        bstep_reader_close(rd);
        dt = now_s() - t0;
        if (best < 0.0 || dt < best)
            best = dt;
        samples = count;
    }
    printf("file %s: %.1f MB, %llu samples\n", argv[1], (double)st.st_size / 1e6, samples);
    printf("reader: best of %d: %.3f s, %.1f MB/s, %.3e samples/s\n", repeats, best,
           (double)st.st_size / 1e6 / best, (double)samples / best);
    return 0;
}
