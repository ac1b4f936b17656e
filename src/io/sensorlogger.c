/*
 * Sensor Logger export reader (formats.md section 1): a folder or a .zip holding one CSV per
 * sensor, header "time,seconds_elapsed,z,y,x" (columns mapped by name), time = int64 UTC epoch
 * nanoseconds (parsed from the digits, never through a double).
 *
 * Acceleration with gravity, in order of preference:
 *   1. TotalAcceleration.csv (Android);
 *   2. Accelerometer.csv + Gravity.csv: both are summed, gravity interpolated at the accelerometer
 *      times (Accelerometer.csv is gravity-free user acceleration);
 *   3. Accelerometer.csv alone: delivered as is and quality.gravity_removed = 1 (the analysis
 *      needs gravity and will be poor).
 * Gyroscope.csv (rad/s -> deg/s) is optional; without it samples have no BSTEP_SAMPLE_HAS_GYRO.
 *
 * Frames. iOS reports accelerations and gravity with the opposite sign to Android on all three
 * axes (flat on a table: gravity -z on iOS, +z on Android). The library's convention is Android's
 * (specific force: an axis pointing up reads +g), so when metadata.csv says platform = iOS the
 * three acceleration axes (and gravity) are negated. If metadata.csv has a column whose name
 * contains "standard" with value true/1 (the app's "Standardise Units & Frames" option; column name
 * unverified), the data is already Android-style and is left alone. Without metadata.csv the data
 * is taken as Android-style. Angular rates have the same sign on both platforms.
 *
 * Joining. One sample per acceleration row. Gravity and gyro are linearly interpolated between
 * the two rows of their stream that bracket the acceleration time, only when the bracket is at
 * most 0.1 s wide (no extrapolation): otherwise the sample is dropped and counted in dropped_rows.
 * Every stream is read once, front to back, holding two rows: constant memory. Duplicate or
 * backward times within a stream are dropped and counted.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/numparse.h"
#include "io/io_internal.h"

#define RAD_TO_DEG (180.0 / 3.14159265358979323846)

/* ---------------------------------------------------------------------------------------- */
/* one stream of timed rows */

int bstep__xyz_init(bstep_reader *r, bstep__xyz_stream *s, bstep__source src, const char *name)
{
    size_t i;
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%.*s", (int)sizeof s->name - 1, name);
    s->sep = ',';
    s->nval = 3;
    for (i = 0; i < 6; i++)
        s->scale[i] = 1.0;
    if (bstep__lr_init(&s->lr, src, BSTEP__LINE_MAX) != 0)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    return BSTEP_OK;
}

void bstep__xyz_close(bstep__xyz_stream *s)
{
    if (s != NULL)
        bstep__lr_free(&s->lr);
}

int bstep__xyz_header_sl(bstep_reader *r, bstep__xyz_stream *s, double scale)
{
    static const char *const names[4] = {"time", "x", "y", "z"};
    size_t found[4] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    char *line;
    size_t len, n, i, k;
    int rc;
    do {
        rc = bstep__lr_next(&s->lr, &line, &len);
    } while (rc == 1 && len == 0);
    if (rc == 0)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s: empty file (no header line)", s->name);
    if (rc < 0)
        return bstep__reader_lr_fail(r, &s->lr, s->name, rc);
    n = bstep__split(line, len, ',', s->f, BSTEP__XYZ_MAX_COLS);
    if (n > BSTEP__XYZ_MAX_COLS)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:1: more than %d columns", s->name,
                                  BSTEP__XYZ_MAX_COLS);
    for (i = 0; i < n; i++)
        for (k = 0; k < 4; k++)
            if (bstep__field_is(&s->f[i], names[k])) {
                if (found[k] != SIZE_MAX)
                    return bstep__reader_fail(r, BSTEP_EFORMAT,
                                              "%s:1:%zu: column '%s' appears twice", s->name, i + 1,
                                              names[k]);
                found[k] = i;
            }
    for (k = 0; k < 4; k++)
        if (found[k] == SIZE_MAX)
            return bstep__reader_fail(r, BSTEP_EFORMAT,
                                      "%s:1: header has no '%s' column (expected "
                                      "'time,seconds_elapsed,z,y,x')",
                                      s->name, names[k]);
    s->ncols = n;
    s->col_t = found[0];
    snprintf(s->colname[0], sizeof s->colname[0], "time");
    for (k = 0; k < 3; k++) {
        s->col[k] = found[k + 1];
        s->scale[k] = scale;
        snprintf(s->colname[k + 1], sizeof s->colname[k + 1], "%s", names[k + 1]);
    }
    s->time_exp10 = -9;
    s->nval = 3;
    return BSTEP_OK;
}

