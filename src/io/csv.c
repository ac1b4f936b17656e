/*
 * Canonical CSV reader (DESIGN.md section 6, data/README.md section 1).
 *
 * Header: "time (s)", "acc_x (U)", "acc_y (U)", "acc_z (U)" and optionally "gyr_x (V)",
 * "gyr_y (V)", "gyr_z (V)", in any order; U is m/s^2 or g, V is deg/s or rad/s, the time unit is
 * s, ms, us or ns. "hr (bpm)" (heart rate; also "1/min") is read into the reader's heart-rate
 * series (bstep_reader_heart_rate): an empty field, NaN or 0 is no reading, other values must be
 * 20..250. "speed (m/s)" (also km/h) and "incline (%)", a treadmill's belt speed and incline, are
 * read into its treadmill series (bstep_reader_treadmill): an empty field or NaN is no reading,
 * a speed must be 0..50 m/s and an incline -100..100 %. Other columns (mag_*, anything else) are
 * accepted and ignored. The separator is ','; '.' is the decimal mark; exponents are accepted.
 * Time text is converted to microseconds exactly (integer arithmetic on the digits), so Unix
 * times like 1607605064.733 s keep every digit. Accelerations are converted to m/s^2 with
 * g = 9.80665, angular rates to deg/s. Every row must have as many fields as the header; blank
 * lines are skipped. A NaN or infinite value is passed on (reader.c drops and counts the row);
 * any other bad field stops the reader with "file:line:column: field 'name': reason".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/numparse.h"
#include "io/io_internal.h"

#define MAX_COLS   64
#define RAD_TO_DEG (180.0 / 3.14159265358979323846)

enum { C_T, C_AX, C_AY, C_AZ, C_GX, C_GY, C_GZ, C_N };
/* Optional series columns: read per row, kept at most once a second by reader.c. */
enum { S_HR, S_SPEED, S_INCLINE, S_N };

typedef struct {
    bstep__linereader lr;
    char name[512];
    size_t ncols;
    size_t col[C_N];    /* 0-based column, or SIZE_MAX */
    int kind[MAX_COLS]; /* per column: C_T .. C_GZ, or -1 (ignored) */
    size_t scol[S_N];   /* "hr (bpm)", "speed (m/s)", "incline (%)": column or SIZE_MAX */
    char sname[S_N][64];
    double sscale[S_N]; /* to bpm, m/s, % */
    int any_series;
    char colname[C_N][64];
    int time_exp10;
    double acc_scale, gyr_scale;
    int has_gyro;
    bstep__field f[MAX_COLS + 1];
} csv_state;

static const char *const base_names[C_N] = {"time",  "acc_x", "acc_y", "acc_z",
                                            "gyr_x", "gyr_y", "gyr_z"};

static void csv_close(void *impl)
{
    csv_state *st = impl;
    if (st == NULL)
        return;
    bstep__lr_free(&st->lr);
    free(st);
}

/* Split "name (unit)" into name and unit (unit empty when there are no parentheses). */
static void name_unit(const bstep__field *f, bstep__field *name, bstep__field *unit)
{
    const char *open = memchr(f->p, '(', f->len);
    name->p = f->p;
    unit->p = f->p + f->len;
    unit->len = 0;
    if (open == NULL || f->len == 0 || f->p[f->len - 1] != ')') {
        name->len = f->len;
        return;
    }
    name->len = (size_t)(open - f->p);
    while (name->len > 0 && name->p[name->len - 1] == ' ')
        name->len--;
    unit->p = (char *)open + 1;
    unit->len = f->len - (size_t)(open - f->p) - 2;
}

/* The fast path for the rows of a recording: one pass over the line, parsing the mapped fields
 * where they stand and stepping over the others, without splitting it. It gives exactly what the
 * general path gives (the same digit scanner, bstep__num_*_plain); anything it does not handle
 * (quotes, spaces, exponents, NaN, a wrong field count, a bad value) returns 0 and the general
 * path reads the line and, where it must, reports the error. */
