/*
 * Activity readers (FIT, TCX, FTMS logs): open, format detection, record ordering and quality
 * shared by the three formats, plus the small helpers they share (ISO 8601 times, names).
 *
 * Ordering. Records are delivered in file order. A record earlier than the previous delivered
 * one is dropped and counted (backward_timestamps), never reordered; equal times are kept (a
 * heart-rate line and a treadmill notification can share a timestamp).
 *
 * Intervals. median_interval_s comes from a log-spaced histogram of the intervals between
 * delivered records (32 bins per octave, 1 us .. 2^32 us, constant memory): the mean interval of
 * the bin holding the median. A watch recording at 1 s gives exactly 1 s. An interval longer than
 * 10 s is a gap: watches record at least every few seconds while moving ("smart recording" stores
 * a point when something changes, at most every ~8 s), and FTMS treadmills notify about once a
 * second, so 10 s without a record means the device stopped recording.
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

#include "io/activity_internal.h"

#define HIST_PER_OCTAVE 32
#define HIST_OCTAVES    32
#define HIST_BINS       (HIST_PER_OCTAVE * HIST_OCTAVES)
#define GAP_US          10000000LL
#define HEAD_BYTES      4096

struct bstep_activity_reader {
    bstep_format format;
    char errmsg[1024];
    int failed;
    int eof;
    const bstep__activity_ops *ops;
    void *impl;
    bstep_activity_info info;
    bstep_activity_lap laps[BSTEP_ACTIVITY_MAX_LAPS];
    bstep_activity_quality q;
    int have_prev;
    bstep_time_us prev_t;
    uint64_t hist_n[HIST_BINS];
    double hist_sum[HIST_BINS];
    uint64_t hist_total;
};

/* ---------------------------------------------------------------------------------------- */

void bstep_activity_record_clear(bstep_activity_record *rec)
{
    if (rec == NULL)
        return;
    rec->t_us = 0;
    rec->heart_rate_bpm = rec->cadence_spm = rec->speed_mps = rec->distance_m = (double)NAN;
    rec->incline_pct = rec->altitude_m = rec->latitude_deg = rec->longitude_deg = (double)NAN;
    rec->energy_kcal = (double)NAN;
}

void bstep_activity_lap_clear(bstep_activity_lap *lap)
{
    if (lap == NULL)
        return;
    lap->start_us = 0;
    lap->elapsed_s = lap->timer_s = lap->distance_m = lap->energy_kcal = (double)NAN;
    lap->avg_speed_mps = lap->max_speed_mps = (double)NAN;
    lap->avg_heart_rate_bpm = lap->max_heart_rate_bpm = lap->avg_cadence_spm = (double)NAN;
    lap->sport = lap->sub_sport = BSTEP_SPORT_UNKNOWN;
}

void bstep_activity_info_clear(bstep_activity_info *info)
{
    if (info == NULL)
        return;
    memset(info, 0, sizeof *info);
    info->sport = info->sub_sport = BSTEP_SPORT_UNKNOWN;
    info->elapsed_s = info->timer_s = info->distance_m = info->energy_kcal = (double)NAN;
    info->avg_heart_rate_bpm = info->max_heart_rate_bpm = info->steps = (double)NAN;
    info->direction = BSTEP_DIRECTION_UNKNOWN;
}

int bstep_format_is_activity(bstep_format format)
{
    return format == BSTEP_FORMAT_FIT || format == BSTEP_FORMAT_TCX || format == BSTEP_FORMAT_FTMS;
}

static const char *const export_names[] = {"fit", "tcx", "csv", "json"};

const char *bstep_export_format_name(bstep_export_format f)
{
    if ((int)f < 0 || (size_t)f >= sizeof export_names / sizeof export_names[0])
        return "unknown";
    return export_names[f];
}

int bstep_export_format_parse(const char *text, bstep_export_format *out)
{
    size_t i;
    if (text == NULL || out == NULL)
        return BSTEP_EINVAL;
    for (i = 0; i < sizeof export_names / sizeof export_names[0]; i++) {
        if (strcmp(text, export_names[i]) == 0) {
            *out = (bstep_export_format)i;
            return BSTEP_OK;
        }
    }
    return BSTEP_EINVAL;
}

/* ---------------------------------------------------------------------------------------- */
/* ISO 8601 */

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic, exact for any year). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t len, size_t at, size_t n, int *out)
{
    size_t i;
    int v = 0;
    if (at + n > len)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[at + i] < '0' || s[at + i] > '9')
            return -1;
        v = v * 10 + (s[at + i] - '0');
    }
    *out = v;
    return 0;
}

