/* Helpers shared by the reader tests: temporary files under $BSTEP_TEST_TMP, read-everything. */
#ifndef BSTEP_TESTS_IO_UTIL_H
#define BSTEP_TESTS_IO_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backstep/io.h"

#define IO_MAX_SAMPLES 20000

typedef struct {
    int open_rc, read_rc;
    char err[1024];
    bstep_imu_sample s[IO_MAX_SAMPLES];
    size_t n;
    bstep_quality q;
    bstep_format format;
} io_result;

static inline const char *io_tmpdir(void)
{
    const char *d = getenv("BSTEP_TEST_TMP");
    return (d != NULL && d[0] != '\0') ? d : "/tmp";
}

/* Path of name inside the test's temporary folder (static buffer rotated over 4 slots). */
static inline const char *io_path(const char *name)
{
    static char buf[4][1024];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(buf[slot], sizeof buf[slot], "%s/%s", io_tmpdir(), name);
    return buf[slot];
}

static inline const char *io_write_len(const char *name, const void *data, size_t len)
{
    const char *p = io_path(name);
    FILE *f = fopen(p, "wb");
    if (f == NULL) {
        fprintf(stderr, "cannot write %s: %s\n", p, strerror(errno));
        abort();
    }
    if (len > 0 && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
    return p;
}

static inline const char *io_write(const char *name, const char *text)
{
    return io_write_len(name, text, strlen(text));
}

static inline const char *io_mkdir(const char *name)
{
    const char *p = io_path(name);
    mkdir(p, 0755);
    return p;
}

/* Open path and read everything with reads of cap samples. */
static inline void io_read_all(const char *path, bstep_format fmt, size_t cap, io_result *res)
{
    bstep_reader *r = NULL;
    static bstep_imu_sample chunk[4096];
    memset(res, 0, sizeof *res);
    if (cap > 4096)
        cap = 4096;
    res->open_rc = bstep_reader_open(&r, path, fmt, res->err, sizeof res->err);
    res->read_rc = res->open_rc;
    if (res->open_rc != BSTEP_OK)
        return;
    res->format = bstep_reader_format(r);
    for (;;) {
        size_t n = 0, i;
        res->read_rc = bstep_reader_read(r, chunk, cap, &n);
        if (res->read_rc != BSTEP_OK) {
            snprintf(res->err, sizeof res->err, "%s", bstep_reader_errmsg(r));
            break;
        }
        if (n == 0)
            break;
        for (i = 0; i < n && res->n < IO_MAX_SAMPLES; i++)
            res->s[res->n++] = chunk[i];
    }
    bstep_reader_quality(r, &res->q);
    bstep_reader_close(r);
}

/* The same samples, bit for bit. */
static inline int io_same_samples(const io_result *a, const io_result *b)
{
    size_t i;
    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++) {
        if (a->s[i].t_us != b->s[i].t_us || a->s[i].flags != b->s[i].flags ||
            memcmp(a->s[i].accel_mps2, b->s[i].accel_mps2, sizeof a->s[i].accel_mps2) != 0 ||
            memcmp(a->s[i].gyro_dps, b->s[i].gyro_dps, sizeof a->s[i].gyro_dps) != 0)
            return 0;
    }
    return 1;
}

#endif