int bstep__xyz_next(bstep_reader *r, bstep__xyz_stream *s)
{
    bstep_quality *q = bstep__reader_quality(r);
    for (;;) {
        char *line;
        size_t len, n, k;
        int64_t t;
        int rc = bstep__lr_next(&s->lr, &line, &len), nrc;
        unsigned long long ln;
        if (rc == 0)
            return 0;
        if (rc < 0)
            return bstep__reader_lr_fail(r, &s->lr, s->name, rc);
        ln = (unsigned long long)s->lr.line_no;
        if (len == 0)
            continue;
        n = bstep__split(line, len, s->sep, s->f, BSTEP__XYZ_MAX_COLS);
        if (n != s->ncols)
            return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: %s%zu fields, the header has %zu",
                                      s->name, ln, n > BSTEP__XYZ_MAX_COLS ? "more than " : "",
                                      n > BSTEP__XYZ_MAX_COLS ? (size_t)BSTEP__XYZ_MAX_COLS : n,
                                      s->ncols);
        nrc = bstep__num_fixed(s->f[s->col_t].p, s->f[s->col_t].len, s->allow_comma, s->time_exp10,
                               -9, &t);
        if (nrc != BSTEP__NUM_OK)
            return bstep__reader_field_fail(r, s->name, ln, s->col_t + 1, s->colname[0],
                                            &s->f[s->col_t], nrc);
        for (k = 0; k < s->nval; k++) {
            double v;
            size_t c = s->col[k];
            nrc = bstep__num_double(s->f[c].p, s->f[c].len, s->allow_comma, &v);
            if (nrc != BSTEP__NUM_OK)
                return bstep__reader_field_fail(r, s->name, ln, c + 1, s->colname[k + 1], &s->f[c],
                                                nrc);
            s->v[k] = v * s->scale[k];
        }
        if (s->have_prev && t <= s->prev_t_ns) {
            if (t == s->prev_t_ns)
                q->duplicate_timestamps++;
            else
                q->backward_timestamps++;
            q->dropped_rows++;
            continue;
        }
        s->have_prev = 1;
        s->prev_t_ns = t;
        s->t_ns = t;
        return 1;
    }
}

