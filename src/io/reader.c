/*
 * Recording readers: open, format detection, dispatch, and the quality accounting shared by
 * every format.
 *
 * Pipeline. A format reader (csv.c, xsens.c, sensorlogger.c, phyphox.c) yields candidate samples.
 * Here each candidate is checked in file order: a row with a NaN or infinite value is dropped
 * (nonfinite_values), a row whose time equals the previous row's is dropped (duplicate_timestamps),
 * an earlier one too (backward_timestamps); rows are never reordered. Accepted samples wait in a
 * small ring (128 samples, fixed) so that:
 *   - the nominal sampling period is known before the first sample is delivered: it is the exact
 *     median of the first 64 intervals (or of all of them in a shorter file);
 *   - the clipping rule can flag both samples of a clipped pair.
 * A delivered sample gets BSTEP_SAMPLE_GAP_BEFORE when the format saw a counter jump or when its
 * interval exceeds 1.5 x that period; gaps, longest_gap_s follow. Readers never fill gaps.
 *
 * Sampling rate. sample_rate_hz is 1 / median interval over the whole file, in constant memory:
 * intervals go into a log-spaced histogram (128 bins per octave, 1 us .. 2^28 us) holding the
 * count and the sum of the intervals of each bin; the median is the mean interval of the bin
 * that holds the middle interval. Bins are 0.54 % wide, and for regularly sampled data (all
 * intervals in one bin) the result is the exact mean period.
 *
 * Clipping rule. An axis is "at full scale" when |value| is within 0.1 % of a standard sensor
 * range: 2, 4, 8 or 16 g for acceleration, 250, 500, 1000 or 2000 deg/s for angular rate. When
 * the same axis is at the same full scale with the same sign in two consecutive samples and the
 * value is held (the two differ by at most 0.01 % of the range), both samples get
 * BSTEP_SAMPLE_CLIPPED (and every further sample of the run); clipped_samples counts the flagged
 * samples. A single sample at full scale is not flagged (a real peak passes through), nor is a
 * fast-sampled signal sweeping through the level (at 800 Hz consecutive samples can both lie
 * within 0.1 % of 250 deg/s while still changing).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "io/io_internal.h"

#define RING            128
#define WARM            64
#define HIST_PER_OCTAVE 128
#define HIST_OCTAVES    28
#define HIST_BINS       (HIST_PER_OCTAVE * HIST_OCTAVES)

_Static_assert(RING > WARM + 2, "the ring must hold the warm-up samples");

struct bstep__container {
    zip_t *zip;      /* zip archive, or NULL for a folder */
    char path[1024]; /* folder or zip path (display) */
};

struct bstep_reader {
    bstep_format format;
    char errmsg[1024];
    int failed; /* status of the error that stopped the reader, 0 if none */
    int eof;
    const bstep__reader_ops *ops;
    void *impl;
    bstep__container *cont;
    bstep_quality q;
    /* candidates accepted, not yet delivered */
    bstep_imu_sample ring[RING];
    size_t head, count;
    int have_in;
    bstep_time_us last_in_t;
    uint32_t carry_flags; /* GAP_BEFORE of dropped rows, moved to the next accepted one */
    /* period estimate from the first intervals */
    int64_t warm[WARM];
    size_t nwarm;
    int period_known;
    double period_us;
    /* delivered */
    int have_out;
    bstep_time_us last_out_t;
    uint64_t hist_n[HIST_BINS];
    double hist_sum[HIST_BINS];
    uint64_t hist_total;
    int64_t hist_last_dt; /* interval of the last hist_add call and its bin (log2 is slow) */
    int hist_last_bin;
    /* heart rate carried by the recording, one reading per second at most */
    bstep_hr_point *hr;
    size_t hr_n, hr_cap;
    /* a treadmill's speed and incline carried by the recording, one point per second at most */
    bstep_treadmill_point *tm;
    size_t tm_n, tm_cap;
    /* progress (bstep_reader_progress): the single regular file's descriptor and size */
    int progress_fd; /* -1: unknown */
    uint64_t size_bytes;
};

/* A week of one-per-second readings: the longest recording analysed (energy.h duration limit). */
#define HR_MAX_POINTS (7u * 86400u)

/* Room for one more point of a per-second series (n < HR_MAX_POINTS): doubles the array from 1024,
 * never beyond HR_MAX_POINTS. 0, or -1 when out of memory (the array is unchanged). */
