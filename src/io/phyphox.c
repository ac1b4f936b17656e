/*
 * phyphox CSV export reader (formats.md section 2).
 *
 * Dialects: the separator is found on the header line (tab if present, else ';', else ','); with
 * ';' or tab the decimal mark may be ',' as well as '.' (phyphox's "decimal comma" dialects).
 * Headers are quoted and carry units: "Time (s)", "Acceleration x (m/s^2)",
 * "Linear Acceleration x (m/s^2)" (gravity removed: quality.gravity_removed = 1),
 * "Gyroscope x (rad/s)". A column is recognised by its name: "Time" for time; a name ending in
 * " x"/" y"/" z" that contains "cceleration" for acceleration, or starts with "Gyroscope" for
 * angular rate; units are read from the parentheses (s or ms; m/s^2 or g; rad/s or deg/s).
 * Other columns ("Absolute acceleration", magnetometer, ...) are ignored. Numbers are Java
 * scientific notation ("9.364549000E-3").
 *
 * A single CSV needs acceleration columns; gyro columns in the same file are used when present.
 * A zip (or an extracted folder) holds Accelerometer.csv (else "Raw Data.csv", else
 * "Linear Accelerometer.csv") and optionally Gyroscope.csv, joined on time as for Sensor Logger
 * (gyro interpolated between the two rows around each acceleration row, at most 0.1 s apart,
 * otherwise the row is dropped and counted). meta/time.csv, when present, gives the absolute
 * time: a sample at experiment time t after the latest START event (experiment time e, system
 * time u, Unix seconds) is delivered at u + (t - e); without it times are experiment time.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/numparse.h"
#include "io/io_internal.h"

#define RAD_TO_DEG (180.0 / 3.14159265358979323846)
#define MAX_STARTS 64

typedef struct {
    bstep__xyz_stream acc, gyr;
    int has_gyr_stream; /* separate Gyroscope.csv */
    int has_gyr;        /* gyro in the acceleration file or in the gyro stream */
    bstep__interp iw;
    size_t nstarts;
    int64_t start_exp_ns[MAX_STARTS], start_sys_ns[MAX_STARTS];
} ph_state;

static void ph_close(void *impl)
{
    ph_state *st = impl;
    if (st == NULL)
        return;
    bstep__xyz_close(&st->acc);
    bstep__xyz_close(&st->gyr);
    free(st);
}

static int ph_next(bstep_reader *r, void *impl, bstep_imu_sample *s)
{
    ph_state *st = impl;
    bstep_quality *q = bstep__reader_quality(r);
    for (;;) {
        double w[3] = {0.0, 0.0, 0.0};
        int64_t t;
        size_t k;
        int rc = bstep__xyz_next(r, &st->acc);
        if (rc <= 0)
            return rc;
        if (st->has_gyr_stream) {
            rc = bstep__interp_at(r, &st->iw, st->acc.t_ns, w);
            if (rc < 0)
                return rc;
            if (rc == 0) {
                q->dropped_rows++;
                continue;
            }
        } else if (st->acc.nval == 6) {
            for (k = 0; k < 3; k++)
                w[k] = st->acc.v[3 + k];
        }
        t = st->acc.t_ns;
        if (st->nstarts > 0) {
            size_t i = 0;
            while (i + 1 < st->nstarts && st->start_exp_ns[i + 1] <= t)
                i++;
            if (st->start_exp_ns[i] <= t) {
                /* t - exp >= 0 fits uint64 exactly; the sum must stay in int64 */
                uint64_t d = (uint64_t)t - (uint64_t)st->start_exp_ns[i];
                if (d > (uint64_t)INT64_MAX || st->start_sys_ns[i] > INT64_MAX - (int64_t)d)
                    return bstep__reader_fail(r, BSTEP_EFORMAT,
                                              "%s:%llu: time out of range after adding the "
                                              "start time of meta/time.csv",
                                              st->acc.name, (unsigned long long)st->acc.lr.line_no);
                t = st->start_sys_ns[i] + (int64_t)d;
            }
        }
        s->t_us = bstep__ns_to_us(t);
        for (k = 0; k < 3; k++) {
            s->accel_mps2[k] = (float)st->acc.v[k];
            s->gyro_dps[k] = (float)w[k];
        }
        s->flags = st->has_gyr ? BSTEP_SAMPLE_HAS_GYRO : 0u;
        return 1;
    }
}