int bstep__iso8601_parse(const char *s, size_t len, bstep_time_us *out)
{
    int y, mo, d, h, mi, sec, dim;
    size_t k = 19;
    int64_t frac_us = 0, t;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    while (len > 0 &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    while (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) {
        s++;
        len--;
    }
    if (digits(s, len, 0, 4, &y) || len < 19 || s[4] != '-' || digits(s, len, 5, 2, &mo) ||
        s[7] != '-' || digits(s, len, 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
        digits(s, len, 11, 2, &h) || s[13] != ':' || digits(s, len, 14, 2, &mi) || s[16] != ':' ||
        digits(s, len, 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
        return -1;
    dim = mdays[mo - 1];
    if (mo == 2 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 28;
    if (d > dim)
        return -1;
    if (k < len && s[k] == '.') {
        int64_t scale = 100000;
        size_t n = 0;
        k++;
        while (k < len && s[k] >= '0' && s[k] <= '9') {
            if (scale > 0) {
                frac_us += (s[k] - '0') * scale;
                scale /= 10;
            } else if (n == 6 && s[k] >= '5') {
                frac_us++; /* round half up on the seventh digit */
            }
            n++;
            k++;
        }
        if (n == 0 || n > 12)
            return -1;
    }
    t = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000000LL + frac_us;
    if (k < len && (s[k] == 'Z' || s[k] == 'z')) {
        k++;
    } else if (k < len && (s[k] == '+' || s[k] == '-')) {
        int oh, om, sign = s[k] == '-' ? -1 : 1;
        if (digits(s, len, k + 1, 2, &oh) || k + 3 >= len || s[k + 3] != ':' ||
            digits(s, len, k + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
        t -= sign * (oh * 3600 + om * 60) * 1000000LL;
        k += 6;
    } else if (k != len) {
        return -1;
    }
    /* no zone designator: taken as UTC (TCX times are UTC by the schema) */
    if (k != len)
        return -1;
    *out = t;
    return 0;
}

void bstep__iso8601_format(bstep_time_us t_us, char *out, size_t out_len)
{
    int64_t s = t_us >= 0 ? t_us / 1000000 : -((-t_us + 999999) / 1000000);
    int64_t us = t_us - s * 1000000, days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    int64_t sod = s - days * 86400, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, out_len, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
             (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)(us / 1000));
}

/* ---------------------------------------------------------------------------------------- */
/* detection and errors */

static const char *find_bytes(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;
    if (len < n)
        return NULL;
    for (i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

bstep_format bstep__activity_detect(const char *data, size_t len)
{
    if (len >= 12 && memcmp(data + 8, ".FIT", 4) == 0)
        return BSTEP_FORMAT_FIT;
    if (find_bytes(data, len, "TrainingCenterDatabase") != NULL)
        return BSTEP_FORMAT_TCX;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (len >= 16 && memcmp(data, "# backstep ftms", 15) == 0)
        return BSTEP_FORMAT_FTMS;
    return BSTEP_FORMAT_AUTO;
}

int bstep__activity_fail(bstep_activity_reader *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

void bstep__activity_set_impl(bstep_activity_reader *r, const bstep__activity_ops *ops, void *impl)
{
    r->ops = ops;
    r->impl = impl;
}

bstep_activity_info *bstep__activity_info(bstep_activity_reader *r)
{
    return &r->info;
}

bstep_activity_quality *bstep__activity_quality(bstep_activity_reader *r)
{
    return &r->q;
}

void bstep__activity_add_lap(bstep_activity_reader *r, const bstep_activity_lap *lap)
{
    if (r->info.laps < BSTEP_ACTIVITY_MAX_LAPS)
        r->laps[r->info.laps] = *lap;
    r->info.laps++;
}

/* ---------------------------------------------------------------------------------------- */
/* a source that replays the bytes read for detection, then continues */

typedef struct {
    bstep__source inner;
    char head[HEAD_BYTES];
    size_t len, pos;
} prefix_ctx;

static long prefix_read(void *ctx, char *buf, size_t n)
{
    prefix_ctx *c = ctx;
    if (c->pos < c->len) {
        size_t k = c->len - c->pos;
        if (k > n)
            k = n;
        memcpy(buf, c->head + c->pos, k);
        c->pos += k;
        return (long)k;
    }
    return c->inner.read(c->inner.ctx, buf, n);
}

static void prefix_close(void *ctx)
{
    prefix_ctx *c = ctx;
    if (c->inner.close)
        c->inner.close(c->inner.ctx);
    free(c);
}

static bstep_activity_reader *reader_new(void)
{
    bstep_activity_reader *r = calloc(1, sizeof *r);
    if (r != NULL) {
        bstep_activity_info_clear(&r->info);
    }
    return r;
}

static int finish_open(bstep_activity_reader *r, int rc, bstep_activity_reader **out, char *err,
                       size_t err_len)
{
    if (rc != BSTEP_OK) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "%s", r->errmsg[0] ? r->errmsg : bstep_strerror(rc));
        bstep_activity_close(r);
        *out = NULL;
        return rc;
    }
    if (err != NULL && err_len > 0)
        err[0] = '\0';
    r->errmsg[0] = '\0';
    *out = r;
    return BSTEP_OK;
}

/* Detect (when AUTO) from the first bytes, then hand the whole stream to the format reader. */
static int open_source(bstep_activity_reader *r, bstep__source src, const char *name,
                       bstep_format format)
{
    prefix_ctx *c = malloc(sizeof *c);
    long got;
    bstep__source ps;
    if (c == NULL) {
        if (src.close)
            src.close(src.ctx);
        return bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    }
    c->inner = src;
    c->len = c->pos = 0;
    while (c->len < sizeof c->head &&
           (got = src.read(src.ctx, c->head + c->len, sizeof c->head - c->len)) != 0) {
        if (got < 0) {
            prefix_close(c);
            return bstep__activity_fail(r, BSTEP_EIO, "%s: read error: %s", name, strerror(errno));
        }
        c->len += (size_t)got;
    }
    if (format == BSTEP_FORMAT_AUTO) {
        if (c->len == 0) {
            prefix_close(c);
            return bstep__activity_fail(r, BSTEP_EFORMAT, "%s: empty file", name);
        }
        format = bstep__activity_detect(c->head, c->len);
        if (format == BSTEP_FORMAT_AUTO) {
            prefix_close(c);
            return bstep__activity_fail(r, BSTEP_EFORMAT,
                                        "%s: not a recognised activity file (expected FIT, TCX or "
                                        "a backstep FTMS log)",
                                        name);
        }
    }
    r->format = format;
    ps.read = prefix_read;
    ps.close = prefix_close;
    ps.ctx = c;
    switch (format) {
    case BSTEP_FORMAT_FIT:
        return bstep__fit_open(r, ps, name);
    case BSTEP_FORMAT_TCX:
        return bstep__tcx_open(r, ps, name);
    case BSTEP_FORMAT_FTMS:
        return bstep__ftms_open(r, ps, name);
    default:
        prefix_close(c);
        return bstep__activity_fail(r, BSTEP_EINVAL, "%s: %s is not an activity format", name,
                                    bstep_format_name(format));
    }
}

static int check_format(bstep_format format)
{
    return format == BSTEP_FORMAT_AUTO || bstep_format_is_activity(format);
}

int bstep_activity_open(bstep_activity_reader **out, const char *path, bstep_format format,
                        char *err, size_t err_len)
{
    bstep_activity_reader *r;
    bstep__source src;
    struct stat st;
    int fd, rc;
    if (out == NULL)
        return BSTEP_EINVAL;
    *out = NULL;
    if (path == NULL || !check_format(format)) {
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "invalid argument");
        return BSTEP_EINVAL;
    }
    r = reader_new();
    if (r == NULL)
        return BSTEP_ENOMEM;
    if (strcmp(path, "-") == 0) {
        if (bstep__source_fd(&src, 0, 0) != 0)
            rc = bstep__activity_fail(r, BSTEP_ENOMEM, "<stdin>: out of memory");
        else
            rc = open_source(r, src, "<stdin>", format);
        return finish_open(r, rc, out, err, err_len);
    }
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        rc = bstep__activity_fail(r, BSTEP_EIO, "%s: %s", path, strerror(errno));
        return finish_open(r, rc, out, err, err_len);
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        rc = bstep__activity_fail(r, BSTEP_EFORMAT, "%s: a folder, not an activity file", path);
        return finish_open(r, rc, out, err, err_len);
    }
    if (bstep__source_fd(&src, fd, 1) != 0) {
        close(fd);
        rc = bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", path);
    } else {
        rc = open_source(r, src, path, format);
    }
    return finish_open(r, rc, out, err, err_len);
}

int bstep_activity_open_mem(bstep_activity_reader **out, const void *data, size_t len,
                            bstep_format format, const char *name, char *err, size_t err_len)
{
    bstep_activity_reader *r;
    bstep__source src;
    int rc;
    if (out == NULL)
        return BSTEP_EINVAL;
    *out = NULL;
    if ((data == NULL && len > 0) || name == NULL || !check_format(format))
        return BSTEP_EINVAL;
    r = reader_new();
    if (r == NULL)
        return BSTEP_ENOMEM;
    if (bstep__source_mem(&src, data, len) != 0)
        rc = bstep__activity_fail(r, BSTEP_ENOMEM, "%s: out of memory", name);
    else
        rc = open_source(r, src, name, format);
    return finish_open(r, rc, out, err, err_len);
}

/* ---------------------------------------------------------------------------------------- */
/* reading */

static void hist_add(bstep_activity_reader *r, int64_t dt)
{
    int bin;
    if (dt <= 0)
        return;
    bin = (int)floor(log2((double)dt) * HIST_PER_OCTAVE);
    if (bin < 0)
        bin = 0;
    if (bin >= HIST_BINS)
        bin = HIST_BINS - 1;
    r->hist_n[bin]++;
    r->hist_sum[bin] += (double)dt;
    r->hist_total++;
}

int bstep_activity_read(bstep_activity_reader *r, bstep_activity_record *buf, size_t cap,
                        size_t *n_out)
{
    size_t n = 0;
    if (n_out != NULL)
        *n_out = 0;
    if (r == NULL || buf == NULL || cap == 0 || n_out == NULL)
        return BSTEP_EINVAL;
    if (r->failed)
        return r->failed;
    while (n < cap && !r->eof) {
        bstep_activity_record rec;
        int rc;
        bstep_activity_record_clear(&rec);
        rc = r->ops->next(r, r->impl, &rec);
        if (rc < 0) {
            r->failed = rc;
            if (r->errmsg[0] == '\0')
                snprintf(r->errmsg, sizeof r->errmsg, "%s", bstep_strerror(rc));
            *n_out = n;
            return n > 0 ? BSTEP_OK : rc;
        }
        if (rc == 0) {
            r->eof = 1;
            break;
        }
        if (r->have_prev && rec.t_us < r->prev_t) {
            r->q.backward_timestamps++;
            continue;
        }
        if (r->have_prev) {
            int64_t dt = rec.t_us - r->prev_t;
            hist_add(r, dt);
            if (dt > GAP_US) {
                r->q.gaps++;
                if ((double)dt * 1e-6 > r->q.longest_gap_s)
                    r->q.longest_gap_s = (double)dt * 1e-6;
            }
        } else {
            r->q.first_t_us = rec.t_us;
        }
        r->have_prev = 1;
        r->prev_t = rec.t_us;
        r->q.last_t_us = rec.t_us;
        r->q.records++;
        buf[n++] = rec;
    }
    *n_out = n;
    return BSTEP_OK;
}

const char *bstep_activity_errmsg(const bstep_activity_reader *r)
{
    return r != NULL ? r->errmsg : "";
}

bstep_format bstep_activity_format(const bstep_activity_reader *r)
{
    return r != NULL ? r->format : BSTEP_FORMAT_AUTO;
}

void bstep_activity_get_info(const bstep_activity_reader *r, bstep_activity_info *info)
{
    if (info == NULL)
        return;
    if (r == NULL) {
        bstep_activity_info_clear(info);
        return;
    }
    *info = r->info;
}

int bstep_activity_get_lap(const bstep_activity_reader *r, size_t i, bstep_activity_lap *lap)
{
    if (r == NULL || lap == NULL || i >= r->info.laps || i >= BSTEP_ACTIVITY_MAX_LAPS)
        return BSTEP_ENOTFOUND;
    *lap = r->laps[i];
    return BSTEP_OK;
}

void bstep_activity_get_quality(const bstep_activity_reader *r, bstep_activity_quality *q)
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
    q->median_interval_s = 0.0;
    if (r->hist_total == 0)
        return;
    half = (r->hist_total + 1) / 2;
    for (i = 0; i < HIST_BINS; i++) {
        seen += r->hist_n[i];
        if (seen >= half) {
            q->median_interval_s = r->hist_sum[i] / (double)r->hist_n[i] * 1e-6;
            break;
        }
    }
}

void bstep_activity_close(bstep_activity_reader *r)
{
    if (r == NULL)
        return;
    if (r->ops != NULL && r->ops->close != NULL)
        r->ops->close(r->impl);
    free(r);
}
