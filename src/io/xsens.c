/*
 * Xsens MT text export reader (formats.md section 3; the form of the public IPOL gait data set).
 *
 *   Acquisition frequency: 100 Hz            <- optional preamble: "key: value" or "// ..." lines
 *   PacketCounter<TAB>Acc_X<TAB>...<TAB>Gyr_Z<TAB>Mag_X...   <- header, found by "Acc_X"
 *   0.0<TAB>8.225546<TAB>...
 *
 * The rate comes from a preamble key containing "frequency" or "Update Rate" (first number of the
 * value, Hz). Columns are mapped by name; the separator is the header's (tab, else ',' or ';').
 * Acc_* is m/s^2 with gravity (kept), Gyr_* rad/s (converted to deg/s); other columns are ignored.
 *
 * Time. With a PacketCounter column (written as a float, "0.0", "1.0", ...), the time of a row is
 * (counter - first counter) / rate. A jump of k > 1 means k - 1 lost packets: they are counted in
 * missing_samples and the next sample gets BSTEP_SAMPLE_GAP_BEFORE. A repeated counter is a
 * duplicate (dropped by reader.c). A counter that decreases from within 1024 of 65535 to below 1024
 * is taken as a 16-bit wrap-around (the MTw counter is 16 bits; unverified on real files, none of
 * the reference files wraps); any other decrease is an error naming the line and column.
 * Without PacketCounter, SampleTimeFine is used, in units of 1e-4 s (formats.md: unverified; a
 * decrease is taken as a 32-bit wrap). Without either, the file is rejected.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/numparse.h"
#include "io/io_internal.h"

#define MAX_COLS     128
#define MAX_PREAMBLE 1000
#define RAD_TO_DEG   (180.0 / 3.14159265358979323846)
#define WRAP16       65536LL
#define NOT_COUNTER  10
/* Largest counter span: keeps the time in microseconds far inside int64 at rates >= 0.01 Hz. */
#define MAX_TICKS   10000000000000LL
#define WRAP_MARGIN 1024LL

enum { X_PC, X_STF, X_AX, X_AY, X_AZ, X_GX, X_GY, X_GZ, X_N };
static const char *const col_names[X_N] = {"PacketCounter", "SampleTimeFine", "Acc_X", "Acc_Y",
                                           "Acc_Z",         "Gyr_X",          "Gyr_Y", "Gyr_Z"};

typedef struct {
    bstep__linereader lr;
    char name[512];
    char sep;
    size_t ncols;
    size_t col[X_N];
    double rate_hz;
    int has_gyro;
    int have_first;
    int64_t first;    /* first unwrapped counter */
    int64_t prev_raw; /* previous raw counter */
    int64_t unwrapped;
    bstep__field f[MAX_COLS + 1];
} xsens_state;

static void xsens_close(void *impl)
{
    xsens_state *st = impl;
    if (st == NULL)
        return;
    bstep__lr_free(&st->lr);
    free(st);
}

/* Parse a counter written as a float ("12.0"): must be a non-negative integer. */
static int parse_counter(const bstep__field *f, int64_t *out)
{
    double v;
    int rc = bstep__num_double(f->p, f->len, 0, &v);
    if (rc != BSTEP__NUM_OK)
        return rc;
    if (!(v >= 0.0) || v > 9.0e15 || floor(v) != v)
        return NOT_COUNTER;
    *out = (int64_t)v;
    return BSTEP__NUM_OK;
}