static int fast_row(const csv_state *st, const char *line, size_t len, bstep_imu_sample *s,
                    double sv[S_N])
{
    const char *p = line, *const end = line + len;
    size_t i;
    int64_t t = 0;
    double v[C_N];
    for (i = 0; i < S_N; i++)
        sv[i] = (double)NAN;
    for (i = 0; i < st->ncols; i++) {
        const int k = st->kind[i];
        size_t n;
        if (i > 0) {
            if (p == end || *p != ',')
                return 0;
            p++;
        }
        if (k <= -2) { /* a series column: empty is no reading; anything unusual: slow path */
            double *x = &sv[-2 - k];
            n = p < end && *p != ',' ? bstep__num_double_plain(p, end, x) : 0;
            if (n == 0 && p < end && *p != ',')
                return 0;
        } else if (k == C_T) {
            n = bstep__num_fixed_plain(p, end, st->time_exp10, -6, &t);
        } else if (k >= 0) {
            n = bstep__num_double_plain(p, end, &v[k]);
        } else { /* an ignored column: step over it (a quote may hide a ',', so not those) */
            const char *q = p;
            while (q < end && *q != ',' && *q != '"')
                q++;
            if (q < end && *q == '"')
                return 0;
            n = (size_t)(q - p);
        }
        if (n == 0 && k >= 0)
            return 0;
        p += n;
    }
    if (p != end)
        return 0;
    s->t_us = t;
    for (i = 0; i < 3; i++)
        s->accel_mps2[i] = (float)(v[C_AX + i] * st->acc_scale);
    if (st->has_gyro)
        for (i = 0; i < 3; i++)
            s->gyro_dps[i] = (float)(v[C_GX + i] * st->gyr_scale);
    s->flags = st->has_gyro ? BSTEP_SAMPLE_HAS_GYRO : 0u;
    return 1;
}

/* The series readings of a row. Heart rate: none for NaN or 0, an error outside 20..250 bpm.
 * Treadmill speed (0 is a stopped belt, a reading) and incline: none for NaN, an error outside
 * what a walking or running person on a treadmill can produce (the activity readers' limits:
 * 50 m/s, |100| %). @return 1, or the error status. */
static int take_series(bstep_reader *r, const csv_state *st, const bstep_imu_sample *s,
                       double sv[S_N], unsigned long long ln)
{
    double hr = sv[S_HR], speed = sv[S_SPEED] * st->sscale[S_SPEED], inc = sv[S_INCLINE];
    if (!st->any_series)
        return 1;
    if (isfinite(hr) && hr != 0.0) {
        if (hr < 20.0 || hr > 250.0)
            return bstep__reader_fail(r, BSTEP_EFORMAT,
                                      "%s:%llu:%zu: field '%s': %.1f bpm is not a heart rate "
                                      "(20..250; leave it empty or 0 when there is no reading)",
                                      st->name, ln, st->scol[S_HR] + 1, st->sname[S_HR], hr);
        if (bstep__reader_add_hr(r, s->t_us, (float)hr) != BSTEP_OK)
            return BSTEP_ENOMEM;
    }
    if (isfinite(speed) && (speed < 0.0 || speed > 50.0))
        return bstep__reader_fail(r, BSTEP_EFORMAT,
                                  "%s:%llu:%zu: field '%s': %.2f m/s is not a treadmill speed "
                                  "(0..50 m/s; leave it empty when there is no reading)",
                                  st->name, ln, st->scol[S_SPEED] + 1, st->sname[S_SPEED], speed);
    if (isfinite(inc) && (inc < -100.0 || inc > 100.0))
        return bstep__reader_fail(r, BSTEP_EFORMAT,
                                  "%s:%llu:%zu: field '%s': %.1f %% is not an incline (-100..100 "
                                  "%%; leave it empty when there is no reading)",
                                  st->name, ln, st->scol[S_INCLINE] + 1, st->sname[S_INCLINE], inc);
    if ((isfinite(speed) || isfinite(inc)) &&
        bstep__reader_add_treadmill(r, s->t_us, isfinite(speed) ? (float)speed : NAN,
                                    isfinite(inc) ? (float)inc : NAN) != BSTEP_OK)
        return BSTEP_ENOMEM;
    return 1;
}