int bstep__interp_at(bstep_reader *r, bstep__interp *ip, int64_t t_ns, double out[3])
{
    size_t k;
    while (!(ip->n == 2 && ip->t1 >= t_ns) && !ip->eof) {
        int rc = bstep__xyz_next(r, ip->s);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            ip->eof = 1;
            break;
        }
        if (ip->n > 0) {
            ip->t0 = ip->t1;
            memcpy(ip->v0, ip->v1, sizeof ip->v0);
        }
        ip->t1 = ip->s->t_ns;
        memcpy(ip->v1, ip->s->v, sizeof ip->v1);
        if (ip->n < 2)
            ip->n++;
    }
    if (ip->n >= 1 && ip->t1 == t_ns) {
        memcpy(out, ip->v1, 3 * sizeof out[0]);
        return 1;
    }
    /* differences in uint64: exact for ordered int64 values, no signed overflow */
    if (ip->n == 2 && ip->t0 <= t_ns && t_ns <= ip->t1 &&
        (uint64_t)ip->t1 - (uint64_t)ip->t0 <= (uint64_t)BSTEP__INTERP_MAX_NS) {
        double w = (double)((uint64_t)t_ns - (uint64_t)ip->t0) /
                   (double)((uint64_t)ip->t1 - (uint64_t)ip->t0);
        for (k = 0; k < 3; k++)
            out[k] = ip->v0[k] + w * (ip->v1[k] - ip->v0[k]);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Sensor Logger */

typedef struct {
    bstep__xyz_stream acc, grav, gyr;
    int has_grav, has_gyr;
    bstep__interp ig, iw;
    double sign; /* -1 for iOS accelerations */
} sl_state;

static void sl_close(void *impl)
{
    sl_state *st = impl;
    if (st == NULL)
        return;
    bstep__xyz_close(&st->acc);
    bstep__xyz_close(&st->grav);
    bstep__xyz_close(&st->gyr);
    free(st);
}

int64_t bstep__ns_to_us(int64_t ns)
{
    int64_t q = ns / 1000, rem = ns % 1000;
    if (rem >= 500)
        q++;
    else if (rem <= -500)
        q--;
    return q;
}

static int sl_next(bstep_reader *r, void *impl, bstep_imu_sample *s)
{
    sl_state *st = impl;
    bstep_quality *q = bstep__reader_quality(r);
    for (;;) {
        double g[3] = {0.0, 0.0, 0.0}, w[3] = {0.0, 0.0, 0.0};
        size_t k;
        int rc = bstep__xyz_next(r, &st->acc);
        if (rc <= 0)
            return rc;
        if (st->has_grav) {
            rc = bstep__interp_at(r, &st->ig, st->acc.t_ns, g);
            if (rc < 0)
                return rc;
            if (rc == 0) {
                q->dropped_rows++;
                continue;
            }
        }
        if (st->has_gyr) {
            rc = bstep__interp_at(r, &st->iw, st->acc.t_ns, w);
            if (rc < 0)
                return rc;
            if (rc == 0) {
                q->dropped_rows++;
                continue;
            }
        }
        s->t_us = bstep__ns_to_us(st->acc.t_ns);
        for (k = 0; k < 3; k++) {
            s->accel_mps2[k] = (float)(st->sign * (st->acc.v[k] + g[k]));
            s->gyro_dps[k] = (float)w[k];
        }
        s->flags = st->has_gyr ? BSTEP_SAMPLE_HAS_GYRO : 0u;
        return 1;
    }
}

static const bstep__reader_ops sl_ops = {sl_next, sl_close};

static int open_stream(bstep_reader *r, bstep__container *c, const char *entry,
                       bstep__xyz_stream *s, double scale)
{
    bstep__source src;
    char disp[1200];
    int rc = bstep__container_open(c, entry, &src, disp, sizeof disp);
    if (rc != BSTEP_OK)
        return bstep__reader_fail(r, rc == BSTEP_ENOTFOUND ? BSTEP_EFORMAT : rc, "%s: %s", disp,
                                  rc == BSTEP_ENOTFOUND ? "missing" : "cannot open");
    rc = bstep__xyz_init(r, s, src, disp);
    if (rc != BSTEP_OK)
        return rc;
    return bstep__xyz_header_sl(r, s, scale);
}

static int lower_eq(const bstep__field *f, const char *w)
{
    size_t i, n = strlen(w);
    if (f->len != n)
        return 0;
    for (i = 0; i < n; i++)
        if (tolower((unsigned char)f->p[i]) != w[i])
            return 0;
    return 1;
}

/* Read metadata.csv: platform and standardisation. Sets *sign to -1 for unstandardised iOS. */
static int read_metadata(bstep_reader *r, bstep__container *c, double *sign)
{
    bstep__source src;
    bstep__linereader lr;
    char disp[1200];
    bstep__field hf[BSTEP__XYZ_MAX_COLS + 1], vf[BSTEP__XYZ_MAX_COLS + 1];
    char *line;
    size_t len, nh, nv, i;
    int ios = 0, standard = 0;
    *sign = 1.0;
    if (bstep__container_open(c, "metadata.csv", &src, disp, sizeof disp) != BSTEP_OK)
        return BSTEP_OK;
    if (bstep__lr_init(&lr, src, BSTEP__LINE_MAX) != 0)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", disp);
    if (bstep__lr_next(&lr, &line, &len) != 1) {
        bstep__lr_free(&lr);
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s: no header line", disp);
    }
    nh = bstep__split(line, len, ',', hf, BSTEP__XYZ_MAX_COLS);
    /* the header fields point into the buffer; copy the names we need before reading on */
    {
        int pcol = -1, scol = -1;
        for (i = 0; i < nh && i < BSTEP__XYZ_MAX_COLS; i++) {
            char lowered[64];
            size_t k;
            bstep__field_quote(hf[i].p, hf[i].len, lowered, sizeof lowered);
            for (k = 0; lowered[k]; k++)
                lowered[k] = (char)tolower((unsigned char)lowered[k]);
            if (strcmp(lowered, "platform") == 0)
                pcol = (int)i;
            else if (strstr(lowered, "standard") != NULL)
                scol = (int)i;
        }
        if (bstep__lr_next(&lr, &line, &len) == 1) {
            nv = bstep__split(line, len, ',', vf, BSTEP__XYZ_MAX_COLS);
            if (pcol >= 0 && (size_t)pcol < nv && lower_eq(&vf[pcol], "ios"))
                ios = 1;
            if (scol >= 0 && (size_t)scol < nv &&
                (lower_eq(&vf[scol], "true") || lower_eq(&vf[scol], "1") ||
                 lower_eq(&vf[scol], "yes")))
                standard = 1;
        }
    }
    bstep__lr_free(&lr);
    if (ios && !standard)
        *sign = -1.0;
    return BSTEP_OK;
}

static void finish_open(bstep_reader *r, sl_state *st)
{
    bstep_quality *q = bstep__reader_quality(r);
    st->ig.s = &st->grav;
    st->iw.s = &st->gyr;
    q->has_gyro = st->has_gyr;
    bstep__reader_set_impl(r, &sl_ops, st);
}

int bstep__sensorlogger_open_container(bstep_reader *r, bstep__container *c)
{
    sl_state *st = calloc(1, sizeof *st);
    int rc;
    if (st == NULL)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "out of memory");
    rc = read_metadata(r, c, &st->sign);
    if (rc != BSTEP_OK)
        goto fail;
    if (bstep__container_has(c, "TotalAcceleration.csv")) {
        rc = open_stream(r, c, "TotalAcceleration.csv", &st->acc, 1.0);
    } else if (bstep__container_has(c, "Accelerometer.csv")) {
        rc = open_stream(r, c, "Accelerometer.csv", &st->acc, 1.0);
        if (rc == BSTEP_OK && bstep__container_has(c, "Gravity.csv")) {
            st->has_grav = 1;
            rc = open_stream(r, c, "Gravity.csv", &st->grav, 1.0);
        } else if (rc == BSTEP_OK) {
            bstep__reader_quality(r)->gravity_removed = 1;
        }
    } else {
        rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                "%s: no TotalAcceleration.csv or Accelerometer.csv in the export",
                                bstep__container_path(c));
    }
    if (rc != BSTEP_OK)
        goto fail;
    if (bstep__container_has(c, "Gyroscope.csv")) {
        st->has_gyr = 1;
        rc = open_stream(r, c, "Gyroscope.csv", &st->gyr, RAD_TO_DEG);
        if (rc != BSTEP_OK)
            goto fail;
    }
    finish_open(r, st);
    return BSTEP_OK;