static int next_row(bstep_reader *r, void *impl, bstep_imu_sample *s)
{
    xsens_state *st = impl;
    bstep_quality *q = bstep__reader_quality(r);
    for (;;) {
        char *line;
        size_t len, n, k;
        int64_t raw;
        size_t tc;
        int rc = bstep__lr_next(&st->lr, &line, &len);
        unsigned long long ln;
        if (rc == 0)
            return 0;
        if (rc < 0)
            return bstep__reader_lr_fail(r, &st->lr, st->name, rc);
        ln = (unsigned long long)st->lr.line_no;
        if (len == 0)
            continue;
        n = bstep__split(line, len, st->sep, st->f, MAX_COLS);
        if (n != st->ncols)
            return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: %s%zu fields, the header has %zu",
                                      st->name, ln, n > MAX_COLS ? "more than " : "",
                                      n > MAX_COLS ? MAX_COLS : n, st->ncols);
        tc = st->col[X_PC] != SIZE_MAX ? st->col[X_PC] : st->col[X_STF];
        rc = parse_counter(&st->f[tc], &raw);
        if (rc != BSTEP__NUM_OK) {
            if (rc == NOT_COUNTER) {
                char text[64];
                bstep__field_quote(st->f[tc].p, st->f[tc].len, text, sizeof text);
                return bstep__reader_fail(
                    r, BSTEP_EFORMAT,
                    "%s:%llu:%zu: field '%s': not a non-negative integer "
                    "counter: '%s'",
                    st->name, ln, tc + 1,
                    st->col[X_PC] != SIZE_MAX ? col_names[X_PC] : col_names[X_STF], text);
            }
            return bstep__reader_field_fail(
                r, st->name, ln, tc + 1,
                st->col[X_PC] != SIZE_MAX ? col_names[X_PC] : col_names[X_STF], &st->f[tc], rc);
        }
        s->flags = 0;
        if (!st->have_first) {
            st->have_first = 1;
            st->first = st->unwrapped = raw;
        } else if (st->col[X_PC] != SIZE_MAX) {
            int64_t d = raw - st->prev_raw;
            if (d < 0) {
                if (st->prev_raw >= WRAP16 - WRAP_MARGIN && st->prev_raw < WRAP16 &&
                    raw < WRAP_MARGIN)
                    d += WRAP16;
                else
                    return bstep__reader_fail(r, BSTEP_EFORMAT,
                                              "%s:%llu:%zu: field 'PacketCounter': counter went "
                                              "back from %lld to %lld",
                                              st->name, ln, tc + 1, (long long)st->prev_raw,
                                              (long long)raw);
            }
            if (d > 1) {
                q->missing_samples += (uint64_t)(d - 1);
                s->flags |= BSTEP_SAMPLE_GAP_BEFORE;
            }
            st->unwrapped += d;
        } else {
            int64_t d = raw - st->prev_raw;
            if (d < 0)
                d += 4294967296LL; /* 32-bit SampleTimeFine wrap (unverified) */
            st->unwrapped += d;
        }
        st->prev_raw = raw;
        if (st->unwrapped - st->first > MAX_TICKS)
            return bstep__reader_fail(
                r, BSTEP_EFORMAT, "%s:%llu:%zu: field '%s': time out of range", st->name, ln,
                tc + 1, st->col[X_PC] != SIZE_MAX ? col_names[X_PC] : col_names[X_STF]);
        if (st->col[X_PC] != SIZE_MAX)
            s->t_us = (int64_t)llround((double)(st->unwrapped - st->first) * 1e6 / st->rate_hz);
        else
            s->t_us = (st->unwrapped - st->first) * 100;
        for (k = X_AX; k <= X_GZ; k++) {
            double v;
            size_t c = st->col[k];
            int nrc;
            if (k >= X_GX && !st->has_gyro)
                break;
            nrc = bstep__num_double(st->f[c].p, st->f[c].len, 0, &v);
            if (nrc != BSTEP__NUM_OK)
                return bstep__reader_field_fail(r, st->name, ln, c + 1, col_names[k], &st->f[c],
                                                nrc);
            if (k < X_GX)
                s->accel_mps2[k - X_AX] = (float)v;
            else
                s->gyro_dps[k - X_GX] = (float)(v * RAD_TO_DEG);
        }
        if (st->has_gyro)
            s->flags |= BSTEP_SAMPLE_HAS_GYRO;
        return 1;
    }
}

static const bstep__reader_ops xsens_ops = {next_row, xsens_close};

static int contains_ci(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w), i, j;
    for (i = 0; i + n <= len; i++) {
        for (j = 0; j < n; j++)
            if (tolower((unsigned char)s[i + j]) != tolower((unsigned char)w[j]))
                break;
        if (j == n)
            return 1;
    }
    return 0;
}

/* Rate from "Acquisition frequency: 100 Hz" or "// Update Rate: 100.0Hz". 0 if not a rate line. */
static double preamble_rate(const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    size_t i, j;
    double v;
    if (colon == NULL)
        return 0.0;
    if (!contains_ci(line, (size_t)(colon - line), "frequency") &&
        !contains_ci(line, (size_t)(colon - line), "update rate"))
        return 0.0;
    i = (size_t)(colon - line) + 1;
    while (i < len && !isdigit((unsigned char)line[i]))
        i++;
    j = i;
    while (j < len && (isdigit((unsigned char)line[j]) || line[j] == '.'))
        j++;
    if (j == i || bstep__num_double(line + i, j - i, 0, &v) != BSTEP__NUM_OK)
        return -1.0;
    return v;
}