static int series_room(void **buf, size_t n, size_t *cap, size_t elem)
{
    size_t nc;
    void *p;
    if (n < *cap)
        return 0;
    nc = *cap ? *cap * 2 : 1024;
    if (nc > HR_MAX_POINTS)
        nc = HR_MAX_POINTS;
    p = realloc(*buf, nc * elem);
    if (p == NULL)
        return -1;
    *buf = p;
    *cap = nc;
    return 0;
}

int bstep__reader_add_hr(bstep_reader *r, bstep_time_us t_us, float hr_bpm)
{
    if (r->hr_n > 0) {
        const bstep_time_us last = r->hr[r->hr_n - 1].t_us;
        if (t_us < last + 1000000)
            return BSTEP_OK; /* the same second (or earlier: reader.c drops those rows) */
    }
    if (r->hr_n >= HR_MAX_POINTS)
        return BSTEP_OK; /* longer than any analysable session: the rest is not needed */
    if (series_room((void **)&r->hr, r->hr_n, &r->hr_cap, sizeof(*r->hr)) != 0)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "out of memory (heart rate)");
    r->hr[r->hr_n].t_us = t_us;
    r->hr[r->hr_n].hr_bpm = hr_bpm;
    r->hr_n++;
    return BSTEP_OK;
}

size_t bstep_reader_heart_rate(const bstep_reader *r, const bstep_hr_point **points)
{
    if (points != NULL)
        *points = r != NULL ? r->hr : NULL;
    return r != NULL ? r->hr_n : 0;
}

int bstep__reader_add_treadmill(bstep_reader *r, bstep_time_us t_us, float speed_mps,
                                float incline_pct)
{
    bstep_treadmill_point *last = r->tm_n > 0 ? &r->tm[r->tm_n - 1] : NULL;
    if (last != NULL && t_us < last->t_us + 1000000) {
        /* the same second: the first reading of each field in it */
        if (isnan(last->speed_mps))
            last->speed_mps = speed_mps;
        if (isnan(last->incline_pct))
            last->incline_pct = incline_pct;
        return BSTEP_OK;
    }
    if (r->tm_n >= HR_MAX_POINTS)
        return BSTEP_OK; /* longer than any analysable session */
    if (series_room((void **)&r->tm, r->tm_n, &r->tm_cap, sizeof(*r->tm)) != 0)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "out of memory (treadmill series)");
    r->tm[r->tm_n].t_us = t_us;
    r->tm[r->tm_n].speed_mps = speed_mps;
    r->tm[r->tm_n].incline_pct = incline_pct;
    r->tm_n++;
    return BSTEP_OK;
}

size_t bstep_reader_treadmill(const bstep_reader *r, const bstep_treadmill_point **points)
{
    if (points != NULL)
        *points = r != NULL ? r->tm : NULL;
    return r != NULL ? r->tm_n : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* names */

static const char *const format_names[] = {"auto",  "csv", "sensorlogger", "phyphox",
                                           "xsens", "fit", "tcx",          "ftms"};

const char *bstep_format_name(bstep_format f)
{
    if ((int)f < 0 || (size_t)f >= sizeof format_names / sizeof format_names[0])
        return "unknown";
    return format_names[f];
}

int bstep_format_parse(const char *text, bstep_format *out)
{
    size_t i;
    if (text == NULL || out == NULL)
        return BSTEP_EINVAL;
    for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(text, format_names[i]) == 0) {
            *out = (bstep_format)i;
            return BSTEP_OK;
        }
    }
    return BSTEP_EINVAL;
}

/* ---------------------------------------------------------------------------------------- */
/* errors */

int bstep__reader_fail(bstep_reader *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

int bstep__reader_lr_fail(bstep_reader *r, const bstep__linereader *lr, const char *name, int lrc)
{
    if (lrc == BSTEP__LR_TOO_LONG)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu: line too long (more than %zu bytes)",
                                  name, (unsigned long long)lr->line_no + 1, lr->max_line);
    return bstep__reader_fail(r, BSTEP_EIO, "%s:%llu: read error: %s", name,
                              (unsigned long long)lr->line_no + 1, strerror(errno));
}

int bstep__reader_field_fail(bstep_reader *r, const char *name, unsigned long long line, size_t col,
                             const char *field, const bstep__field *f, int num_rc)
{
    char text[64];
    bstep__field_quote(f->p, f->len, text, sizeof text);
    if (num_rc == 1 /* BSTEP__NUM_EMPTY */)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu:%zu: field '%s': empty", name, line,
                                  col, field);
    if (num_rc == 3 /* BSTEP__NUM_RANGE */)
        return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu:%zu: field '%s': out of range: '%s'",
                                  name, line, col, field, text);
    return bstep__reader_fail(r, BSTEP_EFORMAT, "%s:%llu:%zu: field '%s': not a number: '%s'", name,
                              line, col, field, text);
}