static const bstep__reader_ops ph_ops = {ph_next, ph_close};

static int starts_ci(const char *p, size_t len, const char *w)
{
    size_t i, n = strlen(w);
    if (len < n)
        return 0;
    for (i = 0; i < n; i++)
        if (tolower((unsigned char)p[i]) != tolower((unsigned char)w[i]))
            return 0;
    return 1;
}

static int contains(const char *p, size_t len, const char *w)
{
    size_t i, n = strlen(w);
    for (i = 0; i + n <= len; i++)
        if (memcmp(p + i, w, n) == 0)
            return 1;
    return 0;
}

static int eq(const bstep__field *f, const char *w)
{
    return f->len == strlen(w) && memcmp(f->p, w, f->len) == 0;
}

static char detect_sep(const char *line, size_t len)
{
    if (memchr(line, '\t', len) != NULL)
        return '\t';
    if (memchr(line, ';', len) != NULL)
        return ';';
    return ',';
}

/*
 * Parse a phyphox header line into s. want_gyro_only: the file is Gyroscope.csv (values are the
 * gyro axes). Sets *linear when the acceleration is "Linear Acceleration".
 */
static int ph_header(bstep_reader *r, bstep__xyz_stream *s, int gyro_file, int *linear)
{
    char *line;
    size_t len, n, i, k;
    size_t acol[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, gcol[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    double ascale = 1.0, gscale = 1.0;
    int rc;
    char text[64];
    do {
        rc = bstep__lr_next(&s->lr, &line, &len);
    } while (rc == 1 && len == 0);
    if (rc == 0)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s: empty file (no header line)", s->name);
    if (rc < 0)
        return bstep__reader_lr_fail(r, &s->lr, s->name, rc);
    s->sep = detect_sep(line, len);
    s->allow_comma = s->sep != ',';
    n = bstep__split(line, len, s->sep, s->f, BSTEP__XYZ_MAX_COLS);
    if (n > BSTEP__XYZ_MAX_COLS)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:1: more than %d columns", s->name,
                                  BSTEP__XYZ_MAX_COLS);
    s->ncols = n;
    s->col_t = SIZE_MAX;
    *linear = 0;
    for (i = 0; i < n; i++) {
        bstep__field nm = s->f[i], un = {s->f[i].p + s->f[i].len, 0};
        const char *open = memchr(nm.p, '(', nm.len);
        int axis = -1;
        if (open != NULL && nm.len > 0 && nm.p[nm.len - 1] == ')') {
            un.p = (char *)open + 1;
            un.len = nm.len - (size_t)(open - nm.p) - 2;
            nm.len = (size_t)(open - nm.p);
            while (nm.len > 0 && nm.p[nm.len - 1] == ' ')
                nm.len--;
        }
        bstep__field_quote(un.p, un.len, text, sizeof text);
        if (nm.len >= 2 && nm.p[nm.len - 2] == ' ' &&
            (nm.p[nm.len - 1] == 'x' || nm.p[nm.len - 1] == 'y' || nm.p[nm.len - 1] == 'z'))
            axis = nm.p[nm.len - 1] - 'x';
        if (starts_ci(nm.p, nm.len, "time") && s->col_t == SIZE_MAX) {
            s->col_t = i;
            bstep__field_quote(s->f[i].p, s->f[i].len, s->colname[0], sizeof s->colname[0]);
            if (eq(&un, "s") || un.len == 0)
                s->time_exp10 = 0;
            else if (eq(&un, "ms"))
                s->time_exp10 = -3;
            else
                return bstep__reader_fail(r, BSTEP_EFORMAT,
                                          "%s:1:%zu: column 'Time': unknown unit '%s' (expected s)",
                                          s->name, i + 1, text);
        } else if (axis >= 0 && contains(nm.p, nm.len, "cceleration") && !gyro_file) {
            double sc;
            if (eq(&un, "m/s^2") || eq(&un, "m/s\xC2\xB2") || eq(&un, "m/s2"))
                sc = 1.0;
            else if (eq(&un, "g"))
                sc = (double)BSTEP_STANDARD_GRAVITY_MPS2;
            else
                return bstep__reader_fail(r, BSTEP_EFORMAT,
                                          "%s:1:%zu: column '%.*s': unknown unit '%s' (expected "
                                          "m/s^2 or g)",
                                          s->name, i + 1, (int)nm.len, nm.p, text);
            if (acol[axis] != SIZE_MAX)
                return bstep__reader_fail(r, BSTEP_EFORMAT,
                                          "%s:1:%zu: second acceleration %c column", s->name, i + 1,
                                          'x' + axis);
            acol[axis] = i;
            ascale = sc;
            if (starts_ci(nm.p, nm.len, "linear"))
                *linear = 1;
        } else if (axis >= 0 && starts_ci(nm.p, nm.len, "gyroscope")) {
            double sc;
            if (eq(&un, "rad/s"))
                sc = RAD_TO_DEG;
            else if (eq(&un, "deg/s") || eq(&un, "\xC2\xB0/s"))
                sc = 1.0;
            else
                return bstep__reader_fail(r, BSTEP_EFORMAT,
                                          "%s:1:%zu: column '%.*s': unknown unit '%s' (expected "
                                          "rad/s or deg/s)",
                                          s->name, i + 1, (int)nm.len, nm.p, text);
            if (gcol[axis] != SIZE_MAX)
                return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:1:%zu: second gyroscope %c column",
                                          s->name, i + 1, 'x' + axis);
            gcol[axis] = i;
            gscale = sc;
        }
        if (s->col_t == i)
            continue;
    }
    if (s->col_t == SIZE_MAX)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:1: header has no 'Time (s)' column",
                                  s->name);
    if (gyro_file) {
        for (k = 0; k < 3; k++) {
            if (gcol[k] == SIZE_MAX)
                return bstep__reader_fail(r, BSTEP_EFORMAT,
                                          "%s:1: header has no 'Gyroscope %c' column", s->name,
                                          (int)('x' + k));
            s->col[k] = gcol[k];
            s->scale[k] = gscale;
            bstep__field_quote(s->f[gcol[k]].p, s->f[gcol[k]].len, s->colname[k + 1],
                               sizeof s->colname[k + 1]);
        }
        s->nval = 3;
        return BSTEP_OK;
    }
    for (k = 0; k < 3; k++) {
        if (acol[k] == SIZE_MAX)
            return bstep__reader_fail(r, BSTEP_EFORMAT,
                                      "%s:1: header has no 'Acceleration %c' column", s->name,
                                      (int)('x' + k));
        s->col[k] = acol[k];
        s->scale[k] = ascale;
        bstep__field_quote(s->f[acol[k]].p, s->f[acol[k]].len, s->colname[k + 1],
                           sizeof s->colname[k + 1]);
    }
    s->nval = 3;
    if (gcol[0] != SIZE_MAX && gcol[1] != SIZE_MAX && gcol[2] != SIZE_MAX) {
        for (k = 0; k < 3; k++) {
            s->col[3 + k] = gcol[k];
            s->scale[3 + k] = gscale;
            bstep__field_quote(s->f[gcol[k]].p, s->f[gcol[k]].len, s->colname[k + 4],
                               sizeof s->colname[k + 4]);
        }
        s->nval = 6;
    }
    return BSTEP_OK;
}