static int next_row(bstep_reader *r, void *impl, bstep_imu_sample *s)
{
    csv_state *st = impl;
    for (;;) {
        char *line;
        size_t len, n, k;
        double sv[S_N];
        int rc = bstep__lr_next(&st->lr, &line, &len);
        unsigned long long ln;
        if (rc == 0)
            return 0;
        if (rc < 0)
            return bstep__reader_lr_fail(r, &st->lr, st->name, rc);
        ln = (unsigned long long)st->lr.line_no;
        if (len == 0)
            continue;
        if (fast_row(st, line, len, s, sv))
            return take_series(r, st, s, sv, ln);
        n = bstep__split(line, len, ',', st->f, MAX_COLS);
        if (n != st->ncols)
            return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: %s%zu fields, the header has %zu",
                                      st->name, ln, n > MAX_COLS ? "more than " : "",
                                      n > MAX_COLS ? MAX_COLS : n, st->ncols);
        {
            int64_t t;
            size_t c = st->col[C_T];
            int nrc = bstep__num_fixed(st->f[c].p, st->f[c].len, 0, st->time_exp10, -6, &t);
            if (nrc != BSTEP__NUM_OK)
                return bstep__reader_field_fail(r, st->name, ln, c + 1, st->colname[C_T], &st->f[c],
                                                nrc);
            s->t_us = t;
        }
        for (k = C_AX; k <= C_GZ; k++) {
            double v;
            size_t c = st->col[k];
            int nrc;
            if (k >= C_GX && !st->has_gyro)
                break;
            nrc = bstep__num_double(st->f[c].p, st->f[c].len, 0, &v);
            if (nrc != BSTEP__NUM_OK)
                return bstep__reader_field_fail(r, st->name, ln, c + 1, st->colname[k], &st->f[c],
                                                nrc);
            if (k < C_GX)
                s->accel_mps2[k - C_AX] = (float)(v * st->acc_scale);
            else
                s->gyro_dps[k - C_GX] = (float)(v * st->gyr_scale);
        }
        s->flags = st->has_gyro ? BSTEP_SAMPLE_HAS_GYRO : 0u;
        for (k = 0; k < S_N; k++) {
            const size_t c = st->scol[k];
            sv[k] = (double)NAN;
            if (c != SIZE_MAX && st->f[c].len > 0) {
                const int nrc = bstep__num_double(st->f[c].p, st->f[c].len, 0, &sv[k]);
                if (nrc != BSTEP__NUM_OK && nrc != BSTEP__NUM_EMPTY) /* "nan": no reading */
                    return bstep__reader_field_fail(r, st->name, ln, c + 1, st->sname[k], &st->f[c],
                                                    nrc);
            }
        }
        return take_series(r, st, s, sv, ln);
    }
}

static const bstep__reader_ops csv_ops = {next_row, csv_close};

static int unit_is(const bstep__field *u, const char *a)
{
    return bstep__field_is(u, a);
}