bstep_quality *bstep__reader_quality(bstep_reader *r)
{
    return &r->q;
}

void bstep__reader_set_impl(bstep_reader *r, const bstep__reader_ops *ops, void *impl)
{
    r->ops = ops;
    r->impl = impl;
}

/* ---------------------------------------------------------------------------------------- */
/* containers: folder or zip */

const char *bstep__container_path(const bstep__container *c)
{
    return c->path;
}

int bstep__container_has(bstep__container *c, const char *entry)
{
    if (c->zip != NULL) {
        return zip_name_locate(c->zip, entry, 0) >= 0 ||
               zip_name_locate(c->zip, entry, ZIP_FL_NODIR) >= 0;
    } else {
        char p[2048];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", c->path, entry);
        return stat(p, &st) == 0 && S_ISREG(st.st_mode);
    }
}

static long zip_src_read(void *ctx, char *buf, size_t n)
{
    zip_int64_t got = zip_fread((zip_file_t *)ctx, buf, n);
    return got < 0 ? -1 : (long)got;
}

static void zip_src_close(void *ctx)
{
    zip_fclose((zip_file_t *)ctx);
}

int bstep__container_open(bstep__container *c, const char *entry, bstep__source *src, char *display,
                          size_t display_len)
{
    snprintf(display, display_len, "%s/%s", c->path, entry);
    if (c->zip != NULL) {
        zip_int64_t idx = zip_name_locate(c->zip, entry, 0);
        zip_file_t *zf;
        if (idx < 0)
            idx = zip_name_locate(c->zip, entry, ZIP_FL_NODIR);
        if (idx < 0)
            return BSTEP_ENOTFOUND;
        zf = zip_fopen_index(c->zip, (zip_uint64_t)idx, 0);
        if (zf == NULL)
            return BSTEP_EIO;
        src->read = zip_src_read;
        src->close = zip_src_close;
        src->ctx = zf;
        return BSTEP_OK;
    } else {
        char p[2048];
        int fd;
        snprintf(p, sizeof p, "%s/%s", c->path, entry);
        fd = open(p, O_RDONLY);
        if (fd < 0)
            return errno == ENOENT ? BSTEP_ENOTFOUND : BSTEP_EIO;
        if (bstep__source_fd(src, fd, 1) != 0) {
            close(fd);
            return BSTEP_ENOMEM;
        }
        return BSTEP_OK;
    }
}

static void container_close(bstep__container *c)
{
    if (c == NULL)
        return;
    if (c->zip != NULL)
        zip_discard(c->zip);
    free(c);
}

/* ---------------------------------------------------------------------------------------- */
/* detection */

static int starts_with_ci(const char *s, size_t len, const char *prefix)
{
    size_t i;
    for (i = 0; prefix[i] != '\0'; i++) {
        int a, b;
        if (i >= len)
            return 0;
        a = (unsigned char)s[i];
        b = (unsigned char)prefix[i];
        if (a >= 'A' && a <= 'Z')
            a += 'a' - 'A';
        if (b >= 'A' && b <= 'Z')
            b += 'a' - 'A';
        if (a != b)
            return 0;
    }
    return 1;
}