static void ph_finish(bstep_reader *r, ph_state *st, int linear)
{
    bstep_quality *q = bstep__reader_quality(r);
    st->iw.s = &st->gyr;
    st->has_gyr = st->has_gyr_stream || st->acc.nval == 6;
    q->has_gyro = st->has_gyr;
    q->gravity_removed = linear;
    bstep__reader_set_impl(r, &ph_ops, st);
}

int bstep__phyphox_open_file(bstep_reader *r, bstep__linereader *lr, const char *name)
{
    ph_state *st = calloc(1, sizeof *st);
    int rc, linear;
    size_t i;
    if (st == NULL) {
        bstep__lr_free(lr);
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    snprintf(st->acc.name, sizeof st->acc.name, "%s", name);
    st->acc.lr = *lr;
    memset(lr, 0, sizeof *lr);
    for (i = 0; i < 6; i++)
        st->acc.scale[i] = 1.0;
    rc = ph_header(r, &st->acc, 0, &linear);
    if (rc != BSTEP_OK) {
        ph_close(st);
        return rc;
    }
    ph_finish(r, st, linear);
    return BSTEP_OK;
}

/* meta/time.csv: the START events (experiment time, system time). */
static int read_time_meta(bstep_reader *r, bstep__container *c, ph_state *st)
{
    bstep__source src;
    bstep__linereader lr;
    char disp[1200];
    bstep__field f[8];
    char *line;
    size_t len, n;
    int rc;
    char sep = ',';
    if (!bstep__container_has(c, "meta/time.csv") ||
        bstep__container_open(c, "meta/time.csv", &src, disp, sizeof disp) != BSTEP_OK)
        return BSTEP_OK;
    if (bstep__lr_init(&lr, src, BSTEP__LINE_MAX) != 0)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", disp);
    while ((rc = bstep__lr_next(&lr, &line, &len)) == 1) {
        int64_t e, u;
        int rc1, rc2;
        if (lr.line_no == 1) {
            sep = detect_sep(line, len);
            continue;
        }
        if (len == 0)
            continue;
        n = bstep__split(line, len, sep, f, 7);
        if (n < 3 || !eq(&f[0], "START"))
            continue;
        rc1 = bstep__num_fixed(f[1].p, f[1].len, sep != ',', 0, -9, &e);
        rc2 = bstep__num_fixed(f[2].p, f[2].len, sep != ',', 0, -9, &u);
        if (rc1 != BSTEP__NUM_OK || rc2 != BSTEP__NUM_OK) {
            int bad = rc1 != BSTEP__NUM_OK;
            rc = bstep__reader_field_fail(r, disp, (unsigned long long)lr.line_no, bad ? 2 : 3,
                                          bad ? "experiment time" : "system time",
                                          bad ? &f[1] : &f[2], bad ? rc1 : rc2);
            bstep__lr_free(&lr);
            return rc;
        }
        if (st->nstarts < MAX_STARTS &&
            (st->nstarts == 0 || e > st->start_exp_ns[st->nstarts - 1])) {
            st->start_exp_ns[st->nstarts] = e;
            st->start_sys_ns[st->nstarts] = u;
            st->nstarts++;
        }
    }
    bstep__lr_free(&lr);
    if (rc < 0)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s: unreadable", disp);
    return BSTEP_OK;
}

static int open_entry(bstep_reader *r, bstep__container *c, const char *entry, bstep__xyz_stream *s)
{
    bstep__source src;
    char disp[1200];
    int rc = bstep__container_open(c, entry, &src, disp, sizeof disp);
    if (rc != BSTEP_OK)
        return bstep__reader_fail(r, rc == BSTEP_ENOTFOUND ? BSTEP_EFORMAT : rc, "%s: %s", disp,
                                  rc == BSTEP_ENOTFOUND ? "missing" : "cannot open");
    return bstep__xyz_init(r, s, src, disp);
}

int bstep__phyphox_open_container(bstep_reader *r, bstep__container *c)
{
    static const char *const acc_names[] = {"Accelerometer.csv", "Raw Data.csv",
                                            "Linear Accelerometer.csv"};
    ph_state *st = calloc(1, sizeof *st);
    int rc = BSTEP_EFORMAT, linear = 0, dummy;
    size_t i;
    const char *acc = NULL;
    if (st == NULL)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "out of memory");
    for (i = 0; i < sizeof acc_names / sizeof acc_names[0] && acc == NULL; i++)
        if (bstep__container_has(c, acc_names[i]))
            acc = acc_names[i];
    if (acc == NULL) {
        rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                "%s: no Accelerometer.csv, Raw Data.csv or Linear "
                                "Accelerometer.csv in the phyphox export",
                                bstep__container_path(c));
        goto fail;
    }
    rc = read_time_meta(r, c, st);
    if (rc == BSTEP_OK)
        rc = open_entry(r, c, acc, &st->acc);
    if (rc == BSTEP_OK)
        rc = ph_header(r, &st->acc, 0, &linear);
    if (rc != BSTEP_OK)
        goto fail;
    if (st->acc.nval == 3 && bstep__container_has(c, "Gyroscope.csv")) {
        st->has_gyr_stream = 1;
        rc = open_entry(r, c, "Gyroscope.csv", &st->gyr);
        if (rc == BSTEP_OK)
            rc = ph_header(r, &st->gyr, 1, &dummy);
        if (rc != BSTEP_OK)
            goto fail;
    }
    ph_finish(r, st, linear);
    return BSTEP_OK;
fail:
    ph_close(st);
    return rc;
}