int bstep__xsens_open(bstep_reader *r, bstep__linereader *lr, const char *name)
{
    xsens_state *st = calloc(1, sizeof *st);
    char *line = NULL;
    size_t len = 0, n, i, k;
    int rc;
    unsigned long long ln = 0;

    if (st == NULL) {
        bstep__lr_free(lr);
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    st->lr = *lr;
    memset(lr, 0, sizeof *lr);
    snprintf(st->name, sizeof st->name, "%s", name);
    for (k = 0; k < X_N; k++)
        st->col[k] = SIZE_MAX;

    for (;;) {
        rc = bstep__lr_next(&st->lr, &line, &len);
        if (rc == 0) {
            rc = bstep__reader_fail(
                r, BSTEP_EFORMAT,
                st->lr.line_no == 0 ? "%s: empty file" : "%s: no header line with 'Acc_X'", name);
            goto fail;
        }
        if (rc < 0) {
            rc = bstep__reader_lr_fail(r, &st->lr, name, rc);
            goto fail;
        }
        ln = (unsigned long long)st->lr.line_no;
        if (contains_ci(line, len, "Acc_X") && !(len >= 2 && line[0] == '/' && line[1] == '/'))
            break;
        if (len == 0 || (len >= 2 && line[0] == '/' && line[1] == '/') ||
            memchr(line, ':', len) != NULL) {
            double rate = preamble_rate(line, len);
            if (rate < 0.0) {
                rc =
                    bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: cannot read the rate", name, ln);
                goto fail;
            }
            if (rate > 0.0)
                st->rate_hz = rate;
            if (ln >= MAX_PREAMBLE) {
                rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                        "%s: no header line with 'Acc_X' in the first %d lines",
                                        name, MAX_PREAMBLE);
                goto fail;
            }
            continue;
        }
        rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                "%s:%llu: expected 'key: value' lines or a header with 'Acc_X'",
                                name, ln);
        goto fail;
    }
    st->sep = memchr(line, '\t', len) ? '\t' : memchr(line, ',', len) ? ',' : ';';
    n = bstep__split(line, len, st->sep, st->f, MAX_COLS);
    if (n > MAX_COLS) {
        rc = bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: more than %d columns", name, ln,
                                MAX_COLS);
        goto fail;
    }
    st->ncols = n;
    for (i = 0; i < n; i++) {
        for (k = 0; k < X_N; k++) {
            if (!bstep__field_is(&st->f[i], col_names[k]))
                continue;
            if (st->col[k] != SIZE_MAX) {
                rc = bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu:%zu: column '%s' appears twice",
                                        name, ln, i + 1, col_names[k]);
                goto fail;
            }
            st->col[k] = i;
        }
    }
    for (k = X_AX; k <= X_AZ; k++) {
        if (st->col[k] == SIZE_MAX) {
            rc = bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: header has no '%s' column", name,
                                    ln, col_names[k]);
            goto fail;
        }
    }
    {
        int ng =
            (st->col[X_GX] != SIZE_MAX) + (st->col[X_GY] != SIZE_MAX) + (st->col[X_GZ] != SIZE_MAX);
        if (ng != 0 && ng != 3) {
            rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                    "%s:%llu: header has %d of the 3 Gyr_X/Gyr_Y/Gyr_Z columns",
                                    name, ln, ng);
            goto fail;
        }
        st->has_gyro = ng == 3;
    }
    if (st->col[X_PC] == SIZE_MAX && st->col[X_STF] == SIZE_MAX) {
        rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                "%s:%llu: header has neither 'PacketCounter' nor 'SampleTimeFine': "
                                "no time axis",
                                name, ln);
        goto fail;
    }
    if (st->col[X_PC] != SIZE_MAX && !(st->rate_hz >= 0.01 && st->rate_hz <= 100000.0)) {
        rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                "%s: no sampling rate before the header (expected a line like "
                                "'Acquisition frequency: 100 Hz')",
                                name);
        goto fail;
    }
    bstep__reader_quality(r)->has_gyro = st->has_gyro;
    bstep__reader_quality(r)->nominal_rate_hz = st->rate_hz;
    bstep__reader_set_impl(r, &xsens_ops, st);
    return BSTEP_OK;
fail:
    xsens_close(st);
    return rc;
}