static const char *mem_find(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;
    if (n == 0 || len < n)
        return NULL;
    for (i = 0; i + n <= len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

bstep_format bstep__detect_text(const char *data, size_t len)
{
    const char *nl;
    size_t l1;
    if (len >= 12 && memcmp(data + 8, ".FIT", 4) == 0)
        return BSTEP_FORMAT_FIT;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }
    if (mem_find(data, len, "TrainingCenterDatabase") != NULL)
        return BSTEP_FORMAT_TCX;
    if (starts_with_ci(data, len, "# backstep ftms"))
        return BSTEP_FORMAT_FTMS;
    nl = memchr(data, '\n', len);
    l1 = nl ? (size_t)(nl - data) : len;
    if (starts_with_ci(data, l1, "time,seconds_elapsed"))
        return BSTEP_FORMAT_SENSORLOGGER;
    if (mem_find(data, l1, "time") != NULL && mem_find(data, l1, "acc_x") != NULL)
        return BSTEP_FORMAT_CSV;
    if (starts_with_ci(data, l1, "Acquisition frequency") || starts_with_ci(data, l1, "//") ||
        mem_find(data, len, "Acc_X") != NULL)
        return BSTEP_FORMAT_XSENS;
    if (starts_with_ci(data, l1, "\"Time (s)\"") || starts_with_ci(data, l1, "Time (s)") ||
        mem_find(data, l1, "\"Acceleration x") != NULL || mem_find(data, l1, "Gyroscope x") != NULL)
        return BSTEP_FORMAT_PHYPHOX;
    return BSTEP_FORMAT_AUTO;
}

/* Which container format: Sensor Logger (header "time,seconds_elapsed") or phyphox. */
static int detect_container(bstep__container *c, bstep_format *out)
{
    static const char *const probes[] = {"TotalAcceleration.csv", "Accelerometer.csv",
                                         "Linear Accelerometer.csv", "Gyroscope.csv",
                                         "Raw Data.csv"};
    size_t i;
    if (bstep__container_has(c, "metadata.csv") && bstep__container_has(c, "Accelerometer.csv") &&
        !bstep__container_has(c, "meta/time.csv")) {
        *out = BSTEP_FORMAT_SENSORLOGGER;
        return BSTEP_OK;
    }
    for (i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        bstep__source src;
        char disp[1200], head[256];
        long got;
        size_t k = 0;
        bstep_format f;
        if (bstep__container_open(c, probes[i], &src, disp, sizeof disp) != BSTEP_OK)
            continue;
        while (k < sizeof head && (got = src.read(src.ctx, head + k, sizeof head - k)) > 0)
            k += (size_t)got;
        src.close(src.ctx);
        f = bstep__detect_text(head, k);
        if (f == BSTEP_FORMAT_SENSORLOGGER || f == BSTEP_FORMAT_PHYPHOX) {
            *out = f;
            return BSTEP_OK;
        }
    }
    return BSTEP_EFORMAT;
}

/* ---------------------------------------------------------------------------------------- */
/* open */

static bstep_reader *reader_new(void)
{
    bstep_reader *r = calloc(1, sizeof(bstep_reader));
    if (r != NULL)
        r->progress_fd = -1;
    return r;
}

double bstep_reader_progress(const bstep_reader *r)
{
    off_t at;
    if (r == NULL || r->progress_fd < 0 || r->size_bytes == 0)
        return -1.0;
    at = lseek(r->progress_fd, 0, SEEK_CUR); /* the source's reads advance the file offset */
    if (at < 0)
        return -1.0;
    return (uint64_t)at >= r->size_bytes ? 1.0 : (double)at / (double)r->size_bytes;
}

static void copy_err(const bstep_reader *r, char *err, size_t err_len)
{
    if (err != NULL && err_len > 0)
        snprintf(err, err_len, "%s", r->errmsg);
}

static int open_single(bstep_reader *r, bstep__source src, const char *name, bstep_format format,
                       int is_stdin)
{
    bstep__linereader lr;
    const char *head;
    size_t hlen;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (bstep__lr_init(&lr, src, BSTEP__LINE_MAX) != 0)
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    if (bstep__lr_peek(&lr, 4096, &head, &hlen) != 0) {
        bstep__lr_free(&lr);
        return bstep__reader_fail(r, BSTEP_EIO, "%s: read error: %s", name, strerror(errno));
    }
    if (format == BSTEP_FORMAT_AUTO) {
        if (hlen == 0) {
            bstep__lr_free(&lr);
            return bstep__reader_fail(r, BSTEP_EFORMAT, "%s: empty file", name);
        }
        if (hlen >= 4 && memcmp(head, "PK\x03\x04", 4) == 0 && is_stdin) {
            bstep__lr_free(&lr);
            return bstep__reader_fail(r, BSTEP_EUNSUPPORTED,
                                      "%s: a zip archive cannot be read from standard input", name);
        }
        format = bstep__detect_text(head, hlen);
        if (format == BSTEP_FORMAT_AUTO) {
            bstep__lr_free(&lr);
            return bstep__reader_fail(r, BSTEP_EFORMAT,
                                      "%s: not a recognised recording (expected canonical CSV, "
                                      "Xsens text, phyphox CSV or Sensor Logger export)",
                                      name);
        }
    }
    r->format = format;
    switch (format) {
    case BSTEP_FORMAT_CSV:
        return bstep__csv_open(r, &lr, name);
    case BSTEP_FORMAT_XSENS:
        return bstep__xsens_open(r, &lr, name);
    case BSTEP_FORMAT_PHYPHOX:
        return bstep__phyphox_open_file(r, &lr, name);
    case BSTEP_FORMAT_SENSORLOGGER:
        return bstep__sensorlogger_open_file(r, &lr, name, base);
    case BSTEP_FORMAT_FIT:
    case BSTEP_FORMAT_TCX:
    case BSTEP_FORMAT_FTMS:
        bstep__lr_free(&lr);
        return bstep__reader_fail(r, BSTEP_EUNSUPPORTED,
                                  "%s: a %s file is an activity file (heart rate, speed, "
                                  "distance), not IMU samples: read it with the activity reader",
                                  name, bstep_format_name(format));
    default:
        bstep__lr_free(&lr);
        return bstep__reader_fail(r, BSTEP_EINVAL, "%s: invalid format", name);
    }
}

static int open_container(bstep_reader *r, bstep__container *c, bstep_format format)
{
    if (format == BSTEP_FORMAT_AUTO && detect_container(c, &format) != BSTEP_OK)
        return bstep__reader_fail(r, BSTEP_EFORMAT,
                                  "%s: no Sensor Logger or phyphox sensor file (Accelerometer.csv, "
                                  "TotalAcceleration.csv, Gyroscope.csv) found",
                                  c->path);
    r->format = format;
    if (format == BSTEP_FORMAT_SENSORLOGGER)
        return bstep__sensorlogger_open_container(r, c);
    if (format == BSTEP_FORMAT_PHYPHOX)
        return bstep__phyphox_open_container(r, c);
    return bstep__reader_fail(r, BSTEP_EFORMAT, "%s: a %s recording is a single file, not %s",
                              c->path, bstep_format_name(format),
                              c->zip ? "a zip archive" : "a folder");
}

static int finish_open(bstep_reader *r, int rc, bstep_reader **out, char *err, size_t err_len)
{
    if (rc != BSTEP_OK) {
        copy_err(r, err, err_len);
        bstep_reader_close(r);
        *out = NULL;
        return rc;
    }
    if (err != NULL && err_len > 0)
        err[0] = '\0';
    r->errmsg[0] = '\0';
    *out = r;
    return BSTEP_OK;
}

static int zip_container(bstep_reader *r, zip_t *za, const char *name)
{
    bstep__container *c = calloc(1, sizeof *c);
    if (c == NULL) {
        zip_discard(za);
        return bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    c->zip = za;
    snprintf(c->path, sizeof c->path, "%s", name);
    r->cont = c;
    return BSTEP_OK;
}

int bstep_reader_open(bstep_reader **out, const char *path, bstep_format format, char *err,
                      size_t err_len)
{
    bstep_reader *r;
    struct stat st;
    int rc, fd;
    bstep__source src;
    unsigned char magic[4];
    ssize_t got;

    if (out == NULL)
        return BSTEP_EINVAL;
    *out = NULL;
    if (path == NULL || (int)format < 0 || format > BSTEP_FORMAT_FTMS) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "invalid argument");
        return BSTEP_EINVAL;
    }
    r = reader_new();
    if (r == NULL) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "%s: out of memory", path);
        return BSTEP_ENOMEM;
    }
    if (strcmp(path, "-") == 0) {
        if (bstep__source_fd(&src, 0, 0) != 0)
            rc = bstep__reader_fail(r, BSTEP_ENOMEM, "<stdin>: out of memory");
        else
            rc = open_single(r, src, "<stdin>", format, 1);
        return finish_open(r, rc, out, err, err_len);
    }
    if (stat(path, &st) != 0) {
        rc = bstep__reader_fail(r, BSTEP_EIO, "%s: %s", path, strerror(errno));
        return finish_open(r, rc, out, err, err_len);
    }
    if (S_ISDIR(st.st_mode)) {
        bstep__container *c = calloc(1, sizeof *c);
        if (c == NULL) {
            rc = bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", path);
        } else {
            snprintf(c->path, sizeof c->path, "%s", path);
            r->cont = c;
            rc = open_container(r, c, format);
        }
        return finish_open(r, rc, out, err, err_len);
    }
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        rc = bstep__reader_fail(r, BSTEP_EIO, "%s: %s", path, strerror(errno));
        return finish_open(r, rc, out, err, err_len);
    }
    got = S_ISREG(st.st_mode) ? pread(fd, magic, 4, 0) : 0;
    if (got == 4 && memcmp(magic, "PK\x03\x04", 4) == 0) {
        int zerr = 0;
        zip_t *za;
        close(fd);
        za = zip_open(path, ZIP_RDONLY, &zerr);
        if (za == NULL) {
            rc = bstep__reader_fail(r, BSTEP_EFORMAT,
                                    "%s: not a readable zip archive (libzip "
                                    "error %d)",
                                    path, zerr);
        } else {
            rc = zip_container(r, za, path);
            if (rc == BSTEP_OK)
                rc = open_container(r, r->cont, format);
        }
        return finish_open(r, rc, out, err, err_len);
    }
    if (bstep__source_fd(&src, fd, 1) != 0) {
        close(fd);
        rc = bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", path);
    } else {
        if (S_ISREG(st.st_mode)) {
            r->progress_fd = fd; /* owned by the source, open as long as the reader */
            r->size_bytes = (uint64_t)st.st_size;
        }
        rc = open_single(r, src, path, format, 0);
    }
    return finish_open(r, rc, out, err, err_len);
}