fail:
    sl_close(st);
    return rc;
}

int bstep__sensorlogger_open_file(bstep_reader *r, bstep__linereader *lr, const char *name,
                                  const char *entry)
{
    sl_state *st;
    int rc;
    int total = strncmp(entry, "TotalAcceleration", 17) == 0;
    if (!total && strncmp(entry, "Accelerometer", 13) != 0) {
        bstep__lr_free(lr);
        return bstep__reader_fail(r, BSTEP_EFORMAT,
                                  "%s: a single Sensor Logger file must be TotalAcceleration.csv "
                                  "or Accelerometer.csv; open the export folder or zip to join "
                                  "the gyroscope",
                                  name);
    }
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        bstep__lr_free(lr);
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    st->sign = 1.0;
    memset(&st->acc, 0, sizeof st->acc);
    snprintf(st->acc.name, sizeof st->acc.name, "%s", name);
    st->acc.lr = *lr;
    memset(lr, 0, sizeof *lr);
    st->acc.sep = ',';
    rc = bstep__xyz_header_sl(r, &st->acc, 1.0);
    if (rc != BSTEP_OK) {
        sl_close(st);
        return rc;
    }
    if (!total)
        bstep__reader_quality(r)->gravity_removed = 1;
    finish_open(r, st);
    return BSTEP_OK;
}

int bstep__sensorlogger_open_mem(bstep_reader *r, const void *acc, size_t acc_len, const void *gyr,
                                 size_t gyr_len)
{
    sl_state *st = calloc(1, sizeof *st);
    bstep__source src;
    int rc;
    if (st == NULL)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "out of memory");
    st->sign = 1.0;
    if (bstep__source_mem(&src, acc, acc_len) != 0) {
        rc = bstep__reader_fail(r, BSTEP_ENOMEM, "out of memory");
        goto fail;
    }
    rc = bstep__xyz_init(r, &st->acc, src, "TotalAcceleration.csv");
    if (rc == BSTEP_OK)
        rc = bstep__xyz_header_sl(r, &st->acc, 1.0);
    if (rc != BSTEP_OK)
        goto fail;
    if (gyr != NULL) {
        st->has_gyr = 1;
        if (bstep__source_mem(&src, gyr, gyr_len) != 0) {
            rc = bstep__reader_fail(r, BSTEP_ENOMEM, "out of memory");
            goto fail;
        }
        rc = bstep__xyz_init(r, &st->gyr, src, "Gyroscope.csv");
        if (rc == BSTEP_OK)
            rc = bstep__xyz_header_sl(r, &st->gyr, RAD_TO_DEG);
        if (rc != BSTEP_OK)
            goto fail;
    }
    finish_open(r, st);
    return BSTEP_OK;
fail:
    sl_close(st);
    return rc;
}