int bstep__csv_open(bstep_reader *r, bstep__linereader *lr, const char *name)
{
    csv_state *st = calloc(1, sizeof *st);
    char *line;
    size_t len, n, i, k;
    int rc;
    char text[64];

    if (st == NULL) {
        bstep__lr_free(lr);
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    st->lr = *lr;
    memset(lr, 0, sizeof *lr);
    snprintf(st->name, sizeof st->name, "%s", name);
    for (k = 0; k < C_N; k++)
        st->col[k] = SIZE_MAX;
    for (k = 0; k < S_N; k++) {
        st->scol[k] = SIZE_MAX;
        st->sscale[k] = 1.0;
    }
    st->acc_scale = st->gyr_scale = 1.0;

    do {
        rc = bstep__lr_next(&st->lr, &line, &len);
    } while (rc == 1 && len == 0);
    if (rc == 0) {
        rc = bstep__reader_fail(r, BSTEP_EFORMAT, "%s: empty file (no header line)", name);
        goto fail;
    }
    if (rc < 0) {
        rc = bstep__reader_lr_fail(r, &st->lr, name, rc);
        goto fail;
    }
    n = bstep__split(line, len, ',', st->f, MAX_COLS);
    if (n > MAX_COLS) {
        rc = bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: more than %d columns", name,
                                (unsigned long long)st->lr.line_no, MAX_COLS);
        goto fail;
    }
    st->ncols = n;
    for (i = 0; i < n; i++) {
        bstep__field nm, un;
        name_unit(&st->f[i], &nm, &un);
        {
            static const char *const snames[S_N] = {"hr", "speed", "incline"};
            static const char *const sunits[S_N] = {"bpm", "m/s or km/h", "%"};
            int sk = -1, found = 0;
            for (k = 0; k < S_N; k++)
                if (bstep__field_is(&nm, snames[k]))
                    sk = (int)k;
            if (sk >= 0) {
                bstep__field_quote(st->f[i].p, st->f[i].len, st->sname[sk], sizeof st->sname[sk]);
                if (st->scol[sk] != SIZE_MAX) {
                    rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                            "%s:%llu:%zu: column '%s' appears twice", name,
                                            (unsigned long long)st->lr.line_no, i + 1, snames[sk]);
                    goto fail;
                }
                if (sk == S_HR)
                    found = unit_is(&un, "bpm") || unit_is(&un, "1/min");
                else if (sk == S_SPEED && (unit_is(&un, "m/s") || unit_is(&un, "mps")))
                    found = 1;
                else if (sk == S_SPEED && (unit_is(&un, "km/h") || unit_is(&un, "kmh"))) {
                    found = 1;
                    st->sscale[sk] = 1.0 / 3.6;
                } else if (sk == S_INCLINE)
                    found = unit_is(&un, "%");
                if (!found) {
                    bstep__field_quote(un.p, un.len, text, sizeof text);
                    rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                            "%s:%llu:%zu: column '%s': unknown unit '%s' "
                                            "(expected %s)",
                                            name, (unsigned long long)st->lr.line_no, i + 1,
                                            st->sname[sk], text, sunits[sk]);
                    goto fail;
                }
                st->scol[sk] = i;
                st->any_series = 1;
                continue;
            }
        }
        for (k = 0; k < C_N; k++) {
            if (!bstep__field_is(&nm, base_names[k]))
                continue;
            bstep__field_quote(st->f[i].p, st->f[i].len, st->colname[k], sizeof st->colname[k]);
            if (st->col[k] != SIZE_MAX) {
                rc = bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu:%zu: column '%s' appears twice",
                                        name, (unsigned long long)st->lr.line_no, i + 1,
                                        base_names[k]);
                goto fail;
            }
            st->col[k] = i;
            bstep__field_quote(un.p, un.len, text, sizeof text);
            if (k == C_T) {
                if (unit_is(&un, "s"))
                    st->time_exp10 = 0;
                else if (unit_is(&un, "ms"))
                    st->time_exp10 = -3;
                else if (unit_is(&un, "us") || unit_is(&un, "\xC2\xB5s"))
                    st->time_exp10 = -6;
                else if (unit_is(&un, "ns"))
                    st->time_exp10 = -9;
                else
                    goto bad_unit;
            } else if (k <= C_AZ) {
                double sc = 0.0;
                if (unit_is(&un, "m/s^2") || unit_is(&un, "m/s2") || unit_is(&un, "m/s\xC2\xB2"))
                    sc = 1.0;
                else if (unit_is(&un, "g"))
                    sc = (double)BSTEP_STANDARD_GRAVITY_MPS2;
                else
                    goto bad_unit;
                if (k != C_AX && sc != st->acc_scale) {
                    rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                            "%s:%llu:%zu: column '%s': unit differs from the "
                                            "other acceleration columns",
                                            name, (unsigned long long)st->lr.line_no, i + 1,
                                            st->colname[k]);
                    goto fail;
                }
                st->acc_scale = sc;
            } else {
                double sc;
                if (unit_is(&un, "deg/s") || unit_is(&un, "dps") || unit_is(&un, "\xC2\xB0/s"))
                    sc = 1.0;
                else if (unit_is(&un, "rad/s"))
                    sc = RAD_TO_DEG;
                else
                    goto bad_unit;
                if (k != C_GX && sc != st->gyr_scale) {
                    rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                            "%s:%llu:%zu: column '%s': unit differs from the "
                                            "other angular rate columns",
                                            name, (unsigned long long)st->lr.line_no, i + 1,
                                            st->colname[k]);
                    goto fail;
                }
                st->gyr_scale = sc;
            }
            break;
        bad_unit:
            rc = bstep__reader_fail(
                r, BSTEP_EFORMAT, "%s:%llu:%zu: column '%s': unknown unit '%s' (expected %s)", name,
                (unsigned long long)st->lr.line_no, i + 1, st->colname[k], text,
                k == C_T    ? "s, ms, us or ns"
                : k <= C_AZ ? "m/s^2 or g"
                            : "deg/s or rad/s");
            goto fail;
        }
    }
    for (k = 0; k <= C_AZ; k++) {
        if (st->col[k] == SIZE_MAX) {
            rc = bstep__reader_fail(
                r, BSTEP_EFORMAT,
                "%s:%llu: header has no '%s' column (expected 'time (s),"
                "acc_x (m/s^2),acc_y (m/s^2),acc_z (m/s^2)[,gyr_x (deg/s),...]')",
                name, (unsigned long long)st->lr.line_no, base_names[k]);
            goto fail;
        }
    }
    {
        int ng =
            (st->col[C_GX] != SIZE_MAX) + (st->col[C_GY] != SIZE_MAX) + (st->col[C_GZ] != SIZE_MAX);
        if (ng != 0 && ng != 3) {
            rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                    "%s:%llu: header has %d of the 3 gyr_x/gyr_y/gyr_z columns",
                                    name, (unsigned long long)st->lr.line_no, ng);
            goto fail;
        }
        st->has_gyro = ng == 3;
    }
    for (i = 0; i < n; i++)
        st->kind[i] = -1;
    for (k = 0; k < C_N; k++)
        if (st->col[k] != SIZE_MAX && (k <= C_AZ || st->has_gyro))
            st->kind[st->col[k]] = (int)k;
    for (k = 0; k < S_N; k++) /* series columns: -2 - S_* */
        if (st->scol[k] != SIZE_MAX)
            st->kind[st->scol[k]] = -2 - (int)k;
    bstep__reader_quality(r)->has_gyro = st->has_gyro;
    bstep__reader_set_impl(r, &csv_ops, st);
    return BSTEP_OK;
fail:
    csv_close(st);
    return rc;
}