int bstep__reader_open_mem(bstep_reader **out, const void *data, size_t len, bstep_format format,
                           const char *name, char *err, size_t err_len)
{
    bstep_reader *r;
    bstep__source src;
    int rc;
    if (out == NULL || (data == NULL && len > 0) || name == NULL)
        return BSTEP_EINVAL;
    *out = NULL;
    r = reader_new();
    if (r == NULL)
        return BSTEP_ENOMEM;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        zip_error_t ze;
        zip_source_t *zs;
        zip_t *za = NULL;
        zip_error_init(&ze);
        zs = zip_source_buffer_create(data, len, 0, &ze);
        if (zs != NULL) {
            za = zip_open_from_source(zs, ZIP_RDONLY, &ze);
            if (za == NULL)
                zip_source_free(zs);
        }
        zip_error_fini(&ze);
        if (za == NULL) {
            rc = bstep__reader_fail(r, BSTEP_EFORMAT, "%s: not a readable zip archive", name);
        } else {
            rc = zip_container(r, za, name);
            if (rc == BSTEP_OK)
                rc = open_container(r, r->cont, format);
        }
        return finish_open(r, rc, out, err, err_len);
    }
    if (bstep__source_mem(&src, data, len) != 0)
        rc = bstep__reader_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    else
        rc = open_single(r, src, name, format, 0);
    return finish_open(r, rc, out, err, err_len);
}

int bstep__reader_open_sensorlogger_mem(bstep_reader **out, const void *acc, size_t acc_len,
                                        const void *gyr, size_t gyr_len, char *err, size_t err_len)
{
    bstep_reader *r;
    int rc;
    if (out == NULL)
        return BSTEP_EINVAL;
    *out = NULL;
    r = reader_new();
    if (r == NULL)
        return BSTEP_ENOMEM;
    r->format = BSTEP_FORMAT_SENSORLOGGER;
    rc = bstep__sensorlogger_open_mem(r, acc, acc_len, gyr, gyr_len);
    return finish_open(r, rc, out, err, err_len);
}

int bstep_format_detect(const char *path, bstep_format *out, char *err, size_t err_len)
{
    struct stat st;
    char head[4096];
    size_t k = 0;
    int fd;
    if (path == NULL || out == NULL)
        return BSTEP_EINVAL;
    if (err != NULL && err_len > 0)
        err[0] = '\0';
    if (stat(path, &st) != 0) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return BSTEP_EIO;
    }
    if (S_ISREG(st.st_mode)) {
        ssize_t got;
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            if (err != NULL && err_len > 0)
                snprintf(err, err_len, "%s: %s", path, strerror(errno));
            return BSTEP_EIO;
        }
        got = pread(fd, head, sizeof head, 0);
        close(fd);
        if (got < 0) {
            if (err != NULL && err_len > 0)
                snprintf(err, err_len, "%s: %s", path, strerror(errno));
            return BSTEP_EIO;
        }
        k = (size_t)got;
    }
    if (S_ISDIR(st.st_mode) || (k >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)) {
        bstep__container c;
        int zerr = 0, rc;
        memset(&c, 0, sizeof c);
        snprintf(c.path, sizeof c.path, "%s", path);
        if (!S_ISDIR(st.st_mode)) {
            c.zip = zip_open(path, ZIP_RDONLY, &zerr);
            if (c.zip == NULL) {
                if (err != NULL && err_len > 0)
                    snprintf(err, err_len, "%s: not a readable zip archive", path);
                return BSTEP_EFORMAT;
            }
        }
        rc = detect_container(&c, out);
        if (c.zip != NULL)
            zip_discard(c.zip);
        if (rc != BSTEP_OK && err != NULL && err_len > 0)
            snprintf(err, err_len, "%s: no Sensor Logger or phyphox sensor file found", path);
        return rc;
    }
    *out = bstep__detect_text(head, k);
    if (*out == BSTEP_FORMAT_AUTO) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "%s: not a recognised recording", path);
        return BSTEP_EFORMAT;
    }
    return BSTEP_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* quality pipeline */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void finish_warmup(bstep_reader *r)
{
    int64_t tmp[WARM];
    if (r->period_known)
        return;
    r->period_known = 1;
    if (r->nwarm == 0) {
        r->period_us = 0.0;
        return;
    }
    memcpy(tmp, r->warm, r->nwarm * sizeof tmp[0]);
    qsort(tmp, r->nwarm, sizeof tmp[0], cmp_i64);
    if (r->nwarm % 2 == 1)
        r->period_us = (double)tmp[r->nwarm / 2];
    else
        r->period_us = 0.5 * ((double)tmp[r->nwarm / 2 - 1] + (double)tmp[r->nwarm / 2]);
}

/* Full-scale level of a value (index into levels + 1 with sign), 0 if none. */
static int full_scale(float v, const float *levels)
{
    int i;
    float a = fabsf(v);
    if (a < 0.999f * levels[0]) /* below every level's tolerance band (levels ascend) */
        return 0;
    for (i = 0; i < 4; i++)
        if (fabsf(a - levels[i]) <= 0.001f * levels[i])
            return v < 0.0f ? -(i + 1) : (i + 1);
    return 0;
}

static const float acc_levels[4] = {
    2.0f * BSTEP_STANDARD_GRAVITY_MPS2, 4.0f * BSTEP_STANDARD_GRAVITY_MPS2,
    8.0f * BSTEP_STANDARD_GRAVITY_MPS2, 16.0f * BSTEP_STANDARD_GRAVITY_MPS2};
static const float gyr_levels[4] = {250.0f, 500.0f, 1000.0f, 2000.0f};

/* Both values at the same full scale and held (equal within 0.01 % of the range). */
static int held_at_full_scale(float a, float b, const float *levels)
{
    int la = full_scale(a, levels);
    return la != 0 && la == full_scale(b, levels) &&
           fabsf(a - b) <= 0.0001f * levels[(la < 0 ? -la : la) - 1];
}

static int clipped_pair(const bstep_imu_sample *a, const bstep_imu_sample *b)
{
    int i;
    for (i = 0; i < 3; i++)
        if (held_at_full_scale(a->accel_mps2[i], b->accel_mps2[i], acc_levels))
            return 1;
    if ((a->flags & b->flags & BSTEP_SAMPLE_HAS_GYRO) != 0) {
        for (i = 0; i < 3; i++)
            if (held_at_full_scale(a->gyro_dps[i], b->gyro_dps[i], gyr_levels))
                return 1;
    }
    return 0;
}

static void mark_clipped(bstep_reader *r, bstep_imu_sample *s)
{
    if ((s->flags & BSTEP_SAMPLE_CLIPPED) == 0) {
        s->flags |= BSTEP_SAMPLE_CLIPPED;
        r->q.clipped_samples++;
    }
}

/* b - a for b > a, saturated to INT64_MAX (computed in uint64: no signed overflow). */
static int64_t interval(bstep_time_us a, bstep_time_us b)
{
    uint64_t d = (uint64_t)b - (uint64_t)a;
    return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}

static void push(bstep_reader *r, bstep_imu_sample *s)
{
    int i;
    int finite = 1;
    for (i = 0; i < 3; i++) {
        if (!isfinite(s->accel_mps2[i]))
            finite = 0;
        if ((s->flags & BSTEP_SAMPLE_HAS_GYRO) && !isfinite(s->gyro_dps[i]))
            finite = 0;
    }
    if (!finite) {
        r->q.nonfinite_values++;
        r->q.dropped_rows++;
        r->carry_flags |= s->flags & BSTEP_SAMPLE_GAP_BEFORE;
        return;
    }
    if (r->have_in && s->t_us <= r->last_in_t) {
        if (s->t_us == r->last_in_t)
            r->q.duplicate_timestamps++;
        else
            r->q.backward_timestamps++;
        r->q.dropped_rows++;
        r->carry_flags |= s->flags & BSTEP_SAMPLE_GAP_BEFORE;
        return;
    }
    s->flags |= r->carry_flags;
    r->carry_flags = 0;
    if (r->have_in && !r->period_known) {
        r->warm[r->nwarm++] = interval(r->last_in_t, s->t_us);
        if (r->nwarm == WARM)
            finish_warmup(r);
    }
    if (r->count > 0) {
        bstep_imu_sample *prev = &r->ring[(r->head + r->count - 1) % RING];
        if (clipped_pair(prev, s)) {
            mark_clipped(r, prev);
            mark_clipped(r, s);
        }
    }
    r->ring[(r->head + r->count) % RING] = *s;
    r->count++;
    r->have_in = 1;
    r->last_in_t = s->t_us;
}

static void hist_add(bstep_reader *r, int64_t dt)
{
    int bin;
    if (dt <= 0)
        return;
    if (dt == r->hist_last_dt) { /* steady sampling: the same interval again */
        bin = r->hist_last_bin;
    } else {
        bin = (int)floor(log2((double)dt) * HIST_PER_OCTAVE);
        r->hist_last_dt = dt;
        r->hist_last_bin = bin;
    }
    if (bin < 0)
        bin = 0;
    if (bin >= HIST_BINS)
        bin = HIST_BINS - 1;
    r->hist_n[bin]++;
    r->hist_sum[bin] += (double)dt;
    r->hist_total++;
}

static void pop(bstep_reader *r, bstep_imu_sample *out)
{
    *out = r->ring[r->head];
    r->head = (r->head + 1) % RING;
    r->count--;
    if (r->have_out) {
        int64_t dt = interval(r->last_out_t, out->t_us);
        int gap = (out->flags & BSTEP_SAMPLE_GAP_BEFORE) != 0;
        hist_add(r, dt);
        if (!gap && r->period_us > 0.0 && (double)dt > 1.5 * r->period_us)
            gap = 1;
        if (gap) {
            double s = (double)dt * 1e-6;
            out->flags |= BSTEP_SAMPLE_GAP_BEFORE;
            r->q.gaps++;
            if (s > r->q.longest_gap_s)
                r->q.longest_gap_s = s;
        }
    } else {
        out->flags &= ~BSTEP_SAMPLE_GAP_BEFORE;
        r->q.first_t_us = out->t_us;
    }
    r->have_out = 1;
    r->last_out_t = out->t_us;
    r->q.last_t_us = out->t_us;
    r->q.samples++;
}

int bstep_reader_read(bstep_reader *r, bstep_imu_sample *buf, size_t cap, size_t *n_out)
{
    size_t n = 0;
    if (n_out != NULL)
        *n_out = 0;
    if (r == NULL || buf == NULL || cap == 0 || n_out == NULL)
        return BSTEP_EINVAL;
    if (r->failed)
        return r->failed;
    while (n < cap) {
        bstep_imu_sample s;
        int rc;
        if (r->count > 0 && ((r->count > 1 && r->period_known) || r->eof)) {
            pop(r, &buf[n++]);
            continue;
        }
        if (r->eof)
            break;
        memset(&s, 0, sizeof s);
        rc = r->ops->next(r, r->impl, &s);
        if (rc < 0) {
            r->failed = rc;
            if (r->errmsg[0] == '\0')
                snprintf(r->errmsg, sizeof r->errmsg, "%s", bstep_strerror(rc));
            return rc;
        }
        if (rc == 0) {
            r->eof = 1;
            finish_warmup(r);
            continue;
        }
        push(r, &s);
    }
    *n_out = n;
    return BSTEP_OK;
}

const char *bstep_reader_errmsg(const bstep_reader *r)
{
    return r != NULL ? r->errmsg : "";
}

bstep_format bstep_reader_format(const bstep_reader *r)
{
    return r != NULL ? r->format : BSTEP_FORMAT_AUTO;
}

void bstep_reader_quality(const bstep_reader *r, bstep_quality *q)
{
    uint64_t half, seen = 0;
    int i;
    if (q == NULL)
        return;
    if (r == NULL) {
        memset(q, 0, sizeof *q);
        return;
    }
    *q = r->q;
    q->sample_rate_hz = 0.0;
    if (r->hist_total == 0)
        return;
    half = (r->hist_total + 1) / 2;
    for (i = 0; i < HIST_BINS; i++) {
        seen += r->hist_n[i];
        if (seen >= half) {
            double mean = r->hist_sum[i] / (double)r->hist_n[i];
            q->sample_rate_hz = mean > 0.0 ? 1e6 / mean : 0.0;
            break;
        }
    }
}

void bstep_reader_close(bstep_reader *r)
{
    if (r == NULL)
        return;
    if (r->ops != NULL && r->ops->close != NULL)
        r->ops->close(r->impl);
    container_close(r->cont);
    free(r->hr);
    free(r->tm);
    free(r);
}
